package main

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPortalDemo(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("TMPDIR", t.TempDir())
	db, req, pub := filepath.Join(dir, "demo.db"), filepath.Join(dir, "req.txt"), filepath.Join(dir, "demo.pub")

	code, out, errs := rpctl(t, "portal", "demo", "--db", db, "--sample-out", req, "--publisher-key-out", pub, "--json")
	if code != 0 {
		t.Fatalf("portal demo: exit %d\n%s%s", code, out, errs)
	}
	var got demoOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if got.DB != db || got.Admin != "demo" || got.Password != "demo-password" || got.Licenses != 50 || len(got.Products) != 2 ||
		len(got.Customers) != 4 || got.Sample.License == "" || got.SampleOut != req {
		t.Fatalf("demo: %+v", got)
	}
	if b, _ := os.ReadFile(req); string(b) != got.Sample.Request {
		t.Errorf("sample request file: %q", b)
	}
	if b, _ := os.ReadFile(pub); string(b) != got.Sample.PublisherKey {
		t.Errorf("publisher key file: %q", b)
	}

	// the demo works with the ordinary commands: the sample request activates
	t.Setenv("RP_PASSWORD", "demo-password")
	resp := filepath.Join(dir, "resp.txt")
	if code, out, errs := rpctl(t, "portal", "--db", db, "activate", "--in", req, "--out", resp); code != 0 {
		t.Fatalf("activate the sample: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := rpctl(t, "portal", "--db", db, "license", "list", "--limit", "0", "--json"); code != 0 || strings.Count(out, `"key"`) != 50 {
		t.Errorf("license list: exit %d, %d licenses", code, strings.Count(out, `"key"`))
	}

	// an existing file is refused, and left alone
	before, _ := os.ReadFile(db)
	code, out, errs = rpctl(t, "portal", "demo", "--db", db)
	if code != 1 || !strings.Contains(errs, "demo_exists") || out != "" {
		t.Errorf("over an existing file: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if after, _ := os.ReadFile(db); string(after) != string(before) {
		t.Error("the existing database was changed")
	}
	if code, _, _ := rpctl(t, "portal", "demo", "--db", filepath.Join(dir, "x.db"), "extra"); code != 2 {
		t.Errorf("extra argument: exit %d, want 2", code)
	}

	// human output names the admin, the password and what to do with the sample
	code, out, errs = rpctl(t, "portal", "demo", "--db", filepath.Join(dir, "human.db"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"not for real customers", `password "demo-password"`, "admin      demo", "--sample-out", "activate --in"} {
		if !strings.Contains(out, want) {
			t.Errorf("human output lacks %q:\n%s", want, out)
		}
	}
	// only the databases and the files asked for: no key file anywhere
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "demo.db,demo.pub,human.db,req.txt,resp.txt" {
		t.Errorf("folder holds %v", names)
	}
	if ents, _ := os.ReadDir(os.Getenv("TMPDIR")); len(ents) != 0 {
		t.Errorf("temporary folder holds %d entries", len(ents))
	}
}

// Serve offers the demo on an empty database; stopping serve in the demo
// releases both databases.
func TestPortalServeDemo(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("RP_PASSWORD", "")
	db := filepath.Join(dir, "portal.db")
	rs := startServe(t, "portal", "serve", "--db", db, "--addr", "127.0.0.1:0")
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	r := servePost(t, browser, rs.info.URL, "demo.start", "{}")
	data, _ := r["data"].(map[string]any)
	if r["ok"] != true || data["demo"] != true || data["signed_in"] != true || data["admin"] != "demo" {
		t.Fatalf("demo.start: %v", r)
	}
	if r := servePost(t, browser, rs.info.URL, "demo.sample", "{}"); r["ok"] != true {
		t.Fatalf("demo.sample: %v", r)
	}
	if code := rs.stop(t); code != 0 {
		t.Fatalf("serve exit %d: %s", code, rs.stderr.String())
	}
	t.Setenv("RP_PASSWORD", "demo-password")
	if code, _, errs := rpctl(t, "portal", "--db", filepath.Join(dir, "portal-demo.db"), "license", "list", "--limit", "1"); code != 0 {
		t.Fatalf("demo database after serve stopped: exit %d %s", code, errs)
	}
	if code, _, errs := rpctl(t, "portal", "--db", db, "init", "--reseller", "Acme", "--admin", "alice"); code != 0 {
		t.Fatalf("real database after serve stopped: exit %d %s", code, errs)
	}
}
