package main

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/publisher"
	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/webserve"
)

// TestPortalServeImport100k imports ONE bundle of publisher.MaxBundleLicenses
// (100,000) licenses, about 17 MB armored — over the 8 MiB body limit of
// every other operation — through serve mode's HTTP API, and reads the
// count back from the dashboard.
func TestPortalServeImport100k(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 100,000 licenses")
	}
	f := newPortalFixture(t)
	exp := time.Now().UTC().AddDate(1, 0, 0).Truncate(time.Second)
	lics := make([]signdoc.License, publisher.MaxBundleLicenses)
	for i := range lics {
		key, err := publisher.NewLicenseKey()
		if err != nil {
			t.Fatal(err)
		}
		lics[i] = signdoc.License{Key: key, Product: "prod", ActivationsAllowed: 3, Expires: &exp}
	}
	b, err := signdoc.SignBundle(f.priv, signdoc.Bundle{BundleID: "big", ResellerID: f.rid, IssuedAt: exp.AddDate(-1, 0, 0), Licenses: lics})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"text": string(b.Armor())})
	if len(body) <= webserve.DefaultMaxBody || len(body) > webserve.MaxImportBody {
		t.Fatalf("body of %d bytes: the test needs one between %d and %d", len(body), webserve.DefaultMaxBody, webserve.MaxImportBody)
	}

	t.Setenv("RP_PASSWORD", "")
	rs := startServe(t, "portal", "serve", "--db", f.db, "--addr", "127.0.0.1:0")
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	if r := servePost(t, browser, rs.info.URL, "signin", `{"admin":"alice","password":"correct horse battery"}`); r["ok"] != true {
		t.Fatalf("signin: %v", r)
	}
	start := time.Now()
	r := servePost(t, browser, rs.info.URL, "licenses.import", string(body))
	took := time.Since(start)
	data, _ := r["data"].(map[string]any)
	if r["ok"] != true || data["licenses"] != float64(len(lics)) {
		t.Fatalf("import of %d bytes: %v", len(body), r)
	}
	t.Logf("imported %d licenses (%.1f MiB body) over HTTP in %v", len(lics), float64(len(body))/(1<<20), took)
	r = servePost(t, browser, rs.info.URL, "dashboard", "{}")
	data, _ = r["data"].(map[string]any)
	counts, _ := data["licenses"].(map[string]any)
	if r["ok"] != true || counts["total"] != float64(len(lics)+3) || counts["available"] != float64(len(lics)+3) {
		t.Fatalf("dashboard after import: %v", r)
	}
	// the same body is too large for any other operation
	if r := servePost(t, browser, rs.info.URL, "activation.preview", string(body)); r["code"] != "request_too_large" {
		t.Fatalf("preview with the bundle's body: %v", r["code"])
	}
}
