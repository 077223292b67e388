package audit

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"autoscan/harness/audit/synth"
	"autoscan/harness/iscsi"
)

const (
	iqnI = "iqn.2026-01.test:initiator"
	iqnT = "iqn.2026-01.test:target"
)

var (
	cdbInquiry = []byte{iscsi.ScsiInquiry, 0, 0, 0, 36, 0}
	cdbVPD83   = []byte{iscsi.ScsiInquiry, 1, 0x83, 0, 255, 0}
	cdbReport  = []byte{iscsi.ScsiReportLUNs, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0}
	cdbTUR     = []byte{iscsi.ScsiTestUnitReady, 0, 0, 0, 0, 0}
)

// capture builds a pcap with one connection; body writes the traffic.
func capture(t *testing.T, body func(c *synth.Conn, s *synth.Session)) []byte {
	var buf bytes.Buffer
	w, err := synth.NewWriter(&buf)
	require.NoError(t, err)
	c := w.NewConn("10.0.2.15", 40000, "127.0.0.1", 3260)
	body(c, &synth.Session{})
	return buf.Bytes()
}

func login(t *testing.T, c *synth.Conn, s *synth.Session) {
	require.NoError(t, c.Handshake())
	require.NoError(t, c.Send(false, s.LoginRequest(iqnI, iqnT)))
	require.NoError(t, c.Send(true, s.LoginResponse()))
}

func analyze(t *testing.T, pcap []byte, opts Options) *Report {
	r, err := pcapgo.NewReader(bytes.NewReader(pcap))
	require.NoError(t, err)
	a := New(opts)
	require.NoError(t, a.ReadSource("test.pcap", r))
	return a.Report()
}

func lunCounts(s *Session) map[uint64]int {
	m := map[uint64]int{}
	for _, l := range s.LUNs {
		m[l.LUN] = l.Commands
	}
	return m
}

func TestScanAndVerdict(t *testing.T) {
	pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
		login(t, c, s)
		for _, cmd := range []struct {
			lun uint64
			cdb []byte
		}{{0, cdbReport}, {0, cdbInquiry}, {0, cdbVPD83}, {2, cdbInquiry}, {2, cdbTUR}} {
			require.NoError(t, c.Send(false, s.Command(cmd.lun, cmd.cdb, 36)))
			require.NoError(t, c.Send(true, s.DataIn(cmd.lun, make([]byte, 36))))
		}
		require.NoError(t, c.Send(false, s.Logout()))
	})
	rep := analyze(t, pcap, Options{})
	require.Len(t, rep.Sessions, 1)
	s := rep.Sessions[0]
	assert.Equal(t, iqnI, s.Initiator)
	assert.Equal(t, iqnT, s.Target)
	assert.Equal(t, "Normal", s.SessionType)
	assert.Equal(t, 1, s.Logins)
	assert.Equal(t, 1, s.Logouts)
	assert.Equal(t, "10.0.2.15:40000", s.Client)
	assert.Equal(t, map[uint64]int{0: 3, 2: 2}, lunCounts(s))
	assert.Equal(t, map[string]int{"REPORT LUNS": 1, "INQUIRY": 1, "INQUIRY VPD 0x83": 1}, s.LUNs[0].Opcodes)
	assert.Len(t, s.ReportLUNs, 1)
	assert.True(t, rep.Verdict.Clean)

	allow, err := ParseLUNList("0")
	require.NoError(t, err)
	rep = analyze(t, pcap, Options{AllowLUNs: allow, ForbidReportLUNs: true})
	assert.False(t, rep.Verdict.Clean)
	var reasons []string
	for _, v := range rep.Verdict.Violations {
		reasons = append(reasons, v.Reason+":"+v.Opcode)
	}
	assert.ElementsMatch(t, []string{"report-luns:REPORT LUNS", "lun-not-allowed:INQUIRY", "lun-not-allowed:TEST UNIT READY"}, reasons)

	rep = analyze(t, pcap, Options{Target: "iqn.other"})
	assert.Empty(t, rep.Sessions)
	assert.True(t, rep.Verdict.Clean)
}

// scsiStream is the traffic of the segmentation tests: 30 commands over
// LUNs 0-2, with 4 KiB of Data-In each.
func scsiStream(s *synth.Session) (toTarget, fromTarget [][]byte) {
	for i := 0; i < 30; i++ {
		lun := uint64(i % 3)
		toTarget = append(toTarget, s.Command(lun, cdbInquiry, 4096))
		fromTarget = append(fromTarget, s.DataIn(lun, bytes.Repeat([]byte{0x01}, 4096)))
	}
	return
}

func want30() map[uint64]int { return map[uint64]int{0: 10, 1: 10, 2: 10} }

func TestPDUSplitOverManySegments(t *testing.T) {
	pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
		login(t, c, s)
		c.MSS = 7 // every header spans 7 segments
		to, from := scsiStream(s)
		for i := range to {
			require.NoError(t, c.Send(false, to[i]))
			require.NoError(t, c.Send(true, from[i]))
		}
	})
	s := analyze(t, pcap, Options{}).Sessions[0]
	assert.Equal(t, want30(), lunCounts(s))
	assert.Zero(t, s.Resyncs)
}

func TestManyPDUsInOneSegment(t *testing.T) {
	pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
		login(t, c, s)
		c.MSS = 60000
		to, _ := scsiStream(s)
		require.NoError(t, c.Send(false, bytes.Join(to, nil)))
	})
	assert.Equal(t, want30(), lunCounts(analyze(t, pcap, Options{}).Sessions[0]))
}

func TestRetransmissionAndReordering(t *testing.T) {
	pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
		login(t, c, s)
		to, _ := scsiStream(s)
		stream := bytes.Join(to, nil) // 30 * 48 bytes
		base := c.Seq(false)
		// segments of 100 bytes, sent as: 0, 2, 1 (reordered), 1 again
		// (retransmitted), then an overlapping retransmission of 3-4.
		seg := func(i int) []byte { return stream[i*100 : min((i+1)*100, len(stream))] }
		for _, i := range []int{0, 2, 1, 1} {
			require.NoError(t, c.Segment(false, base+uint32(i*100), seg(i)))
		}
		require.NoError(t, c.Segment(false, base+300, stream[300:450]))
		require.NoError(t, c.Segment(false, base+350, stream[350:]))
		c.Advance(false, len(stream))
	})
	s := analyze(t, pcap, Options{}).Sessions[0]
	assert.Equal(t, want30(), lunCounts(s))
	assert.Zero(t, s.Resyncs)
}

func TestCaptureStartsMidPDU(t *testing.T) {
	full := capture(t, func(c *synth.Conn, s *synth.Session) {
		c.MSS = 1000
		to, from := scsiStream(s)
		require.NoError(t, c.Send(false, bytes.Join(to, nil)[70:])) // starts 22 bytes into PDU 1
		require.NoError(t, c.Send(true, bytes.Join(from, nil)[2000:]))
	})
	s := analyze(t, full, Options{}).Sessions[0]
	assert.False(t, s.LoginSeen)
	// PDU 0 is lost and PDU 1 is cut; the rest decode.
	assert.Equal(t, map[uint64]int{0: 9, 1: 9, 2: 10}, lunCounts(s))
}

func TestDigestsLearnedFromLogin(t *testing.T) {
	pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
		s.Digests = true
		login(t, c, s)
		c.MSS = 500
		to, from := scsiStream(s)
		for i := range to {
			require.NoError(t, c.Send(false, to[i]))
			require.NoError(t, c.Send(true, from[i]))
		}
	})
	s := analyze(t, pcap, Options{}).Sessions[0]
	assert.True(t, s.HeaderDigest)
	assert.True(t, s.DataDigest)
	assert.Equal(t, want30(), lunCounts(s))
	assert.Zero(t, s.Resyncs)
}

func TestAENFixedAndDescriptorSense(t *testing.T) {
	pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
		login(t, c, s)
		require.NoError(t, c.Send(true, s.Async(0, iscsi.FixedSense(iscsi.SenseUnitAttention, 0x3f, 0x0e))))
		require.NoError(t, c.Send(true, s.Async(1, iscsi.DescriptorSense(iscsi.SenseUnitAttention, 0x3f, 0x0e))))
		require.NoError(t, c.Send(false, s.Command(0, cdbReport, 4096)))
		require.NoError(t, c.Send(false, s.Command(1, cdbInquiry, 36)))
	})
	s := analyze(t, pcap, Options{}).Sessions[0]
	require.Len(t, s.AENs, 2)
	for i, format := range []string{"fixed", "descriptor"} {
		a := s.AENs[i]
		require.NotNil(t, a.Sense)
		assert.Equal(t, format, a.Sense.Format)
		assert.Equal(t, uint64(i), a.LUN)
		assert.Equal(t, "SCSI event", a.EventName)
		assert.Equal(t, [3]uint8{6, 0x3f, 0x0e}, [3]uint8{a.Sense.Key, a.Sense.ASC, a.Sense.ASCQ})
		assert.Contains(t, a.Sense.Text, "REPORTED LUNS DATA HAS CHANGED")
		assert.Equal(t, 1, a.ReportLUNsAfter)
		assert.Equal(t, 2, a.CommandsAfter)
	}
}

func TestLUNsAbove255AndTMF(t *testing.T) {
	flat300 := iscsi.LUNToInt(iscsi.FlatLUN(300))
	pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
		login(t, c, s)
		require.NoError(t, c.Send(false, s.Command(flat300, cdbTUR, 0)))
		require.NoError(t, c.Send(false, s.TMF(flat300, iscsi.TMFLogicalUnitRst)))
	})
	s := analyze(t, pcap, Options{}).Sessions[0]
	require.Len(t, s.LUNs, 1)
	assert.Equal(t, uint64(0x4000+300), s.LUNs[0].LUN)
	assert.Equal(t, "flat", s.LUNs[0].Addressing)
	assert.Equal(t, "412c-0000-0000-0000", s.LUNs[0].Field)
	require.Len(t, s.TMFs, 1)
	assert.Equal(t, "LOGICAL UNIT RESET", s.TMFs[0].Name)
	assert.Equal(t, flat300, s.TMFs[0].LUN)
}

func TestGarbageOnPort3260(t *testing.T) {
	pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
		require.NoError(t, c.Handshake())
		junk := make([]byte, 100000)
		for i := range junk {
			junk[i] = byte(i*7 + i>>8)
		}
		require.NoError(t, c.Send(false, junk))
		require.NoError(t, c.Send(true, bytes.Repeat([]byte{0xff}, 5000)))
	})
	rep := analyze(t, pcap, Options{})
	assert.True(t, rep.Verdict.Clean)
	for _, s := range rep.Sessions {
		assert.Empty(t, s.LUNs)
	}
}

func TestLUNList(t *testing.T) {
	s, err := ParseLUNList("5-7, 0,2")
	require.NoError(t, err)
	assert.Equal(t, "0,2,5-7", s.String())
	for lun, in := range map[uint64]bool{0: true, 1: false, 2: true, 5: true, 7: true, 8: false} {
		assert.Equal(t, in, s.Contains(lun), "lun %d", lun)
	}
	for _, bad := range []string{"", "1,", "a", "3-1", "1-x"} {
		_, err := ParseLUNList(bad)
		assert.Error(t, err, bad)
	}
}

// TestIPv6AndCookedCapture: the same scan over IPv6, written as `tcpdump
// -i any` does (Linux cooked capture), decodes the same.
func TestIPv6AndCookedCapture(t *testing.T) {
	for _, link := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL} {
		var buf bytes.Buffer
		w, err := synth.NewWriterLink(&buf, link)
		require.NoError(t, err)
		c := w.NewConn("fd00::15", 40000, "fd00::2", 3260)
		s := &synth.Session{}
		login(t, c, s)
		to, _ := scsiStream(s)
		require.NoError(t, c.Send(false, bytes.Join(to, nil)))
		rep := analyze(t, buf.Bytes(), Options{})
		require.Len(t, rep.Sessions, 1, "link %v", link)
		assert.Equal(t, "[fd00::15]:40000", rep.Sessions[0].Client)
		assert.Equal(t, want30(), lunCounts(rep.Sessions[0]), "link %v", link)
	}
}

// TestAbsurdLengths: headers declaring 16 MiB segments and 255 AHS words
// neither panic nor make the audit hold the data.
func TestAbsurdLengths(t *testing.T) {
	pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
		login(t, c, s)
		bhs := make([]byte, iscsi.BHSLen)
		bhs[0], bhs[1], bhs[4], bhs[5], bhs[6], bhs[7] = 0x01, 0x80, 0xff, 0xff, 0xff, 0xff
		require.NoError(t, c.Send(false, append(bhs, make([]byte, 5000)...)))
		resp := make([]byte, iscsi.BHSLen)
		resp[0], resp[1], resp[5], resp[6], resp[7] = 0x21, 0x80, 0xff, 0xff, 0xff // SCSI Response, 16 MiB of "sense"
		require.NoError(t, c.Send(true, append(resp, make([]byte, 3000)...)))
	})
	rep := analyze(t, pcap, Options{})
	require.Len(t, rep.Sessions, 1)
	assert.Equal(t, map[uint64]int{}, lunCounts(rep.Sessions[0]), "incomplete PDUs are not counted")
}

// TestManyEmptyConnectionsAreForgotten: connections that open and close
// without iSCSI (a port scan) do not pile up.
func TestManyEmptyConnectionsAreForgotten(t *testing.T) {
	var buf bytes.Buffer
	w, err := synth.NewWriter(&buf)
	require.NoError(t, err)
	for i := 0; i < 3000; i++ {
		c := w.NewConn("10.0.2.15", uint16(20000+i), "127.0.0.1", 3260)
		require.NoError(t, c.Handshake())
		require.NoError(t, c.Reset())
	}
	r, err := pcapgo.NewReader(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	a := New(Options{})
	require.NoError(t, a.ReadSource("scan", r))
	assert.Less(t, len(a.conns), 2100)
	assert.Empty(t, a.Report().Sessions)
}

// TestCheckConditionNamesItsCommand: a unit attention on a command shows
// with the LUN and opcode of the command it answers.
func TestCheckConditionNamesItsCommand(t *testing.T) {
	pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
		login(t, c, s)
		require.NoError(t, c.Send(false, s.Command(2, cdbTUR, 0)))
		require.NoError(t, c.Send(true, s.Response(2, iscsi.FixedSense(iscsi.SenseUnitAttention, 0x3f, 0x0e))))
		require.NoError(t, c.Send(false, s.Command(1, cdbTUR, 0)))
		require.NoError(t, c.Send(true, s.Response(0, nil)))
	})
	s := analyze(t, pcap, Options{}).Sessions[0]
	require.Len(t, s.CheckConditions, 1)
	cc := s.CheckConditions[0]
	assert.Equal(t, uint64(2), cc.LUN)
	assert.Equal(t, "TEST UNIT READY", cc.Opcode)
	require.NotNil(t, cc.Sense)
	assert.Equal(t, "UNIT ATTENTION 3F/0E (REPORTED LUNS DATA HAS CHANGED)", cc.Sense.Text)
}

// TestLinuxCookedV2: `tcpdump -i any` writes link type 276 (which does not
// fit gopacket's 8-bit LinkType); frames are rewritten here from Ethernet
// to that format and must audit the same.
func TestLinuxCookedV2(t *testing.T) {
	eth := capture(t, func(c *synth.Conn, s *synth.Session) {
		login(t, c, s)
		to, _ := scsiStream(s)
		require.NoError(t, c.Send(false, bytes.Join(to, nil)))
	})
	r, err := pcapgo.NewReader(bytes.NewReader(eth))
	require.NoError(t, err)
	le := binary.LittleEndian
	out := make([]byte, 24)
	le.PutUint32(out, 0xa1b2c3d4)
	le.PutUint16(out[4:], 2)
	le.PutUint16(out[6:], 4)
	le.PutUint32(out[16:], 262144)
	le.PutUint32(out[20:], 276)
	for {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		sll := make([]byte, 20, 20+len(data)-14)
		copy(sll, data[12:14]) // EtherType first
		binary.BigEndian.PutUint16(sll[8:], 772)
		frame := append(sll, data[14:]...)
		rec := make([]byte, 16)
		le.PutUint32(rec, uint32(ci.Timestamp.Unix()))
		le.PutUint32(rec[4:], uint32(ci.Timestamp.Nanosecond()/1000))
		le.PutUint32(rec[8:], uint32(len(frame)))
		le.PutUint32(rec[12:], uint32(len(frame)))
		out = append(append(out, rec...), frame...)
	}
	p := filepath.Join(t.TempDir(), "any.pcap")
	require.NoError(t, os.WriteFile(p, out, 0o644))
	rep, err := AnalyzeFiles(Options{}, p)
	require.NoError(t, err)
	require.Len(t, rep.Sessions, 1)
	assert.Equal(t, want30(), lunCounts(rep.Sessions[0]))
}

// TestNanosecondPcap: tcpdump --time-stamp-precision=nano files (another
// magic number) read the same, to the nanosecond.
func TestNanosecondPcap(t *testing.T) {
	var buf bytes.Buffer
	w := pcapgo.NewWriterNanos(&buf)
	require.NoError(t, w.WriteFileHeader(262144, layers.LinkTypeEthernet))
	r, err := pcapgo.NewReader(bytes.NewReader(capture(t, func(c *synth.Conn, s *synth.Session) {
		login(t, c, s)
		require.NoError(t, c.Send(false, s.Command(7, cdbTUR, 0)))
	})))
	require.NoError(t, err)
	var last time.Time
	for i := 0; ; i++ {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		ci.Timestamp = ci.Timestamp.Add(time.Duration(i) * 7) // sub-microsecond part
		last = ci.Timestamp
		require.NoError(t, w.WritePacket(ci, data))
	}
	p := filepath.Join(t.TempDir(), "nano.pcap")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	rep, err := AnalyzeFiles(Options{}, p)
	require.NoError(t, err)
	require.Len(t, rep.Sessions, 1)
	assert.Equal(t, map[uint64]int{7: 1}, lunCounts(rep.Sessions[0]))
	assert.Equal(t, last.UTC(), rep.Sessions[0].LUNs[0].FirstSeen)
}

// TestEndlessLoginContinuation: login PDUs that always announce more text
// do not make the audit collect it without end.
func TestEndlessLoginContinuation(t *testing.T) {
	c := newConn(&Session{}, true)
	p := &iscsi.PDU{}
	p.SetOpcode(iscsi.OpLoginReq)
	p.SetImmediate(true)
	p.SetLoginStages(false, true, 0, 1)
	p.Data = bytes.Repeat([]byte("X=Y\x00"), 1000)
	b, err := p.Marshal()
	require.NoError(t, err)
	for i := 0; i < 200; i++ {
		c.feed(false, b, time.Time{})
	}
	assert.Equal(t, int64(200), c.pdus)
	assert.LessOrEqual(t, len(c.text[0]), maxLoginText)
}

// TestEventListsAreBounded: a flood of REPORT LUNS keeps its count per LUN
// but lists only the first maxEvents.
func TestEventListsAreBounded(t *testing.T) {
	c := newConn(&Session{}, true)
	s := &synth.Session{}
	var b []byte
	for i := 0; i < maxEvents+50; i++ {
		b = append(b, s.Command(0, cdbReport, 16)...)
	}
	c.feed(false, b, time.Time{})
	c.finish()
	assert.Len(t, c.s.ReportLUNs, maxEvents)
	assert.Equal(t, 50, c.s.EventsDropped)
	assert.Equal(t, maxEvents+50, c.s.LUNs[0].ReportLUNs)
}

// A clean logout: Logout Request, successful Logout Response, then the
// connection ends. Without the response (the guest went down, the
// connection was cut) the end is "without-logout"; a connection still
// open at the end of the capture has no Closed.
func TestLogoutBeforeClose(t *testing.T) {
	for _, tc := range []struct {
		name      string
		respond   bool
		reset     bool
		responses int
		closed    string
	}{
		{"clean", true, true, 1, "after-logout"},
		{"cut before the response", false, true, 0, "without-logout"},
		{"open at the end", true, false, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pcap := capture(t, func(c *synth.Conn, s *synth.Session) {
				login(t, c, s)
				require.NoError(t, c.Send(false, s.Logout()))
				if tc.respond {
					require.NoError(t, c.Send(true, s.LogoutResponse()))
				}
				if tc.reset {
					require.NoError(t, c.Reset())
				}
			})
			rep := analyze(t, pcap, Options{})
			require.Len(t, rep.Sessions, 1)
			assert.Equal(t, 1, rep.Sessions[0].Logouts)
			assert.Equal(t, tc.responses, rep.Sessions[0].LogoutResponses)
			assert.Equal(t, tc.closed, rep.Sessions[0].Closed)
		})
	}
}
