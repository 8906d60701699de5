package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// notifyBuffer is an output sink that signals when its first write arrives.
type notifyBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	first chan struct{}
	once  sync.Once
}

func newNotifyBuffer() *notifyBuffer { return &notifyBuffer{first: make(chan struct{})} }

func (n *notifyBuffer) Write(p []byte) (int, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	defer n.once.Do(func() { close(n.first) })
	return n.b.Write(p)
}

func (n *notifyBuffer) String() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.b.String()
}

// runningServe is `rpctl portal serve` running in-process.
type runningServe struct {
	info           serveInfo
	stdout, stderr *notifyBuffer
	cancel         context.CancelFunc
	done           chan int
}

// startServe runs serve with args in the background and waits for its
// --json announcement (or its early exit).
func startServe(t *testing.T, args ...string) *runningServe {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	old := serveContext
	serveContext = func() context.Context { return ctx }
	t.Cleanup(func() { serveContext = old })
	rs := &runningServe{stdout: newNotifyBuffer(), stderr: newNotifyBuffer(), cancel: cancel, done: make(chan int, 1)}
	go func() { rs.done <- run(append(args, "--json"), bytes.NewReader(nil), rs.stdout, rs.stderr) }()
	select {
	case <-rs.stdout.first:
	case code := <-rs.done:
		cancel()
		t.Fatalf("serve exited with %d before listening: %s", code, rs.stderr.String())
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve did not announce itself")
	}
	if err := json.Unmarshal([]byte(rs.stdout.String()), &rs.info); err != nil {
		t.Fatalf("announcement %q: %v", rs.stdout.String(), err)
	}
	t.Cleanup(func() { rs.stop(t) })
	return rs
}

// stop ends serve (as SIGINT would) and returns its exit code.
func (rs *runningServe) stop(t *testing.T) int {
	t.Helper()
	rs.cancel()
	select {
	case code := <-rs.done:
		rs.done <- code
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
		return -1
	}
}

func servePost(t *testing.T, c *http.Client, url, op, body string) map[string]any {
	t.Helper()
	res, err := c.Post(url+"api/call/"+op, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r map[string]any
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return r
}

func TestPortalServeUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	for _, args := range [][]string{
		{"serve", "extra"},
		{"serve", "--addr", "no-port"},
		{"serve", "--tls-cert", "c.pem"},
		{"serve", "--max-sessions", "0"},
		{"serve", "--idle", "1ms"},
		{"serve", "--no-such-flag"},
	} {
		if code, _, errs := rpctl(t, append([]string{"portal", "--db", db}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
	if code, out, _ := rpctl(t, "portal", "serve", "--help"); code != 0 || !strings.Contains(out, "rpctl portal serve") || !strings.Contains(out, "--addr") {
		t.Fatalf("serve --help: %d %q", code, out)
	}
}

func TestPortalServeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("RP_PASSWORD", "correct horse battery")
	db := filepath.Join(dir, "portal.db")
	if code, out, errs := rpctl(t, "portal", "--db", db, "init", "--reseller", "Acme Reselling", "--admin", "alice"); code != 0 {
		t.Fatalf("init: %d %s %s", code, out, errs)
	}
	t.Setenv("RP_PASSWORD", "") // serve needs no password
	rs := startServe(t, "portal", "serve", "--db", db, "--addr", "127.0.0.1:0")
	if !rs.info.Loopback || rs.info.DB != db || !strings.HasPrefix(rs.info.URL, "http://127.0.0.1:") {
		t.Fatalf("announcement: %+v", rs.info)
	}
	if strings.Contains(rs.stderr.String(), "not a loopback") {
		t.Fatalf("loopback serve warned: %s", rs.stderr.String())
	}

	res, err := http.Get(rs.info.URL + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(b) != "ok\n" {
		t.Fatalf("healthz: %d %q", res.StatusCode, b)
	}

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	st := servePost(t, browser, rs.info.URL, "status", "{}")
	data, _ := st["data"].(map[string]any)
	if st["ok"] != true || data["reseller_name"] != "Acme Reselling" || data["signed_in"] != false {
		t.Fatalf("status: %v", st)
	}
	if r := servePost(t, browser, rs.info.URL, "admins.list", "{}"); r["code"] != "not_signed_in" {
		t.Fatalf("admins.list signed out: %v", r)
	}
	if r := servePost(t, browser, rs.info.URL, "signin", `{"admin":"alice","password":"correct horse battery"}`); r["ok"] != true {
		t.Fatalf("signin: %v", r)
	}
	if r := servePost(t, browser, rs.info.URL, "admins.list", "{}"); r["ok"] != true {
		t.Fatalf("admins.list signed in: %v", r)
	}

	// While serve holds the database, other openers are told it is in use.
	t.Setenv("RP_PASSWORD", "correct horse battery")
	start := time.Now()
	code, _, errs := rpctl(t, "portal", "--db", db, "license", "list")
	if code != 1 || !strings.Contains(errs, "database is in use") {
		t.Fatalf("second opener: exit %d %q", code, errs)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("second opener waited %v", d)
	}
	if code, _, errs := rpctl(t, "portal", "--db", db, "serve", "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(errs, "database is in use") {
		t.Fatalf("second serve: exit %d %q", code, errs)
	}

	if code := rs.stop(t); code != 0 {
		t.Fatalf("serve exit %d: %s", code, rs.stderr.String())
	}
	if _, err := http.Get(rs.info.URL + "healthz"); err == nil {
		t.Fatal("still listening after stop")
	}
	if code, out, errs := rpctl(t, "portal", "--db", db, "license", "list"); code != 0 {
		t.Fatalf("database not released after stop: %d %s %s", code, out, errs)
	}
}

func TestPortalServeDefaultDBAndWarnings(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("APPDATA", filepath.Join(dir, "config"))
	rs := startServe(t, "portal", "serve", "--addr", "0.0.0.0:0")
	if !strings.HasPrefix(rs.info.DB, dir) {
		t.Fatalf("default database %q is not under the temp config dir %q", rs.info.DB, dir)
	}
	if rs.info.Loopback || !strings.Contains(rs.stderr.String(), "not a loopback address") {
		t.Fatalf("no warning on 0.0.0.0: %+v %q", rs.info, rs.stderr.String())
	}
	if code := rs.stop(t); code != 0 {
		t.Fatalf("serve exit %d: %s", code, rs.stderr.String())
	}
}

func TestServeAllowedHosts(t *testing.T) {
	// A.6: never "any host", even off loopback without --allow-host
	h := serveAllowedHosts(false, nil, "portal.example.net")
	if len(h) < 4 || !slices.Contains(h, "portal.example.net") || slices.Contains(h, "rebind.attacker.example") {
		t.Fatalf("non-loopback without --allow-host: %v", h)
	}
	h = serveAllowedHosts(true, []string{"portal.example.com"}, "")
	if strings.Join(h, ",") != "localhost,127.0.0.1,::1,portal.example.com" {
		t.Fatalf("loopback: %v", h)
	}
	for host, want := range map[string]bool{"127.0.0.1": true, "::1": true, "localhost": true, "LocalHost": true, "0.0.0.0": false, "192.168.1.2": false, "": false} {
		if got := isLoopbackHost(host); got != want {
			t.Errorf("isLoopbackHost(%q) = %v", host, got)
		}
	}
}

// writeTestCert writes a self-signed certificate for 127.0.0.1 and its key.
func writeTestCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(priv)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

func TestPortalServeTLS(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	db := filepath.Join(dir, "portal.db")
	certFile, keyFile := writeTestCert(t, dir)

	// An unreadable key pair is refused before anything listens.
	if code, out, errs := rpctl(t, "portal", "--db", db, "serve", "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", certFile); code != 1 || out != "" || !strings.Contains(errs, "--tls-cert") {
		t.Fatalf("bad key: exit %d %q %q", code, out, errs)
	}

	rs := startServe(t, "portal", "serve", "--db", db, "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(rs.info.URL, "https://127.0.0.1:") {
		t.Fatalf("url: %s", rs.info.URL)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	res, err := client.Post(rs.info.URL+"api/call/setup", "application/json",
		strings.NewReader(`{"reseller":"Acme","admin":"alice","password":"correct horse battery"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var session *http.Cookie
	for _, c := range res.Cookies() {
		session = c
	}
	if res.StatusCode != 200 || session == nil || session.Name != "__Host-rp_session" || !session.Secure || !session.HttpOnly {
		t.Fatalf("setup over TLS: %d cookie %+v", res.StatusCode, session)
	}
	if code := rs.stop(t); code != 0 {
		t.Fatalf("exit %d: %s", code, rs.stderr.String())
	}
}

func TestPortalServePortTaken(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "portal.db")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, out, errs := rpctl(t, "portal", "--db", db, "serve", "--addr", ln.Addr().String())
	if code != 1 || out != "" || !strings.Contains(errs, "address already in use") {
		t.Fatalf("port taken: exit %d %q %q", code, out, errs)
	}
	// The database was released on the way out.
	rs := startServe(t, "portal", "serve", "--db", db, "--addr", "127.0.0.1:0")
	rs.stop(t)
}
