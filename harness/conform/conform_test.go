package conform

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func topDir(t *testing.T) string {
	t.Helper()
	top, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return top
}

// The suite cannot be skipped quietly: without stock, root or namespaces
// it fails and says what is missing.
func requireLab(t *testing.T, top string) string {
	t.Helper()
	ours := filepath.Join(top, "usr/iscsiadm")
	if _, err := os.Stat(ours); err != nil {
		t.Fatalf("no %s (run make first): %v", ours, err)
	}
	if _, err := os.Stat(StockPath); err != nil {
		t.Fatalf("stock iscsiadm missing (%v): Debian package open-iscsi, installed by .ci/deps.sh", err)
	}
	if out, err := exec.Command("unshare", "-m", "-n", "true").CombinedOutput(); err != nil {
		t.Fatalf("unshare -m -n fails (root needed): %v %s", err, out)
	}
	return ours
}

func jobs() int {
	if n, err := strconv.Atoi(os.Getenv("CONFORM_JOBS")); err == nil && n > 0 {
		return n
	}
	// runs mostly wait: stock sleeps a second each time iscsid does not answer
	return 32 * runtime.NumCPU()
}

func resultsDir(top string) string {
	if d := os.Getenv("CONFORM_RESULTS_DIR"); d != "" {
		return d
	}
	return filepath.Join(top, "harness/results")
}

// TestConformance runs every generated case with stock and ours and fails
// on any difference that is neither in iscsiadm(8)'s table nor pending.
func TestConformance(t *testing.T) {
	top := topDir(t)
	ours := requireLab(t, top)
	documented, err := ReadDocumented(top)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := readRows("pending.txt", ParsePending)
	if err != nil {
		t.Fatal(err)
	}
	todo, err := readRows("todo.txt", ParsePending)
	if err != nil {
		t.Fatal(err)
	}
	scratch := t.TempDir()
	// a private copy: a rebuild while the suite runs changes nothing
	b, err := os.ReadFile(ours)
	if err == nil {
		ours = filepath.Join(scratch, "iscsiadm")
		err = os.WriteFile(ours, b, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	states := States()
	if err := Build(states, top, ours, scratch); err != nil {
		t.Fatal(err)
	}
	built := time.Since(start)
	cases := Generate(states)
	if f := os.Getenv("CONFORM_RUN"); f != "" { // a subset while working on one area
		re := regexp.MustCompile(f)
		var keep []Case
		for _, c := range cases {
			if re.MatchString(c.ID()) {
				keep = append(keep, c)
			}
		}
		cases = keep
	}
	outs := runAll(t, cases, ours, scratch, documented, pending, todo)

	var table, diffs bytes.Buffer
	fmt.Fprintf(&table, "conformance, stock open-iscsi 2.1.8 vs ours: %d states (built in %v), %d cases, %v\n",
		len(states), built.Round(time.Second), len(cases), time.Since(start).Round(time.Second))
	bad := Table(&table, outs)
	for _, o := range outs {
		if o.Verdict == Undocumented || o.Verdict == Pending || o.Verdict == Todo {
			Explain(&diffs, o)
		}
	}
	slowest(&table, outs)
	rd := resultsDir(top)
	if err := os.MkdirAll(rd, 0o755); err == nil {
		os.WriteFile(filepath.Join(rd, "conform.txt"), table.Bytes(), 0o644)
		os.WriteFile(filepath.Join(rd, "conform-diffs.txt"), diffs.Bytes(), 0o644)
		var times bytes.Buffer
		for _, o := range outs {
			fmt.Fprintf(&times, "%d %d %s\n", o.Stock.Millis, o.Ours.Millis, o.Case.ID())
		}
		os.WriteFile(filepath.Join(rd, "conform-times.txt"), times.Bytes(), 0o644)
	}
	t.Log("\n" + table.String())
	if bad > 0 {
		shown := 0
		for _, o := range outs {
			if o.Verdict == Undocumented && shown < 15 {
				var b bytes.Buffer
				Explain(&b, o)
				t.Error("undocumented difference:\n" + b.String())
				shown++
			}
		}
		t.Errorf("%d undocumented differences (all in %s)", bad, filepath.Join(rd, "conform-diffs.txt"))
	}
	if os.Getenv("CONFORM_RUN") == "" {
		checkRowsUsed(t, documented, append(pending, todo...), outs)
	}
}

// A row that covers no case is stale: the table stays the truth.
func checkRowsUsed(t *testing.T, documented, pending []Row, outs []Outcome) {
	t.Helper()
	used := map[string]bool{}
	for _, o := range outs {
		if o.Row != nil {
			used[o.Row.Pattern] = true
		}
	}
	for _, r := range documented {
		if !used[r.Pattern] {
			t.Errorf("iscsiadm(8) documents a difference no case shows: %q", r.Pattern)
		}
	}
	for _, r := range pending {
		if !used[r.Pattern] {
			t.Errorf("pending.txt or todo.txt lists %q but no case differs there (done? remove the line)", r.Pattern)
		}
	}
}

func runAll(t *testing.T, cases []Case, ours, scratch string, documented, pending, todo []Row) []Outcome {
	res, errs := RunCases(cases, ours, scratch, jobs())
	outs := make([]Outcome, len(cases))
	for i, c := range cases {
		if errs[i] != nil {
			t.Errorf("%s: %v", c.ID(), errs[i])
		}
		outs[i] = Judge(c, res[i][0], res[i][1], documented, pending, todo)
	}
	return outs
}

// Every option of every mode line in stock's usage text appears in a
// generated case of that mode.
func TestUsageCoverage(t *testing.T) {
	out, _ := exec.Command(StockPath, "--help").CombinedOutput()
	if !bytes.Contains(out, []byte("iscsiadm -m node")) {
		t.Fatalf("stock usage text not found: %s", out)
	}
	states := States()
	cases := Generate(states)
	flag := regexp.MustCompile(`(?:^|[\s\[|])(-[a-zA-Z])\b`)
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[1] != "-m" {
			continue
		}
		mode := f[2]
		for _, m := range flag.FindAllStringSubmatch(line, -1) {
			opt := m[1]
			if opt == "-m" {
				continue
			}
			if !covered(cases, mode, opt) {
				t.Errorf("usage of -m %s names %s, no generated case uses it", mode, opt)
			}
		}
	}
}

func covered(cases []Case, mode, opt string) bool {
	for _, c := range cases {
		if len(c.Args) < 2 || c.Args[0] != "-m" || c.Args[1] != mode {
			continue
		}
		for _, a := range c.Args[2:] {
			if a == opt {
				return true
			}
		}
	}
	return false
}

// The judge: documented rows excuse only the fields they name.
func TestJudge(t *testing.T) {
	st := &State{Name: "s"}
	c := Case{State: st, Args: []string{"-m", "node", "-o", "show"}}
	rows := []Row{{Pattern: "s: -m node *", Fields: []string{FieldExit}}}
	pend := []Row{{Pattern: "s: -m host*", Fields: []string{FieldExit, FieldStdout, FieldStderr, FieldFiles}}}
	for _, r := range []*Row{&rows[0], &pend[0]} {
		if err := r.compile(); err != nil {
			t.Fatal(err)
		}
	}
	a := Result{RC: 0, Stdout: "x\n"}
	cases := []struct {
		b    Result
		c    Case
		want Verdict
	}{
		{Result{RC: 0, Stdout: "x\n"}, c, Identical},
		{Result{RC: 21, Stdout: "x\n"}, c, Documented},
		{Result{RC: 21, Stdout: "y\n"}, c, Undocumented},
		{Result{RC: 0, Stdout: "x\nnode.session.autoscan_en = Yes\n"}, c, Undocumented},
		{Result{RC: 0, Stdout: "y\n"}, Case{State: st, Args: []string{"-m", "host"}}, Pending},
		{Result{RC: 0, Stdout: "x\n", Files: map[string]string{"etc/.idb.lock": ""}}, c, Undocumented},
		{Result{RC: 0, Stdout: "x\n", Files: map[string]string{"etc/nodes_ext/a": ""}}, c, Identical},
	}
	for i, tc := range cases {
		if got := Judge(tc.c, a, tc.b, rows, pend, nil).Verdict; got != tc.want {
			t.Errorf("case %d: verdict %d, want %d", i, got, tc.want)
		}
	}
	if d := Diff(a, Result{Stdout: "x\nnode.session.autoscan_en = No\n"}); len(d) != 1 || d[0] != FieldAutoscanLine {
		t.Errorf("autoscan_en line: %v", d)
	}
}

func TestParseManTable(t *testing.T) {
	man := `.SH X
.\" conform: documented differences
.TS
tab(@);
l l l.
Case@Differs@Reason
_
*: \-m node \-o new*@exit,stderr@one line
static: \-m host@stdout@T{
two
lines
T}
.TE
`
	rows, err := ParseManTable(strings.NewReader(man))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Pattern != "*: -m node -o new*" || rows[1].Reason != "two lines" ||
		len(rows[0].Fields) != 2 {
		t.Fatalf("rows: %+v", rows)
	}
	if _, err := ParseManTable(strings.NewReader(".SH X\n")); err == nil {
		t.Error("a man page without the table must be an error")
	}
}

// slowest names the cases that took longest (stock's one-second retries
// when iscsid does not answer are most of the suite's time).
func slowest(w *bytes.Buffer, outs []Outcome) {
	idx := make([]int, len(outs))
	total := 0
	for i := range idx {
		idx[i] = i
		total += outs[i].Stock.Millis + outs[i].Ours.Millis
	}
	sort.Slice(idx, func(a, b int) bool {
		x, y := outs[idx[a]], outs[idx[b]]
		return x.Stock.Millis+x.Ours.Millis > y.Stock.Millis+y.Ours.Millis
	})
	fmt.Fprintf(w, "run time of all cases: %.0f s (stock and ours, summed over workers); slowest:\n", float64(total)/1000)
	for _, i := range idx[:min(5, len(idx))] {
		fmt.Fprintf(w, "  %6d ms stock %6d ms ours  %s\n", outs[i].Stock.Millis, outs[i].Ours.Millis, outs[i].Case.ID())
	}
}
