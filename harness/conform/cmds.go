package conform

import (
	"strings"
	"time"
)

// Case is one command line on one state.
type Case struct {
	State *State
	Args  []string
}

// ID names a case in reports, the man page table and pending.txt:
// "STATE: ARGS".
func (c Case) ID() string { return c.State.Name + ": " + strings.Join(c.Args, " ") }

// writesSysfs: stock writes to sysfs for rescans only.
func (c Case) writesSysfs() bool {
	for _, a := range c.Args {
		if a == "-R" || a == "--rescan" {
			return true
		}
	}
	return false
}

// A silent iscsid makes stock wait for ever on most requests: both are
// killed after a while and compared as they are then.
func (c Case) timeout() time.Duration {
	if c.State.Daemon == "silent" {
		return 15 * time.Second
	}
	return 60 * time.Second
}

// Every short option of stock's getopt table with a harmless argument,
// for the sweep of each option in each mode.
var optionArgs = []string{
	"-R", "-l", "-D", "-V", "-h", "-s", "-S", "-u", "-W",
	"-a 10.0.2.2", "-b 64", "-c 1", "-C ping", "-p " + P1, "-P 1", "-T " + T1,
	"-H 1", "-i 1", "-I default", "-U all", "-k 0", "-L all", "-d 1", "-r 1",
	"-n node.startup", "-v manual", "-o show", "-t st", "-x 0", "-A ipv4",
	"--lun 0",
}

var modes = []string{"discovery", "discoverydb", "node", "session", "iface", "fw", "host"}

func cross(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			out = append(out, strings.TrimSpace(x+" "+y))
		}
	}
	return out
}

var (
	nodeSel = []string{"", "-T " + T1, "-T " + T1 + " -p " + P1, "-T " + T1 + " -p " + P1 + " -I default",
		"-p " + P1, "-T iqn.nosuch", "-I if1", "-T iqn.2003-01.org.example:st1 -p 127.0.0.1:3262"}
	nodeSelShort = []string{"", "-T " + T1 + " -p " + P1}
	nodeSelMid   = []string{"", "-T " + T1 + " -p " + P1, "-I if1", "-T iqn.2003-01.org.example:st1 -p 127.0.0.1:3262"}
	// operations that stay in the record database
	nodeDB = []string{"", "-o show", "-P 0", "-P 1", "-P 2", "-S", "-o show -S",
		"-o show -n node.startup", "-o update -n node.startup -v automatic",
		"-o update -n node.session.scan -v manual", "-o update -n node.nosuch -v 1",
		"-o update -n node.session.autoscan_en -v No", "-o update -n node.session.cmds_max -v 12x",
		"-o update -n node.session.auth.chap_algs -v MD5,FOO",
		"-o delete", "-o new", "-o nonpersistent", "-o nonpersistent -n node.startup -v automatic",
		"-o apply", "-o applyall", "-o new -o delete"}
	nodeCore = []string{"", "-o show", "-P 1", "-S", "-o update -n node.startup -v automatic",
		"-o delete", "-o new", "-o nonpersistent"}
	// operations on sessions (iscsid or sysfs)
	nodeSess = []string{"-l", "-u", "-R", "-s", "--rescan", "-R --lun 0", "-l -W", "--logout"}
	nodeAll  = []string{"-L all", "-U all", "-L manual", "-L automatic", "-U manual", "-U onboot", "-L nosuch", "-U nosuch"}

	sessSel      = []string{"", "-r 1", "-r 2", "-r 7", "-r 99", "-r abc"}
	sessSelShort = []string{"", "-r 1", "-r 99"}
	sessDB       = []string{"-P 0", "-P 1", "-P 2", "-P 3", "-S", "-P 3 -S", "-o show", "-o delete",
		"-o update -n node.startup -v automatic", "-o nonpersistent"}
	sessOps = []string{"-u", "-R", "--rescan", "-s", "-o new", "-R --lun 0", "--logout"}

	discDB = []string{"", "-P 0", "-P 1", "-P 2", "-o show", "-o show -P 1", "-S",
		"-t st -p 127.0.0.1:3260", "-t st -p 127.0.0.1:3260 -o show", "-t st -p 127.0.0.1:3260 -o show -S",
		"-t sendtargets -p 127.0.0.1:3260 -o show -P 1",
		"-t st -p 127.0.0.1:3260 -o update -n discovery.sendtargets.use_discoveryd -v Yes",
		"-t st -p 127.0.0.1:3260 -o update -n discovery.nosuch -v 1",
		"-t st -p 127.0.0.1:3260 -o delete", "-t st -p 127.0.0.1:3263 -o new",
		"-t st -p 127.0.0.1:3999 -o show", "-t st -p 127.0.0.1:3999 -o delete",
		"-t isns -p 127.0.0.1:3205 -o show", "-t fw", "-t st", "-p 127.0.0.1:3260", "-o nonpersistent",
		"-t st -p 127.0.0.1:3260 -o nonpersistent"}

	discCore  = []string{"", "-P 1", "-o show", "-t st -p 127.0.0.1:3260 -o show", "-t st -p 127.0.0.1:3260 -o delete"}
	ifaceCmds = []string{"", "-P 0", "-P 1", "-I default", "-I iser", "-I if1", "-I if1 -o show",
		"-I if1 -o delete", "-I if3 -o new", "-I if1 -o update -n iface.ipaddress -v 10.0.2.16",
		"-I if1 -o update -n iface.nosuch -v 1", "-I nosuch", "-I nosuch -o delete", "-o new",
		"-I if1 -o apply", "-I if1 -o applyall", "-I default -o apply",
		"-I if1 -C ping -a 10.0.2.2 -c 1", "-H 1", "-I if1 -o nonpersistent"}

	hostCmds = []string{"", "-P 0", "-P 1", "-P 4", "-H 1", "-H 1 -P 1", "-C stats -H 1", "-C chap -H 1",
		"-C flashnode -H 1", "-H nosuch"}
	fwCmds = []string{"-m fw", "-m fw -l", "-m fw -P 1", "-m discovery -t fw", "-m discovery -t fw -l",
		"-m discoverydb -t fw"}
	misc = []string{"-k 0", "-m nosuch", "-o show", "-V", "--version", "-h", "-m node -o nosuch",
		"-m node -P x", "-m node -Z", "-m node extra", "-m"}
)

func add(out *[]Case, st *State, prefix string, list []string) {
	for _, l := range list {
		*out = append(*out, Case{State: st, Args: strings.Fields(strings.TrimSpace(prefix + " " + l))})
	}
}

// Generate makes every case: mode x op x option x -P level, on the states
// where they tell something apart, plus the sweep of every option in every
// mode. The full cross product runs on the states with the most to tell
// (static records; records with sessions); the others get a core set.
func Generate(states []*State) []Case {
	var out []Case
	for _, st := range states {
		if st.Daemon == "silent" {
			add(&out, st, "-m node", cross(nodeSelShort, []string{"-l", "-u", "-R"}))
			add(&out, st, "-m node", []string{"-L all", "-U all", "--logout"})
			add(&out, st, "-m session", []string{"-u", "-R", "-r 1 -R", "-r 1 -u", "-s", "-P 1"})
			continue
		}
		full := st.Name == "static" || st.Name == "sessions"
		sessions := st.Tree != "empty"
		switch {
		case st.Name == "static":
			add(&out, st, "-m node", cross(nodeSel, nodeDB))
		case st.Name == "sendtargets" || st.Name == "ifaces" || st.Name == "sessions":
			add(&out, st, "-m node", cross(nodeSelMid, nodeDB))
		default:
			add(&out, st, "-m node", cross(nodeSelShort, nodeCore))
		}
		if full || st.Name == "empty" || st.Name == "sendtargets-chap" || st.Name == "sendtargets" {
			add(&out, st, "-m discoverydb", discDB)
		} else {
			add(&out, st, "-m discoverydb", discCore)
		}
		add(&out, st, "-m discovery", []string{"", "-P 1", "-o show", "-t st -p 127.0.0.1:3260 -o show", "-t st -p 127.0.0.1:3260 -o delete"})
		if full || st.Name == "ifaces" || st.Name == "empty" {
			add(&out, st, "-m iface", ifaceCmds)
		} else {
			add(&out, st, "-m iface", []string{"", "-P 1", "-I default"})
		}
		if sessions || st.Name == "empty" || st.Name == "static" {
			add(&out, st, "-m node", cross(nodeSelShort, nodeSess))
			add(&out, st, "-m node", nodeAll)
			add(&out, st, "-m session", cross(sessSelShort, sessDB))
			add(&out, st, "-m host", hostCmds)
		}
		if sessions {
			add(&out, st, "-m session", cross(sessSel, sessOps))
		} else {
			add(&out, st, "-m session", cross(sessSelShort, sessOps))
		}
	}
	for _, st := range states {
		if st.Name == "empty" {
			add(&out, st, "", fwCmds)
			add(&out, st, "", misc)
			for _, m := range modes {
				add(&out, st, "-m "+m, optionArgs)
			}
		}
	}
	seen := map[string]bool{}
	var uniq []Case
	for _, c := range out {
		if !seen[c.ID()] {
			seen[c.ID()] = true
			uniq = append(uniq, c)
		}
	}
	return uniq
}
