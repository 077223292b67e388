#!/bin/sh
# iscsiadm -m session (-P 0..3, -r SID, errors) on the fake sysfs trees must
# print exactly what stock open-iscsi 2.1.8 printed on them
# (usr/tests/data/golden/session-cases; see session_golden.sh).
exec sh usr/tests/sh/session_golden.sh session-cases
