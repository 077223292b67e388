//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"autoscan/harness/conform"
	"autoscan/harness/lab"
	"autoscan/harness/lab/labtarget"
)

// The lab's states, named as the host suite names its own.
var (
	labNone     = &conform.State{Name: "lab-0-sessions"}
	labOne      = &conform.State{Name: "lab-1-session"}
	labTwo      = &conform.State{Name: "lab-2-sessions"}
	labSilent   = &conform.State{Name: "lab-iscsid-silent"}
	labRecovery = &conform.State{Name: "lab-recovery"}
	labKilled   = &conform.State{Name: "lab-iscsid-killed"}
)

// conformTargets: conform.T1 and conform.T2, one LUN each, on two
// emulated target portals (T2's is stopped for the recovery state).
type conformTargets struct {
	t1, t2 labtarget.Target
	p1, p2 string
}

func (ts *conformTargets) stop() {
	ts.t1.Stop()
	if ts.t2 != nil {
		ts.t2.Stop()
	}
}

// conformLab is one initiator's pass over the states: the same steps for
// stock (its iscsid and iscsiadm) and for the project (ours and ours).
type conformLab struct {
	t     *testing.T
	tgt   *conformTargets
	cases []conform.Case
	res   map[string]conform.Result // by case ID
}

// TestConformSessions is the session part of the conformance suite on
// real kernel sessions: two targets (conform.T1, conform.T2, one LUN each)
// on one emulated target portal; iscsid with 0, 1 and 2 sessions, not
// answering (stopped), with a session in recovery (connection dropped,
// logins refused) and killed with the sessions left. Read-only commands
// run as one batch per state; each command that changes sessions runs on
// a freshly built state. Stock and ours run in the same boot against the
// same target; any difference not in iscsiadm(8)'s table fails.
func TestConformSessions(t *testing.T) {
	start := time.Now()
	top, err := filepath.Abs("../..")
	require.NoError(t, err)
	documented, err := conform.ReadDocumented(top)
	require.NoError(t, err)
	ts := &conformTargets{}
	ts.t1, err = labtarget.StartTarget(kindEmu, conform.T1, 0)
	require.NoError(t, err)
	defer ts.stop()
	ts.t2, err = labtarget.StartTarget(kindEmu, conform.T2, 0)
	require.NoError(t, err)
	ts.p1 = fmt.Sprintf("%s:%d", lab.HostAddr, ts.t1.Port())
	ts.p2 = fmt.Sprintf("%s:%d", lab.HostAddr, ts.t2.Port())

	var passes [2]*conformLab
	for i, who := range []string{"stock", "project"} {
		c := &conformLab{t: t, tgt: ts, res: map[string]conform.Result{}}
		took := time.Now()
		c.pass(who)
		t.Logf("%s: %d cases in %.0f s", who, len(c.cases), time.Since(took).Seconds())
		passes[i] = c
	}
	stock, ours := passes[0], passes[1]
	require.Equal(t, len(stock.cases), len(ours.cases), "both passes ran the same cases")

	var outs []conform.Outcome
	for _, c := range stock.cases {
		outs = append(outs, conform.Judge(c, stock.res[c.ID()], ours.res[c.ID()], documented, nil, nil))
	}
	var table, diffs bytes.Buffer
	fmt.Fprintf(&table, "conformance with kernel sessions, stock open-iscsi 2.1.8 vs ours: %d cases in %.0f s\n",
		len(outs), time.Since(start).Seconds())
	bad := conform.Table(&table, outs)
	for _, o := range outs {
		if o.Verdict != conform.Identical {
			conform.Explain(&diffs, o)
		}
	}
	require.NoError(t, os.WriteFile(filepath.Join(resultsDir, "conform-lab.txt"), table.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(resultsDir, "conform-lab-diffs.txt"), diffs.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(resultsDir, "conform-lab-runs.txt"), dumpRuns(outs), 0o644))
	t.Log("\n" + table.String())
	for _, o := range outs {
		if o.Verdict == conform.Undocumented {
			var b bytes.Buffer
			conform.Explain(&b, o)
			t.Error("undocumented difference:\n" + b.String())
		}
	}
	if bad > 0 {
		t.Errorf("%d undocumented differences", bad)
	}
}

// pass builds every state in turn with one initiator and runs its cases.
func (c *conformLab) pass(who string) {
	t := c.t
	require.NoError(t, guest.SetInitiator(who))
	require.NoError(t, resetGuest())
	defer func() { require.NoError(t, resetGuest(), "guest reset after the %s pass", who) }()
	startIscsid(t)
	_, err := guest.MustRun(fmt.Sprintf(`set -e
iscsiadm -m node -o new -T %s -p %s >/dev/null
iscsiadm -m node -o new -T %[3]s -p %[4]s >/dev/null
iscsiadm -m node -T %[3]s -p %[4]s -o update -n node.session.timeo.replacement_timeout -v 300`,
		conform.T1, c.tgt.p1, conform.T2, c.tgt.p2), time.Minute)
	require.NoError(t, err, "records")

	c.batch(conform.LabReadOnly(labNone, conform.LabCore), 30)
	c.restore(conform.T1)
	c.batch(conform.LabReadOnly(labOne, conform.LabCore), 30)
	changing := c.lab(conform.LabChanging(labOne, labTwo))
	for _, cs := range changing {
		if cs.State == labOne {
			c.restore(conform.T1)
			c.change(cs)
		}
	}
	c.restore(conform.T1, conform.T2)
	c.batch(conform.LabReadOnly(labTwo, conform.LabFull), 30)
	for _, cs := range changing {
		if cs.State == labTwo {
			c.restore(conform.T1, conform.T2)
			c.change(cs)
		}
	}
	c.restore(conform.T1, conform.T2)

	// not answering: every iscsid process stopped, its socket still bound
	_, err = guest.MustRun("kill -STOP $(pidof iscsid)", 10*time.Second)
	require.NoError(t, err)
	c.batch(conform.LabReadOnly(labSilent, conform.LabSilent), 4)
	_, err = guest.MustRun("kill -CONT $(pidof iscsid)", 10*time.Second)
	require.NoError(t, err)
	c.restore(conform.T1, conform.T2)

	c.recovery()

	// killed: the kernel sessions stay without their iscsid
	_, err = guest.MustRun("kill -9 $(pidof iscsid); for i in $(seq 50); do pidof iscsid || exit 0; sleep 0.1; done; exit 1", 30*time.Second)
	require.NoError(t, err, "iscsid killed")
	c.batch(append(conform.LabReadOnly(labKilled, conform.LabCore), conform.LabFailing(labKilled)...), 30)
}

// recovery: T2's target stopped (its connection gone, new ones refused),
// so its session is FAILED while iscsid retries (its record's
// replacement_timeout, 300 s, outlasts the batch: past it the kernel
// frees the session, at a moment that differs between the passes); then it comes back at
// the same address and the session recovers.
func (c *conformLab) recovery() {
	t := c.t
	port := c.tgt.t2.Port()
	c.tgt.t2.Stop()
	c.tgt.t2 = nil
	c.waitStates(map[string]string{conform.T1: "LOGGED_IN", conform.T2: "FAILED"})
	c.batch(conform.LabReadOnly(labRecovery, conform.LabCore), 30)
	t2, err := labtarget.StartEmu(conform.T2, port, 0)
	require.NoError(t, err, "T2's target back on port %d", port)
	c.tgt.t2 = t2
	c.waitStates(map[string]string{conform.T1: "LOGGED_IN", conform.T2: "LOGGED_IN"})
}

func (c *conformLab) waitStates(want map[string]string) {
	var got []labSession
	for end := time.Now().Add(2 * time.Minute); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		got = labSessions(c.t)
		ok := len(got) == len(want)
		for _, s := range got {
			ok = ok && want[s.target] == s.state
		}
		if ok {
			return
		}
	}
	c.t.Fatalf("sessions %+v, want states %v", got, want)
}

// lab puts T1's portal in place of the host suite's.
func (c *conformLab) lab(cases []conform.Case) []conform.Case {
	for i := range cases {
		args := make([]string, len(cases[i].Args))
		for j, a := range cases[i].Args {
			args[j] = strings.ReplaceAll(a, conform.P1, c.tgt.p1)
		}
		cases[i].Args = args
	}
	return cases
}

func (c *conformLab) batch(cases []conform.Case, secs int) {
	cases = c.lab(cases)
	took := time.Now()
	res := runConformBatch(c.t, cases, numbersOf(labSessions(c.t)), secs)
	c.t.Logf("%s: %d case(s) in %.1f s", cases[0].State.Name, len(cases), time.Since(took).Seconds())
	for i, cs := range cases {
		c.keep(cs, res[i])
	}
}

// change runs one state-changing case; the targets of the sessions it
// leaves are compared too.
func (c *conformLab) change(cs conform.Case) {
	cases := c.lab([]conform.Case{cs})
	res := runConformBatch(c.t, cases, numbersOf(labSessions(c.t)), 90)
	var left []string
	for _, s := range labSessions(c.t) {
		left = append(left, s.target)
	}
	res[0].Files["sys/sessions"] = strings.Join(left, " ")
	c.keep(cases[0], res[0])
}

func (c *conformLab) keep(cs conform.Case, r conform.Result) {
	_, dup := c.res[cs.ID()]
	require.False(c.t, dup, "case %s twice", cs.ID())
	c.res[cs.ID()] = r
	c.cases = append(c.cases, cs)
}

// restore logs in to each target in want that has no session and logs
// out of every other session (with the initiator under test): a fresh
// state for the next case.
func (c *conformLab) restore(want ...string) {
	t := c.t
	have := map[string]bool{}
	script := ""
	for _, s := range labSessions(t) {
		if !slices.Contains(want, s.target) || have[s.target] {
			script += fmt.Sprintf("iscsiadm -m session -r %d -u >/dev/null\n", s.sid)
			continue
		}
		have[s.target] = true
	}
	portal := map[string]string{conform.T1: c.tgt.p1, conform.T2: c.tgt.p2}
	for _, w := range want {
		if !have[w] {
			script += fmt.Sprintf("iscsiadm -m node -T %s -p %s -l >/dev/null\n", w, portal[w])
		}
	}
	if script != "" {
		_, err := guest.MustRun("set -e\n"+script, 2*time.Minute)
		require.NoError(t, err, "restore sessions %v", want)
	}
	got := labSessions(t)
	require.Len(t, got, len(want), "sessions after restore: %+v", got)
	// the LUN of each session is there before the next case looks
	_, err := guest.MustRun(fmt.Sprintf(`for i in $(seq 100); do
	[ "$(ls /sys/class/scsi_device | wc -l)" -eq %d ] && exit 0; sleep 0.2; done; exit 1`, len(want)), time.Minute)
	require.NoError(t, err, "one SCSI device per session")
}

// dumpRuns is every case's answers from both, for reading a difference
// in full.
func dumpRuns(outs []conform.Outcome) []byte {
	var b bytes.Buffer
	for _, o := range outs {
		fmt.Fprintf(&b, "=== %s\n", o.Case.ID())
		for _, side := range []struct {
			name string
			r    conform.Result
		}{{"stock", o.Stock}, {"ours", o.Ours}} {
			fmt.Fprintf(&b, "--- %s: exit %d %v\n%s--- %s stderr:\n%s", side.name, side.r.RC, side.r.Files,
				side.r.Stdout, side.name, side.r.Stderr)
		}
	}
	return b.Bytes()
}
