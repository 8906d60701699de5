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

	// photoBaseSide is the longer side a larger photo is first reduced to.
	photoBaseSide = 1600
	// upscalePixels bounds an enlarged image (4 MP: about 4 MiB of
	// luminance and a bit matrix of 0.5 MiB).
	upscalePixels = 8_000_000
)

// photoScales are the sizes, relative to the base size, the finder-pattern
// search is run at, in order.
var photoScales = []float64{1, 1.5, 2.5, 4}

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
// It tries, in order, stopping at the first text:
//   - gozxing's pure-barcode mode on the image as it is: our own PNGs and
//     clean screenshots (fast, and it reads the codes whose finder-pattern
//     search fails — about one generated activation response in twenty);
//   - the finder-pattern search (TRY_HARDER, HybridBinarizer) on the image,
//     first reduced to photoBaseSide pixels when it is larger (a phone
//     photo: faster, and its modules stay several pixels wide);
//   - the same on the image enlarged 1.5, 2.5 and 4 times (bilinear), as
//     long as the enlarged image stays within upscalePixels: a photographed
//     code whose modules are 2–3 pixels wide is found only once they are
//     wider (docs/formats.md, "Reading photos", has the figures);
//   - the inverted image (light modules on a dark screen).
//
// Reed-Solomon error correction makes a wrong text from any pass
// vanishingly unlikely.
func DecodeImage(m image.Image) (string, error) {
	g := toGray(m)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 1 || h < 1 {
		return "", fmt.Errorf("%w: empty image", ErrNotFound)
	}
	src := graySource(g)
	text, last := decodePass(gozxing.NewHybridBinarizer(src), gozxing.DecodeHintType_PURE_BARCODE)
	if last == nil {
		return text, nil
	}
	base := 1.0
	if long := max(w, h); long > photoBaseSide {
		base = float64(photoBaseSide) / float64(long)
	}
	budget := max(upscalePixels, float64(w)*float64(h))
	for i, f := range photoScales {
		f *= base
		if i > 0 && float64(w)*float64(h)*f*f > budget {
			break
		}
		s := src
		if f != 1 {
			s = graySource(resizeGray(g, f))
		}
		text, err := decodePass(gozxing.NewHybridBinarizer(s), gozxing.DecodeHintType_TRY_HARDER)
		if err == nil {
			return text, nil
		}
		last = err
	}
	text, err := decodePass(gozxing.NewHybridBinarizer(gozxing.NewInvertedLuminanceSource(src)), gozxing.DecodeHintType_TRY_HARDER)
	if err == nil {
		return text, nil
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
