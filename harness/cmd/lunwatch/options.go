package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"autoscan/harness/audit"
)

// auditFlags are the options analyze and capture share.
type auditFlags struct {
	allow  string
	forbid bool
	target string
	ports  string
	format string
}

func (f *auditFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.allow, "allow-luns", "", "LUNs the initiator may address, like 0,2,5-7 (default: all)")
	fs.BoolVar(&f.forbid, "forbid-report-luns", false, "count any REPORT LUNS as a violation")
	fs.StringVar(&f.target, "target", "", "only sessions to this target `IQN`")
	fs.StringVar(&f.ports, "port", "3260", "target TCP port(s), comma separated")
	fs.StringVar(&f.format, "format", "table", "output format: table or json")
}

// options turns the flags into audit options, or an error worth a usage exit.
func (f *auditFlags) options() (audit.Options, error) {
	o := audit.Options{ForbidReportLUNs: f.forbid, Target: f.target}
	if f.format != "table" && f.format != "json" {
		return o, fmt.Errorf("--format must be table or json, not %q", f.format)
	}
	if f.allow != "" {
		set, err := audit.ParseLUNList(f.allow)
		if err != nil {
			return o, err
		}
		o.AllowLUNs = set
	}
	ports, err := parsePorts(f.ports)
	o.Ports = ports
	return o, err
}

func parsePorts(s string) ([]uint16, error) {
	var ports []uint16
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(p), 10, 16)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("bad port %q", p)
		}
		ports = append(ports, uint16(n))
	}
	return ports, nil
}

// report prints r in the chosen format and returns the verdict's exit code.
func (f *auditFlags) report(w io.Writer, r *audit.Report) int {
	var err error
	if f.format == "json" {
		err = audit.WriteJSON(w, r)
	} else {
		err = audit.WriteTable(w, r)
	}
	if err != nil {
		return exitUsage
	}
	if !r.Verdict.Clean {
		return exitViolation
	}
	return exitClean
}

// newFlagSet makes a flag set that reports errors instead of exiting.
func newFlagSet(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("lunwatch "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: lunwatch %s [options] %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs. ok is false when the run ends here, with
// code its exit code: clean for -h (the flag package printed the usage),
// usage for a bad flag (it printed the error).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitClean, true
	case errors.Is(err, flag.ErrHelp):
		return exitClean, false
	default:
		return exitUsage, false
	}
}
