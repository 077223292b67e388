// Command ksmokelab proves iscsid's kernel edge in the lab guest with
// usr/tests/guest/ksmoke (make build/ksmoke first), no iscsid involved.
// Each scenario boots one guest, checks what ksmoke printed and exits 1 on
// the first failed check.
//
//	cd usr/tests/guest/lab && go run . [-port 3350] SCENARIO
//
// Scenarios:
//
//	login-no     tgtd, autoscan No: LUN 0 only, logout removes it
//	recover      tgtd, autoscan Yes: all LUNs, stop/re-login through the
//	             kernel, then direct I/O on a LUN works
//	adopt        tgtd: a session left by an exited process is adopted,
//	             refreshed (startup row) and logged out
//	events-no    emulated target: AEN (fixed, descriptor) after LUN 5 was
//	             added scans LUN 0 only; a dropped connection recovers
//	events-yes   the same with autoscan Yes: LUN 5 appears
//	parallel16   emulated target with 16 targets: 16 ksmoke processes log
//	             in, scan LUN 0 and log out at the same time
//	ipv6         emulated target on [::1]: the guest logs in over IPv6
//	             (fec0::2), the kernel shows the address, logout works
//	teardown48   a 48-LUN session is torn down while another session is
//	             brought up: with the async destroy ksession_stop uses the
//	             bring-up is not held behind the teardown (open-iscsi #312);
//	             the synchronous destroy is run too, for contrast
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"autoscan/harness/lab"
	"autoscan/harness/target"
)

const (
	tgtIQN   = "iqn.2026-11.lab:h8"
	emuIQN   = "iqn.2026-11.lab:h8emu"
	guestIQN = "iqn.2026-11.lab.autoscan:guest"
)

func main() {
	port := flag.Int("port", 3350, "target port on host loopback (3350-3359 by default)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: ksmokelab [-port N] login-no|recover|adopt|events-no|events-yes|parallel16|ipv6|teardown48")
		os.Exit(2)
	}
	var out string
	var err error
	switch sc := flag.Arg(0); sc {
	case "login-no", "recover", "adopt":
		out, err = runTgtd(sc, *port)
	case "events-no", "events-yes":
		out, err = runEvents(strings.TrimPrefix(sc, "events-"), *port)
	case "parallel16":
		out, err = runParallel(*port, 16)
	case "ipv6":
		out, err = runIPv6(*port)
	case "teardown48":
		out, err = runTeardown(*port)
	default:
		err = fmt.Errorf("unknown scenario %q", sc)
	}
	fmt.Print(out)
	if err != nil {
		fmt.Println("FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("PASS")
}

func boot() (*lab.Guest, error) {
	root, _ := filepath.Abs("../../../..")
	img, err := lab.Build(lab.BuildOptions{RepoRoot: root,
		Extra: map[string]string{"usr/bin/ksmoke": filepath.Join(root, "build/ksmoke")}})
	if err != nil {
		return nil, err
	}
	return lab.Boot(lab.BootOptions{Image: img, Initiator: "project"})
}

var tgtdScripts = map[string]string{
	"login-no": `ksmoke 10.0.2.2 PORT ` + tgtIQN + ` ` + guestIQN + ` no; echo exit=$?`,
	"recover": `(KSMOKE_HOLD=10 ksmoke 10.0.2.2 PORT ` + tgtIQN + ` ` + guestIQN + ` yes recover > /tmp/k.log 2>&1; echo exit=$? >> /tmp/k.log) &
for i in $(seq 1 80); do grep -q -E "refresh after|exit=" /tmp/k.log && break; sleep 0.5; done
timeout 20 dd if=/dev/urandom of=/dev/sdb bs=1M count=2 oflag=direct 2>/dev/null && echo WRITE_OK
timeout 20 dd if=/dev/sdc of=/dev/null bs=1M count=4 iflag=direct 2>/dev/null && echo READ_OK
wait; cat /tmp/k.log`,
	"adopt": `KSMOKE_KEEP=1 ksmoke 10.0.2.2 PORT ` + tgtIQN + ` ` + guestIQN + ` no; ksmoke adopt 1 yes; echo exit=$?; echo sessions=$(ls /sys/class/iscsi_session | wc -l)`,
}

var tgtdWant = map[string][]string{
	"login-no": {"scsi_device: 0:0:0:0\n", "ksession_stop                ok", "scsi_device:\nexit=0"},
	"recover":  {"WRITE_OK", "READ_OK", "relogin via kernel           ok", "0:0:0:3", "exit=0"},
	"adopt": {"ksession_adopt               ok", "startup, autoscan_en=Yes", "refreshed 1 device(s)",
		"ksession_stop                ok", "exit=0", "sessions=0"},
}

func runTgtd(sc string, port int) (string, error) {
	t, err := lab.StartTgtd(tgtIQN, port, 3, 8)
	if err != nil {
		return "", err
	}
	defer t.Stop()
	g, err := boot()
	if err != nil {
		return "", err
	}
	defer g.Shutdown()
	r, err := g.Run(strings.ReplaceAll(tgtdScripts[sc], "PORT", fmt.Sprint(port)), 3*time.Minute)
	if err != nil {
		return "", err
	}
	return r.Stdout + r.Stderr, expect(r.Stdout+r.Stderr, tgtdWant[sc], nil)
}

// addTarget adds target iqn with LUNs 0..luns-1 of size bytes each.
func addTarget(srv *target.Server, iqn string, luns uint16, size uint64) error {
	t, err := srv.AddTarget(iqn, target.TargetOptions{})
	if err != nil {
		return err
	}
	for l := uint16(0); l < luns; l++ {
		if _, err := t.AddLUN(l, size); err != nil {
			return err
		}
	}
	return nil
}

func expect(out string, want, unwanted []string) error {
	for _, w := range want {
		if !strings.Contains(out, w) {
			return fmt.Errorf("output lacks %q", w)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(out, u) {
			return fmt.Errorf("output has %q", u)
		}
	}
	return nil
}

func runEvents(mode string, port int) (string, error) {
	srv, err := target.NewServer(target.Config{Listen: fmt.Sprintf("127.0.0.1:%d", port)})
	if err != nil {
		return "", err
	}
	defer srv.Close()
	if err := addTarget(srv, emuIQN, 4, 8<<20); err != nil {
		return "", err
	}
	g, err := boot()
	if err != nil {
		return "", err
	}
	defer g.Shutdown()
	cmd := fmt.Sprintf("KSMOKE_EVENTS=40 ksmoke 10.0.2.2 %d %s %s %s events; echo exit=$?", port, emuIQN, guestIQN, mode)
	if _, err := g.Start(cmd, "/tmp/k.log"); err != nil {
		return "", err
	}
	log := func() string { b, _ := g.ReadFile("/tmp/k.log"); return string(b) }
	waitFor := func(s string) error {
		for i := 0; i < 240; i++ {
			if strings.Contains(log(), s) {
				return nil
			}
			time.Sleep(500 * time.Millisecond)
		}
		return fmt.Errorf("guest never printed %q", s)
	}
	steps := []struct{ ctl, wait string }{
		{"", "ksmoke: scan "},
		{"add-lun " + emuIQN + " 5 8M", ""},
		{"aen " + emuIQN + " 0 fixed", "asc=0x3f ascq=0x0e fixed"},
		{"aen " + emuIQN + " 0 descriptor", "asc=0x3f ascq=0x0e descriptor"},
		{"drop " + emuIQN, "ksmoke: recovery"},
		{"", "exit="},
	}
	for _, s := range steps {
		if s.ctl != "" {
			if _, err := srv.Control(s.ctl); err != nil {
				return log(), err
			}
		}
		if s.wait != "" {
			if err := waitFor(s.wait); err != nil {
				return log(), err
			}
		}
	}
	out := log()
	want := []string{"aen, autoscan_en=" + map[string]string{"yes": "Yes", "no": "No"}[mode], "recovery                     ok", "exit=0"}
	var unwanted []string
	if mode == "no" {
		unwanted = []string{"0:0:0:5", "0:0:0:1"}
	} else {
		want = append(want, "0:0:0:5")
	}
	return out, expect(out, want, unwanted)
}

// runParallel: n sessions brought up and torn down at once; each must see
// exactly its LUN 0 and every one must end logged out.
func runParallel(port, n int) (string, error) {
	srv, err := target.NewServer(target.Config{Listen: fmt.Sprintf("127.0.0.1:%d", port)})
	if err != nil {
		return "", err
	}
	defer srv.Close()
	for i := 0; i < n; i++ {
		if err := addTarget(srv, fmt.Sprintf("%s%d", emuIQN, i), 1, 4<<20); err != nil {
			return "", err
		}
	}
	g, err := boot()
	if err != nil {
		return "", err
	}
	defer g.Shutdown()
	script := fmt.Sprintf(`for i in $(seq 0 %d); do (KSMOKE_HOLD=3 ksmoke 10.0.2.2 %d %s$i %s no > /tmp/p$i.log 2>&1; echo exit=$? >> /tmp/p$i.log) & done
sleep 2; n=0; for i in $(seq 1 120); do n=$(ls /sys/class/iscsi_session | wc -l); [ $n -ge %d ] && break; sleep 0.25; done; echo peak=$n
wait; echo ok=$(grep -l "exit=0" /tmp/p*.log | wc -l); echo left=$(ls /sys/class/iscsi_session | wc -l); grep -h -E "ksmoke: (login|ksession_start|ksession_stop) " /tmp/p*.log | sort | uniq -c`,
		n-1, port, emuIQN, guestIQN, n)
	r, err := g.Run(script, 5*time.Minute)
	if err != nil {
		return "", err
	}
	out := r.Stdout + r.Stderr
	return out, expect(out, []string{fmt.Sprintf("peak=%d", n), fmt.Sprintf("ok=%d", n), "left=0"}, nil)
}

var startTook = regexp.MustCompile(`B: ksmoke: ksession_start took (\d+) ms`)

func runTeardown(port int) (string, error) {
	srv, err := target.NewServer(target.Config{Listen: fmt.Sprintf("127.0.0.1:%d", port)})
	if err != nil {
		return "", err
	}
	defer srv.Close()
	if err := addTarget(srv, emuIQN+"big", 48, 1<<20); err != nil {
		return "", err
	}
	if err := addTarget(srv, emuIQN+"small", 1, 1<<20); err != nil {
		return "", err
	}
	g, err := boot()
	if err != nil {
		return "", err
	}
	defer g.Shutdown()
	var out string
	took := map[string]int{}
	for _, mode := range []string{"async", "sync"} {
		env := ""
		if mode == "sync" {
			env = "KSMOKE_SYNC_DESTROY=1"
		}
		script := fmt.Sprintf(`rm -f /tmp/go; (%s KSMOKE_WAITFILE=/tmp/go ksmoke 10.0.2.2 %d %sbig %s yes > /tmp/a.log 2>&1) &
for i in $(seq 1 600); do grep -q "ksmoke: scan " /tmp/a.log && break; sleep 0.5; done; echo devices=$(ls /sys/class/scsi_device | wc -l)
touch /tmp/go; sleep 0.2; ksmoke 10.0.2.2 %d %ssmall %s no > /tmp/b.log 2>&1; wait
echo "A: $(grep teardown /tmp/a.log)"; echo "B: $(grep 'start took' /tmp/b.log)"`, env, port, emuIQN, guestIQN, port, emuIQN, guestIQN)
		r, err := g.Run(script, 8*time.Minute)
		if err != nil {
			return out, err
		}
		out += "== " + mode + " destroy\n" + r.Stdout + r.Stderr
		m := startTook.FindStringSubmatch(r.Stdout)
		if m == nil || !strings.Contains(r.Stdout, "devices=48") {
			return out, fmt.Errorf("%s run incomplete", mode)
		}
		took[mode], _ = strconv.Atoi(m[1])
	}
	if took["async"]*3 > took["sync"] {
		return out, fmt.Errorf("bring-up during async teardown took %d ms, during sync %d ms", took["async"], took["sync"])
	}
	return out, nil
}

func runIPv6(port int) (string, error) {
	srv, err := target.NewServer(target.Config{Listen: fmt.Sprintf("[::1]:%d", port)})
	if err != nil {
		return "", err
	}
	defer srv.Close()
	if err := addTarget(srv, emuIQN+"v6", 1, 1<<20); err != nil {
		return "", err
	}
	g, err := boot()
	if err != nil {
		return "", err
	}
	defer g.Shutdown()
	script := fmt.Sprintf(`for i in $(seq 1 40); do ping6 -c1 -W1 fec0::2 >/dev/null 2>&1 && break; sleep 0.5; done
(KSMOKE_HOLD=4 ksmoke fec0::2 %d %sv6 %s no > /tmp/k.log 2>&1; echo exit=$? >> /tmp/k.log) &
for i in $(seq 1 80); do grep -q "ksmoke: scan " /tmp/k.log && break; sleep 0.25; done
echo "persistent=$(cat /sys/class/iscsi_connection/connection1:0/persistent_address)"; wait; cat /tmp/k.log`, port, emuIQN, guestIQN)
	r, err := g.Run(script, 3*time.Minute)
	if err != nil {
		return "", err
	}
	out := r.Stdout + r.Stderr
	return out, expect(out, []string{"persistent=fec0::2", "scsi_device: 0:0:0:0", "ksession_stop                ok", "exit=0"}, nil)
}
