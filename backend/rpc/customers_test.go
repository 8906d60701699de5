package rpc

import (
	"strings"
	"testing"

	"github.com/resellerportal/portal/backend/portal"
)

// customerSession sets up a portal, makes user email, invites and redeems it
// over the dispatcher: the admin's session and the customer's.
func customerSession(t *testing.T, s *Server, admin *Session, email string) *Session {
	t.Helper()
	r := call(t, s, admin, "users.create", portal.UserInput{Name: email, Email: email})
	if !r.OK {
		t.Fatalf("users.create: %+v", r)
	}
	r = call(t, s, admin, "customers.invite", UserParams{User: r.Data.(portal.User).ID})
	if !r.OK {
		t.Fatalf("customers.invite: %+v", r)
	}
	cust := NewSession()
	st := statusOf(t, call(t, s, cust, "customers.redeem", RedeemParams{Code: r.Data.(portal.Invitation).Code, Password: "customer password"}))
	if !st.SignedIn || st.Role != portal.RoleCustomer || st.Customer == nil || st.Customer.Email != email || st.Admin != "" {
		t.Fatalf("redeemed: %+v", st)
	}
	return cust
}

// TestCustomerForbiddenEverywhere: a signed-in customer calling any
// operation rpc.New registers that is neither public nor a customer
// operation gets forbidden — and an admin calling a customer operation too.
func TestCustomerForbiddenEverywhere(t *testing.T) {
	s, _ := newTestServer(t)
	admin := NewSession()
	statusOf(t, call(t, s, admin, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	cust := customerSession(t, s, admin, "ada@example.com")
	n := 0
	for _, name := range s.Ops() {
		switch {
		case s.Public(name):
			continue
		case s.Customer(name):
			if !strings.HasPrefix(name, "my.") {
				t.Errorf("customer op %s outside my.*", name)
			}
			if r := call(t, s, admin, name, nil); r.Code != "forbidden" {
				t.Errorf("admin calls %s: %+v", name, r)
			}
			if r := call(t, s, NewSession(), name, nil); r.Code != "not_signed_in" {
				t.Errorf("anonymous calls %s: %+v", name, r)
			}
			if r := call(t, s, cust, name, nil); r.Code == "forbidden" || r.Code == "not_signed_in" {
				t.Errorf("customer calls %s: %+v", name, r)
			}
			continue
		}
		n++
		if r := call(t, s, cust, name, nil); r.OK || r.Code != "forbidden" {
			t.Errorf("customer calls %s: %+v", name, r)
		}
		if r := call(t, s, cust, name, `{"bogus":1}`); r.OK || r.Code != "forbidden" {
			t.Errorf("customer calls %s with bad params: %+v", name, r)
		}
	}
	if n < 40 {
		t.Fatalf("only %d admin ops checked", n)
	}
	// still signed in as the customer after all that, and no admin names
	st := statusOf(t, call(t, s, cust, "status", nil))
	if !st.SignedIn || st.Role != portal.RoleCustomer || len(st.Admins) != 0 {
		t.Fatalf("customer status: %+v", st)
	}
	if st := statusOf(t, call(t, s, admin, "status", nil)); st.Role != portal.RoleResellerAdmin || st.Customer != nil {
		t.Fatalf("admin status: %+v", st)
	}
	// customers.signin by email; wrong password and unknown address alike
	for _, p := range []CustomerSignInParams{{Email: "ada@example.com", Password: "wrong one!"}, {Email: "x@example.com", Password: "customer password"}} {
		if r := call(t, s, NewSession(), "customers.signin", p); r.Code != "wrong_password" {
			t.Fatalf("signin %+v: %+v", p, r)
		}
	}
	if st := statusOf(t, call(t, s, NewSession(), "customers.signin", CustomerSignInParams{Email: "ada@example.com", Password: "customer password"})); st.Role != portal.RoleCustomer {
		t.Fatalf("customers.signin: %+v", st)
	}
	if r := call(t, s, NewSession(), "customers.redeem", RedeemParams{Code: "AAAAA-AAAAA-AAAAA-AAAAA", Password: "customer password"}); r.Code != "invitation_invalid" {
		t.Fatalf("bad code: %+v", r)
	}
}

// TestCustomerAccountOps: the admin's account operations over the dispatcher.
func TestCustomerAccountOps(t *testing.T) {
	s, _ := newTestServer(t)
	admin := NewSession()
	statusOf(t, call(t, s, admin, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	cust := customerSession(t, s, admin, "ada@example.com")
	r := call(t, s, admin, "customers.account", UserParams{User: "u1"})
	if a, ok := r.Data.(portal.CustomerAccount); !r.OK || !ok || a.State != portal.AccountActive || a.LastSignIn == nil {
		t.Fatalf("customers.account: %+v", r)
	}
	if r := call(t, s, admin, "customers.manager", ManagerParams{User: "u1", Manager: true}); r.Code != "not_in_organization" {
		t.Fatalf("manager without org: %+v", r)
	}
	if r := call(t, s, admin, "customers.disable", UserParams{User: "u1"}); !r.OK || r.Data.(portal.CustomerAccount).State != portal.AccountDisabled {
		t.Fatalf("disable: %+v", r)
	}
	if r := call(t, s, cust, "my.licenses", nil); r.Code != "not_signed_in" {
		t.Fatalf("disabled customer's session: %+v", r)
	}
	if r := call(t, s, NewSession(), "customers.signin", CustomerSignInParams{Email: "ada@example.com", Password: "customer password"}); r.Code != "customer_disabled" {
		t.Fatalf("disabled signin: %+v", r)
	}
	if r := call(t, s, admin, "customers.enable", UserParams{User: "u1"}); !r.OK || r.Data.(portal.CustomerAccount).State != portal.AccountActive {
		t.Fatalf("enable: %+v", r)
	}
	if r := call(t, s, admin, "customers.account", UserParams{User: "u9"}); r.Code != "user_not_found" {
		t.Fatalf("unknown user: %+v", r)
	}
}

// TestMyPasswd: my.passwd over the dispatcher.
func TestMyPasswd(t *testing.T) {
	s, _ := newTestServer(t)
	admin := NewSession()
	statusOf(t, call(t, s, admin, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	cust := customerSession(t, s, admin, "ada@example.com")
	other := NewSession()
	statusOf(t, call(t, s, other, "customers.signin", CustomerSignInParams{Email: "ada@example.com", Password: "customer password"}))
	if r := call(t, s, cust, "my.passwd", MyPasswdParams{Password: "wrong one!", NewPassword: "brand new pw"}); r.Code != "wrong_password" {
		t.Fatalf("wrong current: %+v", r)
	}
	if r := call(t, s, admin, "my.passwd", MyPasswdParams{Password: "long enough pw", NewPassword: "brand new pw"}); r.Code != "forbidden" {
		t.Fatalf("admin: %+v", r)
	}
	if r := call(t, s, NewSession(), "my.passwd", MyPasswdParams{Password: "customer password", NewPassword: "brand new pw"}); r.Code != "not_signed_in" {
		t.Fatalf("anonymous: %+v", r)
	}
	if r := call(t, s, other, "my.licenses", nil); !r.OK {
		t.Fatalf("other session after refusals: %+v", r)
	}
	if r := call(t, s, cust, "my.passwd", MyPasswdParams{Password: "customer password", NewPassword: "brand new pw"}); !r.OK {
		t.Fatalf("my.passwd: %+v", r)
	}
	if r := call(t, s, cust, "my.licenses", nil); !r.OK {
		t.Fatalf("caller after change: %+v", r)
	}
	if r := call(t, s, other, "my.licenses", nil); r.Code != "not_signed_in" {
		t.Fatalf("other session after change: %+v", r)
	}
	if r := call(t, s, NewSession(), "customers.signin", CustomerSignInParams{Email: "ada@example.com", Password: "customer password"}); r.Code != "wrong_password" {
		t.Fatalf("old password: %+v", r)
	}
	statusOf(t, call(t, s, NewSession(), "customers.signin", CustomerSignInParams{Email: "ada@example.com", Password: "brand new pw"}))
}
