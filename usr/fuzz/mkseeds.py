#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into usr/fuzz/corpus/<target>/
from the project's test vectors (testdata/pdu, testdata/sense, the record
goldens, Debian's iscsid.conf, the fake sysfs trees) plus a few hand-made
inputs in each target's input format. Run from the top directory; the
output is committed, so `make fuzz` needs no Python."""
import glob, os, struct

OUT = "usr/fuzz/corpus"

def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def hexfile(path):
    """testdata .hex: '# hdig=H ddig=D' header, then hex bytes."""
    hdig = ddig = 0
    raw = []
    for line in open(path):
        line = line.strip()
        if line.startswith("#"):
            for w in line[1:].split():
                if w.startswith("hdig="): hdig = int(w[5:])
                if w.startswith("ddig="): ddig = int(w[5:])
            continue
        raw += [int(x, 16) for x in line.split()]
    return hdig, ddig, bytes(raw)

def kv(*pairs):
    return b"".join(k.encode() + b"=" + v.encode() + b"\0" for k, v in pairs)

# PDU decode: flags byte (hdig|ddig<<1) + wire bytes
for p in sorted(glob.glob("testdata/pdu/*.hex")):
    h, d, b = hexfile(p)
    put("fuzz_pdu", os.path.basename(p)[:-4], bytes([h | d << 1]) + b)

# sense and AEN: raw sense; AEN data behind a 48-byte async BHS
for p in sorted(glob.glob("testdata/sense/*.hex")):
    _, _, b = hexfile(p)
    put("fuzz_sense", os.path.basename(p)[:-4], b)
    bhs = bytearray(48); bhs[0] = 0x32; bhs[1] = 0x80
    put("fuzz_sense", "async_" + os.path.basename(p)[:-4], bytes(bhs) + b)
for ev in (1, 2, 3, 4, 255):
    bhs = bytearray(48); bhs[0] = 0x32; bhs[1] = 0x80; bhs[36] = ev
    put("fuzz_sense", "event%d" % ev, bytes(bhs))

# negotiation: our settings byte + the target's keys
op = kv(("HeaderDigest", "CRC32C"), ("DataDigest", "None"), ("MaxRecvDataSegmentLength", "65536"),
        ("MaxBurstLength", "131072"), ("FirstBurstLength", "65536"), ("ImmediateData", "Yes"),
        ("InitialR2T", "No"), ("MaxConnections", "1"), ("ErrorRecoveryLevel", "0"),
        ("DefaultTime2Wait", "2"), ("DefaultTime2Retain", "0"), ("MaxOutstandingR2T", "1"),
        ("DataPDUInOrder", "Yes"), ("DataSequenceInOrder", "Yes"), ("IFMarker", "No"),
        ("OFMarker", "No"), ("TargetAlias", "shelf"), ("TargetPortalGroupTag", "1"))
put("fuzz_negotiate", "tgtd_answer", b"\x06" + op)
put("fuzz_negotiate", "discovery", b"\x01" + kv(("MaxRecvDataSegmentLength", "8192"), ("HeaderDigest", "None")))
put("fuzz_negotiate", "offers", b"\x00" + kv(("X-com.example.key", "1"), ("MaxBurstLength", "512"),
                                             ("TaskReporting", "RFC3720,ResponseFence"), ("IFMarkInt", "1~65535")))
put("fuzz_negotiate", "reject", b"\x10" + kv(("DataDigest", "Reject"), ("HeaderDigest", "Irrelevant")))

# login: settings byte, then responses (flags, class, detail, u16 len, text)
def rsp(t, c, csg, nsg, text, cls=0, det=0):
    fl = (0x80 if t else 0) | (0x40 if c else 0) | csg << 2 | nsg
    return bytes([fl, cls, det]) + struct.pack(">H", len(text)) + text
put("fuzz_login", "none_normal", b"\x00" + rsp(1, 0, 0, 1, kv(("AuthMethod", "None"))) + rsp(1, 0, 1, 3, op))
put("fuzz_login", "digests_required", b"\x28" + rsp(1, 0, 0, 1, kv(("AuthMethod", "None"))) + rsp(1, 0, 1, 3, op))
put("fuzz_login", "skip_operational", b"\x08" + rsp(1, 0, 0, 3, kv(("AuthMethod", "None"))))
put("fuzz_login", "chap", b"\x02" + rsp(0, 0, 0, 0, kv(("AuthMethod", "CHAP"))) +
    rsp(0, 0, 0, 0, kv(("CHAP_A", "5"), ("CHAP_I", "3"), ("CHAP_C", "0x0102030405060708"))) +
    rsp(1, 0, 0, 1, b"") + rsp(1, 0, 1, 3, op))
put("fuzz_login", "mutual", b"\x06" + rsp(0, 0, 0, 0, kv(("AuthMethod", "CHAP"))) +
    rsp(0, 0, 0, 0, kv(("CHAP_A", "7"), ("CHAP_I", "0x10"), ("CHAP_C", "0b" + "AAECAwQFBgc="))) +
    rsp(1, 0, 0, 1, kv(("CHAP_N", "tgt"), ("CHAP_R", "0x00"))) + rsp(1, 0, 1, 3, op))
put("fuzz_login", "continued", b"\x01" + rsp(0, 1, 0, 1, b"AuthMethod=No") + rsp(1, 0, 0, 1, b"ne\0") + rsp(1, 0, 1, 3, b""))
put("fuzz_login", "redirect", b"\x00" + rsp(1, 0, 0, 1, kv(("TargetAddress", "[fd00::1]:3261,2")), 1, 2))
put("fuzz_login", "reject", b"\x00" + rsp(1, 0, 0, 1, b"", 2, 1))

# SendTargets: chunk byte, then the answer
st = kv(("TargetName", "iqn.2026-01.example:one"), ("TargetAddress", "10.0.0.1:3260,1"),
        ("TargetAddress", "[fd00::1]:3260,2"), ("TargetName", "iqn.2026-01.example:two"),
        ("TargetName", "iqn.2026-01.example:three"), ("TargetAddress", "host.example:3261,3"))
put("fuzz_sendtargets", "three", b"\x02" + st)
put("fuzz_sendtargets", "bad", b"\x00" + kv(("TargetName", ""), ("TargetAddress", "[zz:1"), ("TargetName", "iqn.x:\x1b[2J")))

# CHAP: selector byte + value or list
for i, v in enumerate(["0x0102030405060708", "0bAAECAwQFBgc=", "0X" + "ab" * 64, "SHA3-256,SHA256,SHA1,MD5", "MD5", "", "0x"]):
    put("fuzz_chap", "v%d" % i, bytes([i]) + v.encode())

# records: kind byte + file text
for p in sorted(glob.glob("usr/tests/data/golden/*show*.out")):
    b = open(p, "rb").read()
    kind = 1 if "disc" in p else 2 if "iface" in p else 0
    put("fuzz_rec", os.path.basename(p)[:-4], bytes([kind]) + b)
put("fuzz_rec", "node_min", b"\x00" + b"node.name = iqn.2026-01.example:a\nnode.tpgt = 1\nnode.conn[0].address = 10.0.0.1\nnode.conn[0].port = 3260\nnode.session.autoscan_en = No\n")

# iscsid.conf and initiatorname.iscsi
put("fuzz_conf", "debian", open("usr/tests/data/iscsid.conf.debian", "rb").read())
put("fuzz_conf", "initiatorname", b"## comment\nInitiatorName=iqn.1993-08.org.debian:01:abcdef\n")
put("fuzz_conf", "autoscan", b"node.session.autoscan_en = No\nnode.session.scan = manual\nnode.startup = automatic\n")

# IPC: header (magic, version, op, rc, len) + TLV fields
# iscsid's requests are stock 2.1.8's fixed layout: the seed is a login
# request captured from stock iscsiadm (testdata/ipc).
put("fuzz_ipc", "stock-login", open("testdata/ipc/stock-2.1.8-login.bin", "rb").read())

# netlink: nlmsghdr + iscsi_uevent (type, iferror, transport_handle, ...)
def nl(typ, body):
    hdr = struct.pack("=IHHII", 16 + len(body), 0x10, 0, 1, 0)
    return hdr + body
ue = struct.pack("=IIQ", 102, 0, 1) + bytes(40)
put("fuzz_netlink", "conn_error", nl(0x10, struct.pack("=IIQ", 201, 0, 1) + struct.pack("=III", 1, 0, 1011) + bytes(28)))
put("fuzz_netlink", "recv_pdu", nl(0x10, struct.pack("=IIQ", 202, 0, 1) + struct.pack("=IIQ", 1, 0, 0) + bytes(24) + bytes(48)))
put("fuzz_netlink", "create_session_reply", nl(0x10, ue))

# sysfs: NUL-separated attribute values in fuzz_sysfs.c's order
s1 = "usr/tests/data/sysfs/two-sessions/class/iscsi_session/session1/"
def attr(path):
    try:
        return open(path, "rb").read().rstrip(b"\n")
    except OSError:
        return b""
vals = [attr(s1 + a) for a in ("targetname", "tpgt", "recovery_tmo", "username", "password", "state",
                               "ifacename", "initiatorname", "first_burst_len", "immediate_data")]
vals += [b"10.0.2.2", b"3260", b"10.0.2.2", b"3260", b"up", b"None", b"262144", b"18446744072635809792"]
put("fuzz_sysfs", "two_sessions", b"\0".join(v + b"\n" for v in vals))
put("fuzz_sysfs", "v6", b"\0".join([b"iqn.x:y\n", b"-1\n", b"120\n", b"\n", b"\n", b"LOGGED_IN\n", b"default\n",
                                     b"iqn.i\n", b"x\n", b"1\n", b"fd00::1\n", b"65536\n", b"fd00::1\n", b"3260\n"]))
