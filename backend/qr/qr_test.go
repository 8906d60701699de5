package qr

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

func key(name string) ed25519.PrivateKey {
	s := sha256.Sum256([]byte("qr test/" + name))
	return ed25519.NewKeyFromSeed(s[:])
}

var t0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// documents returns the compact forms of a small, a typical and the
// largest document we expect to put in a QR code.
func documents(t testing.TB) map[string]string {
	t.Helper()
	publisher, reseller, inst := key("publisher"), key("reseller"), key("installation")
	fp := signdoc.Fingerprint("acme-cad", "machine-1")
	deact, err := signdoc.SignDeactivationRequest(inst, signdoc.DeactivationRequest{
		ActivationID: "5f0c2d7e-8a1b-4c3d-9e2f-6a7b8c9d0e1f", Product: "acme-cad", LicenseKey: "K7QF2-MXR9H-TBWC4-NPZ8D", Fingerprint: fp, CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := signdoc.SignCertificate(publisher, signdoc.Certificate{Serial: 3, ResellerName: "Northwind Software Resale GmbH",
		PublicKey: signdoc.Bytes(reseller.Public().(ed25519.PublicKey)), Products: []string{"acme-cad", "acme-render"},
		NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	resp := func(features map[string]string) string {
		exp := t0.AddDate(1, 0, 0)
		d, err := signdoc.SignActivationResponse(reseller, cert, signdoc.ActivationResponse{
			ActivationID: "5f0c2d7e-8a1b-4c3d-9e2f-6a7b8c9d0e1f", Product: "acme-cad", LicenseKey: "K7QF2-MXR9H-TBWC4-NPZ8D",
			Fingerprint: fp, InstallationKey: signdoc.Bytes(inst.Public().(ed25519.PublicKey)), Nonce: make(signdoc.Bytes, 16),
			IssuedAt: t0, ApplyBy: t0.AddDate(0, 0, 30), Expires: &exp, Features: features})
		if err != nil {
			t.Fatal(err)
		}
		return d.Compact()
	}
	// the largest: features of pseudo-random text until just below the
	// alphanumeric capacity of QR version 40 at level M (3391).
	big := map[string]string{}
	h := sha256.Sum256(nil)
	for i := 0; ; i++ {
		h = sha256.Sum256(h[:])
		big[string(rune('a'+i%26))+string(rune('a'+i/26))] = signdoc.Bytes(h[:12]).String()
		if len(resp(big)) > 3300 {
			break
		}
	}
	return map[string]string{"small": deact.Compact(), "typical": resp(map[string]string{"edition": "pro"}), "largest": resp(big)}
}

func TestRoundTripGozxing(t *testing.T) {
	for name, text := range documents(t) {
		t.Run(name, func(t *testing.T) {
			v, err := Version(text)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d characters, QR version %d", len(text), v)
			if name == "typical" && v > 20 {
				t.Errorf("typical response needs QR version %d, want <= 20", v)
			}
			p, err := Encode(text)
			if err != nil {
				t.Fatal(err)
			}
			checkGeometry(t, p, v)
			got, err := Decode(p)
			if err != nil {
				t.Fatal(err)
			}
			if got != text {
				t.Fatalf("decoded text differs:\n got %q\nwant %q", got, text)
			}
			if _, err := signdoc.Parse([]byte(got)); err != nil {
				t.Fatalf("decoded text does not parse: %v", err)
			}
		})
	}
}

// checkGeometry asserts whole-pixel modules of at least 4 px and a white
// quiet zone of 4 modules.
func checkGeometry(t *testing.T, p []byte, version int) {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(p))
	if err != nil {
		t.Fatal(err)
	}
	modules := 17 + 4*version + 2*QuietZoneModules
	w := m.Bounds().Dx()
	if m.Bounds().Dy() != w || w%modules != 0 || w/modules < MinModulePixels {
		t.Fatalf("image %dx%d for %d modules: not whole pixels >= %d", w, m.Bounds().Dy(), modules, MinModulePixels)
	}
	px := w / modules
	for i := 0; i < QuietZoneModules*px; i++ {
		for _, pt := range []image.Point{{i, w / 2}, {w / 2, i}, {w - 1 - i, w / 2}, {w / 2, w - 1 - i}} {
			if r, _, _, _ := m.At(pt.X, pt.Y).RGBA(); r < 0x8000 {
				t.Fatalf("quiet zone pixel %v is dark", pt)
			}
		}
	}
	// the finder pattern's top-left module is dark and fills px x px
	for y := 0; y < px; y++ {
		for x := 0; x < px; x++ {
			if r, _, _, _ := m.At(QuietZoneModules*px+x, QuietZoneModules*px+y).RGBA(); r >= 0x8000 {
				t.Fatalf("finder module pixel (%d,%d) is light", x, y)
			}
		}
	}
}

func TestRoundTripZbarimg(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed")
	}
	dir := t.TempDir()
	for name, text := range documents(t) {
		p, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, name+".png")
		os.WriteFile(f, p, 0o600)
		out, err := exec.Command(zbar, "-q", "--raw", "-Sbinary", f).Output()
		if err != nil {
			t.Fatalf("%s: zbarimg: %v", name, err)
		}
		got := strings.TrimSuffix(string(out), "\n")
		if got != text {
			t.Fatalf("%s: zbarimg read %d chars, want %d:\n%q", name, len(got), len(text), got)
		}
	}
}

// TestDecodePhotoLike decodes a scaled-down, JPEG-compressed, off-centre
// copy on a grey background, as a phone photo or screenshot would be.
func TestDecodePhotoLike(t *testing.T) {
	text := documents(t)["typical"]
	p, _ := Encode(text)
	src, _ := png.Decode(bytes.NewReader(p))
	w := src.Bounds().Dx()
	dst := image.NewGray(image.Rect(0, 0, w, w+200))
	for i := range dst.Pix {
		dst.Pix[i] = 180
	}
	scale := 0.8
	for y := 0; y < int(float64(w)*scale); y++ {
		for x := 0; x < int(float64(w)*scale); x++ {
			c := color.GrayModel.Convert(src.At(int(float64(x)/scale), int(float64(y)/scale))).(color.Gray)
			dst.SetGray(x+60, y+120, c)
		}
	}
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, dst, &jpeg.Options{Quality: 70}); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(jb.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got != text {
		t.Fatal("photo-like decode differs")
	}
}

func TestRefusals(t *testing.T) {
	if _, err := Encode(""); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	if _, err := Encode("two\nlines"); !errors.Is(err, ErrNotPrintable) {
		t.Errorf("newline: %v", err)
	}
	if _, err := Encode(strings.Repeat("A", 5000)); !errors.Is(err, ErrTooLong) {
		t.Errorf("too long: %v", err)
	}
	blank := image.NewGray(image.Rect(0, 0, 200, 200))
	var pb bytes.Buffer
	png.Encode(&pb, blank)
	for name, c := range map[string]struct {
		in   []byte
		want error
	}{
		"noise":     {[]byte("definitely not an image"), ErrNotImage},
		"empty":     {nil, ErrNotImage},
		"blank png": {pb.Bytes(), ErrNotFound},
		"truncated": {pb.Bytes()[:pb.Len()/2], ErrNotImage},
	} {
		if _, err := Decode(c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
}

// TestGoldenResponseFitsVersion20 measures the typical activation response
// of the golden vectors (certificate included).
func TestGoldenResponseFitsVersion20(t *testing.T) {
	b, err := os.ReadFile("../signdoc/testdata/valid/activation-response.compact.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimSpace(string(b))
	v, err := Version(text)
	if err != nil || v > 20 {
		t.Fatalf("%d characters need QR version %d (%v), want <= 20", len(text), v, err)
	}
	p, _ := Encode(text)
	if got, err := Decode(p); err != nil || got != text {
		t.Fatalf("round trip: %v", err)
	}
}

// TestDecodeRotatedAndInverted: a code turned a quarter, and one drawn
// light on dark, are read too.
func TestDecodeRotatedAndInverted(t *testing.T) {
	text := documents(t)["small"]
	p, _ := Encode(text)
	src, _ := png.Decode(bytes.NewReader(p))
	w := src.Bounds().Dx()
	rot := image.NewGray(image.Rect(0, 0, w, w))
	inv := image.NewGray(image.Rect(0, 0, w, w))
	for y := 0; y < w; y++ {
		for x := 0; x < w; x++ {
			c := color.GrayModel.Convert(src.At(x, y)).(color.Gray)
			rot.SetGray(w-1-y, x, c)
			inv.SetGray(x, y, color.Gray{Y: 255 - c.Y})
		}
	}
	for name, m := range map[string]image.Image{"rotated": rot, "inverted": inv} {
		if got, err := DecodeImage(m); err != nil || got != text {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	text := documents(b)["typical"]
	for b.Loop() {
		if _, err := Encode(text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	p, _ := Encode(documents(b)["typical"])
	for b.Loop() {
		if _, err := Decode(p); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecodeManyResponses encodes activation responses with random
// installation keys, nonces and fingerprints (the finder-pattern search
// alone used to miss about one in twenty of these) and reads every one back
// exactly.
func TestDecodeManyResponses(t *testing.T) {
	publisher, reseller := key("publisher"), key("reseller")
	cert, err := signdoc.SignCertificate(publisher, signdoc.Certificate{Serial: 3, ResellerName: "Northwind Software Resale GmbH",
		PublicKey: signdoc.Bytes(reseller.Public().(ed25519.PublicKey)), Products: []string{"acme-cad"},
		NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	n := 60
	if testing.Short() {
		n = 20
	}
	for i := 0; i < n; i++ {
		ik, nonce := make([]byte, 32), make([]byte, 16)
		rand.Read(ik)
		rand.Read(nonce)
		exp := t0.AddDate(1, 0, 0)
		d, err := signdoc.SignActivationResponse(reseller, cert, signdoc.ActivationResponse{
			ActivationID: fmt.Sprintf("A%d", i+1), Product: "acme-cad", LicenseKey: "K7QF2-MXR9H-TBWC4-NPZ8D",
			Fingerprint: signdoc.Fingerprint("acme-cad", fmt.Sprintf("machine-%x", ik[:4])), InstallationKey: signdoc.Bytes(ik), Nonce: signdoc.Bytes(nonce),
			IssuedAt: t0, ApplyBy: t0.AddDate(0, 0, 30), Expires: &exp})
		if err != nil {
			t.Fatal(err)
		}
		png, err := Encode(d.Compact())
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(png)
		if err != nil || got != d.Compact() {
			t.Fatalf("response %d (%d characters): %v", i, len(d.Compact()), err)
		}
	}
}
