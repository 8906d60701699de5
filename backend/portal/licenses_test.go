package portal

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestListLicensesFilters(t *testing.T) {
	e := newEnrolled(t, 0)
	p, s := e.p, e.s
	soon := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	later := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b, c, d := lic("AAA-1", "prod", 1), lic("AAB-2", "prod", 1), lic("BBB-3", "other", 1), lic("CCC-4", "prod", 1)
	a.Expires, b.Expires = &later, &soon
	if _, err := p.ImportBundle(s, e.pub.bundle(t, e.rid, "b", a, b, c, d)); err != nil {
		t.Fatal(err)
	}
	p.Assign(s, "AAB-2", e.user.ID, "")
	p.Assign(s, "CCC-4", e.user.ID, "")
	keys := func(q LicenseQuery) string {
		t.Helper()
		page, err := p.ListLicenses(s, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		var ks []string
		for _, l := range page.Items {
			ks = append(ks, l.Key)
		}
		if page.HasMore {
			ks = append(ks, "+")
		}
		return strings.Join(ks, ",")
	}
	for _, tc := range []struct {
		q    LicenseQuery
		want string
	}{
		{LicenseQuery{}, "AAA-1,AAB-2,BBB-3,CCC-4"},
		{LicenseQuery{Limit: 2}, "AAA-1,AAB-2,+"},
		{LicenseQuery{Limit: 2, Offset: 2}, "BBB-3,CCC-4"},
		{LicenseQuery{Search: "aa"}, "AAA-1,AAB-2"},
		{LicenseQuery{Search: "AAB"}, "AAB-2"},
		{LicenseQuery{Search: "lovelace"}, "AAB-2,CCC-4"},
		{LicenseQuery{Search: "ada@"}, "AAB-2,CCC-4"},
		{LicenseQuery{Search: "oth"}, "BBB-3"},
		{LicenseQuery{Search: "zzz"}, ""},
		{LicenseQuery{Status: StatusAssigned}, "AAB-2,CCC-4"},
		{LicenseQuery{Status: StatusAvailable}, "AAA-1,BBB-3"},
		{LicenseQuery{Product: "prod"}, "AAA-1,AAB-2,CCC-4"},
		{LicenseQuery{Sort: "expires"}, "AAB-2,AAA-1,BBB-3,CCC-4"},
		{LicenseQuery{Customer: e.user.ID}, "AAB-2,CCC-4"},
		{LicenseQuery{Customer: e.user.ID, Search: "C"}, "CCC-4"},
	} {
		if got := keys(tc.q); got != tc.want {
			t.Errorf("%+v = %q, want %q", tc.q, got, tc.want)
		}
	}
	e.clock.Add(15 * 24 * time.Hour)
	s, _ = p.SignIn("alice", testPassword)
	if got := keys(LicenseQuery{Status: StatusExpired}); got != "AAB-2" {
		t.Errorf("expired = %q", got)
	}
	if got := keys(LicenseQuery{Status: StatusAssigned}); got != "CCC-4" {
		t.Errorf("assigned after expiry = %q", got)
	}
	for _, q := range []LicenseQuery{{Status: "sold"}, {Sort: "name"}, {Limit: -1}, {Search: strings.Repeat("x", 300)}, {Customer: "nobody"}} {
		if _, err := p.ListLicenses(s, q); err == nil {
			t.Errorf("query %+v accepted", q)
		}
	}
	if _, err := p.ListLicenses(s, LicenseQuery{Customer: "u99"}); !errors.Is(err, ErrUserNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
}
