//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"autoscan/harness/lab"
)

// scenario is one row of the matrix in progress: an initiator in the
// guest, a fresh target on the host, a capture of the target's port.
type scenario struct {
	t         *testing.T
	initiator string
	kind      string
	tgt       targetUnderTest
	capt      *lab.Capture
	pcap      string
	consoleAt int64
	iscsidPID int
	host      int // SCSI host number of the session, after login
}

// newScenario resets the guest, starts a target with LUNs 0..maxLUN and the
// capture, and starts iscsid. Cleanup undoes it all and keeps artefacts
// of a failed scenario under results/.
func newScenario(t *testing.T, initiator, kind string, maxLUN int) *scenario {
	t.Helper()
	require.NoError(t, guest.SetInitiator(initiator))
	require.NoError(t, resetGuest(), "guest reset before the scenario")
	s := &scenario{t: t, initiator: initiator, kind: kind, host: -1,
		consoleAt: fileSize(guest.ConsoleLog)}
	iqn := fmt.Sprintf("iqn.2026-11.lab.autoscan:%s-%d", kind, time.Now().UnixNano()%100000)
	tgt, err := startTarget(kind, iqn, maxLUN)
	require.NoError(t, err, "start %s target", kind)
	s.tgt = tgt
	s.pcap = filepath.Join(t.TempDir(), "capture.pcap")
	s.capt, err = lab.StartCapture(s.pcap, tgt.Port())
	if err != nil {
		tgt.Stop()
		require.NoError(t, err)
	}
	t.Cleanup(s.finish)
	s.startIscsid()
	return s
}

func (s *scenario) startIscsid() { s.iscsidPID = startIscsid(s.t) }

// startIscsid starts the selected initiator's iscsid in the foreground
// (log in /tmp/iscsid.log) and returns once its socket is bound.
func startIscsid(t *testing.T) int {
	_, _ = guest.Run("rm -f /tmp/iscsid.log", 10*time.Second)
	pid, err := guest.Start("exec iscsid -f", "/tmp/iscsid.log")
	require.NoError(t, err)
	// iscsiadm needs iscsid's abstract socket; wait until it is bound.
	_, err = guest.MustRun(`for i in $(seq 100); do
		grep -q '@ISCSIADM_ABSTRACT_NAMESPACE' /proc/net/unix && exit 0; sleep 0.1; done; exit 1`,
		30*time.Second)
	require.NoError(t, err, "iscsid did not open its socket")
	return pid
}

// finish runs at cleanup: log out, stop everything, keep artefacts.
func (s *scenario) finish() {
	resetErr := resetGuest()
	if s.capt != nil {
		_ = s.capt.Stop()
	}
	if s.t.Failed() || resetErr != nil {
		s.keepArtefacts()
	}
	s.tgt.Stop()
	if resetErr != nil {
		s.t.Errorf("guest reset after the scenario: %v", resetErr)
	}
}

// login creates the node record by hand (SendTargets would name
// 127.0.0.1), sets node.session.scan and logs in.
func (s *scenario) login(scan string) {
	s.loginWith([][2]string{{"node.session.scan", scan}})
}

// loginWith is login with any record settings (name, value) applied first,
// e.g. the project's node.session.autoscan_en.
func (s *scenario) loginWith(settings [][2]string) {
	node := s.nodeOf(s.tgt.IQN())
	script := "set -e\n" + node + " -o new >/dev/null\n" + recordUpdates(node, settings) + node + " -l\n"
	_, err := guest.MustRun(script, 60*time.Second)
	require.NoError(s.t, err, "login")
	out, err := guest.MustRun("ls /sys/class/iscsi_host", 10*time.Second)
	require.NoError(s.t, err)
	hosts := strings.Fields(out.Stdout)
	require.Len(s.t, hosts, 1, "one iSCSI host after login")
	s.host, err = strconv.Atoi(strings.TrimPrefix(hosts[0], "host"))
	require.NoError(s.t, err)
}

func (s *scenario) portal() string {
	return fmt.Sprintf("%s:%d", lab.HostAddr, s.tgt.Port())
}

// luns lists the LUNs of the session's SCSI host in the guest.
func (s *scenario) luns() []uint64 {
	l, err := guest.LUNs(s.host)
	require.NoError(s.t, err)
	return l
}

// waitLUNs waits until exactly want is present, then until the list holds
// still (so a late extra LUN would still be seen).
func (s *scenario) waitLUNs(want []uint64, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	var got []uint64
	for time.Now().Before(deadline) {
		if got = s.luns(); equalLUNs(got, want) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	got = s.settle()
	require.Equal(s.t, fmtLUNs(want), fmtLUNs(got), "SCSI devices of host%d", s.host)
}

// settle polls until the LUN list has not changed for 3 s (at most 30 s):
// the way to assert that nothing (more) appears.
func (s *scenario) settle() []uint64 { return s.settleFor(3 * time.Second) }

func (s *scenario) settleFor(quiet time.Duration) []uint64 {
	last, since := s.luns(), time.Now()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); {
		time.Sleep(500 * time.Millisecond)
		cur := s.luns()
		if !equalLUNs(cur, last) {
			last, since = cur, time.Now()
			continue
		}
		if time.Since(since) >= quiet {
			break
		}
	}
	return last
}

// blockDev is /dev/sdX of LUN lun on the session's host. sd attaches the
// disk after the SCSI device shows in sysfs (its probe may run
// asynchronously), so the block name is waited for, within a bound.
func (s *scenario) blockDev(lun uint64) string {
	hctl := ""
	for end := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		devs, err := guest.SCSIDevices()
		require.NoError(s.t, err)
		for _, d := range devs {
			if d.Host == s.host && d.LUN == lun {
				if d.Block != "" {
					return "/dev/" + d.Block
				}
				hctl = d.HCTL
			}
		}
		if time.Now().After(end) {
			break
		}
	}
	if hctl != "" {
		s.t.Fatalf("sd never attached to %s (no block device in 30 s)", hctl)
	}
	s.t.Fatalf("no SCSI device for LUN %d", lun)
	return ""
}

// scan writes "C T L" to the session host's scan file.
func (s *scenario) scan(spec string) {
	require.NoError(s.t, guest.Scan(s.host, spec), "scan %q", spec)
}

// audit decodes what the capture holds so far with harness/audit and
// checks that tshark sees commands to the same LUNs.
func (s *scenario) audit() auditReport {
	r := auditTarget(s, s.tgt.IQN())
	ts, err := tsharkLUNs(s.pcap, s.tgt.Port())
	require.NoError(s.t, err)
	require.Equal(s.t, fmtLUNs(ts), fmtLUNs(r.luns()), "LUNs addressed: tshark vs harness/audit")
	return r
}

// verdict is the audit's verdict for allow-list allow (none = no LUN).
func (s *scenario) verdict(a auditReport, allow ...uint64) (bool, []uint64) {
	clean, bad, err := a.verdict(allow...)
	require.NoError(s.t, err)
	s.t.Logf("verdict with allow-list %v: clean %v, violations on LUNs %v", allow, clean, bad)
	return clean, bad
}

// logout ends the session (and with it the SCSI host and its devices).
func (s *scenario) logout() { logoutOf(s, s.tgt.IQN()) }

// nodeOf is the iscsiadm command line naming the record of target iqn at
// the scenario's portal; operations and options follow it.
func (s *scenario) nodeOf(iqn string) string {
	return fmt.Sprintf("iscsiadm -m node -T %s -p %s", iqn, s.portal())
}

// recordUpdates is the script lines that apply record settings (name,
// value) with node, a command line from nodeOf.
func recordUpdates(node string, settings [][2]string) string {
	var b strings.Builder
	for _, kv := range settings {
		fmt.Fprintf(&b, "%s -o update -n %s -v %s\n", node, kv[0], kv[1])
	}
	return b.String()
}

// resetGuest leaves no session, device, record or iscsid behind. When the
// initiator under test cannot log out (its iscsid died or was killed by
// the scenario), stock iscsid takes the kernel sessions over and does.
func resetGuest() error {
	script := `iscsiadm -m node -u >/dev/null 2>&1
if [ -n "$(ls /sys/class/iscsi_session)" ]; then
	killall -9 iscsid 2>/dev/null; sleep 0.5
	/stock/sbin/iscsid
	# the takeover reconnects first; logout works once that is done
	for i in $(seq 15); do
		/stock/sbin/iscsiadm -m session -u >/dev/null 2>&1 && break; sleep 1
	done
fi
for d in /sys/class/scsi_device/*/device/delete; do [ -e "$d" ] && echo 1 > "$d"; done
killall iscsid 2>/dev/null
for i in $(seq 50); do pidof iscsid >/dev/null || break; sleep 0.1; done
killall -9 iscsid 2>/dev/null
rm -rf /etc/iscsi/nodes/* /etc/iscsi/send_targets/*
ls /sys/class/iscsi_session; ls /sys/class/scsi_device`
	r, err := guest.Run(script, 90*time.Second)
	if err != nil {
		return err
	}
	if left := strings.Fields(r.Stdout); len(left) > 0 {
		return fmt.Errorf("left behind: %v", left)
	}
	return nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// keepArtefacts copies the capture, this scenario's part of the console
// log, iscsid's log and dmesg into results/<test>/.
func (s *scenario) keepArtefacts() {
	dir := filepath.Join(resultsDir, unsafeName.ReplaceAllString(s.t.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.t.Logf("artefacts: %v", err)
		return
	}
	if b, err := os.ReadFile(s.pcap); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "capture.pcap"), b, 0o644)
	}
	if b, err := os.ReadFile(guest.ConsoleLog); err == nil && int64(len(b)) >= s.consoleAt {
		_ = os.WriteFile(filepath.Join(dir, "console.log"), b[s.consoleAt:], 0o644)
	}
	for name, path := range map[string]string{"iscsid.log": "/tmp/iscsid.log"} {
		if out, err := guest.ReadFile(path); err == nil {
			_ = os.WriteFile(filepath.Join(dir, name), []byte(out), 0o644)
		}
	}
	if r, err := guest.Run("dmesg", 10*time.Second); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "dmesg.txt"), []byte(r.Stdout), 0o644)
	}
	s.t.Logf("artefacts kept in %s", dir)
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

func equalLUNs(a, b []uint64) bool {
	return fmtLUNs(a) == fmtLUNs(b)
}

// fmtLUNs prints l in numeric order (sysfs lists 10 before 2).
func fmtLUNs(l []uint64) string {
	c := append([]uint64(nil), l...)
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	return fmt.Sprint(c)
}
