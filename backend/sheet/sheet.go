// Package sheet renders the printable activation sheet: one A4 page a
// reseller hands to a customer with the signed activation response on it —
// who it is for, the license and machine, the response as a large QR code
// and as compact text, and how to install it.
//
//	pdf, err := sheet.Render(sheet.Sheet{Company: "Acme", Customer: "Ada", ...})
//
// Everything user-supplied (names, host names, the company) is written as
// text with the PDF core fonts (code page 1252): characters that code page
// cannot hold print as '?', nothing is interpreted as markup.
package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // logo formats
	"image/png"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"github.com/resellerportal/portal/backend/qr"
)

// Limits on the logo; larger or other images are left off the sheet.
const (
	MaxLogoBytes = 512 << 10
	MaxLogoSide  = 4096
	// logoPixels is the longest side the logo is embedded at (the sheet
	// draws it at most 45 mm wide: 600 px is over 300 dpi).
	logoPixels = 600
)

// QRWidth is the printed width of the QR code image in millimetres
// (including its quiet zone): large enough for a webcam or phone to read it
// from paper or from the PDF on a screen.
const QRWidth = 100.0

// Sheet is what one activation sheet shows.
type Sheet struct {
	Company      string    // reseller company name
	Logo         []byte    // PNG or JPEG; optional
	Domain       string    // reseller's custom domain; optional
	App          string    // name of the application the customer opens; default: the product
	Customer     string    // customer name
	CustomerID   string    // e.g. u12 / o3; optional
	License      string    // license key
	Product      string    // product id
	Hostname     string    // customer machine
	OS           string    // customer machine's operating system
	Fingerprint  string    // machine fingerprint (shown shortened)
	ActivationID string    // e.g. A12
	Issued       time.Time // response issued at
	ApplyBy      time.Time // install before
	Compact      string    // the response's compact text
	QRPNG        []byte    // the compact text as a QR code PNG (qr.Encode)
}

// ErrNoResponse is returned when the sheet has no response to carry.
var ErrNoResponse = errors.New("sheet: no response text or QR code")

// Page geometry (mm).
const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	contentW     = pageW - 2*margin
	bottom       = pageH - 12.0
)

// Render returns the sheet as a one-page A4 PDF.
func Render(s Sheet) ([]byte, error) {
	if s.Compact == "" || len(s.QRPNG) == 0 {
		return nil, ErrNoResponse
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(s.Issued)
	pdf.SetModificationDate(s.Issued)
	tr := encoder(pdf.UnicodeTranslatorFromDescriptor(""))
	title := "Offline activation"
	pdf.SetTitle(strings.TrimSpace(title+" "+s.ActivationID+" "+s.License), true)
	pdf.SetCreator("Reseller Portal", false)
	pdf.SetAuthor(cleanText(s.Company), true)
	pdf.AddPage()

	// header: logo, company, activation id
	y := margin
	headerH := 16.0
	x := margin
	if name, w := addLogo(pdf, s.Logo, headerH); name != "" {
		pdf.ImageOptions(name, margin, y, w, headerH, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		x += w + 5
	}
	pdf.SetTextColor(20, 20, 20)
	pdf.SetFont("Helvetica", "B", 16)
	pdf.SetXY(x, y+1)
	company := fit(pdf, tr(cleanText(s.Company)), pageW-margin-x-35)
	if company == "" {
		company = "Your reseller"
	}
	pdf.CellFormat(pageW-margin-x-35, 8, company, "", 0, "L", false, 0, "")
	if s.Domain != "" {
		pdf.SetFont("Helvetica", "", 10)
		pdf.SetXY(x, y+9)
		pdf.CellFormat(pageW-margin-x-35, 5, fit(pdf, tr(cleanText(s.Domain)), pageW-margin-x-35), "", 0, "L", false, 0, "")
	}
	pdf.SetFont("Helvetica", "", 9)
	pdf.SetTextColor(90, 90, 90)
	pdf.SetXY(pageW-margin-35, y+1)
	pdf.CellFormat(35, 5, "Activation "+tr(cleanText(s.ActivationID)), "", 0, "R", false, 0, "")
	pdf.SetXY(pageW-margin-35, y+6)
	pdf.CellFormat(35, 5, date(s.Issued), "", 0, "R", false, 0, "")
	y += headerH + 3
	pdf.SetDrawColor(160, 160, 160)
	pdf.SetLineWidth(0.3)
	pdf.Line(margin, y, pageW-margin, y)

	// title
	y += 4
	pdf.SetTextColor(20, 20, 20)
	pdf.SetFont("Helvetica", "B", 20)
	pdf.SetXY(margin, y)
	pdf.CellFormat(contentW, 10, title, "", 0, "L", false, 0, "")
	y += 13

	// the facts
	machine := s.Hostname
	if machine == "" {
		machine = "-"
	}
	customer := s.Customer
	if s.CustomerID != "" {
		customer += " (" + s.CustomerID + ")"
	}
	facts := [][2]string{
		{"Customer", customer},
		{"License", s.License},
		{"Product", s.Product},
		{"Machine", machine},
		{"Operating system", orDash(s.OS)},
		{"Fingerprint", shortFP(s.Fingerprint)},
		{"Activation", s.ActivationID},
		{"Issued", dateTime(s.Issued)},
		{"Apply by", dateTime(s.ApplyBy) + "  (install the response before then)"},
	}
	const labelW, rowH = 42.0, 6.6
	pdf.SetFillColor(242, 242, 242)
	pdf.SetCellMargin(1.5)
	for i, f := range facts {
		pdf.SetXY(margin, y)
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(labelW, rowH, f[0], "B", 0, "L", i%2 == 0, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		if f[0] == "License" || f[0] == "Fingerprint" || f[0] == "Activation" {
			pdf.SetFont("Courier", "B", 10.5)
		}
		pdf.CellFormat(contentW-labelW, rowH, fit(pdf, tr(cleanText(f[1])), contentW-labelW-4), "B", 0, "L", i%2 == 0, 0, "")
		y += rowH
	}
	pdf.SetCellMargin(0)
	y += 5

	// the QR code, and beside it the instructions
	qrInfo := pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(s.QRPNG))
	if pdf.Err() {
		return nil, fmt.Errorf("sheet: QR code: %w", pdf.Error())
	}
	qrH := QRWidth
	if qrInfo.Width() > 0 {
		qrH = QRWidth * qrInfo.Height() / qrInfo.Width()
	}
	pdf.ImageOptions("qr", margin, y, QRWidth, qrH, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	ix := margin + QRWidth + 6
	iw := pageW - margin - ix
	pdf.SetXY(ix, y+2)
	pdf.SetFont("Helvetica", "B", 12)
	pdf.CellFormat(iw, 7, "For the customer", "", 2, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	for i, step := range instructions(s) {
		pdf.SetX(ix)
		n := strconv.Itoa(i+1) + "."
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(6, 5, n, "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(iw-6, 5, tr(cleanText(step)), "", "L", false)
		pdf.Ln(1.5)
	}
	y += qrH + 4

	// the response as compact text, wrapped by characters (it holds spaces
	// that must not be lost at a line break), in the largest monospace size
	// that fits above the bottom margin
	pdf.SetXY(margin, y)
	pdf.SetFont("Helvetica", "B", 10)
	pdf.CellFormat(contentW, 5, tr("The response as text: one line, no breaks (a · at the start or end of a printed line is a space)"), "", 0, "L", false, 0, "")
	y += 6
	text := cleanCompact(s.Compact)
	size, perLine, lineH := monoLayout(len(text), contentW, bottom-y)
	pdf.SetFont("Courier", "", size)
	pdf.SetTextColor(0, 0, 0)
	for i := 0; i < len(text); i += perLine {
		line := text[i:min(i+perLine, len(text))]
		// a space at either end of a line would be invisible: print a
		// middle dot (cp1252 0xB7) instead
		if strings.HasSuffix(line, " ") {
			line = line[:len(line)-1] + "\xb7"
		}
		if strings.HasPrefix(line, " ") {
			line = "\xb7" + line[1:]
		}
		pdf.SetXY(margin, y)
		pdf.CellFormat(contentW, lineH, line, "", 0, "L", false, 0, "")
		y += lineH
	}

	// footer
	pdf.SetFont("Helvetica", "", 7.5)
	pdf.SetTextColor(110, 110, 110)
	pdf.SetXY(margin, pageH-10)
	pdf.CellFormat(contentW, 4, tr(cleanText(fmt.Sprintf("Activation %s - license %s - issued %s by %s", s.ActivationID, s.License, date(s.Issued), company0(s.Company)))), "", 0, "C", false, 0, "")

	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("sheet: %w", err)
	}
	return out.Bytes(), nil
}

// instructions are the customer's steps, in order.
func instructions(s Sheet) []string {
	app := s.App
	if app == "" {
		app = s.Product
	}
	host := ""
	if s.Hostname != "" {
		host = " on " + s.Hostname
	}
	steps := []string{
		fmt.Sprintf("Open %s%s and choose \"Activate offline\", then \"Install response\".", app, host),
		"Scan this code with the webcam, or open the response file you were given, or type the text below.",
		fmt.Sprintf("Install it before %s. After that it is refused: ask for a new one.", dateTime(s.ApplyBy)),
	}
	if s.Domain != "" {
		steps = append(steps, "Your reseller's customer portal: https://"+s.Domain)
	}
	return steps
}

// encoder wraps fpdf's code page translator: characters code page 1252
// cannot hold become '?' (the translator would print '.').
func encoder(tr func(string) string) func(string) string {
	return func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r == utf8.RuneError:
				b.WriteByte('?')
			case r < 0x80:
				b.WriteRune(r)
			default:
				if t := tr(string(r)); len(t) == 1 && t != "." {
					b.WriteString(t)
				} else {
					b.WriteByte('?')
				}
			}
		}
		return b.String()
	}
}

// cleanText drops control characters and keeps the text to one line.
func cleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
	if len(s) > 300 {
		s = s[:300]
	}
	return strings.ToValidUTF8(s, "?")
}

// cleanCompact keeps only the printable ASCII of the compact text (which is
// base45: 0-9 A-Z space $%*+-./:), one line.
func cleanCompact(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// monoLayout picks a Courier size (pt) for n characters in a box w × h mm:
// the largest from 9 pt down to 5 pt that fits, then characters per line
// and the line height.
func monoLayout(n int, w, h float64) (size float64, perLine int, lineH float64) {
	const ptMM = 25.4 / 72
	for size = 9; size > 5; size -= 0.25 {
		perLine = int(w / (0.6 * size * ptMM))
		lineH = size * ptMM * 1.2
		lines := (n + perLine - 1) / perLine
		if float64(lines)*lineH <= h {
			return size, perLine, lineH
		}
	}
	return 5, int(w / (0.6 * 5 * ptMM)), 5 * ptMM * 1.15
}

// fit shortens already encoded text with "..." to fit width w in the current font.
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	for len(s) > 0 && pdf.GetStringWidth(s+"...") > w {
		s = s[:len(s)-1]
	}
	return s + "..."
}

// addLogo registers the logo (re-encoded as a plain 8-bit PNG, at most
// logoPixels on a side) and returns its name and drawn width at height h;
// "" when there is none or it is not a PNG/JPEG within the limits.
func addLogo(pdf *fpdf.Fpdf, logo []byte, h float64) (string, float64) {
	m, ok := decodeLogo(logo)
	if !ok {
		return "", 0
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		return "", 0
	}
	info := pdf.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: "PNG"}, &buf)
	if pdf.Err() || info == nil || info.Height() == 0 {
		pdf.ClearError()
		return "", 0
	}
	w := h * info.Width() / info.Height()
	if w > 45 {
		w = 45
	}
	return "logo", w
}

// decodeLogo decodes a PNG or JPEG after checking its size and declared
// dimensions (DecodeConfig reads only the header), and scales it down.
func decodeLogo(b []byte) (image.Image, bool) {
	if len(b) == 0 || len(b) > MaxLogoBytes {
		return nil, false
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || (format != "png" && format != "jpeg") ||
		cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxLogoSide || cfg.Height > MaxLogoSide {
		return nil, false
	}
	release := qr.DecodeSlot() // bounds the process's concurrent full image decodes
	defer release()
	m, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, false
	}
	return shrink(m, logoPixels), true
}

// shrink returns m as 8-bit NRGBA, box-averaged down so that its longer
// side is at most limit pixels.
func shrink(m image.Image, limit int) *image.NRGBA {
	b := m.Bounds()
	src := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(src, src.Bounds(), m, b.Min, draw.Src)
	f := (max(b.Dx(), b.Dy()) + limit - 1) / limit
	if f <= 1 {
		return src
	}
	w, h := (b.Dx()+f-1)/f, (b.Dy()+f-1)/f
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var r, g, bl, a, n int
			for yy := y * f; yy < min((y+1)*f, b.Dy()); yy++ {
				for xx := x * f; xx < min((x+1)*f, b.Dx()); xx++ {
					i := src.PixOffset(xx, yy)
					pa := int(src.Pix[i+3])
					r += int(src.Pix[i]) * pa
					g += int(src.Pix[i+1]) * pa
					bl += int(src.Pix[i+2]) * pa
					a += pa
					n++
				}
			}
			i := dst.PixOffset(x, y)
			if a > 0 {
				dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2] = uint8(r/a), uint8(g/a), uint8(bl/a)
			}
			dst.Pix[i+3] = uint8(a / n)
		}
	}
	return dst
}

func shortFP(fp string) string {
	if len(fp) > 16 {
		return fp[:16] + "..."
	}
	return orDash(fp)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func company0(s string) string {
	if strings.TrimSpace(s) == "" {
		return "your reseller"
	}
	return s
}

func date(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2 January 2006")
}

func dateTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2 January 2006, 15:04 UTC")
}

// FileName is the sheet's file name, "HOSTNAME-LICENSE.activation-sheet.pdf",
// with anything but letters, digits, '.', '_' and '-' replaced (the host
// name comes from the customer's machine).
func FileName(hostname, license string) string {
	safe := func(s string, n int) string {
		s = strings.Map(func(r rune) rune {
			if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-') {
				return r
			}
			return '_'
		}, s)
		s = strings.Trim(s, "._-")
		if len(s) > n {
			s = s[:n]
		}
		return s
	}
	name := safe(hostname, 60)
	if l := safe(license, 60); l != "" {
		if name != "" {
			name += "-"
		}
		name += l
	}
	if name == "" {
		name = "activation"
	}
	return name + ".activation-sheet.pdf"
}
