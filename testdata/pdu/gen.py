#!/usr/bin/env python3
"""Writes the PDU vectors in this folder from the RFC 7143 layouts, built
field by field here (independently of the C and Go codecs that read them).
Each NAME.hex holds one whole PDU as it goes on the wire: hex bytes, 16 a
line; lines starting with '#' are comments; the first comment line gives
'hdig=0|1 ddig=0|1' (CRC32C digests present)."""
import struct

def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return crc ^ 0xffffffff

def pdu(bhs, data=b"", hdig=False, ddig=False):
    assert len(bhs) == 48
    bhs = bytearray(bhs)
    bhs[5:8] = len(data).to_bytes(3, "big")
    out = bytes(bhs)
    if hdig:
        out += struct.pack("<I", crc32c(bhs))
    if data:
        padded = data + b"\0" * (-len(data) % 4)
        out += padded
        if ddig:
            out += struct.pack("<I", crc32c(padded))
    return out

def write(name, comment, wire, hdig=False, ddig=False):
    with open(name + ".hex", "w") as f:
        f.write("# hdig=%d ddig=%d\n" % (hdig, ddig))
        f.write("# %s\n" % comment)
        for i in range(0, len(wire), 16):
            f.write(" ".join("%02x" % b for b in wire[i:i + 16]) + "\n")

ISID = bytes([0x00, 0x02, 0x3d, 0x00, 0x00, 0x01])

def login_req():
    b = bytearray(48)
    b[0] = 0x43; b[1] = 0x80 | (0 << 2) | 1         # I, T, CSG=0 NSG=1
    b[8:14] = ISID
    struct.pack_into(">IHxxII", b, 16, 0x10, 7, 1, 0)   # ITT, CID, CmdSN, ExpStatSN
    data = b"InitiatorName=iqn.2026-01.test:init\0SessionType=Discovery\0AuthMethod=None\0"
    write("login_req", "Login Request T=1 CSG=0 NSG=1 ISID=00023d000001 ITT=0x10 CID=7 CmdSN=1", pdu(b, data))

def login_rsp():
    b = bytearray(48)
    b[0] = 0x23; b[1] = 0x80 | 1; b[2] = 0; b[3] = 0
    b[8:14] = ISID; struct.pack_into(">H", b, 14, 0x1234)
    struct.pack_into(">I", b, 16, 0x10)
    struct.pack_into(">III", b, 24, 0x55, 2, 33)      # StatSN, ExpCmdSN, MaxCmdSN
    b[36] = 0x02; b[37] = 0x01
    data = b"TargetPortalGroupTag=1\0"
    write("login_rsp_auth_fail", "Login Response status 0x0201 TSIH=0x1234 StatSN=0x55 ExpCmdSN=2 MaxCmdSN=33", pdu(b, data))

def text_rsp_cont():
    b = bytearray(48)
    b[0] = 0x24; b[1] = 0x40                          # F=0 C=1
    struct.pack_into(">II", b, 16, 0x22, 0x99)        # ITT, TTT
    struct.pack_into(">III", b, 24, 3, 4, 20)
    data = b"TargetName=iqn.2026-01.test:t1\0TargetAddress=127.0.0.1:3300,1\0TargetAdd"
    write("text_rsp_continue", "Text Response F=0 C=1 ITT=0x22 TTT=0x99 StatSN=3 ExpCmdSN=4 MaxCmdSN=20, with digests",
          pdu(b, data, True, True), True, True)

def nop_in():
    b = bytearray(48)
    b[0] = 0x20; b[1] = 0x80
    b[8:16] = bytes([0, 2, 0, 0, 0, 0, 0, 0])
    struct.pack_into(">IIIII", b, 16, 0xffffffff, 0x77, 9, 10, 40)
    write("nop_in_ping", "NOP-In ITT=reserved TTT=0x77 LUN 2 StatSN=9 ExpCmdSN=10 MaxCmdSN=40", pdu(b))

def async_msg():
    b = bytearray(48)
    b[0] = 0x32; b[1] = 0x80
    b[8:16] = bytes([0, 1, 0, 0, 0, 0, 0, 0])
    struct.pack_into(">I", b, 16, 0xffffffff)
    struct.pack_into(">III", b, 24, 11, 12, 44)
    b[36] = 0                                       # SCSI async event: sense data follows
    sense = bytes([0x70, 0, 0x06, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3f, 0x0e, 0, 0, 0, 0])
    data = struct.pack(">H", len(sense)) + sense
    write("async_scsi_event", "Async Message event 0 (SCSI) LUN 1 StatSN=11, sense 3F/0E REPORTED LUNS DATA HAS CHANGED", pdu(b, data))

def logout_rsp():
    b = bytearray(48)
    b[0] = 0x26; b[1] = 0x80; b[2] = 0
    struct.pack_into(">I", b, 16, 0x31)
    struct.pack_into(">III", b, 24, 5, 6, 37)
    struct.pack_into(">HH", b, 40, 2, 20)
    write("logout_rsp", "Logout Response success ITT=0x31 StatSN=5 Time2Wait=2 Time2Retain=20", pdu(b))

def reject():
    b = bytearray(48)
    b[0] = 0x3f; b[1] = 0x80; b[2] = 0x04                # protocol error
    struct.pack_into(">I", b, 16, 0xffffffff)
    struct.pack_into(">III", b, 24, 7, 8, 30)
    bad = bytearray(48); bad[0] = 0x04; bad[1] = 0x80
    write("reject_protocol", "Reject reason 0x04 StatSN=7, rejected header in data", pdu(b, bytes(bad)))

def scsi_read10():
    # the READ(10) of RFC 3720 B.4, with a header digest
    b = bytearray(48)
    b[0] = 0x01; b[1] = 0xc0
    b[16:20] = bytes([0x14, 0, 0, 0]); b[20:24] = bytes([0, 0, 0x04, 0])
    b[24:28] = bytes([0, 0, 0, 0x14]); b[28:32] = bytes([0, 0, 0, 0x18])
    b[32] = 0x28; b[40] = 0x02
    write("scsi_cmd_read10", "SCSI Command READ(10), RFC 3720 B.4 (header digest d9963a56)", pdu(b, b"", True), True, False)

for f in (login_req, login_rsp, text_rsp_cont, nop_in, async_msg, logout_rsp, reject, scsi_read10):
    f()
