package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/publisher"
	"github.com/resellerportal/portal/backend/signdoc"
)

// A bundle over signdoc.MaxDocumentSize (1 MiB) is imported whole: only
// `license import` reads up to signdoc.MaxBundleSize.
func TestPortalCLIImportBundleOver1MiB(t *testing.T) {
	f := newPortalFixture(t)
	const n = 10_000 // about 2.1 MB armored
	exp := time.Now().UTC().AddDate(1, 0, 0).Truncate(time.Second)
	feat := map[string]string{"edition": "professional", "seats": "25"}
	lics := make([]signdoc.License, n)
	for i := range lics {
		key, err := publisher.NewLicenseKey()
		if err != nil {
			t.Fatal(err)
		}
		lics[i] = signdoc.License{Key: key, Product: "prod", ActivationsAllowed: 3, Expires: &exp, Features: feat}
	}
	b, err := signdoc.SignBundle(f.priv, signdoc.Bundle{BundleID: "big", ResellerID: f.rid, IssuedAt: exp.AddDate(-1, 0, 0), Licenses: lics})
	if err != nil {
		t.Fatal(err)
	}
	data := b.Armor()
	if len(data) <= 2*signdoc.MaxDocumentSize { // more than any other document input reads
		t.Fatalf("bundle is %d bytes: the test needs one over %d", len(data), 2*signdoc.MaxDocumentSize)
	}
	path := f.file("big.bundle")
	os.WriteFile(path, data, 0o644)

	var res struct {
		Bundle   string `json:"bundle"`
		Licenses int    `json:"licenses"`
	}
	if err := json.Unmarshal([]byte(f.ok(t, "license", "import", path, "--json")), &res); err != nil {
		t.Fatal(err)
	}
	if res.Bundle != "big" || res.Licenses != n {
		t.Fatalf("import: %+v, want bundle big with %d licenses", res, n)
	}
	for _, l := range []signdoc.License{lics[0], lics[n/2], lics[n-1]} {
		if out := f.ok(t, "license", "list", "--search", l.Key, "--json"); !strings.Contains(out, l.Key) {
			t.Fatalf("license %s not listed after import:\n%s", l.Key, out)
		}
	}

	// Other documents stay capped at 1 MiB: the same file is no activation request.
	if code, _, errs := f.run(t, "activate", "--in", path, "--out", f.file("x")); code != 1 || !strings.Contains(errs, "larger than") && !strings.Contains(errs, "document_too_large") {
		t.Fatalf("activate --in <big bundle>: exit %d, %s", code, errs)
	}

	// An input over signdoc.MaxBundleSize is refused, and only read one
	// byte past the limit (the reader never ends).
	var stdout, stderr bytes.Buffer
	code := run([]string{"portal", "--db", f.db, "license", "import", "-"}, endless{}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "document_too_large") {
		t.Fatalf("license import - <endless input>: exit %d, %s", code, stderr.String())
	}
}

type endless struct{}

var endlessChunk = bytes.Repeat([]byte{'A'}, 64<<10)

func (endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], endlessChunk)
	}
	return n, nil
}
