package target

import (
	"errors"
	"fmt"
	"io"

	"autoscan/harness/iscsi"
)

// maxSegment bounds the data segment the target accepts, whatever the
// header claims, so a hostile peer cannot make it allocate 16 MiB per PDU.
const maxSegment = 1 << 20

var errDigest = errors.New("target: digest mismatch")

// readPDU reads one whole PDU from a TCP stream with the connection's
// digest settings and decodes it with the harness's own codec.
func readPDU(r io.Reader, hd, dd bool) (*iscsi.PDU, error) {
	var bhs [iscsi.BHSLen]byte
	if _, err := io.ReadFull(r, bhs[:]); err != nil {
		return nil, err
	}
	if dsl := int(bhs[5])<<16 | int(bhs[6])<<8 | int(bhs[7]); dsl > maxSegment {
		return nil, fmt.Errorf("target: data segment of %d bytes refused", dsl)
	}
	buf := make([]byte, iscsi.WireLen(bhs[:], hd, dd))
	copy(buf, bhs[:])
	if _, err := io.ReadFull(r, buf[iscsi.BHSLen:]); err != nil {
		return nil, err
	}
	p := &iscsi.PDU{HeaderDigest: hd, DataDigest: dd}
	if err := p.DecodeFromBytes(buf, nopFeedback{}); err != nil {
		return nil, err
	}
	if !p.HeaderCRCOK || !p.DataCRCOK {
		return nil, errDigest
	}
	return p, nil
}

type nopFeedback struct{}

func (nopFeedback) SetTruncated() {}
