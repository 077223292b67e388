package lab

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// guestModules are the modules the guest loads at boot; their dependencies
// are resolved on the host with modprobe so the order is always right.
var guestModules = []string{
	"virtio_pci", "virtio_net", "iscsi_tcp", "sd_mod", "crc32c_generic", "ext4",
}

// kernelVersion picks the newest /boot/vmlinuz-<ver> with modules present.
func kernelVersion() (string, error) {
	ks, _ := filepath.Glob("/boot/vmlinuz-*")
	sort.Strings(ks)
	for i := len(ks) - 1; i >= 0; i-- {
		v := strings.TrimPrefix(filepath.Base(ks[i]), "vmlinuz-")
		if _, err := os.Stat(filepath.Join("/lib/modules", v, "modules.dep")); err == nil {
			return v, nil
		}
	}
	return "", fmt.Errorf("lab: no /boot/vmlinuz-* with /lib/modules/<ver> (install linux-image-amd64)")
}

// moduleOrder asks modprobe for the insmod lines of every wanted module.
func moduleOrder(ver string, mods []string) ([]string, error) {
	var all strings.Builder
	for _, m := range mods {
		out, err := exec.Command("modprobe", "-S", ver, "--show-depends", m).Output()
		if err != nil {
			return nil, fmt.Errorf("lab: modprobe --show-depends %s: %w", m, err)
		}
		all.Write(out)
	}
	return parseInsmodLines(all.String()), nil
}

// parseInsmodLines keeps the first occurrence of each "insmod PATH" line in
// order; "builtin" lines need nothing loaded.
func parseInsmodLines(s string) []string {
	seen := map[string]bool{}
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] != "insmod" || seen[f[1]] {
			continue
		}
		seen[f[1]] = true
		out = append(out, f[1])
	}
	return out
}

// sharedLibs lists the files the dynamic loader needs for bin, as ldd
// names them (the loader itself included).
func sharedLibs(bin string) ([]string, error) {
	out, err := exec.Command("ldd", bin).Output()
	if err != nil {
		// ldd fails on static binaries: nothing to add.
		if strings.Contains(string(out), "not a dynamic") {
			return nil, nil
		}
		return nil, fmt.Errorf("lab: ldd %s: %w", bin, err)
	}
	return parseLdd(string(out)), nil
}

// parseLdd takes "name => /path (addr)" and "/path (addr)" lines.
func parseLdd(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		for i, w := range f {
			if strings.HasPrefix(w, "/") && (i == 0 || f[i-1] == "=>") {
				out = append(out, w)
				break
			}
		}
	}
	return out
}

// busyboxApplets returns the applet paths (without leading slash) of the
// static busybox, minus "busybox" itself: a self-link breaks the boot.
func busyboxApplets(bb string) ([]string, error) {
	out, err := exec.Command(bb, "--list-full").Output()
	if err != nil {
		return nil, fmt.Errorf("lab: %s --list-full: %w", bb, err)
	}
	var apps []string
	for _, l := range strings.Fields(string(out)) {
		if filepath.Base(l) == "busybox" {
			continue
		}
		apps = append(apps, strings.TrimPrefix(l, "/"))
	}
	return apps, nil
}

// findStock locates Debian's open-iscsi binaries (/usr/sbin or /sbin).
func findStock(name string) (string, error) {
	for _, d := range []string{"/usr/sbin", "/sbin"} {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("lab: stock %s not found (install open-iscsi)", name)
}

// repoRoot walks up from the working directory to the tree holding
// usr/ and harness/.
func repoRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if isDir(filepath.Join(d, "harness")) && isDir(filepath.Join(d, "usr")) {
			return d, nil
		}
		up := filepath.Dir(d)
		if up == d {
			return "", fmt.Errorf("lab: repository root not found above working directory")
		}
		d = up
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
