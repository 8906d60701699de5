package portal

import (
	"bytes"
	"fmt"
	"time"

	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// Refusals of ActivationSheetData.
var (
	ErrActivationDeactivated = reply.New("activation_deactivated", "the activation is deactivated; its response can no longer be handed out")
	ErrApplyByPassed         = reply.New("activation_apply_by_passed", "the response's apply-by time has passed; activate the request again to re-issue it")
)

// SheetData is what the printable activation sheet shows: the activation,
// its response (signed again from the stored record: the same bytes the
// activation returned to the request it recorded), and the branding.
type SheetData struct {
	Activation Activation `json:"activation"`
	Response   Document   `json:"response"`
	Issued     time.Time  `json:"issued"` // the response's issued_at (re-issued: the later time)
	Company    string     `json:"company"`
	Domain     string     `json:"domain,omitempty"`
	Logo       []byte     `json:"logo,omitempty"` // PNG or JPEG as stored in the settings
}

// ActivationSheetData gathers what the activation sheet of activation id
// ("A12") needs. Unknown ids give ErrActivationNotFound, deactivated ones
// ErrActivationDeactivated, and ones whose apply-by time has passed
// ErrApplyByPassed (the request must be activated again, which re-issues the
// response). The customer name is the customer's current one (the name
// recorded at activation when the customer is gone).
//
// The response is bound to the nonce of the request the activation
// recorded. A later request of the same installation (answered with the
// same activation, bound to its own nonce) is the one that installation
// waits for: pass it as request (optional; armored or compact) and the
// sheet's response is the one Activate returned to it. A request of another
// installation, machine or license is refused (ErrInvalidInput).
func (p *Portal) ActivationSheetData(s *Session, id string, request []byte) (SheetData, error) {
	if err := p.auth(s); err != nil {
		return SheetData{}, err
	}
	key, err := s.key()
	if err != nil {
		return SheetData{}, err
	}
	n, err := parseActID(id)
	if err != nil {
		return SheetData{}, err
	}
	var vr *verifiedRequest
	if len(request) > 0 {
		if vr, err = verifyRequest(request); err != nil {
			return SheetData{}, err
		}
	}
	var out SheetData
	err = p.view(func(tx *bolt.Tx) error {
		ch, err := p.loadChain(tx)
		if err != nil {
			return err
		}
		if ch == nil {
			return ErrNotEnrolled
		}
		v := tx.Bucket(store.BucketActivations).Get(store.U64(n))
		if v == nil {
			return fmt.Errorf("%w: %s", ErrActivationNotFound, actID(n))
		}
		a, err := decodeAct(v)
		if err != nil {
			return err
		}
		if a.Deactivated != 0 {
			return fmt.Errorf("%w: %s", ErrActivationDeactivated, actID(n))
		}
		if p.now().Unix() >= a.ApplyBy {
			return fmt.Errorf("%w: %s", ErrApplyByPassed, actID(n))
		}
		if vr != nil {
			r := vr.req
			if normKey(r.LicenseKey) != a.License || r.Fingerprint != a.Fingerprint || !bytes.Equal(r.InstallationKey, a.InstallKey) {
				return fmt.Errorf("%w: the request is not one of activation %s (another license, machine or installation)", ErrInvalidInput, actID(n))
			}
			a.Nonce = r.Nonce // as Activate answered it
		}
		lv := tx.Bucket(store.BucketLicenses).Get([]byte(a.License))
		if lv == nil {
			return fmt.Errorf("%w: %s", ErrLicenseNotFound, a.License)
		}
		l, err := decodeLicense(lv)
		if err != nil {
			return err
		}
		doc, err := p.signResponse(ch, key, n, &a, &l)
		if err != nil {
			return err
		}
		out.Activation = a.view(n)
		if name, err := customerName(tx, a.Customer); err == nil && name != "" {
			out.Activation.CustomerName = name
		}
		out.Response = docOut(doc)
		out.Issued = time.Unix(a.Created, 0).UTC()
		if a.Reissued != 0 {
			out.Issued = time.Unix(a.Reissued, 0).UTC()
		}
		out.brand(tx, ch)
		return nil
	})
	if err != nil {
		return SheetData{}, fmt.Errorf("activation sheet: %w", err)
	}
	return out, nil
}

// brand fills the sheet's company, domain and logo from the settings; the
// company defaults to the reseller name the publisher certified (ch may be
// nil: not enrolled).
func (d *SheetData) brand(tx *bolt.Tx, ch *chain) {
	b := tx.Bucket(store.BucketSettings)
	d.Company, d.Domain = string(b.Get(setCompany)), string(b.Get(setDomain))
	if d.Company == "" && ch != nil && ch.cert != nil {
		d.Company = ch.cert.ResellerName
	}
	if logo := b.Get(setLogo); len(logo) > 0 {
		d.Logo = append([]byte(nil), logo...)
	}
}
