package portal

import (
	"strings"
	"testing"
)

func strp(s string) *string { return &s }

func TestCustomersCRUD(t *testing.T) {
	e := newEnrolled(t, 3)
	p, s := e.p, e.s
	org, err := p.CreateOrg(s, "Analytical Engines Ltd")
	if err != nil || org.ID != "o1" {
		t.Fatalf("org = %+v, %v", org, err)
	}
	bob, err := p.CreateUser(s, UserInput{Name: "Bob Babbage", Email: "Bob@Example.com", Org: org.ID})
	if err != nil || bob.Email != "bob@example.com" || bob.Org != "o1" || bob.OrgName != org.Name {
		t.Fatalf("user = %+v, %v", bob, err)
	}
	for _, tc := range []struct {
		name string
		in   UserInput
		want error
	}{
		{"duplicate email", UserInput{Name: "X", Email: "ADA@example.com"}, ErrEmailTaken},
		{"bad email", UserInput{Name: "X", Email: "not-an-email"}, ErrInvalidEmail},
		{"display name email", UserInput{Name: "X", Email: "X <x@example.com>"}, ErrInvalidEmail},
		{"no domain dot", UserInput{Name: "X", Email: "x@localhost"}, ErrInvalidEmail},
		{"empty name", UserInput{Name: "  ", Email: "x@example.com"}, ErrInvalidName},
		{"long name", UserInput{Name: strings.Repeat("n", 201), Email: "x@example.com"}, ErrInvalidName},
		{"control char", UserInput{Name: "Eve\x1b[31m", Email: "x@example.com"}, ErrInvalidName},
		{"unknown org", UserInput{Name: "X", Email: "x@example.com", Org: "o99"}, ErrOrgNotFound},
		{"user id as org", UserInput{Name: "X", Email: "x@example.com", Org: "u1"}, ErrInvalidID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unchanged(t, p, tc.want, func() error { _, err := p.CreateUser(s, tc.in); return err })
		})
	}
	unchanged(t, p, ErrEmailTaken, func() error {
		_, err := p.UpdateUser(s, bob.ID, UserUpdate{Email: strp("ada@example.com")})
		return err
	})
	unchanged(t, p, ErrUserNotFound, func() error { _, err := p.UpdateUser(s, "u99", UserUpdate{Name: strp("x")}); return err })
	unchanged(t, p, ErrInvalidID, func() error { _, err := p.UpdateUser(s, "zzz", UserUpdate{Name: strp("x")}); return err })
	unchanged(t, p, ErrInvalidName, func() error { _, err := p.UpdateOrg(s, org.ID, ""); return err })
	unchanged(t, p, ErrOrgNotFound, func() error { return p.DeleteOrg(s, "o42", false) })
	unchanged(t, p, ErrOrgHasUsers, func() error { return p.DeleteOrg(s, org.ID, false) })

	up, err := p.UpdateUser(s, bob.ID, UserUpdate{Name: strp("Robert Babbage"), Org: strp("")})
	if err != nil || up.Name != "Robert Babbage" || up.Org != "" {
		t.Fatalf("update = %+v, %v", up, err)
	}
	// search by the new name works, the old one no longer does
	if _, err := p.Assign(s, "K2", bob.ID, ""); err != nil {
		t.Fatal(err)
	}
	page, _ := p.ListLicenses(s, LicenseQuery{Search: "robert"})
	if len(page.Items) != 1 || page.Items[0].Key != "K2" {
		t.Fatalf("search robert = %+v", page.Items)
	}
	if page, _ = p.ListLicenses(s, LicenseQuery{Search: "bob"}); len(page.Items) != 1 {
		t.Fatalf("search bob (email prefix) = %+v", page.Items)
	}
	// delete with licenses: refused, then with revoke
	unchanged(t, p, ErrCustomerHasLicenses, func() error { return p.DeleteUser(s, bob.ID, false) })
	if err := p.DeleteUser(s, bob.ID, true); err != nil {
		t.Fatal(err)
	}
	l, _ := p.GetLicense(s, "K2")
	if l.Assignee != nil || l.Status != StatusAvailable || len(l.History) != 2 {
		t.Fatalf("license after delete = %+v", l)
	}
	// the email is free again; the org can go now
	if _, err := p.CreateUser(s, UserInput{Name: "Bob 2", Email: "bob@example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := p.DeleteOrg(s, org.ID, false); err != nil {
		t.Fatal(err)
	}
	if found, _ := p.QueryUsers(s, UserQuery{Search: "bob"}); len(found) != 1 || found[0].Name != "Bob 2" {
		t.Fatalf("search bob = %+v", found)
	}
	if found, _ := p.QueryUsers(s, UserQuery{Search: "LOVE"}); len(found) != 1 || found[0].Email != "ada@example.com" {
		t.Fatalf("search love = %+v", found)
	}
	if page, _ := p.QueryUsers(s, UserQuery{Offset: 1, Limit: 1}); len(page) != 1 || page[0].Name != "Bob 2" {
		t.Fatalf("page = %+v", page)
	}
	users, _ := p.ListUsers(s, "")
	orgs, _ := p.ListOrgs(s)
	if len(users) != 2 || len(orgs) != 0 {
		t.Fatalf("users %d orgs %d", len(users), len(orgs))
	}
}

func TestAssignRevoke(t *testing.T) {
	e := newEnrolled(t, 3)
	p, s := e.p, e.s
	org, _ := p.CreateOrg(s, "Org")
	unchanged(t, p, ErrLicenseNotFound, func() error { _, err := p.Assign(s, "NOPE", e.user.ID, ""); return err })
	unchanged(t, p, ErrUserNotFound, func() error { _, err := p.Assign(s, "K1", "u77", ""); return err })
	unchanged(t, p, ErrInvalidInput, func() error { _, err := p.Assign(s, "K1", "", ""); return err })
	unchanged(t, p, ErrInvalidInput, func() error { _, err := p.Assign(s, "K1", e.user.ID, org.ID); return err })
	unchanged(t, p, ErrLicenseNotAssigned, func() error { _, err := p.Revoke(s, "K1"); return err })
	if l, err := p.Assign(s, "k1", "", org.ID); err != nil || *l.Assignee != "o1" || l.Status != StatusAssigned {
		t.Fatalf("assign to org = %+v, %v", l, err)
	}
	unchangedOK(t, p, func() error { _, err := p.Assign(s, "K1", "", org.ID); return err })
	unchanged(t, p, ErrLicenseAssigned, func() error { _, err := p.Assign(s, "K1", e.user.ID, ""); return err })
	unchanged(t, p, ErrCustomerHasLicenses, func() error { return p.DeleteOrg(s, org.ID, false) })
	// a license with a live activation cannot be revoked
	if _, err := p.Activate(s, newMachine(t, "m").request(t, "prod", "K1"), false); err != nil {
		t.Fatal(err)
	}
	unchanged(t, p, ErrLicenseActive, func() error { _, err := p.Revoke(s, "K1"); return err })
	unchanged(t, p, ErrLicenseActive, func() error { return p.DeleteOrg(s, org.ID, true) })
	page, _ := p.ListLicenses(s, LicenseQuery{Customer: org.ID})
	if len(page.Items) != 1 || page.Items[0].Status != StatusActive || page.Items[0].AssigneeName != "Org" {
		t.Fatalf("by customer = %+v", page.Items)
	}
}

func TestServicesNeedSession(t *testing.T) {
	e := newEnrolled(t, 1)
	p := e.p
	dead := &Session{}
	dead.Lock()
	for name, fn := range map[string]func(s *Session) error{
		"CreateUser":   func(s *Session) error { _, err := p.CreateUser(s, UserInput{Name: "A", Email: "a@b.co"}); return err },
		"CreateOrg":    func(s *Session) error { _, err := p.CreateOrg(s, "A"); return err },
		"Assign":       func(s *Session) error { _, err := p.Assign(s, "K1", "u1", ""); return err },
		"ListLicenses": func(s *Session) error { _, err := p.ListLicenses(s, LicenseQuery{}); return err },
		"Activate":     func(s *Session) error { _, err := p.Activate(s, nil, false); return err },
		"AddAdmin":     func(s *Session) error { _, err := p.AddAdmin(s, testPassword, "x", testPassword); return err },
		"Admins":       func(s *Session) error { _, err := p.Admins(s); return err },
		"VerifyAudit":  func(s *Session) error { _, err := p.VerifyAudit(s); return err },
		"Report":       func(s *Session) error { _, err := p.Report(s); return err },
		"Backup":       func(s *Session) error { _, err := p.Backup(s, "x", false); return err },
		"GetSettings":  func(s *Session) error { _, err := p.GetSettings(s); return err },
	} {
		for _, s := range []*Session{nil, dead} {
			unchanged(t, p, ErrNotSignedIn, func() error { return fn(s) })
		}
		_ = name
	}
}
