package rpc

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/signdoc"
)

// TestActivationSheetOp: an enrolled portal (the test plays the
// publisher), a customer with a hostile name, one activation through the
// ops; activation.sheet returns a PDF whose text names the customer,
// license and product and whose printed QR code reads back as the response.
func TestActivationSheetOp(t *testing.T) {
	s, _ := newTestServer(t)
	sess := NewSession()
	statusOf(t, call(t, s, sess, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	r := call(t, s, sess, "enroll.request", nil)
	d, err := signdoc.Parse([]byte(r.Data.(portal.Document).Compact))
	if err != nil {
		t.Fatal(err)
	}
	er, _ := signdoc.VerifyEnrollmentRequest(d)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	now := time.Now().UTC().Truncate(time.Second)
	cert, _ := signdoc.SignCertificate(priv, signdoc.Certificate{Serial: 1, ResellerID: signdoc.KeyID(er.PublicKey), ResellerName: er.ResellerName,
		PublicKey: er.PublicKey, Products: []string{"acme-cad"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), PublisherKey: signdoc.Bytes(pub)})
	if r := call(t, s, sess, "enroll.complete", DocParams{Text: string(cert.Armor())}); !r.OK {
		t.Fatalf("enroll.complete: %+v", r)
	}
	b, _ := signdoc.SignBundle(priv, signdoc.Bundle{BundleID: "b1", ResellerID: signdoc.KeyID(er.PublicKey), IssuedAt: now,
		Licenses: []signdoc.License{{Key: "CAD-1", Product: "acme-cad", ActivationsAllowed: 2}}})
	if r := call(t, s, sess, "licenses.import", DocParams{Text: b.Compact()}); !r.OK {
		t.Fatalf("import: %+v", r)
	}
	hostile := `<img src=x onerror=alert(1)> Zoë`
	if r := call(t, s, sess, "users.create", portal.UserInput{Name: hostile, Email: "zoe@example.com"}); !r.OK {
		t.Fatalf("users.create: %+v", r)
	}
	if r := call(t, s, sess, "licenses.assign", AssignParams{Key: "CAD-1", User: "u1"}); !r.OK {
		t.Fatalf("assign: %+v", r)
	}
	company, domain := "Acme Resale GmbH", "licenses.acme.example"
	if r := call(t, s, sess, "settings.update", map[string]any{"company": company, "domain": domain}); !r.OK {
		t.Fatalf("settings.update: %+v", r)
	}
	_, inst, _ := ed25519.GenerateKey(rand.Reader)
	req, _ := signdoc.SignActivationRequest(inst, signdoc.ActivationRequest{Product: "acme-cad", LicenseKey: "CAD-1",
		Fingerprint: signdoc.Fingerprint("acme-cad", "m1"), InstallationKey: signdoc.Bytes(inst.Public().(ed25519.PublicKey)),
		Nonce: make([]byte, 16), CreatedAt: now, Hostname: "ws/01 büro", OS: "Windows 11"})
	r = call(t, s, sess, "activation.activate", DocParams{Text: string(req.Armor())})
	if !r.OK {
		t.Fatalf("activate: %+v", r)
	}
	act := r.Data.(portal.ActivationResult)

	r = call(t, s, sess, "activation.sheet", SheetParams{Activation: act.Activation.ID})
	if !r.OK {
		t.Fatalf("activation.sheet: %+v", r)
	}
	f := r.Data.(SheetFile)
	if f.Name != "ws_01_b_ro-CAD-1.activation-sheet.pdf" || !bytes.HasPrefix(f.PDF, []byte("%PDF-")) {
		t.Fatalf("sheet %q, %d bytes", f.Name, len(f.PDF))
	}
	// the JSON shape: {name, pdf (base64)}
	raw, _ := json.Marshal(r.Data)
	var shape map[string]any
	json.Unmarshal(raw, &shape)
	if _, ok := shape["pdf"].(string); !ok || len(shape) != 2 {
		t.Fatalf("JSON shape %s", raw[:min(len(raw), 80)])
	}
	// with the request, the same sheet (it is the recorded one)
	if r := call(t, s, sess, "activation.sheet", SheetParams{Activation: act.Activation.ID, Request: req.Compact()}); !r.OK || !bytes.Equal(r.Data.(SheetFile).PDF, f.PDF) {
		t.Fatalf("activation.sheet with the request: %+v", r.Code)
	}

	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skipf("pdftotext not installed (Debian package poppler-utils; CI installs it): %v", err)
	}
	cmd := exec.Command(pdftotext, "-", "-")
	cmd.Stdin = bytes.NewReader(f.PDF)
	txt, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{hostile, "CAD-1", "acme-cad", "ws/01 büro", "Windows 11", company, "https://" + domain, act.Activation.ID} {
		if !strings.Contains(string(txt), want) {
			t.Errorf("sheet text lacks %q:\n%s", want, txt)
		}
	}
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skipf("pdftoppm not installed: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "s.pdf"), f.PDF, 0o644)
	page := func(dpi string) []byte {
		if out, err := exec.Command(pdftoppm, "-r", dpi, "-png", "-f", "1", "-l", "1", "-singlefile", filepath.Join(dir, "s.pdf"), filepath.Join(dir, "p"+dpi)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "p"+dpi+".png"))
		return b
	}
	text, err := qr.Decode(page("150"))
	if err != nil { // about one page in 30 at 150 dpi defeats gozxing (backend/sheet tests)
		text, err = qr.Decode(page("300"))
	}
	if err != nil || text != act.Response.Compact {
		t.Fatalf("QR on the printed sheet: %v (read %d chars, want the response's %d)", err, len(text), len(act.Response.Compact))
	}

	// refusals
	for id, code := range map[string]string{"A99": "activation_not_found", "": "activation_not_found", "x": "activation_not_found"} {
		if r := call(t, s, sess, "activation.sheet", SheetParams{Activation: id}); r.OK || r.Code != code {
			t.Errorf("activation.sheet %q: %+v", id, r)
		}
	}
	dr, _ := signdoc.SignDeactivationRequest(inst, signdoc.DeactivationRequest{ActivationID: act.Activation.ID, Product: "acme-cad",
		LicenseKey: "CAD-1", Fingerprint: signdoc.Fingerprint("acme-cad", "m1"), CreatedAt: now})
	if r := call(t, s, sess, "activation.deactivate", DocParams{Text: dr.Compact()}); !r.OK {
		t.Fatalf("deactivate: %+v", r)
	}
	if r := call(t, s, sess, "activation.sheet", SheetParams{Activation: act.Activation.ID}); r.OK || r.Code != "activation_deactivated" {
		t.Fatalf("sheet of a deactivated activation: %+v", r)
	}
}
