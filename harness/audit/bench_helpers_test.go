package audit

import (
	"io"

	"autoscan/harness/audit/synth"
	"autoscan/harness/iscsi"
)

// newBenchWriter starts a logged-in session on w and returns a function
// that appends one 64 KiB read to it.
func newBenchWriter(w io.Writer) (func() error, error) {
	sw, err := synth.NewWriter(w)
	if err != nil {
		return nil, err
	}
	c := sw.NewConn("10.0.2.15", 41000, "127.0.0.1", iscsi.DefaultPort)
	s := &synth.Session{}
	if err := c.Handshake(); err != nil {
		return nil, err
	}
	if err := c.Send(false, s.LoginRequest("iqn.i", "iqn.t")); err != nil {
		return nil, err
	}
	if err := c.Send(true, s.LoginResponse()); err != nil {
		return nil, err
	}
	data := make([]byte, 64<<10)
	i := 0
	return func() error {
		i++
		lun := uint64(i % 4)
		if err := c.Send(false, s.Command(lun, []byte{iscsi.ScsiRead10, 0, 0, 0, 0, byte(i), 0, 0, 128, 0}, 65536)); err != nil {
			return err
		}
		return c.Send(true, s.DataIn(lun, data))
	}, nil
}
