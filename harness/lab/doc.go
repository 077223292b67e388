// Package lab is the kernel lab: it builds a guest image (Debian's kernel
// and modules, busybox, stock open-iscsi and, when built, the project's
// iscsid and iscsiadm, or the cached Debian root for systemd scenarios),
// boots it in qemu and drives it through the labagent running inside. It
// also captures the host's loopback traffic with tcpdump and runs Debian's
// tgtd, so a test gets a real Linux initiator, a target and the wire
// between them. Images are cached by content hash (LAB_CACHE_DIR).
package lab
