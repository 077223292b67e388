#!/usr/bin/python3
"""Forward the guest's 127.0.0.1:PORT to the host's PORT (10.0.2.2).

Targets on the host listen on the host's loopback and tell SendTargets
clients so (127.0.0.1:PORT). With this forwarder running, the guest reaches
those advertised portals, and discovery works as on a real host. A closed or
refused upstream closes the guest's side too, so a target that goes away
looks gone to the initiator.
Usage: fwd.py PORT [PORT...]
"""
import socket
import sys
import threading

HOST = "10.0.2.2"


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(port):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(16)
    while True:
        c, _ = ls.accept()
        try:
            u = socket.create_connection((HOST, port), timeout=5)
        except OSError:
            c.close()
            continue
        u.settimeout(None)
        for a, b in ((c, u), (u, c)):
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()


def main():
    ports = [int(p) for p in sys.argv[1:]]
    threads = [threading.Thread(target=serve, args=(p,), daemon=True) for p in ports]
    for t in threads:
        t.start()
    print("fwd: listening on", ports, flush=True)
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
