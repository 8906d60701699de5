package portal

import (
	"errors"
	"fmt"
	"testing"

	"github.com/resellerportal/portal/backend/signdoc"
)

func TestEnrollmentPinsPublisher(t *testing.T) {
	p, s, clock := newSetupDB(t)
	tp := newPublisher(t)
	unchanged(t, p, ErrNotEnrolled, func() error {
		_, err := p.ImportBundle(s, tp.bundle(t, "whoever", "b0", lic("X1", "prod", 1)))
		return err
	})
	// a certificate for another key
	other := newPublisher(t)
	unchanged(t, p, ErrCertNotForUs, func() error {
		_, err := p.CompleteEnrollment(s, tp.certFor(t, other.pub, "Other", clock.Now(), "prod"))
		return err
	})
	unchanged(t, p, signdoc.ErrMalformed, func() error {
		_, err := p.CompleteEnrollment(s, []byte("garbage"))
		return err
	})
	unchanged(t, p, signdoc.ErrKindMismatch, func() error {
		_, err := p.CompleteEnrollment(s, tp.bundle(t, "x", "b", lic("A", "p", 1)))
		return err
	})
	cert := tp.certify(t, p, s, clock.Now(), "prod")
	e, err := p.CompleteEnrollment(s, cert)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Enrolled || e.PublisherKey != signdoc.Bytes(tp.pub).String() || e.PublisherKeyID != signdoc.KeyID(tp.pub) || e.Products[0] != "prod" {
		t.Fatalf("enrollment = %+v", e)
	}
	if st, _ := p.Status(s); !st.Enrolled {
		t.Fatal("status not enrolled")
	}
	// the same certificate again changes nothing
	unchangedOK(t, p, func() error { _, err := p.CompleteEnrollment(s, cert); return err })
	// another publisher's certificate for our key is refused
	unchanged(t, p, ErrWrongPublisher, func() error {
		_, err := p.CompleteEnrollment(s, other.certify(t, p, s, clock.Now(), "prod"))
		return err
	})
}

func unchangedOK(t *testing.T, p *Portal, fn func() error) {
	t.Helper()
	before := dbDigest(t, p)
	if err := fn(); err != nil {
		t.Fatal(err)
	}
	if dbDigest(t, p) != before {
		t.Fatal("repeat changed the database")
	}
}

func TestBundleImport(t *testing.T) {
	e := newEnrolled(t, 0)
	p, s := e.p, e.s
	b1 := e.pub.bundle(t, e.rid, "b1", lic("k-1", "prod", 2), lic("K-2", "prod", 1))
	res, err := p.ImportBundle(s, b1)
	if err != nil || res.Licenses != 2 || res.Already {
		t.Fatalf("import = %+v, %v", res, err)
	}
	// re-import: exit ok, nothing changed
	unchangedOK(t, p, func() error {
		r, err := p.ImportBundle(s, b1)
		if err == nil && !r.Already {
			err = fmt.Errorf("not reported as already imported")
		}
		return err
	})
	other := newPublisher(t)
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"other publisher", other.bundle(t, e.rid, "b2", lic("Z1", "prod", 1)), signdoc.ErrWrongPublisher},
		{"other reseller", e.pub.bundle(t, "0011223344556677", "b3", lic("Z2", "prod", 1)), signdoc.ErrWrongReseller},
		{"same id other contents", e.pub.bundle(t, e.rid, "b1", lic("Z3", "prod", 1)), ErrBundleConflict},
		{"key already held", e.pub.bundle(t, e.rid, "b4", lic("Z4", "prod", 1), lic("K-1", "prod", 1)), ErrBundleConflict},
		{"truncated", b1[:len(b1)/2], signdoc.ErrTruncated},
		{"empty", nil, signdoc.ErrEmpty},
		{"certificate instead", e.pub.certFor(t, e.pub.pub, "x", e.clock.Now(), "p"), signdoc.ErrKindMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unchanged(t, p, tc.want, func() error { _, err := p.ImportBundle(s, tc.data); return err })
		})
	}
	// bit flip in the armored body
	flipped := append([]byte(nil), b1...)
	flipped[60] ^= 0x01
	before := dbDigest(t, p)
	if _, err := p.ImportBundle(s, flipped); err == nil {
		t.Fatal("flipped bundle imported")
	}
	if dbDigest(t, p) != before {
		t.Fatal("flipped bundle changed the database")
	}
	page, err := p.ListLicenses(s, LicenseQuery{})
	if err != nil || len(page.Items) != 2 || page.Items[0].Key != "K-1" || page.Items[0].Status != StatusAvailable {
		t.Fatalf("licenses = %+v, %v", page, err)
	}
	if _, err := p.ImportBundle(nil, b1); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("import without session: %v", err)
	}
}
