package webserve

import (
	"encoding/json"
	"testing"
)

// A customer signs in over HTTP (customers.redeem, then customers.signin)
// with a fresh cookie each time; the admin operations answer 403 forbidden
// to that cookie, and the session stays.
func TestCustomerHTTPSession(t *testing.T) {
	h := newHarness(t, nil)
	admin := h.setup()
	if _, r := h.call("users.create", `{"name":"Ada","email":"ada@example.com","org":""}`, admin); !r.OK {
		t.Fatalf("users.create: %+v", r)
	}
	_, r := h.call("customers.invite", `{"user":"u1"}`, admin)
	var inv struct{ Code string }
	if !r.OK || json.Unmarshal(r.Data, &inv) != nil || inv.Code == "" {
		t.Fatalf("invite: %+v", r)
	}
	res, r := h.call("customers.redeem", `{"code":"`+inv.Code+`","password":"customer password"}`, nil)
	if !r.OK || statusData(t, r).Role != "customer" {
		t.Fatalf("redeem: %+v", r)
	}
	cust := sessionCookieOf(t, res)
	for _, op := range []string{"licenses.list", "users.list", "admins.list", "audit.list", "settings.get", "backup.download", "customers.invite"} {
		if res, r := h.call(op, `{}`, cust); res.StatusCode != 403 || r.Code != "forbidden" {
			t.Fatalf("%s as customer: %d %+v", op, res.StatusCode, r)
		}
	}
	if res, r := h.call("my.licenses", `{}`, cust); res.StatusCode != 200 || !r.OK {
		t.Fatalf("my.licenses: %d %+v", res.StatusCode, r)
	}
	if res, r := h.call("my.license", `{"key":"NOPE"}`, cust); res.StatusCode != 404 || r.Code != "license_not_found" {
		t.Fatalf("my.license: %d %+v", res.StatusCode, r)
	}
	res, r = h.call("customers.signin", `{"email":"ada@example.com","password":"customer password"}`, cust)
	if !r.OK || sessionCookieOf(t, res).Value == cust.Value {
		t.Fatalf("customers.signin: %+v (cookie must rotate)", r)
	}
	if _, r := h.call("my.licenses", `{}`, cust); r.Code != "not_signed_in" {
		t.Fatalf("old cookie after a new sign-in: %+v", r)
	}
}
