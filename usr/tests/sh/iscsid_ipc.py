#!/usr/bin/env python3
"""Talks iscsid's request protocol (open-iscsi 2.1.8's management IPC,
usr/core/ipc.h) raw, for the command tests: well-formed requests and
deliberately broken ones.

usage: iscsid_ipc.py CASE
Prints "rc=N" (the daemon's answer, plus the string for config queries),
"closed" (no answer) or "refused" (could not connect). Exit 0 unless the
socket could not be reached.
"""
import os
import socket
import struct
import sys

REQ_LEN, RSP_LEN = 16104, 2464
LOGIN, LOGOUT, CONN_ADD, STATS, INAME, CONFIG_FILE, INFO = 1, 2, 5, 7, 8, 10, 13
NOTIFY_ADD_NODE, X_RESCAN = 16, 0x6901
OFF_NAME, OFF_ADDR, OFF_PORT = 32, 2252, 3280


def req(cmd, sid=0, payload_len=0, fill=None):
    body = bytearray(REQ_LEN)
    struct.pack_into("<iIi", body, 0, cmd, payload_len, sid)
    for off, val in (fill or {}).items():
        body[off:off + len(val)] = val
    return bytes(body)


def login(name=b"iqn.2026-01.test:x\0", addr=b"127.0.0.1\0", port=3260):
    return req(LOGIN, fill={OFF_NAME: name, OFF_ADDR: addr,
                            OFF_PORT: struct.pack("<i", port)})


CASES = {
    "ping": lambda: req(INAME),
    "iname": lambda: req(INAME),
    "config-file": lambda: req(CONFIG_FILE),
    "info-unknown": lambda: req(INFO, 4242),
    "logout-unknown": lambda: req(LOGOUT, 4242),
    "stats-unknown": lambda: req(STATS, 4242),
    "rescan-unknown": lambda: req(X_RESCAN, 4242),
    "conn-add": lambda: req(CONN_ADD, 1),
    "notify": lambda: req(NOTIFY_ADD_NODE, payload_len=8) + struct.pack("<I", 4) + b"abc\0",
    "bad-cmd": lambda: req(77),
    "cmd-3": lambda: req(3),
    "huge-payload": lambda: req(NOTIFY_ADD_NODE, payload_len=1 << 30),
    "login-missing-fields": lambda: req(LOGIN),
    "login-no-nul": lambda: login(name=b"A" * 255),
    "login-bad-port": lambda: login(port=70000),
    "truncated": lambda: req(LOGOUT, 1)[:5000],
    "garbage": lambda: b"GET / HTTP/1.0\r\n\r\n",
}


def main():
    case = sys.argv[1]
    name = os.environ.get("ISCSID_IPC_NAME") or "ISCSIADM_ABSTRACT_NAMESPACE"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    try:
        s.connect("\0" + name)
    except OSError:
        print("refused")
        return 1
    rsp = b""
    try:
        s.sendall(CASES[case]())
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # a refusal may come before the request is read: read it
    try:
        while len(rsp) < RSP_LEN:
            chunk = s.recv(RSP_LEN - len(rsp))
            if not chunk:
                break
            rsp += chunk
    except OSError:
        pass
    if len(rsp) < RSP_LEN:
        print("closed")
        return 0
    cmd, err = struct.unpack("<ii", rsp[:8])
    if case in ("iname", "config-file") and err == 0:
        print("rc=0 %s" % rsp[8:8 + 255].split(b"\0")[0].decode())
    else:
        print("rc=%d" % err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
