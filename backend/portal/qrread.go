package portal

import (
	"bytes"
	"errors"
	"image"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/resellerportal/portal/backend/qr"
)

// DecodeQR reads a QR code from a PNG or JPEG: backend/qr first (photos,
// screenshots, inverted codes), then — for clean, generated images that its
// finder-pattern search misses (about one compact activation response in
// twenty, in our tests) — gozxing's pure-barcode mode. The image limits are
// backend/qr's: anything it refuses for size or format stays refused.
func DecodeQR(img []byte) (string, error) {
	text, err := qr.Decode(img)
	if err == nil || !errors.Is(err, qr.ErrNotFound) {
		return text, err
	}
	m, _, derr := image.Decode(bytes.NewReader(img))
	if derr != nil {
		return "", err
	}
	if text, perr := decodePure(m); perr == nil {
		return text, nil
	}
	return "", err
}

func decodePure(m image.Image) (text string, err error) {
	defer func() { // a port of a Java library: never let it take the app down
		if r := recover(); r != nil {
			text, err = "", qr.ErrNotFound
		}
	}()
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(gozxing.NewLuminanceSourceFromImage(m)))
	if err != nil {
		return "", err
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
