package main

import (
	"encoding/base64"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"testing"
)

// serveSignedIn inits a portal, serves it and signs a browser in.
func serveSignedIn(t *testing.T, args ...string) (*runningServe, *http.Client, string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("RP_PASSWORD", "correct horse battery")
	db := filepath.Join(dir, "portal.db")
	if code, out, errs := rpctl(t, "portal", "--db", db, "init", "--reseller", "Acme Reselling", "--admin", "alice"); code != 0 {
		t.Fatalf("init: %d %s %s", code, out, errs)
	}
	t.Setenv("RP_PASSWORD", "")
	rs := startServe(t, append([]string{"portal", "serve", "--db", db, "--addr", "127.0.0.1:0"}, args...)...)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	if r := servePost(t, browser, rs.info.URL, "signin", `{"admin":"alice","password":"correct horse battery"}`); r["ok"] != true {
		t.Fatalf("signin: %v", r)
	}
	return rs, browser, db
}

// A.1: over HTTP no operation takes a path on the server's machine; backups
// are downloads and restores uploads.
func TestServeRefusesServerPaths(t *testing.T) {
	rs, browser, db := serveSignedIn(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "authorized_keys")
	for op, body := range map[string]string{
		"backup.create":    `{"path":"` + target + `","replace":true}`,
		"backup.create ":   `{"path":"/proc/self/root` + db + `","replace":true}`,
		"backup.restore":   `{"path":"` + db + `"}`,
		"activation.batch": `{"path":"/etc"}`,
	} {
		if r := servePost(t, browser, rs.info.URL, trimSpace(op), body); r["code"] != "path_not_allowed" {
			t.Errorf("%s over HTTP: %v", op, r)
		}
	}
	if _, err := os.Lstat(target); err == nil {
		t.Fatal("a backup was written on the server's machine")
	}
	r := servePost(t, browser, rs.info.URL, "backup.download", `{}`)
	data, _ := r["data"].(map[string]any)
	if r["ok"] != true || data["name"] == "" {
		t.Fatalf("backup.download: %v", r)
	}
	raw, err := base64.StdEncoding.DecodeString(data["data"].(string))
	if err != nil || len(raw) < 4096 {
		t.Fatalf("backup.download data: %d bytes, %v", len(raw), err)
	}
	if r := servePost(t, browser, rs.info.URL, "backup.upload", `{"data":"`+base64.StdEncoding.EncodeToString(raw)+`"}`); r["ok"] != true {
		t.Fatalf("backup.upload: %v", r)
	}
}

func trimSpace(s string) string {
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}
