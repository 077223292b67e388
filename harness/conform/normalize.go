package conform

import (
	"regexp"
	"strconv"
	"strings"
)

// Numbers are what the kernel gave one lab run: the SIDs of its sessions
// (ordered by target, then SID) and the SCSI host of each. Two runs on
// the same state get other numbers; nothing else may differ.
type Numbers struct {
	SIDs  []string
	Hosts []string
}

// placeholders maps the run's numbers to SID1.. and HOST1.. .
func (n Numbers) placeholders() (sids, hosts map[string]string) {
	sids, hosts = map[string]string{}, map[string]string{}
	for i, s := range n.SIDs {
		sids[s] = "SID" + strconv.Itoa(i+1)
	}
	for i, h := range n.Hosts {
		if _, ok := hosts[h]; !ok {
			hosts[h] = "HOST" + strconv.Itoa(i+1)
		}
	}
	return sids, hosts
}

// The places where iscsiadm prints a SID or a host number, and nothing
// else: each pattern's group 2 is the number.
var (
	sidAt = []*regexp.Regexp{
		regexp.MustCompile(`(\[sid: )(\d+)(,)`),                      // Logging out of session [sid: N, ...]
		regexp.MustCompile(`(?m)(^\w+: \[)(\d+)(\] \S+,\d+ \S+ \()`), // tcp: [N] portal,tpgt target (non-flash)
		regexp.MustCompile(`(?m)(^\t*SID: )(\d+)($)`),                // -P 1..3
		regexp.MustCompile(`(session ?(?:id )?)(\d+)(\b)`),           // errors naming a session
	}
	hostAt = []*regexp.Regexp{
		regexp.MustCompile(`(?m)(^\w+: \[)(\d+)(\] \S+,\[)`),          // -m host: tcp: [N] ip,[hwaddr],...
		regexp.MustCompile(`(?m)(^\t*Host Number: )(\d+)(\s)`),        // -P 3
		regexp.MustCompile(`(?m)(^\t*scsi)(\d+)( Channel )`),          // -P 3
		regexp.MustCompile(`(host ?(?:no |number |num: )?)(\d+)(\b)`), // -m host -P, errors
	}
	// -s prints the kernel's counters, which grow with every command
	statLine = regexp.MustCompile(`(?m)^(\t\w+: )\d+$`)
)

func replaceAt(s string, res []*regexp.Regexp, m map[string]string) string {
	for _, re := range res {
		s = re.ReplaceAllStringFunc(s, func(hit string) string {
			g := re.FindStringSubmatch(hit)
			if p, ok := m[g[2]]; ok {
				return g[1] + p + g[3]
			}
			return hit
		})
	}
	return s
}

// Normalize rewrites a lab run's answers so that two runs on the same
// state compare: its SIDs and host numbers become SID1.., HOST1..;
// statistics counters (-s) become N. Only numbers the run's sessions
// have are rewritten, only where iscsiadm prints them.
func (n Numbers) Normalize(r Result) Result {
	sids, hosts := n.placeholders()
	fix := func(s string) string {
		s = replaceAt(s, hostAt, hosts) // host lines first: they look like session lines
		s = replaceAt(s, sidAt, sids)
		if strings.Contains(s, "Stats for session") {
			s = statLine.ReplaceAllString(s, "${1}N")
		}
		return s
	}
	r.Stdout, r.Stderr = fix(r.Stdout), fix(r.Stderr)
	return r
}

// Substitute puts the run's numbers in place of the placeholders of a
// case's arguments; a placeholder without a session stays as it is (an
// argument both tools refuse alike).
func (n Numbers) Substitute(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		switch {
		case a == SID1 && len(n.SIDs) > 0:
			out[i] = n.SIDs[0]
		case a == SID2 && len(n.SIDs) > 1:
			out[i] = n.SIDs[1]
		case a == Host1 && len(n.Hosts) > 0:
			out[i] = n.Hosts[0]
		}
	}
	return out
}
