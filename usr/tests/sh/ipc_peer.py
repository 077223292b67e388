#!/usr/bin/env python3
"""Misbehaving peers on iscsid's request socket (stock 2.1.8's layout:
16104-byte request, 2464-byte answer), for test_ipc_peers.sh.

  ipc_peer.py serve MODE NAME OUT   stand-in "iscsid" on abstract NAME for
      one client: MODE silent (reads, never answers), garbage (an answer's
      worth of text), version (answers in another protocol: a 16-byte
      header, then close), midclose (half an answer, then close), squat
      (reads for 2 s, answers "success").
      Writes the number of request bytes it received to OUT; creates
      OUT.ready once listening.
  ipc_peer.py flood N SECONDS        N connections to $ISCSID_IPC_NAME held
      open for SECONDS; prints "answered=A of N".
  ipc_peer.py mute SECONDS           one connection that sends nothing;
      prints what came back ("rc=N" / "closed") and after how long.
"""
import os
import socket
import struct
import sys
import time

REQ_LEN, RSP_LEN = 16104, 2464


def answer(cmd, rc):
    return struct.pack("<ii", cmd, rc) + bytes(RSP_LEN - 8)


def read_request(c, wait):
    c.settimeout(wait)
    data = b""
    try:
        while len(data) < REQ_LEN:
            d = c.recv(65536)
            if not d:
                break
            data += d
    except OSError:
        pass
    return data


def serve(mode, name, out):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind("\0" + name)
    s.listen(4)
    open(out + ".ready", "w").close()
    c, _ = s.accept()
    data = read_request(c, 2 if mode == "squat" else 10)
    with open(out, "w") as f:
        f.write("%d\n" % len(data))
    cmd = struct.unpack("<i", data[:4])[0] if len(data) >= 4 else 1
    if mode == "silent":
        time.sleep(60)
    elif mode == "garbage":
        text = b"HTTP/1.0 400 Bad Request\r\n\r\n" * 100
        c.sendall(text[:RSP_LEN])
    elif mode == "version":
        c.sendall(struct.pack(">IHHiI", 0x69534944, 1, cmd, 0, 0))
    elif mode == "midclose":
        c.sendall(answer(cmd, 0)[:RSP_LEN // 2])
    elif mode == "squat":
        try:
            c.sendall(answer(cmd, 0))
        except OSError:
            pass  # the client hung up without sending: as it should
    c.close()


def flood(n, secs):
    name = "\0" + (os.environ.get("ISCSID_IPC_NAME") or "ISCSIADM_ABSTRACT_NAMESPACE")
    socks = []
    for _ in range(n):
        # blocking: a full backlog makes a non-blocking AF_UNIX connect
        # fail with EAGAIN instead of waiting its turn
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(name)
        except OSError:
            s.close()
            continue
        s.settimeout(5)
        socks.append(s)
    time.sleep(secs)
    answered = 0
    for s in socks:
        try:
            got = b""
            while len(got) < RSP_LEN:
                d = s.recv(RSP_LEN - len(got))
                if not d:
                    break
                got += d
            if len(got) == RSP_LEN and struct.unpack("<i", got[4:8])[0] == 13:
                answered += 1
        except OSError:
            pass
        s.close()
    print("answered=%d of %d" % (answered, n))


def mute(secs):
    name = "\0" + (os.environ.get("ISCSID_IPC_NAME") or "ISCSIADM_ABSTRACT_NAMESPACE")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(name)
    s.settimeout(secs)
    t0 = time.time()
    got = b""
    try:
        while len(got) < RSP_LEN:
            d = s.recv(RSP_LEN - len(got))
            if not d:
                break
            got += d
    except OSError:
        pass
    took = time.time() - t0
    if len(got) == RSP_LEN:
        print("rc=%d after %.0f s" % (struct.unpack("<i", got[4:8])[0], took))
    else:
        print("closed after %.0f s" % took)


def main():
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "flood":
        flood(int(sys.argv[2]), float(sys.argv[3]))
    elif sys.argv[1] == "mute":
        mute(float(sys.argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
