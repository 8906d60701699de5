package qr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // photos
	_ "image/png"  // screenshots and our own codes

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
)

const (
	// MaxImageBytes bounds the encoded image Decode accepts.
	MaxImageBytes = 32 << 20
	// MaxImagePixels bounds the decoded image (a 48-megapixel phone photo).
	MaxImagePixels = 50_000_000
)

// Decode finds a QR code in a PNG or JPEG image and returns its text.
func Decode(img []byte) (string, error) {
	if len(img) > MaxImageBytes {
		return "", fmt.Errorf("%w: %d bytes", ErrImageTooLarge, len(img))
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxImagePixels {
		return "", fmt.Errorf("%w: %dx%d pixels", ErrImageTooLarge, cfg.Width, cfg.Height)
	}
	m, _, err := image.Decode(bytes.NewReader(img))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	return DecodeImage(m)
}

// DecodeImage finds a QR code in an already decoded image.
func DecodeImage(m image.Image) (text string, err error) {
	defer func() { // gozxing is a port; never let it take the app down
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("%w: decoder failure: %v", ErrNotFound, r)
		}
	}()
	src := gozxing.NewLuminanceSourceFromImage(m)
	inv := gozxing.NewInvertedLuminanceSource(src) // light modules on dark (dark-mode screenshots)
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	var last error
	for _, bin := range []gozxing.Binarizer{gozxing.NewHybridBinarizer(src), gozxing.NewGlobalHistgramBinarizer(src), gozxing.NewHybridBinarizer(inv)} {
		bmp, err := gozxing.NewBinaryBitmap(bin)
		if err != nil {
			last = err
			continue
		}
		res, err := gzqr.NewQRCodeReader().Decode(bmp, hints)
		if err == nil {
			return res.GetText(), nil
		}
		last = err
	}
	if last == nil {
		last = errors.New("no symbol")
	}
	return "", fmt.Errorf("%w: %v", ErrNotFound, last)
}
