package signdoc

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Bytes is binary data carried in a payload as unpadded base64url text
// (RFC 4648 §5), e.g. public keys and nonces.
type Bytes []byte

var b64url = base64.RawURLEncoding.Strict()

// MarshalText encodes b as unpadded base64url.
func (b Bytes) MarshalText() ([]byte, error) { return b64url.AppendEncode(nil, b), nil }

// UnmarshalText decodes unpadded base64url.
func (b *Bytes) UnmarshalText(t []byte) error {
	out, err := b64url.AppendDecode(nil, t)
	if err != nil {
		return fmt.Errorf("base64url: %w", err)
	}
	*b = out
	return nil
}

// String is the base64url text.
func (b Bytes) String() string { return b64url.EncodeToString(b) }

// PublicKey returns b as an ed25519 public key, checking its length.
func (b Bytes) PublicKey() (ed25519.PublicKey, error) {
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: %d bytes", ErrPublicKeyInvalid, len(b))
	}
	return ed25519.PublicKey(b), nil
}

// KeyID is a short stable identifier of a public key: the first 8 bytes of
// its SHA-256, in hex (16 characters). Reseller ids are the KeyID of the
// reseller key, so re-enrolling the same key keeps the same id.
func KeyID(pub []byte) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

// Fingerprint derives the machine fingerprint bound into activations: the
// lowercase hex SHA-256 of "reseller-portal/v1/fingerprint\x00" || product ||
// "\x00" || machineID. Hashing with the product means two publishers'
// products never see the same fingerprint for one machine.
func Fingerprint(product, machineID string) string {
	h := sha256.New()
	io.WriteString(h, "reseller-portal/v1/fingerprint\x00")
	io.WriteString(h, product)
	h.Write([]byte{0})
	io.WriteString(h, machineID)
	return hex.EncodeToString(h.Sum(nil))
}

// decodePayload unmarshals d's payload into v strictly: unknown fields,
// trailing data or malformed JSON give ErrPayloadInvalid.
func decodePayload(d *Document, v interface{ validate() error }) error {
	dec := json.NewDecoder(bytes.NewReader(d.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrPayloadInvalid, d.Kind.Title(), err)
	}
	if rest := d.Payload[dec.InputOffset():]; len(bytes.TrimSpace(rest)) != 0 {
		return fmt.Errorf("%w: %s: data after the JSON object", ErrPayloadInvalid, d.Kind.Title())
	}
	if err := v.validate(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrPayloadInvalid, d.Kind.Title(), err)
	}
	return nil
}

func need(ok bool, field string) error {
	if !ok {
		return fmt.Errorf("field %q missing or invalid", field)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func isFingerprint(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// seconds returns t in UTC truncated to whole seconds (the precision of
// every time in a payload).
func seconds(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func secondsPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	s := seconds(*t)
	return &s
}
