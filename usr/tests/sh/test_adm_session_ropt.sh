#!/bin/sh
# iscsiadm -m session -r with a value that is neither a session id nor a
# sysfs path: stock says "X is an invalid session ID or path", exit 1.
exec sh usr/tests/sh/session_golden.sh session-ropt-cases
