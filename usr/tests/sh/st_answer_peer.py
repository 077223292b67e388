#!/usr/bin/env python3
"""A discovery portal that answers SendTargets with the bytes of a file
(for usr/tests/sh/test_discovery_hostile.sh and the crash test).
usage: st_answer_peer.py PORT READYFILE ANSWERFILE
Logs in without authentication, sends ANSWERFILE in Text Responses of at
most 8192 bytes (C bit and a target transfer tag while more follows),
answers the logout. Serves connections until killed; writes its pid to
READYFILE once listening."""
import os, socket, sys

port, ready, answer = int(sys.argv[1]), sys.argv[2], sys.argv[3]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(8)
with open(ready, "w") as f:
    f.write("%d\n" % os.getpid())

def recv_pdu(c):
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

def rsp(op, flags, req, statsn, data=b"", ttt=0xffffffff):
    b = bytearray(48)
    b[0], b[1] = op, flags
    b[5:8] = len(data).to_bytes(3, "big")
    if op == 0x23:
        b[8:16] = req[8:16]
        b[14:16] = b"\x00\x01" if flags & 3 == 3 else b"\x00\x00"
    b[16:20] = req[16:20]
    if op == 0x24:
        b[20:24] = ttt.to_bytes(4, "big")
    cmdsn = int.from_bytes(req[24:28], "big")
    b[24:28] = statsn.to_bytes(4, "big")
    b[28:32] = cmdsn.to_bytes(4, "big")
    b[32:36] = (cmdsn + 8).to_bytes(4, "big")
    return bytes(b) + data + b"\0" * (-len(data) % 4)

def serve(c, body):
    statsn = 1
    while True:
        req, _ = recv_pdu(c)
        if req[0] & 0x3f != 0x03:
            break
        stages = req[1] & 0x0f
        data = b"MaxRecvDataSegmentLength=8192\0" if stages & 3 == 3 else b""
        c.sendall(rsp(0x23, 0x80 | stages, req, statsn, data))
        statsn += 1
    off = 0
    while True:                                     # req: a Text Request
        part = body[off:off + 8192]
        off += len(part)
        last = off >= len(body)
        c.sendall(rsp(0x24, 0x80 if last else 0x40, req, statsn, part,
                      0xffffffff if last else 0x1234))
        statsn += 1
        if last:
            break
        req, _ = recv_pdu(c)
    req, _ = recv_pdu(c)                            # logout
    c.sendall(rsp(0x26, 0x80, req, statsn))

while True:
    c, _ = srv.accept()
    try:
        with open(answer, "rb") as f:
            serve(c, f.read())
    except OSError:
        pass
    c.close()
