package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrustChainThroughAllThreeGroups runs the whole product flow through
// the real CLI verbs of every actor: the publisher (vendor), the reseller's
// portal (portal, on a real database) and two customer machines (client).
func TestTrustChainThroughAllThreeGroups(t *testing.T) {
	work := t.TempDir()
	t.Setenv("HOME", work)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(work, "config"))
	t.Setenv("RP_PASSWORD", "correct horse battery")
	t.Setenv("RP_VENDOR_PASSPHRASE", "publisher passphrase")
	at := func(n string) string { return filepath.Join(work, n) }
	vendorDir, db := at("vendor"), at("portal.db")
	portal := func(args ...string) string { return mustRun(t, append([]string{"portal", "--db", db}, args...)...) }

	// publisher and reseller set up, enroll, allocate, import
	mustRun(t, "vendor", "init", "--dir", vendorDir)
	mustRun(t, "vendor", "product", "add", "--dir", vendorDir, "--name", "Acme CAD", "--id", "acme-cad")
	portal("init", "--reseller", "Northwind", "--admin", "alice")
	portal("enroll", "request", "--out", at("enroll.req"))
	mustRun(t, "vendor", "enroll", "--dir", vendorDir, "--request", at("enroll.req"), "--products", "acme-cad", "--out", at("reseller.cert"))
	portal("enroll", "complete", "--cert", at("reseller.cert"))
	var alloc struct {
		Licenses []struct{ Key string } `json:"licenses"`
	}
	mustJSON(t, &alloc, "vendor", "allocate", "--dir", vendorDir, "--cert", at("reseller.cert"), "--product", "acme-cad",
		"--count", "2", "--activations", "1", "--deactivations", "1", "--out", at("b.bundle"))
	portal("license", "import", at("b.bundle"))
	key := alloc.Licenses[0].Key
	var user struct {
		ID json.RawMessage `json:"id"`
	}
	mustJSON(t, &user, "portal", "--db", db, "user", "create", "--name", "Dana", "--email", "dana@example.com")
	uid := strings.Trim(string(user.ID), `"`)
	portal("license", "assign", key, "--user", uid)

	// machine A asks with a request file; the portal answers with a file and a QR code
	pub := filepath.Join(vendorDir, "publisher.pub")
	mustRun(t, "client", "request", "--state", at("A"), "--machine-id", "machine-A", "--product", "acme-cad", "--license", key,
		"--out", at("a.req"), "--qr", at("a.req.png"))
	var req struct {
		Compact string `json:"compact"`
	}
	mustJSON(t, &req, "client", "request", "--state", at("A2"), "--machine-id", "machine-A2", "--product", "acme-cad", "--license", key, "--out", at("a2.req"))
	// the reseller reads the request from a photo of its QR code, then once more from the file:
	// the same activation both times
	var first, again struct {
		ID string `json:"id"`
	}
	mustJSON(t, &first, "portal", "--db", db, "activate", "--in", at("a.req.png"), "--out", at("a.resp"), "--qr", at("a.resp.png"))
	mustJSON(t, &again, "portal", "--db", db, "activate", "--in", at("a.req"), "--out", at("a.resp.again"))
	if first.ID == "" || first.ID != again.ID {
		t.Fatalf("activation from the QR image %q, from the file %q", first.ID, again.ID)
	}
	var st struct {
		Activated bool   `json:"activated"`
		Reason    string `json:"reason"`
	}
	mustJSON(t, &st, "client", "install", "--state", at("A"), "--publisher-key", pub, "--in", at("a.resp.png"))
	if !st.Activated {
		t.Fatalf("install: %+v", st)
	}
	// the license has one activation: a second machine is refused by the portal
	os.WriteFile(at("a2.req.txt"), []byte(req.Compact+"\n"), 0o644)
	if code, _, errOut := rpctl(t, "portal", "--db", db, "activate", "--in", at("a2.req.txt"), "--out", at("a2.resp")); code != 1 {
		t.Fatalf("over the limit: exit %d %s", code, errOut)
	}

	// A gives it back; the slot is free again
	mustRun(t, "client", "deactivate", "--state", at("A"), "--out", at("a.deact"))
	portal("deactivate", "--in", at("a.deact"))
	mustJSON(t, &st, "client", "status", "--state", at("A"), "--publisher-key", pub)
	if st.Activated || st.Reason != "not_activated" {
		t.Fatalf("after deactivation: %+v", st)
	}
	portal("activate", "--in", at("a2.req.txt"), "--out", at("a2.resp"))
	mustJSON(t, &st, "client", "install", "--state", at("A2"), "--publisher-key", pub, "--in", at("a2.resp"))
	if !st.Activated {
		t.Fatalf("A2 install: %+v", st)
	}

	// the publisher verifies the reseller's report
	portal("report", "--out", at("r1.report"))
	var sum struct {
		Number        uint64 `json:"number"`
		Activations   int    `json:"activations"`
		Deactivations int    `json:"deactivations"`
	}
	mustJSON(t, &sum, "vendor", "report", "verify", "--dir", vendorDir, "--in", at("r1.report"))
	if sum.Number != 1 || sum.Activations != 2 || sum.Deactivations != 1 {
		t.Fatalf("report summary %+v", sum)
	}
}
