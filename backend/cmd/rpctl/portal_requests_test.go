package main

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

// customerBrowser invites a new user through the admin's HTTP session and
// redeems the code in a browser of its own: the customer's client.
func customerBrowser(t *testing.T, url string, admin *http.Client, email, key string) *http.Client {
	t.Helper()
	u := servePost(t, admin, url, "users.create", fmt.Sprintf(`{"name":"Ada","email":%q}`, email))
	if u["ok"] != true {
		t.Fatalf("users.create: %v", u)
	}
	id := u["data"].(map[string]any)["id"].(string)
	if r := servePost(t, admin, url, "licenses.assign", fmt.Sprintf(`{"key":%q,"user":%q}`, key, id)); r["ok"] != true {
		t.Fatalf("assign: %v", r)
	}
	inv := servePost(t, admin, url, "customers.invite", fmt.Sprintf(`{"user":%q}`, id))
	if inv["ok"] != true {
		t.Fatalf("invite: %v", inv)
	}
	code := inv["data"].(map[string]any)["code"].(string)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if r := servePost(t, c, url, "customers.redeem", fmt.Sprintf(`{"code":%q,"password":"ada's password"}`, code)); r["ok"] != true {
		t.Fatalf("redeem: %v", r)
	}
	return c
}

func adminBrowser(t *testing.T, url string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if r := servePost(t, c, url, "signin", `{"admin":"alice","password":"correct horse battery"}`); r["ok"] != true {
		t.Fatalf("signin: %v", r)
	}
	return c
}

func requestBody(t *testing.T, f *portalFixture, name, key string) string {
	t.Helper()
	machineRequest(t, f.file(name), key)
	b, _ := os.ReadFile(f.file(name))
	return fmt.Sprintf(`{"text":%q}`, b)
}

// TestServeCustomerSigning: approval mode queues a customer's request for
// `rpctl portal requests approve`; immediate mode signs at once only while
// serve runs with --unlock-customer-signing (the password from RP_PASSWORD,
// never argv), and is refused in words without it.
func TestServeCustomerSigning(t *testing.T) {
	f := newPortalFixture(t)
	// unlocking needs the immediate mode
	if code, _, errs := f.run(t, "serve", "--addr", "127.0.0.1:0", "--unlock-customer-signing"); code != 1 || !strings.Contains(errs, "invalid_signing_mode") {
		t.Fatalf("unlock in approval mode: %d %s", code, errs)
	}

	// approval: the request waits for an admin
	rs := startServe(t, "portal", "--db", f.db, "serve", "--addr", "127.0.0.1:0")
	admin := adminBrowser(t, rs.info.URL)
	ada := customerBrowser(t, rs.info.URL, admin, "ada@example.com", "P1")
	r := servePost(t, ada, rs.info.URL, "my.activate", requestBody(t, f, "m1.req", "P1"))
	if r["ok"] != true || r["data"].(map[string]any)["state"] != "pending" {
		t.Fatalf("approval mode: %v", r)
	}
	if code := rs.stop(t); code != 0 {
		t.Fatalf("serve exit %d", code)
	}
	if out := f.ok(t, "requests", "list"); !strings.Contains(out, "R1") || !strings.Contains(out, "1 waiting") {
		t.Fatalf("requests list: %s", out)
	}
	f.ok(t, "requests", "approve", "R1", "--out", f.file("m1.resp"))
	raw, _ := os.ReadFile(f.file("m1.resp"))
	doc, err := signdoc.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := signdoc.VerifyActivationResponse(doc, f.pub, time.Now()); err != nil {
		t.Fatalf("approved response: %v", err)
	}
	if code, _, errs := f.run(t, "requests", "reject", "R1", "--reason", "late"); code != 1 || !strings.Contains(errs, "request_decided") {
		t.Fatalf("reject decided: %d %s", code, errs)
	}
	if code, _, errs := f.run(t, "requests", "reject", "R1"); code != 2 || !strings.Contains(errs, "--reason") {
		t.Fatalf("reject without reason: %d %s", code, errs)
	}

	// immediate, locked: refused in words, nothing queued
	if out := f.ok(t, "signing", "mode", "immediate"); !strings.Contains(out, "immediate") {
		t.Fatalf("signing mode: %s", out)
	}
	rs = startServe(t, "portal", "--db", f.db, "serve", "--addr", "127.0.0.1:0")
	admin = adminBrowser(t, rs.info.URL)
	ada = customerBrowser(t, rs.info.URL, admin, "ada2@example.com", "P2")
	if r := servePost(t, ada, rs.info.URL, "my.activate", requestBody(t, f, "m2.req", "P2")); r["code"] != "customer_signing_locked" {
		t.Fatalf("locked: %v", r)
	}
	rs.stop(t)

	// immediate, unlocked at start: signed at once
	rs = startServe(t, "portal", "--db", f.db, "serve", "--addr", "127.0.0.1:0", "--unlock-customer-signing")
	if !strings.Contains(rs.stderr.String(), "customer signing unlocked") {
		t.Fatalf("stderr: %s", rs.stderr.String())
	}
	admin = adminBrowser(t, rs.info.URL)
	if st := servePost(t, admin, rs.info.URL, "signing.status", `{}`); st["data"].(map[string]any)["unlocked"] != true {
		t.Fatalf("status: %v", st)
	}
	ada = customerBrowser(t, rs.info.URL, admin, "ada3@example.com", "P3")
	r = servePost(t, ada, rs.info.URL, "my.activate", requestBody(t, f, "m3.req", "P3"))
	if r["ok"] != true || r["data"].(map[string]any)["state"] != "approved" || r["data"].(map[string]any)["response"] == nil {
		t.Fatalf("immediate: %v", r)
	}
	rs.stop(t)
	if out := f.ok(t, "requests", "list", "--state", "all"); strings.Count(out, "approved") != 2 {
		t.Fatalf("all requests: %s", out)
	}
}
