//go:build e2e

package e2e

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"autoscan/harness/conform"
)

// labSession is one iSCSI session in the guest's sysfs.
type labSession struct {
	sid, host     int
	target, state string
}

// labSessions lists the guest's sessions ordered by target, then SID: the
// order conform.Numbers gives SID1, SID2.
func labSessions(t *testing.T) []labSession {
	r, err := guest.MustRun(`for s in /sys/class/iscsi_session/session*; do
	[ -e "$s" ] || continue
	h=$(basename "$(dirname "$(readlink -f "$s/device")")")
	echo "${s##*session} ${h#host} $(cat "$s/targetname") $(cat "$s/state")"
done`, 30*time.Second)
	require.NoError(t, err)
	var out []labSession
	for _, l := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		f := strings.Fields(l)
		if len(f) != 4 {
			continue
		}
		sid, err1 := strconv.Atoi(f[0])
		host, err2 := strconv.Atoi(f[1])
		require.NoError(t, err1, "session line %q", l)
		require.NoError(t, err2, "session line %q", l)
		out = append(out, labSession{sid: sid, host: host, target: f[2], state: f[3]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].target != out[j].target {
			return out[i].target < out[j].target
		}
		return out[i].sid < out[j].sid
	})
	return out
}

func numbersOf(ss []labSession) conform.Numbers {
	var n conform.Numbers
	for _, s := range ss {
		n.SIDs = append(n.SIDs, strconv.Itoa(s.sid))
		n.Hosts = append(n.Hosts, strconv.Itoa(s.host))
	}
	return n
}

// conformHead starts a batch script: each case runs iscsiadm (the
// selected initiator's, first on PATH) with a time limit and prints a
// frame "@@ rc outlen errlen sessions devices" (the numbers of iSCSI
// sessions and SCSI devices it left) followed by its stdout and stderr.
// Forks are few: under TCG each costs tens of milliseconds.
const conformHead = `rm -rf /tmp/cf; mkdir /tmp/cf; cd /tmp/cf || exit 1
snap() { find /etc/iscsi -type f | sort | xargs md5sum 2>/dev/null; }
snap > base
one() {
	secs=$1; shift
	timeout -s KILL "$secs" iscsiadm "$@" > o 2> e < /dev/null; rc=$?
	set -- /sys/class/iscsi_session/session*; ns=$#; [ -e "$1" ] || ns=0
	set -- /sys/class/scsi_device/*; nd=$#; [ -e "$1" ] || nd=0
	set -- $(stat -c %s o e)
	echo "@@ $rc $1 $2 $ns $nd"
	cat o e
}
`

// conformTail ends a batch: the files of /etc/iscsi whose checksum the
// whole batch changed (one frame "@@files LEN").
const conformTail = `snap > now
diff base now | sed -n 's/^[-+][0-9a-f]\{32\}  //p' | sort -u > x
echo "@@files $(stat -c %s x)"
cat x
`

// runConformBatch runs cases in the guest on the current state, each
// with its placeholders replaced by n's numbers, and returns their
// results normalized back. The files the batch changed are the last
// case's (a batch holds one case that changes something, or none).
func runConformBatch(t *testing.T, cases []conform.Case, n conform.Numbers, secs int) []conform.Result {
	var b strings.Builder
	b.WriteString(conformHead)
	for _, c := range cases {
		fmt.Fprintf(&b, "one %d", secs)
		for _, a := range n.Substitute(c.Args) {
			b.WriteString(" '" + strings.ReplaceAll(a, "'", `'\''`) + "'")
		}
		b.WriteString("\n")
	}
	b.WriteString(conformTail)
	limit := time.Duration(len(cases)*(secs+5)) * time.Second
	r, err := guest.MustRun(b.String(), limit)
	require.NoError(t, err, "conformance batch")
	res, files, err := parseFrames(r.Stdout)
	require.NoError(t, err)
	require.Len(t, res, len(cases), "one frame per case")
	for i := range res {
		res[i] = n.Normalize(res[i])
	}
	for k, v := range files {
		res[len(res)-1].Files[k] = v
	}
	return res
}

// parseFrames reads the frames of conformHead's one() and conformTail.
func parseFrames(s string) ([]conform.Result, map[string]string, error) {
	var out []conform.Result
	for len(s) > 0 {
		nl := strings.IndexByte(s, '\n')
		if nl < 0 {
			return nil, nil, fmt.Errorf("frame header without newline: %q", s)
		}
		head := s[:nl]
		s = s[nl+1:]
		var lx int
		if _, err := fmt.Sscanf(head, "@@files %d", &lx); err == nil && len(s) == lx {
			return out, changedFiles(s), nil
		}
		var rc, lo, le, ns, nd int
		if _, err := fmt.Sscanf(head, "@@ %d %d %d %d %d", &rc, &lo, &le, &ns, &nd); err != nil {
			return nil, nil, fmt.Errorf("frame header %q: %w", head, err)
		}
		if len(s) < lo+le {
			return nil, nil, fmt.Errorf("frame cut short")
		}
		out = append(out, conform.Result{RC: rc, Stdout: s[:lo], Stderr: s[lo : lo+le],
			Files: map[string]string{"sys/sessions": strconv.Itoa(ns), "sys/devices": strconv.Itoa(nd)}})
		s = s[lo+le:]
	}
	return nil, nil, fmt.Errorf("no files frame at the end")
}

// changedFiles: each changed file of /etc/iscsi as the comparator's
// etc/PATH.
func changedFiles(x string) map[string]string {
	files := map[string]string{}
	for _, l := range strings.Split(x, "\n") {
		if strings.HasPrefix(l, "/etc/iscsi/") {
			files["etc/"+strings.TrimPrefix(l, "/etc/iscsi/")] = "changed"
		}
	}
	return files
}
