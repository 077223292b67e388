//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/lab"
	"autoscan/harness/lab/labtarget"
	"autoscan/harness/target"
)

// Debian's python3-os-brick, unchanged, drives the initiator in the Debian
// guest (lab/guest/osbrick.py) against Debian's tgtd (the discovery
// scenario: the emulated target, which names two portals and asks for
// discovery CHAP), with multipathd running, once with stock open-iscsi and once with the project. Every
// scenario is audited on the wire (only the requested LUNs addressed), in
// sysfs (SCSI devices) and in device-mapper (multipath maps).

// debScenario is one os-brick scenario in progress.
type debScenario struct {
	t         *testing.T
	g         *lab.Guest
	initiator string
	targetIQN string
	tgt       *lab.Tgtd            // tgtd scenarios
	emu       *labtarget.EmuTarget // emulated-target scenarios
	ports     []int
	pcap      string
	capt      *lab.Capture
	consoleAt int64
	logs      []string // os-brick's debug logs, kept with a failure
}

// newDebScenario resets the Debian guest, starts the scenario's target
// with LUNs 1..luns on sc.paths portals, the capture of every portal, and
// iscsid.
func newDebScenario(t *testing.T, initiator string, sc brickScenario) *debScenario {
	g := debianGuest(t)
	require.NoError(t, g.SetInitiator(initiator))
	require.NoError(t, debResetIfNeeded(g), "guest reset before the scenario")
	// TempDir first: its removal then runs after finish, which keeps the capture
	s := &debScenario{t: t, g: g, initiator: initiator, consoleAt: fileSize(g.ConsoleLog),
		pcap: filepath.Join(t.TempDir(), "capture.pcap")}
	s.targetIQN = fmt.Sprintf("iqn.2026-11.lab.autoscan:brick-%d", time.Now().UnixNano()%100000)
	t.Cleanup(s.finish)
	if sc.emu {
		s.startEmu(sc.luns, sc.paths)
	} else {
		s.startTgtd(sc.luns, sc.paths)
	}
	var err error
	s.capt, err = lab.StartCapturePorts(s.pcap, s.ports...)
	require.NoError(t, err)
	_, _ = g.Run("rm -f /tmp/iscsid.log", 10*time.Second)
	_, err = g.Start("exec iscsid -f", "/tmp/iscsid.log")
	require.NoError(t, err)
	_, err = g.MustRun(`for i in $(seq 100); do
		grep -q '@ISCSIADM_ABSTRACT_NAMESPACE' /proc/net/unix && exit 0; sleep 0.1; done; exit 1`, 30*time.Second)
	require.NoError(t, err, "iscsid did not open its socket")
	return s
}

func (s *debScenario) startTgtd(luns, portals int) {
	port, err := labtarget.PickPort()
	require.NoError(s.t, err)
	s.tgt, err = lab.StartTgtd(s.targetIQN, port, luns, labtarget.LUNSizeMB)
	require.NoError(s.t, err, "tgtd")
	for i := 1; i < portals; i++ {
		p, err := labtarget.PickPort()
		require.NoError(s.t, err)
		require.NoError(s.t, s.tgt.AddPortal(p), "second portal")
	}
	s.ports = append([]int{port}, s.tgt.Portals...)
}

// startEmu: the emulated target with LUNs 0..luns, portal i in group i+1.
func (s *debScenario) startEmu(luns, portals int) {
	tt, err := labtarget.StartTarget(labtarget.KindEmu, s.targetIQN, luns)
	require.NoError(s.t, err, "emulated target")
	s.emu = tt.(*labtarget.EmuTarget)
	s.ports = []int{tt.Port()}
	for i := 1; i < portals; i++ {
		p, err := s.emu.AddPortal(uint16(i + 1))
		require.NoError(s.t, err, "portal %d", i+1)
		s.ports = append(s.ports, p)
	}
}

func (s *debScenario) finish() {
	resetErr := debReset(s.g)
	if s.capt != nil {
		_ = s.capt.Stop()
	}
	if s.t.Failed() || resetErr != nil {
		s.keepArtefacts()
	}
	if s.tgt != nil {
		s.tgt.Stop()
	}
	if s.emu != nil {
		s.emu.Stop()
	}
	if resetErr != nil {
		s.t.Errorf("guest reset after the scenario: %v", resetErr)
	}
}

func (s *debScenario) keepArtefacts() {
	dir := filepath.Join(resultsDir, unsafeName.ReplaceAllString(s.t.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	if b, err := os.ReadFile(s.pcap); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "capture.pcap"), b, 0o644)
	}
	if b, err := os.ReadFile(s.g.ConsoleLog); err == nil && int64(len(b)) >= s.consoleAt {
		_ = os.WriteFile(filepath.Join(dir, "console.log"), b[s.consoleAt:], 0o644)
	}
	_ = os.WriteFile(filepath.Join(dir, "osbrick.log"), []byte(strings.Join(s.logs, "\n----\n")), 0o644)
	if out, err := s.g.ReadFile("/tmp/iscsid.log"); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "iscsid.log"), []byte(out), 0o644)
	}
	if r, err := s.g.Run("dmesg; multipathd show paths; multipathd show maps", 20*time.Second); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "dmesg.txt"), []byte(r.Stdout+r.Stderr), 0o644)
	}
	s.t.Logf("artefacts kept in %s", dir)
}

func (s *debScenario) portal(i int) string { return fmt.Sprintf("%s:%d", lab.HostAddr, s.ports[i]) }

// props are the connection properties Cinder hands to Nova for LUN lun:
// one portal (single path as Nova attaches without multipath) or every
// portal of the target (multipath).
func (s *debScenario) props(lun int, multipath bool) map[string]any {
	p := map[string]any{"target_portal": s.portal(0), "target_iqn": s.targetIQN,
		"target_lun": lun, "target_discovered": false, "volume_id": fmt.Sprintf("vol-%d", lun)}
	if multipath {
		var portals, iqns []string
		var luns []int
		for i := range s.ports {
			portals, iqns, luns = append(portals, s.portal(i)), append(iqns, s.targetIQN), append(luns, lun)
		}
		p["target_portals"], p["target_iqns"], p["target_luns"] = portals, iqns, luns
	}
	return p
}

func (s *debScenario) brick(op string, args map[string]any, timeout time.Duration) brickResult {
	res, err := brick(s.g, op, args, timeout)
	s.logs = append(s.logs, fmt.Sprintf("== %s %v\n%s", op, args, res.Log))
	require.NoError(s.t, err)
	return res
}

// attach connects the volume, writes and reads 4 MiB through it, and
// checks that nothing outside allow appeared.
func (s *debScenario) attach(props map[string]any, multipath bool, row *brickRow, allow ...uint64) brickResult {
	res := s.brick("attach", map[string]any{"props": props, "multipath": multipath, "io": true}, 4*time.Minute)
	require.Empty(s.t, res.Error, "os-brick connect_volume")
	row.attach = append(row.attach, res.Seconds)
	require.NotNil(s.t, res.IOOK, "I/O done")
	assert.True(s.t, *res.IOOK, "4 MiB written and read back through %v", res.DeviceInfo["path"])
	lo := readGuestState(s.t, s.g).leftover(allow...)
	row.whileAttached = lo.String()
	assert.True(s.t, lo.empty(), "nothing outside LUNs %v while attached: %s", allow, lo)
	return res
}

// detach disconnects; an os-brick error is a finding for the table.
func (s *debScenario) detach(props map[string]any, att brickResult, multipath, force bool, row *brickRow) {
	args := map[string]any{"props": props, "device_info": att.DeviceInfo, "multipath": multipath}
	if force {
		args["force"], args["ignore_errors"] = true, true
	}
	res := s.brick("detach", args, 5*time.Minute)
	row.detach = append(row.detach, res.Seconds)
	if res.Error != "" {
		row.note = appendNote(row.note, "detach: "+res.Error)
	} else if e := firstError(res.Log); e != "" {
		row.note = appendNote(row.note, "detach logged: "+e)
	}
	assert.Empty(s.t, res.Error, "os-brick disconnect_volume")
}

// mapOf finds the multipath map behind path (/dev/dm-N).
func (s *debScenario) mapOf(path string) (dmMap, bool) {
	for _, m := range readGuestState(s.t, s.g).maps {
		if "/dev/"+m.dev == path {
			return m, true
		}
	}
	return dmMap{}, false
}

// done records the wire verdict with allow as the allow-list and what is
// left in the guest; after a full detach nothing may be left.
func (s *debScenario) done(row *brickRow, allow ...uint64) {
	s.doneWith(row, auditPorts(s.t, s.pcap, s.targetIQN, s.ports, allow...), allow...)
}

func (s *debScenario) doneWith(row *brickRow, w wireAudit, allow ...uint64) {
	row.wire = w.String()
	assert.True(s.t, w.clean, "wire audit with allow-list %v: %s", allow, w)
	assert.Zero(s.t, w.reportLUNs, "no REPORT LUNS (os-brick's records say scan = manual)")
	st := readGuestState(s.t, s.g)
	row.afterDetach = fmt.Sprintf("%d dev, %d map, %d sess", len(st.devices), len(st.maps), st.sessions)
	assert.Empty(s.t, st.devices, "no SCSI device after disconnect")
	assert.Empty(s.t, st.maps, "no multipath map after disconnect")
	assert.Zero(s.t, st.sessions, "no session after disconnect")
}

func appendNote(n, s string) string {
	if len(s) > 90 {
		s = s[:90] + "..."
	}
	if n == "" {
		return s
	}
	return n + "; " + s
}

// brickRow is one line of the os-brick table.
type brickRow struct {
	attach, detach []float64
	wire           string
	whileAttached  string // leftover outside the requested LUNs while attached
	afterDetach    string // devices, maps, sessions after the last detach
	note           string
	result         string
}

type brickScenario struct {
	name  string
	run   func(s *debScenario, row *brickRow)
	luns  int // tgtd LUNs 1..luns
	paths int
	emu   bool // the emulated target (harness/target) instead of tgtd
}

var brickScenarios = []brickScenario{
	{"a single path, static record", brickSingle, 3, 1, false},
	{"b multipath, 2 portals", brickMultipath, 3, 2, false},
	{"c multipath by discovery + discovery CHAP", brickDiscovery, 3, 2, true},
	{"d session CHAP", brickCHAP, 3, 1, false},
	{"e extend_volume through the map", brickExtend, 3, 2, false},
	{"f force detach, target unreachable", brickForce, 3, 1, false},
	{"g two volumes, one target, interleaved", brickTwo, 3, 1, false},
}

// TestOsBrick runs every scenario with stock, then the project, in one
// boot of the Debian guest, and prints the table (also results/osbrick.txt).
func TestOsBrick(t *testing.T) {
	rows := map[string]*brickRow{}
	for _, sc := range brickScenarios {
		for _, ini := range []string{"stock", "project"} {
			sc, ini := sc, ini
			row := &brickRow{}
			rows[sc.name+"|"+ini] = row
			if ini == "project" && !image.Project {
				row.result = "n/a: usr/iscsid not built"
				continue
			}
			row.result = "not run"
			ok := t.Run(strings.Fields(sc.name)[0]+"/"+ini, func(t *testing.T) {
				row.result = "running"
				sc.run(newDebScenario(t, ini, sc), row)
			})
			switch {
			case !ok:
				row.result = "FAIL"
			case row.result == "running":
				row.result = "ok"
			}
		}
	}
	table := brickTable(rows)
	fmt.Print(table)
	_ = os.WriteFile(filepath.Join(resultsDir, "osbrick.txt"), []byte(table), 0o644)
}

func brickTable(rows map[string]*brickRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nos-brick 6.1.0 (Debian, unchanged) in the Debian guest, Linux %s, tgtd (c: emulated target), multipathd\n", image.Version)
	w := tabwriter.NewWriter(&b, 2, 8, 2, ' ', 0)
	fmt.Fprint(w, "scenario\tinitiator\tattach s\tdetach s\twire (LUNs addressed, REPORT LUNS, verdict)\tleftover while attached\tafter detach\tresult\tnote\n")
	for _, sc := range brickScenarios {
		for _, ini := range []string{"stock", "project"} {
			r := rows[sc.name+"|"+ini]
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", sc.name, ini, secs(r.attach), secs(r.detach),
				dash(r.wire), dash(r.whileAttached), dash(r.afterDetach), r.result, r.note)
		}
	}
	w.Flush()
	return b.String()
}

func secs(l []float64) string {
	if len(l) == 0 {
		return "-"
	}
	var p []string
	for _, x := range l {
		p = append(p, strconv.FormatFloat(x, 'f', 2, 64))
	}
	return strings.Join(p, "+")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// a) Nova without multipath: target_portal only, os-brick makes the static
// record; disconnect must leave no device and no session.
func brickSingle(s *debScenario, row *brickRow) {
	props := s.props(1, false)
	att := s.attach(props, false, row, 1)
	s.detach(props, att, false, false, row)
	s.done(row, 1)
}

// b) two portals of one target, multipathd assembles the map.
func brickMultipath(s *debScenario, row *brickRow) {
	props := s.props(1, true)
	att := s.attach(props, true, row, 1)
	s.checkMap(att, 2, 1)
	s.detach(props, att, true, false, row)
	s.done(row, 1)
}

// checkMap: the device os-brick returned is a map with paths paths, all
// to LUN lun.
func (s *debScenario) checkMap(att brickResult, paths int, lun uint64) {
	path, _ := att.DeviceInfo["path"].(string)
	m, ok := s.mapOf(path)
	require.True(s.t, ok, "os-brick returned %q, a multipath map", path)
	assert.Len(s.t, m.paths, paths, "paths of map %s", m.name)
	for _, p := range m.paths {
		l, _ := hctlLUN(p)
		assert.Equal(s.t, lun, l, "path %s of map %s", p, m.name)
	}
}

// c) target_portal only with use_multipath: os-brick discovers the
// portals with `iscsiadm -m discoverydb ... --discover` after setting the
// discovery CHAP keys. The emulated target names both portals (group tags
// 1 and 2) in SendTargets and refuses a discovery session that does not
// pass CHAP, so the map's two paths prove the discovery and its CHAP.
func brickDiscovery(s *debScenario, row *brickRow) {
	s.emu.Server.SetDiscoveryCHAP(&target.CHAPConfig{User: "duser", Secret: "dpass12345678"})
	props := map[string]any{"target_portal": s.portal(0), "target_iqn": s.targetIQN,
		"target_lun": 1, "volume_id": "vol-1", "target_discovered": false,
		"discovery_auth_method": "CHAP", "discovery_auth_username": "duser",
		"discovery_auth_password": "dpass12345678"}
	att := s.attach(props, true, row, 1)
	s.checkMap(att, 2, 1)
	r, err := s.g.MustRun("cat /sys/class/iscsi_session/session*/tpgt | sort | tr '\\n' ' '", 20*time.Second)
	require.NoError(s.t, err)
	assert.Equal(s.t, "1 2", strings.TrimSpace(r.Stdout), "one session per portal, each with its group tag")
	st := s.emu.Server.DiscoveryLogins()
	assert.GreaterOrEqual(s.t, st.CHAP, 1, "discovery passed CHAP")
	assert.Zero(s.t, st.None+st.Refused, "no discovery without CHAP, none refused: %+v", st)
	row.note = appendNote(row.note, fmt.Sprintf("2 portals, tpgt 1+2 from SendTargets; discovery CHAP asked+answered x%d", st.CHAP))
	s.detach(props, att, true, false, row)
	s.done(row, 1)
	row.note = appendNote(row.note, s.eachPortal(1))
	s.wrongDiscoverySecret(props, row)
}

// eachPortal audits every portal's capture alone: each must be clean and
// have carried commands to lun (a path really used, not only listed).
func (s *debScenario) eachPortal(lun uint64) string {
	var parts []string
	for i, p := range s.ports {
		w := auditPortsOnly(s.t, s.pcap, s.targetIQN, []int{p}, lun)
		assert.True(s.t, w.clean, "portal %d alone: %s", i+1, w)
		assert.Positive(s.t, w.commands[lun], "portal %d carried commands to LUN %d", i+1, lun)
		parts = append(parts, fmt.Sprintf("%d cmds", w.commands[lun]))
	}
	return fmt.Sprintf("LUN %d per portal: %s", lun, strings.Join(parts, ", "))
}

// discoveryRefusal is what a wrong discovery secret made iscsiadm say, by
// initiator: the project must fail the attach as stock does.
var discoveryRefusal = map[string]string{}

// wrongDiscoverySecret: the same attach with a wrong discovery password
// fails in discovery; nothing is logged in or left.
func (s *debScenario) wrongDiscoverySecret(props map[string]any, row *brickRow) {
	bad := map[string]any{}
	for k, v := range props {
		bad[k] = v
	}
	bad["discovery_auth_password"] = "wrong-secret-1"
	refused := s.emu.Server.DiscoveryLogins().Refused
	res := s.brick("attach", map[string]any{"props": bad, "multipath": true}, 3*time.Minute)
	assert.NotEmpty(s.t, res.Error, "connect_volume with a wrong discovery secret")
	assert.Greater(s.t, s.emu.Server.DiscoveryLogins().Refused, refused, "the target refused the discovery login")
	got := discoverFailure(res.Log)
	first, _, _ := strings.Cut(got, "\n")
	row.note = appendNote(row.note, "wrong secret: "+first)
	discoveryRefusal[s.initiator] = got
	if stock, ok := discoveryRefusal["stock"]; ok && s.initiator == "project" {
		assert.Equal(s.t, stock, got, "iscsiadm --discover with a wrong secret, project as stock")
	}
	st := readGuestState(s.t, s.g)
	assert.True(s.t, st.sessions == 0 && len(st.devices) == 0 && len(st.maps) == 0,
		"nothing attached after the refused discovery: %s", st)
}

var (
	exitCodeRe = regexp.MustCompile(`Exit code: (\d+)`)
	stderrRe   = regexp.MustCompile(`Stderr: '([^']*)'`)
)

// discoverFailure is the exit code and the stderr lines of the failed
// `iscsiadm ... --discover` in os-brick's log.
func discoverFailure(log string) string {
	i := strings.Index(log, "--discover\n")
	if i < 0 {
		return "no failed --discover in the log"
	}
	tail := log[i:]
	code, msg := "?", ""
	if m := exitCodeRe.FindStringSubmatch(tail); m != nil {
		code = m[1]
	}
	if m := stderrRe.FindStringSubmatch(tail); m != nil {
		msg = strings.TrimSpace(strings.ReplaceAll(m[1], `\n`, "\n"))
	}
	return fmt.Sprintf("exit %s, %s", code, msg)
}

// d) session CHAP (tgt account bound to the target).
func brickCHAP(s *debScenario, row *brickRow) {
	require.NoError(s.t, tgtdAccount(s.ports[0], "alice", "alicesecret12", false))
	props := s.props(1, false)
	props["auth_method"], props["auth_username"], props["auth_password"] = "CHAP", "alice", "alicesecret12"
	att := s.attach(props, false, row, 1)
	s.detach(props, att, false, false, row)
	s.done(row, 1)
}

// e) the target grows the LUN; extend_volume rescans the paths and resizes
// the map; the map shows the new size.
func brickExtend(s *debScenario, row *brickRow) {
	props := s.props(1, true)
	att := s.attach(props, true, row, 1)
	s.checkMap(att, 2, 1)
	newMB := 2 * labtarget.LUNSizeMB
	require.NoError(s.t, s.tgt.ResizeLUN(1, newMB))
	res := s.brick("extend", map[string]any{"props": props, "multipath": true}, 3*time.Minute)
	assert.Empty(s.t, res.Error, "os-brick extend_volume")
	path, _ := att.DeviceInfo["path"].(string)
	r, err := s.g.MustRun("blockdev --getsize64 "+path, 20*time.Second)
	require.NoError(s.t, err)
	got, _ := strconv.ParseInt(strings.TrimSpace(r.Stdout), 10, 64)
	row.note = appendNote(row.note, fmt.Sprintf("map %d -> %d MiB in %.2f s", labtarget.LUNSizeMB, got>>20, res.Seconds))
	assert.Equal(s.t, int64(newMB)<<20, got, "size of %s after extend_volume", path)
	if res.NewSize != nil {
		assert.Equal(s.t, int64(newMB)<<20, *res.NewSize, "extend_volume's answer")
	}
	s.detach(props, att, true, false, row)
	s.done(row, 1)
}

// f) tgtd is killed (connections reset, logins refused); disconnect with
// force=True must return within its timeouts; once the target is back,
// no session, device or map may remain.
func brickForce(s *debScenario, row *brickRow) {
	props := s.props(1, false)
	att := s.attach(props, false, row, 1)
	before := auditPorts(s.t, s.pcap, s.targetIQN, s.ports, 1)
	assert.True(s.t, before.clean, "wire audit up to the kill: %s", before)
	s.tgt.Kill()
	// detach once the initiator has noticed: the session is in recovery
	// (FAILED) and I/O waits for its timeouts, as on a host whose target
	// went away; before that a flush may still fail fast
	r, err := s.g.Run(`for i in $(seq 120); do grep -q FAILED /sys/class/iscsi_session/*/state && exit 0; sleep 0.25; done; exit 1`, 60*time.Second)
	require.NoError(s.t, err)
	require.Zero(s.t, r.Exit, "session state FAILED after the target was killed")
	s.detach(props, att, false, true, row)
	assert.Less(s.t, row.detach[0], 120.0, "forced disconnect returns within its timeouts")
	require.NoError(s.t, s.tgt.Restart())
	r, err = s.g.Run(`for i in $(seq 60); do [ -z "$(ls /sys/class/iscsi_session)" ] && exit 0; sleep 1; done; exit 1`, 90*time.Second)
	require.NoError(s.t, err)
	if r.Exit != 0 {
		row.note = appendNote(row.note, "session still there 60 s after the target came back")
	}
	// the kill cut PDUs in half: harness/audit alone after it (tshark was
	// compared up to the kill)
	s.doneWith(row, auditPortsOnly(s.t, s.pcap, s.targetIQN, s.ports, 1), 1)
}

// g) two volumes of one target: attach 1, attach 2, detach 1 (the session
// stays for volume 2, nothing of 1 stays), detach 2.
func brickTwo(s *debScenario, row *brickRow) {
	p1, p2 := s.props(1, false), s.props(2, false)
	a1 := s.attach(p1, false, row, 1)
	a2 := s.attach(p2, false, row, 1, 2)
	s.detach(p1, a1, false, false, row)
	st := readGuestState(s.t, s.g)
	lo := st.leftover(2)
	row.note = appendNote(row.note, fmt.Sprintf("after detach 1: %d sess, leftover %s", st.sessions, lo))
	assert.True(s.t, lo.empty(), "after detaching volume 1 only volume 2 remains: %s", st)
	assert.Equal(s.t, 1, st.sessions, "the session stays for volume 2")
	assert.Len(s.t, st.devices, 1, "volume 2's device stays")
	s.detach(p2, a2, false, false, row)
	s.done(row, 1, 2)
}

// firstError is os-brick's first ERROR log message and what it decided
// next ("Skipping cleanup ..."): a disconnect can return without raising
// and still leave everything behind.
func firstError(log string) string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		for _, key := range []string{" ERROR ", "Skipping cleanup", "leftovers may remain"} {
			if i := strings.Index(l, key); i >= 0 && len(out) < 2 {
				out = append(out, strings.TrimSpace(l[i:]))
			}
		}
	}
	return strings.Join(out, " / ")
}
