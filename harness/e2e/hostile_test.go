//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/lab/labtarget"
	"autoscan/harness/target"
)

// The hostile-target suite: one emulated target misbehaves in
// every way harness/target knows (target.HostileModes) while the project's
// iscsid also holds a session to tgtd. Each case asserts that iscsid
// survives and keeps answering, that I/O on the tgtd session goes on with
// its data verified, and that the hostile session fails (login and
// discovery modes: the command fails, nothing is left) or recovers once
// the target behaves again (full feature modes: the session is usable
// again, re-established by iscsid or by a new login, as RFC 7143 lets an
// initiator drop a connection that breaks the protocol). One guest boot
// serves the suite; the table goes to results/hostile.txt.

type hostileRow struct {
	mode                       string
	phase                      string // ffp, login, discovery
	badIO, outcome, goodWrites string
	alive                      bool
	secs                       float64
}

// badScript holds the shell helpers every case uses in the guest.
func badScript(iqn, portal string) string {
	return fmt.Sprintf(`BT=%s; BP=%s
bsids() { for s in /sys/class/iscsi_session/session*; do [ -e "$s/targetname" ] && [ "$(cat $s/targetname)" = "$BT" ] && echo ${s##*session}; done; }
bsid() { bsids | sort -n | tail -n 1; }
bdev() { s=$(bsid); [ -n "$s" ] || return 1; d=$(ls -d /sys/class/iscsi_session/session$s/device/target*/*/block/* 2>/dev/null | head -n 1); [ -n "$d" ] && echo /dev/${d##*/}; }
bnode() { iscsiadm -m node -T "$BT" -p "$BP" "$@"; }
`, iqn, portal)
}

func TestHostile(t *testing.T) {
	s := newScenario(t, "project", kindTgtd, maxLUN)
	// -d 1: logouts the target asked for and every recovery step are logged
	_, err := guest.MustRun("kill $(pidof iscsid); for i in $(seq 50); do pidof iscsid >/dev/null || exit 0; sleep 0.1; done; exit 1", 30*time.Second)
	require.NoError(t, err)
	_, err = guest.Start("exec iscsid -f -d 1", "/tmp/iscsid.log")
	require.NoError(t, err)
	_, err = guest.MustRun(`for i in $(seq 100); do grep -q '@ISCSIADM_ABSTRACT_NAMESPACE' /proc/net/unix && exit 0; sleep 0.1; done; exit 1`, 30*time.Second)
	require.NoError(t, err, "iscsid -d 1 serving")
	s.login("manual")
	s.scan("0 0 1")
	s.waitLUNs([]uint64{1}, 60*time.Second)
	good := s.blockDev(1)
	bad, err := labtarget.StartTarget(kindEmu, s.tgt.IQN()+"-hostile", 0)
	require.NoError(t, err)
	defer bad.Stop()
	srv := bad.(*labtarget.EmuTarget).Server
	portal := fmt.Sprintf("%s:%d", strings.Split(s.portal(), ":")[0], bad.Port())
	helpers := badScript(bad.IQN(), portal)
	_, err = guest.MustRun(helpers+`bnode -o new >/dev/null
for kv in node.session.scan=auto node.session.timeo.replacement_timeout=5 \
	node.conn[0].timeo.login_timeout=4 node.conn[0].timeo.noop_out_interval=2 \
	node.conn[0].timeo.noop_out_timeout=2 node.session.initial_login_retry_max=1; do
	bnode -o update -n ${kv%%=*} -v ${kv#*=}
done`, time.Minute)
	require.NoError(t, err, "record of the hostile target")
	var rows []hostileRow
	for _, h := range target.HostileModes() {
		h := h
		t.Run(h.String(), func(t *testing.T) {
			start := time.Now()
			var r hostileRow
			switch {
			case h.Discovery():
				r = hostileDiscovery(t, srv, h, helpers, portal, good)
			case h.LoginPhase():
				r = hostileLogin(t, srv, h, helpers, good)
			default:
				r = hostileFFP(t, srv, h, helpers, good)
			}
			r.mode, r.secs = h.String(), time.Since(start).Seconds()
			rows = append(rows, r)
		})
	}
	srv.SetHostile(target.HostileNone)
	table := hostileTable(rows)
	fmt.Print(table)
	_ = os.WriteFile(filepath.Join(resultsDir, "hostile.txt"), []byte(table), 0o644)
	_, _ = guest.Run(helpers+"bnode -u >/dev/null 2>&1", time.Minute)
	s.logout()
}

// goodWritesStart writes 40 random 4 KiB blocks to the tgtd LUN in the
// background; goodWritesWait compares them.
const goodWritesStart = `rm -f /tmp/gdone; dd if=/dev/urandom of=/tmp/gpat bs=4k count=40 2>/dev/null
(f=0; for i in $(seq 0 39); do [ -b %[1]s ] && dd if=/tmp/gpat of=%[1]s bs=4k seek=$i skip=$i count=1 oflag=direct conv=notrunc 2>/dev/null || f=$((f+1)); sleep 0.05; done
 cmp -n 163840 /tmp/gpat %[1]s && c=same || c=differs; echo "fails=$f data=$c" > /tmp/gdone) >/dev/null 2>&1 &
`
const goodWritesWait = `for i in $(seq 600); do [ -s /tmp/gdone ] && break; sleep 0.1; done; echo "good=$(tr ' ' ',' < /tmp/gdone)"
pidof iscsid >/dev/null && iscsiadm -m session >/dev/null 2>&1 && echo alive=yes || echo alive=no
`

func parseKV(out string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(out) {
		if k, v, ok := strings.Cut(f, "="); ok {
			m[k] = v
		}
	}
	return m
}

// checkCommon asserts what every case must show.
func checkCommon(t *testing.T, m map[string]string, r *hostileRow) {
	r.goodWrites, r.alive = m["good"], m["alive"] == "yes"
	assert.Equal(t, "fails=0,data=same", r.goodWrites, "I/O on the tgtd session")
	assert.True(t, r.alive, "iscsid alive and answering")
}

// Full feature phase: the session is up with its LUN 0 device; reads and
// writes run on it while the target turns hostile for 3 s.
func hostileFFP(t *testing.T, srv *target.Server, h target.Hostile, helpers, good string) hostileRow {
	r := hostileRow{phase: "ffp"}
	srv.SetHostile(target.HostileNone)
	// a fresh session per case: what one case leaves cannot spoil the next
	// (dd of= on a vanished /dev/sdX would create a regular file there and
	// spoil every later case: writes check for a block device first)
	_, err := guest.MustRun(helpers+`bnode -u >/dev/null 2>&1; for f in /dev/sd*; do [ -f "$f" ] && rm -f "$f"; done; bnode -l >/dev/null
for i in $(seq 100); do d=$(bdev) && [ -b "$d" ] && break; sleep 0.2; done; [ -b "$d" ]
echo 5 > /sys/block/${d#/dev/}/device/timeout
# I/O through a node of our own: when the device goes away mid-case (a
# logout) dd gets ENXIO instead of creating a regular file under /dev
mm=$(cat /sys/block/${d#/dev/}/dev); rm -f /tmp/bdev; mknod /tmp/bdev b ${mm%%:*} ${mm#*:}
rm -f /tmp/bdone
(end=$(($(date +%s) + 4)); f=0; n=0; while [ $(date +%s) -lt $end ]; do
	n=$((n+1)); timeout 8 dd if=/tmp/bdev of=/dev/null bs=4k count=4 skip=$((n % 64)) iflag=direct 2>/dev/null || f=$((f+1))
	timeout 8 dd if=/dev/zero of=/tmp/bdev bs=4k count=1 seek=$((n % 64)) oflag=direct conv=notrunc 2>/dev/null || f=$((f+1)); done
 echo "$f/$((2*n))" > /tmp/bdone) >/dev/null 2>&1 &
`+fmt.Sprintf(goodWritesStart, good), time.Minute)
	require.NoError(t, err, "hostile session up, I/O started")
	srv.SetHostile(h)
	time.Sleep(3 * time.Second)
	srv.SetHostile(target.HostileNone)
	out, err := guest.Run(helpers+`for i in $(seq 150); do [ -s /tmp/bdone ] && break; sleep 0.1; done; echo "badio=$(cat /tmp/bdone 2>/dev/null || echo stuck)"
`+goodWritesWait+`
sid0=$(bsid); how=kept; t0=$(date +%s); ok=0
for i in $(seq 60); do
	s=$(bsid)
	if [ -z "$s" ]; then bnode -l >/dev/null 2>&1; how=re-login; sleep 0.5; continue; fi
	[ "$s" != "$sid0" ] && how=re-login
	st=$(cat /sys/class/iscsi_session/session$s/state 2>/dev/null)
	d=$(bdev) && [ "$st" = LOGGED_IN ] && timeout 8 dd if=$d of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null && { echo "outcome=$how"; echo "after=$(($(date +%s)-t0))"; ok=1; break; }
	sleep 0.5
done
[ $ok = 1 ] || { echo outcome=unusable; for s in $(bsids); do echo "diag-session$s=$(cat /sys/class/iscsi_session/session$s/state)"; done; }
# nothing of the hostile session may outlive its logout
bnode -u >/dev/null 2>&1; echo "leftover=$(bsids | wc -l)"`, 3*time.Minute)
	require.NoError(t, err)
	m := parseKV(out.Stdout)
	r.badIO = "failed " + m["badio"]
	if strings.HasPrefix(m["badio"], "0/") {
		r.badIO = "all ok " + m["badio"]
	}
	r.outcome = m["outcome"]
	if m["after"] != "" {
		r.outcome += " after " + m["after"] + " s"
	}
	checkCommon(t, m, &r)
	assert.NotEqual(t, "unusable", r.outcome, "the hostile session is usable again once the target behaves: %s", out.Stdout)
	assert.Equal(t, "0", m["leftover"], "no session of the hostile target left after its logout: %s", out.Stdout)
	return r
}

// Login phase: the login fails within the login timeout and leaves no
// session; the same target behaving again accepts a login.
func hostileLogin(t *testing.T, srv *target.Server, h target.Hostile, helpers, good string) hostileRow {
	r := hostileRow{phase: "login"}
	srv.SetHostile(target.HostileNone)
	_, err := guest.MustRun(helpers+`bnode -u >/dev/null 2>&1; [ -z "$(bsid)" ]
`+fmt.Sprintf(goodWritesStart, good), time.Minute)
	require.NoError(t, err, "hostile session logged out, writes started")
	srv.SetHostile(h)
	out, err := guest.Run(helpers+`t0=$(date +%s); bnode -l >/dev/null 2>&1; echo "rc=$?"; echo "took=$(($(date +%s)-t0))"
[ -z "$(bsid)" ] && echo left=none || echo left=session
`+goodWritesWait, 3*time.Minute)
	require.NoError(t, err)
	srv.SetHostile(target.HostileNone)
	m := parseKV(out.Stdout)
	r.badIO = "login rc " + m["rc"] + " in " + m["took"] + " s"
	assert.NotEqual(t, "0", m["rc"], "login to a hostile target fails: %s", out.Stdout)
	assert.Equal(t, "none", m["left"], "no session left")
	checkCommon(t, m, &r)
	out, err = guest.Run(helpers+`bnode -l >/dev/null 2>&1; echo "rc=$?"`, 2*time.Minute)
	require.NoError(t, err)
	r.outcome = "login refused; then ok"
	if parseKV(out.Stdout)["rc"] != "0" {
		r.outcome = "login refused; then FAILED"
	}
	assert.Equal(t, "0", parseKV(out.Stdout)["rc"], "the target behaving again accepts a login")
	return r
}

// Discovery: a huge or portal-flooding SendTargets answer is refused whole
// (exit 4), no record is written for it, the existing records stay.
func hostileDiscovery(t *testing.T, srv *target.Server, h target.Hostile, helpers, portal, good string) hostileRow {
	r := hostileRow{phase: "discovery"}
	_, err := guest.MustRun(fmt.Sprintf(goodWritesStart, good), time.Minute)
	require.NoError(t, err)
	srv.SetHostile(h)
	out, err := guest.Run(helpers+`before=$(iscsiadm -m node 2>/dev/null | wc -l)
t0=$(date +%s); iscsiadm -m discovery -t st -p $BP >/dev/null 2>/tmp/derr; echo "rc=$?"; echo "took=$(($(date +%s)-t0))"
echo "records=$before/$(iscsiadm -m node 2>/dev/null | wc -l)"; echo "why=$(tail -n 1 /tmp/derr | tr ' ' _)"
`+goodWritesWait, 3*time.Minute)
	require.NoError(t, err)
	srv.SetHostile(target.HostileNone)
	m := parseKV(out.Stdout)
	r.badIO = "discovery rc " + m["rc"] + " in " + m["took"] + " s"
	r.outcome = "refused, records " + m["records"]
	assert.Equal(t, "4", m["rc"], "discovery refused: %s", strings.ReplaceAll(m["why"], "_", " "))
	before, after, _ := strings.Cut(m["records"], "/")
	assert.Equal(t, before, after, "no record written or lost")
	checkCommon(t, m, &r)
	return r
}

func hostileTable(rows []hostileRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nHostile-target suite: project iscsid, emulated target misbehaving, tgtd session beside it (%d cases)\n", len(rows))
	fmt.Fprintf(&b, "%-22s %-9s %-26s %-30s %-20s %-6s %s\n", "mode", "phase", "hostile session I/O", "outcome", "tgtd session writes", "iscsid", "secs")
	for _, r := range rows {
		alive := "alive"
		if !r.alive {
			alive = "DEAD"
		}
		fmt.Fprintf(&b, "%-22s %-9s %-26s %-30s %-20s %-6s %s\n", r.mode, r.phase, r.badIO, r.outcome,
			r.goodWrites, alive, strconv.FormatFloat(r.secs, 'f', 1, 64))
	}
	return b.String()
}
