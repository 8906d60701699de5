package webserve

import (
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, h *harness, path string, headers map[string]string) (*http.Response, string) {
	t.Helper()
	res := h.do(req{method: http.MethodGet, path: path, headers: headers})
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestStaticFiles(t *testing.T) {
	h := newHarness(t, nil)
	ui := testUI()
	for _, tc := range []struct {
		path, file, ctype, cache string
	}{
		{"/", "index.html", "text/html; charset=utf-8", "no-cache"},
		{"/index.html", "index.html", "text/html; charset=utf-8", "no-cache"},
		{"/assets/index-AbCd12_-.js", "assets/index-AbCd12_-.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/assets/index-Zz9YxW8v.css", "assets/index-Zz9YxW8v.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/favicon.ico", "favicon.ico", "image/x-icon", "no-cache"},
		{"/logo.svg", "logo.svg", "image/svg+xml", "no-cache"},
		// SPA fallback: client-side routes get index.html.
		{"/licenses", "index.html", "text/html; charset=utf-8", "no-cache"},
		{"/licenses/ABCD-1234/activations", "index.html", "text/html; charset=utf-8", "no-cache"},
		{"/assets", "index.html", "text/html; charset=utf-8", "no-cache"},
	} {
		res, body := get(t, h, tc.path, nil)
		if res.StatusCode != 200 || body != string(ui[tc.file].Data) {
			t.Errorf("%s: %d %q", tc.path, res.StatusCode, body)
			continue
		}
		if got := res.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: content type %q, want %q", tc.path, got, tc.ctype)
		}
		if got := res.Header.Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s: cache %q, want %q", tc.path, got, tc.cache)
		}
	}
	for _, p := range []string{"/.keep", "/assets/missing-12345678.js", "/robots.txt", "/assets/.hidden/x"} {
		if res, _ := get(t, h, p, nil); res.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}
}

func TestStaticValidatorsAndMethods(t *testing.T) {
	h := newHarness(t, nil)
	res, _ := get(t, h, "/assets/index-AbCd12_-.js", nil)
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if res, body := get(t, h, "/assets/index-AbCd12_-.js", map[string]string{"If-None-Match": etag}); res.StatusCode != 304 || body != "" {
		t.Fatalf("If-None-Match: %d %q", res.StatusCode, body)
	}
	if res, _ := get(t, h, "/", map[string]string{"If-None-Match": etag}); res.StatusCode != 200 {
		t.Fatalf("another file's ETag matched index.html: %d", res.StatusCode)
	}
	res = h.do(req{method: http.MethodHead, path: "/"})
	if b, _ := io.ReadAll(res.Body); res.StatusCode != 200 || len(b) != 0 {
		t.Fatalf("HEAD /: %d %q", res.StatusCode, b)
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		res := h.do(req{method: m, path: "/"})
		if res.StatusCode != 405 || res.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /: %d", m, res.StatusCode)
		}
	}
}

func TestUINotBuilt(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Static = fstest.MapFS{".keep": {Data: []byte("placeholder")}} })
	if h.srv.HasUI() {
		t.Fatal("HasUI without index.html")
	}
	res, body := get(t, h, "/", nil)
	if res.StatusCode != 503 || !strings.Contains(body, "not built") {
		t.Fatalf("GET / without a UI: %d %q", res.StatusCode, body)
	}
	if _, r := h.call("status", "", nil); !r.OK {
		t.Fatalf("the API needs no UI: %+v", r)
	}
	if !newHarness(t, nil).srv.HasUI() {
		t.Fatal("HasUI with index.html")
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	h := newHarness(t, nil)
	want := map[string]string{
		"Content-Security-Policy": ContentSecurityPolicy,
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Frame-Options":         "DENY",
	}
	for _, r := range []req{
		{method: http.MethodGet, path: "/"},
		{method: http.MethodGet, path: "/assets/index-AbCd12_-.js"},
		{method: http.MethodGet, path: "/nope.png"},
		{method: http.MethodGet, path: "/healthz"},
		{path: "/api/call/status", body: "{}"},
		{path: "/api/call/nope", body: "{}"},
		{path: "/api/call/status", headers: map[string]string{"Content-Type": "text/plain"}},
	} {
		res := h.do(r)
		for k, v := range want {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s %s: %s = %q, want %q", r.method, r.path, k, got, v)
			}
		}
	}
	for _, directive := range []string{"script-src 'self';", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
		if !strings.Contains(ContentSecurityPolicy, directive) {
			t.Errorf("CSP lacks %q", directive)
		}
	}
	if strings.Contains(ContentSecurityPolicy, "unsafe-eval") || strings.Contains(strings.Split(ContentSecurityPolicy, "style-src")[0], "unsafe-inline") {
		t.Error("CSP allows inline or eval'd script")
	}
	if res := h.do(req{path: "/api/call/status", body: "{}"}); res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("API reply cacheable: %q", res.Header.Get("Cache-Control"))
	}
}

func TestHealthz(t *testing.T) {
	h := newHarness(t, nil)
	res, body := get(t, h, "/healthz", nil)
	if res.StatusCode != 200 || body != "ok\n" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("healthz: %d %q", res.StatusCode, body)
	}
	if res := h.do(req{path: "/healthz"}); res.StatusCode != 405 {
		t.Fatalf("POST /healthz: %d", res.StatusCode)
	}
}

func TestAllowedHosts(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.AllowedHosts = []string{"localhost", "127.0.0.1", "::1", "Portal.Example.COM."} })
	for host, ok := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:8080": true, "LOCALHOST": true, "[::1]:8080": true,
		"portal.example.com": true, "portal.example.com.:443": true,
		"evil.example:8080": false, "127.0.0.2:8080": false, "localhost.evil.example": false,
	} {
		res := h.do(req{method: http.MethodGet, path: "/", headers: map[string]string{"Host": host}})
		hr := h.do(req{path: "/api/call/status", body: "{}", headers: map[string]string{"Host": host}})
		if ok && (res.StatusCode != 200 || hr.StatusCode != 200) {
			t.Errorf("host %q refused: %d %d", host, res.StatusCode, hr.StatusCode)
		}
		if !ok {
			if r := readReply(t, hr); hr.StatusCode != 421 || r.Code != "host_not_allowed" || res.StatusCode != 421 {
				t.Errorf("host %q: %d %d %+v", host, res.StatusCode, hr.StatusCode, r)
			}
		}
	}
}

// panicFS panics on every open, to show a panic outside the API is caught too.
type panicFS struct{}

func (panicFS) Open(string) (fs.File, error) { panic("disk on fire") }

func TestPanicInStaticIsRecovered(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Static = panicFS{} })
	res := h.do(req{method: http.MethodGet, path: "/"})
	if r := readReply(t, res); res.StatusCode != 500 || r.Code != "internal" {
		t.Fatalf("panic in static: %d %+v", res.StatusCode, r)
	}
}

func TestStaticGzip(t *testing.T) {
	h := newHarness(t, nil)
	const big = "/assets/vendor-Big0_123.js"
	want := testUI()["assets/vendor-Big0_123.js"].Data

	plain, body := get(t, h, big, nil)
	if plain.Header.Get("Content-Encoding") != "" || body != string(want) || plain.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("identity: %v %d bytes", plain.Header, len(body))
	}
	res, zbody := get(t, h, big, map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if res.Header.Get("Content-Encoding") != "gzip" || len(zbody) >= len(want)/4 {
		t.Fatalf("gzip: %v, %d bytes of %d", res.Header, len(zbody), len(want))
	}
	zr, err := gzip.NewReader(strings.NewReader(zbody))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); string(got) != string(want) {
		t.Fatal("gzip body does not decode to the file")
	}
	if res.Header.Get("ETag") == plain.Header.Get("ETag") || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("gzip validators: %v vs %v", res.Header, plain.Header)
	}
	if r304, _ := get(t, h, big, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": res.Header.Get("ETag")}); r304.StatusCode != 304 {
		t.Fatalf("gzip If-None-Match: %d", r304.StatusCode)
	}
	// Small files are never compressed.
	if res, _ := get(t, h, "/assets/index-AbCd12_-.js", map[string]string{"Accept-Encoding": "gzip"}); res.Header.Get("Content-Encoding") != "" {
		t.Fatal("a tiny file was gzipped")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "gzip, deflate, br": true, "br;q=1.0, gzip;q=0.5": true,
		"gzip;q=0": false, "gzip; q=0.000": false, "identity": false, "*": true, "*;q=0": false,
		"*;q=0, gzip": true, "gzip;q=0, *": false, "x-gzip": true, "gzip;q=abc": false, "deflate": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
