// Package conform is the differential conformance suite: it builds states
// (record databases, fake sysfs trees, an iscsid that is absent or does not
// answer), generates iscsiadm command lines from stock's usage text, runs
// Debian's stock iscsiadm 2.1.8 and ours on copies of the same state in
// private mount and network namespaces, and compares exit code, stdout,
// stderr and the files left behind. Differences are either documented in
// the one table of doc/iscsiadm.8, listed in pending.txt (cases another
// branch implements), or fail the test.
package conform
