#!/usr/bin/env python3
"""Misbehaving iSCSI portals for usr/tests/sh/test_discovery_failures.sh.
usage: discovery_peer.py MODE PORT READYFILE
  close   read the login request, then close the connection
  garbage answer the login request with random bytes
  nopin   answer with a well-formed NOP-In instead of a Login Response
  silent  accept and never send anything
Serves connections until killed; touches READYFILE once listening."""
import os, socket, sys, time

mode, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(8)
with open(ready, "w") as f:
    f.write("%d\n" % os.getpid())   # the pid to kill (python3 may be a wrapper)
held = []
while True:
    c, _ = srv.accept()
    if mode == "silent":
        held.append(c)          # keep it open, say nothing
        continue
    try:
        c.recv(48)
        if mode == "garbage":
            c.sendall(os.urandom(48) + os.urandom(200))
            time.sleep(0.2)
        elif mode == "nopin":
            bhs = bytearray(48)
            bhs[0] = 0x20
            bhs[1] = 0x80
            bhs[16:20] = b"\xff\xff\xff\xff"
            c.sendall(bytes(bhs))
            time.sleep(0.2)
    except OSError:
        pass
    c.close()
