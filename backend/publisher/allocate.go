package publisher

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/resellerportal/portal/backend/signdoc"
)

// MaxBundleLicenses bounds one allocation so the bundle stays under
// signdoc.MaxBundleSize (about 250 bytes a license armored, with an expiry
// and features, so 100,000 licenses take about 25 MB); allocate more in
// several bundles. A bundle that would still be too large (long features)
// is refused with signdoc.ErrTooLarge.
const MaxBundleLicenses = 100000

// Allocation describes licenses to allocate.
type Allocation struct {
	Product              string
	Count                int
	ActivationsAllowed   int
	DeactivationsAllowed *int       // nil: unlimited
	Expires              *time.Time // nil: perpetual
	Features             map[string]string
}

// Allocate signs an allocation bundle of new licenses for the reseller the
// certificate names. The certificate must be one of this publisher's,
// valid now, and cover the product. The bundle is recorded under bundles/.
func (p *Publisher) Allocate(certData []byte, a Allocation) (*signdoc.Document, *signdoc.Bundle, error) {
	return p.AllocateMany(certData, []Allocation{a})
}

// AllocateMany signs one allocation bundle holding the licenses of several
// allocations (products and terms may differ between them), under the same
// rules as Allocate; the bundle holds at most MaxBundleLicenses in all.
func (p *Publisher) AllocateMany(certData []byte, as []Allocation) (*signdoc.Document, *signdoc.Bundle, error) {
	if err := p.needPrivate(); err != nil {
		return nil, nil, err
	}
	if len(as) == 0 {
		return nil, nil, fmt.Errorf("%w: nothing to allocate", ErrInvalidArgument)
	}
	now := p.now()
	total := 0
	for _, a := range as {
		switch {
		case a.Count < 1 || a.Count > MaxBundleLicenses:
			return nil, nil, fmt.Errorf("%w: count must be 1-%d", ErrInvalidArgument, MaxBundleLicenses)
		case a.ActivationsAllowed < 1:
			return nil, nil, fmt.Errorf("%w: activations must be at least 1", ErrInvalidArgument)
		case a.DeactivationsAllowed != nil && *a.DeactivationsAllowed < 0:
			return nil, nil, fmt.Errorf("%w: deactivations must not be negative", ErrInvalidArgument)
		case a.Expires != nil && !a.Expires.After(now):
			return nil, nil, fmt.Errorf("%w: expiry %s is in the past", ErrInvalidArgument, a.Expires.Format(time.DateOnly))
		}
		if total += a.Count; total > MaxBundleLicenses {
			return nil, nil, fmt.Errorf("%w: at most %d licenses in one bundle", ErrInvalidArgument, MaxBundleLicenses)
		}
	}
	certDoc, err := signdoc.ParseKind(certData, signdoc.KindResellerCertificate)
	if err != nil {
		return nil, nil, fmt.Errorf("reseller certificate: %w", err)
	}
	cert, err := signdoc.VerifyCertificate(certDoc, p.pub, now)
	if err != nil {
		return nil, nil, fmt.Errorf("reseller certificate: %w", err)
	}
	for _, a := range as {
		if _, err := p.Product(a.Product); err != nil {
			return nil, nil, err
		}
		if !cert.Covers(a.Product) {
			return nil, nil, fmt.Errorf("%w: certificate of %s does not list %q", signdoc.ErrProductNotCovered, cert.ResellerName, a.Product)
		}
	}
	b := signdoc.Bundle{BundleID: uuid.NewString(), ResellerID: cert.ResellerID, IssuedAt: now}
	b.Licenses = make([]signdoc.License, 0, total)
	for _, a := range as {
		for range a.Count {
			key, err := NewLicenseKey()
			if err != nil {
				return nil, nil, err
			}
			b.Licenses = append(b.Licenses, signdoc.License{Key: key, Product: a.Product, ActivationsAllowed: a.ActivationsAllowed,
				DeactivationsAllowed: a.DeactivationsAllowed, Expires: a.Expires, Features: a.Features})
		}
	}
	doc, err := signdoc.SignBundle(p.priv, b)
	if err != nil {
		return nil, nil, err
	}
	if err := p.keepFile(bundlesDir, b.BundleID+".bundle", doc.Armor(), true); err != nil {
		return nil, nil, err
	}
	out, err := signdoc.VerifyBundle(doc, p.pub, cert.ResellerID)
	if err != nil {
		return nil, nil, err
	}
	return doc, out, nil
}

// keyAlphabet is Crockford's base32 (no I, L, O, U).
const keyAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewLicenseKey returns an unguessable license key: 100 random bits as
// four groups of five Crockford base32 characters, "XXXXX-XXXXX-XXXXX-XXXXX".
func NewLicenseKey() (string, error) {
	var r [20]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", err
	}
	out := make([]byte, 0, 23)
	for i, c := range r {
		if i > 0 && i%5 == 0 {
			out = append(out, '-')
		}
		out = append(out, keyAlphabet[c&31])
	}
	return string(out), nil
}
