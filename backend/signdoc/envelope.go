package signdoc

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
)

// FormatVersion is the envelope format version this package writes and the
// newest it reads. A document with a higher version is refused with
// ErrVersionUnsupported.
const FormatVersion = 1

// AlgEd25519 is the only signature algorithm on the allow-list.
const AlgEd25519 = "Ed25519"

// MaxDocumentSize bounds every input: larger inputs are refused before any
// parsing, and the compact form may not inflate beyond it either.
const MaxDocumentSize = 1 << 20

// MaxBundleSize is the one exception to MaxDocumentSize: an allocation
// bundle, which only the pinned publisher can sign and which a caller reads
// with ParseKind(data, KindAllocationBundle), may carry up to about 200,000
// licenses. Every other kind, and any input read without naming the kind,
// stays under MaxDocumentSize.
const MaxBundleSize = 64 << 20

// maxSize is the size limit of documents of kind k.
func (k Kind) maxSize() int {
	if k == KindAllocationBundle {
		return MaxBundleSize
	}
	return MaxDocumentSize
}

const algByteEd25519 = 1

// Document is one signed document: the envelope fields plus, for activation
// responses and reports, the reseller certificate it carries.
//
// Payload holds the exact bytes that were signed (JSON); verification is
// always over these bytes, never over a re-serialisation.
type Document struct {
	Version     int               // envelope format version (FormatVersion)
	Kind        Kind              // document kind
	Alg         string            // signature algorithm, always AlgEd25519
	SignerKey   ed25519.PublicKey // public key of the signer (32 bytes)
	Payload     []byte            // the signed payload bytes (JSON)
	Signature   []byte            // ed25519 signature over Kind.SigningPrefix() || Payload
	Certificate *Document         // the attached reseller certificate, or nil
}

// Binary envelope, version 1 (see docs/formats.md):
//
//	version u8 | kind u8 | alg u8 | keylen u8 | key | uvarint paylen | payload |
//	siglen u8 | sig | uvarint certlen | cert envelope (certlen 0: none)
//
// key is the signer's public key as unpadded base64url TEXT (43 bytes for
// Ed25519), the same text the payloads use, so that DEFLATE in the compact
// form can match it against the certificate that names the same key.

// MarshalBinary returns the binary envelope.
func (d *Document) MarshalBinary() ([]byte, error) {
	out := make([]byte, 0, 16+len(d.SignerKey)+len(d.Payload)+len(d.Signature))
	out = d.appendBinary(out)
	return out, nil
}

func (d *Document) appendBinary(out []byte) []byte {
	key := b64url.EncodeToString(d.SignerKey)
	out = append(out, byte(d.Version), byte(d.Kind), algByteEd25519, byte(len(key)))
	out = append(out, key...)
	out = binary.AppendUvarint(out, uint64(len(d.Payload)))
	out = append(out, d.Payload...)
	out = append(out, byte(len(d.Signature)))
	out = append(out, d.Signature...)
	if d.Certificate == nil {
		return append(out, 0)
	}
	cert := d.Certificate.appendBinary(nil)
	out = binary.AppendUvarint(out, uint64(len(cert)))
	return append(out, cert...)
}

// UnmarshalBinary parses a binary envelope with the structural checks of
// Parse (no signature is checked). The Document keeps slices of b.
func (d *Document) UnmarshalBinary(b []byte) error {
	doc, err := parseBinary(b, MaxDocumentSize, false)
	if err != nil {
		return err
	}
	*d = *doc
	return nil
}

type reader struct {
	b     []byte
	off   int
	limit int // largest length field accepted
}

func (r *reader) byte() (byte, error) {
	if r.off >= len(r.b) {
		return 0, ErrTruncated
	}
	c := r.b[r.off]
	r.off++
	return c, nil
}

func (r *reader) bytes(n int) ([]byte, error) {
	if n < 0 || n > len(r.b)-r.off {
		return nil, ErrTruncated
	}
	s := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return s, nil
}

// uvarint reads a minimally encoded uvarint length.
func (r *reader) uvarint() (int, error) {
	v, n := binary.Uvarint(r.b[r.off:])
	if n == 0 {
		return 0, ErrTruncated
	}
	if n < 0 || v > uint64(r.limit) || n != len(binary.AppendUvarint(nil, v)) {
		return 0, fmt.Errorf("%w: bad length field", ErrMalformed)
	}
	r.off += n
	return int(v), nil
}

func parseBinary(b []byte, limit int, nested bool) (*Document, error) {
	if len(b) == 0 {
		return nil, ErrEmpty
	}
	if len(b) > limit {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, len(b))
	}
	r := &reader{b: b, limit: limit}
	v, _ := r.byte()
	if v == 0 {
		return nil, fmt.Errorf("%w: version 0", ErrMalformed)
	}
	if v > FormatVersion {
		return nil, fmt.Errorf("%w: version %d, this program reads up to %d", ErrVersionUnsupported, v, FormatVersion)
	}
	k, err := r.byte()
	if err != nil {
		return nil, err
	}
	kind := Kind(k)
	if !kind.Valid() {
		return nil, fmt.Errorf("%w: kind %d", ErrKindUnknown, k)
	}
	alg, err := r.byte()
	if err != nil {
		return nil, err
	}
	if alg != algByteEd25519 {
		return nil, fmt.Errorf("%w: algorithm %d", ErrAlgUnsupported, alg)
	}
	kl, err := r.byte()
	if err != nil {
		return nil, err
	}
	keyText, err := r.bytes(int(kl))
	if err != nil {
		return nil, err
	}
	key, err := b64url.DecodeString(string(keyText))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: signer key is not 32 bytes of base64url", ErrPublicKeyInvalid)
	}
	pl, err := r.uvarint()
	if err != nil {
		return nil, err
	}
	payload, err := r.bytes(pl)
	if err != nil {
		return nil, err
	}
	if len(payload) == 0 {
		return nil, fmt.Errorf("%w: empty payload", ErrPayloadInvalid)
	}
	sl, err := r.byte()
	if err != nil {
		return nil, err
	}
	sig, err := r.bytes(int(sl))
	if err != nil {
		return nil, err
	}
	if len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: signature is %d bytes", ErrSignatureInvalid, len(sig))
	}
	cl, err := r.uvarint()
	if err != nil {
		return nil, err
	}
	certBytes, err := r.bytes(cl)
	if err != nil {
		return nil, err
	}
	if r.off != len(b) {
		return nil, fmt.Errorf("%w: %d bytes after the envelope", ErrMalformed, len(b)-r.off)
	}
	d := &Document{Version: int(v), Kind: kind, Alg: AlgEd25519, SignerKey: ed25519.PublicKey(key), Payload: payload, Signature: sig}
	switch {
	case cl == 0 && kind.carriesCertificate():
		return nil, fmt.Errorf("%w: %s without certificate", ErrCertificateMissing, kind.Title())
	case cl > 0 && (nested || !kind.carriesCertificate()):
		return nil, fmt.Errorf("%w: a %s carries no attachment", ErrMalformed, kind.Title())
	case cl > 0:
		cert, err := parseBinary(certBytes, MaxDocumentSize, true)
		if err != nil {
			return nil, fmt.Errorf("attached certificate: %w", err)
		}
		if cert.Kind != KindResellerCertificate {
			return nil, fmt.Errorf("%w: attachment is a %s, expected a reseller certificate", ErrKindMismatch, cert.Kind.Title())
		}
		d.Certificate = cert
	}
	return d, nil
}
