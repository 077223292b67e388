package lab

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// bootIDPath changes at every boot of the guest kernel.
const bootIDPath = "/proc/sys/kernel/random/boot_id"

// Reboot runs "systemctl reboot" in the guest, waits for the agent's
// connection to drop (systemd stops the agent on the way down) and for the
// agent of the next boot to answer, and checks that the kernel's boot id
// changed. It needs a guest that comes back: systemd as PID 1 on a root
// disk (BuildDebianDisk). It returns the time from the request until the
// new agent answered.
func (g *Guest) Reboot(timeout time.Duration) (time.Duration, error) {
	before, err := g.ReadFile(bootIDPath)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	deadline := start.Add(timeout)
	if _, err := g.Start("systemctl reboot", "/dev/null"); err != nil {
		return 0, fmt.Errorf("lab: systemctl reboot: %v", err)
	}
	err = g.Client.waitClosed(deadline)
	g.Client.Close()
	if err != nil {
		return 0, err
	}
	c, err := g.waitAgent(deadline)
	if err != nil {
		return 0, fmt.Errorf("%v (after reboot); console tail:\n%s", err, g.ConsoleTail(30))
	}
	c.path = g.Client.path
	g.Client = c
	took := time.Since(start)
	after, err := g.ReadFile(bootIDPath)
	if err != nil {
		return 0, err
	}
	if strings.TrimSpace(after) == strings.TrimSpace(before) {
		return 0, fmt.Errorf("lab: the agent came back but the guest did not reboot (boot id %s)",
			strings.TrimSpace(after))
	}
	return took, nil
}

// waitClosed waits until the agent ends the connection. The agent never
// speaks unasked, so anything but a timeout from a read means it is gone.
func (c *Client) waitClosed(deadline time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.conn.SetReadDeadline(deadline)
	for {
		if _, err := c.rd.ReadByte(); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return fmt.Errorf("lab: the agent's connection did not drop: the guest is not rebooting")
			}
			return nil
		}
	}
}
