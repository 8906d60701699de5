package portal

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/signdoc"
)

func TestActivateEndToEnd(t *testing.T) {
	e := newEnrolled(t, 3)
	p, s := e.p, e.s
	m := newMachine(t, "m1")
	req := m.request(t, "prod", "k1")

	unchanged(t, p, ErrLicenseNotAssigned, func() error { _, err := p.Activate(s, req, false); return err })
	if _, err := p.Assign(s, "K1", e.user.ID, ""); err != nil {
		t.Fatal(err)
	}
	pv, err := p.PreviewActivation(s, req)
	if err != nil || !pv.OK || pv.CustomerName != "Ada Lovelace" || pv.ActivationsLeft != 1 || pv.Hostname != "host-m1" {
		t.Fatalf("preview = %+v, %v", pv, err)
	}
	res, err := p.Activate(s, req, true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Repeat || res.Activation.Status != ActStatusActive || res.Activation.License != "K1" || res.Activation.Customer != e.user.ID {
		t.Fatalf("result = %+v", res.Activation)
	}
	// the response verifies as the customer's software would check it
	doc, err := signdoc.Parse([]byte(res.Response.Compact))
	if err != nil {
		t.Fatal(err)
	}
	resp, cert, err := signdoc.VerifyActivationResponse(doc, e.pub.pub, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if resp.ActivationID != res.Activation.ID || resp.Fingerprint != signdoc.Fingerprint("prod", "m1") || cert.ResellerID != e.rid {
		t.Fatalf("response = %+v", resp)
	}
	// the QR PNG decodes to the compact form
	png, _ := base64.StdEncoding.DecodeString(res.QRPNG)
	if text, err := qr.Decode(png); err != nil || text != res.Response.Compact {
		t.Fatalf("QR decode: %v", err)
	}
	// the same request again: same activation, same response, nothing changed
	before := dbDigest(t, p)
	again, err := p.Activate(s, req, false)
	if err != nil || !again.Repeat || again.Activation.ID != res.Activation.ID || again.Response.Armored != res.Response.Armored {
		t.Fatalf("repeat = %+v, %v", again, err)
	}
	if dbDigest(t, p) != before {
		t.Fatal("repeat changed the database")
	}
	l, _ := p.GetLicense(s, "K1")
	if l.ActivationsUsed != 1 || l.Status != StatusActive || len(l.Activations) != 1 || len(l.History) != 1 {
		t.Fatalf("license = %+v", l)
	}
	// second machine uses the last slot; a third is over the limit
	if _, err := p.Activate(s, newMachine(t, "m2").request(t, "prod", "K1"), false); err != nil {
		t.Fatal(err)
	}
	mach3 := newMachine(t, "m3")
	m3 := mach3.request(t, "prod", "K1")
	pv, _ = p.PreviewActivation(s, m3)
	if pv.OK || pv.Code != "license_over_limit" {
		t.Fatalf("preview over limit = %+v", pv)
	}
	unchanged(t, p, ErrOverLimit, func() error { _, err := p.Activate(s, m3, false); return err })

	// deactivate m1: once, counted; frees a slot
	deact := m.deactivation(t, res.Activation.ID, "prod", "K1")
	unchanged(t, p, ErrInstallKeyMismatch, func() error {
		_, err := p.Deactivate(s, newMachine(t, "m1").deactivation(t, res.Activation.ID, "prod", "K1"))
		return err
	})
	a, err := p.Deactivate(s, deact)
	if err != nil || a.Status != ActStatusDeactivated {
		t.Fatalf("deactivate = %+v, %v", a, err)
	}
	unchanged(t, p, ErrAlreadyDeactivated, func() error { _, err := p.Deactivate(s, deact); return err })
	l, _ = p.GetLicense(s, "K1")
	if l.ActivationsUsed != 1 || l.DeactivationsUsed != 1 {
		t.Fatalf("after deactivation: %+v", l.License)
	}
	if _, err := p.Activate(s, m3, false); err != nil {
		t.Fatalf("freed slot: %v", err)
	}
	// the deactivation allowance (1) is used up
	m3res, _ := p.Activate(s, m3, false)
	unchanged(t, p, ErrDeactivationLimit, func() error {
		_, err := p.Deactivate(s, mach3.deactivation(t, m3res.Activation.ID, "prod", "K1"))
		return err
	})
	// the old request of a deactivated activation is refused
	unchanged(t, p, ErrAlreadyDeactivated, func() error { _, err := p.Activate(s, req, false); return err })
}

func TestActivationRefusals(t *testing.T) {
	e := newEnrolled(t, 3)
	p, s := e.p, e.s
	for _, k := range []string{"K1", "K2"} {
		if _, err := p.Assign(s, k, e.user.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	// an expiring license and one for an uncovered product
	exp := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	l1 := lic("EXP1", "prod", 1)
	l1.Expires = &exp
	if _, err := p.ImportBundle(s, e.pub.bundle(t, e.rid, "b2", l1, lic("NC1", "uncovered", 1))); err != nil {
		t.Fatal(err)
	}
	p.Assign(s, "EXP1", e.user.ID, "")
	p.Assign(s, "NC1", e.user.ID, "")
	m := newMachine(t, "mx")
	good := m.request(t, "prod", "K1")
	flipped := append([]byte(nil), good...)
	flipped[100] ^= 0x04
	for _, tc := range []struct {
		name string
		data []byte
		want error
		code string
	}{
		{"unknown license", m.request(t, "prod", "NOPE"), ErrLicenseNotFound, "license_not_found"},
		{"wrong product", m.request(t, "other", "K1"), ErrWrongProduct, "wrong_product"},
		{"unassigned", m.request(t, "prod", "K3"), ErrLicenseNotAssigned, "license_unassigned"},
		{"not covered", m.request(t, "uncovered", "NC1"), ErrProductNotCovered, "product_not_covered"},
		{"garbage", []byte("hello"), signdoc.ErrMalformed, "document_malformed"},
		{"bundle instead", e.pub.bundle(t, e.rid, "bx", lic("Q", "prod", 1)), signdoc.ErrKindMismatch, "document_kind_mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unchanged(t, p, tc.want, func() error { _, err := p.Activate(s, tc.data, false); return err })
		})
	}
	before := dbDigest(t, p)
	if _, err := p.Activate(s, flipped, false); err == nil {
		t.Fatal("bit-flipped request accepted")
	}
	if dbDigest(t, p) != before {
		t.Fatal("bit-flipped request changed the database")
	}
	e.clock.Add(60 * 24 * time.Hour)
	s, _ = p.SignIn("alice", testPassword) // the old session idled out
	unchanged(t, p, ErrLicenseExpired, func() error { _, err := p.Activate(s, m.request(t, "prod", "EXP1"), false); return err })
	// past the reseller certificate's validity nothing is signed
	e.clock.Add(400 * 24 * time.Hour)
	s2, _ := p.SignIn("alice", testPassword)
	unchanged(t, p, ErrCertExpired, func() error {
		_, err := p.Activate(s2, newMachine(t, "late").request(t, "prod", "K2"), false)
		return err
	})
	pv, err := p.PreviewActivation(s2, newMachine(t, "late").request(t, "prod", "K2"))
	if err != nil || pv.OK || pv.Code != "certificate_expired" {
		t.Fatalf("preview past certificate: %+v, %v", pv, err)
	}
	e.clock.Add(-460 * 24 * time.Hour)
	s, _ = p.SignIn("alice", testPassword)
	// compact form with surrounding whitespace is accepted
	d, _ := signdoc.Parse(good)
	if _, err := p.Activate(s, []byte("\n  "+d.Compact()+"\r\n"), false); err != nil {
		t.Fatalf("compact request: %v", err)
	}
	if !strings.HasPrefix(d.Compact(), "RP") {
		t.Fatal("compact form")
	}
}

// TestConcurrentActivationsRespectLimit races many machines for a license
// with two activations: exactly two win, the rest are over the limit.
func TestConcurrentActivationsRespectLimit(t *testing.T) {
	e := newEnrolled(t, 1)
	p, s := e.p, e.s
	p.Assign(s, "K1", e.user.ID, "")
	reqs := make([][]byte, 12)
	for i := range reqs {
		reqs[i] = newMachine(t, fmt.Sprint("race-", i)).request(t, "prod", "K1")
	}
	errs := make(chan error, len(reqs))
	var wg sync.WaitGroup
	for _, r := range reqs {
		wg.Add(1)
		go func(r []byte) {
			defer wg.Done()
			_, err := p.Activate(s, r, false)
			errs <- err
		}(r)
	}
	wg.Wait()
	close(errs)
	won := 0
	for err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrOverLimit):
			t.Fatalf("unexpected refusal: %v", err)
		}
	}
	l, _ := p.GetLicense(s, "K1")
	if won != 2 || l.ActivationsUsed != 2 || len(l.Activations) != 2 {
		t.Fatalf("won %d, license %+v", won, l.License)
	}
}

// TestSameInstallationNewRequest: an installation that lost its response
// asks again with a new nonce: same activation, no second slot, a response
// bound to the new nonce.
func TestSameInstallationNewRequest(t *testing.T) {
	e := newEnrolled(t, 1)
	p, s := e.p, e.s
	p.Assign(s, "K1", e.user.ID, "")
	m := newMachine(t, "m1")
	first, err := p.Activate(s, m.request(t, "prod", "K1"), false)
	if err != nil {
		t.Fatal(err)
	}
	second := m.request(t, "prod", "K1")
	again, err := p.Activate(s, second, false)
	if err != nil || !again.Repeat || again.Activation.ID != first.Activation.ID {
		t.Fatalf("second request = %+v, %v", again.Activation, err)
	}
	rd, _ := signdoc.Parse(second)
	req, _ := signdoc.VerifyActivationRequest(rd)
	d, _ := signdoc.Parse([]byte(again.Response.Armored))
	resp, _, err := signdoc.VerifyActivationResponse(d, e.pub.pub, e.clock.Now())
	if err != nil || !bytes.Equal(resp.Nonce, req.Nonce) {
		t.Fatalf("response not bound to the new nonce: %v", err)
	}
	if l, _ := p.GetLicense(s, "K1"); l.ActivationsUsed != 1 {
		t.Fatalf("slots used %d", l.ActivationsUsed)
	}
}

// TestRepeatAfterApplyByReissues: a request repeated after its response's
// apply-by time gets the same activation with a fresh apply-by window.
func TestRepeatAfterApplyByReissues(t *testing.T) {
	e := newEnrolled(t, 1)
	p, s := e.p, e.s
	p.Assign(s, "K1", e.user.ID, "")
	req := newMachine(t, "m1").request(t, "prod", "K1")
	first, err := p.Activate(s, req, false)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(ApplyWindow + time.Hour)
	s, _ = p.SignIn("alice", testPassword)
	again, err := p.Activate(s, req, false)
	if err != nil || again.Activation.ID != first.Activation.ID || !again.Repeat {
		t.Fatalf("repeat = %+v, %v", again.Activation, err)
	}
	d, _ := signdoc.Parse([]byte(again.Response.Compact))
	resp, _, err := signdoc.VerifyActivationResponse(d, e.pub.pub, e.clock.Now())
	if err != nil || !resp.ApplyBy.After(e.clock.Now()) {
		t.Fatalf("re-issued response: apply-by %v, %v", resp.ApplyBy, err)
	}
	if again.Activation.Created != first.Activation.Created {
		t.Fatal("activation time changed")
	}
	unchangedOK(t, p, func() error { _, err := p.Activate(s, req, false); return err })
}
