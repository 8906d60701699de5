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
	if len(d.Payload) == 0 || d.Payload[0] != '{' || int(dec.InputOffset()) != len(d.Payload) {
		return fmt.Errorf("%w: %s: the payload must be exactly one JSON object, nothing before or after it", ErrPayloadInvalid, d.Kind.Title())
	}
	if err := checkTimes(d.Payload); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrPayloadInvalid, d.Kind.Title(), err)
	}
	if err := v.validate(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrPayloadInvalid, d.Kind.Title(), err)
	}
	return nil
}

// payloadTimes holds the raw JSON of every time field of every payload
// kind. Decoding a payload into it with the same encoding/json rules as the
// typed decode (case-insensitive names, last duplicate wins) sees exactly
// the values that became time.Time, so checkTimes judges the text that was
// decoded. Fields a kind does not have were already refused as unknown.
type payloadTimes struct {
	CreatedAt json.RawMessage `json:"created_at"`
	NotBefore json.RawMessage `json:"not_before"`
	NotAfter  json.RawMessage `json:"not_after"`
	IssuedAt  json.RawMessage `json:"issued_at"`
	ApplyBy   json.RawMessage `json:"apply_by"`
	Expires   json.RawMessage `json:"expires"`
	Licenses  []struct {
		Expires json.RawMessage `json:"expires"`
	} `json:"licenses"`
	Events []struct {
		At json.RawMessage `json:"at"`
	} `json:"events"`
}

// checkTimes enforces the one time form of docs/formats.md on every time
// field present: the JSON string "YYYY-MM-DDTHH:MM:SSZ" — UTC written as
// "Z", whole seconds, no offset, no fraction, no escapes, not null.
func checkTimes(payload []byte) error {
	var pt payloadTimes
	if err := json.Unmarshal(payload, &pt); err != nil {
		return err
	}
	check := func(name string, raw json.RawMessage) error {
		if raw != nil && !isPayloadTime(raw) {
			return fmt.Errorf("field %q: a time is \"YYYY-MM-DDTHH:MM:SSZ\" (UTC, whole seconds)", name)
		}
		return nil
	}
	for _, f := range []struct {
		name string
		raw  json.RawMessage
	}{{"created_at", pt.CreatedAt}, {"not_before", pt.NotBefore}, {"not_after", pt.NotAfter},
		{"issued_at", pt.IssuedAt}, {"apply_by", pt.ApplyBy}, {"expires", pt.Expires}} {
		if err := check(f.name, f.raw); err != nil {
			return err
		}
	}
	for i := range pt.Licenses {
		if err := check("licenses[].expires", pt.Licenses[i].Expires); err != nil {
			return err
		}
	}
	for i := range pt.Events {
		if err := check("events[].at", pt.Events[i].At); err != nil {
			return err
		}
	}
	return nil
}

// isPayloadTime reports whether raw is exactly a JSON string of the form
// "YYYY-MM-DDTHH:MM:SSZ" (22 bytes with the quotes). The ranges of the
// numbers were checked by the typed decode.
func isPayloadTime(raw []byte) bool {
	const form = `"0000-00-00T00:00:00Z"`
	if len(raw) != len(form) {
		return false
	}
	for i := 0; i < len(form); i++ {
		if form[i] == '0' {
			if raw[i] < '0' || raw[i] > '9' {
				return false
			}
		} else if raw[i] != form[i] {
			return false
		}
	}
	return true
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
