#!/usr/bin/python3
"""Drive Debian's os-brick, unchanged, for the lab.

    osbrick.py attach|detach|extend JSON
    osbrick.py serve DIR

The first form runs one operation. The second keeps os-brick imported
(importing it takes 6-9 s under TCG) and serves requests dropped into DIR as
req-N.json ({"op", "args", "path"}: PATH selects the initiator) with
resp-N.json ({"result", "log"}); a client writes its request under another
name and renames it, and the server renames its answer into place, so
neither side sees half a file.

JSON holds "props" (the connection properties Cinder would hand to Nova),
"multipath" (use_multipath), and for detach "device_info", "force" and
"ignore_errors"; attach with "io" also writes 4 MiB through the device with
O_DIRECT and reads them back. Prints one JSON object on stdout (seconds the
os-brick call took, its result); os-brick's own debug log, with every
command it ran, goes to stderr. Exit 1 with {"error": ...} when os-brick
raised.
"""
import hashlib
import io
import json
import logging
import os
import subprocess
import sys
import time

from oslo_concurrency import lockutils
from oslo_config import cfg

import os_brick
from os_brick import privileged
from os_brick.initiator import connector


def io_check(path):
    """Write a random 4 MiB block through the device and read it back."""
    data = os.urandom(4 << 20)
    with open("/tmp/osbrick-io", "wb") as f:
        f.write(data)
    subprocess.run(["dd", "if=/tmp/osbrick-io", "of=" + path, "bs=1M", "oflag=direct",
                    "conv=fsync", "status=none"], check=True)
    back = subprocess.run(["dd", "if=" + path, "bs=1M", "count=4", "iflag=direct",
                           "status=none"], check=True, capture_output=True).stdout
    os.remove("/tmp/osbrick-io")
    return hashlib.sha256(back).hexdigest() == hashlib.sha256(data).hexdigest()


def run(op, args):
    conn = connector.InitiatorConnector.factory(
        "ISCSI", "sudo", use_multipath=args.get("multipath", False),
        device_scan_attempts=args.get("scan_attempts", 5))
    props = args["props"]
    out = {}
    start = time.monotonic()
    if op == "attach":
        info = conn.connect_volume(props)
        out["seconds"] = round(time.monotonic() - start, 2)
        out["device_info"] = info
        if args.get("io"):
            out["io_ok"] = io_check(info["path"])
    elif op == "detach":
        conn.disconnect_volume(props, args.get("device_info"),
                               force=args.get("force", False),
                               ignore_errors=args.get("ignore_errors", False))
        out["seconds"] = round(time.monotonic() - start, 2)
    elif op == "extend":
        out["new_size"] = conn.extend_volume(props)
        out["seconds"] = round(time.monotonic() - start, 2)
    else:
        raise ValueError("unknown operation " + op)
    return out


LOG_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"


def setup():
    os.makedirs("/run/lab-locks", exist_ok=True)
    lockutils.set_defaults("/run/lab-locks")
    cfg.CONF([], project="lab")  # as a service would, before os_brick.setup
    os_brick.setup(cfg.CONF)
    # privileged calls run in this process (already root), no privsep daemon
    privileged.default.set_client_mode(False)


def run_logged(op, args):
    """run, with what os-brick raised turned into {"error": ...}."""
    try:
        return run(op, args), 0
    except Exception as e:  # report what os-brick raised, as Nova would log it
        logging.exception("os-brick %s failed", op)
        return {"error": "%s: %s" % (type(e).__name__, e)}, 1


def serve(d):
    os.makedirs(d, exist_ok=True)
    root = logging.getLogger()
    open(os.path.join(d, "ready"), "w").close()
    while True:
        reqs = sorted(f for f in os.listdir(d) if f.startswith("req-"))
        if not reqs:
            time.sleep(0.05)
            continue
        for name in reqs:
            path = os.path.join(d, name)
            with open(path) as f:
                req = json.load(f)
            os.remove(path)
            os.environ["PATH"] = req.get("path") or os.environ["PATH"]
            buf = io.StringIO()
            h = logging.StreamHandler(buf)
            h.setFormatter(logging.Formatter(LOG_FORMAT))
            root.addHandler(h)
            out, _ = run_logged(req["op"], req["args"])
            root.removeHandler(h)
            tmp = os.path.join(d, "tmp-" + name[4:])
            with open(tmp, "w") as f:
                json.dump({"result": out, "log": buf.getvalue()}, f)
            os.rename(tmp, os.path.join(d, "resp-" + name[4:]))


def main():
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format=LOG_FORMAT)
    setup()
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
        return 0
    out, rc = run_logged(sys.argv[1], json.loads(sys.argv[2]))
    print(json.dumps(out))
    return rc


if __name__ == "__main__":
    sys.exit(main())
