package main

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"autoscan/harness/lab/agentproto"
)

// listSCSI reads <root>/class/scsi_device: one entry per H:C:T:L with the
// inquiry strings sysfs exposes and the sd disk attached, if any.
func listSCSI(root string) ([]agentproto.Device, error) {
	dir := filepath.Join(root, "class", "scsi_device")
	ents, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var devs []agentproto.Device
	for _, e := range ents {
		d, ok := parseHCTL(e.Name())
		if !ok {
			continue
		}
		base := filepath.Join(dir, e.Name(), "device")
		d.Vendor = readTrim(filepath.Join(base, "vendor"))
		d.Model = readTrim(filepath.Join(base, "model"))
		d.Type = readTrim(filepath.Join(base, "type"))
		if bl, _ := os.ReadDir(filepath.Join(base, "block")); len(bl) > 0 {
			d.Block = bl[0].Name()
		}
		devs = append(devs, d)
	}
	sort.Slice(devs, func(i, j int) bool { return devs[i].HCTL < devs[j].HCTL })
	return devs, nil
}

func parseHCTL(s string) (agentproto.Device, bool) {
	f := strings.Split(s, ":")
	if len(f) != 4 {
		return agentproto.Device{}, false
	}
	var n [4]uint64
	for i, p := range f {
		v, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return agentproto.Device{}, false
		}
		n[i] = v
	}
	return agentproto.Device{HCTL: s, Host: int(n[0]), Chan: int(n[1]),
		Target: int(n[2]), LUN: n[3]}, true
}

func listBlock(root string) ([]agentproto.Block, error) {
	ents, err := os.ReadDir(filepath.Join(root, "block"))
	if err != nil {
		return nil, err
	}
	var out []agentproto.Block
	for _, e := range ents {
		sz, _ := strconv.ParseUint(readTrim(filepath.Join(root, "block", e.Name(), "size")), 10, 64)
		out = append(out, agentproto.Block{Name: e.Name(), Sectors: sz})
	}
	return out, nil
}

func readTrim(p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
