package main

import (
	"bytes"
	"flag"
	"io"
	"strings"
	"testing"
)

func parseTargetFlags(t *testing.T, args ...string) *targetFlags {
	t.Helper()
	var f targetFlags
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &f
}

func TestTargetFlagsBuildServer(t *testing.T) {
	f := parseTargetFlags(t, "-listen", "127.0.0.1:0", "-portal", "10.0.2.2:3310",
		"-target", "iqn.2026-11.t:a,iqn.2026-11.t:b", "-luns", "0-2,300", "-size", "1G",
		"-chap", "u:secretsecret", "-mutual", "m:mutualsecret", "-sense", "descriptor", "-block-size", "4096")
	var stderr bytes.Buffer
	srv, err := startTarget(f, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if got := strings.Join(srv.TargetNames(), " "); got != "iqn.2026-11.t:a iqn.2026-11.t:b" {
		t.Errorf("targets %q", got)
	}
	if srv.Portal() != "10.0.2.2:3310" || !strings.HasPrefix(srv.Addr(), "127.0.0.1:") {
		t.Errorf("portal %s addr %s", srv.Portal(), srv.Addr())
	}
	if lu := srv.Target("iqn.2026-11.t:a").LUN(300); lu == nil || lu.BlockSize() != 4096 || lu.Blocks() != 1<<18 {
		t.Errorf("LUN 300 of target a: %+v", lu)
	}
	out, err := srv.Control("list")
	if err != nil || !strings.Contains(out, "iqn.2026-11.t:b luns=0,1,2,300 sessions=0") {
		t.Errorf("list: %q %v", out, err)
	}
}

func TestTargetFlagErrors(t *testing.T) {
	bad := [][]string{
		{"-sense", "weird"}, {"-mutual", "m:s"}, {"-chap", "nocolon"},
		{"-luns", "3-1"}, {"-size", "0"}, {"-listen", "256.0.0.1:1"}, {"-block-size", "520"},
	}
	for _, args := range bad {
		f := parseTargetFlags(t, append([]string{"-listen", "127.0.0.1:0"}, args...)...)
		if srv, err := startTarget(f, io.Discard); err == nil {
			srv.Close()
			t.Errorf("%v accepted", args)
		}
	}
	var stderr bytes.Buffer
	if code := runTarget([]string{"-no-such-flag"}, io.Discard, &stderr); code != exitUsage {
		t.Errorf("bad flag: exit %d", code)
	}
}
