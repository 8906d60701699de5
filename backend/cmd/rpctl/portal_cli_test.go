package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/spf13/cobra"
)

func init() {
	portalOptions = []portal.Option{portal.WithKDF(seal.TestParams), portal.WithSignInDelay(0)}
}

// portalFixture is an enrolled portal database with one imported bundle
// (licenses P1..P3 of product "prod", 2 activations, 1 deactivation),
// signed by a publisher key held by the test.
type portalFixture struct {
	dir, db string
	pub     ed25519.PublicKey
	priv    ed25519.PrivateKey
	rid     string
	bundle  string
}

func (f *portalFixture) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return rpctl(t, append([]string{"portal", "--db", f.db}, args...)...)
}

func (f *portalFixture) ok(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := f.run(t, args...)
	if code != 0 {
		t.Fatalf("rpctl portal %v: exit %d\n%s%s", args, code, out, errs)
	}
	return out
}

func (f *portalFixture) file(name string) string { return filepath.Join(f.dir, name) }

func newPortalFixture(t *testing.T) *portalFixture {
	t.Helper()
	t.Setenv("RP_PASSWORD", "correct horse battery")
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	f := &portalFixture{dir: dir, db: filepath.Join(dir, "portal.db"), pub: pub, priv: priv}
	f.ok(t, "init", "--reseller", "Acme Reselling", "--admin", "alice")
	f.ok(t, "enroll", "request", "--out", f.file("enroll.req"))
	raw, _ := os.ReadFile(f.file("enroll.req"))
	d, err := signdoc.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	req, err := signdoc.VerifyEnrollmentRequest(d)
	if err != nil {
		t.Fatal(err)
	}
	f.rid = signdoc.KeyID(req.PublicKey)
	now := time.Now().UTC().Truncate(time.Second)
	cert, _ := signdoc.SignCertificate(priv, signdoc.Certificate{Serial: 1, ResellerID: f.rid, ResellerName: req.ResellerName,
		PublicKey: req.PublicKey, Products: []string{"prod"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), PublisherKey: signdoc.Bytes(pub)})
	os.WriteFile(f.file("cert"), cert.Armor(), 0o644)
	f.ok(t, "enroll", "complete", "--cert", f.file("cert"))
	one := 1
	var lics []signdoc.License
	for _, k := range []string{"P1", "P2", "P3"} {
		lics = append(lics, signdoc.License{Key: k, Product: "prod", ActivationsAllowed: 2, DeactivationsAllowed: &one})
	}
	b, _ := signdoc.SignBundle(priv, signdoc.Bundle{BundleID: "b1", ResellerID: f.rid, IssuedAt: now, Licenses: lics})
	f.bundle = f.file("bundle")
	os.WriteFile(f.bundle, b.Armor(), 0o644)
	f.ok(t, "license", "import", f.bundle)
	return f
}

// machineRequest writes an activation request of a fresh installation.
func machineRequest(t *testing.T, path, key string) ed25519.PrivateKey {
	t.Helper()
	_, inst, _ := ed25519.GenerateKey(rand.Reader)
	nonce := make([]byte, 16)
	rand.Read(nonce)
	d, err := signdoc.SignActivationRequest(inst, signdoc.ActivationRequest{Product: "prod", LicenseKey: key,
		Fingerprint: signdoc.Fingerprint("prod", path), InstallationKey: signdoc.Bytes(inst.Public().(ed25519.PublicKey)),
		Hostname: "host", OS: "linux", AppVersion: "1", Nonce: nonce, CreatedAt: time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, d.Armor(), 0o644)
	return inst
}

func TestPortalCLIEndToEnd(t *testing.T) {
	f := newPortalFixture(t)
	// re-import: exit 0, nothing new
	if out := f.ok(t, "license", "import", f.bundle, "--json"); !strings.Contains(out, `"already_imported": true`) {
		t.Fatalf("re-import: %s", out)
	}
	var user, org map[string]any
	json.Unmarshal([]byte(f.ok(t, "user", "create", "--name", "Ada Lovelace", "--email", "ada@example.com", "--json")), &user)
	json.Unmarshal([]byte(f.ok(t, "org", "create", "--name", "Engines Ltd", "--json")), &org)
	uid, oid := user["id"].(string), org["id"].(string)
	if uid == "" || oid == "" {
		t.Fatalf("ids: %v %v", user, org)
	}
	if out := strings.TrimSpace(f.ok(t, "user", "create", "--name", "Bob", "--email", "bob@example.com", "--org", oid)); out != "u2" {
		t.Fatalf("create prints id: %q", out)
	}
	// group flags anywhere, flags and arguments interleaved
	code, _, errs := rpctl(t, "portal", "license", "assign", "--user", uid, "p1", "--db", f.db)
	if code != 0 {
		t.Fatalf("assign: %d %s", code, errs)
	}
	f.ok(t, "license", "assign", "P2", "--org", oid)

	var lics []map[string]any
	json.Unmarshal([]byte(f.ok(t, "license", "list", "--json")), &lics)
	if len(lics) != 3 {
		t.Fatalf("list: %v", lics)
	}
	for _, field := range []string{"key", "product", "status", "assignee", "activations_used", "activations_allowed", "deactivations_used", "deactivations_allowed", "expires"} {
		if _, ok := lics[0][field]; !ok {
			t.Errorf("license JSON lacks %q", field)
		}
	}
	if lics[0]["status"] != "assigned" || lics[0]["assignee"] != uid {
		t.Fatalf("P1 = %v", lics[0])
	}
	json.Unmarshal([]byte(f.ok(t, "license", "list", "--status", "available", "--json")), &lics)
	if len(lics) != 1 || lics[0]["key"] != "P3" {
		t.Fatalf("available = %v", lics)
	}
	json.Unmarshal([]byte(f.ok(t, "license", "list", "--search", "ada", "--json")), &lics)
	if len(lics) != 1 || lics[0]["key"] != "P1" {
		t.Fatalf("search ada = %v", lics)
	}
	json.Unmarshal([]byte(f.ok(t, "license", "list", "--limit", "1", "--offset", "1", "--json")), &lics)
	if len(lics) != 1 || lics[0]["key"] != "P2" {
		t.Fatalf("page = %v", lics)
	}

	// activation, QR, repeat
	inst := machineRequest(t, f.file("m1.req"), "P1")
	var act map[string]any
	json.Unmarshal([]byte(f.ok(t, "activate", "--in", f.file("m1.req"), "--out", f.file("m1.resp"), "--qr", f.file("m1.png"), "--json")), &act)
	for _, field := range []string{"id", "license", "status", "machine", "created"} {
		if _, ok := act[field]; !ok {
			t.Errorf("activation JSON lacks %q", field)
		}
	}
	resp, _ := os.ReadFile(f.file("m1.resp"))
	png, _ := os.ReadFile(f.file("m1.png"))
	text, err := qr.Decode(png)
	if err != nil {
		t.Fatal(err)
	}
	rd, _ := signdoc.Parse(resp)
	if text != rd.Compact() {
		t.Fatal("QR does not hold the response")
	}
	if _, _, err := signdoc.VerifyActivationResponse(rd, f.pub, time.Now()); err != nil {
		t.Fatal(err)
	}
	var again map[string]any
	json.Unmarshal([]byte(f.ok(t, "activate", "--in", f.file("m1.req"), "--out", f.file("m1b.resp"), "--json")), &again)
	if again["id"] != act["id"] {
		t.Fatalf("repeat gave %v, want %v", again["id"], act["id"])
	}
	var shown map[string]any
	json.Unmarshal([]byte(f.ok(t, "license", "show", "P1", "--json")), &shown)
	if shown["activations_used"] != 1.0 || len(shown["activations"].([]any)) != 1 || shown["status"] != "active" {
		t.Fatalf("show = %v", shown)
	}

	// deactivation: once, then exit 1
	d, _ := signdoc.SignDeactivationRequest(inst, signdoc.DeactivationRequest{ActivationID: act["id"].(string), Product: "prod",
		LicenseKey: "P1", Fingerprint: signdoc.Fingerprint("prod", f.file("m1.req")), CreatedAt: time.Now().UTC().Truncate(time.Second)})
	os.WriteFile(f.file("m1.deact"), []byte(d.Compact()+"\n"), 0o644)
	f.ok(t, "deactivate", "--in", f.file("m1.deact"))
	if code, _, errs := f.run(t, "deactivate", "--in", f.file("m1.deact")); code != 1 || !strings.Contains(errs, "already deactivated") {
		t.Fatalf("second deactivation: %d %s", code, errs)
	}
	var acts []map[string]any
	json.Unmarshal([]byte(f.ok(t, "activations", "--license", "P1", "--json")), &acts)
	if len(acts) != 1 || acts[0]["status"] != "deactivated" {
		t.Fatalf("activations = %v", acts)
	}
	json.Unmarshal([]byte(f.ok(t, "activations", "--customer", uid, "--json")), &acts)
	if len(acts) != 1 {
		t.Fatalf("by customer = %v", acts)
	}

	// batch
	batch := filepath.Join(f.dir, "batch")
	os.Mkdir(batch, 0o755)
	machineRequest(t, filepath.Join(batch, "a.req"), "P2")
	machineRequest(t, filepath.Join(batch, "b.req"), "P3") // unassigned
	code, out, _ := f.run(t, "batch", "--dir", batch, "--json")
	if code != 1 || !strings.Contains(out, `"license_unassigned"`) || !strings.Contains(out, `"activated": 1`) {
		t.Fatalf("batch: %d %s", code, out)
	}
	if _, err := os.Stat(filepath.Join(batch, "a.response.txt")); err != nil {
		t.Fatal(err)
	}

	// report, audit, settings, backup and restore
	f.ok(t, "report", "--out", f.file("report"))
	rr, _ := os.ReadFile(f.file("report"))
	rdoc, _ := signdoc.Parse(rr)
	rep, _, err := signdoc.VerifyReport(rdoc, f.pub)
	if err != nil || rep.Number != 1 || len(rep.Events) != 3 {
		t.Fatalf("report: %+v %v", rep, err)
	}
	f.ok(t, "audit", "--verify")
	if out := f.ok(t, "audit", "--json", "--limit", "2"); !strings.Contains(out, `"report.create"`) {
		t.Fatalf("audit: %s", out)
	}
	f.ok(t, "settings", "set", "--company", "Acme GmbH", "--domain", "licenses.acme.example")
	if out := f.ok(t, "settings", "show", "--json"); !strings.Contains(out, `"licenses.acme.example"`) {
		t.Fatalf("settings: %s", out)
	}
	f.ok(t, "backup", "--out", f.file("backup.db"))
	f.ok(t, "user", "delete", "u2")
	f.ok(t, "restore", "--in", f.file("backup.db"))
	if out := f.ok(t, "user", "list"); !strings.Contains(out, "bob@example.com") {
		t.Fatalf("after restore: %s", out)
	}
	// admins
	t.Setenv("RP_NEW_PASSWORD", "bobs password 1")
	f.ok(t, "admin", "add", "bob")
	if code, _, errs := f.run(t, "user", "list"); code != 2 || !strings.Contains(errs, "--admin") {
		t.Fatalf("two admins without --admin: %d %s", code, errs)
	}
	t.Setenv("RP_PASSWORD", "bobs password 1")
	f.ok(t, "--admin", "bob", "user", "list")
	f.ok(t, "--admin", "bob", "admin", "remove", "alice")
}

func TestPortalCLIRefusals(t *testing.T) {
	f := newPortalFixture(t)
	f.ok(t, "user", "create", "--name", "Ada", "--email", "ada@example.com")
	os.Unsetenv("RP_NEW_PASSWORD")
	pwFile := f.file("pw")
	os.WriteFile(pwFile, []byte("wrong password\n"), 0o600)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"init", "--reseller", "X", "--admin", "alice"}, 1, "already_initialized"},
		{[]string{"init", "--admin", "alice"}, 2, "--reseller"},
		{[]string{"user", "create", "--name", "X"}, 2, "--email"},
		{[]string{"user", "create", "--name", "X", "--email", "ADA@example.com"}, 1, "email_taken"},
		{[]string{"user", "create", "--name", "X", "--email", "nope"}, 1, "invalid_email"},
		{[]string{"user", "create", "--name", strings.Repeat("x", 300), "--email", "x@example.com"}, 1, "invalid_name"},
		{[]string{"user", "create", "--name", "a\x01b", "--email", "x@example.com"}, 1, "invalid_name"},
		{[]string{"user", "update", "u9", "--name", "X"}, 1, "user_not_found"},
		{[]string{"user", "update", "u1"}, 2, "at least one"},
		{[]string{"user", "delete", "u9"}, 1, "user_not_found"},
		{[]string{"org", "update", "o9", "--name", "X"}, 1, "org_not_found"},
		{[]string{"org", "create"}, 2, "--name"},
		{[]string{"license", "show", "NOPE"}, 1, "license_not_found"},
		{[]string{"license", "show"}, 2, "KEY"},
		{[]string{"license", "assign", "P1"}, 2, "--user"},
		{[]string{"license", "assign", "P1", "--user", "u1", "--org", "o1"}, 2, "exactly one"},
		{[]string{"license", "assign", "NOPE", "--user", "u1"}, 1, "license_not_found"},
		{[]string{"license", "revoke", "P1"}, 1, "license_unassigned"},
		{[]string{"license", "list", "--status", "weird"}, 2, "--status"},
		{[]string{"license", "import", f.file("missing")}, 1, "invalid_input"},
		{[]string{"activate", "--in", f.bundle, "--out", f.file("x")}, 1, "document_kind_mismatch"},
		{[]string{"activate", "--in", f.bundle}, 2, "--out"},
		{[]string{"deactivate"}, 2, "--in"},
		{[]string{"settings", "set", "--domain", "not a host"}, 1, "invalid_domain"},
		{[]string{"settings", "set", "--logo", f.bundle}, 1, "logo_format"},
		{[]string{"restore", "--in", f.bundle}, 1, "invalid_backup"},
		{[]string{"--admin", "mallory", "user", "list"}, 1, "wrong_password"}, // one answer for an unknown admin and a wrong password (A.7),
		{[]string{"no-such-verb"}, 2, "unknown command"},
		{[]string{"enroll", "complete", "--cert", f.bundle}, 1, "document_kind_mismatch"},
		{[]string{"enroll", "complete", "--cert", pwFile}, 1, "document_malformed"},
		{[]string{"enroll", "request"}, 2, "--out"},
		{[]string{"admin", "add", "bob"}, 2, "RP_NEW_PASSWORD"},
		{[]string{"admin", "remove", "alice"}, 1, "last_admin"},
		{[]string{"admin", "remove", "nobody"}, 1, "admin_not_found"},
		{[]string{"admin", "add"}, 2, "USER"},
		{[]string{"backup"}, 2, "--out"},
		{[]string{"restore"}, 2, "--in"},
		{[]string{"batch"}, 2, "--dir"},
		{[]string{"batch", "--dir", f.file("nowhere")}, 1, "invalid_input"},
		{[]string{"activations", "--status", "weird"}, 2, "--status"},
		{[]string{"activations", "--license", "NOPE"}, 1, "license_not_found"},
		{[]string{"org", "delete", "o9"}, 1, "org_not_found"},
		{[]string{"org", "delete", "x"}, 1, "invalid_id"},
		{[]string{"license", "list", "--limit", "-1"}, 2, "--limit"},
		{[]string{"license", "list", "--limit", "abc"}, 2, "invalid argument"},
		{[]string{"user", "update", "u1", "--email", "bad"}, 1, "invalid_email"},
		{[]string{"settings", "set"}, 2, "at least one"},
		{[]string{"report"}, 2, "--out"},
		{[]string{"deactivate", "--in", f.bundle}, 1, "document_kind_mismatch"},
		// last: a failed sign-in is recorded (and the next good one resets it)
		{[]string{"--password-file", pwFile, "user", "list"}, 1, "wrong_password"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			before, _ := os.ReadFile(f.db)
			code, _, errs := f.run(t, tc.args...)
			after, _ := os.ReadFile(f.db)
			if !bytes.Equal(before, after) && !strings.Contains(tc.want, "password") {
				t.Errorf("refused command changed the database file")
			}
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tc.code, errs, tc.want)
			}
		})
	}
	os.Unsetenv("RP_PASSWORD")
	if code, _, errs := f.run(t, "user", "list"); code != 2 || !strings.Contains(errs, "RP_PASSWORD") {
		t.Fatalf("no password: %d %s", code, errs)
	}
	// a second opener gets "database is in use"
	p, err := portal.Open(f.db, portalOptions...)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	t.Setenv("RP_PASSWORD", "correct horse battery")
	start := time.Now()
	if code, _, errs := f.run(t, "user", "list"); code != 1 || !strings.Contains(errs, "database is in use") {
		t.Fatalf("in use: %d %s", code, errs)
	}
	if time.Since(start) > 3*time.Second {
		t.Fatal("in-use refusal was slow")
	}
}

func TestPortalCLIHelp(t *testing.T) {
	var walk func(path []string, c interface {
		Commands() []*cobra.Command
	})
	root := newRoot(nil, nil, nil)
	var portalCmd *cobra.Command
	for _, c := range root.Commands() {
		if c.Name() == "portal" {
			portalCmd = c
		}
	}
	if portalCmd == nil {
		t.Fatal("no portal group")
	}
	n := 0
	walk = func(path []string, c interface{ Commands() []*cobra.Command }) {
		for _, sub := range c.Commands() {
			p := append(append([]string(nil), path...), sub.Name())
			if code, out, _ := rpctl(t, append(p, "--help")...); code != 0 || !strings.Contains(out, "Usage:") {
				t.Errorf("rpctl %v --help: exit %d", p, code)
			}
			n++
			walk(p, sub)
		}
	}
	walk([]string{"portal"}, portalCmd)
	if n < 30 {
		t.Fatalf("only %d portal commands", n)
	}
}
