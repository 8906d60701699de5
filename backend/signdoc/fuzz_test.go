package signdoc

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/reply"
)

// seedVectors adds every golden vector file to the corpus.
func seedVectors(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(vectorDir, "*", "*"))
	for _, name := range files {
		if strings.HasSuffix(name, ".json") {
			continue
		}
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	if len(files) == 0 {
		f.Fatal("no vectors to seed from")
	}
}

// FuzzParse: Parse (armored and compact) never panics, refuses with a coded
// error, and whatever it accepts re-encodes to a document it parses again
// to the same envelope.
func FuzzParse(f *testing.F) {
	seedVectors(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			if reply.CodeOf(err) == "internal" {
				t.Fatalf("uncoded error: %v", err)
			}
			return
		}
		for _, enc := range [][]byte{d.Armor(), []byte(d.Compact())} {
			d2, err := Parse(enc)
			if err != nil {
				t.Fatalf("re-encoding does not parse: %v", err)
			}
			if d2.Kind != d.Kind || !bytes.Equal(d2.Payload, d.Payload) || !bytes.Equal(d2.Signature, d.Signature) || !d2.SignerKey.Equal(d.SignerKey) {
				t.Fatal("re-encoding changed the document")
			}
		}
	})
}

// FuzzVerifyActivationResponse: the client's whole check over arbitrary
// bytes: never a panic, and only the genuine response is accepted.
func FuzzVerifyActivationResponse(f *testing.F) {
	seedVectors(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		if _, _, err := VerifyActivationResponse(d, pub(publisherKey), t0.Add(time.Hour)); err == nil {
			if !d.SignerKey.Equal(pub(resellerKey)) || d.CheckSignature() != nil {
				t.Fatal("accepted a response not signed by the certified reseller")
			}
		}
	})
}

// FuzzVerifyActivationRequest: the portal's parsing of a customer's request.
func FuzzVerifyActivationRequest(f *testing.F) {
	seedVectors(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		if r, err := VerifyActivationRequest(d); err == nil {
			if !d.SignerKey.Equal(ed25519.PublicKey(r.InstallationKey)) || d.CheckSignature() != nil {
				t.Fatal("accepted a request not self-signed")
			}
		}
		// the other verifiers must not panic on it either
		VerifyDeactivationRequest(d, pub(installKey))
		VerifyEnrollmentRequest(d)
		VerifyBundle(d, pub(publisherKey), "")
		VerifyReport(d, pub(publisherKey))
		VerifyCertificateCarried(d, time.Time{})
	})
}

// FuzzBase45: decoding never panics and round-trips what it accepts.
func FuzzBase45(f *testing.F) {
	for _, s := range []string{"BB8", "%69 VD92EX0", "UJCLQE7W581", "QED8WEX0", "GGW", ""} {
		f.Add(s)
	}
	b, _ := os.ReadFile(filepath.Join(vectorDir, "valid", "activation-response.compact.txt"))
	f.Add(strings.TrimPrefix(strings.TrimSpace(string(b)), CompactPrefix))
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Base45Decode(s)
		if err != nil {
			return
		}
		if Base45Encode(out) != s {
			t.Fatalf("%q decodes to %x which encodes to %q", s, out, Base45Encode(out))
		}
	})
}

// FuzzParsePublicKey: the publisher key file parser.
func FuzzParsePublicKey(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join(vectorDir, "publisher.pub"))
	f.Add(b)
	f.Add([]byte(Bytes(pub(publisherKey)).String()))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ParsePublicKey(data)
		if err == nil && len(k) != 32 {
			t.Fatalf("key of %d bytes", len(k))
		}
	})
}

// FuzzUnmarshalBinary fuzzes the binary envelope directly (under the armor
// and the compression, which FuzzParse's mutations rarely get through).
func FuzzUnmarshalBinary(f *testing.F) {
	for _, d := range vectorDocs(f) {
		b, _ := d.MarshalBinary()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Document
		if err := d.UnmarshalBinary(b); err != nil {
			if reply.CodeOf(err) == "internal" {
				t.Fatalf("uncoded error: %v", err)
			}
			return
		}
		again, _ := d.MarshalBinary()
		if !bytes.Equal(again, b) {
			t.Fatal("accepted a non-canonical envelope")
		}
		_, _, _ = VerifyActivationResponse(&d, pub(publisherKey), time.Time{})
	})
}
