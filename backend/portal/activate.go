package portal

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// ApplyWindow is how long a customer has to install a response: apply_by is
// issued_at + 14 days (docs/formats.md; signdoc.DefaultApplyWindow).
const ApplyWindow = signdoc.DefaultApplyWindow

// ActivationResult is the outcome of an offline activation.
type ActivationResult struct {
	Activation Activation `json:"activation"`
	Response   Document   `json:"response"`
	QRPNG      string     `json:"qr_png,omitempty"` // base64 PNG of the compact form, when asked for
	Repeat     bool       `json:"repeat"`           // the request was processed before: same activation
}

// Preview is what an activation would do, shown before signing.
type Preview struct {
	License            string     `json:"license"`
	Product            string     `json:"product"`
	Customer           string     `json:"customer"`
	CustomerName       string     `json:"customer_name"`
	Machine            string     `json:"machine"`
	Hostname           string     `json:"hostname,omitempty"`
	OS                 string     `json:"os,omitempty"`
	AppVersion         string     `json:"app_version,omitempty"`
	ActivationsUsed    int        `json:"activations_used"`
	ActivationsAllowed int        `json:"activations_allowed"`
	ActivationsLeft    int        `json:"activations_left"` // after this activation
	Expires            *time.Time `json:"expires"`
	Repeat             bool       `json:"repeat"`         // an existing activation would be returned
	OK                 bool       `json:"ok"`             // it would be signed
	Code               string     `json:"code,omitempty"` // otherwise why not
	Message            string     `json:"message,omitempty"`
}

// verifiedRequest is a parsed, signature-checked activation request.
type verifiedRequest struct {
	doc *signdoc.Document
	req *signdoc.ActivationRequest
}

func verifyRequest(data []byte) (*verifiedRequest, error) {
	doc, err := signdoc.ParseKind(data, signdoc.KindActivationRequest)
	if err != nil {
		return nil, fmt.Errorf("activation request: %w", err)
	}
	req, err := signdoc.VerifyActivationRequest(doc)
	if err != nil {
		return nil, fmt.Errorf("activation request: %w", err)
	}
	return &verifiedRequest{doc: doc, req: req}, nil
}

// plan is the decision for one request inside a transaction.
type plan struct {
	lic      licenseRec
	existing uint64 // activation to return again (0: new)
	rec      actRec
}

// enrolledChain is loadChain, refusing a portal not enrolled yet.
func (p *Portal) enrolledChain(tx *bolt.Tx) (*chain, error) {
	ch, err := p.loadChain(tx)
	if err == nil && ch == nil {
		err = ErrNotEnrolled
	}
	return ch, err
}

// planActivation checks every rule against the state in tx and changes nothing.
func (p *Portal) planActivation(tx *bolt.Tx, ch *chain, vr *verifiedRequest, now time.Time) (*plan, error) {
	req := vr.req
	if id, a, err := findRepeat(tx, req); err != nil || id != 0 {
		if err != nil {
			return nil, err
		}
		l, _, err := licBuckets(tx).get(a.License)
		switch {
		case err != nil:
		case a.Deactivated != 0:
			err = fmt.Errorf("%w: this installation's activation %s was deactivated", ErrAlreadyDeactivated, actID(id))
		case now.Unix() >= a.ApplyBy:
			// its response must be re-issued, which needs a valid certificate
			if cerr := ch.cert.ValidAt(now); cerr != nil {
				err = fmt.Errorf("%w: %v", ErrCertExpired, cerr)
			}
		}
		return &plan{lic: l, existing: id, rec: a}, err
	}
	key := normKey(req.LicenseKey)
	l, ok, err := licBuckets(tx).get(key)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrLicenseNotFound, key)
	}
	pl := &plan{lic: l}
	switch {
	case req.Product != l.Product:
		return pl, fmt.Errorf("%w: request for %q, license %s is for %q", ErrWrongProduct, req.Product, key, l.Product)
	case !ch.cert.Covers(l.Product):
		return pl, fmt.Errorf("%w: %q", ErrProductNotCovered, l.Product)
	case l.Assignee == "":
		return pl, fmt.Errorf("%w: %s", ErrLicenseNotAssigned, key)
	case expired(l.Expires, now):
		return pl, fmt.Errorf("%w: %s expired %s", ErrLicenseExpired, key, time.Unix(l.Expires, 0).UTC().Format(time.DateOnly))
	}
	if err := ch.cert.ValidAt(now); err != nil {
		return pl, fmt.Errorf("%w: %v", ErrCertExpired, err)
	}
	name, _ := customerName(tx, l.Assignee)
	pl.rec = actRec{License: key, Product: l.Product, Customer: l.Assignee, CustomerName: name,
		Fingerprint: req.Fingerprint, InstallKey: req.InstallationKey, Hostname: clip(req.Hostname),
		OS: clip(req.OS), AppVersion: clip(req.AppVersion), Nonce: req.Nonce, RequestedAt: req.CreatedAt.Unix()}
	if l.ActUsed >= l.ActAllowed {
		return pl, fmt.Errorf("%w: %s has %d of %d in use", ErrOverLimit, key, l.ActUsed, l.ActAllowed)
	}
	return pl, nil
}

// findRepeat looks among the license's activations for one of this very
// installation (same installation key and machine): the same request again,
// or a new request from an installation that is already activated (its
// response was lost before it was installed). A live match wins over a
// deactivated one.
func findRepeat(tx *bolt.Tx, req *signdoc.ActivationRequest) (uint64, actRec, error) {
	acts := tx.Bucket(store.BucketActivations)
	prefix := store.Key([]byte(normKey(req.LicenseKey)), store.Sep)
	c := tx.Bucket(store.BucketActLicense).Cursor()
	var found uint64
	var rec actRec
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		id := store.ID(k[len(prefix):])
		a, err := decodeAct(acts.Get(store.U64(id)))
		if err != nil {
			return 0, actRec{}, err
		}
		if bytes.Equal(a.InstallKey, req.InstallationKey) && a.Fingerprint == req.Fingerprint {
			found, rec = id, a
			if a.Deactivated == 0 {
				break
			}
		}
	}
	return found, rec, nil
}

// clip bounds machine metadata taken from a request and drops control characters.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100])
	}
	return s
}

// toSign is an applied activation whose response is still to be signed.
type toSign struct {
	id  uint64
	rec actRec // with the nonce of the request being answered
	lic licenseRec
}

func (t *toSign) sign(p *Portal, ch *chain, key ed25519.PrivateKey) (*signdoc.Document, error) {
	return p.signResponse(ch, key, t.id, &t.rec, &t.lic)
}

// applyActivation writes the planned activation inside tx; the caller signs
// its response before the transaction commits.
func (p *Portal) applyActivation(tx *bolt.Tx, actor string, pl *plan, vr *verifiedRequest, now time.Time) (toSign, error) {
	if pl.existing != 0 {
		if now.Unix() >= pl.rec.ApplyBy {
			// the earlier response can no longer be installed: re-issue
			// (planActivation checked the certificate is valid now)
			pl.rec.Reissued, pl.rec.ApplyBy = now.Unix(), now.Add(ApplyWindow).Unix()
			if err := putAct(tx.Bucket(store.BucketActivations), store.U64(pl.existing), &pl.rec); err != nil {
				return toSign{}, err
			}
			if err := p.audit(tx, actor, "activation.reissue", "activation:"+actID(pl.existing), "apply-by passed"); err != nil {
				return toSign{}, err
			}
		}
		// answer this request: the stored activation, bound to its nonce
		rec := pl.rec
		rec.Nonce = vr.req.Nonce
		return toSign{id: pl.existing, rec: rec, lic: pl.lic}, nil
	}
	acts := tx.Bucket(store.BucketActivations)
	acts.FillPercent = appendFill // ids only grow: pack pages full
	id, err := acts.NextSequence()
	if err != nil {
		return toSign{}, err
	}
	rec := pl.rec
	rec.Created, rec.ApplyBy, rec.Admin = now.Unix(), now.Add(ApplyWindow).Unix(), actor
	if err := putAct(acts, store.U64(id), &rec); err != nil {
		return toSign{}, err
	}
	ids := store.U64(id)
	if err := tx.Bucket(store.BucketActLicense).Put(store.Key([]byte(rec.License), store.Sep, ids), nil); err != nil {
		return toSign{}, err
	}
	if err := tx.Bucket(store.BucketActCustomer).Put(store.Key(refBytes(rec.Customer), ids), nil); err != nil {
		return toSign{}, err
	}
	old := pl.lic
	l := pl.lic
	l.ActUsed++
	if err := licBuckets(tx).put(&old, &l); err != nil {
		return toSign{}, err
	}
	if err := p.audit(tx, actor, "activation.create", "activation:"+actID(id), fmt.Sprintf("license %s machine %s host %q", l.Key, rec.Fingerprint[:16], rec.Hostname)); err != nil {
		return toSign{}, err
	}
	return toSign{id: id, rec: rec, lic: l}, nil
}

// signResponse builds the response from the stored record; the same record
// always gives the same bytes (Ed25519 is deterministic).
func (p *Portal) signResponse(ch *chain, key ed25519.PrivateKey, id uint64, a *actRec, l *licenseRec) (*signdoc.Document, error) {
	resp := signdoc.ActivationResponse{
		ActivationID: actID(id), ResellerID: ch.rec.ResellerID, CertificateSerial: ch.rec.Serial,
		Product: a.Product, LicenseKey: a.License, Fingerprint: a.Fingerprint, InstallationKey: a.InstallKey,
		Nonce: a.Nonce, IssuedAt: time.Unix(a.Created, 0).UTC(), ApplyBy: time.Unix(a.ApplyBy, 0).UTC(), Features: l.Features,
	}
	if a.Reissued != 0 {
		resp.IssuedAt = time.Unix(a.Reissued, 0).UTC()
	}
	if l.Expires != 0 {
		e := time.Unix(l.Expires, 0).UTC()
		resp.Expires = &e
	}
	return signdoc.SignActivationResponse(key, ch.certDoc, resp)
}

// Activate processes an activation request (armored or compact text): it
// verifies it, checks the license, records the activation and returns the
// signed response. The same request again returns the same activation and
// an equivalent response. withQR adds a PNG of the compact form.
func (p *Portal) Activate(s *Session, data []byte, withQR bool) (ActivationResult, error) {
	if err := p.auth(s); err != nil {
		return ActivationResult{}, err
	}
	key, err := s.key()
	if err != nil {
		return ActivationResult{}, err
	}
	vr, err := verifyRequest(data)
	if err != nil {
		return ActivationResult{}, err
	}
	var res ActivationResult
	// The response is signed inside the transaction (nothing is recorded
	// unless it signs); armoring and compressing it for the compact form
	// runs on another core while the commit writes and fsyncs.
	var encoded chan Document
	err = p.update(func(tx *bolt.Tx) error {
		ch, err := p.enrolledChain(tx)
		if err != nil {
			return err
		}
		now := p.now()
		pl, err := p.planActivation(tx, ch, vr, now)
		if err != nil {
			return err
		}
		ts, err := p.applyActivation(tx, s.Admin(), pl, vr, now)
		if err != nil {
			return err
		}
		id := ts.id
		doc, err := ts.sign(p, ch, key)
		if err != nil {
			return err
		}
		rec, err := decodeAct(tx.Bucket(store.BucketActivations).Get(store.U64(id)))
		if err != nil {
			return err
		}
		res = ActivationResult{Activation: rec.view(id), Repeat: pl.existing != 0}
		encoded = make(chan Document, 1)
		go func() { encoded <- docOut(doc) }()
		return nil
	})
	if encoded != nil {
		res.Response = <-encoded
	}
	if err != nil {
		return ActivationResult{}, fmt.Errorf("activate: %w", err)
	}
	if withQR {
		png, err := qr.Encode(res.Response.Compact)
		if err != nil {
			return res, fmt.Errorf("activate: response QR code: %w", err)
		}
		res.QRPNG = base64.StdEncoding.EncodeToString(png)
	}
	return res, nil
}

// PreviewActivation shows what Activate would do, without signing or
// changing anything. A request that would be refused still previews, with
// OK false and the refusal's code and message.
func (p *Portal) PreviewActivation(s *Session, data []byte) (Preview, error) {
	if err := p.auth(s); err != nil {
		return Preview{}, err
	}
	vr, err := verifyRequest(data)
	if err != nil {
		return Preview{}, err
	}
	pv := previewOf(vr)
	err = p.view(func(tx *bolt.Tx) error {
		ch, err := p.enrolledChain(tx)
		if err != nil {
			return err
		}
		pl, perr := p.planActivation(tx, ch, vr, p.now())
		return pv.fill(tx, pl, perr)
	})
	return pv, err
}

// previewOf is the preview of what the request itself says.
func previewOf(vr *verifiedRequest) Preview {
	req := vr.req
	return Preview{License: normKey(req.LicenseKey), Product: req.Product, Machine: req.Fingerprint,
		Hostname: clip(req.Hostname), OS: clip(req.OS), AppVersion: clip(req.AppVersion)}
}

// fill completes a preview from the plan and its refusal, if any (OK
// otherwise). An error that is not a refusal is returned.
func (pv *Preview) fill(tx *bolt.Tx, pl *plan, perr error) error {
	if pl != nil {
		l := pl.lic
		pv.ActivationsUsed, pv.ActivationsAllowed = l.ActUsed, l.ActAllowed
		pv.ActivationsLeft = l.ActAllowed - l.ActUsed
		if perr == nil && pl.existing == 0 {
			pv.ActivationsLeft--
		}
		if l.Assignee != "" {
			pv.Customer = l.Assignee
			pv.CustomerName, _ = customerName(tx, l.Assignee)
		}
		if l.Expires != 0 {
			e := time.Unix(l.Expires, 0).UTC()
			pv.Expires = &e
		}
		pv.Repeat = pl.existing != 0
	}
	if perr != nil {
		if pl == nil && !isRefusal(perr) {
			return perr
		}
		pv.Code, pv.Message = codeOf(perr), perr.Error()
		return nil
	}
	pv.OK = true
	return nil
}

func isRefusal(err error) bool { return codeOf(err) != "internal" }
