package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"

	"autoscan/harness/audit"
)

func init() {
	register("analyze", "audit pcap/pcapng capture files", runAnalyze)
}

func runAnalyze(args []string, stdout, stderr io.Writer) int {
	var af auditFlags
	fs := newFlagSet("analyze", "FILE...", stderr)
	af.register(fs)
	if code, ok := parseFlags(fs, interleave(fs, args)); !ok {
		return code
	}
	opts, err := af.options()
	if err == nil && fs.NArg() == 0 {
		err = errors.New("no capture file given")
	}
	if err != nil {
		fmt.Fprintf(stderr, "lunwatch analyze: %v\n", err)
		return exitUsage
	}
	a := audit.New(opts)
	for _, name := range fs.Args() {
		err := a.ReadFile(name)
		if errors.Is(err, audit.ErrTruncatedInput) {
			// A capture cut short (tcpdump killed) still tells what happened
			// up to the cut; say so and go on.
			fmt.Fprintf(stderr, "lunwatch analyze: warning: %v; audited the packets before the cut\n", err)
			continue
		}
		if err != nil {
			fmt.Fprintf(stderr, "lunwatch analyze: %v\n", err)
			return exitUsage
		}
	}
	return af.report(stdout, a.Report())
}

// interleave lets options follow file names (lunwatch analyze f.pcap --format json).
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			files = append(files, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			name := trimDashes(a)
			if f := fs.Lookup(name); f != nil && !isBool(f) && !hasValue(a) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			files = append(files, a)
		}
	}
	return append(append(flags, "--"), files...)
}

func trimDashes(a string) string {
	for len(a) > 0 && a[0] == '-' {
		a = a[1:]
	}
	if i := bytes.IndexByte([]byte(a), '='); i >= 0 {
		a = a[:i]
	}
	return a
}

func hasValue(a string) bool { return bytes.IndexByte([]byte(a), '=') >= 0 }

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
