package main

import (
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

// standInPortal plays the reseller portal's signing step for the end to end
// tests of the vendor and client verbs: it verifies the bundle against the
// pinned publisher key, then answers requests for its licenses exactly the
// way the portal does, with signdoc.SignActivationResponse.
type standInPortal struct {
	reseller ed25519.PrivateKey
	cert     *signdoc.Document
	licenses map[string]signdoc.License
	activ    map[string]ed25519.PublicKey // activation id -> installation key
	events   []signdoc.ReportEvent
}

func newStandInPortal(t *testing.T, f *vendorFixture, bundleFile string) *standInPortal {
	t.Helper()
	pubText, _ := os.ReadFile(filepath.Join(f.dir, "publisher.pub"))
	pub, err := signdoc.ParsePublicKey(pubText)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := signdoc.VerifyCertificateCarried(f.cert, time.Now())
	if err != nil || !ed25519.PublicKey(cert.PublisherKey).Equal(pub) {
		t.Fatalf("certificate: %v", err)
	}
	data, _ := os.ReadFile(bundleFile)
	doc, err := signdoc.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := signdoc.VerifyBundle(doc, pub, cert.ResellerID)
	if err != nil {
		t.Fatal(err)
	}
	p := &standInPortal{reseller: f.reseller, cert: f.cert, licenses: map[string]signdoc.License{}, activ: map[string]ed25519.PublicKey{}}
	for _, l := range b.Licenses {
		p.licenses[l.Key] = l
	}
	return p
}

func (p *standInPortal) activate(t *testing.T, reqFile, respFile string) {
	t.Helper()
	data, err := os.ReadFile(reqFile)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := signdoc.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	req, err := signdoc.VerifyActivationRequest(doc)
	if err != nil {
		t.Fatal(err)
	}
	lic, ok := p.licenses[req.LicenseKey]
	if !ok || lic.Product != req.Product {
		t.Fatalf("unknown license %s", req.LicenseKey)
	}
	now := time.Now()
	id := "act-" + req.Fingerprint[:8]
	resp, err := signdoc.SignActivationResponse(p.reseller, p.cert, signdoc.ActivationResponse{
		ActivationID: id, Product: req.Product, LicenseKey: req.LicenseKey, Fingerprint: req.Fingerprint,
		InstallationKey: req.InstallationKey, Nonce: req.Nonce, IssuedAt: now, ApplyBy: now.Add(signdoc.DefaultApplyWindow),
		Expires: lic.Expires, Features: lic.Features})
	if err != nil {
		t.Fatal(err)
	}
	p.activ[id] = ed25519.PublicKey(req.InstallationKey)
	p.events = append(p.events, signdoc.ReportEvent{Seq: uint64(len(p.events) + 1), Type: signdoc.EventActivation, ActivationID: id,
		LicenseKey: req.LicenseKey, Product: req.Product, Fingerprint: req.Fingerprint, At: now})
	if err := os.WriteFile(respFile, resp.Armor(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (p *standInPortal) deactivate(t *testing.T, reqFile string) {
	t.Helper()
	data, _ := os.ReadFile(reqFile)
	doc, err := signdoc.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	d, err := signdoc.ParseDeactivationRequest(doc)
	if err != nil {
		t.Fatal(err)
	}
	ipub, ok := p.activ[d.ActivationID]
	if !ok {
		t.Fatalf("unknown activation %s", d.ActivationID)
	}
	if _, err := signdoc.VerifyDeactivationRequest(doc, ipub); err != nil {
		t.Fatal(err)
	}
	delete(p.activ, d.ActivationID)
	p.events = append(p.events, signdoc.ReportEvent{Seq: uint64(len(p.events) + 1), Type: signdoc.EventDeactivation, ActivationID: d.ActivationID,
		LicenseKey: d.LicenseKey, Product: d.Product, Fingerprint: d.Fingerprint, At: time.Now()})
}

func (p *standInPortal) report(t *testing.T, n uint64, file string) {
	t.Helper()
	d, err := signdoc.SignReport(p.reseller, p.cert, signdoc.Report{Number: n, CreatedAt: time.Now(), Events: p.events})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, d.Armor(), 0o644)
}

// TestVendorClientEndToEnd drives every vendor and client verb through the
// whole trust chain, with the stand-in portal signing the responses.
func TestVendorClientEndToEnd(t *testing.T) {
	f := newVendorFixture(t)
	work := t.TempDir()
	at := func(name string) string { return filepath.Join(work, name) }
	var alloc struct {
		Licenses []struct{ Key string } `json:"licenses"`
	}
	mustJSON(t, &alloc, "vendor", "allocate", "--dir", f.dir, "--cert", f.certFile, "--product", "acme-cad", "--count", "2",
		"--activations", "1", "--expires", "2099-01-31", "--feature", "edition=pro", "--out", at("b.bundle"))
	portal := newStandInPortal(t, f, at("b.bundle"))
	pubFile := filepath.Join(f.dir, "publisher.pub")
	key := alloc.Licenses[0].Key

	// machine A: file exchange
	stA := at("stateA")
	var st struct {
		Activated  bool              `json:"activated"`
		Reason     string            `json:"reason"`
		LicenseKey string            `json:"license_key"`
		Expires    *time.Time        `json:"expires"`
		Features   map[string]string `json:"features"`
	}
	mustJSON(t, &st, "client", "status", "--state", stA, "--machine-id", "machine-A", "--publisher-key", pubFile)
	if st.Activated || st.Reason != "not_activated" {
		t.Fatalf("fresh status %+v", st)
	}
	mustRun(t, "client", "request", "--state", stA, "--product", "acme-cad", "--license", key, "--out", at("a.req"), "--qr", at("a.png"))
	portal.activate(t, at("a.req"), at("a.resp"))
	mustJSON(t, &st, "client", "install", "--state", stA, "--publisher-key", pubFile, "--in", at("a.resp"))
	if !st.Activated || st.LicenseKey != key || st.Features["edition"] != "pro" || st.Expires.Format(time.DateOnly) != "2099-01-31" {
		t.Fatalf("install: %+v", st)
	}
	// --machine-id was remembered; status needs no repeat
	mustJSON(t, &st, "client", "status", "--state", stA, "--publisher-key", pubFile)
	if !st.Activated {
		t.Fatalf("status: %+v", st)
	}

	// machine B: the response travels as a QR code image, read back from the PNG
	stB := at("stateB")
	mustRun(t, "client", "request", "--state", stB, "--machine-id", "machine-B", "--product", "acme-cad", "--license", alloc.Licenses[1].Key, "--out", at("b.req"))
	portal.activate(t, at("b.req"), at("b.resp"))
	respData, _ := os.ReadFile(at("b.resp"))
	respDoc, _ := signdoc.Parse(respData)
	os.WriteFile(at("b.resp.txt"), []byte(respDoc.Compact()+"\n"), 0o644)
	// A's response is refused on B: bound to another machine
	if code, _, errOut := rpctl(t, "client", "install", "--state", stB, "--publisher-key", pubFile, "--in", at("a.resp")); code != 1 || !strings.Contains(errOut, "another machine") {
		t.Fatalf("A's response on B: exit %d %s", code, errOut)
	}
	mustRun(t, "vendor", "product", "list", "--dir", f.dir) // read-only verb, for coverage of the group
	if err := writeQRFile(at("b.png"), respDoc); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "client", "install", "--state", stB, "--publisher-key", pubFile, "--in", at("b.png"))
	mustJSON(t, &st, "client", "status", "--state", stB, "--publisher-key", pubFile)
	if !st.Activated {
		t.Fatalf("B status: %+v", st)
	}

	// A gives its activation back
	var deact struct {
		Deactivated bool   `json:"deactivated"`
		Compact     string `json:"compact"`
	}
	mustJSON(t, &deact, "client", "deactivate", "--state", stA, "--out", at("a.deact"))
	if !deact.Deactivated || !strings.HasPrefix(deact.Compact, signdoc.CompactPrefix) {
		t.Fatalf("deactivate: %+v", deact)
	}
	portal.deactivate(t, at("a.deact"))
	mustJSON(t, &st, "client", "status", "--state", stA, "--publisher-key", pubFile)
	if st.Activated {
		t.Fatal("A still activated")
	}
	if code, _, _ := rpctl(t, "client", "install", "--state", stA, "--publisher-key", pubFile, "--in", at("a.resp")); code != 1 {
		t.Fatal("old response reinstalled after deactivation")
	}

	// the publisher reads the reseller's report
	portal.report(t, 1, at("report"))
	var sum struct {
		Number        uint64 `json:"number"`
		Activations   int    `json:"activations"`
		Deactivations int    `json:"deactivations"`
		ResellerName  string `json:"reseller_name"`
		Licenses      []struct {
			Key string `json:"key"`
		} `json:"licenses"`
	}
	mustJSON(t, &sum, "vendor", "report", "verify", "--dir", f.dir, "--in", at("report"))
	if sum.Number != 1 || sum.Activations != 2 || sum.Deactivations != 1 || sum.ResellerName != "Northwind" || len(sum.Licenses) != 2 {
		t.Fatalf("report summary %+v", sum)
	}
	human := mustRun(t, "vendor", "report", "verify", "--dir", f.dir, "--in", at("report"))
	if !strings.Contains(human, "already seen") {
		t.Errorf("repeat report not noted:\n%s", human)
	}
}

func writeQRFile(path string, d *signdoc.Document) error {
	cmd := newRoot(nil, os.Stdout, os.Stderr)
	return writeQR(cmd, path, d)
}

func TestClientUsageAndRefusals(t *testing.T) {
	f := newVendorFixture(t)
	pubFile := filepath.Join(f.dir, "publisher.pub")
	st := t.TempDir()
	junk := filepath.Join(t.TempDir(), "junk")
	os.WriteFile(junk, []byte("hello\n"), 0o644)
	cases := []struct {
		code int
		args []string
		msg  string
	}{
		{2, []string{"client", "request", "--state", st, "--product", "p", "--out", junk}, "--license"},
		{2, []string{"client", "install", "--state", st, "--in", junk}, "--publisher-key"},
		{2, []string{"client", "status", "--publisher-key", pubFile}, "--state"},
		{2, []string{"client", "deactivate", "--state", st}, "--out"},
		{1, []string{"client", "install", "--state", st, "--publisher-key", pubFile, "--in", junk}, "not a valid reseller portal document"},
		{1, []string{"client", "install", "--state", st, "--publisher-key", pubFile, "--in", f.certFile}, "expected an activation response"},
		{1, []string{"client", "install", "--state", st, "--publisher-key", junk, "--in", f.certFile}, "public key"},
		{1, []string{"client", "deactivate", "--state", st, "--out", filepath.Join(st, "d")}, "not activated"},
	}
	for _, c := range cases {
		code, _, errOut := rpctl(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("rpctl %s: exit %d (want %d), stderr %q (want %q)", strings.Join(c.args, " "), code, c.code, errOut, c.msg)
		}
	}
	// status exits 0 whether or not the machine is licensed, and the key may be given inline
	pubText, _ := os.ReadFile(pubFile)
	inline := strings.Split(string(pubText), "\n")[1]
	code, out, _ := rpctl(t, "client", "status", "--state", st, "--machine-id", "m", "--publisher-key", inline, "--json")
	var s map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &s) != nil || s["activated"] != false {
		t.Fatalf("status: exit %d %s", code, out)
	}
}

// TestClientInstallFromStdin: --in - reads the response from stdin, and the
// compact QR text with a trailing newline is as good as the armored file.
func TestClientInstallFromStdin(t *testing.T) {
	f := newVendorFixture(t)
	work := t.TempDir()
	at := func(n string) string { return filepath.Join(work, n) }
	mustRun(t, "vendor", "allocate", "--dir", f.dir, "--cert", f.certFile, "--product", "acme-cad", "--count", "1", "--activations", "1", "--out", at("b"))
	portal := newStandInPortal(t, f, at("b"))
	var key string
	for k := range portal.licenses {
		key = k
	}
	mustRun(t, "client", "request", "--state", at("s"), "--machine-id", "m", "--product", "acme-cad", "--license", key, "--out", at("req"))
	portal.activate(t, at("req"), at("resp"))
	data, _ := os.ReadFile(at("resp"))
	d, _ := signdoc.Parse(data)
	var out, errb strings.Builder
	code := run([]string{"client", "install", "--state", at("s"), "--publisher-key", filepath.Join(f.dir, "publisher.pub"), "--in", "-", "--json"},
		strings.NewReader("\n  "+d.Compact()+"\r\n"), &out, &errb)
	var st map[string]any
	if code != 0 || json.Unmarshal([]byte(out.String()), &st) != nil || st["activated"] != true {
		t.Fatalf("install from stdin: exit %d %s %s", code, out.String(), errb.String())
	}
}
