package portal

import (
	"bytes"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

func TestActivationSheetData(t *testing.T) {
	e := newEnrolled(t, 2)
	p, s := e.p, e.s
	p.Assign(s, "K1", e.user.ID, "")
	m := newMachine(t, "m1")
	req := m.request(t, "prod", "K1")
	res, err := p.Activate(s, req, false)
	if err != nil {
		t.Fatal(err)
	}
	id := res.Activation.ID
	var d SheetData
	unchangedOK(t, p, func() (err error) { d, err = p.ActivationSheetData(s, id, nil); return err })
	// the same response bytes the activation returned; the certified name
	// while no company is set
	if d.Response != res.Response || d.Activation.ID != id || d.Activation.CustomerName != "Ada Lovelace" ||
		d.Activation.Hostname != "host-m1" || d.Company == "" || d.Domain != "" || d.Logo != nil {
		t.Fatalf("sheet data = %+v", d)
	}
	logo := pngBytes(t, 16, 16)
	if _, err := p.UpdateSettings(s, SettingsUpdate{Company: strp("Acme GmbH"), Domain: strp("licenses.acme.example"), Logo: logo, SetLogo: true}); err != nil {
		t.Fatal(err)
	}
	if d, err = p.ActivationSheetData(s, "a"+id[1:], nil); err != nil || d.Company != "Acme GmbH" || d.Domain != "licenses.acme.example" || !bytes.Equal(d.Logo, logo) {
		t.Fatalf("with settings: %+v, %v", d, err)
	}

	// a new request of the same installation: Activate binds the response
	// to its nonce; given that request, the sheet carries that response
	second := m.request(t, "prod", "K1")
	again, err := p.Activate(s, second, false)
	if err != nil || again.Activation.ID != id {
		t.Fatalf("second request: %+v, %v", again.Activation, err)
	}
	if d, err = p.ActivationSheetData(s, id, second); err != nil || d.Response != again.Response {
		t.Fatalf("sheet for the second request: %v", err)
	}
	if d, err = p.ActivationSheetData(s, id, req); err != nil || d.Response != res.Response {
		t.Fatalf("sheet for the first request: %v", err)
	}
	// the customer's software accepts it
	doc, _ := signdoc.Parse([]byte(d.Response.Compact))
	if _, _, err := signdoc.VerifyActivationResponse(doc, e.pub.pub, e.clock.Now()); err != nil {
		t.Fatal(err)
	}

	// refusals change nothing
	other := newMachine(t, "m2").request(t, "prod", "K1")
	unchanged(t, p, ErrInvalidInput, func() error { _, err := p.ActivationSheetData(s, id, other); return err })
	unchanged(t, p, signdoc.ErrMalformed, func() error { _, err := p.ActivationSheetData(s, id, []byte("RP1:garbage")); return err })
	for _, bad := range []string{"A99", "zz", "", "A0", "A-1"} {
		unchanged(t, p, ErrActivationNotFound, func() error { _, err := p.ActivationSheetData(s, bad, nil); return err })
	}
	unchanged(t, p, ErrNotSignedIn, func() error { _, err := p.ActivationSheetData(nil, id, nil); return err })

	// past apply-by: refused until the request is activated again (re-issue)
	e.clock.Add(ApplyWindow + time.Hour)
	s, _ = p.SignIn("alice", testPassword)
	unchanged(t, p, ErrApplyByPassed, func() error { _, err := p.ActivationSheetData(s, id, nil); return err })
	re, err := p.Activate(s, req, false)
	if err != nil {
		t.Fatal(err)
	}
	if d, err = p.ActivationSheetData(s, id, nil); err != nil || d.Response != re.Response || !d.Issued.Equal(e.clock.Now().Truncate(time.Second)) {
		t.Fatalf("after re-issue: %v", err)
	}

	// deactivated
	if _, err := p.Deactivate(s, m.deactivation(t, id, "prod", "K1")); err != nil {
		t.Fatal(err)
	}
	unchanged(t, p, ErrActivationDeactivated, func() error { _, err := p.ActivationSheetData(s, id, nil); return err })
}
