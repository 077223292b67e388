package conform

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// StockPath is Debian's iscsiadm; ours is bind-mounted over it so that both
// run under the same name (getopt's messages carry argv[0]).
const StockPath = "/usr/sbin/iscsiadm"

// silentDaemon holds iscsid's socket name, accepts and never answers (the
// "iscsid not answering" state); it sets $pid and returns once listening.
const silentDaemon = `rm -f /run/silent.ready
python3 -c '
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0ISCSIADM_ABSTRACT_NAMESPACE")
s.listen(16)
print("ready", flush=True)
held = []
while True:
	c, _ = s.accept()
	held.append(c)
' > /run/silent.ready &
pid=$!
i=0
while [ ! -s /run/silent.ready ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done`

// wrapper runs inside "unshare -m -n": the state's etc directory over
// /etc/iscsi, its sysfs copy over /sys, an empty /run (no systemd, no lock
// files of other runs), optionally ours over stock's path and a listener
// on iscsid's abstract socket that never answers.
const wrapper = `etc=$1 sys=$2 ours=$3 daemon=$4; shift 4
mount --bind "$etc" /etc/iscsi || exit 90
mount --bind "$sys" /sys || exit 91
mount -t tmpfs none /run || exit 92
mkdir -p /run/lock
ip link set lo up 2>/dev/null
if [ -n "$ours" ]; then mount --bind "$ours" ` + StockPath + ` || exit 93; fi
pid=
if [ "$daemon" = silent ]; then ` + silentDaemon + `; fi
"$@"
rc=$?
[ -z "$pid" ] || kill -9 "$pid"
exit $rc
`

// Result is what a client can see of one run.
type Result struct {
	RC     int
	Stdout string
	Stderr string
	Files  map[string]string // etc/... and sys/... -> content ("-> target" for links)
	Millis int               // how long the run took
}

// Env is one run's private copies of a state.
type Env struct {
	Etc, Sys string
	Daemon   string // "none" or "silent"
}

// copyTree copies a directory (files, directories, symlinks, modes) in
// process: thousands of runs each need a fresh copy.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(to, info.Mode().Perm())
		case d.Type()&fs.ModeSymlink != 0:
			t, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(t, to)
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(to, b, info.Mode().Perm())
		}
	})
}

// invoke runs argv (argv[0] an absolute program) in the namespace wrapper.
func invoke(env Env, ours string, argv []string, timeout time.Duration) (rc int, stdout, stderr string, err error) {
	args := append([]string{"-m", "-n", "--", "sh", "-c", wrapper, "sh", env.Etc, env.Sys, ours, env.Daemon}, argv...)
	return runCmd(exec.Command("unshare", args...), timeout)
}

func runCmd(cmd *exec.Cmd, timeout time.Duration) (rc int, stdout, stderr string, err error) {
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C"}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return 0, "", "", err
	}
	timer := time.AfterFunc(timeout, func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	werr := cmd.Wait()
	timer.Stop()
	var ee *exec.ExitError
	switch {
	case werr == nil:
	case errors.As(werr, &ee) && ee.ExitCode() >= 0:
		rc = ee.ExitCode()
	default:
		return 0, o.String(), e.String(), fmt.Errorf("%w (timeout %v?)", werr, timeout)
	}
	if rc >= 90 && rc <= 93 {
		return rc, o.String(), e.String(), fmt.Errorf("namespace setup failed (%d): %s", rc, e.String())
	}
	return rc, o.String(), e.String(), nil
}

// batchHead is the start of a batch script: one namespace (creating a
// network namespace costs a fifth of a second) runs many cases, each on its
// own copies bind-mounted over /etc/iscsi and /sys and then unmounted.
const batchHead = `mount -t tmpfs none /run || exit 92
ip link set lo up 2>/dev/null
one() {
	d=$1 ours=$2 daemon=$3 secs=$4 sys=$5; shift 5
	rm -rf /run/lock; mkdir -p /run/lock
	mount --bind "$d/etc" /etc/iscsi || exit 90
	if [ -d "$d/sys" ]; then mount --bind "$d/sys" /sys || exit 91
	else mount --bind -r "$sys" /sys || exit 91; fi
	if [ -n "$ours" ]; then mount --bind "$ours" ` + StockPath + ` || exit 93; fi
	pid=
	if [ "$daemon" = silent ]; then ` + silentDaemon + `; fi
	t0=$(date +%s%N)
	timeout -s KILL "$secs" "$@" > "$d/stdout" 2> "$d/stderr" < /dev/null
	echo $? > "$d/rc"
	echo $(( ($(date +%s%N) - t0) / 1000000 )) > "$d/ms"
	[ -z "$pid" ] || { kill -9 "$pid"; wait "$pid"; } 2>/dev/null
	[ -z "$ours" ] || umount ` + StockPath + `
	umount /sys
	umount /etc/iscsi
}
`

func shquote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// job is one run of one case: its directory holds etc/, sys/ and, after
// the batch, stdout, stderr and rc.
type job struct {
	dir, ours, daemon string
	args              []string
	secs              int
	sysRO             string // the state's tree, mounted read-only, when the case has no copy
}

func (j job) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "one %s %s %s %d %s %s", shquote(j.dir), shquote(j.ours), j.daemon, j.secs,
		shquote(j.sysRO), StockPath)
	for _, a := range j.args {
		b.WriteString(" " + shquote(a))
	}
	return b.String()
}

// runBatch runs jobs in one private mount and network namespace.
func runBatch(jobs []job, timeout time.Duration) error {
	var b strings.Builder
	b.WriteString(batchHead)
	for _, j := range jobs {
		b.WriteString(j.line() + "\n")
	}
	rc, _, se, err := runCmd(exec.Command("unshare", "-m", "-n", "--", "sh", "-c", b.String()), timeout)
	if err == nil && rc != 0 {
		err = fmt.Errorf("batch exit %d: %s", rc, se)
	}
	return err
}

// readJob collects what the run left.
func readJob(j job) (Result, error) {
	var r Result
	so, err1 := os.ReadFile(filepath.Join(j.dir, "stdout"))
	se, err2 := os.ReadFile(filepath.Join(j.dir, "stderr"))
	rc, err3 := os.ReadFile(filepath.Join(j.dir, "rc"))
	if err := errors.Join(err1, err2, err3); err != nil {
		return r, err
	}
	r.Stdout, r.Stderr = string(so), string(se)
	if ms, err := os.ReadFile(filepath.Join(j.dir, "ms")); err == nil {
		fmt.Sscan(string(ms), &r.Millis)
	}
	if _, err := fmt.Sscan(string(rc), &r.RC); err != nil {
		return r, err
	}
	var err error
	r.Files, err = snapshot(j.dir)
	return r, err
}

// RunCases runs every case with stock and with ours, workers batches at a
// time, each on fresh copies of its state below scratch.
func RunCases(cases []Case, ours, scratch string, workers int) ([][2]Result, []error) {
	res := make([][2]Result, len(cases))
	errs := make([]error, len(cases))
	batches := make([][]int, workers)
	for i := range cases {
		batches[i%workers] = append(batches[i%workers], i)
	}
	var wg sync.WaitGroup
	for w := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runWorker(cases, batches[w], ours, scratch, res, errs)
		}()
	}
	wg.Wait()
	return res, errs
}

func runWorker(cases []Case, idx []int, ours, scratch string, res [][2]Result, errs []error) {
	var jobs []job
	for _, i := range idx {
		c := cases[i]
		for k, by := range []string{"", ours} {
			j := job{dir: filepath.Join(scratch, fmt.Sprintf("case%d-%d", i, k)), ours: by,
				daemon: c.State.Daemon, args: c.Args, secs: int(c.timeout() / time.Second),
				sysRO: c.State.sys}
			err := copyTree(c.State.etc, filepath.Join(j.dir, "etc"))
			// only rescans write to sysfs: the others get the state's tree
			// read-only (a write would show as an error), which saves copies
			if c.writesSysfs() {
				err = errors.Join(err, copyTree(c.State.sys, filepath.Join(j.dir, "sys")))
			}
			if err != nil {
				errs[i] = err
			}
			jobs = append(jobs, j)
		}
	}
	if err := runBatch(jobs, 30*time.Minute); err != nil {
		for _, i := range idx {
			errs[i] = err
		}
		return
	}
	for n, i := range idx {
		for k := 0; k < 2; k++ {
			r, err := readJob(jobs[2*n+k])
			if err != nil && errs[i] == nil {
				errs[i] = err
			}
			res[i][k] = r
		}
		os.RemoveAll(jobs[2*n].dir)
		os.RemoveAll(jobs[2*n+1].dir)
	}
}

// snapshot reads every file below dir (etc/ and sys/).
func snapshot(dir string) (map[string]string, error) {
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case !strings.HasPrefix(rel, "etc/") && !strings.HasPrefix(rel, "sys/"):
			// the run's own stdout, stderr, rc and ms
		case d.Type()&fs.ModeSymlink != 0 && strings.HasPrefix(rel, "sys/"):
			// the fake tree's links are its shape: iscsiadm writes files only
		case d.Type()&fs.ModeSymlink != 0:
			t, err := os.Readlink(p)
			if err != nil {
				return err
			}
			files[rel] = "-> " + t
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			files[rel] = fmt.Sprintf("[%o] %s", info.Mode().Perm(), b)
		}
		return nil
	})
	return files, err
}

// shell runs a setup script in the namespace on env (state generation),
// with ours over stock's path when ours is set; fails with its output.
func shell(env Env, ours, script string) error {
	rc, so, se, err := invoke(env, ours, []string{"/bin/sh", "-ec", script}, 60*time.Second)
	if err != nil {
		return err
	}
	if rc != 0 {
		return fmt.Errorf("setup script exit %d:\n%s\n%s", rc, strings.TrimSpace(so), strings.TrimSpace(se))
	}
	return nil
}
