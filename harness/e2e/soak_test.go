//go:build e2e

package e2e

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var soakFlag = flag.Bool("soak", false, "run the soak: 500 login/logout cycles, 100 connection drops during writes")

// TestSoak (make soak, not part of make test): the project's iscsid
// against tgtd in the guest. 500 login/logout cycles with iscsid's open
// fds, threads and RSS printed every 50 (they must stay flat), then 100
// connection drops (tgtadm deletes the connection) in the middle of
// writes, each followed by a compare of what was written. The output goes
// to results/soak.txt as well.
func TestSoak(t *testing.T) {
	if !*soakFlag {
		t.Skip("the soak runs with -args -soak (make soak)")
	}
	cycles, drops := envInt("SOAK_CYCLES", 500), envInt("SOAK_DROPS", 100)
	s := newScenario(t, "project", kindTgtd, 1)
	var out strings.Builder
	fmt.Fprintf(&out, "\nSoak: project iscsid against tgtd in the lab guest\n")
	node := s.nodeOf(s.tgt.IQN())
	_, err := guest.MustRun(node+" -o new >/dev/null && "+node+" -o update -n node.session.scan -v manual", time.Minute)
	require.NoError(t, err)
	start := time.Now()
	r, err := guest.Run(fmt.Sprintf(`p=$(pidof iscsid)
usage() { echo "$1 $(ls /proc/$p/fd | wc -l) $(ls /proc/$p/task | wc -l) $(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$p/status)"; }
usage 0
for i in $(seq %d); do
	%[2]s -l >/dev/null || { echo "login $i failed"; exit 1; }
	%[2]s -u >/dev/null || { echo "logout $i failed"; exit 1; }
	[ $((i %% 50)) -eq 0 ] && usage $i
done
[ -z "$(ls /sys/class/iscsi_session)" ] && echo sessions-left=0`, cycles, node), 90*time.Minute)
	require.NoError(t, err)
	took := time.Since(start)
	fmt.Fprintf(&out, "%d login/logout cycles in %.0f s (%.2f s per cycle); iscsid every 50 cycles:\n", cycles, took.Seconds(), took.Seconds()/float64(cycles))
	fmt.Fprintf(&out, "%8s %8s %8s %10s\n", "cycle", "fds", "threads", "RSS KiB")
	var first, last []int
	for _, line := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 {
			continue
		}
		v := make([]int, 4)
		for i := range f {
			v[i], _ = strconv.Atoi(f[i])
		}
		fmt.Fprintf(&out, "%8d %8d %8d %10d\n", v[0], v[1], v[2], v[3])
		if v[0] == 50 {
			first = v
		}
		last = v
	}
	// the cycles' table stands even if the drops fail later
	fmt.Print(out.String())
	_ = os.WriteFile(filepath.Join(resultsDir, "soak.txt"), []byte(out.String()), 0o644)
	require.Equal(t, 0, r.Exit, "cycles: %s %s", r.Stdout, r.Stderr)
	assert.Contains(t, r.Stdout, "sessions-left=0")
	require.NotNil(t, first, "a sample at cycle 50")
	assert.Equal(t, first[1], last[1], "open fds flat from cycle 50 to %d", last[0])
	assert.Equal(t, first[2], last[2], "threads flat")
	assert.LessOrEqual(t, last[3]-first[3], 1024, "RSS grows by at most 1 MiB from cycle 50 to %d", last[0])

	// connection drops during writes
	s.login("manual")
	s.scan("0 0 1")
	s.waitLUNs([]uint64{1}, 60*time.Second)
	dev := s.blockDev(1)
	start = time.Now()
	bad := 0
	for i := 1; i <= drops; i++ {
		_, err := guest.MustRun(fmt.Sprintf(goodWritesStart, dev), time.Minute)
		require.NoError(t, err)
		time.Sleep(time.Duration(300+i%5*150) * time.Millisecond)
		require.NoError(t, tgtdDropConn(s.tgt.Port()), "drop %d", i)
		w, err := guest.MustRun(`for i in $(seq 900); do [ -s /tmp/gdone ] && cat /tmp/gdone && exit 0; sleep 0.1; done; exit 1`, 2*time.Minute)
		require.NoError(t, err, "writes after drop %d", i)
		if got := strings.TrimSpace(w.Stdout); got != "fails=0 data=same" {
			bad++
			t.Errorf("drop %d: %s", i, got)
		}
		if i%10 == 0 {
			line := fmt.Sprintf("connection drops: %d done, %d with a failed write or a data mismatch\n", i, bad)
			out.WriteString(line)
			fmt.Print(line)
		}
	}
	rec, _ := guest.Run("grep -c 'recovered after' /tmp/iscsid.log", 10*time.Second)
	usage, _ := guest.Run(`p=$(pidof iscsid); echo "$(ls /proc/$p/fd | wc -l) fds, $(ls /proc/$p/task | wc -l) threads, $(sed -n 's/^VmRSS:[[:space:]]*//p' /proc/$p/status) RSS"`, 10*time.Second)
	fmt.Fprintf(&out, "%d drops in %.0f s; every write landed and compared equal: %v; recoveries logged by iscsid: %s; iscsid then: %s\n",
		drops, time.Since(start).Seconds(), bad == 0, strings.TrimSpace(rec.Stdout), strings.TrimSpace(usage.Stdout))
	assert.Zero(t, bad)
	s.logout()
	fmt.Print(out.String())
	_ = os.WriteFile(filepath.Join(resultsDir, "soak.txt"), []byte(out.String()), 0o644)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
