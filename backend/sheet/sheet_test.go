package sheet

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"hash/crc32"
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

	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/signdoc"
)

// response signs a real activation response (its compact text is what the
// sheet carries) and returns the compact text and its QR PNG.
func response(t testing.TB, host string) (string, []byte) {
	t.Helper()
	pubP, privP, _ := ed25519.GenerateKey(rand.Reader)
	pubR, privR, _ := ed25519.GenerateKey(rand.Reader)
	_, inst, _ := ed25519.GenerateKey(rand.Reader)
	now := time.Date(2026, 3, 4, 10, 30, 0, 0, time.UTC)
	cert, err := signdoc.SignCertificate(privP, signdoc.Certificate{Serial: 1, ResellerID: signdoc.KeyID(pubR), ResellerName: "Acme Resale GmbH",
		PublicKey: signdoc.Bytes(pubR), Products: []string{"acme-cad"}, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		PublisherKey: signdoc.Bytes(pubP)})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := signdoc.SignActivationResponse(privR, cert, signdoc.ActivationResponse{ActivationID: "A12", ResellerID: signdoc.KeyID(pubR),
		CertificateSerial: 1, Product: "acme-cad", LicenseKey: "CAD-7Q2M-XK4P", Fingerprint: signdoc.Fingerprint("acme-cad", host),
		InstallationKey: signdoc.Bytes(inst.Public().(ed25519.PublicKey)), Nonce: make([]byte, 16), IssuedAt: now,
		ApplyBy: now.Add(signdoc.DefaultApplyWindow), Features: map[string]string{"seats": "1", "modules": "2d,3d,render"}})
	if err != nil {
		t.Fatal(err)
	}
	c := resp.Compact()
	p, err := qr.Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	return c, p
}

func sample(t testing.TB, customer string) Sheet {
	c, p := response(t, "WS-ENG-042")
	now := time.Date(2026, 3, 4, 10, 30, 0, 0, time.UTC)
	return Sheet{Company: "Acme Resale GmbH", Domain: "licenses.acme-resale.example", Customer: customer, CustomerID: "u12",
		License: "CAD-7Q2M-XK4P", Product: "acme-cad", Hostname: "WS-ENG-042", OS: "Windows 11 Pro 23H2",
		Fingerprint: signdoc.Fingerprint("acme-cad", "WS-ENG-042"), ActivationID: "A12", Issued: now,
		ApplyBy: now.Add(signdoc.DefaultApplyWindow), Compact: c, QRPNG: p}
}

func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed (Debian package poppler-utils; CI installs it): %v", name, err)
	}
	return p
}

// pdfText is the page text as pdftotext extracts it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command(tool(t, "pdftotext"), "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// pagePNG renders page 1 with pdftoppm at dpi.
func pagePNG(t *testing.T, pdf []byte, dpi string) []byte {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "sheet.pdf")
	os.WriteFile(in, pdf, 0o644)
	if out, err := exec.Command(tool(t, "pdftoppm"), "-r", dpi, "-png", "-f", "1", "-l", "1", "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func render(t *testing.T, s Sheet) []byte {
	t.Helper()
	pdf, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	return pdf
}

func TestSheetTextHostileName(t *testing.T) {
	hostile := `<img src=x onerror=alert(1)>`
	pdf := render(t, sample(t, hostile))
	txt := pdfText(t, pdf)
	for _, want := range []string{"Offline activation", hostile, "CAD-7Q2M-XK4P", "acme-cad", "WS-ENG-042", "Windows 11 Pro 23H2",
		"Acme Resale GmbH", "Activation A12", "https://licenses.acme-resale.example", "18 March 2026, 10:30 UTC", "Activate offline"} {
		if !strings.Contains(txt, want) {
			t.Errorf("page text lacks %q:\n%s", want, txt)
		}
	}
	if info, err := exec.LookPath("pdfinfo"); err == nil {
		cmd := exec.Command(info, "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdfinfo: %v", err)
		}
		if !strings.Contains(strings.Join(strings.Fields(string(out)), " "), "Pages: 1 ") || !strings.Contains(string(out), "(A4)") {
			t.Errorf("not one A4 page:\n%s", out)
		}
	}
}

func TestSheetTextNonLatin(t *testing.T) {
	s := sample(t, "Zoë Ñúñez-Łukasiewicz 東京 Ωμέγα €5\u200b\x07")
	s.Company = "Größe & Söhne – Ärzte"
	s.Hostname = "büro-pc-東"
	txt := pdfText(t, render(t, s))
	// code page 1252 holds é ñ ü € and the en dash; the rest prints as '?'
	for _, want := range []string{"Zoë Ñúñez-?ukasiewicz ?? ????? €5 (u12)", "Größe & Söhne – Ärzte", "büro-pc-?", "CAD-7Q2M-XK4P", "acme-cad"} {
		if !strings.Contains(txt, want) {
			t.Errorf("page text lacks %q:\n%s", want, txt)
		}
	}
}

// TestSheetQRDecodes prints the page at 150 dpi and reads the QR code back
// to the exact compact response text (our decoder, and zbarimg when it is
// installed).
func TestSheetQRDecodes(t *testing.T) {
	s := sample(t, "Ada Lovelace")
	pdf := render(t, s)
	page := pagePNG(t, pdf, "150")
	got, err := qr.Decode(page)
	// now and then (the keys are random) a page at one resolution defeats
	// gozxing's finder-pattern search while zbarimg reads it: the page must
	// read at one of the usual scan resolutions
	for _, dpi := range []string{"200", "300"} {
		if err == nil {
			break
		}
		t.Logf("qr.Decode of the page: %v; trying %s dpi", err, dpi)
		got, err = qr.Decode(pagePNG(t, pdf, dpi))
	}
	if err != nil {
		t.Fatalf("qr.Decode of the printed page at 150, 200 and 300 dpi: %v", err)
	}
	if got != s.Compact {
		t.Fatalf("QR text differs:\n got %q\nwant %q", got, s.Compact)
	}
	if _, err := signdoc.Parse([]byte(got)); err != nil {
		t.Fatalf("decoded text does not parse: %v", err)
	}
	if zbar, err := exec.LookPath("zbarimg"); err == nil {
		f := filepath.Join(t.TempDir(), "page.png")
		os.WriteFile(f, page, 0o644)
		out, err := exec.Command(zbar, "-q", "--raw", f).Output()
		if err != nil {
			t.Fatalf("zbarimg: %v", err)
		}
		if strings.TrimRight(string(out), "\n") != s.Compact {
			t.Fatalf("zbarimg read %q", out)
		}
	}
	// the QR code is drawn at least 90 mm wide: at 150 dpi that is 531 px
	m, err := png.Decode(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	if w := m.Bounds().Dx(); w < 1200 || w > 1300 {
		t.Fatalf("page is %d px wide at 150 dpi, want A4 (1240)", w)
	}
}

// TestSheetCompactTextComplete: the wrapped compact text, joined again
// (a trailing · standing for a space), is the response.
func TestSheetCompactTextComplete(t *testing.T) {
	s := sample(t, "Ada")
	txt := pdfText(t, render(t, s))
	i := strings.Index(txt, "RP1:")
	if i < 0 {
		t.Fatalf("no compact text:\n%s", txt)
	}
	var b strings.Builder
	for _, line := range strings.Split(txt[i:], "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.Contains(line, "Activation A12 -") {
			break
		}
		b.WriteString(strings.ReplaceAll(line, "·", " "))
	}
	// pdftotext may print two spaces as one (the QR test checks the exact
	// text): runs of spaces compare as one
	if strings.Join(strings.Fields(b.String()), " ") != strings.Join(strings.Fields(s.Compact), " ") {
		t.Fatalf("compact text on the page differs:\n got %q\nwant %q", b.String(), s.Compact)
	}
}

// TestSheetLongResponseFits: a response twice the usual size still fits the
// one page (the monospace size shrinks).
func TestSheetLongResponseFits(t *testing.T) {
	s := sample(t, "Ada")
	s.Compact = strings.Repeat(s.Compact, 2)
	pdf := render(t, s)
	txt := pdfText(t, pdf)
	if strings.Count(txt, "\f") > 1 {
		t.Fatalf("more than one page")
	}
	if !strings.Contains(txt, "Activation A12 - license CAD-7Q2M-XK4P") {
		t.Fatalf("footer missing (overflow?):\n%s", txt)
	}
}

func encodePNG(m image.Image) []byte {
	var b bytes.Buffer
	png.Encode(&b, m)
	return b.Bytes()
}

func TestSheetLogo(t *testing.T) {
	logo := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	for y := 0; y < 100; y++ {
		for x := 0; x < 300; x++ {
			logo.Set(x, y, color.NRGBA{uint8(x), 40, 160, uint8(128 + y)})
		}
	}
	big := image.NewRGBA64(image.Rect(0, 0, 2400, 800)) // 16-bit: fpdf alone refuses those
	var jp bytes.Buffer
	jpeg.Encode(&jp, logo, nil)
	// a PNG header declaring 100000 × 100000 pixels: DecodeConfig refuses it
	// before anything is allocated
	huge := encodePNG(image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(huge[16:], 100000)
	binary.BigEndian.PutUint32(huge[20:], 100000)
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29]))
	cases := map[string]struct {
		logo []byte
		used bool
	}{
		"png":       {encodePNG(logo), true},
		"jpeg":      {jp.Bytes(), true},
		"16-bit":    {encodePNG(big), true},
		"none":      {nil, false},
		"garbage":   {[]byte("<svg onload=alert(1)>"), false},
		"truncated": {encodePNG(logo)[:200], false},
		"huge":      {huge, false},
		"too large": {append(encodePNG(logo), make([]byte, MaxLogoBytes)...), false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, ok := decodeLogo(c.logo); ok != c.used {
				t.Fatalf("logo used = %v, want %v", ok, c.used)
			}
			s := sample(t, "Ada")
			s.Logo = c.logo
			pdf := render(t, s)
			// the QR code is one image; a logo adds one (and its alpha mask)
			if n := bytes.Count(pdf, []byte("/Subtype /Image")); (n > 1) != c.used {
				t.Fatalf("%d images in the PDF, logo used = %v", n, c.used)
			}
		})
	}
	if m, _ := decodeLogo(encodePNG(big)); m.Bounds().Dx() > logoPixels {
		t.Fatalf("logo not scaled down: %v", m.Bounds())
	}
}

func TestEncoder(t *testing.T) {
	tr := encoder(func(s string) string {
		switch s {
		case "é":
			return "\xe9"
		case "€":
			return "\x80"
		}
		return "."
	})
	if got := tr("a é € 東 \xff."); got != "a \xe9 \x80 ? ?." {
		t.Fatalf("encoder = %q", got)
	}
}

func TestSheetNeedsResponse(t *testing.T) {
	s := sample(t, "Ada")
	s.Compact = ""
	if _, err := Render(s); err != ErrNoResponse {
		t.Fatalf("err = %v", err)
	}
}

func TestSheetDeterministic(t *testing.T) {
	s := sample(t, "Ada")
	a, b := render(t, s), render(t, s)
	if !bytes.Equal(a, b) {
		t.Fatal("same sheet, different bytes")
	}
}

func TestFileName(t *testing.T) {
	for _, c := range [][3]string{
		{"WS-ENG-042", "CAD-7Q2M-XK4P", "WS-ENG-042-CAD-7Q2M-XK4P.activation-sheet.pdf"},
		{"../../etc/passwd", "K1", "etc_passwd-K1.activation-sheet.pdf"},
		{"büro pc", "K1", "b_ro_pc-K1.activation-sheet.pdf"},
		{"", "K1", "K1.activation-sheet.pdf"},
		{"", "", "activation.activation-sheet.pdf"},
	} {
		if got := FileName(c[0], c[1]); got != c[2] {
			t.Errorf("FileName(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}
