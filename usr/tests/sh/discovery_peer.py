#!/usr/bin/env python3
"""Misbehaving iSCSI portals for usr/tests/sh/test_discovery_failures.sh.
usage: discovery_peer.py MODE PORT READYFILE
  close   read the login request, then close the connection
  garbage answer the login request with random bytes
  nopin   answer with a well-formed NOP-In instead of a Login Response
  silent  accept and never send anything
  empty   log in properly, answer SendTargets with nothing, log out
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

def recv_pdu(c):
    """One PDU without digests: (bhs, data)."""
    bhs = b""
    while len(bhs) < 48:
        chunk = c.recv(48 - len(bhs))
        if not chunk:
            raise OSError("closed")
        bhs += chunk
    dlen = int.from_bytes(bhs[5:8], "big")
    want = bhs[4] * 4 + dlen + (-dlen % 4)
    data = b""
    while len(data) < want:
        chunk = c.recv(want - len(data))
        if not chunk:
            raise OSError("closed")
        data += chunk
    return bhs, data[:dlen]

def rsp(op, flags, req, statsn, data=b"", extra=b""):
    """A response echoing the request's ITT (and ISID/TSIH for login)."""
    b = bytearray(48)
    b[0], b[1] = op, flags
    b[5:8] = len(data).to_bytes(3, "big")
    if op == 0x23:
        b[8:16] = req[8:16]
        b[14:16] = b"\x00\x01" if flags & 3 == 3 else b"\x00\x00"
    b[16:20] = req[16:20]
    if op == 0x24:
        b[20:24] = b"\xff\xff\xff\xff"
    cmdsn = int.from_bytes(req[24:28], "big")
    b[24:28] = statsn.to_bytes(4, "big")
    b[28:32] = cmdsn.to_bytes(4, "big")
    b[32:36] = (cmdsn + 8).to_bytes(4, "big")
    return bytes(b) + data + b"\0" * (-len(data) % 4)

def serve_empty(c):
    statsn = 1
    while True:                                     # login: agree to every stage change
        req, _ = recv_pdu(c)
        if req[0] & 0x3f != 0x03:
            break
        stages = req[1] & 0x0f                      # echo CSG and NSG, set T
        data = b"MaxRecvDataSegmentLength=8192\0" if stages & 3 == 3 else b""
        c.sendall(rsp(0x23, 0x80 | stages, req, statsn, data))
        statsn += 1
    c.sendall(rsp(0x24, 0x80, req, statsn))         # SendTargets: F=1, no targets
    req, _ = recv_pdu(c)                            # logout
    c.sendall(rsp(0x26, 0x80, req, statsn + 1))

while True:
    c, _ = srv.accept()
    if mode == "silent":
        held.append(c)          # keep it open, say nothing
        continue
    try:
        if mode == "empty":
            serve_empty(c)
            c.close()
            continue
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
