package portal

import (
	"errors"
	"strings"
	"testing"

	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// verifyResponse checks a response as the customer's software would: signed
// by the reseller certified by the publisher, for this machine and license.
func verifyResponse(t *testing.T, e *enrolled, d *Document, machine, key string) *signdoc.ActivationResponse {
	t.Helper()
	if d == nil {
		t.Fatal("no response")
	}
	doc, err := signdoc.Parse([]byte(d.Armored))
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := signdoc.VerifyActivationResponse(doc, e.pub.pub, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if resp.Fingerprint != signdoc.Fingerprint("prod", machine) || resp.LicenseKey != key {
		t.Fatalf("response for %s/%s: %+v", machine, key, resp)
	}
	return resp
}

// auditHas reports whether the log has an entry of action by actor on object.
func auditHas(t *testing.T, e *enrolled, actor, action, object string) bool {
	t.Helper()
	entries, err := e.p.AuditLog(e.s, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		if en.Actor == actor && en.Action == action && en.Object == object {
			return true
		}
	}
	return false
}

func pendingCount(t *testing.T, e *enrolled) int {
	t.Helper()
	st, err := e.p.SigningStatus(e.s)
	if err != nil {
		t.Fatal(err)
	}
	return st.Pending
}

// TestRequestApprovalQueue: in approval mode (the default) a customer's
// request waits; the same file again is the same request; the admin
// approves; the customer then gets the response, which the software
// accepts; a decided request cannot be decided again.
func TestRequestApprovalQueue(t *testing.T) {
	e, ada, _, _ := myFixture(t)
	p := e.p
	m := newMachine(t, "m1")
	req := m.request(t, "prod", "K1")

	pv, err := p.MyPreviewActivation(ada, req)
	if err != nil || !pv.OK || pv.Mode != SigningApproval || pv.SignNow || pv.ActivationsLeft != 1 || pv.License != "K1" {
		t.Fatalf("preview %+v %v", pv, err)
	}
	r, err := p.MyActivate(ada, req, false)
	if err != nil || r.State != RequestPending || r.Response != nil || r.Repeat || r.ID != "R1" || r.DecidedBy != "" {
		t.Fatalf("submit %+v %v", r, err)
	}
	if n := pendingCount(t, e); n != 1 {
		t.Fatalf("pending %d", n)
	}
	// nothing activated yet
	if l, _ := p.MyLicense(ada, "K1"); l.ActivationsUsed != 0 {
		t.Fatalf("used before approval: %+v", l)
	}
	// the same request again: the same record, nothing new
	before := dbDigest(t, p)
	again, err := p.MyActivate(ada, req, false)
	if err != nil || !again.Repeat || again.ID != "R1" || again.State != RequestPending {
		t.Fatalf("repeat %+v %v", again, err)
	}
	if dbDigest(t, p) != before {
		t.Fatal("a repeated request changed the database")
	}
	list, err := p.ListRequests(e.s, RequestQuery{State: RequestPending})
	if err != nil || list.Total != 1 || list.Pending != 1 || list.Items[0].CustomerName != "Ada Lovelace" || list.Items[0].Hostname != "host-m1" {
		t.Fatalf("list %+v %v", list, err)
	}
	// approve
	ok, err := p.ApproveRequest(e.s, "R1", true)
	if err != nil || ok.State != RequestApproved || ok.DecidedBy != "alice" || ok.Activation != "A1" || ok.QRPNG == "" {
		t.Fatalf("approve %+v %v", ok, err)
	}
	verifyResponse(t, e, ok.Response, "m1", "K1")
	if n := pendingCount(t, e); n != 0 {
		t.Fatalf("pending after approval %d", n)
	}
	// the customer's view: the same response, no admin name
	mine, err := p.MyRequest(ada, "R1", false)
	if err != nil || mine.State != RequestApproved || mine.Response == nil || mine.Response.Armored != ok.Response.Armored || mine.DecidedBy != "" {
		t.Fatalf("my request %+v %v", mine, err)
	}
	if l, _ := p.MyLicense(ada, "K1"); l.ActivationsUsed != 1 || len(l.Activations) != 1 {
		t.Fatalf("after approval: %+v", l)
	}
	// the same request after approval: the approved record with its response
	again, err = p.MyActivate(ada, req, false)
	if err != nil || !again.Repeat || again.State != RequestApproved || again.Response.Armored != ok.Response.Armored {
		t.Fatalf("repeat after approval %+v %v", again, err)
	}
	// decided once
	unchanged(t, p, ErrRequestDecided, func() error { _, err := p.ApproveRequest(e.s, "R1", false); return err })
	unchanged(t, p, ErrRequestDecided, func() error { _, err := p.RejectRequest(e.s, "R1", "no"); return err })
	unchanged(t, p, ErrRequestNotFound, func() error { _, err := p.ApproveRequest(e.s, "R9", false); return err })
	unchanged(t, p, ErrRequestNotFound, func() error { _, err := p.ApproveRequest(e.s, "A1", false); return err })
	// the printable sheet of the approved request carries the same response
	sh, err := p.MyRequestSheetData(ada, "R1")
	if err != nil || sh.Response.Compact != ok.Response.Compact || sh.Activation.Admin != "" || sh.Activation.License != "K1" {
		t.Fatalf("sheet %+v %v", sh, err)
	}
	if !auditHas(t, e, "customer:u1", "request.create", "request:R1") || !auditHas(t, e, "alice", "request.approve", "request:R1") ||
		!auditHas(t, e, "alice", "activation.create", "activation:A1") {
		t.Fatal("audit entries missing")
	}
	// a new request of the same installation (its response was lost) is
	// one more request, answered with the same activation: no second slot
	req2 := m.request(t, "prod", "K1")
	if r2, err := p.MyActivate(ada, req2, false); err != nil || r2.ID != "R2" || r2.Repeat {
		t.Fatalf("second request %+v %v", r2, err)
	}
	if ok2, err := p.ApproveRequest(e.s, "R2", false); err != nil || ok2.Activation != "A1" {
		t.Fatalf("approve second %+v %v", ok2, err)
	}
	if l, _ := p.MyLicense(ada, "K1"); l.ActivationsUsed != 1 {
		t.Fatalf("second slot used: %+v", l)
	}
	if pg, err := p.MyRequests(ada, 0, 0); err != nil || pg.Total != 2 || pg.Items[0].ID != "R2" || pg.Items[0].Response != nil {
		t.Fatalf("my requests %+v %v", pg, err)
	}
}

// TestRequestReject: a reason is required; the customer sees it; the
// decision is final.
func TestRequestReject(t *testing.T) {
	e, ada, _, _ := myFixture(t)
	p := e.p
	if _, err := p.MyActivate(ada, newMachine(t, "m1").request(t, "prod", "K1"), false); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "   ", strings.Repeat("x", MaxReasonLen+1), "\xff"} {
		unchanged(t, p, ErrReasonRequired, func() error { _, err := p.RejectRequest(e.s, "R1", bad); return err })
	}
	r, err := p.RejectRequest(e.s, "r1", "  Please use the <b>second</b> seat.\x07 ")
	if err != nil || r.State != RequestRejected || r.Reason != "Please use the <b>second</b> seat." {
		t.Fatalf("reject %+v %v", r, err)
	}
	mine, err := p.MyRequest(ada, "R1", true)
	if err != nil || mine.State != RequestRejected || mine.Reason != r.Reason || mine.Response != nil || mine.QRPNG != "" || mine.DecidedBy != "" {
		t.Fatalf("customer view %+v %v", mine, err)
	}
	unchanged(t, p, ErrRequestDecided, func() error { _, err := p.ApproveRequest(e.s, "R1", false); return err })
	unchanged(t, p, ErrRequestNotFound, func() error { _, err := p.MyRequestSheetData(ada, "R1"); return err })
	if n := pendingCount(t, e); n != 0 {
		t.Fatalf("pending %d", n)
	}
	if !auditHas(t, e, "alice", "request.reject", "request:R1") {
		t.Fatal("no audit entry")
	}
	if l, _ := p.MyLicense(ada, "K1"); l.ActivationsUsed != 0 {
		t.Fatalf("rejected request used a slot: %+v", l)
	}
}

// TestApproveAfterLicenseExhausted: requests that fit when they came in
// but not any more when approved are refused then, and stay pending for the
// admin to reject with a reason. A license reassigned since is refused too.
func TestApproveAfterLicenseExhausted(t *testing.T) {
	e, ada, _, _ := myFixture(t)
	p := e.p
	for _, id := range []string{"m1", "m2", "m3"} {
		if r, err := p.MyActivate(ada, newMachine(t, id).request(t, "prod", "K1"), false); err != nil || r.State != RequestPending {
			t.Fatalf("submit %s: %+v %v", id, r, err)
		}
	}
	for _, id := range []string{"R1", "R2"} {
		if _, err := p.ApproveRequest(e.s, id, false); err != nil {
			t.Fatal(err)
		}
	}
	unchanged(t, p, ErrOverLimit, func() error { _, err := p.ApproveRequest(e.s, "R3", false); return err })
	if r, _ := p.MyRequest(ada, "R3", false); r.State != RequestPending {
		t.Fatalf("R3 %+v", r)
	}
	// now full: a new request is refused at once, nothing queued
	unchanged(t, p, ErrOverLimit, func() error {
		_, err := p.MyActivate(ada, newMachine(t, "m4").request(t, "prod", "K1"), false)
		return err
	})
	if _, err := p.RejectRequest(e.s, "R3", "no seats left"); err != nil {
		t.Fatal(err)
	}

	// reassigned between request and approval
	if _, err := p.MyActivate(ada, newMachine(t, "m5").request(t, "prod", "K1"), false); !errors.Is(err, ErrOverLimit) {
		t.Fatalf("full license: %v", err)
	}
	if _, err := p.Assign(e.s, "K5", e.user.ID, ""); err != nil {
		t.Fatal(err)
	}
	if r, err := p.MyActivate(ada, newMachine(t, "m6").request(t, "prod", "K5"), false); err != nil || r.ID != "R4" {
		t.Fatalf("K5 request %+v %v", r, err)
	}
	if _, err := p.Revoke(e.s, "K5"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Assign(e.s, "K5", "u3", ""); err != nil { // to Carol
		t.Fatal(err)
	}
	unchanged(t, p, ErrRequestNotOwned, func() error { _, err := p.ApproveRequest(e.s, "R4", false); return err })
}

// TestImmediateSigning: immediate mode signs at once only while an admin
// has unlocked it in this process; locked, it is refused and nothing is
// queued. The key is wiped on lock, on switching to approval, and Close.
func TestImmediateSigning(t *testing.T) {
	e, ada, _, _ := myFixture(t)
	p := e.p
	m1 := newMachine(t, "m1")
	req := m1.request(t, "prod", "K1")
	unchanged(t, p, ErrInvalidSigning, func() error { _, err := p.UnlockCustomerSigning(e.s, testPassword); return err })
	unchanged(t, p, ErrInvalidSigning, func() error { _, err := p.SetSigningMode(e.s, "sometimes"); return err })
	st, err := p.SetSigningMode(e.s, SigningImmediate)
	if err != nil || st.Mode != SigningImmediate || st.Unlocked {
		t.Fatalf("mode %+v %v", st, err)
	}
	// locked: refused, nothing queued
	if pv, err := p.MyPreviewActivation(ada, req); err != nil || !pv.OK || pv.SignNow || pv.Mode != SigningImmediate {
		t.Fatalf("locked preview %+v %v", pv, err)
	}
	unchanged(t, p, ErrSigningLocked, func() error { _, err := p.MyActivate(ada, req, false); return err })
	unchanged(t, p, ErrWrongPassword, func() error { _, err := p.UnlockCustomerSigning(e.s, "not the password"); return err })
	unchanged(t, p, ErrForbidden, func() error { _, err := p.UnlockCustomerSigning(ada, custPassword); return err })

	st, err = p.UnlockCustomerSigning(e.s, testPassword)
	if err != nil || !st.Unlocked || st.UnlockedBy != "alice" || st.UnlockedAt == nil {
		t.Fatalf("unlock %+v %v", st, err)
	}
	if pv, _ := p.MyPreviewActivation(ada, req); !pv.SignNow {
		t.Fatalf("unlocked preview %+v", pv)
	}
	r, err := p.MyActivate(ada, req, true)
	if err != nil || r.State != RequestApproved || r.Mode != SigningImmediate || r.Activation != "A1" || r.QRPNG == "" || r.DecidedBy != "" {
		t.Fatalf("immediate %+v %v", r, err)
	}
	verifyResponse(t, e, r.Response, "m1", "K1")
	acts, _ := p.ListActivations(e.s, ActivationQuery{})
	if len(acts) != 1 || acts[0].Admin != "customer:u1" {
		t.Fatalf("activation actor: %+v", acts)
	}
	if pendingCount(t, e) != 0 || !auditHas(t, e, "customer:u1", "activation.create", "activation:A1") ||
		!auditHas(t, e, "customer:u1", "request.signed", "request:R1") || !auditHas(t, e, "alice", "signing.unlock", "settings") {
		t.Fatal("audit or queue wrong")
	}
	// within the license's limits, exactly as an admin's activation
	if _, err := p.MyActivate(ada, newMachine(t, "m2").request(t, "prod", "K1"), false); err != nil {
		t.Fatal(err)
	}
	unchanged(t, p, ErrOverLimit, func() error {
		_, err := p.MyActivate(ada, newMachine(t, "m3").request(t, "prod", "K1"), false)
		return err
	})
	// lock: refused again
	if st, err := p.LockCustomerSigning(e.s); err != nil || st.Unlocked {
		t.Fatalf("lock %+v %v", st, err)
	}
	if p.customerKey() != nil {
		t.Fatal("key kept after lock")
	}
	unchanged(t, p, ErrSigningLocked, func() error { // m1 again: its activation, still a signature
		_, err := p.MyActivate(ada, m1.request(t, "prod", "K1"), false)
		return err
	})
	// switching to approval locks; then requests queue again
	if _, err := p.UnlockCustomerSigning(e.s, testPassword); err != nil {
		t.Fatal(err)
	}
	p.custMu.Lock()
	held := p.cust.key
	p.custMu.Unlock()
	if st, err := p.SetSigningMode(e.s, SigningApproval); err != nil || st.Unlocked || st.Mode != SigningApproval {
		t.Fatalf("back to approval %+v %v", st, err)
	}
	for _, b := range held {
		if b != 0 {
			t.Fatal("key not wiped on switching to approval")
		}
	}
	if r, err := p.MyActivate(ada, m1.request(t, "prod", "K1"), false); err != nil || r.State != RequestPending {
		t.Fatalf("approval again %+v %v", r, err)
	}
	// a process restart (Close) forgets the key
	p.SetSigningMode(e.s, SigningImmediate)
	p.UnlockCustomerSigning(e.s, testPassword)
	p.Close()
	if p.customerKey() != nil {
		t.Fatal("key kept after Close")
	}
}

// TestCustomerRequestOwnership: each customer request operation given
// another customer's license, request or activation answers as for a
// missing one, and changes nothing; an admin cannot use them, a customer
// cannot use the admins'.
func TestCustomerRequestOwnership(t *testing.T) {
	e, ada, bob, carol := myFixture(t)
	p := e.p
	m := newMachine(t, "m1")
	carolsReq := m.request(t, "prod", "K4")
	for _, key := range []string{"K4", "K5", "K99", "K3"} { // Carol's, unassigned, unknown, the org's (ada is no manager)
		req := m.request(t, "prod", key)
		unchanged(t, p, ErrLicenseNotFound, func() error { _, err := p.MyPreviewActivation(ada, req); return err })
		unchanged(t, p, ErrLicenseNotFound, func() error { _, err := p.MyActivate(ada, req, false); return err })
	}
	// Carol's own request, approved
	if _, err := p.MyActivate(carol, carolsReq, false); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ApproveRequest(e.s, "R1", false); err != nil {
		t.Fatal(err)
	}
	unchanged(t, p, ErrRequestNotFound, func() error { _, err := p.MyRequest(ada, "R1", true); return err })
	unchanged(t, p, ErrRequestNotFound, func() error { _, err := p.MyRequestSheetData(ada, "R1"); return err })
	unchanged(t, p, ErrRequestOtherOwner, func() error { _, err := p.MyActivate(bob, carolsReq, false); return err })
	if pg, _ := p.MyRequests(ada, 0, 0); pg.Total != 0 {
		t.Fatalf("ada sees %+v", pg)
	}
	// Carol's activation cannot be deactivated by Ada
	deact := m.deactivation(t, "A1", "prod", "K4")
	unchanged(t, p, ErrActivationNotFound, func() error { _, err := p.MyPreviewDeactivation(ada, deact); return err })
	unchanged(t, p, ErrActivationNotFound, func() error { _, err := p.MyDeactivate(ada, deact); return err })
	// roles
	unchanged(t, p, ErrForbidden, func() error { _, err := p.MyActivate(e.s, carolsReq, false); return err })
	unchanged(t, p, ErrForbidden, func() error { _, err := p.MyRequests(e.s, 0, 0); return err })
	unchanged(t, p, ErrForbidden, func() error { _, err := p.MyDeactivate(e.s, deact); return err })
	unchanged(t, p, ErrForbidden, func() error { _, err := p.ListRequests(carol, RequestQuery{}); return err })
	unchanged(t, p, ErrForbidden, func() error { _, err := p.ApproveRequest(carol, "R1", false); return err })
	unchanged(t, p, ErrForbidden, func() error { _, err := p.RejectRequest(carol, "R1", "x"); return err })
	unchanged(t, p, ErrForbidden, func() error { _, err := p.SetSigningMode(carol, SigningImmediate); return err })
	unchanged(t, p, ErrForbidden, func() error { _, err := p.SigningStatus(carol); return err })
	unchanged(t, p, ErrForbidden, func() error { _, err := p.LockCustomerSigning(carol); return err })
	unchanged(t, p, ErrNotSignedIn, func() error { _, err := p.MyActivate(nil, carolsReq, false); return err })
	// a manager acts on the organization's licenses
	if _, err := p.SetCustomerManager(e.s, e.user.ID, true); err != nil {
		t.Fatal(err)
	}
	if r, err := p.MyActivate(ada, m.request(t, "prod", "K3"), false); err != nil || r.License != "K3" {
		t.Fatalf("manager on the org's license: %+v %v", r, err)
	}
	// bad input
	unchanged(t, p, signdoc.ErrEmpty, func() error { _, err := p.MyActivate(ada, nil, false); return err })
	for _, bad := range [][]byte{[]byte("hello"), carolsReq[:len(carolsReq)/2]} {
		before := dbDigest(t, p)
		if _, err := p.MyActivate(ada, bad, false); err == nil || codeOf(err) == "internal" {
			t.Fatalf("bad input %q: %v", bad, err)
		}
		if dbDigest(t, p) != before {
			t.Fatal("bad input changed the database")
		}
	}
	unchanged(t, p, ErrInvalidInput, func() error { _, err := p.ListRequests(e.s, RequestQuery{State: "maybe"}); return err })
	unchanged(t, p, ErrInvalidInput, func() error { _, err := p.MyRequests(ada, -1, 0); return err })
}

// TestMyDeactivate: the customer frees the slot of their own activation at
// once (no approval: nothing is signed); preview changes nothing.
func TestMyDeactivate(t *testing.T) {
	e, ada, _, _ := myFixture(t)
	p := e.p
	m := newMachine(t, "m1")
	if _, err := p.MyActivate(ada, m.request(t, "prod", "K1"), false); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ApproveRequest(e.s, "R1", false); err != nil {
		t.Fatal(err)
	}
	deact := m.deactivation(t, "A1", "prod", "K1")
	before := dbDigest(t, p)
	pv, err := p.MyPreviewDeactivation(ada, deact)
	if err != nil || pv.Activation.ID != "A1" || pv.Activation.Status != ActStatusActive || pv.License.ActivationsUsed != 1 || pv.License.DeactivationsUsed != 0 {
		t.Fatalf("preview %+v %v", pv, err)
	}
	if dbDigest(t, p) != before {
		t.Fatal("preview changed the database")
	}
	out, err := p.MyDeactivate(ada, deact)
	if err != nil || out.Activation.Status != ActStatusDeactivated || out.License.ActivationsUsed != 0 || out.License.DeactivationsUsed != 1 {
		t.Fatalf("deactivate %+v %v", out, err)
	}
	if !auditHas(t, e, "customer:u1", "activation.deactivate", "activation:A1") {
		t.Fatal("no audit entry")
	}
	unchanged(t, p, ErrAlreadyDeactivated, func() error { _, err := p.MyDeactivate(ada, deact); return err })
	// another installation's request for this activation
	other := newMachine(t, "m1").deactivation(t, "A1", "prod", "K1")
	unchanged(t, p, ErrInstallKeyMismatch, func() error { _, err := p.MyDeactivate(ada, other); return err })
}

// TestMigrateV4ToV5: a schema 4 file (no request buckets) opens as schema 5.
func TestMigrateV4ToV5(t *testing.T) {
	e := newEnrolled(t, 1)
	e.p.update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{store.BucketCustRequests, store.BucketCustReqOpen, store.BucketCustReqUser, store.BucketCustReqNonce} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(store.BucketMeta).Put(store.MetaSchema, store.U64(4))
	})
	path := e.p.Path()
	e.p.Close()
	p, err := Open(path, testOpts(e.clock)...)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if v, _ := p.db.Schema(); v != 5 {
		t.Fatalf("schema %d", v)
	}
	s, _ := p.SignIn("alice", testPassword)
	if pg, err := p.ListRequests(s, RequestQuery{}); err != nil || pg.Total != 0 {
		t.Fatalf("after migration: %+v %v", pg, err)
	}
}
