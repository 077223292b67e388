package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"autoscan/harness/target"
)

func init() {
	register("target", "run the emulated iSCSI target (control lines on stdin or a unix socket)", runTarget)
}

// targetFlags are the options of "lunwatch target".
type targetFlags struct {
	listen, portal, iqn, luns, size string
	chap, mutual, sense, control    string
	noStdin, verbose                bool
	blockSize                       uint
}

func (f *targetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.listen, "listen", "127.0.0.1:3310", "address to listen on (port 0 = any free port)")
	fs.StringVar(&f.portal, "portal", "", "portal SendTargets advertises (e.g. 10.0.2.2:3310 for a qemu guest); default the listen address")
	fs.StringVar(&f.iqn, "target", "iqn.2026-11.autoscan.harness:target0", "target name(s), comma separated")
	fs.StringVar(&f.luns, "luns", "0-3", "LUNs of each target, like 0-3,7")
	fs.StringVar(&f.size, "size", "1G", "size of each LUN (RAM, sparse)")
	fs.StringVar(&f.chap, "chap", "", "USER:SECRET: require one-way CHAP")
	fs.StringVar(&f.mutual, "mutual", "", "USER:SECRET: the target's credentials for mutual CHAP")
	fs.StringVar(&f.sense, "sense", "fixed", "sense format: fixed or descriptor")
	fs.UintVar(&f.blockSize, "block-size", 512, "logical block size: 512, 1024, 2048 or 4096")
	fs.StringVar(&f.control, "control", "", "unix socket path to serve control lines on")
	fs.BoolVar(&f.noStdin, "no-stdin", false, "do not read control lines from stdin")
	fs.BoolVar(&f.verbose, "v", false, "log connections and protocol errors to stderr")
}

// options turns the flags into target options.
func (f *targetFlags) options() (target.TargetOptions, error) {
	o := target.TargetOptions{BlockSize: uint32(f.blockSize)}
	switch f.sense {
	case "fixed":
	case "descriptor":
		o.SenseFormat = target.SenseDescriptor
	default:
		return o, fmt.Errorf("-sense: fixed or descriptor, not %q", f.sense)
	}
	if f.chap == "" {
		if f.mutual != "" {
			return o, errors.New("-mutual needs -chap")
		}
		return o, nil
	}
	u, s, ok := strings.Cut(f.chap, ":")
	if !ok {
		return o, errors.New("-chap wants USER:SECRET")
	}
	o.CHAP = &target.CHAPConfig{User: u, Secret: s}
	if f.mutual != "" {
		if o.CHAP.MutualUser, o.CHAP.MutualSecret, ok = strings.Cut(f.mutual, ":"); !ok {
			return o, errors.New("-mutual wants USER:SECRET")
		}
	}
	return o, nil
}

func runTarget(args []string, stdout, stderr io.Writer) int {
	var f targetFlags
	fs := flag.NewFlagSet("lunwatch target", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: lunwatch target [options]\n")
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\n%s\n", target.ControlHelp)
	}
	f.register(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	srv, err := startTarget(&f, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "lunwatch target: %v\n", err)
		return exitUsage
	}
	defer srv.Close()
	fmt.Fprintf(stdout, "listening %s portal %s targets %s\n", srv.Addr(), srv.Portal(), strings.Join(srv.TargetNames(), ","))
	return serveTarget(srv, &f, stdout, stderr)
}

// startTarget builds the server and its targets from the flags.
func startTarget(f *targetFlags, stderr io.Writer) (*target.Server, error) {
	opt, err := f.options()
	if err != nil {
		return nil, err
	}
	luns, err := target.ParseLUNList(f.luns)
	if err != nil {
		return nil, err
	}
	size, err := target.ParseSize(f.size)
	if err != nil {
		return nil, err
	}
	cfg := target.Config{Listen: f.listen, Portal: f.portal}
	if f.verbose {
		cfg.Logf = log.New(stderr, "", log.LstdFlags|log.Lmicroseconds).Printf
	}
	srv, err := target.NewServer(cfg)
	if err != nil {
		return nil, err
	}
	if err := addTargets(srv, strings.Split(f.iqn, ","), opt, luns, size); err != nil {
		srv.Close()
		return nil, err
	}
	return srv, nil
}

func addTargets(srv *target.Server, names []string, opt target.TargetOptions, luns []uint16, size uint64) error {
	for _, name := range names {
		t, err := srv.AddTarget(name, opt)
		if err != nil {
			return err
		}
		for _, n := range luns {
			if _, err := t.AddLUN(n, size); err != nil {
				return err
			}
		}
	}
	return nil
}

// serveTarget answers control lines until SIGINT/SIGTERM.
func serveTarget(srv *target.Server, f *targetFlags, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !f.noStdin {
		go srv.ServeControl(os.Stdin, stdout)
	}
	if f.control != "" {
		ln, err := net.Listen("unix", f.control)
		if err != nil {
			fmt.Fprintf(stderr, "lunwatch target: %v\n", err)
			return exitUsage
		}
		defer ln.Close()
		go acceptControl(ln, srv)
	}
	<-ctx.Done()
	return exitClean
}

// acceptControl serves each control socket client until it hangs up.
func acceptControl(ln net.Listener, srv *target.Server) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			srv.ServeControl(c, c)
		}()
	}
}
