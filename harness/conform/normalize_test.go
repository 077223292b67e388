package conform

import "testing"

// Only the run's own SIDs and hosts, only where iscsiadm prints them.
func TestNormalize(t *testing.T) {
	n := Numbers{SIDs: []string{"7", "9"}, Hosts: []string{"3", "4"}}
	in := Result{Stdout: "tcp: [7] 10.0.2.2:3321,1 iqn.x:disk1 (non-flash)\n" +
		"tcp: [9] 10.0.2.2:3322,1 iqn.x:disk2 (non-flash)\n" +
		"tcp: [3] 10.0.2.15,[<empty>],<empty> <empty>\n" +
		"\t\tSID: 7\n\t\tHost Number: 4\tState: running\n\t\tscsi4 Channel 00 Id 0 Lun: 0\n" +
		"\t\tRecovery Timeout: 7\n",
		Stderr: "iscsiadm: Could not logout of [sid: 9, target: iqn.x:disk2, portal: 10.0.2.2,3322].\n" +
			"iscsiadm: no session 5\n"}
	want := Result{Stdout: "tcp: [SID1] 10.0.2.2:3321,1 iqn.x:disk1 (non-flash)\n" +
		"tcp: [SID2] 10.0.2.2:3322,1 iqn.x:disk2 (non-flash)\n" +
		"tcp: [HOST1] 10.0.2.15,[<empty>],<empty> <empty>\n" +
		"\t\tSID: SID1\n\t\tHost Number: HOST2\tState: running\n\t\tscsiHOST2 Channel 00 Id 0 Lun: 0\n" +
		"\t\tRecovery Timeout: 7\n",
		Stderr: "iscsiadm: Could not logout of [sid: SID2, target: iqn.x:disk2, portal: 10.0.2.2,3322].\n" +
			"iscsiadm: no session 5\n"}
	if got := n.Normalize(in); got.Stdout != want.Stdout || got.Stderr != want.Stderr {
		t.Errorf("got\n%s%s\nwant\n%s%s", got.Stdout, got.Stderr, want.Stdout, want.Stderr)
	}
	stats := Result{Stdout: "Stats for session [sid: 9, target: t, portal: p]\niSCSI SNMP:\n\ttxdata_octets: 2264\n"}
	if got := n.Normalize(stats).Stdout; got != "Stats for session [sid: SID2, target: t, portal: p]\niSCSI SNMP:\n\ttxdata_octets: N\n" {
		t.Errorf("stats: %q", got)
	}
	if got := n.Substitute([]string{"-m", "session", "-r", SID2, "-H", Host1}); got[3] != "9" || got[5] != "3" {
		t.Errorf("substitute: %v", got)
	}
	if got := (Numbers{}).Substitute([]string{"-r", SID1}); got[1] != SID1 {
		t.Errorf("no session: %v", got)
	}
}
