package signdoc

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"sync"
)

// Compact (QR) form: one line of printable ASCII in the QR alphanumeric set.
//
//	"RP1:" + base45( uvarint(len(z)) || z || crc32 )   where z = raw DEFLATE(binary envelope, preset dictionary)
//
// The length tells a cut-off text (ErrTruncated) from a damaged one. The
// CRC-32 (IEEE, big-endian) covers the length and the compressed bytes, so a misread or
// altered character is reported as ErrCorrupt before anything is inflated,
// and the unused bits at the end of the DEFLATE stream cannot be altered
// unnoticed. The preset dictionary (compactDictionary) is part of the
// format: it holds the JSON field names, so a typical activation response
// with its certificate fits QR version 20 at error correction M.

// CompactPrefix starts every compact document; the digit is the compact
// encoding version.
const CompactPrefix = "RP1:"

// compactDictionary is the DEFLATE preset dictionary of compact encoding 1.
// It must never change: a new dictionary needs a new CompactPrefix.
const compactDictionary = `"T00:00:00Z","not_after":"","not_before":"","issued_at":"","created_at":"","publisher_key":"","reseller_name":"","products":["],"public_key":"{"serial":1,"reseller_id":"` +
	`{"type":"activation","type":"deactivation","seq":1,"events":[{"number":1,"licenses":[{"key":"","activations_allowed":1,"deactivations_allowed":1,"bundle_id":"","hostname":"","os":"","app_version":"` +
	`{"activation_id":"","reseller_id":"","certificate_serial":1,"product":"","license_key":"","fingerprint":"","installation_key":"","nonce":"","issued_at":"2026-","apply_by":"2026-","expires":"2026-","features":{"`

var readerPool = sync.Pool{New: func() any { return flate.NewReaderDict(bytes.NewReader(nil), nil) }}

// readAllLimit is io.ReadAll into buf, stopping after limit bytes.
func readAllLimit(r io.Reader, buf []byte, limit int) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) >= limit {
			return buf, nil
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

var writerPool = sync.Pool{New: func() any {
	w, _ := flate.NewWriterDict(io.Discard, flate.BestCompression, []byte(compactDictionary))
	return w
}}

// Compact returns the compact QR text form (no newline).
func (d *Document) Compact() string {
	bin, _ := d.MarshalBinary()
	var z bytes.Buffer
	w := writerPool.Get().(*flate.Writer)
	w.Reset(&z)
	w.Write(bin)
	w.Close()
	writerPool.Put(w)
	zb := binary.AppendUvarint(make([]byte, 0, z.Len()+8), uint64(z.Len()))
	zb = append(zb, z.Bytes()...)
	zb = binary.BigEndian.AppendUint32(zb, crc32.ChecksumIEEE(zb))
	return CompactPrefix + Base45Encode(zb)
}

func parseCompact(text []byte) (*Document, error) {
	s := string(text)
	if !strings.HasPrefix(s, CompactPrefix) {
		if len(s) >= 4 && s[:2] == "RP" && s[2] > '1' && s[2] <= '9' && s[3] == ':' {
			return nil, fmt.Errorf("%w: compact encoding %c", ErrVersionUnsupported, s[2])
		}
		return nil, fmt.Errorf("%w: unknown compact prefix", ErrMalformed)
	}
	body := s[len(CompactPrefix):]
	// the length first, from the whole groups at the start
	head, err := Base45Decode(body[:min(len(body)/3*3, 12)])
	if err != nil {
		return nil, err
	}
	zlen, n := binary.Uvarint(head)
	if n <= 0 || zlen > MaxDocumentSize {
		if n == 0 {
			return nil, fmt.Errorf("%w: compact body too short", ErrTruncated)
		}
		return nil, fmt.Errorf("%w: bad compact length", ErrMalformed)
	}
	total := n + int(zlen) + 4
	want := total/2*3 + total%2*2
	switch {
	case len(body) < want:
		return nil, fmt.Errorf("%w: %d of %d characters", ErrTruncated, len(body), want)
	case len(body) > want:
		return nil, fmt.Errorf("%w: %d characters after the document", ErrMalformed, len(body)-want)
	}
	zb, err := Base45Decode(body)
	if err != nil {
		return nil, err
	}
	if crc32.ChecksumIEEE(zb[:len(zb)-4]) != binary.BigEndian.Uint32(zb[len(zb)-4:]) {
		return nil, ErrCorrupt
	}
	z := zb[n : len(zb)-4]
	br := bytes.NewReader(z)
	r := readerPool.Get().(io.ReadCloser)
	if err := r.(flate.Resetter).Reset(br, []byte(compactDictionary)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	bin := make([]byte, 0, 4*len(z)+64)
	bin, err = readAllLimit(r, bin, MaxDocumentSize+1)
	r.Close()
	readerPool.Put(r)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: compressed body", ErrTruncated)
		}
		return nil, fmt.Errorf("%w: compressed body: %v", ErrMalformed, err)
	}
	if len(bin) > MaxDocumentSize {
		return nil, ErrTooLarge
	}
	if br.Len() != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the compressed document", ErrMalformed, br.Len())
	}
	return parseBinary(bin, MaxDocumentSize, false)
}
