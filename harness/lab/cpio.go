package lab

import (
	"fmt"
	"io"
)

// cpioWriter writes the "newc" (SVR4, no CRC) archive format the kernel
// unpacks as an initramfs. Only what an initramfs needs: directories,
// regular files and symlinks, all owned by root.
type cpioWriter struct {
	w   io.Writer
	ino uint32
	off int64
	err error
}

const (
	cpioDir  = 0o040000
	cpioFile = 0o100000
	cpioLink = 0o120000
)

func newCpioWriter(w io.Writer) *cpioWriter { return &cpioWriter{w: w, ino: 1} }

func (c *cpioWriter) Dir(name string, perm uint32) error {
	return c.entry(name, cpioDir|perm, nil)
}

func (c *cpioWriter) File(name string, perm uint32, data []byte) error {
	return c.entry(name, cpioFile|perm, data)
}

func (c *cpioWriter) Symlink(name, target string) error {
	return c.entry(name, cpioLink|0o777, []byte(target))
}

// Close writes the trailer entry the format requires.
func (c *cpioWriter) Close() error {
	return c.entry("TRAILER!!!", 0, nil)
}

func (c *cpioWriter) entry(name string, mode uint32, data []byte) error {
	if c.err != nil {
		return c.err
	}
	nlink := 1
	if mode&cpioDir == cpioDir && mode&cpioFile != cpioFile {
		nlink = 2
	}
	ino := c.ino
	c.ino++
	// magic ino mode uid gid nlink mtime filesize devmaj devmin rdevmaj rdevmin namesize check
	hdr := fmt.Sprintf("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(name)+1, 0)
	c.write([]byte(hdr))
	c.write(append([]byte(name), 0))
	c.pad()
	c.write(data)
	c.pad()
	return c.err
}

func (c *cpioWriter) write(b []byte) {
	if c.err != nil || len(b) == 0 {
		return
	}
	n, err := c.w.Write(b)
	c.off += int64(n)
	c.err = err
}

// pad aligns to 4 bytes, as newc wants after the name and after the data.
func (c *cpioWriter) pad() {
	if r := c.off % 4; r != 0 {
		c.write(make([]byte, 4-r))
	}
}
