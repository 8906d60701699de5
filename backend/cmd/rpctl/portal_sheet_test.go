package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/resellerportal/portal/backend/signdoc"
)

// TestPortalCLIActivateSheet: activate --sheet writes the activation sheet
// PDF beside the response; its text names the customer and the license.
func TestPortalCLIActivateSheet(t *testing.T) {
	f := newPortalFixture(t)
	f.ok(t, "user", "create", "--name", "Ada Lovelace", "--email", "ada@example.com")
	f.ok(t, "license", "assign", "P1", "--user", "u1")
	machineRequest(t, f.file("m1.req"), "P1")
	f.ok(t, "activate", "--in", f.file("m1.req"), "--out", f.file("m1.resp"), "--sheet", f.file("m1.pdf"))
	pdf, err := os.ReadFile(f.file("m1.pdf"))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("sheet: %v", err)
	}
	resp, _ := os.ReadFile(f.file("m1.resp"))
	rd, err := signdoc.Parse(resp)
	if err != nil {
		t.Fatal(err)
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skipf("pdftotext not installed (Debian package poppler-utils; CI installs it): %v", err)
	}
	cmd := exec.Command(pdftotext, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	txt, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Ada Lovelace", "P1", "prod", "Offline activation"} {
		if !strings.Contains(string(txt), want) {
			t.Errorf("sheet text lacks %q:\n%s", want, txt)
		}
	}
	// the compact text on the sheet is this response's: the printed lines
	// joined, a · at either end of a line standing for a space
	// (pdftotext may print two spaces as one: runs of spaces are compared
	// as one; the QR code tests elsewhere check the exact text)
	var compact strings.Builder
	for _, line := range strings.Split(string(txt)[strings.Index(string(txt), "RP1:"):], "\n") {
		if line = strings.TrimSpace(line); line == "" {
			break
		}
		compact.WriteString(strings.ReplaceAll(line, "·", " "))
	}
	if oneSpace(compact.String()) != oneSpace(rd.Compact()) {
		t.Fatalf("compact text on the sheet:\n%s\nwant\n%s", compact.String(), rd.Compact())
	}
}

func oneSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
