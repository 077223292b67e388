package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"autoscan/harness/audit"
)

func init() {
	register("capture", "capture live traffic on an interface and audit it", runCapture)
}

// snapLen is large enough for a whole frame on loopback (MTU 65536).
const snapLen = 262144

type captureFlags struct {
	auditFlags
	iface    string
	duration time.Duration
	write    string
}

func runCapture(args []string, stdout, stderr io.Writer) int {
	var cf captureFlags
	fs := newFlagSet("capture", "-i IFACE", stderr)
	cf.register(fs)
	fs.StringVar(&cf.iface, "i", "", "interface to capture on (e.g. lo)")
	fs.DurationVar(&cf.duration, "duration", 0, "stop after this long (default: until Ctrl-C)")
	fs.StringVar(&cf.write, "w", "", "also write the captured packets to this pcap `FILE`")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	opts, err := cf.options()
	if err == nil && (cf.iface == "" || fs.NArg() != 0) {
		err = errors.New("-i IFACE is required and no file arguments are taken")
	}
	if err != nil {
		fmt.Fprintf(stderr, "lunwatch capture: %v\n", err)
		return exitUsage
	}
	a := audit.New(opts)
	a.AddInput("interface " + cf.iface)
	if err := capture(&cf, opts.Ports, a, stderr); err != nil {
		fmt.Fprintf(stderr, "lunwatch capture: %v\n", err)
		return exitUsage
	}
	return cf.report(stdout, a.Report())
}

type frame struct {
	data []byte
	ci   gopacket.CaptureInfo
}

// capture reads frames until the duration ends or a signal arrives. The
// reading goroutine may stay blocked in recvmsg at the end; the process is
// about to exit, so it is left there rather than given a socket timeout.
func capture(cf *captureFlags, ports []uint16, a *audit.Auditor, stderr io.Writer) error {
	h, err := openHandle(cf.iface, ports)
	if err != nil {
		return err
	}
	var pw *pcapgo.Writer
	var out *bufio.Writer
	if cf.write != "" {
		f, err := os.Create(cf.write)
		if err != nil {
			return err
		}
		defer f.Close()
		out = bufio.NewWriter(f)
		pw = pcapgo.NewWriter(out)
		if err := pw.WriteFileHeader(snapLen, layers.LinkTypeEthernet); err != nil {
			return err
		}
	}
	frames, errc := readFrames(h)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	var timeout <-chan time.Time
	if cf.duration > 0 {
		timeout = time.After(cf.duration)
	}
	fmt.Fprintf(stderr, "lunwatch capture: listening on %s, ports %v\n", cf.iface, ports)
	err = loop(frames, errc, stop, timeout, a, pw)
	if out != nil {
		if ferr := out.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func loop(frames <-chan frame, errc <-chan error, stop <-chan os.Signal, timeout <-chan time.Time,
	a *audit.Auditor, pw *pcapgo.Writer) error {
	for {
		select {
		case f := <-frames:
			if err := take(f, a, pw); err != nil {
				return err
			}
		case err := <-errc:
			return err
		case <-stop:
			return drain(frames, a, pw)
		case <-timeout:
			return drain(frames, a, pw)
		}
	}
}

// take audits a frame and writes it to the pcap, if any.
func take(f frame, a *audit.Auditor, pw *pcapgo.Writer) error {
	a.Packet(f.data, f.ci, layers.LinkTypeEthernet)
	if pw == nil {
		return nil
	}
	return pw.WritePacket(f.ci, f.data)
}

// drain takes the frames already received when the capture is told to
// stop (the last packets of a scenario are often its logout), until the
// socket has been quiet for a moment.
func drain(frames <-chan frame, a *audit.Auditor, pw *pcapgo.Writer) error {
	const quiet, most = 50 * time.Millisecond, 500 * time.Millisecond
	deadline := time.After(most)
	for {
		select {
		case f := <-frames:
			if err := take(f, a, pw); err != nil {
				return err
			}
		case <-time.After(quiet):
			return nil
		case <-deadline:
			return nil
		}
	}
}

func openHandle(iface string, ports []uint16) (*pcapgo.EthernetHandle, error) {
	intf, err := net.InterfaceByName(iface)
	if err != nil {
		return nil, err
	}
	// The filter and the pcap assume Ethernet framing, which lo has too.
	if intf.Flags&net.FlagLoopback == 0 && len(intf.HardwareAddr) != 6 {
		return nil, fmt.Errorf("%s is not an Ethernet interface; capture it with "+
			"'tcpdump -i %s -U -w - tcp port N | lunwatch analyze -'", iface, iface)
	}
	h, err := pcapgo.NewEthernetHandle(iface)
	if err != nil {
		return nil, fmt.Errorf("%w (capturing needs root or CAP_NET_RAW)", err)
	}
	if err := h.SetCaptureLength(snapLen); err != nil {
		return nil, err
	}
	prog, err := filterProgram(ports, intf.Flags&net.FlagLoopback != 0)
	if err != nil {
		return nil, err
	}
	if err := h.SetBPF(prog); err != nil {
		return nil, fmt.Errorf("attaching BPF filter: %w", err)
	}
	return h, nil
}

// readFrames copies each frame off the handle onto a channel.
func readFrames(h *pcapgo.EthernetHandle) (<-chan frame, <-chan error) {
	frames := make(chan frame, 1024)
	errc := make(chan error, 1)
	go func() {
		for {
			data, ci, err := h.ReadPacketData()
			if err != nil {
				errc <- err
				return
			}
			frames <- frame{data, ci}
		}
	}()
	return frames, errc
}
