package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/qr/qrtest"
	"github.com/resellerportal/portal/backend/signdoc"
)

// TestClientInstallFromPhoto: a phone photo of the response QR on the
// reseller's screen — 50 %, unrotated, blurred, noisy, JPEG 65 — that
// zbarimg reads is installed by `client install --in PHOTO.jpg` (issue 9).
func TestClientInstallFromPhoto(t *testing.T) {
	f := newPortalFixture(t)
	pubFile := f.file("publisher.pub")
	if err := os.WriteFile(pubFile, signdoc.FormatPublicKey(f.pub), 0o644); err != nil {
		t.Fatal(err)
	}
	f.ok(t, "user", "create", "--name", "Ada", "--email", "ada@example.com")
	f.ok(t, "license", "assign", "P1", "--user", "u1")
	st := f.file("state")
	mustRun(t, "client", "request", "--state", st, "--machine-id", "machine-photo", "--product", "prod",
		"--license", "P1", "--out", f.file("a.req"))
	f.ok(t, "activate", "--in", f.file("a.req"), "--out", f.file("a.resp"))
	data, _ := os.ReadFile(f.file("a.resp"))
	doc, err := signdoc.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	code, err := qr.Encode(doc.Compact())
	if err != nil {
		t.Fatal(err)
	}
	_, zerr := exec.LookPath("zbarimg")
	if zerr != nil {
		t.Log("zbarimg not found (Debian zbar-tools): installing the first photo without checking that zbarimg reads it")
	}
	photo := ""
	for seed := int64(1); seed <= 5 && photo == ""; seed++ {
		jpg, err := qrtest.Photo(code, qrtest.Params{Scale: 0.5, Blur: 1.0, Noise: 4, Quality: 65, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		file := f.file("photo.jpg")
		if err := os.WriteFile(file, jpg, 0o644); err != nil {
			t.Fatal(err)
		}
		if zerr != nil {
			photo = file
			break
		}
		out, _ := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file).Output()
		if strings.TrimSpace(string(out)) == doc.Compact() {
			photo = file
		}
	}
	if photo == "" {
		t.Fatal("zbarimg reads none of 5 photos at 50 %: the photo maker changed?")
	}
	var status struct {
		Activated  bool   `json:"activated"`
		LicenseKey string `json:"license_key"`
	}
	mustJSON(t, &status, "client", "install", "--state", st, "--publisher-key", pubFile, "--in", photo)
	if !status.Activated || status.LicenseKey != "P1" {
		t.Fatalf("install from the photo: %+v", status)
	}
}
