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
	// MaxImagePixels bounds the decoded image: 12 megapixels (a 4000×3000
	// phone photo), checked on the declared size before any decoding. A QR
	// code needs far fewer; a photo from a larger camera must be scaled down.
	MaxImagePixels = 12_000_000
	// MaxDecodes is how many images (QR photos, logos) the whole process
	// decodes at once; others wait their turn. A 12 MP 16-bit image takes
	// about 100 MiB while it is decoded.
	MaxDecodes = 1
)

// decodeSlots bound the concurrent full image decodes process-wide.
var decodeSlots = make(chan struct{}, MaxDecodes)

// DecodeSlot waits for one of the process's MaxDecodes image-decoding
// slots; call release when the decoded image is no longer needed. Any code
// that fully decodes an untrusted image takes one.
func DecodeSlot() (release func()) {
	decodeSlots <- struct{}{}
	return func() { <-decodeSlots }
}

// Decode finds a QR code in a PNG or JPEG image and returns its text.
func Decode(img []byte) (string, error) {
	if len(img) > MaxImageBytes {
		return "", fmt.Errorf("%w: %d bytes", ErrImageTooLarge, len(img))
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return "", fmt.Errorf("%w: %dx%d pixels, at most %d megapixels", ErrImageTooLarge, cfg.Width, cfg.Height, MaxImagePixels/1_000_000)
	}
	release := DecodeSlot()
	defer release()
	m, _, err := image.Decode(bytes.NewReader(img))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	return DecodeImage(m)
}

// DecodeImage finds a QR code in an already decoded image.
//
// It tries, in order: gozxing's pure-barcode mode (our own PNGs and clean
// screenshots: fast, and it reads the codes whose finder-pattern search
// fails — about one generated activation response in twenty), then the
// finder-pattern search with two binarizers (photos), then the same on the
// inverted image (light modules on a dark screen). Reed-Solomon error
// correction makes a wrong text from any pass vanishingly unlikely.
func DecodeImage(m image.Image) (string, error) {
	src := gozxing.NewLuminanceSourceFromImage(m)
	inv := gozxing.NewInvertedLuminanceSource(src)
	passes := []struct {
		bin  gozxing.Binarizer
		hint gozxing.DecodeHintType
	}{
		{gozxing.NewHybridBinarizer(src), gozxing.DecodeHintType_PURE_BARCODE},
		{gozxing.NewHybridBinarizer(src), gozxing.DecodeHintType_TRY_HARDER},
		{gozxing.NewGlobalHistgramBinarizer(src), gozxing.DecodeHintType_TRY_HARDER},
		{gozxing.NewHybridBinarizer(inv), gozxing.DecodeHintType_TRY_HARDER},
	}
	var last error
	for _, p := range passes {
		text, err := decodePass(p.bin, p.hint)
		if err == nil {
			return text, nil
		}
		last = err
	}
	if last == nil {
		last = errors.New("no symbol")
	}
	return "", fmt.Errorf("%w: %v", ErrNotFound, last)
}

// decodePass runs one gozxing attempt; gozxing is a port of a Java library,
// so a panic inside it becomes an error and never takes the app down.
func decodePass(bin gozxing.Binarizer, hint gozxing.DecodeHintType) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("decoder failure: %v", r)
		}
	}()
	bmp, err := gozxing.NewBinaryBitmap(bin)
	if err != nil {
		return "", err
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{hint: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
