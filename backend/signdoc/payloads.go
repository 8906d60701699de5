package signdoc

import (
	"crypto/ed25519"
	"time"
)

// The payload of each kind. Field names are the JSON (snake_case) names of
// docs/formats.md. Times are RFC 3339 in UTC, whole seconds.

// EnrollmentRequest asks the publisher to certify a reseller key. It is
// self-signed by that key (proof of possession).
type EnrollmentRequest struct {
	ResellerName string    `json:"reseller_name"`
	PublicKey    Bytes     `json:"public_key"` // the reseller's ed25519 public key; also the signer
	CreatedAt    time.Time `json:"created_at"`
}

func (p *EnrollmentRequest) validate() error {
	return firstErr(need(p.ResellerName != "", "reseller_name"),
		need(len(p.PublicKey) == ed25519.PublicKeySize, "public_key"),
		need(!p.CreatedAt.IsZero(), "created_at"))
}

// Certificate is the reseller certificate, signed by the publisher root.
type Certificate struct {
	Serial       uint64    `json:"serial"`      // unique per publisher
	ResellerID   string    `json:"reseller_id"` // KeyID(PublicKey)
	ResellerName string    `json:"reseller_name"`
	PublicKey    Bytes     `json:"public_key"` // the reseller's key
	Products     []string  `json:"products"`   // product ids the reseller may serve
	NotBefore    time.Time `json:"not_before"`
	NotAfter     time.Time `json:"not_after"`
	PublisherKey Bytes     `json:"publisher_key"` // the issuing publisher's key; equals the signer
}

func (p *Certificate) validate() error {
	return firstErr(need(p.Serial > 0, "serial"), need(p.ResellerID != "" && p.ResellerID == KeyID(p.PublicKey), "reseller_id"),
		need(p.ResellerName != "", "reseller_name"),
		need(len(p.PublicKey) == ed25519.PublicKeySize, "public_key"),
		need(len(p.Products) > 0, "products"),
		need(!p.NotBefore.IsZero(), "not_before"), need(p.NotAfter.After(p.NotBefore), "not_after"),
		need(len(p.PublisherKey) == ed25519.PublicKeySize, "publisher_key"))
}

// Covers reports whether the certificate lists product.
func (p *Certificate) Covers(product string) bool {
	for _, q := range p.Products {
		if q == product {
			return true
		}
	}
	return false
}

// License is one license inside an allocation bundle.
type License struct {
	Key                string `json:"key"`
	Product            string `json:"product"`
	ActivationsAllowed int    `json:"activations_allowed"`
	// DeactivationsAllowed is nil for unlimited deactivations.
	DeactivationsAllowed *int `json:"deactivations_allowed,omitempty"`
	// Expires is nil for a perpetual license.
	Expires  *time.Time        `json:"expires,omitempty"`
	Features map[string]string `json:"features,omitempty"`
}

// Bundle is an allocation bundle: licenses the publisher gives a reseller.
type Bundle struct {
	BundleID   string    `json:"bundle_id"`
	ResellerID string    `json:"reseller_id"`
	IssuedAt   time.Time `json:"issued_at"`
	Licenses   []License `json:"licenses"`
}

func (p *Bundle) validate() error {
	if err := firstErr(need(p.BundleID != "", "bundle_id"), need(p.ResellerID != "", "reseller_id"),
		need(!p.IssuedAt.IsZero(), "issued_at"), need(len(p.Licenses) > 0, "licenses")); err != nil {
		return err
	}
	seen := make(map[string]bool, len(p.Licenses))
	for i := range p.Licenses {
		l := &p.Licenses[i]
		if err := firstErr(need(l.Key != "" && !seen[l.Key], "licenses[].key"), need(l.Product != "", "licenses[].product"),
			need(l.ActivationsAllowed > 0, "licenses[].activations_allowed"),
			need(l.DeactivationsAllowed == nil || *l.DeactivationsAllowed >= 0, "licenses[].deactivations_allowed")); err != nil {
			return err
		}
		seen[l.Key] = true
	}
	return nil
}

// ActivationRequest is made on the customer's machine and self-signed by a
// per-installation key.
type ActivationRequest struct {
	Product         string    `json:"product"`
	LicenseKey      string    `json:"license_key"`
	Fingerprint     string    `json:"fingerprint"`      // see Fingerprint
	InstallationKey Bytes     `json:"installation_key"` // also the signer
	Hostname        string    `json:"hostname,omitempty"`
	OS              string    `json:"os,omitempty"`
	AppVersion      string    `json:"app_version,omitempty"`
	Nonce           Bytes     `json:"nonce"` // 16 random bytes
	CreatedAt       time.Time `json:"created_at"`
}

func (p *ActivationRequest) validate() error {
	return firstErr(need(p.Product != "", "product"), need(p.LicenseKey != "", "license_key"),
		need(isFingerprint(p.Fingerprint), "fingerprint"),
		need(len(p.InstallationKey) == ed25519.PublicKeySize, "installation_key"),
		need(len(p.Nonce) >= 8 && len(p.Nonce) <= 64, "nonce"), need(!p.CreatedAt.IsZero(), "created_at"))
}

// ActivationResponse is the portal's answer, signed by the reseller key and
// carrying the reseller certificate. It is bound to one installation.
type ActivationResponse struct {
	ActivationID      string            `json:"activation_id"`
	ResellerID        string            `json:"reseller_id"`
	CertificateSerial uint64            `json:"certificate_serial"` // serial of the carried certificate
	Product           string            `json:"product"`
	LicenseKey        string            `json:"license_key"`
	Fingerprint       string            `json:"fingerprint"`
	InstallationKey   Bytes             `json:"installation_key"`
	Nonce             Bytes             `json:"nonce"` // the request's nonce
	IssuedAt          time.Time         `json:"issued_at"`
	ApplyBy           time.Time         `json:"apply_by"`          // must be installed before this
	Expires           *time.Time        `json:"expires,omitempty"` // license expiry; nil: perpetual
	Features          map[string]string `json:"features,omitempty"`
}

func (p *ActivationResponse) validate() error {
	return firstErr(need(p.ActivationID != "", "activation_id"), need(p.ResellerID != "", "reseller_id"),
		need(p.CertificateSerial > 0, "certificate_serial"),
		need(p.Product != "", "product"), need(p.LicenseKey != "", "license_key"),
		need(isFingerprint(p.Fingerprint), "fingerprint"),
		need(len(p.InstallationKey) == ed25519.PublicKeySize, "installation_key"),
		need(len(p.Nonce) >= 8 && len(p.Nonce) <= 64, "nonce"), need(!p.IssuedAt.IsZero(), "issued_at"),
		need(p.ApplyBy.After(p.IssuedAt), "apply_by"))
}

// DeactivationRequest gives an activation back. It is signed by the
// installation key the activation is bound to.
type DeactivationRequest struct {
	ActivationID string    `json:"activation_id"`
	Product      string    `json:"product"`
	LicenseKey   string    `json:"license_key"`
	Fingerprint  string    `json:"fingerprint"`
	CreatedAt    time.Time `json:"created_at"`
}

func (p *DeactivationRequest) validate() error {
	return firstErr(need(p.ActivationID != "", "activation_id"), need(p.Product != "", "product"),
		need(p.LicenseKey != "", "license_key"), need(isFingerprint(p.Fingerprint), "fingerprint"),
		need(!p.CreatedAt.IsZero(), "created_at"))
}

// Event types of an activation report.
const (
	EventActivation   = "activation"
	EventDeactivation = "deactivation"
)

// ReportEvent is one activation or deactivation in a report.
type ReportEvent struct {
	Seq          uint64    `json:"seq"`  // numbered across all reports of the reseller, from 1
	Type         string    `json:"type"` // EventActivation or EventDeactivation
	ActivationID string    `json:"activation_id"`
	LicenseKey   string    `json:"license_key"`
	Product      string    `json:"product"`
	Fingerprint  string    `json:"fingerprint"`
	At           time.Time `json:"at"`
}

// Report is an activation report: the events since the previous report,
// signed by the reseller key and carrying the reseller certificate.
type Report struct {
	Number            uint64        `json:"number"` // 1 for the first report, then 2, ...
	ResellerID        string        `json:"reseller_id"`
	CertificateSerial uint64        `json:"certificate_serial"`
	CreatedAt         time.Time     `json:"created_at"`
	Events            []ReportEvent `json:"events"` // may be empty
}

func (p *Report) validate() error {
	if err := firstErr(need(p.Number > 0, "number"), need(p.ResellerID != "", "reseller_id"),
		need(p.CertificateSerial > 0, "certificate_serial"), need(!p.CreatedAt.IsZero(), "created_at"),
		need(p.Events != nil, "events")); err != nil {
		return err
	}
	for i := range p.Events {
		e := &p.Events[i]
		if err := firstErr(need(e.Seq > 0 && (i == 0 || e.Seq > p.Events[i-1].Seq), "events[].seq"),
			need(e.Type == EventActivation || e.Type == EventDeactivation, "events[].type"),
			need(e.ActivationID != "", "events[].activation_id"), need(e.LicenseKey != "", "events[].license_key"),
			need(!e.At.IsZero(), "events[].at")); err != nil {
			return err
		}
	}
	return nil
}
