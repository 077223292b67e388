// Command labrun boots the lab's qemu guest, runs one shell script in it
// and powers it off. It is the by-hand door into the kernel lab:
//
//	go run ./cmd/labrun [-initiator stock|project] [-pcap FILE -port N] -- 'script'
//	go run ./cmd/labrun -debian [-init /lib/systemd/systemd] -- 'script'
//
// The script's stdout and stderr are printed and its exit code becomes
// labrun's. With -pcap, host loopback traffic on -port is captured for the
// whole run. A target on the host at 127.0.0.1:PORT is 10.0.2.2:PORT for
// the guest. With -target emu|tgtd labrun also runs a target with LUNs
// 0..-luns for the script, which finds it in $TARGET_IQN and
// $TARGET_PORTAL (and -pcap captures its port).
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"autoscan/harness/lab"
	"autoscan/harness/lab/labtarget"
)

func main() {
	initiator := flag.String("initiator", "stock", "initiator on PATH in the guest: stock or project")
	pcap := flag.String("pcap", "", "capture host loopback traffic of -port into this pcap file")
	port := flag.Int("port", 0, "TCP port to capture (the target's port)")
	timeout := flag.Duration("timeout", 5*time.Minute, "limit for the guest script")
	console := flag.String("console", "", "keep the guest console log in this file")
	kind := flag.String("target", "", "also run a target for the script: emu (harness/target) or tgtd")
	luns := flag.Int("luns", 3, "with -target: LUNs 0..N (tgtd: 1..N plus its controller LUN 0)")
	debian := flag.Bool("debian", false, "boot the Debian root (os-brick, multipathd, udev) instead of the busybox initramfs")
	initProg := flag.String("init", "", "with -debian: first program, /init (lab, default) or /lib/systemd/systemd")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: labrun [flags] -- 'guest shell script'\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	script := strings.Join(flag.Args(), " ")
	if script == "" || (*pcap != "" && *port == 0 && *kind == "") {
		flag.Usage()
		os.Exit(2)
	}
	img, err := image(*debian)
	if err != nil {
		os.Exit(fail(err))
	}
	code := run(img, *initiator, *initProg, *pcap, *port, *timeout, *console, *kind, *luns, script)
	img.Remove()
	os.Exit(code)
}

func image(debian bool) (*lab.Image, error) {
	if !debian {
		return lab.Build(lab.BuildOptions{})
	}
	img, root, err := lab.BuildDebian(lab.DebianOptions{})
	if err == nil {
		fmt.Fprintf(os.Stderr, "labrun: %s\n", root)
	}
	return img, err
}

func run(img *lab.Image, initiator, initProg, pcap string, port int, timeout time.Duration, console, kind string, luns int, script string) int {
	var err error
	if kind != "" {
		iqn := "iqn.2026-11.lab.autoscan:labrun"
		t, err := labtarget.StartTarget(kind, iqn, luns)
		if err != nil {
			return fail(err)
		}
		defer t.Stop()
		port = t.Port()
		portal := fmt.Sprintf("%s:%d", lab.HostAddr, port)
		script = fmt.Sprintf("export TARGET_IQN=%s TARGET_PORTAL=%s\n%s", iqn, portal, script)
		fmt.Fprintf(os.Stderr, "labrun: %s target %s at 127.0.0.1:%d (guest: %s)\n", kind, iqn, port, portal)
	}
	fmt.Fprintf(os.Stderr, "labrun: initramfs %s (cached %v, project binaries %v)\n", img.Initrd, img.Cached, img.Project)
	var capt *lab.Capture
	if pcap != "" {
		if capt, err = lab.StartCapture(pcap, port); err != nil {
			return fail(err)
		}
		defer capt.Stop()
	}
	g, err := lab.Boot(lab.BootOptions{Image: img, Initiator: initiator, ConsoleLog: console,
		Init: initProg, Timeout: 5 * time.Minute})
	if err != nil {
		return fail(err)
	}
	defer g.Shutdown()
	fmt.Fprintf(os.Stderr, "labrun: guest ready in %.1f s (console %s, initiator %s)\n", g.BootSeconds, g.ConsoleLog, initiator)
	res, err := g.Run(script, timeout)
	if err != nil {
		return fail(err)
	}
	os.Stdout.WriteString(res.Stdout)
	os.Stderr.WriteString(res.Stderr)
	if res.TimedOut {
		fmt.Fprintf(os.Stderr, "labrun: script timed out after %v\n", timeout)
	}
	return res.Exit
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "labrun:", err)
	return 1
}
