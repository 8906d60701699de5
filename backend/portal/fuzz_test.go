package portal

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/resellerportal/portal/backend/signdoc"
)

// FuzzActivate feeds arbitrary request text to Activate and Deactivate: a
// refusal with a code, never a panic, and nothing changed unless it was a
// valid request.
func FuzzActivate(f *testing.F) {
	e := newEnrolled(f, 2)
	e.p.Assign(e.s, "K1", e.user.ID, "")
	m := newMachine(f, "seed")
	req := m.request(f, "prod", "K1")
	d, _ := signdoc.Parse(req)
	f.Add(req)
	f.Add([]byte(d.Compact()))
	f.Add(m.deactivation(f, "A1", "prod", "K1"))
	f.Add([]byte("-----BEGIN RESELLER PORTAL ACTIVATION REQUEST-----\n\n-----END RESELLER PORTAL ACTIVATION REQUEST-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		before := dbDigest(t, e.p)
		_, aerr := e.p.Activate(e.s, data, false)
		_, derr := e.p.Deactivate(e.s, data)
		if aerr != nil && derr != nil && dbDigest(t, e.p) != before {
			t.Fatal("refused input changed the database")
		}
	})
}

// FuzzMyActivate feeds arbitrary request text (also as a rejection reason) to the
// customer portal's request operations: a refusal with a code, never a
// panic, nothing changed when refused, and never anything signed for a
// license the customer does not own.
func FuzzMyActivate(f *testing.F) {
	e := newEnrolled(f, 3)
	p := e.p
	p.Assign(e.s, "K1", e.user.ID, "")
	inv, _ := p.InviteCustomer(e.s, e.user.ID)
	ada, err := p.RedeemInvitationFrom(LocalClient, inv.Code, custPassword)
	if err != nil {
		f.Fatal(err)
	}
	m := newMachine(f, "seed")
	req := m.request(f, "prod", "K1")
	d, _ := signdoc.Parse(req)
	f.Add(req)
	f.Add([]byte(d.Compact()))
	f.Add(m.request(f, "prod", "K2"))
	f.Add(m.deactivation(f, "A1", "prod", "K1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		before := dbDigest(t, p)
		r, aerr := p.MyActivate(ada, data, false)
		_, perr := p.MyPreviewActivation(ada, data)
		_, derr := p.MyDeactivate(ada, data)
		if aerr != nil && derr != nil && dbDigest(t, p) != before {
			t.Fatal("refused input changed the database")
		}
		for _, err := range []error{aerr, perr, derr} {
			if err != nil && codeOf(err) == "internal" {
				t.Fatalf("no code: %v", err)
			}
		}
		if aerr == nil && r.License != "K1" {
			t.Fatalf("request accepted for %s", r.License)
		}
		if aerr == nil {
			reason := string(data[:min(len(data), MaxReasonLen+1)]) // too long, invalid UTF-8, …
			if _, err := p.RejectRequest(e.s, r.ID, reason); err != nil && codeOf(err) == "internal" {
				t.Fatalf("reject: %v", err)
			}
		}
	})
}

// FuzzCheckLogo feeds arbitrary bytes to the logo validation.
func FuzzCheckLogo(f *testing.F) {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)))
	f.Add(b.Bytes())
	f.Add([]byte("<svg/>"))
	f.Add([]byte{0xff, 0xd8, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = checkLogo(data)
	})
}

// FuzzEmail checks that accepted addresses are clean.
func FuzzEmail(f *testing.F) {
	for _, s := range []string{"ada@example.com", "a b@c.d", "\x00@x.y", "x@-y.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := cleanEmail(s)
		if err == nil {
			if _, err := cleanName("x", got, maxEmailLen); err != nil || bytes.ContainsAny([]byte(got), " \t\r\n") {
				t.Fatalf("accepted %q", got)
			}
		}
	})
}
