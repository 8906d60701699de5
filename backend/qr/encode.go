// Package qr turns the compact text form of a signed document into a QR
// code PNG and reads QR codes back from PNG or JPEG images (a screenshot or
// a phone photo).
//
//	png, err := qr.Encode(doc.Compact())   // error correction M, whole-pixel modules
//	text, err := qr.Decode(imageBytes)     // then signdoc.Parse([]byte(text))
//
// Text made only of the QR alphanumeric characters (0-9 A-Z space $%*+-./:),
// which signdoc's compact form is, is encoded in alphanumeric mode: 5.5 bits
// a character instead of 8.
package qr

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

const (
	// MinModulePixels is the smallest module size Encode draws.
	MinModulePixels = 4
	// targetPixels is the image width Encode aims for; modules stay whole
	// pixels, so the image is a multiple of the module count.
	targetPixels = 800
	// QuietZoneModules is the white border around the symbol (ISO 18004).
	QuietZoneModules = 4
)

// Encode returns a PNG of text at error correction level M, each module a
// whole number of pixels (at least MinModulePixels), with a quiet zone.
func Encode(text string) ([]byte, error) {
	q, err := newCode(text)
	if err != nil {
		return nil, err
	}
	modules := len(q.Bitmap()) // includes the quiet zone
	px := targetPixels / modules
	if px < MinModulePixels {
		px = MinModulePixels
	}
	png, err := q.PNG(-px) // negative size: pixels per module
	if err != nil {
		return nil, fmt.Errorf("qr: png: %w", err)
	}
	return png, nil
}

// Version returns the QR version (1-40) Encode uses for text.
func Version(text string) (int, error) {
	q, err := newCode(text)
	if err != nil {
		return 0, err
	}
	return q.VersionNumber, nil
}

func newCode(text string) (*qrcode.QRCode, error) {
	if text == "" {
		return nil, ErrEmpty
	}
	for i := 0; i < len(text); i++ {
		if text[i] < 0x20 || text[i] > 0x7e {
			return nil, fmt.Errorf("%w: byte 0x%02x at %d", ErrNotPrintable, text[i], i)
		}
	}
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("%w: %d characters", ErrTooLong, len(text))
	}
	q.DisableBorder = false
	return q, nil
}
