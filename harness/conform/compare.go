package conform

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// What can differ between two runs.
const (
	FieldExit   = "exit"
	FieldStdout = "stdout"
	FieldStderr = "stderr"
	FieldFiles  = "files"
	// stdout differs only by our own key's line in a record dump
	FieldAutoscanLine = "stdout:autoscan_en"
	// the same lines in another order (stock lists in directory order)
	FieldOrder       = "stdout:order"
	FieldStderrOrder = "stderr:order"
)

func sortedLines(s string) string {
	l := strings.Split(s, "\n")
	sort.Strings(l)
	return strings.Join(l, "\n")
}

var autoscanLine = regexp.MustCompile(`(?m)^node\.session\.autoscan_en = .*\n`)

// Diff lists the fields in which ours differs from stock.
func Diff(stock, ours Result) []string {
	var d []string
	if stock.RC != ours.RC {
		d = append(d, FieldExit)
	}
	if stock.Stdout != ours.Stdout {
		plain := autoscanLine.ReplaceAllString(ours.Stdout, "")
		switch {
		case plain == stock.Stdout:
			d = append(d, FieldAutoscanLine)
		case sortedLines(plain) == sortedLines(stock.Stdout):
			d = append(d, FieldOrder)
		default:
			d = append(d, FieldStdout)
		}
	}
	if stock.Stderr != ours.Stderr {
		if sortedLines(stock.Stderr) == sortedLines(ours.Stderr) {
			d = append(d, FieldStderrOrder)
		} else {
			d = append(d, FieldStderr)
		}
	}
	if len(FileDiff(stock.Files, ours.Files)) > 0 {
		d = append(d, FieldFiles)
	}
	return d
}

// FileDiff names the files that are not the same in both runs. Our
// sidecar (etc/nodes_ext/, our own key) has no stock counterpart.
func FileDiff(a, b map[string]string) []string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok && !strings.HasPrefix(k, "etc/nodes_ext/") {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Row is one documented (or pending) difference: the cases it covers (a
// glob over Case.ID, "*" matching any text), the fields that may differ,
// and why.
type Row struct {
	Pattern string
	Fields  []string
	Reason  string
	re      *regexp.Regexp
}

func (r *Row) compile() error {
	parts := strings.Split(r.Pattern, "*")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	re, err := regexp.Compile("^" + strings.Join(parts, ".*") + "$")
	r.re = re
	for _, f := range r.Fields {
		switch f {
		case FieldExit, FieldStdout, FieldStderr, FieldFiles, FieldAutoscanLine, FieldOrder, FieldStderrOrder:
		default:
			return fmt.Errorf("row %q: unknown field %q", r.Pattern, f)
		}
	}
	return err
}

// Covers: the row matches the case and allows every differing field.
func (r *Row) Covers(id string, diff []string) bool {
	if !r.re.MatchString(id) {
		return false
	}
	for _, d := range diff {
		ok := false
		for _, f := range r.Fields {
			if f == d || (strings.HasPrefix(d, "stdout:") && f == FieldStdout) ||
				(d == FieldStderrOrder && f == FieldStderr) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// roff escapes used in the table cells.
var roffUnescape = strings.NewReplacer(`\-`, "-", `\e`, `\`, `\(em`, "--", `\&`, "")

// ParseManTable reads the one table of documented differences from
// doc/iscsiadm.8: the tbl block (tab "@") after the line
// ".\" conform: documented differences". Each data row is
// "case pattern@fields@reason"; a reason may be a T{ ... T} text block.
func ParseManTable(r io.Reader) ([]Row, error) {
	sc := bufio.NewScanner(r)
	state := 0 // 0 before marker, 1 before .TS, 2 in format lines, 3 rows
	var rows []Row
	var pending *Row
	for sc.Scan() {
		line := sc.Text()
		switch {
		case state == 0 && strings.HasPrefix(line, `.\" conform: documented differences`):
			state = 1
		case state == 1 && line == ".TS":
			state = 2
		case state == 2 && strings.HasSuffix(line, "."):
			state = 3
		case state == 3 && line == ".TE":
			return rows, nil
		case state == 3 && pending != nil:
			if line == "T}" {
				rows = append(rows, *pending)
				pending = nil
			} else {
				pending.Reason = strings.TrimSpace(pending.Reason + " " + roffUnescape.Replace(line))
			}
		case state == 3 && (line == "_" || line == "=" || strings.HasPrefix(line, `.\"`)):
		case state == 3:
			cells := strings.SplitN(line, "@", 3)
			if len(cells) != 3 {
				return nil, fmt.Errorf("iscsiadm.8 table: row %q has not 3 cells", line)
			}
			if cells[0] == "Case" { // heading
				continue
			}
			row := Row{Pattern: roffUnescape.Replace(cells[0]), Reason: cells[2]}
			for _, f := range strings.Split(cells[1], ",") {
				row.Fields = append(row.Fields, strings.TrimSpace(f))
			}
			if err := row.compile(); err != nil {
				return nil, err
			}
			if cells[2] == "T{" {
				row.Reason = ""
				pending = &row
				continue
			}
			row.Reason = roffUnescape.Replace(row.Reason)
			rows = append(rows, row)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("iscsiadm.8: no documented-differences table (marker, .TS, .TE)")
}

// ParsePending reads pending.txt ("pattern | owner | what" per line, for
// cases another branch implements) or todo.txt (same form, differences of
// this branch's modes not fixed yet); # starts a comment.
func ParsePending(r io.Reader) ([]Row, error) {
	var rows []Row
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cells := strings.SplitN(line, "|", 3)
		if len(cells) != 3 {
			return nil, fmt.Errorf("pending.txt: %q is not \"pattern | owner | what\"", line)
		}
		row := Row{Pattern: strings.TrimSpace(cells[0]),
			Fields: []string{FieldExit, FieldStdout, FieldStderr, FieldFiles},
			Reason: strings.TrimSpace(cells[1]) + ": " + strings.TrimSpace(cells[2])}
		if err := row.compile(); err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, sc.Err()
}

// ReadDocumented reads the documented differences from top/doc/iscsiadm.8.
func ReadDocumented(top string) ([]Row, error) {
	return readRows(filepath.Join(top, "doc/iscsiadm.8"), ParseManTable)
}

func readRows(path string, parse func(io.Reader) ([]Row, error)) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parse(f)
}

// Verdict of one case.
type Verdict int

const (
	Identical Verdict = iota
	Documented
	Pending
	Todo
	Undocumented
)

// Outcome is one case's result pair and verdict.
type Outcome struct {
	Case        Case
	Stock, Ours Result
	Diff        []string
	Verdict     Verdict
	Row         *Row
}

func coverAll(rows []Row, id string, diff []string) *Row {
	var first *Row
	for _, d := range diff {
		var hit *Row
		for i := range rows {
			if rows[i].Covers(id, []string{d}) {
				hit = &rows[i]
				break
			}
		}
		if hit == nil {
			return nil
		}
		if first == nil {
			first = hit
		}
	}
	return first
}

// Judge gives the verdict of one pair against the documented and pending rows.
func Judge(c Case, stock, ours Result, documented, pending, todo []Row) Outcome {
	o := Outcome{Case: c, Stock: stock, Ours: ours, Diff: Diff(stock, ours)}
	if len(o.Diff) == 0 {
		return o
	}
	id := c.ID()
	// each differing field must be allowed by some row that matches the case
	if row := coverAll(documented, id, o.Diff); row != nil {
		o.Verdict, o.Row = Documented, row
		return o
	}
	for i := range pending {
		if pending[i].Covers(id, o.Diff) {
			o.Verdict, o.Row = Pending, &pending[i]
			return o
		}
	}
	for i := range todo {
		if todo[i].Covers(id, o.Diff) {
			o.Verdict, o.Row = Todo, &todo[i]
			return o
		}
	}
	o.Verdict = Undocumented
	return o
}

// Table prints the summary: cases, identical, documented differences,
// pending (other branch), undocumented differences.
func Table(w io.Writer, outs []Outcome) (undocumented int) {
	var n [5]int
	used := map[*Row]int{}
	for _, o := range outs {
		n[o.Verdict]++
		if o.Row != nil && o.Verdict == Documented {
			used[o.Row]++
		}
	}
	fmt.Fprintf(w, "%-8s %-10s %-12s %-24s %-26s %s\n", "cases", "identical", "documented",
		"pending (other branch)", "known, not yet fixed (todo)", "undocumented")
	fmt.Fprintf(w, "%-8d %-10d %-12d %-24d %-26d %d\n", len(outs), n[Identical], n[Documented],
		n[Pending], n[Todo], n[Undocumented])
	if len(used) > 0 {
		fmt.Fprintf(w, "documented differences in use (iscsiadm(8)):\n")
		var rows []*Row
		for r := range used {
			rows = append(rows, r)
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i].Pattern < rows[j].Pattern })
		for _, r := range rows {
			fmt.Fprintf(w, "  %4d  %-50s %s\n", used[r], r.Pattern, strings.Join(r.Fields, ","))
		}
	}
	return n[Undocumented]
}

var verdictNames = [...]string{"identical", "documented", "pending", "todo", "UNDOCUMENTED"}

// Explain shows what differs in one outcome.
func Explain(w io.Writer, o Outcome) {
	fmt.Fprintf(w, "--- %s  [%s] %s\n", o.Case.ID(), strings.Join(o.Diff, ","), verdictNames[o.Verdict])
	for _, d := range o.Diff {
		switch d {
		case FieldExit:
			fmt.Fprintf(w, "  exit: stock %d, ours %d\n", o.Stock.RC, o.Ours.RC)
		case FieldStdout, FieldAutoscanLine, FieldOrder:
			fmt.Fprintf(w, "  stdout (- stock only, + ours only):\n%s", lineDiff(o.Stock.Stdout, o.Ours.Stdout))
		case FieldStderr, FieldStderrOrder:
			fmt.Fprintf(w, "  stderr (- stock only, + ours only):\n%s", lineDiff(o.Stock.Stderr, o.Ours.Stderr))
		case FieldFiles:
			for _, f := range FileDiff(o.Stock.Files, o.Ours.Files) {
				a, b := o.Stock.Files[f], o.Ours.Files[f]
				if a == "" || b == "" {
					fmt.Fprintf(w, "  file %s: stock %q ours %q\n", f, clip(a), clip(b))
				} else {
					fmt.Fprintf(w, "  file %s:\n%s", f, lineDiff(a, b))
				}
			}
		}
	}
}

// lineDiff lists the lines one side has more often than the other (order
// kept), enough to see what differs without a diff tool.
func lineDiff(a, b string) string {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.SplitAfter(s, "\n") {
			m[l]++
		}
		return m
	}
	ca, cb := count(a), count(b)
	var out []string
	only := func(s string, mine, other map[string]int, mark string) {
		seen := map[string]int{}
		for _, l := range strings.SplitAfter(s, "\n") {
			seen[l]++
			if l != "" && seen[l] > other[l] {
				out = append(out, mark+strings.TrimSuffix(l, "\n"))
			}
		}
	}
	only(a, ca, cb, "    - ")
	only(b, cb, ca, "    + ")
	if len(out) == 0 {
		out = append(out, "    (same lines, other order)")
	}
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("    ... (%d more)", len(out)-20))
	}
	return strings.Join(out, "\n") + "\n"
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
