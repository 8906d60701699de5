package portal

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

const custPassword = "ada's own password"

// invite invites user and redeems the code: the customer's session.
func invite(t *testing.T, e *enrolled, user string) *Session {
	t.Helper()
	inv, err := e.p.InviteCustomer(e.s, user)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := e.p.RedeemInvitationFrom(LocalClient, inv.Code, custPassword)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestInvitationLifecycle(t *testing.T) {
	e := newEnrolled(t, 0)
	p := e.p
	if a, err := p.CustomerAccountOf(e.s, e.user.ID); err != nil || a.State != AccountNone || a.LastSignIn != nil {
		t.Fatalf("before invite: %+v %v", a, err)
	}
	inv, err := p.InviteCustomer(e.s, e.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^([0-9A-HJKMNP-TV-Z]{5}-){3}[0-9A-HJKMNP-TV-Z]{5}$`).MatchString(inv.Code) ||
		!inv.Expires.Equal(e.clock.Now().Add(7*24*time.Hour)) {
		t.Fatalf("invitation %+v", inv)
	}
	// the code is never stored, only its hash
	p.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				if strings.Contains(string(k)+string(v), strings.ReplaceAll(inv.Code, "-", "")) || strings.Contains(string(v), inv.Code) {
					t.Fatalf("code stored in the clear")
				}
				return nil
			})
		})
	})
	if a, _ := p.CustomerAccountOf(e.s, e.user.ID); a.State != AccountInvited || a.InvitationExpires == nil {
		t.Fatalf("invited: %+v", a)
	}
	// reissuing replaces the old code
	inv2, err := p.InviteCustomer(e.s, e.user.ID)
	if err != nil || inv2.Code == inv.Code {
		t.Fatal(err)
	}
	for _, bad := range []string{inv.Code, "", "nonsense", strings.Repeat("A", 20), strings.Repeat("x", 5000)} {
		unchanged(t, p, ErrInvitationInvalid, func() error {
			_, err := p.RedeemInvitationFrom(LocalClient, bad, custPassword)
			return err
		})
	}
	if _, err := p.RedeemInvitationFrom(LocalClient, inv2.Code, "short"); !errors.Is(err, ErrWeakPassword) {
		t.Fatalf("weak password: %v", err)
	}
	// lower case, O for 0, no dashes: still the code
	typed := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(inv2.Code, "-", ""), "0", "O"))
	cs, err := p.RedeemInvitationFrom(LocalClient, typed, custPassword)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Role() != RoleCustomer || cs.Admin() != "" {
		t.Fatalf("session role %q admin %q", cs.Role(), cs.Admin())
	}
	if _, err := cs.key(); err == nil {
		t.Fatal("a customer session holds a signing key")
	}
	st, _ := p.Status(cs)
	if !st.SignedIn || st.Role != RoleCustomer || st.Admin != "" || len(st.Admins) != 0 || st.Customer == nil ||
		st.Customer.User != e.user.ID || st.Customer.Email != "ada@example.com" || st.Customer.Manager {
		t.Fatalf("status %+v %+v", st, st.Customer)
	}
	if st, _ := p.Status(e.s); st.Role != RoleResellerAdmin || st.Customer != nil {
		t.Fatalf("admin status %+v", st)
	}
	// single use
	unchanged(t, p, ErrInvitationInvalid, func() error {
		_, err := p.RedeemInvitationFrom(LocalClient, inv2.Code, custPassword)
		return err
	})
	a, _ := p.CustomerAccountOf(e.s, e.user.ID)
	if a.State != AccountActive || a.LastSignIn == nil || a.Activated == nil || a.InvitationExpires != nil {
		t.Fatalf("active: %+v", a)
	}
	// expiry
	inv3, _ := p.InviteCustomer(e.s, e.user.ID)
	e.clock.Add(InvitationTTL)
	e.s, _ = p.SignIn("alice", testPassword) // idle since
	if a, _ := p.CustomerAccountOf(e.s, e.user.ID); a.State != AccountActive || a.InvitationExpires != nil {
		t.Fatalf("expired invitation of an active account: %+v", a)
	}
	unchanged(t, p, ErrInvitationInvalid, func() error {
		_, err := p.RedeemInvitationFrom(LocalClient, inv3.Code, custPassword)
		return err
	})
}

func TestInvitationExpiredState(t *testing.T) {
	e := newEnrolled(t, 0)
	if _, err := e.p.InviteCustomer(e.s, e.user.ID); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(InvitationTTL + time.Second)
	e.s, _ = e.p.SignIn("alice", testPassword)
	if a, _ := e.p.CustomerAccountOf(e.s, e.user.ID); a.State != AccountInvitationExpired {
		t.Fatalf("state %+v", a)
	}
	if _, err := e.p.InviteCustomer(e.s, "u99"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}

func TestCustomerSignInAndDisable(t *testing.T) {
	e := newEnrolled(t, 0)
	p := e.p
	cs := invite(t, e, e.user.ID)
	for _, c := range []struct{ email, pw string }{
		{"ada@example.com", "wrong password"}, {"nobody@example.com", custPassword}, {"nobody@example.com", testPassword},
		{"alice", testPassword}, // an admin's name and password are no customer's
	} {
		if _, err := p.CustomerSignInFrom(LocalClient, c.email, c.pw); !errors.Is(err, ErrWrongPassword) {
			t.Fatalf("%v: %v", c, err)
		}
	}
	s2, err := p.CustomerSignInFrom(LocalClient, " ADA@example.com ", custPassword)
	if err != nil || s2.Role() != RoleCustomer {
		t.Fatalf("sign in: %v", err)
	}
	if a, err := p.SetCustomerDisabled(e.s, e.user.ID, true); err != nil || a.State != AccountDisabled {
		t.Fatalf("disable: %+v %v", a, err)
	}
	for _, s := range []*Session{cs, s2} {
		if _, err := p.MyLicenses(s, 0, 0); !errors.Is(err, ErrNotSignedIn) {
			t.Fatalf("disabled account's session: %v", err)
		}
	}
	if _, err := p.CustomerSignInFrom(LocalClient, "ada@example.com", custPassword); !errors.Is(err, ErrCustomerDisabled) {
		t.Fatalf("disabled sign in: %v", err)
	}
	if _, err := p.CustomerSignInFrom(LocalClient, "ada@example.com", "wrong password"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("disabled, wrong password: %v", err)
	}
	if _, err := p.InviteCustomer(e.s, e.user.ID); !errors.Is(err, ErrCustomerDisabled) {
		t.Fatalf("invite disabled: %v", err)
	}
	if a, err := p.SetCustomerDisabled(e.s, e.user.ID, false); err != nil || a.State != AccountActive {
		t.Fatalf("enable: %+v %v", a, err)
	}
	s2, err = p.CustomerSignInFrom(LocalClient, "ada@example.com", custPassword)
	if err != nil {
		t.Fatalf("enabled sign in: %v", err)
	}
	u2, _ := p.CreateUser(e.s, UserInput{Name: "Bob", Email: "bob@example.com"})
	if _, err := p.SetCustomerDisabled(e.s, u2.ID, true); !errors.Is(err, ErrCustomerAcctMissing) {
		t.Fatalf("disable without account: %v", err)
	}
	// customer sessions may not run admin services
	if _, err := p.ListLicenses(s2, LicenseQuery{}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("customer ListLicenses: %v", err)
	}
	if _, err := p.InviteCustomer(s2, u2.ID); !errors.Is(err, ErrForbidden) {
		t.Fatalf("customer invites: %v", err)
	}
	if _, err := p.MyLicenses(e.s, 0, 0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("admin MyLicenses: %v", err)
	}
	// deleting the user ends the account and its sessions
	s3, _ := p.CustomerSignInFrom(LocalClient, "ada@example.com", custPassword)
	if err := p.DeleteUser(e.s, e.user.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := p.CheckCustomer(s3); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("deleted user's session: %v", err)
	}
	p.view(func(tx *bolt.Tx) error {
		if n := tx.Bucket(store.BucketCustAccounts).Stats().KeyN + tx.Bucket(store.BucketCustInvites).Stats().KeyN; n != 0 {
			t.Fatalf("%d account records left", n)
		}
		return nil
	})
	// audit: admin actions by the admin, the customer's by customer:u1
	pg, _ := p.QueryAudit(e.s, AuditQuery{Limit: 100})
	got := map[string]string{}
	for _, en := range pg.Entries {
		if strings.HasPrefix(en.Action, "customer.") {
			got[en.Action] = en.Actor
		}
	}
	want := map[string]string{"customer.invite": "alice", "customer.redeem": "customer:u1", "customer.signin": "customer:u1",
		"customer.disable": "alice", "customer.enable": "alice"}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("audit %s by %q, want %q (%v)", k, got[k], v, got)
		}
	}
}

func TestRedeemThrottled(t *testing.T) {
	e := newEnrolled(t, 0)
	inv, _ := e.p.InviteCustomer(e.s, e.user.ID)
	attacker := RemoteClient("192.0.2.7")
	for i := 0; i < LockAfterFailures; i++ {
		if _, err := e.p.RedeemInvitationFrom(attacker, "AAAAA-AAAAA-AAAAA-AAAAA", custPassword); !errors.Is(err, ErrInvitationInvalid) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if _, err := e.p.RedeemInvitationFrom(attacker, inv.Code, custPassword); !errors.Is(err, ErrAccountLocked) {
		t.Fatalf("locked client: %v", err)
	}
	if _, err := e.p.RedeemInvitationFrom(RemoteClient("198.51.100.1"), inv.Code, custPassword); err != nil {
		t.Fatalf("another client: %v", err)
	}
	for i := 0; i < LockAfterFailures; i++ {
		e.p.CustomerSignInFrom(RemoteClient("192.0.2.8"), "ada@example.com", "wrong password")
	}
	if _, err := e.p.CustomerSignInFrom(RemoteClient("192.0.2.8"), "ada@example.com", custPassword); !errors.Is(err, ErrAccountLocked) {
		t.Fatalf("customer sign-in throttled: %v", err)
	}
}

// myFixture: org o1 with users u1 (Ada, manager-to-be) and u2 (Bob); u3
// (Carol) alone. K1 -> u1, K2 -> u2, K3 -> o1, K4 -> u3; K5 unassigned.
func myFixture(t *testing.T) (e *enrolled, ada, bob, carol *Session) {
	t.Helper()
	e = newEnrolled(t, 5)
	p := e.p
	org, _ := p.CreateOrg(e.s, "Acme Org")
	o := org.ID
	if _, err := p.UpdateUser(e.s, e.user.ID, UserUpdate{Org: &o}); err != nil {
		t.Fatal(err)
	}
	bobU, _ := p.CreateUser(e.s, UserInput{Name: "Bob", Email: "bob@example.com", Org: o})
	carolU, _ := p.CreateUser(e.s, UserInput{Name: "Carol", Email: "carol@example.com"})
	for _, a := range []struct{ key, user, org string }{{"K1", e.user.ID, ""}, {"K2", bobU.ID, ""}, {"K3", "", o}, {"K4", carolU.ID, ""}} {
		if _, err := p.Assign(e.s, a.key, a.user, a.org); err != nil {
			t.Fatal(err)
		}
	}
	return e, invite(t, e, e.user.ID), invite(t, e, bobU.ID), invite(t, e, carolU.ID)
}

func myKeys(t *testing.T, p *Portal, s *Session) string {
	t.Helper()
	pg, err := p.MyLicenses(s, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, l := range pg.Items {
		keys = append(keys, l.Key)
	}
	return strings.Join(keys, ",")
}

func TestMyLicensesOwnership(t *testing.T) {
	e, ada, bob, carol := myFixture(t)
	p := e.p
	if got := myKeys(t, p, ada); got != "K1" {
		t.Fatalf("ada sees %s", got)
	}
	if got := myKeys(t, p, carol); got != "K4" {
		t.Fatalf("carol sees %s", got)
	}
	if _, err := p.SetCustomerManager(e.s, "u3", true); !errors.Is(err, ErrNotInOrg) {
		t.Fatalf("manager without org: %v", err)
	}
	if _, err := p.SetCustomerManager(e.s, e.user.ID, true); err != nil {
		t.Fatal(err)
	}
	if got := myKeys(t, p, ada); got != "K1,K2,K3" {
		t.Fatalf("manager ada sees %s", got)
	}
	if st, _ := p.Status(ada); !st.Customer.Manager || st.Customer.Org != "o1" {
		t.Fatalf("manager status %+v", st.Customer)
	}
	if got := myKeys(t, p, bob); got != "K2" {
		t.Fatalf("bob sees %s", got)
	}
	if pg, err := p.MyLicenses(ada, 1, 1); err != nil || len(pg.Items) != 1 || pg.Items[0].Key != "K2" || !pg.HasMore {
		t.Fatalf("page: %+v %v", pg, err)
	}
	// moving the manager out of the organization takes the flag away
	none := ""
	if _, err := p.UpdateUser(e.s, e.user.ID, UserUpdate{Org: &none}); err != nil {
		t.Fatal(err)
	}
	if a, _ := p.CustomerAccountOf(e.s, e.user.ID); a.Manager {
		t.Fatalf("still manager after leaving: %+v", a)
	}
	// and moving back does not give it back
	o1 := "o1"
	if _, err := p.UpdateUser(e.s, e.user.ID, UserUpdate{Org: &o1}); err != nil {
		t.Fatal(err)
	}
	if got := myKeys(t, p, ada); got != "K1" {
		t.Fatalf("moved ada sees %s", got)
	}
}

// TestMyLicenseRefusesOthers: each customer operation given another
// customer's license answers exactly as for a license that does not exist.
func TestMyLicenseRefusesOthers(t *testing.T) {
	e, ada, bob, carol := myFixture(t)
	p := e.p
	m := newMachine(t, "ada-pc")
	if _, err := p.Activate(e.s, m.request(t, "prod", "K1"), false); err != nil {
		t.Fatal(err)
	}
	d, err := p.MyLicense(ada, "k1")
	if err != nil || d.Key != "K1" || len(d.Activations) != 1 || d.Activations[0].Hostname != "host-ada-pc" || d.Assignee != "u1" {
		t.Fatalf("ada's K1: %+v %v", d, err)
	}
	for _, c := range []struct {
		who  string
		s    *Session
		keys []string
	}{
		{"ada", ada, []string{"K2", "K3", "K4", "K5", "NOPE"}},
		{"bob", bob, []string{"K1", "K3", "K4", "K5"}},
		{"carol", carol, []string{"K1", "K2", "K3", "K5"}},
	} {
		for _, k := range c.keys {
			_, err := p.MyLicense(c.s, k)
			if !errors.Is(err, ErrLicenseNotFound) || strings.Contains(err.Error(), "forbidden") {
				t.Fatalf("%s opens %s: %v", c.who, k, err)
			}
		}
	}
	if _, err := p.MyLicense(e.s, "K1"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("admin my.license: %v", err)
	}
	// a manager sees the org's license and a member's, not an outsider's
	p.SetCustomerManager(e.s, e.user.ID, true)
	for _, k := range []string{"K2", "K3"} {
		if _, err := p.MyLicense(ada, k); err != nil {
			t.Fatalf("manager %s: %v", k, err)
		}
	}
	if _, err := p.MyLicense(ada, "K4"); !errors.Is(err, ErrLicenseNotFound) {
		t.Fatalf("manager opens carol's: %v", err)
	}
	// after a license moves to another customer, the earlier holder's
	// machines are not shown to the new one
	if _, err := p.Deactivate(e.s, m.deactivation(t, d.Activations[0].ID, "prod", "K1")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Revoke(e.s, "K1"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Assign(e.s, "K1", "u3", ""); err != nil {
		t.Fatal(err)
	}
	if d, err := p.MyLicense(carol, "K1"); err != nil || len(d.Activations) != 0 {
		t.Fatalf("carol's new K1: %+v %v", d, err)
	}
	if _, err := p.MyLicense(ada, "K1"); !errors.Is(err, ErrLicenseNotFound) {
		t.Fatalf("ada after revoke: %v", err)
	}
}

// TestMigrateV3ToV4: a schema 3 file (no customer account buckets) opens as
// schema 4 with both buckets, empty.
func TestMigrateV3ToV4(t *testing.T) {
	e := newEnrolled(t, 0)
	e.p.update(func(tx *bolt.Tx) error {
		tx.DeleteBucket(store.BucketCustAccounts)
		tx.DeleteBucket(store.BucketCustInvites)
		return tx.Bucket(store.BucketMeta).Put(store.MetaSchema, store.U64(3))
	})
	path := e.p.Path()
	e.p.Close()
	p, err := Open(path, testOpts(e.clock)...)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if v, _ := p.db.Schema(); v != store.SchemaVersion {
		t.Fatalf("schema %d", v)
	}
	s, _ := p.SignIn("alice", testPassword)
	if _, err := p.InviteCustomer(s, "u1"); err != nil {
		t.Fatalf("invite after migration: %v", err)
	}
}

// TestChangeCustomerPassword: my.passwd checks the current password, keeps
// the caller signed in, ends the account's other sessions and is audited.
func TestChangeCustomerPassword(t *testing.T) {
	e := newEnrolled(t, 0)
	p := e.p
	cs := invite(t, e, e.user.ID)
	other, err := p.CustomerSignInFrom(LocalClient, "ada@example.com", custPassword)
	if err != nil {
		t.Fatal(err)
	}
	const newPw = "ada's new password"
	// wrong current password: refused, nothing changed, nobody signed out
	if err := p.ChangeCustomerPassword(cs, "wrong password", newPw); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong current: %v", err)
	}
	if err := p.ChangeCustomerPassword(cs, custPassword, "short"); !errors.Is(err, ErrWeakPassword) {
		t.Fatalf("short: %v", err)
	}
	if err := p.CheckCustomer(other); err != nil {
		t.Fatalf("other session after refusals: %v", err)
	}
	if _, err := p.CustomerSignInFrom(LocalClient, "ada@example.com", newPw); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("new password before the change: %v", err)
	}
	// admins and nobody may not
	if err := p.ChangeCustomerPassword(e.s, custPassword, newPw); !errors.Is(err, ErrForbidden) {
		t.Fatalf("admin: %v", err)
	}
	if err := p.ChangeCustomerPassword(nil, custPassword, newPw); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("anonymous: %v", err)
	}
	if err := p.ChangeCustomerPassword(cs, custPassword, newPw); err != nil {
		t.Fatal(err)
	}
	if err := p.CheckCustomer(cs); err != nil {
		t.Fatalf("caller's session: %v", err)
	}
	if err := p.CheckCustomer(other); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("other session: %v", err)
	}
	if _, err := p.CustomerSignInFrom(LocalClient, "ada@example.com", custPassword); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("old password: %v", err)
	}
	if _, err := p.CustomerSignInFrom(LocalClient, "ada@example.com", newPw); err != nil {
		t.Fatalf("new password: %v", err)
	}
	pg, _ := p.QueryAudit(e.s, AuditQuery{Limit: 100})
	n := 0
	for _, en := range pg.Entries {
		if en.Action == "customer.passwd" {
			n++
			if en.Actor != "customer:u1" || en.Object != "user:u1" {
				t.Fatalf("audit: %+v", en)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d customer.passwd entries", n)
	}
}
