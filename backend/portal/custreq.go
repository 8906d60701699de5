package portal

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// A customer's activation request (my.activate) is checked at once against
// the license's limits and the customer's ownership, exactly as an admin's
// would be. Then, by the portal's customer signing mode (see custsign.go),
// it is either signed at once (immediate, unlocked) or recorded as a
// request waiting for an admin (approval). Every request is kept, with its
// state, so the customer can come back for the response.

// Request states.
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestRejected = "rejected"
)

// MaxReasonLen bounds a rejection's reason (characters).
const MaxReasonLen = 500

// custReq is a stored customer request.
type custReq struct {
	User        uint64    `json:"u"`
	License     string    `json:"l"`
	Product     string    `json:"p"`
	Fingerprint string    `json:"f"`
	Hostname    string    `json:"h,omitempty"`
	OS          string    `json:"o,omitempty"`
	AppVersion  string    `json:"v,omitempty"`
	Request     string    `json:"rq"` // the verified request, armored
	State       string    `json:"s"`
	Mode        string    `json:"m"` // the signing mode it was submitted under
	Created     int64     `json:"t"`
	Decided     int64     `json:"dt,omitempty"`
	DecidedBy   string    `json:"db,omitempty"` // admin name, or the customer actor when signed at once
	Reason      string    `json:"r,omitempty"`
	Activation  uint64    `json:"a,omitempty"`
	Response    *Document `json:"resp,omitempty"`
}

// CustomerRequest is a customer's request as callers see it. Customers see
// neither DecidedBy nor the customer fields of other accounts.
type CustomerRequest struct {
	ID           string     `json:"id"` // "R12"
	State        string     `json:"state"`
	Mode         string     `json:"mode"`
	License      string     `json:"license"`
	Product      string     `json:"product"`
	Machine      string     `json:"machine"`
	Hostname     string     `json:"hostname,omitempty"`
	OS           string     `json:"os,omitempty"`
	AppVersion   string     `json:"app_version,omitempty"`
	Customer     string     `json:"customer"`
	CustomerName string     `json:"customer_name"`
	Created      time.Time  `json:"created"`
	Decided      *time.Time `json:"decided"`
	DecidedBy    string     `json:"decided_by,omitempty"`
	Reason       string     `json:"reason,omitempty"`
	Activation   string     `json:"activation,omitempty"`
	Repeat       bool       `json:"repeat"` // this very request was submitted before: its record is returned
	Response     *Document  `json:"response,omitempty"`
	QRPNG        string     `json:"qr_png,omitempty"` // base64 PNG of the compact response, when asked for
}

// RequestPage is a page of requests, newest first.
type RequestPage struct {
	Items   []CustomerRequest `json:"items"`
	Total   int               `json:"total"`   // matching the query
	Pending int               `json:"pending"` // waiting for an admin (all customers; admins only)
}

// RequestQuery filters the admins' list of customer requests.
type RequestQuery struct {
	State  string `json:"state"` // "" (all), pending, approved, rejected
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"` // 0: RequestsMaxLimit
}

// RequestsMaxLimit bounds a page of requests.
const RequestsMaxLimit = 500

func reqID(n uint64) string { return "R" + strconv.FormatUint(n, 10) }

func parseReqID(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || (s[0] != 'R' && s[0] != 'r') {
		return 0, fmt.Errorf("%w: %q", ErrRequestNotFound, s)
	}
	n, err := strconv.ParseUint(s[1:], 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%w: %q", ErrRequestNotFound, s)
	}
	return n, nil
}

func getReq(tx *bolt.Tx, id uint64) (custReq, bool, error) {
	var r custReq
	ok, err := getJSON(tx.Bucket(store.BucketCustRequests), store.U64(id), &r)
	return r, ok, err
}

func (r *custReq) view(tx *bolt.Tx, id uint64, admin bool) CustomerRequest {
	out := CustomerRequest{ID: reqID(id), State: r.State, Mode: r.Mode, License: r.License, Product: r.Product,
		Machine: r.Fingerprint, Hostname: r.Hostname, OS: r.OS, AppVersion: r.AppVersion,
		Customer: refString(kindUser, r.User), Created: time.Unix(r.Created, 0).UTC(), Reason: r.Reason, Response: r.Response}
	out.CustomerName, _ = customerName(tx, out.Customer)
	if r.Decided != 0 {
		out.Decided = timePtr(time.Unix(r.Decided, 0))
	}
	if admin {
		out.DecidedBy = r.DecidedBy
	}
	if r.Activation != 0 {
		out.Activation = actID(r.Activation)
	}
	return out
}

func withQR(out *CustomerRequest) error {
	if out.Response == nil {
		return nil
	}
	png, err := qr.Encode(out.Response.Compact)
	if err != nil {
		return fmt.Errorf("response QR code: %w", err)
	}
	out.QRPNG = base64.StdEncoding.EncodeToString(png)
	return nil
}

// ownsPlan checks that the scope sees the license the plan is about (and,
// for an installation already activated, that activation's customer).
// Anything else is answered like a missing license: a customer never learns
// what the reseller's pool or other customers hold.
func ownsPlan(tx *bolt.Tx, sc scope, pl *plan, key string) error {
	if pl == nil || !sc.owns(tx, pl.lic.Assignee) || (pl.existing != 0 && !sc.owns(tx, pl.rec.Customer)) {
		return fmt.Errorf("%w: %s", ErrLicenseNotFound, key)
	}
	return nil
}

// MyPreview is what a customer's activation request would do.
type MyPreview struct {
	Preview
	Mode    string `json:"mode"`     // approval or immediate
	SignNow bool   `json:"sign_now"` // immediate and unlocked: submitting signs at once
}

// MyPreviewActivation shows a customer what their request would do, changing
// nothing. Another customer's license, one not assigned, or an unknown one
// is refused (license_not_found) rather than previewed.
func (p *Portal) MyPreviewActivation(s *Session, data []byte) (MyPreview, error) {
	user, err := p.authCustomer(s)
	if err != nil {
		return MyPreview{}, err
	}
	vr, err := verifyRequest(data)
	if err != nil {
		return MyPreview{}, err
	}
	key := normKey(vr.req.LicenseKey)
	out := MyPreview{Preview: previewOf(vr)}
	err = p.view(func(tx *bolt.Tx) error {
		sc, err := p.customerScope(tx, user)
		if err != nil {
			return err
		}
		ch, err := p.enrolledChain(tx)
		if err != nil {
			return err
		}
		pl, perr := p.planActivation(tx, ch, vr, p.now())
		if err := ownsPlan(tx, sc, pl, key); err != nil {
			return err
		}
		out.Mode = signingMode(tx)
		out.SignNow = out.Mode == SigningImmediate && p.customerKey() != nil
		return out.fill(tx, pl, perr)
	})
	if err != nil {
		return MyPreview{}, fmt.Errorf("activation preview: %w", err)
	}
	return out, nil
}

// MyActivate submits a customer's activation request. It is checked like
// an admin's activation (a refusal changes nothing). In immediate mode it
// is signed at once — refused with ErrSigningLocked while no admin has
// unlocked customer signing — and returned approved with its response; in
// approval mode it is recorded as pending. The same request submitted again
// returns its first record (Repeat), in whatever state it is now.
func (p *Portal) MyActivate(s *Session, data []byte, qrCode bool) (CustomerRequest, error) {
	user, err := p.authCustomer(s)
	if err != nil {
		return CustomerRequest{}, err
	}
	vr, err := verifyRequest(data)
	if err != nil {
		return CustomerRequest{}, err
	}
	actor := customerActor(user)
	var out CustomerRequest
	var key ed25519.PrivateKey
	defer func() { clear(key) }()
	err = p.update(func(tx *bolt.Tx) error {
		sc, err := p.customerScope(tx, user)
		if err != nil {
			return err
		}
		if v := tx.Bucket(store.BucketCustReqNonce).Get(vr.req.Nonce); v != nil {
			id := store.ID(v)
			r, ok, err := getReq(tx, id)
			if err != nil || !ok {
				return fmt.Errorf("request index: %v", err)
			}
			if r.User != user {
				return ErrRequestOtherOwner
			}
			out = r.view(tx, id, false)
			out.Repeat = true
			return nil
		}
		ch, err := p.enrolledChain(tx)
		if err != nil {
			return err
		}
		now := p.now()
		pl, perr := p.planActivation(tx, ch, vr, now)
		if err := ownsPlan(tx, sc, pl, normKey(vr.req.LicenseKey)); err != nil {
			return err
		}
		if perr != nil {
			return perr
		}
		mode := signingMode(tx)
		if mode == SigningImmediate {
			if k := p.customerKey(); k != nil {
				key = append(ed25519.PrivateKey(nil), k...)
			}
			if key == nil {
				return ErrSigningLocked
			}
		}
		b := tx.Bucket(store.BucketCustRequests)
		b.FillPercent = appendFill
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		r := custReq{User: user, License: pl.lic.Key, Product: vr.req.Product, Fingerprint: vr.req.Fingerprint,
			Hostname: clip(vr.req.Hostname), OS: clip(vr.req.OS), AppVersion: clip(vr.req.AppVersion),
			Request: string(vr.doc.Armor()), State: RequestPending, Mode: mode, Created: now.Unix()}
		if mode == SigningImmediate {
			if err := p.signRequest(tx, ch, key, actor, pl, vr, &r, now); err != nil {
				return err
			}
		}
		if err := putJSON(b, store.U64(id), r); err != nil {
			return err
		}
		if err := tx.Bucket(store.BucketCustReqUser).Put(store.Key(store.U64(user), store.U64(id)), nil); err != nil {
			return err
		}
		if err := tx.Bucket(store.BucketCustReqNonce).Put(vr.req.Nonce, store.U64(id)); err != nil {
			return err
		}
		detail := fmt.Sprintf("license %s machine %s host %q", r.License, r.Fingerprint[:16], r.Hostname)
		if r.State == RequestPending {
			if err := tx.Bucket(store.BucketCustReqOpen).Put(store.U64(id), nil); err != nil {
				return err
			}
			if err := p.audit(tx, actor, "request.create", "request:"+reqID(id), detail+" (waits for approval)"); err != nil {
				return err
			}
		} else if err := p.audit(tx, actor, "request.signed", "request:"+reqID(id), detail+" signed at once as activation "+actID(r.Activation)); err != nil {
			return err
		}
		out = r.view(tx, id, false)
		return nil
	})
	if err != nil {
		return CustomerRequest{}, fmt.Errorf("activate: %w", err)
	}
	if qrCode {
		if err := withQR(&out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// MyRequests pages through the requests the customer submitted, newest
// first (an organization manager sees their own submissions too, not the
// other members').
func (p *Portal) MyRequests(s *Session, offset, limit int) (RequestPage, error) {
	user, err := p.authCustomer(s)
	if err != nil {
		return RequestPage{}, err
	}
	if offset < 0 || limit < 0 || limit > RequestsMaxLimit {
		return RequestPage{}, fmt.Errorf("%w: offset must not be negative, limit 0 to %d", ErrInvalidInput, RequestsMaxLimit)
	}
	if limit == 0 {
		limit = RequestsMaxLimit
	}
	page := RequestPage{Items: []CustomerRequest{}}
	err = p.view(func(tx *bolt.Tx) error {
		if _, err := p.customerScope(tx, user); err != nil {
			return err
		}
		prefix := store.U64(user)
		c := tx.Bucket(store.BucketCustReqUser).Cursor()
		k, _ := c.Seek(store.Key(prefix, store.U64(^uint64(0))))
		if k == nil || !bytes.HasPrefix(k, prefix) {
			k, _ = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
			page.Total++
			if page.Total <= offset || len(page.Items) >= limit {
				continue
			}
			id := store.ID(k[8:])
			r, ok, err := getReq(tx, id)
			if err != nil {
				return err
			}
			if ok {
				v := r.view(tx, id, false)
				v.Response = nil // the detail (my.request) hands it out
				page.Items = append(page.Items, v)
			}
		}
		return nil
	})
	return page, err
}

// MyRequest is one of the customer's requests, with its response once
// approved (qrCode adds the response's QR code). Another account's request
// is answered like a missing one.
func (p *Portal) MyRequest(s *Session, id string, qrCode bool) (CustomerRequest, error) {
	user, err := p.authCustomer(s)
	if err != nil {
		return CustomerRequest{}, err
	}
	n, err := parseReqID(id)
	if err != nil {
		return CustomerRequest{}, err
	}
	var out CustomerRequest
	err = p.view(func(tx *bolt.Tx) error {
		if _, err := p.customerScope(tx, user); err != nil {
			return err
		}
		r, ok, err := getReq(tx, n)
		if err != nil {
			return err
		}
		if !ok || r.User != user {
			return fmt.Errorf("%w: %s", ErrRequestNotFound, reqID(n))
		}
		out = r.view(tx, n, false)
		return nil
	})
	if err != nil {
		return CustomerRequest{}, err
	}
	if qrCode {
		if err := withQR(&out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// MyRequestSheetData gathers the printable sheet of an approved request of
// the customer: the stored response (no key is needed to print it).
func (p *Portal) MyRequestSheetData(s *Session, id string) (SheetData, error) {
	user, err := p.authCustomer(s)
	if err != nil {
		return SheetData{}, err
	}
	n, err := parseReqID(id)
	if err != nil {
		return SheetData{}, err
	}
	var out SheetData
	err = p.view(func(tx *bolt.Tx) error {
		if _, err := p.customerScope(tx, user); err != nil {
			return err
		}
		r, ok, err := getReq(tx, n)
		if err != nil {
			return err
		}
		if !ok || r.User != user {
			return fmt.Errorf("%w: %s", ErrRequestNotFound, reqID(n))
		}
		if r.State != RequestApproved || r.Response == nil {
			return fmt.Errorf("%w: %s is %s", ErrRequestNotFound, reqID(n), r.State)
		}
		v := tx.Bucket(store.BucketActivations).Get(store.U64(r.Activation))
		if v == nil {
			return fmt.Errorf("%w: %s", ErrActivationNotFound, actID(r.Activation))
		}
		a, err := decodeAct(v)
		if err != nil {
			return err
		}
		out.Activation = a.view(r.Activation)
		out.Activation.Admin = ""
		if name, err := customerName(tx, a.Customer); err == nil && name != "" {
			out.Activation.CustomerName = name
		}
		out.Response = *r.Response
		out.Issued = time.Unix(r.Decided, 0).UTC()
		if a.Reissued > r.Decided {
			out.Issued = time.Unix(a.Reissued, 0).UTC()
		}
		ch, err := p.loadChain(tx)
		if err != nil {
			return err
		}
		out.brand(tx, ch)
		return nil
	})
	if err != nil {
		return SheetData{}, fmt.Errorf("activation sheet: %w", err)
	}
	return out, nil
}

// MyDeactivationPreview is what a customer's deactivation request would do.
type MyDeactivationPreview struct {
	Activation MyActivation `json:"activation"`
	License    MyLicense    `json:"license"`
}

// errPreviewOnly rolls back a deactivation run only to preview it.
var errPreviewOnly = errors.New("preview only")

// myDeactivateTx runs the deactivation of one of the customer's
// activations in tx: an activation the scope does not own is answered like
// a missing one.
func (p *Portal) myDeactivateTx(tx *bolt.Tx, user uint64, pd *parsedDeactivation) (Activation, error) {
	sc, err := p.customerScope(tx, user)
	if err != nil {
		return Activation{}, err
	}
	v := tx.Bucket(store.BucketActivations).Get(store.U64(pd.id))
	if v == nil {
		return Activation{}, fmt.Errorf("%w: %s", ErrActivationNotFound, pd.req.ActivationID)
	}
	a, err := decodeAct(v)
	if err != nil {
		return Activation{}, err
	}
	if !sc.owns(tx, a.Customer) {
		return Activation{}, fmt.Errorf("%w: %s", ErrActivationNotFound, pd.req.ActivationID)
	}
	return p.deactivateTx(tx, customerActor(user), pd, p.now())
}

func myActivationOf(a Activation) MyActivation {
	return MyActivation{ID: a.ID, License: a.License, Product: a.Product, Status: a.Status, Machine: a.Machine,
		Hostname: a.Hostname, OS: a.OS, AppVersion: a.AppVersion, Created: a.Created, Deactivated: a.Deactivated}
}

// MyPreviewDeactivation checks a customer's deactivation request and shows
// the activation and license it would free a slot of, changing nothing.
func (p *Portal) MyPreviewDeactivation(s *Session, data []byte) (MyDeactivationPreview, error) {
	user, err := p.authCustomer(s)
	if err != nil {
		return MyDeactivationPreview{}, err
	}
	pd, err := parseDeactivation(data)
	if err != nil {
		return MyDeactivationPreview{}, fmt.Errorf("deactivation preview: %w", err)
	}
	var out MyDeactivationPreview
	err = p.update(func(tx *bolt.Tx) error {
		// the license as it is now (the run below is rolled back)
		var before MyLicense
		if v := tx.Bucket(store.BucketActivations).Get(store.U64(pd.id)); v != nil {
			if a, err := decodeAct(v); err == nil {
				if l, ok, err := licBuckets(tx).get(a.License); err == nil && ok {
					before = p.myLicenseView(tx, &l)
				}
			}
		}
		a, err := p.myDeactivateTx(tx, user, pd)
		if err != nil {
			return err
		}
		out.Activation = myActivationOf(a)
		out.Activation.Status, out.Activation.Deactivated = ActStatusActive, nil // as it is now
		out.License = before
		return errPreviewOnly
	})
	if !errors.Is(err, errPreviewOnly) {
		return MyDeactivationPreview{}, fmt.Errorf("deactivation preview: %w", err)
	}
	return out, nil
}

// MyDeactivate processes a customer's deactivation request for one of
// their activations: no key is needed, so it is never queued. The slot is
// freed at once and audited with the customer as actor.
func (p *Portal) MyDeactivate(s *Session, data []byte) (MyDeactivationPreview, error) {
	user, err := p.authCustomer(s)
	if err != nil {
		return MyDeactivationPreview{}, err
	}
	pd, err := parseDeactivation(data)
	if err != nil {
		return MyDeactivationPreview{}, fmt.Errorf("deactivate: %w", err)
	}
	var out MyDeactivationPreview
	err = p.update(func(tx *bolt.Tx) error {
		a, err := p.myDeactivateTx(tx, user, pd)
		if err != nil {
			return err
		}
		out.Activation = myActivationOf(a)
		l, ok, err := licBuckets(tx).get(a.License)
		if err != nil || !ok {
			return fmt.Errorf("%w: %s", ErrLicenseNotFound, a.License)
		}
		out.License = p.myLicenseView(tx, &l)
		return nil
	})
	if err != nil {
		return MyDeactivationPreview{}, fmt.Errorf("deactivate: %w", err)
	}
	return out, nil
}

// ListRequests pages through customers' requests, newest first (admins).
func (p *Portal) ListRequests(s *Session, q RequestQuery) (RequestPage, error) {
	if err := p.auth(s); err != nil {
		return RequestPage{}, err
	}
	switch q.State {
	case "", RequestPending, RequestApproved, RequestRejected:
	default:
		return RequestPage{}, fmt.Errorf("%w: state must be pending, approved, rejected or empty", ErrInvalidInput)
	}
	if q.Offset < 0 || q.Limit < 0 || q.Limit > RequestsMaxLimit {
		return RequestPage{}, fmt.Errorf("%w: offset must not be negative, limit 0 to %d", ErrInvalidInput, RequestsMaxLimit)
	}
	if q.Limit == 0 {
		q.Limit = RequestsMaxLimit
	}
	page := RequestPage{Items: []CustomerRequest{}}
	err := p.view(func(tx *bolt.Tx) error {
		open := tx.Bucket(store.BucketCustReqOpen)
		page.Pending = open.Stats().KeyN
		b := tx.Bucket(store.BucketCustRequests)
		c := b.Cursor()
		if q.State == RequestPending {
			c = open.Cursor()
		}
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			id := store.ID(k)
			r, ok, err := getReq(tx, id)
			if err != nil {
				return err
			}
			if !ok || (q.State != "" && r.State != q.State) {
				continue
			}
			page.Total++
			if page.Total <= q.Offset || len(page.Items) >= q.Limit {
				continue
			}
			v := r.view(tx, id, true)
			v.Response = nil
			page.Items = append(page.Items, v)
		}
		return nil
	})
	return page, err
}

// decide loads a pending request for an admin's decision.
func decide(tx *bolt.Tx, id string) (uint64, custReq, error) {
	n, err := parseReqID(id)
	if err != nil {
		return 0, custReq{}, err
	}
	r, ok, err := getReq(tx, n)
	if err != nil {
		return 0, custReq{}, err
	}
	if !ok {
		return 0, custReq{}, fmt.Errorf("%w: %s", ErrRequestNotFound, reqID(n))
	}
	if r.State != RequestPending {
		return 0, custReq{}, fmt.Errorf("%w: %s is %s", ErrRequestDecided, reqID(n), r.State)
	}
	return n, r, nil
}

// signRequest records the planned activation as actor, signs its
// response and marks r approved with it.
func (p *Portal) signRequest(tx *bolt.Tx, ch *chain, key ed25519.PrivateKey, actor string, pl *plan, vr *verifiedRequest, r *custReq, now time.Time) error {
	ts, err := p.applyActivation(tx, actor, pl, vr, now)
	if err != nil {
		return err
	}
	doc, err := ts.sign(p, ch, key)
	if err != nil {
		return err
	}
	d := docOut(doc)
	r.State, r.Decided, r.DecidedBy, r.Activation, r.Response = RequestApproved, now.Unix(), actor, ts.id, &d
	return nil
}

func (p *Portal) closeRequest(tx *bolt.Tx, n uint64, r *custReq) error {
	if err := putJSON(tx.Bucket(store.BucketCustRequests), store.U64(n), r); err != nil {
		return err
	}
	return tx.Bucket(store.BucketCustReqOpen).Delete(store.U64(n))
}

// ApproveRequest signs a pending customer request with the admin's key. It
// is checked again now: a license used up, expired or moved to another
// customer since the request came in is refused (the request stays pending,
// for the admin to reject with a reason).
func (p *Portal) ApproveRequest(s *Session, id string, qrCode bool) (CustomerRequest, error) {
	if err := p.auth(s); err != nil {
		return CustomerRequest{}, err
	}
	key, err := s.key()
	if err != nil {
		return CustomerRequest{}, err
	}
	var out CustomerRequest
	err = p.update(func(tx *bolt.Tx) error {
		n, r, err := decide(tx, id)
		if err != nil {
			return err
		}
		vr, err := verifyRequest([]byte(r.Request))
		if err != nil {
			return err
		}
		ch, err := p.enrolledChain(tx)
		if err != nil {
			return err
		}
		now := p.now()
		pl, perr := p.planActivation(tx, ch, vr, now)
		if perr != nil {
			return perr
		}
		sc, err := scopeOfUser(tx, r.User)
		if err != nil || ownsPlan(tx, sc, pl, r.License) != nil {
			return fmt.Errorf("%w: %s (%s)", ErrRequestNotOwned, r.License, refString(kindUser, r.User))
		}
		if err := p.signRequest(tx, ch, key, s.Admin(), pl, vr, &r, now); err != nil {
			return err
		}
		if err := p.closeRequest(tx, n, &r); err != nil {
			return err
		}
		if err := p.audit(tx, s.Admin(), "request.approve", "request:"+reqID(n), "activation "+actID(r.Activation)+" for "+customerActor(r.User)); err != nil {
			return err
		}
		out = r.view(tx, n, true)
		return nil
	})
	if err != nil {
		return CustomerRequest{}, fmt.Errorf("approve: %w", err)
	}
	if qrCode {
		if err := withQR(&out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// RejectRequest closes a pending customer request with a reason the
// customer sees.
func (p *Portal) RejectRequest(s *Session, id, reason string) (CustomerRequest, error) {
	if err := p.auth(s); err != nil {
		return CustomerRequest{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxReasonLen || !utf8.ValidString(reason) {
		return CustomerRequest{}, ErrReasonRequired
	}
	reason = clipReason(reason)
	var out CustomerRequest
	err := p.update(func(tx *bolt.Tx) error {
		n, r, err := decide(tx, id)
		if err != nil {
			return err
		}
		r.State, r.Decided, r.DecidedBy, r.Reason = RequestRejected, p.now().Unix(), s.Admin(), reason
		if err := p.closeRequest(tx, n, &r); err != nil {
			return err
		}
		if err := p.audit(tx, s.Admin(), "request.reject", "request:"+reqID(n), reason); err != nil {
			return err
		}
		out = r.view(tx, n, true)
		return nil
	})
	if err != nil {
		return CustomerRequest{}, fmt.Errorf("reject: %w", err)
	}
	return out, nil
}

// clipReason drops control characters other than line breaks.
func clipReason(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// scopeOfUser is what a customer user would see, whatever the state of
// their account (an admin approving a request of a disabled account still
// checks the license is theirs).
func scopeOfUser(tx *bolt.Tx, id uint64) (scope, error) {
	u, err := custBuckets(tx).user(id)
	if err != nil {
		return scope{}, err
	}
	a, _, err := getAccount(tx, id)
	if err != nil {
		return scope{}, err
	}
	return scope{user: id, org: u.Org, manager: a.Manager && u.Org != 0}, nil
}
