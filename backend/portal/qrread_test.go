package portal

import (
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/resellerportal/portal/backend/qr"
)

// TestDecodeQRReadsEveryResponse encodes many activation responses as QR
// PNGs and reads every one back exactly.
func TestDecodeQRReadsEveryResponse(t *testing.T) {
	e := newEnrolled(t, 1)
	ch, _ := e.p.loadChainView()
	key, _ := e.s.key()
	n := 60
	if testing.Short() {
		n = 20
	}
	for i := 0; i < n; i++ {
		ik, nonce, fp := make([]byte, 32), make([]byte, 16), make([]byte, 32)
		rand.Read(ik)
		rand.Read(nonce)
		rand.Read(fp)
		a := actRec{License: "K1", Product: "prod", Fingerprint: fmt.Sprintf("%x", fp), InstallKey: ik, Nonce: nonce, Created: 1780000000 + int64(i), ApplyBy: 1790000000}
		doc, err := e.p.signResponse(ch, key, uint64(i+1), &a, &licenseRec{})
		if err != nil {
			t.Fatal(err)
		}
		png, err := qr.Encode(doc.Compact())
		if err != nil {
			t.Fatal(err)
		}
		text, err := DecodeQR(png)
		if err != nil || text != doc.Compact() {
			t.Fatalf("response %d (%d characters): %v", i, len(doc.Compact()), err)
		}
	}
	if _, err := DecodeQR([]byte("not an image")); err == nil {
		t.Fatal("garbage decoded")
	}
}

// FuzzDecodeQR feeds arbitrary bytes to the QR reader used for request
// images and batch folders: an answer or an error, never a crash.
func FuzzDecodeQR(f *testing.F) {
	png, err := qr.Encode("RP1:HELLO")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(png)
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = DecodeQR(data)
	})
}
