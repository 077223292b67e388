// Command lunwatch audits iSCSI traffic: which LUNs an initiator
// addressed, whether it sent REPORT LUNS, which Asynchronous Messages the
// target sent, judged against an allow-list.
//
// Subcommands register themselves from init functions in their own files
// (analyze.go, capture.go, synth.go; target.go belongs to the emulated
// target), so that adding one never touches this file.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// Exit codes shared by every subcommand.
const (
	exitClean     = 0 // no violation
	exitViolation = 1 // the verdict found a violation
	exitUsage     = 2 // bad usage or unreadable input
)

// command is one subcommand. run gets the arguments after its name and
// returns the exit code.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

// register adds a subcommand; it is called from init functions.
func register(name, summary string, run func(args []string, stdout, stderr io.Writer) int) {
	if _, dup := commands[name]; dup {
		panic("lunwatch: subcommand registered twice: " + name)
	}
	commands[name] = command{name: name, summary: summary, run: run}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "usage: lunwatch COMMAND [options] [args]\n\ncommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\n'lunwatch COMMAND -h' shows the options of a command.\n")
}

// dispatch runs the subcommand named by args[0].
func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		usage(stdout)
		return exitClean
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lunwatch: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

func main() { os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr)) }
