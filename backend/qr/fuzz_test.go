package qr

import (
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the image and QR decoders: they may
// refuse, never panic or hang.
func FuzzDecode(f *testing.F) {
	for _, text := range []string{"RP1:HELLO", documents(f)["small"]} {
		p, err := Encode(text)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p)
	}
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("\xff\xd8\xff\xe0"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if text, err := Decode(b); err == nil && text == "" {
			t.Fatal("decoded an empty text without error")
		}
	})
}
