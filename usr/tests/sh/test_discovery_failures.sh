#!/bin/sh
# iscsiadm -m discovery against portals that fail: refused, a peer that
# closes mid-login, one that answers garbage, one that answers with the
# wrong PDU, one that never answers. Each: stock's exit code and messages,
# no node record written, and the silent one times out on the configured
# login timeout without burning CPU (open-iscsi issue #155). Exit codes and
# lines are those stock 2.1.8 gave against the same peers in the qemu lab
# (retries exhausted: 11 "iSCSI PDU timed out"; silent or broken peer: 19).
set -u
. usr/tests/sh/discovery_lib.sh
[ -x "$ADM" ] || fail "build usr/iscsiadm first"

run() {  # run NAME ARGS...: exit code in $RC, stderr in $TMP/NAME.err
	name=$1; shift
	"$ADM" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; RC=$?
}
expect_rc() { [ "$RC" -eq "$2" ] || { cat "$TMP/$1.err"; fail "$1: exit $RC, expected $2"; }; }
expect_err() { grep -qF -- "$2" "$TMP/$1.err" || { cat "$TMP/$1.err"; fail "$1: no '$2'"; }; }

PORT=$(pick_port)

# 1. refused: six attempts (reopen_max 5), then stock's summary, exit 11
run refused -m discovery -t st -p 127.0.0.1:$PORT
expect_rc refused 11
[ "$(grep -c "cannot make connection to 127.0.0.1: Connection refused" "$TMP/refused.err")" -eq 6 ] ||
	fail "refused: expected 6 connection attempts"
expect_err refused "connection login retries (reopen_max) 5 exceeded"
expect_err refused "iscsiadm: Could not perform SendTargets discovery: iSCSI PDU timed out"
[ ! -s "$TMP/refused.out" ] || fail "refused: printed something on stdout"
no_node_records refused
ok "refused portal: exit 11, 6 attempts"

# Quicker retries for the rest.
cat > "$ISCSI_ETC_DIR/iscsid.conf" <<CONF
discovery.sendtargets.reopen_max = 1
discovery.sendtargets.timeo.login_timeout = 2
CONF

# 2. peer closes the connection in the middle of the login
rm -rf "$ISCSI_ETC_DIR/send_targets"
peer_start close "$PORT"
run close -m discovery -t st -p 127.0.0.1:$PORT
peer_stop
expect_rc close 11
expect_err close "Connection to Discovery Address 127.0.0.1 closed"
expect_err close "Login I/O error, failed to receive a PDU"
expect_err close "retrying discovery login to 127.0.0.1"
expect_err close "connection login retries (reopen_max) 1 exceeded"
expect_err close "Could not perform SendTargets discovery: iSCSI PDU timed out"
no_node_records close
ok "peer closing mid-login: exit 11"

# 3. garbage instead of a login response
peer_start garbage "$PORT"
run garbage -m discovery -t st -p 127.0.0.1:$PORT
peer_stop
case $RC in 11|19) ;; *) cat "$TMP/garbage.err"; fail "garbage: exit $RC";; esac
expect_err garbage "Could not perform SendTargets discovery"
no_node_records garbage
ok "garbage answer: exit $RC, clear error"

# 4. a well-formed PDU of the wrong kind: a protocol error, not retried
peer_start nopin "$PORT"
run nopin -m discovery -t st -p 127.0.0.1:$PORT
peer_stop
expect_rc nopin 19
expect_err nopin "target sent NOP-In during login"
expect_err nopin "discovery login to 127.0.0.1 failed, giving up 7"
expect_err nopin "Could not perform SendTargets discovery: "
no_node_records nopin
ok "NOP-In during login: exit 19"

# 5. a target that logs in fine but knows no targets: "No portals found", 21
peer_start empty "$PORT"
run empty -m discovery -t st -p 127.0.0.1:$PORT
peer_stop
expect_rc empty 21
expect_err empty "iscsiadm: No portals found"
no_node_records empty
ok "empty SendTargets answer: exit 21"

# 6. accepts and never answers: one login_timeout (2 s), then give up (19)
peer_start silent "$PORT"
# wall clock and CPU of the iscsiadm process, measured by python3 (package
# "time" is not on every machine): "WALL USER SYS" into $TMP/time
python3 - "$TMP/time" "$TMP/silent.out" "$TMP/silent.err" "$ADM" -m discovery -t st \
	-p 127.0.0.1:$PORT <<'PY'; RC=$?
import resource, subprocess, sys, time
res, out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
# children's times survive exec: a pyenv shim's own helpers are already
# counted here, so only the difference is iscsiadm's
u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t = time.monotonic()
rc = subprocess.call(cmd, stdout=open(out, "w"), stderr=open(err, "w"))
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(res, "w").write("%.2f %.2f %.2f\n" % (time.monotonic() - t, u.ru_utime - u0.ru_utime,
                                           u.ru_stime - u0.ru_stime))
sys.exit(rc)
PY
peer_stop
expect_rc silent 19
expect_err silent "Login response timeout. Waited 2 seconds and did not get response PDU."
expect_err silent "discovery login to 127.0.0.1 failed, giving up 2"
no_node_records silent
read -r wall user sys <<EOF2
$(tail -n 1 "$TMP/time")
EOF2
echo "silent peer: wall ${wall}s user ${user}s sys ${sys}s"
awk -v w="$wall" 'BEGIN { exit !(w >= 1.9 && w < 5) }' || fail "silent: took ${wall}s, expected ~2 s"
awk -v u="$user" -v s="$sys" 'BEGIN { exit !(u + s < 0.3) }' || fail "silent: used ${user}+${sys} s of CPU"
ok "silent peer: timed out after ${wall}s using ${user}+${sys}s CPU"
