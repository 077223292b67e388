package lab

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"autoscan/harness/lab/agentproto"
)

// BootOptions says how to run the guest.
type BootOptions struct {
	Image      *Image
	ConsoleLog string        // default: <cache>/console-<pid>.log
	MemoryMB   int           // default: LAB_MEMORY_MB, the image's, then 512
	KVM        bool          // also set by LAB_KVM=1; TCG otherwise
	Timeout    time.Duration // until the agent answers; default 180 s
	Initiator  string        // "stock" (default) or "project"
	Init       string        // rdinit=; default Image.Init, then /sbin/init
}

// Guest is a running qemu guest with its agent connection.
type Guest struct {
	*Client
	ConsoleLog  string
	AgentPort   int     // host loopback port forwarded to the agent
	BootSeconds float64 // qemu start until the agent answered
	project     bool    // the image has /project/sbin
	cmd         *exec.Cmd
	exited      chan error
}

// SetInitiator switches the initiator later commands use (one boot can
// serve both); "project" needs an image built with usr/iscsid+iscsiadm.
func (g *Guest) SetInitiator(which string) error {
	switch {
	case which == "project" && !g.project:
		return fmt.Errorf("lab: project initiator asked for but usr/iscsid and usr/iscsiadm were not built into the image")
	case which != "project" && which != "stock":
		return fmt.Errorf("lab: unknown initiator %q", which)
	}
	g.Client.SetInitiator(which)
	return nil
}

// FreePort asks the kernel for an unused loopback TCP port. Another
// process may take it before we bind, which is rare enough for tests.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Boot starts qemu and waits until the agent inside answers a ping.
func Boot(o BootOptions) (*Guest, error) {
	if o.Image == nil {
		return nil, fmt.Errorf("lab: Boot needs an Image")
	}
	o.defaults()
	if o.Initiator == "project" && !o.Image.Project {
		return nil, fmt.Errorf("lab: project initiator asked for but usr/iscsid and usr/iscsiadm are not built")
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	g := &Guest{ConsoleLog: o.ConsoleLog, AgentPort: port,
		project: o.Image.Project, exited: make(chan error, 1)}
	g.cmd = exec.Command("qemu-system-x86_64", qemuArgs(o, port)...)
	g.cmd.Stdout, g.cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := g.cmd.Start(); err != nil {
		return nil, fmt.Errorf("lab: qemu: %w", err)
	}
	go func() { g.exited <- g.cmd.Wait() }()
	c, err := g.waitAgent(start.Add(o.Timeout))
	if err != nil {
		g.kill()
		return nil, fmt.Errorf("%w; console tail:\n%s", err, g.ConsoleTail(30))
	}
	g.Client = c
	g.Client.path = initiatorPath(o.Initiator)
	g.BootSeconds = time.Since(start).Seconds()
	return g, nil
}

func (o *BootOptions) defaults() {
	if o.ConsoleLog == "" {
		o.ConsoleLog = filepath.Join(filepath.Dir(o.Image.Initrd),
			fmt.Sprintf("console-%d.log", os.Getpid()))
	}
	if o.MemoryMB == 0 {
		// a bench at 1024 sessions needs more kernel memory than the tests
		o.MemoryMB, _ = strconv.Atoi(os.Getenv("LAB_MEMORY_MB"))
	}
	if o.MemoryMB == 0 {
		o.MemoryMB = o.Image.MemoryMB
	}
	if o.MemoryMB == 0 {
		o.MemoryMB = 512
	}
	if o.Init == "" {
		o.Init = o.Image.Init
	}
	if o.Init == "" {
		o.Init = "/sbin/init"
	}
	if os.Getenv("LAB_KVM") == "1" {
		o.KVM = true
	}
	if o.Timeout == 0 {
		o.Timeout = 180 * time.Second
	}
	if o.Initiator == "" {
		o.Initiator = "stock"
	}
}

func qemuArgs(o BootOptions, port int) []string {
	accel := "tcg"
	if o.KVM {
		accel = "kvm"
	}
	fwd := fmt.Sprintf("user,id=n0,hostfwd=tcp:127.0.0.1:%d-:%d", port, agentproto.GuestPort)
	args := []string{
		"-accel", accel, "-m", strconv.Itoa(o.MemoryMB), "-smp", "1",
		"-display", "none", "-monitor", "none",
		"-serial", "file:" + o.ConsoleLog,
		"-kernel", o.Image.Kernel, "-initrd", o.Image.Initrd,
		"-netdev", fwd, "-device", "virtio-net-pci,netdev=n0",
	}
	if o.Image.Disk == "" {
		// the root lives in RAM: a reboot would lose it, so it ends the run
		return append(args, "-no-reboot",
			"-append", "console=ttyS0 quiet panic=-1 rdinit="+o.Init)
	}
	// qemu boots the same kernel and initrd again on reboot; the disk's
	// writes last as long as the qemu process
	return append(args, "-drive", "file="+o.Image.Disk+",format=raw,if=virtio,snapshot=on",
		"-append", "console=ttyS0 quiet panic=-1 rdinit=/init lab_init="+o.Init)
}

// initiatorPath puts the selected initiator's sbin first on PATH.
func initiatorPath(which string) string {
	return "/" + which + "/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
}

// waitAgent retries a ping until the deadline. qemu's hostfwd accepts a
// connection even before the guest listens, so only an answer counts.
func (g *Guest) waitAgent(deadline time.Time) (*Client, error) {
	for time.Now().Before(deadline) {
		select {
		case err := <-g.exited:
			g.exited <- err
			return nil, fmt.Errorf("lab: qemu exited during boot: %w", err)
		default:
		}
		c, err := Dial(fmt.Sprintf("127.0.0.1:%d", g.AgentPort))
		if err == nil {
			if _, err = c.do(agentproto.Request{Op: agentproto.OpPing}, time.Second); err == nil {
				return c, nil
			}
			c.Close()
		}
		time.Sleep(300 * time.Millisecond)
	}
	return nil, fmt.Errorf("lab: agent did not answer on port %d in time", g.AgentPort)
}

// Shutdown powers the guest off and waits for qemu; nothing in the guest
// needs saving, so after 10 s it notes where the guest hangs (in the
// console log) and kills qemu.
func (g *Guest) Shutdown() error {
	if g.Client != nil {
		_, _ = g.Client.do(agentproto.Request{Op: agentproto.OpPoweroff}, 5*time.Second)
		g.Client.Close()
	}
	select {
	case err := <-g.exited:
		g.exited <- err
		return nil
	case <-time.After(10 * time.Second):
		g.noteHang()
		g.kill()
		return fmt.Errorf("lab: guest did not power off; killed qemu (see %s)", g.ConsoleLog)
	}
}

// noteHang asks the agent (its other goroutines still run while one sits
// in reboot(2)) for the kernel stacks of tasks stuck in the power-off path.
func (g *Guest) noteHang() {
	c, err := Dial(fmt.Sprintf("127.0.0.1:%d", g.AgentPort))
	if err != nil {
		return
	}
	defer c.Close()
	r, err := c.Run(`for p in /proc/[0-9]*; do
	st=$(cat $p/stack 2>/dev/null)
	case "$st" in *power_off*|*device_shutdown*|*reboot*) echo "== $p $(cat $p/comm)"; echo "$st";; esac
done; dmesg | tail -40`, 5*time.Second)
	if err != nil {
		return
	}
	f, err := os.OpenFile(g.ConsoleLog, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "\n--- lab: guest hung in power-off; stacks and dmesg tail ---\n%s%s", r.Stdout, r.Stderr)
}

func (g *Guest) kill() {
	if g.cmd != nil && g.cmd.Process != nil {
		_ = g.cmd.Process.Kill()
	}
}

// ConsoleTail returns the last n lines of the console log.
func (g *Guest) ConsoleTail(n int) string {
	b, _ := os.ReadFile(g.ConsoleLog)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
