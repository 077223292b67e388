package iscsi

// Framer cuts one direction of a TCP byte stream into PDUs. It is fed the
// reassembled bytes in any chunking, keeps only what it needs (the header,
// and the data segment of PDUs whose data matters), and so uses memory
// bounded by MaxKeep however long the stream is.
//
// A Framer that starts mid-connection, or is told that bytes were lost,
// looks for the next plausible header (see Plausible) whose successor is
// plausible too before it emits anything again.
type Framer struct {
	FromTarget   bool // direction: PDUs sent by the target
	HeaderDigest bool
	DataDigest   bool
	// DigestsKnown is set once the login told us the digests; until then a
	// resynchronising framer guesses them from the header digest.
	DigestsKnown bool
	// KeepData says whose data segment to keep (nil: all). Others are
	// skipped without being stored.
	KeepData func(Opcode) bool
	// MaxKeep bounds a kept data segment; longer ones are skipped.
	MaxKeep int

	Synced  bool
	Resyncs int   // times the framer lost its footing
	Skipped int64 // bytes discarded while looking for a header
	BadCRC  int   // PDUs whose header or data digest did not match

	buf   []byte // header (+ kept data) being assembled, or resync window
	need  int    // len(buf) at which the current part is complete
	skip  int    // data bytes still to drop for the current PDU
	phase int
	pdu   PDU

	scanned int   // resync: offsets below were examined
	pending []int // resync: plausible offsets awaiting more bytes
}

const (
	phaseHeader = iota
	phaseData
	phaseSkip
)

// resyncWindow bounds the bytes held while looking for a header.
const resyncWindow = 1 << 20

// DefaultMaxKeep is the data segment size kept when MaxKeep is 0.
const DefaultMaxKeep = 1 << 16

// Release drops the framer's buffers when its stream has ended.
func (f *Framer) Release() {
	f.buf, f.pending, f.Synced = nil, nil, false
}

// Lost tells the framer that bytes are missing before the next Feed.
func (f *Framer) Lost() {
	if f.Synced {
		f.Resyncs++
	}
	f.Synced = false
	f.buf = f.buf[:0]
	f.scanned, f.pending = 0, f.pending[:0]
}

// Feed consumes b, calling emit for each complete PDU. The PDU passed to
// emit (and its AHS and Data) is only valid during the call.
func (f *Framer) Feed(b []byte, emit func(*PDU)) {
	for len(b) > 0 {
		if !f.Synced {
			b = f.feedUnsynced(b)
			continue
		}
		switch f.phase {
		case phaseHeader, phaseData:
			b = f.fill(b, emit)
		case phaseSkip:
			n := min(f.skip, len(b))
			f.skip -= n
			b = b[n:]
			if f.skip == 0 {
				f.finish(emit)
			}
		}
	}
}

func (f *Framer) startPDU() {
	f.phase, f.need, f.buf = phaseHeader, BHSLen, f.buf[:0]
}

// fill appends to buf until the current header or kept data is complete.
func (f *Framer) fill(b []byte, emit func(*PDU)) []byte {
	if f.need == 0 { // a framer created Synced starts here
		f.startPDU()
	}
	n := min(f.need-len(f.buf), len(b))
	f.buf = append(f.buf, b[:n]...)
	b = b[n:]
	if len(f.buf) < f.need {
		return b
	}
	if f.phase == phaseData {
		f.finish(emit)
		return b
	}
	if len(f.buf) == BHSLen {
		if !Plausible(f.buf, f.FromTarget) {
			return f.desync(b)
		}
		f.need = headerLen(f.buf, f.HeaderDigest)
		if len(f.buf) < f.need {
			return b
		}
	}
	if f.HeaderDigest && !headerCRCOK(f.buf) {
		return f.desync(b)
	}
	f.afterHeader()
	if f.phase == phaseHeader { // no data segment at all
		f.finish(emit)
	}
	return b
}

func headerLen(b []byte, hd bool) int {
	n := BHSLen + int(b[4])*4
	if hd {
		n += DigestLen
	}
	return n
}

func headerCRCOK(b []byte) bool {
	h := BHSLen + int(b[4])*4
	return getDigest(b[h:]) == CRC32C(b[:h])
}

// afterHeader decides whether the data segment is kept or skipped.
func (f *Framer) afterHeader() {
	dsl := dsl(f.buf)
	if dsl == 0 {
		return
	}
	rest := pad4(dsl)
	if f.DataDigest {
		rest += DigestLen
	}
	maxKeep := f.MaxKeep
	if maxKeep == 0 {
		maxKeep = DefaultMaxKeep
	}
	op := Opcode(f.buf[0] & 0x3f)
	if dsl <= maxKeep && (f.KeepData == nil || f.KeepData(op)) {
		f.phase, f.need = phaseData, len(f.buf)+rest
		return
	}
	f.phase, f.skip = phaseSkip, rest
}

// finish decodes the assembled PDU, emits it and starts the next one.
func (f *Framer) finish(emit func(*PDU)) {
	p := &f.pdu
	p.HeaderDigest, p.DataDigest = f.HeaderDigest, f.DataDigest
	copy(p.BHS[:], f.buf)
	h := BHSLen + int(f.buf[4])*4
	p.AHS = f.buf[BHSLen:h]
	p.HeaderCRCOK, p.DataCRCOK, p.Data = true, true, nil
	p.wireLen = WireLen(f.buf, f.HeaderDigest, f.DataDigest)
	if f.phase == phaseData {
		if err := p.DecodeFromBytes(f.buf, nilFeedback{}); err != nil || !p.DataCRCOK {
			f.BadCRC++
		}
	}
	p.contents = nil
	emit(p)
	f.startPDU()
}

// desync drops the header being assembled and resynchronises on what
// follows its first byte.
func (f *Framer) desync(rest []byte) []byte {
	f.Resyncs++
	f.Synced = false
	window := append([]byte(nil), f.buf[1:]...)
	f.buf = f.buf[:0]
	f.scanned, f.pending = 0, f.pending[:0]
	f.Skipped++
	return append(window, rest...)
}

// feedUnsynced adds b to the resync window and looks for a header. It
// returns the bytes to feed again once a header is found (or nil).
func (f *Framer) feedUnsynced(b []byte) []byte {
	f.buf = append(f.buf, b...)
	off, hd, dd, found := f.find()
	if !found {
		if drop := len(f.buf) - resyncWindow; drop > 0 {
			f.dropFront(drop)
		}
		return nil
	}
	f.Skipped += int64(off)
	f.HeaderDigest, f.DataDigest = hd, dd
	f.Synced = true
	rest := append([]byte(nil), f.buf[off:]...)
	f.startPDU()
	return rest
}

type digestGuess struct{ hd, dd bool }

var allGuesses = []digestGuess{{false, false}, {true, true}, {true, false}, {false, true}}

// find looks for the first offset where a header starts whose successor is
// plausible too (or lies beyond a window that could never hold it).
// Candidates that need more bytes to be confirmed are passed over but
// remembered (f.pending) and re-examined as data arrives: if one was real,
// waiting on it alone would stall the framer behind garbage that declares a
// huge length. Offsets before f.scanned were examined already, so feeding
// a byte at a time costs linear, not quadratic, time.
func (f *Framer) find() (off int, hd, dd, found bool) {
	guesses := allGuesses
	if f.DigestsKnown {
		guesses = []digestGuess{{f.HeaderDigest, f.DataDigest}}
	}
	var still []int
	for _, i := range f.pending {
		switch c, g := f.examine(i, guesses); c {
		case confirmYes:
			f.pending, f.scanned = f.pending[:0], 0
			return i, g.hd, g.dd, true
		case confirmWait:
			still = append(still, i)
		}
	}
	f.pending = still
	for i := f.scanned; i+BHSLen <= len(f.buf); i++ {
		f.scanned = i + 1
		switch c, g := f.examine(i, guesses); c {
		case confirmYes:
			f.pending, f.scanned = f.pending[:0], 0
			return i, g.hd, g.dd, true
		case confirmWait:
			if len(f.pending) < maxPending {
				f.pending = append(f.pending, i)
			}
		}
	}
	return 0, false, false, false
}

// maxPending bounds the candidates awaiting confirmation.
const maxPending = 16

// examine tries every digest guess at offset i: the first yes wins; a wait
// under any guess keeps the offset pending.
func (f *Framer) examine(i int, guesses []digestGuess) (int, digestGuess) {
	if !Plausible(f.buf[i:], f.FromTarget) {
		return confirmNo, digestGuess{}
	}
	res := confirmNo
	for _, g := range guesses {
		switch confirm(f.buf[i:], f.FromTarget, g.hd, g.dd) {
		case confirmYes:
			return confirmYes, g
		case confirmWait:
			res = confirmWait
		}
	}
	return res, digestGuess{}
}

// dropFront discards n bytes of the resync window, keeping the scan state.
func (f *Framer) dropFront(n int) {
	f.Skipped += int64(n)
	f.buf = append(f.buf[:0], f.buf[n:]...)
	f.scanned = max(0, f.scanned-n)
	kept := f.pending[:0]
	for _, i := range f.pending {
		if i >= n {
			kept = append(kept, i-n)
		}
	}
	f.pending = kept
}

const (
	confirmNo = iota
	confirmYes
	confirmWait
)

// confirm checks a plausible header at b[0] under one digest guess.
func confirm(b []byte, fromTarget, hd, dd bool) int {
	if hd {
		h := headerLen(b, false)
		if len(b) < h+DigestLen {
			return confirmWait
		}
		if !headerCRCOK(b) {
			return confirmNo
		}
	}
	next := WireLen(b, hd, dd)
	if next+BHSLen > resyncWindow {
		return confirmYes // too big to confirm; accept on plausibility
	}
	if len(b) < next+BHSLen {
		return confirmWait
	}
	if !Plausible(b[next:], fromTarget) || (hd && len(b) >= next+headerLen(b[next:], true) && !headerCRCOK(b[next:])) {
		return confirmNo
	}
	return confirmYes
}
