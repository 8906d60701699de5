package signdoc

import (
	"os"
	"strings"
	"testing"
)

// QR version 20 at error correction M holds 970 alphanumeric characters.
const qrV20MAlnum = 970

func TestCompactResponseFitsQRVersion20M(t *testing.T) {
	d := mustResponse(t)
	c := d.Compact()
	bin, _ := d.MarshalBinary()
	t.Logf("typical activation response: payload %d B, cert payload %d B, envelope %d B, armored %d B, compact %d chars",
		len(d.Payload), len(d.Certificate.Payload), len(bin), len(d.Armor()), len(c))
	if len(c) > qrV20MAlnum {
		t.Fatalf("compact response is %d characters, QR v20-M holds %d", len(c), qrV20MAlnum)
	}
	for i := 0; i < len(c); i++ {
		if base45Value[c[i]] < 0 && c[i] != ':' {
			t.Fatalf("character %q at %d outside the QR alphanumeric set", c[i], i)
		}
	}
	r := mustRequest(t)
	t.Logf("activation request: compact %d chars, armored %d B", len(r.Compact()), len(r.Armor()))
}

// TestDocsDictionary: docs/formats.md quotes the compact dictionary exactly.
func TestDocsDictionary(t *testing.T) {
	b, err := os.ReadFile("../../docs/formats.md")
	if err != nil {
		t.Skip("docs/formats.md not found")
	}
	if !strings.Contains(string(b), "```text\n"+compactDictionary+"\n```") {
		t.Fatal("docs/formats.md does not quote the compact dictionary of this code")
	}
}

// TestArmoredLenBound: the size check in SignBytes never underestimates.
func TestArmoredLenBound(t *testing.T) {
	for k, d := range vectorDocs(t) {
		if n, real := armoredLen(d), len(d.Armor()); n < real || n > real+200 {
			t.Errorf("%s: armoredLen %d, real %d", k, n, real)
		}
	}
}
