#!/usr/bin/env python3
"""Talks iscsid's request protocol (usr/core/ipc.h) raw, for the command
tests: well-formed requests and deliberately broken ones.

usage: iscsid_ipc.py CASE
Prints "rc=N" (the daemon's answer), "closed" (no answer) or "refused"
(could not connect). Exit 0 unless the socket could not be reached.
"""
import os
import socket
import struct
import sys

MAGIC, VERSION = 0x69534944, 1
OP_PING, OP_LOGIN, OP_LOGOUT, OP_RESCAN, OP_INFO = 1, 2, 3, 4, 5
T_SID, T_LUN, T_TARGET, T_ADDR, T_PORT = 1, 2, 3, 4, 5


def field(tag, val):
    if isinstance(val, int):
        val = struct.pack(">I", val)
    elif isinstance(val, str):
        val = val.encode()
    return struct.pack(">HH", tag, len(val)) + val


def msg(op, payload=b"", magic=MAGIC, version=VERSION, length=None):
    n = len(payload) if length is None else length
    return struct.pack(">IHHiI", magic, version, op, 0, n) + payload


CASES = {
    "ping": lambda: msg(OP_PING),
    "info": lambda: msg(OP_INFO),
    "logout-unknown": lambda: msg(OP_LOGOUT, field(T_SID, 4242)),
    "rescan-unknown": lambda: msg(OP_RESCAN, field(T_SID, 4242) + field(T_LUN, 2)),
    "bad-magic": lambda: msg(OP_PING, magic=0x12345678),
    "bad-version": lambda: msg(OP_PING, version=9),
    "bad-op": lambda: msg(77),
    "huge-length": lambda: msg(OP_PING, length=1 << 30),
    "field-overrun": lambda: msg(OP_LOGOUT, struct.pack(">HH", T_SID, 200) + b"\0" * 4),
    "bad-tag": lambda: msg(OP_LOGOUT, field(99, 1)),
    "u32-wrong-size": lambda: msg(OP_LOGOUT, field(T_SID, "12")),
    "nul-in-string": lambda: msg(OP_LOGIN, field(T_TARGET, "iqn.x\0y")),
    "login-missing-fields": lambda: msg(OP_LOGIN, field(T_TARGET, "iqn.x")),
    "truncated": lambda: msg(OP_LOGOUT, field(T_SID, 1), length=64),
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
    try:
        s.sendall(CASES[case]())
        hdr = b""
        while len(hdr) < 16:
            chunk = s.recv(16 - len(hdr))
            if not chunk:
                break
            hdr += chunk
    except OSError:
        hdr = b""
    if len(hdr) < 16:
        print("closed")
        return 0
    magic, version, op, rc, n = struct.unpack(">IHHiI", hdr)
    print("rc=%d" % rc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
