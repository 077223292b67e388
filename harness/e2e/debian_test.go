//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"autoscan/harness/audit"
	"autoscan/harness/lab"
)

// The Debian guest: Debian 12 with os-brick, multipathd and udev, booted
// once per package run on first use (tests that do not need it never pay
// for the root build) and shut down by TestMain.
var (
	debOnce  sync.Once
	debGuest *lab.Guest
	debImage *lab.Image
	debErr   error
)

func debianGuest(t *testing.T) *lab.Guest {
	t.Helper()
	debOnce.Do(func() {
		start := time.Now()
		var root *lab.DebRoot
		debImage, root, debErr = lab.BuildDebian(lab.DebianOptions{})
		if debErr != nil {
			return
		}
		built := time.Since(start)
		debGuest, debErr = lab.Boot(lab.BootOptions{Image: debImage,
			ConsoleLog: filepath.Join(resultsDir, "console-debian.log"), Timeout: 5 * time.Minute})
		if debErr != nil {
			return
		}
		fmt.Printf("e2e: %s, image ready in %.1f s; Debian guest boot to ready %.1f s\n",
			root, built.Seconds(), debGuest.BootSeconds)
		if debErr = startBrickServer(debGuest); debErr != nil {
			return
		}
		// udev and multipathd come up after the agent; wait for both
		_, debErr = debGuest.MustRun(`for i in $(seq 120); do
			multipathd show config >/dev/null 2>&1 && [ -S /run/udev/control ] && exit 0; sleep 0.5; done
			echo "multipathd or udevd not up" >&2; exit 1`, 90*time.Second)
	})
	require.NoError(t, debErr, "Debian guest")
	return debGuest
}

// shutdownDebian powers the Debian guest off, if it was booted.
func shutdownDebian() {
	if debGuest != nil {
		if err := debGuest.Shutdown(); err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
		}
	}
	if debImage != nil {
		debImage.Remove()
	}
}

// debReset leaves the Debian guest without sessions, SCSI devices,
// multipath maps, records or iscsid. When the initiator under test cannot
// log out, stock iscsid takes the sessions over and does.
func debReset(g *lab.Guest) error {
	script := `iscsiadm -m node -u >/dev/null 2>&1
if [ -n "$(ls /sys/class/iscsi_session)" ]; then
	killall -9 iscsid 2>/dev/null; sleep 0.5
	/usr/sbin/iscsid
	for i in $(seq 15); do /usr/sbin/iscsiadm -m session -u >/dev/null 2>&1 && break; sleep 1; done
fi
multipath -F >/dev/null 2>&1
for d in /sys/class/scsi_device/*/device/delete; do [ -e "$d" ] && echo 1 > "$d"; done
multipath -F >/dev/null 2>&1
killall iscsid 2>/dev/null
for i in $(seq 50); do pidof iscsid >/dev/null || break; sleep 0.1; done
killall -9 iscsid 2>/dev/null
rm -rf /etc/iscsi/nodes/* /etc/iscsi/send_targets/* /etc/iscsi/nodes_ext
echo reset-done
` + guestStateScript
	r, err := g.Run(script, 120*time.Second)
	if err != nil {
		return err
	}
	if !strings.Contains(r.Stdout, "reset-done") {
		return fmt.Errorf("reset script did not finish: exit %d %s", r.Exit, r.Stderr)
	}
	if st := parseGuestState(r.Stdout); len(st.devices)+len(st.maps)+st.sessions > 0 {
		return fmt.Errorf("left behind: %s", st)
	}
	return nil
}

// debResetIfNeeded resets only a guest that is not clean already (every
// scenario resets at its end; this catches a reset that failed).
func debResetIfNeeded(g *lab.Guest) error {
	r, err := g.Run("pidof iscsid; ls -A /etc/iscsi/nodes; ls -A /etc/iscsi/send_targets; "+guestStateScript, 30*time.Second)
	if err == nil && strings.TrimSpace(r.Stdout) == "" {
		return nil
	}
	return debReset(g)
}

// guestStateScript lists sessions, SCSI devices and multipath maps with
// the H:C:T:L of each map's paths.
const guestStateScript = `for s in /sys/class/iscsi_session/*; do [ -e "$s" ] && echo "session ${s##*/}"; done
for d in /sys/class/scsi_device/*; do [ -e "$d" ] && echo "dev ${d##*/} $(ls $d/device/block 2>/dev/null)"; done
for m in /sys/block/dm-*; do
	[ -e "$m/dm/uuid" ] || continue
	case "$(cat $m/dm/uuid)" in mpath-*) ;; *) continue;; esac
	p=""
	for s in $m/slaves/*; do [ -e "$s" ] && p="$p $(basename "$(readlink -f "$s/device")")"; done
	echo "map $(cat $m/dm/name) ${m##*/}$p"
done
exit 0`

// guestState is what the guest holds: sessions, SCSI devices (H:C:T:L)
// and multipath maps with their paths.
type guestState struct {
	sessions int
	devices  []string // H:C:T:L
	blocks   map[string]string
	maps     []dmMap
}

type dmMap struct {
	name, dev string
	paths     []string // H:C:T:L of each path
}

func parseGuestState(out string) guestState {
	st := guestState{blocks: map[string]string{}}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 2 && f[0] == "session":
			st.sessions++
		case len(f) >= 2 && f[0] == "dev":
			st.devices = append(st.devices, f[1])
			if len(f) > 2 {
				st.blocks[f[1]] = f[2]
			}
		case len(f) >= 3 && f[0] == "map":
			st.maps = append(st.maps, dmMap{name: f[1], dev: f[2], paths: f[3:]})
		}
	}
	return st
}

func (st guestState) String() string {
	var maps []string
	for _, m := range st.maps {
		maps = append(maps, fmt.Sprintf("%s[%s]", m.name, strings.Join(m.paths, ",")))
	}
	return fmt.Sprintf("%d sessions, devices %v, maps %v", st.sessions, st.devices, maps)
}

func readGuestState(t *testing.T, g *lab.Guest) guestState {
	r, err := g.MustRun(guestStateScript, 30*time.Second)
	require.NoError(t, err)
	return parseGuestState(r.Stdout)
}

func hctlLUN(hctl string) (uint64, bool) {
	f := strings.Split(hctl, ":")
	if len(f) != 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(f[3], 10, 64)
	return n, err == nil
}

// leftover is what the guest holds outside the allow-list: SCSI devices
// whose LUN is not allowed, and multipath maps with such a path or none.
type leftover struct {
	devices []string
	maps    []string
}

func (st guestState) leftover(allow ...uint64) leftover {
	ok := map[uint64]bool{}
	for _, l := range allow {
		ok[l] = true
	}
	var lo leftover
	for _, d := range st.devices {
		if l, valid := hctlLUN(d); !valid || !ok[l] {
			lo.devices = append(lo.devices, d)
		}
	}
	for _, m := range st.maps {
		bad := len(m.paths) == 0
		for _, p := range m.paths {
			if l, valid := hctlLUN(p); !valid || !ok[l] {
				bad = true
			}
		}
		if bad {
			lo.maps = append(lo.maps, m.name)
		}
	}
	sort.Strings(lo.devices)
	sort.Strings(lo.maps)
	return lo
}

func (lo leftover) empty() bool { return len(lo.devices)+len(lo.maps) == 0 }

func (lo leftover) String() string {
	if lo.empty() {
		return "none"
	}
	return fmt.Sprintf("%d dev %s, %d map", len(lo.devices), strings.Join(lo.devices, ","), len(lo.maps))
}

// wireAudit is harness/audit over every portal's port, with tshark's view
// of the LUNs addressed as cross-check.
type wireAudit struct {
	commands   map[uint64]int
	reportLUNs int
	aens       int
	clean      bool
	bad        []uint64
	tshark     string // tshark's LUNs when they differ
}

func auditPorts(t *testing.T, file, iqn string, ports []int, allow ...uint64) wireAudit {
	w := auditPortsOnly(t, file, iqn, ports, allow...)
	var ts []uint64
	for _, p := range ports {
		l, err := tsharkLUNs(file, p)
		require.NoError(t, err)
		ts = append(ts, l...)
	}
	// tshark's iSCSI dissector loses PDU sync in these captures (MiBs of
	// I/O, connections cut by a killed target): where it misses a LUN the
	// guest really attached, or names LUNs the target never had, the
	// table shows its view beside harness/audit's instead of failing.
	if got := fmtLUNs(dedupe(ts)); got != fmtLUNs(keys(w.commands)) {
		w.tshark = got
		t.Logf("LUNs addressed: harness/audit %v, tshark %s", keys(w.commands), got)
	}
	return w
}

// auditPortsOnly is auditPorts without tshark's cross-check, for captures
// with connections cut mid-PDU (a killed target), where tshark's iSCSI
// dissector takes the rest of the stream for PDUs with random LUNs.
func auditPortsOnly(t *testing.T, file, iqn string, ports []int, allow ...uint64) wireAudit {
	var p16 []uint16
	for _, p := range ports {
		p16 = append(p16, uint16(p))
	}
	set, err := allowList(allow)
	require.NoError(t, err)
	rep, err := audit.AnalyzeFiles(audit.Options{Ports: p16, Target: iqn, AllowLUNs: set}, file)
	require.NoError(t, err, "audit of %s", file)
	sum := sumSessions(rep)
	return wireAudit{commands: sum.Commands, reportLUNs: sum.ReportLUNs, aens: sum.AENs,
		clean: rep.Verdict.Clean, bad: notAllowed(rep.Verdict)}
}

func dedupe(l []uint64) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	for _, x := range l {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func (w wireAudit) String() string {
	v := "clean"
	if !w.clean {
		v = "VIOLATION " + joinLUNs(w.bad)
	}
	if w.tshark != "" {
		v += " (tshark: LUNs " + w.tshark + ")"
	}
	return fmt.Sprintf("LUNs %s, RL %d, %s", joinLUNs(keys(w.commands)), w.reportLUNs, v)
}

// brickResult is what guest/osbrick.py printed.
type brickResult struct {
	Seconds    float64        `json:"seconds"`
	DeviceInfo map[string]any `json:"device_info"`
	IOOK       *bool          `json:"io_ok"`
	NewSize    *int64         `json:"new_size"`
	Error      string         `json:"error"`
	Log        string         `json:"-"` // os-brick's debug log (stderr)
}

// brickDir is where guest/osbrick.py serves requests: importing os-brick
// takes 6-9 s under TCG, so one process serves the whole run.
const brickDir = "/run/osbrick"

var brickSeq int

// startBrickServer starts the os-brick driver in serve mode.
func startBrickServer(g *lab.Guest) error {
	if _, err := g.Start("exec python3 /lab/osbrick.py serve "+brickDir, "/tmp/osbrick-serve.log"); err != nil {
		return err
	}
	_, err := g.MustRun(`for i in $(seq 600); do [ -e `+brickDir+`/ready ] && exit 0; sleep 0.1; done
		echo "os-brick driver not ready" >&2; tail -20 /tmp/osbrick-serve.log >&2; exit 1`, 90*time.Second)
	return err
}

// brick runs one os-brick operation in the Debian guest with the current
// initiator first on PATH.
func brick(g *lab.Guest, op string, args map[string]any, timeout time.Duration) (brickResult, error) {
	b, err := json.Marshal(args)
	if err != nil {
		return brickResult{}, err
	}
	brickSeq++
	n := brickDir + "/%s-%06d.json"
	name := func(kind string) string { return fmt.Sprintf(n, kind, brickSeq) }
	if err := g.WriteFile(name("args"), string(b)); err != nil {
		return brickResult{}, err
	}
	script := fmt.Sprintf(`printf '{"op": "%s", "path": "%%s", "args": ' "$PATH" > %s
cat %s >> %s && echo '}' >> %s && rm %s && mv %s %s
while [ ! -e %s ]; do sleep 0.1; done
cat %s && rm %s`, op, name("new"), name("args"), name("new"), name("new"), name("args"),
		name("new"), name("req"), name("resp"), name("resp"), name("resp"))
	r, err := g.Run(script, timeout)
	if err != nil {
		return brickResult{}, err
	}
	if r.TimedOut {
		return brickResult{Error: fmt.Sprintf("timed out after %s", timeout)}, nil
	}
	var resp struct {
		Result brickResult `json:"result"`
		Log    string      `json:"log"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &resp); err != nil {
		return brickResult{}, fmt.Errorf("os-brick %s: exit %d, no result: %s", op, r.Exit, tail(r.Stdout+r.Stderr, 20))
	}
	resp.Result.Log = resp.Log
	return resp.Result, nil
}

func tail(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}
