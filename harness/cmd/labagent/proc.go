package main

import (
	"errors"
	"log"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"autoscan/harness/lab/agentproto"
)

const defaultRunTimeout = 60 * time.Second

// runScript runs req.Script under sh -c. Output goes to temporary files,
// not pipes: a daemon forked by the script (iscsid) keeps inherited pipes
// open forever, which would block the wait.
func runScript(req *agentproto.Request) agentproto.Response {
	outF, errF, err := tempPair()
	if err != nil {
		return agentproto.Response{Err: err.Error()}
	}
	defer cleanup(outF, errF)
	cmd := shell(req, outF, errF)
	if err := cmd.Start(); err != nil {
		return agentproto.Response{Err: err.Error()}
	}
	timeout := defaultRunTimeout
	if req.TimeoutMS > 0 {
		timeout = time.Duration(req.TimeoutMS) * time.Millisecond
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var resp agentproto.Response
	select {
	case err = <-done:
	case <-time.After(timeout):
		// The whole process group, so children of the script die too.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		err = <-done
		resp.TimedOut = true
	}
	resp.Exit = exitCode(err)
	resp.Out = readBack(outF)
	resp.ErrOut = readBack(errF)
	return resp
}

func shell(req *agentproto.Request, out, errw *os.File) *exec.Cmd {
	cmd := exec.Command("/bin/sh", "-c", req.Script)
	cmd.Stdout, cmd.Stderr = out, errw
	cmd.Dir = "/"
	cmd.Env = os.Environ()
	for k, v := range req.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	return -1
}

func tempPair() (*os.File, *os.File, error) {
	a, err := os.CreateTemp("/tmp", "run-out-")
	if err != nil {
		return nil, nil, err
	}
	b, err := os.CreateTemp("/tmp", "run-err-")
	if err != nil {
		cleanup(a)
		return nil, nil, err
	}
	return a, b, nil
}

func cleanup(fs ...*os.File) {
	for _, f := range fs {
		f.Close()
		os.Remove(f.Name())
	}
}

func readBack(f *os.File) string {
	b, _ := os.ReadFile(f.Name())
	return string(b)
}

// procTable remembers background processes so they can be killed and are
// reaped (no zombies that would still show up in pidof).
type procTable struct {
	mu    sync.Mutex
	procs map[int]*exec.Cmd
}

func newProcTable() *procTable { return &procTable{procs: map[int]*exec.Cmd{}} }

// start runs req.Script in the background; its output is appended to
// req.Path (default /tmp/lab-bg.log).
func (t *procTable) start(req *agentproto.Request) agentproto.Response {
	logPath := req.Path
	if logPath == "" {
		logPath = "/tmp/lab-bg.log"
	}
	f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return agentproto.Response{Err: err.Error()}
	}
	cmd := shell(req, f, f)
	err = cmd.Start()
	f.Close()
	if err != nil {
		return agentproto.Response{Err: err.Error()}
	}
	pid := cmd.Process.Pid
	t.mu.Lock()
	t.procs[pid] = cmd
	t.mu.Unlock()
	go func() {
		_ = cmd.Wait()
		t.mu.Lock()
		delete(t.procs, pid)
		t.mu.Unlock()
	}()
	return agentproto.Response{PID: pid}
}

// kill signals a process group started by start, or any pid.
func (t *procTable) kill(req *agentproto.Request) agentproto.Response {
	sig := syscall.Signal(req.Signal)
	if req.Signal == 0 {
		sig = syscall.SIGTERM
	}
	t.mu.Lock()
	_, ours := t.procs[req.PID]
	t.mu.Unlock()
	target := req.PID
	if ours {
		target = -req.PID
	}
	if err := syscall.Kill(target, sig); err != nil {
		return agentproto.Response{Err: err.Error()}
	}
	return agentproto.Response{}
}

// powerOff logs each step on the console: when the host has to kill a
// guest that did not stop, the console log shows where it hung.
func powerOff() {
	log.Print("poweroff: sync")
	syscall.Sync()
	log.Print("poweroff: reboot(POWER_OFF)")
	err := syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
	log.Printf("poweroff: %v", err)
}
