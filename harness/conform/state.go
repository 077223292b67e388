package conform

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Targets and portals of the fake sysfs trees (usr/tests/data/sysfs), so
// that records and sessions can match.
const (
	T1 = "iqn.2003-01.org.example:disk1"
	T2 = "iqn.2003-01.org.example:disk2"
	TM = "iqn.2003-01.org.example:mpath"
	P1 = "10.0.2.2:3260"
	P2 = "10.0.2.2:3261"
	P3 = "10.0.2.3:3260"
)

// State is one starting point given to both tools: an etc directory (over
// /etc/iscsi), a sysfs tree (over /sys) and iscsid absent or silent.
type State struct {
	Name   string
	Tree   string // usr/tests/data/sysfs/<Tree>
	Daemon string // "none": nothing on iscsid's socket; "silent": accepts, never answers
	setup  string // shell run with stock in the namespace to make the records
	// stock's SendTargets discovery asks iscsid for the initiator name, and
	// stock iscsid cannot run without the kernel's iSCSI netlink: these
	// records are made by ours (its records are stock's layout, byte for
	// byte: test_adm_discovered_stock.sh)
	setupOurs bool
	mutate    func(etc string) error
	etc       string // template directories, filled by Build
	sys       string
}

const staticRecords = `
iscsiadm -m node -o new -T ` + T1 + ` -p ` + P1 + `,1
iscsiadm -m node -o new -T ` + T1 + ` -p ` + P3 + `,2
iscsiadm -m node -o new -T ` + T2 + ` -p ` + P2 + `
`

// tgtd inside the namespace serves two targets on two portals for
// SendTargets; it keeps nothing on disk.
const tgtdStart = `
tgtd -f --iscsi portal=127.0.0.1:3260 --control-port 5 >/run/tgtd.log 2>&1 &
TGTD=$!
trap 'kill -9 $TGTD' EXIT
i=0
until tgtadm --control-port 5 --lld iscsi --mode target --op show >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat /run/tgtd.log; exit 1; }; sleep 0.1
done
tgtadm --control-port 5 --lld iscsi --mode portal --op new --param portal=127.0.0.1:3262
for t in 1 2; do
	tgtadm --control-port 5 --lld iscsi --mode target --op new --tid $t --targetname iqn.2003-01.org.example:st$t
	tgtadm --control-port 5 --lld iscsi --mode target --op bind --tid $t --initiator-address ALL
done
`

// States lists every generated state.
func States() []*State {
	return []*State{
		{Name: "empty", Tree: "empty", Daemon: "none"},
		{Name: "static", Tree: "empty", Daemon: "none", setup: staticRecords},
		{Name: "sendtargets", Tree: "empty", Daemon: "none", setupOurs: true, setup: tgtdStart +
			"iscsiadm -m discovery -t st -p 127.0.0.1:3260 >/dev/null\n"},
		{Name: "sendtargets-chap", Tree: "empty", Daemon: "none", setupOurs: true, setup: tgtdStart + `
iscsiadm -m discoverydb -t st -p 127.0.0.1:3260 -o new >/dev/null
iscsiadm -m discoverydb -t st -p 127.0.0.1:3260 -o update -n discovery.sendtargets.auth.authmethod -v CHAP
iscsiadm -m discoverydb -t st -p 127.0.0.1:3260 -o update -n discovery.sendtargets.auth.username -v duser
iscsiadm -m discoverydb -t st -p 127.0.0.1:3260 -o update -n discovery.sendtargets.auth.password -v dsecret12345
iscsiadm -m discovery -t st -p 127.0.0.1:3262 >/dev/null
`},
		{Name: "ifaces", Tree: "empty", Daemon: "none", setup: `
iscsiadm -m iface -I if1 -o new >/dev/null
iscsiadm -m iface -I if1 -o update -n iface.ipaddress -v 10.0.2.15
iscsiadm -m iface -I if2 -o new >/dev/null
iscsiadm -m node -o new -T ` + T1 + ` -p ` + P1 + `,1 -I if1 >/dev/null
iscsiadm -m node -o new -T ` + T1 + ` -p ` + P1 + `,1 -I if2 >/dev/null
iscsiadm -m node -o new -T ` + T1 + ` -p ` + P1 + `,1 >/dev/null
`},
		{Name: "unknown-key", Tree: "empty", Daemon: "none", setup: staticRecords, mutate: func(etc string) error {
			f, err := os.OpenFile(recPath(etc, T2, "10.0.2.2,3261"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteString("node.session.nosuch_key = 1\n")
			return err
		}},
		{Name: "truncated", Tree: "empty", Daemon: "none", setup: staticRecords, mutate: func(etc string) error {
			return os.Truncate(recPath(etc, T1, "10.0.2.2,3260,1"), 700)
		}},
		{Name: "no-initiatorname", Tree: "empty", Daemon: "none", setup: staticRecords, mutate: func(etc string) error {
			return os.Remove(filepath.Join(etc, "initiatorname.iscsi"))
		}},
		{Name: "sessions-norecord", Tree: "two-sessions", Daemon: "none"},
		{Name: "sessions", Tree: "two-sessions", Daemon: "none", setup: staticRecords},
		{Name: "recovery", Tree: "recovery", Daemon: "none", setup: `
iscsiadm -m node -o new -T ` + TM + ` -p ` + P1 + `,1 >/dev/null
iscsiadm -m node -o new -T ` + TM + ` -p 10.0.2.2:3262,1 >/dev/null
`},
		{Name: "sessions-silent", Tree: "two-sessions", Daemon: "silent", setup: staticRecords},
	}
}

// recPath: stock keeps a record without a portal group tag as the file
// nodes/T/ADDR,PORT, one with a tag as nodes/T/ADDR,PORT,TPGT/IFACE.
func recPath(etc, target, portal string) string {
	p := filepath.Join(etc, "nodes", target, portal)
	if strings.Count(portal, ",") == 2 {
		p = filepath.Join(p, "default")
	}
	return p
}

// initiatorname and Debian's iscsid.conf whose startup command is harmless
// (the namespace has no systemd anyway).
func baseEtc(top, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	conf, err := os.ReadFile(filepath.Join(top, "usr/tests/data/iscsid.conf.debian"))
	if err != nil {
		return err
	}
	conf = regexp.MustCompile(`(?m)^iscsid\.startup = .*$`).ReplaceAll(conf, []byte("iscsid.startup = /bin/true"))
	if err := os.WriteFile(filepath.Join(dir, "iscsid.conf"), conf, 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "initiatorname.iscsi"),
		[]byte("InitiatorName=iqn.1993-08.org.debian:01:conform\n"), 0o644)
}

// Build makes every state's templates below dir, with stock making the
// records; top is the repository's top directory.
func Build(states []*State, top, ours, dir string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(states))
	for i, st := range states {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = build(st, top, ours, filepath.Join(dir, "state-"+st.Name))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("state %s: %w", states[i].Name, err)
		}
	}
	return nil
}

func build(st *State, top, ours, dir string) error {
	st.etc, st.sys = filepath.Join(dir, "etc"), filepath.Join(dir, "sys")
	if err := baseEtc(top, st.etc); err != nil {
		return err
	}
	if err := copyTree(filepath.Join(top, "usr/tests/data/sysfs", st.Tree), st.sys); err != nil {
		return err
	}
	if st.setup != "" {
		by := ""
		if st.setupOurs {
			by = ours
		}
		if err := shell(Env{Etc: st.etc, Sys: st.sys, Daemon: "none"}, by, st.setup); err != nil {
			return err
		}
	}
	if st.mutate != nil {
		return st.mutate(st.etc)
	}
	return nil
}
