package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/signdoc"
)

func init() { vendorSealParams = seal.TestParams }

// vendorFixture is a publisher dir with two products, a reseller key and
// its certificate file.
type vendorFixture struct {
	dir, certFile string
	reseller      ed25519.PrivateKey
	cert          *signdoc.Document
}

func newVendorFixture(t *testing.T) *vendorFixture {
	t.Helper()
	f := &vendorFixture{dir: filepath.Join(t.TempDir(), "vendor")}
	mustRun(t, "vendor", "init", "--dir", f.dir)
	mustRun(t, "vendor", "product", "add", "--dir", f.dir, "--name", "Acme CAD", "--id", "acme-cad")
	mustRun(t, "vendor", "product", "add", "--dir", f.dir, "--name", "Acme Render")
	_, f.reseller, _ = ed25519.GenerateKey(rand.Reader)
	req, err := signdoc.SignEnrollmentRequest(f.reseller, signdoc.EnrollmentRequest{ResellerName: "Northwind", CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	reqFile := filepath.Join(t.TempDir(), "enroll.req")
	os.WriteFile(reqFile, req.Armor(), 0o600)
	f.certFile = filepath.Join(t.TempDir(), "reseller.cert")
	mustRun(t, "vendor", "enroll", "--dir", f.dir, "--request", reqFile, "--products", "acme-cad,acme-render", "--out", f.certFile)
	data, _ := os.ReadFile(f.certFile)
	if f.cert, err = signdoc.Parse(data); err != nil {
		t.Fatal(err)
	}
	return f
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := rpctl(t, args...)
	if code != 0 {
		t.Fatalf("rpctl %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func mustJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out := mustRun(t, append(args, "--json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("rpctl %v --json: %v\n%s", args, err, out)
	}
}

func TestVendorInitRefusesOverwrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "v")
	var out struct {
		KeyID  string `json:"key_id"`
		Sealed bool   `json:"sealed"`
	}
	t.Setenv("RP_VENDOR_PASSPHRASE", "vendor secret")
	mustJSON(t, &out, "vendor", "init", "--dir", dir)
	if !out.Sealed || len(out.KeyID) != 16 {
		t.Fatalf("init: %+v", out)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "publisher.key"))
	if code, _, errOut := rpctl(t, "vendor", "init", "--dir", dir); code != 1 || !strings.Contains(errOut, "never overwritten") {
		t.Fatalf("second init: exit %d %s", code, errOut)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "publisher.key"))
	if string(before) != string(after) {
		t.Fatal("key overwritten")
	}
	// a sealed key needs its passphrase for signing
	mustRun(t, "vendor", "product", "add", "--dir", dir, "--name", "P", "--id", "p")
	os.Unsetenv("RP_VENDOR_PASSPHRASE")
	req, _ := signdoc.SignEnrollmentRequest(ed25519.NewKeyFromSeed(make([]byte, 32)), signdoc.EnrollmentRequest{ResellerName: "R", CreatedAt: time.Now()})
	rf := filepath.Join(t.TempDir(), "r")
	os.WriteFile(rf, req.Armor(), 0o600)
	if code, _, errOut := rpctl(t, "vendor", "enroll", "--dir", dir, "--request", rf, "--products", "p", "--out", filepath.Join(t.TempDir(), "c")); code != 1 || !strings.Contains(errOut, "RP_VENDOR_PASSPHRASE") {
		t.Fatalf("enroll without passphrase: exit %d %s", code, errOut)
	}
	pf := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pf, []byte("vendor secret\n"), 0o600)
	mustRun(t, "vendor", "enroll", "--dir", dir, "--passphrase-file", pf, "--request", rf, "--products", "p", "--out", filepath.Join(t.TempDir(), "c"))
}

func TestVendorProductAndAllocateJSON(t *testing.T) {
	f := newVendorFixture(t)
	var prod struct{ ID string }
	mustJSON(t, &prod, "vendor", "product", "add", "--dir", f.dir, "--name", "Acme Viewer")
	if prod.ID != "acme-viewer" {
		t.Fatalf("product id %q", prod.ID)
	}
	bundle := filepath.Join(t.TempDir(), "b.bundle")
	var out struct {
		Bundle   string `json:"bundle"`
		Licenses []struct {
			Key                  string     `json:"key"`
			DeactivationsAllowed *int       `json:"deactivations_allowed"`
			Expires              *time.Time `json:"expires"`
		} `json:"licenses"`
	}
	// flags of the group and the command interleaved
	mustJSON(t, &out, "vendor", "allocate", "--cert", f.certFile, "--product", "acme-cad", "--dir", f.dir, "--count", "3",
		"--activations", "2", "--deactivations", "1", "--expires", "2099-12-31", "--out", bundle)
	if out.Bundle == "" || len(out.Licenses) != 3 || *out.Licenses[0].DeactivationsAllowed != 1 || out.Licenses[0].Expires.Format(time.DateOnly) != "2099-12-31" {
		t.Fatalf("allocate: %+v", out)
	}
	data, _ := os.ReadFile(bundle)
	doc, err := signdoc.ParseKind(data, signdoc.KindAllocationBundle)
	if err != nil {
		t.Fatal(err)
	}
	pubText, _ := os.ReadFile(filepath.Join(f.dir, "publisher.pub"))
	pub, _ := signdoc.ParsePublicKey(pubText)
	b, err := signdoc.VerifyBundle(doc, pub, signdoc.KeyID(f.reseller.Public().(ed25519.PublicKey)))
	if err != nil || b.BundleID != out.Bundle || b.Licenses[2].Key != out.Licenses[2].Key {
		t.Fatalf("bundle file: %v", err)
	}
	// human output: the keys, one a line
	human := mustRun(t, "vendor", "allocate", "--dir", f.dir, "--cert", f.certFile, "--product", "acme-render", "--count", "2", "--activations", "1", "--out", bundle)
	if lines := strings.Fields(human); len(lines) != 2 || len(lines[0]) != 23 {
		t.Fatalf("human allocate output %q", human)
	}
}

func TestVendorUsageAndRefusals(t *testing.T) {
	f := newVendorFixture(t)
	out := filepath.Join(t.TempDir(), "x")
	cases := []struct {
		code int
		args []string
		msg  string
	}{
		{2, []string{"vendor", "init"}, "--dir"},
		{2, []string{"vendor", "product", "add", "--dir", f.dir}, "--name"},
		{2, []string{"vendor", "allocate", "--dir", f.dir, "--cert", f.certFile, "--product", "acme-cad", "--count", "0", "--activations", "1", "--out", out}, "--count"},
		{2, []string{"vendor", "allocate", "--dir", f.dir, "--cert", f.certFile, "--product", "acme-cad", "--count", "1", "--activations", "1", "--expires", "31.12.2030", "--out", out}, "--expires"},
		{2, []string{"vendor", "enroll", "--dir", f.dir, "--request", f.certFile, "--products", "acme-cad"}, "--out"},
		{2, []string{"vendor", "nope"}, "unknown command"},
		{1, []string{"vendor", "product", "add", "--dir", f.dir, "--name", "X", "--id", "acme-cad"}, "already exists"},
		{1, []string{"vendor", "enroll", "--dir", f.dir, "--request", f.certFile, "--products", "acme-cad", "--out", out}, "expected an enrollment request"},
		{1, []string{"vendor", "allocate", "--dir", f.dir, "--cert", f.certFile, "--product", "nope", "--count", "1", "--activations", "1", "--out", out}, "no such product"},
		{1, []string{"vendor", "allocate", "--dir", filepath.Join(t.TempDir(), "empty"), "--cert", f.certFile, "--product", "acme-cad", "--count", "1", "--activations", "1", "--out", out}, "vendor init"},
		{1, []string{"vendor", "report", "verify", "--dir", f.dir, "--in", f.certFile}, "expected an activation report"},
		{1, []string{"vendor", "report", "verify", "--dir", f.dir, "--in", filepath.Join(t.TempDir(), "missing")}, "no such file"},
	}
	for _, c := range cases {
		code, _, errOut := rpctl(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("rpctl %s: exit %d (want %d), stderr %q (want %q)", strings.Join(c.args, " "), code, c.code, errOut, c.msg)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused command wrote its output file")
	}
}
