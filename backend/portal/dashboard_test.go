package portal

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// TestDashboardNextStep walks a new portal through its first steps.
func TestDashboardNextStep(t *testing.T) {
	p, s, clock := newSetupDB(t)
	step := func(want string) {
		t.Helper()
		d, err := p.Dashboard(s)
		if err != nil {
			t.Fatal(err)
		}
		if d.NextStep != want {
			t.Fatalf("next_step = %q, want %q (%+v)", d.NextStep, want, d)
		}
	}
	step(NextEnroll)
	tp := newPublisher(t)
	e, err := p.CompleteEnrollment(s, tp.certify(t, p, s, clock.Now(), "prod"))
	if err != nil {
		t.Fatal(err)
	}
	step(NextImport)
	if _, err := p.ImportBundle(s, tp.bundle(t, e.ResellerID, "b1", lic("K1", "prod", 1))); err != nil {
		t.Fatal(err)
	}
	step(NextCustomer)
	u, err := p.CreateUser(s, UserInput{Name: "Ada Lovelace", Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	step(NextAssign)
	if _, err := p.Assign(s, "K1", u.ID, ""); err != nil {
		t.Fatal(err)
	}
	step(NextActivate)
	if _, err := p.Activate(s, newMachine(t, "m1").request(t, "prod", "K1"), false); err != nil {
		t.Fatal(err)
	}
	step("")

	if _, err := p.Dashboard(nil); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("signed out: %v", err)
	}
}

// TestDashboardCounts checks every figure on a small fixture: an expired
// license, one expiring in 10 days, activations and a deactivation, and the
// certificate as it nears and passes its end.
func TestDashboardCounts(t *testing.T) {
	e := newEnrolled(t, 0)
	p, s, clock := e.p, e.s, e.clock
	t0 := clock.Now()
	at := func(days int) *time.Time { x := t0.AddDate(0, 0, days); return &x }
	x1, x2, x3, x4, x5 := lic("X1", "prod", 2), lic("X2", "prod", 2), lic("X3", "prod", 3), lic("X4", "prod", 4), lic("X5", "other", 1)
	x1.Expires, x2.Expires, x4.Expires = at(3), at(15), at(200)
	for _, l := range []*signdoc.License{&x1, &x2, &x3, &x4, &x5} {
		l.DeactivationsAllowed = intp(1)
	}
	if _, err := p.ImportBundle(s, e.pub.bundle(t, e.rid, "b1", x1, x2, x3, x4, x5)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateOrg(s, "Analytical Engines"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"X1", "X3", "X4"} {
		if _, err := p.Assign(s, k, e.user.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	m := newMachine(t, "m-x4")
	for _, k := range []string{"X1", "X4"} {
		if _, err := p.Activate(s, newMachine(t, "m-"+k).request(t, "prod", k), false); err != nil {
			t.Fatal(err)
		}
	}
	res, err := p.Activate(s, m.request(t, "prod", "X4"), false) // X4: 2 live
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Deactivate(s, m.deactivation(t, res.Activation.ID, "prod", "X4")); err != nil { // X4: 1 live
		t.Fatal(err)
	}

	clock.Add(5 * 24 * time.Hour) // X1 expired, X2 expires in 10 days
	s, _ = p.SignIn("alice", testPassword)
	d, err := p.Dashboard(s)
	if err != nil {
		t.Fatal(err)
	}
	if want := (LicenseCounts{Total: 5, Available: 2, Assigned: 1, Active: 1, Expired: 1}); d.Licenses != want {
		t.Errorf("licenses = %+v, want %+v", d.Licenses, want)
	}
	// used: X1 1 + X4 1; allowed: X2 2 + X3 3 + X4 4 + X5 1 (X1 expired)
	if want := (ActivationUsage{Used: 2, Allowed: 10}); d.Activations != want {
		t.Errorf("activations = %+v, want %+v", d.Activations, want)
	}
	if d.Expiring.Count != 1 || len(d.Expiring.Items) != 1 || d.Expiring.Items[0].Key != "X2" || d.Expiring.Items[0].Status != StatusAvailable {
		t.Errorf("expiring = %+v", d.Expiring)
	}
	if want := (CustomerCounts{Users: 1, Orgs: 1}); d.Customers != want {
		t.Errorf("customers = %+v, want %+v", d.Customers, want)
	}
	c := d.Certificate
	if !c.Enrolled || c.NotAfter == nil || !c.NotAfter.Equal(t0.AddDate(0, 0, 365)) || c.DaysLeft != 360 || c.Expired || c.ExpiringSoon {
		t.Errorf("certificate = %+v", c)
	}
	log, err := p.AuditLog(s, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(d.Recent)
	want, _ := json.Marshal(log)
	if len(d.Recent) != 10 || string(got) != string(want) || d.Recent[0].Action != "admin.signin" && d.Recent[0].Seq < d.Recent[9].Seq {
		t.Errorf("recent = %s\nwant %s", got, want)
	}
	if d.NextStep != "" {
		t.Errorf("next_step = %q", d.NextStep)
	}

	// 25 days before the certificate ends; X2 and X4 have expired by then
	clock.Add(335 * 24 * time.Hour)
	s, _ = p.SignIn("alice", testPassword)
	if d, err = p.Dashboard(s); err != nil {
		t.Fatal(err)
	}
	if c := d.Certificate; c.DaysLeft != 25 || c.Expired || !c.ExpiringSoon {
		t.Errorf("certificate 25 days before = %+v", c)
	}
	if want := (LicenseCounts{Total: 5, Available: 1, Assigned: 1, Expired: 3}); d.Licenses != want {
		t.Errorf("licenses = %+v, want %+v", d.Licenses, want)
	}
	if want := (ActivationUsage{Used: 2, Allowed: 4}); d.Activations != want || d.Expiring.Count != 0 || len(d.Expiring.Items) != 0 {
		t.Errorf("activations = %+v, expiring %+v", d.Activations, d.Expiring)
	}
	clock.Add(26 * 24 * time.Hour)
	s, _ = p.SignIn("alice", testPassword)
	if d, err = p.Dashboard(s); err != nil {
		t.Fatal(err)
	}
	if c := d.Certificate; c.DaysLeft != -1 || !c.Expired || c.ExpiringSoon {
		t.Errorf("certificate a day after = %+v", c)
	}
}

// TestDashboardExpiringTen lists the ten soonest of more expiring licenses.
func TestDashboardExpiringTen(t *testing.T) {
	e := newEnrolled(t, 0)
	var lics []signdoc.License
	for i := 0; i < 14; i++ {
		l := lic(string(rune('A'+i))+"-KEY", "prod", 1)
		x := e.clock.Now().Add(time.Duration(29-i) * 24 * time.Hour) // A: 29 days ... N: 16 days
		l.Expires = &x
		lics = append(lics, l)
	}
	late := lic("LATE", "prod", 1)
	x := e.clock.Now().Add(31 * 24 * time.Hour)
	late.Expires = &x
	if _, err := e.p.ImportBundle(e.s, e.pub.bundle(t, e.rid, "b", append(lics, late)...)); err != nil {
		t.Fatal(err)
	}
	d, err := e.p.Dashboard(e.s)
	if err != nil {
		t.Fatal(err)
	}
	if d.Expiring.Count != 14 || len(d.Expiring.Items) != 10 || d.Expiring.Items[0].Key != "N-KEY" || d.Expiring.Items[9].Key != "E-KEY" {
		t.Fatalf("expiring = %d, %+v", d.Expiring.Count, d.Expiring.Items)
	}
}

// TestMigrateV2ToV3 takes the status index back to schema 2 (expiry-only
// values, no live activation counter) and reopens: the migration restores
// both.
func TestMigrateV2ToV3(t *testing.T) {
	e := newEnrolled(t, 3)
	if _, err := e.p.Assign(e.s, "K2", e.user.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.p.Activate(e.s, newMachine(t, "m").request(t, "prod", "K2"), false); err != nil {
		t.Fatal(err)
	}
	before, err := e.p.Dashboard(e.s)
	if err != nil {
		t.Fatal(err)
	}
	e.p.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(store.BucketLicStatus)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if err := b.Put(store.Copy(k), store.Copy(v[:8])); err != nil {
				return err
			}
		}
		if err := tx.Bucket(store.BucketMeta).Delete(metaActLive); err != nil {
			return err
		}
		return tx.Bucket(store.BucketMeta).Put(store.MetaSchema, store.U64(2))
	})
	// an old value still reads (from the record) before the migration
	if d, err := e.p.Dashboard(e.s); err != nil || d.Activations.Allowed != before.Activations.Allowed {
		t.Fatalf("old values: %+v, %v", d.Activations, err)
	}
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
	p.view(func(tx *bolt.Tx) error {
		return tx.Bucket(store.BucketLicStatus).ForEach(func(k, v []byte) error {
			if len(v) != statusValLen {
				t.Errorf("%q: value of %d bytes after migration", k, len(v))
			}
			return nil
		})
	})
	s, _ := p.SignIn("alice", testPassword)
	after, err := p.Dashboard(s)
	if err != nil {
		t.Fatal(err)
	}
	if after.Licenses != before.Licenses || after.Activations != (ActivationUsage{Used: 1, Allowed: 6}) || after.Activations != before.Activations {
		t.Fatalf("after migration %+v %+v, before %+v %+v", after.Licenses, after.Activations, before.Licenses, before.Activations)
	}
}
