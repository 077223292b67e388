//go:build e2e

package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/lab"
	"autoscan/harness/lab/labtarget"
)

// The seed's race (iscsi-multipath-issues-in-openstack.txt): on a target
// shared by many volumes, volume A (LUN 1) is attached, written and
// detached on the host while the target still exports it; then volume B
// (LUN 2) is exported, the target sends the 3F/0E AEN, and the host
// attaches B. Whatever of A comes back (a SCSI device, and with multipathd
// a map) is the leftover: a device for a volume about to disappear.

// raceCol is one client and initiator setting.
type raceCol struct {
	name      string
	client    string // "iscsiadm": records at stock defaults; "os-brick": os-brick 6.1
	initiator string
	autoscan  string // node.session.autoscan_en in iscsid.conf ("" = not set)
}

var raceCols = []raceCol{
	{"records at stock defaults, stock", "iscsiadm", "stock", ""},
	{"records at stock defaults, project autoscan_en = No", "iscsiadm", "project", "No"},
	{"os-brick 6.1, stock", "os-brick", "stock", ""},
	{"os-brick 6.1, project autoscan_en = No", "os-brick", "project", "No"},
}

// raceCell is what one run left.
type raceCell struct {
	devices, maps int
	what          string // the leftover, named
	bAttached     bool
	reportLUNs    int
	err           string
}

// raceScenario is the emulated target (it can send the AEN) with the
// Debian guest, capture and iscsid.
type raceScenario struct {
	*debScenario
	emu *labtarget.EmuTarget
}

func newRaceScenario(t *testing.T, c raceCol) *raceScenario {
	g := debianGuest(t)
	require.NoError(t, g.SetInitiator(c.initiator))
	require.NoError(t, debResetIfNeeded(g))
	conf := "cp /etc/iscsi/iscsid.conf /tmp/iscsid.conf.orig"
	if c.autoscan != "" {
		conf += "; echo 'node.session.autoscan_en = " + c.autoscan + "' >> /etc/iscsi/iscsid.conf"
	}
	_, err := g.MustRun(conf, 10*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = g.Run("cp /tmp/iscsid.conf.orig /etc/iscsi/iscsid.conf", 10*time.Second) })
	iqn := fmt.Sprintf("iqn.2026-11.lab.autoscan:shared-%d", time.Now().UnixNano()%100000)
	tt, err := labtarget.StartTarget(labtarget.KindEmu, iqn, 3)
	require.NoError(t, err)
	emu := tt.(*labtarget.EmuTarget)
	require.NoError(t, emu.Target.RemoveLUN(2), "B is not exported yet")
	s := &raceScenario{debScenario: &debScenario{t: t, g: g, initiator: c.initiator,
		ports: []int{tt.Port()}, consoleAt: fileSize(g.ConsoleLog),
		pcap: filepath.Join(t.TempDir(), "capture.pcap")}, emu: emu}
	t.Cleanup(func() { s.finish(); tt.Stop() })
	s.capt, err = lab.StartCapture(s.pcap, tt.Port())
	require.NoError(t, err)
	_, err = g.Start("exec iscsid -f", "/tmp/iscsid.log")
	require.NoError(t, err)
	_, err = g.MustRun(`for i in $(seq 100); do
		grep -q '@ISCSIADM_ABSTRACT_NAMESPACE' /proc/net/unix && exit 0; sleep 0.1; done; exit 1`, 30*time.Second)
	require.NoError(t, err, "iscsid did not open its socket")
	return s
}

func (s *raceScenario) iqn() string { return s.emu.IQN() }

// waitFor polls the guest state until ok or timeout.
func (s *raceScenario) waitFor(ok func(guestState) bool, timeout time.Duration) guestState {
	var st guestState
	for end := time.Now().Add(timeout); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		if st = readGuestState(s.t, s.g); ok(st) {
			break
		}
	}
	return st
}

func hasLUN(st guestState, lun uint64) bool {
	for _, d := range st.devices {
		if l, _ := hctlLUN(d); l == lun {
			return true
		}
	}
	return false
}

func mapOfLUN(st guestState, lun uint64) (dmMap, bool) {
	for _, m := range st.maps {
		for _, p := range m.paths {
			if l, _ := hctlLUN(p); l == lun {
				return m, true
			}
		}
	}
	return dmMap{}, false
}

// raceIscsiadm drives the race as the seed's clients did: a record at
// stock defaults, logged in by hand, volumes attached by a scan of their
// LUN and detached by flushing the map and deleting the SCSI device.
func raceIscsiadm(s *raceScenario) {
	node := fmt.Sprintf("iscsiadm -m node -T %s -p %s:%d", s.iqn(), lab.HostAddr, s.ports[0])
	_, err := s.g.MustRun(node+" -o new >/dev/null && "+node+" -l", 60*time.Second)
	require.NoError(s.t, err, "login")
	// attach A: a scan of its LUN (stock auto has it from the login scan)
	_, err = s.g.MustRun(`h=$(ls /sys/class/iscsi_host); echo "0 0 1" > /sys/class/scsi_host/$h/scan`, 60*time.Second)
	require.NoError(s.t, err)
	st := s.waitFor(func(st guestState) bool { _, ok := mapOfLUN(st, 1); return ok }, 30*time.Second)
	m, ok := mapOfLUN(st, 1)
	require.True(s.t, ok, "A's multipath map: %s", st)
	_, err = s.g.MustRun(fmt.Sprintf(`dd if=/dev/urandom of=/dev/%s bs=1M count=1 oflag=direct status=none &&
		multipath -f %s && for d in /sys/class/scsi_device/*:1; do echo 1 > $d/device/delete; done`, m.dev, m.name), 60*time.Second)
	require.NoError(s.t, err, "write and detach A")
	st = readGuestState(s.t, s.g)
	require.False(s.t, hasLUN(st, 1), "A detached: %s", st)
	s.exportB()
	_, err = s.g.MustRun(`h=$(ls /sys/class/iscsi_host); echo "0 0 2" > /sys/class/scsi_host/$h/scan`, 60*time.Second)
	require.NoError(s.t, err, "attach B")
}

// exportB adds LUN 2 and sends the AEN; a stock initiator's rescan after
// the AEN has a few seconds, as on a busy host.
func (s *raceScenario) exportB() {
	require.NoError(s.t, s.emu.AddLUN(2))
	require.NoError(s.t, s.emu.SendAEN())
	time.Sleep(3 * time.Second)
}

// raceOsBrick: os-brick 6.1 keeps volume C (LUN 3) attached, so the
// session is shared, attaches and detaches A, then attaches B.
func raceOsBrick(s *raceScenario) {
	props := func(lun int) map[string]any {
		p := fmt.Sprintf("%s:%d", lab.HostAddr, s.ports[0])
		return map[string]any{"target_portal": p, "target_iqn": s.iqn(), "target_lun": lun,
			"target_portals": []string{p}, "target_iqns": []string{s.iqn()}, "target_luns": []int{lun},
			"volume_id": fmt.Sprintf("vol-%d", lun)}
	}
	attach := func(lun int) brickResult {
		r := s.brick("attach", map[string]any{"props": props(lun), "multipath": true, "io": lun == 1}, 4*time.Minute)
		require.Empty(s.t, r.Error, "os-brick attach LUN %d", lun)
		return r
	}
	attach(3)
	a := attach(1)
	r := s.brick("detach", map[string]any{"props": props(1), "device_info": a.DeviceInfo, "multipath": true}, 4*time.Minute)
	require.Empty(s.t, r.Error, "os-brick detach A")
	st := readGuestState(s.t, s.g)
	require.False(s.t, hasLUN(st, 1), "A detached: %s", st)
	s.exportB()
	attach(2)
}

// raceRun runs one column and counts what is left of A.
func raceRun(t *testing.T, c raceCol) raceCell {
	s := newRaceScenario(t, c)
	if c.client == "os-brick" {
		raceOsBrick(s)
	} else {
		raceIscsiadm(s)
	}
	// settle: whatever the AEN's rescan brings has time to show
	var st guestState
	prev := ""
	for i := 0; i < 20; i++ {
		time.Sleep(time.Second)
		st = readGuestState(t, s.g)
		if cur := st.String(); cur == prev {
			break
		} else {
			prev = cur
		}
	}
	lo := st.leftover(0, 2, 3)
	w := auditPorts(t, s.pcap, s.iqn(), s.ports, 0, 1, 2, 3)
	cell := raceCell{devices: len(lo.devices), maps: len(lo.maps), what: lo.String(),
		bAttached: hasLUN(st, 2), reportLUNs: w.reportLUNs}
	t.Logf("%s: %s; leftover %s; wire %s", c.name, st, lo, w)
	assert.True(t, cell.bAttached, "B attached")
	return cell
}

// demoRace runs the race for every column and returns its table; the
// expectation (stock defaults leave A behind, the project with
// autoscan_en = No leaves nothing) fails the test when it does not hold.
func demoRace(t *testing.T) string {
	cells := map[string]raceCell{}
	for _, c := range raceCols {
		c := c
		if c.initiator == "project" && !image.Project {
			cells[c.name] = raceCell{err: "n/a: usr/iscsid not built"}
			continue
		}
		var cell raceCell
		ok := t.Run("race/"+c.name, func(t *testing.T) { cell = raceRun(t, c) })
		if !ok {
			cell.err = "ERROR (see log)"
		}
		cells[c.name] = cell
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nThe seed's race in the Debian guest (udev, multipathd): A (LUN 1) attached, written, detached while still\n"+
		"exported; B (LUN 2) exported + AEN 3F/0E; B attached. Leftover = devices and maps outside LUNs 0, 2 (and os-brick's volume C, LUN 3)\n")
	w := tabwriter.NewWriter(&b, 2, 8, 2, ' ', 0)
	fmt.Fprint(w, "client, initiator\tleftover devices\tleftover maps\tleftover\tB attached\tREPORT LUNS\n")
	for _, c := range raceCols {
		x := cells[c.name]
		if x.err != "" {
			fmt.Fprintf(w, "%s\t%s\t\t\t\t\n", c.name, x.err)
			continue
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%v\t%d\n", c.name, x.devices, x.maps, x.what, x.bAttached, x.reportLUNs)
	}
	w.Flush()
	stock, project := cells[raceCols[0].name], cells[raceCols[1].name]
	if stock.err == "" && (stock.devices < 1 || stock.maps < 1) {
		t.Errorf("race not reproduced with stock defaults: %d devices, %d maps left", stock.devices, stock.maps)
	}
	if project.err == "" && project.devices+project.maps != 0 {
		t.Errorf("project with autoscan_en = No left %s", project.what)
	}
	return b.String()
}
