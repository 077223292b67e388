package target

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"autoscan/harness/iscsi"
)

// ControlHelp documents the line protocol served by ServeControl.
const ControlHelp = `commands (one per line; each answer is one line, "ok ..." or "error ..."):
  add-target IQN                 create a target with no LUNs
  add-lun IQN LUN SIZE           add a RAM LUN (SIZE like 64M, 1G, 4096)
  remove-lun IQN LUN             remove a LUN
  list                           targets, their LUNs and logged-in connections
  aen IQN [LUN] [fixed|descriptor]   SCSI event 3F/0E (REPORTED LUNS DATA HAS CHANGED)
  logout-request IQN [TIME2WAIT] async event 1
  drop-conn IQN                  async event 2, then close
  drop-all IQN                   async event 3, then close
  drop IQN                       close TCP without a word
  ping IQN                       NOP-In the initiator must answer
  refuse-logins on|off           answer logins with "service unavailable"
  hostile MODE                   off, bad-length, wrong-opcode, oversized, bad-sense, login-garbage
  help`

// ServeControl reads commands from r until EOF and writes one answer line
// per command to w.
func (s *Server) ServeControl(r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out, err := s.Control(line)
		if err != nil {
			fmt.Fprintf(w, "error %v\n", err)
		} else {
			fmt.Fprintf(w, "ok %s\n", out)
		}
	}
	return sc.Err()
}

// Control runs one command line and returns its answer.
func (s *Server) Control(line string) (string, error) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return "", fmt.Errorf("empty command")
	}
	switch f[0] {
	case "help":
		return "commands: add-target add-lun remove-lun list aen logout-request drop-conn drop-all drop ping refuse-logins hostile help", nil
	case "list":
		return s.controlList(), nil
	case "add-target":
		return s.controlAddTarget(f[1:])
	case "refuse-logins":
		return s.controlRefuse(f[1:])
	case "hostile":
		return s.controlHostile(f[1:])
	}
	if !targetVerbs[f[0]] {
		return "", fmt.Errorf("unknown command %q (try help)", f[0])
	}
	if len(f) < 2 {
		return "", fmt.Errorf("%s: need a target name", f[0])
	}
	t := s.Target(f[1])
	if t == nil {
		return "", fmt.Errorf("no target %q", f[1])
	}
	return controlTarget(t, f[0], f[2:])
}

// targetVerbs are the commands that name a target first.
var targetVerbs = map[string]bool{"add-lun": true, "remove-lun": true, "aen": true,
	"logout-request": true, "drop-conn": true, "drop-all": true, "drop": true, "ping": true}

// controlTarget runs the commands that act on one target.
func controlTarget(t *Target, verb string, args []string) (string, error) {
	switch verb {
	case "add-lun", "remove-lun":
		return controlLUN(t, verb, args)
	case "aen":
		return controlAEN(t, args)
	case "logout-request":
		t2w, err := optUint16(args, 0, 0)
		if err != nil {
			return "", err
		}
		return sent(t.SendAsyncEvent(iscsi.AsyncRequestLogout, t2w, 0)), nil
	case "drop-conn":
		return sent(t.SendAsyncEvent(iscsi.AsyncDropConnection, 0, 0)), nil
	case "drop-all":
		return sent(t.SendAsyncEvent(iscsi.AsyncDropAllConns, 0, 0)), nil
	case "drop":
		return fmt.Sprintf("dropped %d", t.DropConnections()), nil
	case "ping":
		return sent(t.Ping()), nil
	}
	return "", fmt.Errorf("unknown command %q (try help)", verb)
}

func sent(n int) string { return fmt.Sprintf("sent %d", n) }

func controlLUN(t *Target, verb string, args []string) (string, error) {
	if len(args) < 1 {
		return "", fmt.Errorf("%s: need a LUN", verb)
	}
	n, err := strconv.ParseUint(args[0], 10, 16)
	if err != nil {
		return "", fmt.Errorf("bad LUN %q", args[0])
	}
	if verb == "remove-lun" {
		return fmt.Sprintf("removed %d", n), t.RemoveLUN(uint16(n))
	}
	if len(args) < 2 {
		return "", fmt.Errorf("add-lun: need a size")
	}
	size, err := ParseSize(args[1])
	if err != nil {
		return "", err
	}
	if _, err := t.AddLUN(uint16(n), size); err != nil {
		return "", err
	}
	return fmt.Sprintf("added %d", n), nil
}

// controlAEN sends 3F/0E; the sense format defaults to the target's.
func controlAEN(t *Target, args []string) (string, error) {
	a := AEN{Format: t.opt.SenseFormat}
	for _, arg := range args {
		switch arg {
		case "fixed":
			a.Format = SenseFixed
		case "descriptor":
			a.Format = SenseDescriptor
		default:
			n, err := strconv.ParseUint(arg, 10, 16)
			if err != nil {
				return "", fmt.Errorf("aen: bad argument %q", arg)
			}
			a.LUN = uint16(n)
		}
	}
	return sent(t.SendAEN(a)), nil
}

func (s *Server) controlAddTarget(args []string) (string, error) {
	if len(args) != 1 {
		return "", fmt.Errorf("add-target: need one name")
	}
	_, err := s.AddTarget(args[0], TargetOptions{})
	return "added " + args[0], err
}

func (s *Server) controlRefuse(args []string) (string, error) {
	if len(args) != 1 || (args[0] != "on" && args[0] != "off") {
		return "", fmt.Errorf("refuse-logins: on or off")
	}
	s.SetRefuseLogins(args[0] == "on")
	return "refuse-logins " + args[0], nil
}

func (s *Server) controlHostile(args []string) (string, error) {
	if len(args) != 1 {
		return "", fmt.Errorf("hostile: need a mode")
	}
	h, err := ParseHostile(args[0])
	if err != nil {
		return "", err
	}
	s.SetHostile(h)
	return "hostile " + h.String(), nil
}

func (s *Server) controlList() string {
	var b strings.Builder
	for _, n := range s.TargetNames() {
		t := s.Target(n)
		fmt.Fprintf(&b, "; %s luns=%s sessions=%d", n, formatLUNs(t.LUNs()), t.Sessions())
	}
	return fmt.Sprintf("portal %s listen %s%s", s.Portal(), s.Addr(), b.String())
}

// formatLUNs joins LUN numbers with commas (answers stay on one line).
func formatLUNs(l []uint16) string {
	s := make([]string, len(l))
	for i, n := range l {
		s[i] = strconv.Itoa(int(n))
	}
	return strings.Join(s, ",")
}

func optUint16(args []string, i int, def uint16) (uint16, error) {
	if len(args) <= i {
		return def, nil
	}
	n, err := strconv.ParseUint(args[i], 10, 16)
	return uint16(n), err
}

// ParseSize reads a byte count with an optional K, M, G or T suffix
// (powers of 1024), also written KB, MB, GB, TB.
func ParseSize(s string) (uint64, error) {
	orig, mult := s, uint64(1)
	if i := len(s) - 1; i > 1 && strings.ContainsRune("KMGTkmgt", rune(s[i-1])) && (s[i] == 'B' || s[i] == 'b') {
		s = s[:i]
	}
	if i := len(s) - 1; i > 0 {
		switch strings.ToUpper(s[i:]) {
		case "K":
			mult = 1 << 10
		case "M":
			mult = 1 << 20
		case "G":
			mult = 1 << 30
		case "T":
			mult = 1 << 40
		}
		if mult > 1 {
			s = s[:i]
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("bad size %q", orig)
	}
	return n * mult, nil
}

// ParseLUNList reads "0-3,7,300" into LUN numbers.
func ParseLUNList(s string) ([]uint16, error) {
	var out []uint16
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.ParseUint(lo, 10, 16)
		b := a
		if err == nil && isRange {
			b, err = strconv.ParseUint(hi, 10, 16)
		}
		if err != nil || b < a || b > 0x3fff {
			return nil, fmt.Errorf("bad LUN list %q", s)
		}
		for n := a; n <= b; n++ {
			out = append(out, uint16(n))
		}
	}
	return out, nil
}
