package conform

import "strings"

// The kernel lab (harness/e2e TestConformSessions) runs the session part
// of the generated set on real sessions. Its SIDs and host numbers are the
// kernel's, different in every run: the commands name them by these
// placeholders, which the lab replaces with the run's numbers, and
// Normalize turns the numbers in the answers back into them.
const (
	SID1  = "SID1"  // first session (sessions ordered by target, then SID)
	SID2  = "SID2"  // second session
	Host1 = "HOST1" // SCSI host of the first session
)

// labArgs rewrites one host-suite option list for the lab: its session
// and host numbers become placeholders.
var labArgs = strings.NewReplacer("-r 1", "-r "+SID1, "-r 2", "-r "+SID2, "-H 1", "-H "+Host1)

func labList(list []string) []string {
	out := make([]string, len(list))
	for i, l := range list {
		out[i] = labArgs.Replace(l)
	}
	return out
}

// Lab case sets: Full on the state with the most sessions, Core on the
// others, Silent for an iscsid that does not answer (every case there
// waits out its timeout, so the list is short).
const (
	LabFull = iota
	LabCore
	LabSilent
)

// LabReadOnly lists the cases that leave the state as it is (rescans
// find nothing new: every LUN is already there), to run as one batch.
// The lists are the host suite's session, node and host options.
func LabReadOnly(st *State, set int) []Case {
	var out []Case
	sel := []string{"", "-r 1", "-r 99"}
	switch set {
	case LabSilent:
		// a request the stopped iscsid has queued runs once it goes on:
		// only requests that change nothing
		add(&out, st, "-m session", labList([]string{"", "-P 1", "-r 1 -P 3", "-r 1 -R"}))
	case LabCore:
		add(&out, st, "-m session", labList(cross(sel, []string{"", "-P 1", "-P 3", "-s"})))
		add(&out, st, "-m session", labList([]string{"-R", "-r 1 --rescan"}))
		add(&out, st, "-m node", cross(nodeSelShort, []string{"-s", "-R"}))
		add(&out, st, "-m host", labList([]string{"", "-P 1", "-P 4", "-H 1 -P 1", "-C stats -H 1"}))
		add(&out, st, "-m iface", []string{""})
	case LabFull:
		add(&out, st, "-m session", labList(cross(sel, sessDB[:6])))
		add(&out, st, "-m session", labList([]string{"", "-s", "-r 1 -s", "-r 99 -s", "-r 2 -P 3", "-r 2 -s"}))
		add(&out, st, "-m session", labList(cross(sel, []string{"-R"})))
		add(&out, st, "-m session", []string{"--rescan"})
		add(&out, st, "-m node", cross(nodeSelShort, []string{"-s", "-R", "-P 1"}))
		add(&out, st, "-m host", labList(append([]string{"-P 2", "-P 3"}, hostCmds...)))
		add(&out, st, "-m iface", []string{"", "-I default"})
	}
	return out
}

// LabChanging lists the cases that change sessions: each runs on a fresh
// state (a login each, so few). before is the number of sessions the
// case needs.
func LabChanging(one, two *State) []Case {
	var out []Case
	add(&out, one, "-m session", labList([]string{"-r 1 -o new"}))
	add(&out, one, "-m node", []string{"-L all"})
	add(&out, two, "-m session", labList([]string{"-r 1 -u", "-u"}))
	add(&out, two, "-m node", []string{"-T " + T1 + " -p " + P1 + " -u", "-U all"})
	return out
}

// LabFailing lists state-changing cases that fail on a state without a
// working iscsid (nothing can change): they end that state's batch.
func LabFailing(st *State) []Case {
	var out []Case
	add(&out, st, "-m session", labList([]string{"-r 1 -u", "-u"}))
	add(&out, st, "-m node", []string{"-U all", "-L all"})
	return out
}
