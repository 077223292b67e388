// Command labagent runs inside the lab's qemu guest. It serves the
// agentproto JSON-lines protocol on TCP so the host can run commands, read
// sysfs and request SCSI scans without a shell on the serial console.
// Built with CGO_ENABLED=0 so the guest needs no libc for it.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"os"

	"autoscan/harness/lab/agentproto"
)

func main() {
	addr := flag.String("listen", fmt.Sprintf(":%d", agentproto.GuestPort), "TCP address to serve")
	flag.Parse()
	log.SetPrefix("labagent: ")
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on %s", *addr)
	procs := newProcTable()
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Print(err)
			continue
		}
		go serveConn(c, procs)
	}
}

// serveConn answers requests on one connection strictly in order.
func serveConn(c net.Conn, procs *procTable) {
	defer c.Close()
	sc := bufio.NewScanner(c)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	enc := json.NewEncoder(c)
	for sc.Scan() {
		var req agentproto.Request
		var resp agentproto.Response
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			resp.Err = "bad request: " + err.Error()
		} else {
			resp = handle(&req, procs)
		}
		if err := enc.Encode(&resp); err != nil {
			return
		}
		if req.Op == agentproto.OpPoweroff && resp.Err == "" {
			powerOff()
		}
	}
}

func handle(req *agentproto.Request, procs *procTable) agentproto.Response {
	switch req.Op {
	case agentproto.OpPing:
		b, _ := os.ReadFile("/proc/uptime")
		return agentproto.Response{Out: string(b)}
	case agentproto.OpRun:
		return runScript(req)
	case agentproto.OpStart:
		return procs.start(req)
	case agentproto.OpKill:
		return procs.kill(req)
	case agentproto.OpRead:
		b, err := os.ReadFile(req.Path)
		return withErr(agentproto.Response{Out: string(b)}, err)
	case agentproto.OpWrite:
		return withErr(agentproto.Response{}, writeFile(req.Path, req.Data))
	case agentproto.OpSCSI:
		devs, err := listSCSI("/sys")
		return withErr(agentproto.Response{Devices: devs}, err)
	case agentproto.OpBlock:
		blks, err := listBlock("/sys")
		return withErr(agentproto.Response{Blocks: blks}, err)
	case agentproto.OpScan:
		p := fmt.Sprintf("/sys/class/scsi_host/host%d/scan", req.Host)
		return withErr(agentproto.Response{}, writeFile(p, req.Data))
	case agentproto.OpPoweroff:
		return agentproto.Response{}
	}
	return agentproto.Response{Err: "unknown op " + req.Op}
}

func withErr(r agentproto.Response, err error) agentproto.Response {
	if err != nil {
		r.Err = err.Error()
	}
	return r
}

// writeFile writes like the shell's ">" so sysfs attributes and regular
// files behave the same; one write call so sysfs sees the whole request.
func writeFile(path, data string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write([]byte(data)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
