package signdoc

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"
)

// ClockSkew is the tolerance applied to validity windows for clocks that
// run a little fast or slow.
const ClockSkew = 5 * time.Minute

// VerifyEnrollmentRequest checks that doc is an enrollment request
// self-signed by the key it names (proof of possession).
func VerifyEnrollmentRequest(doc *Document) (*EnrollmentRequest, error) {
	if err := doc.expect(KindEnrollmentRequest); err != nil {
		return nil, err
	}
	if err := doc.CheckSignature(); err != nil {
		return nil, err
	}
	var p EnrollmentRequest
	if err := decodePayload(doc, &p); err != nil {
		return nil, err
	}
	if !bytes.Equal(p.PublicKey, doc.SignerKey) {
		return nil, fmt.Errorf("%w: enrollment request not signed by the key it names", ErrSignatureInvalid)
	}
	return &p, nil
}

// VerifyCertificate checks a reseller certificate against the publisher key
// the caller trusts (pinned in the portal, embedded in the customer's
// software): it must be signed by publisherPub and carry that key, and be
// valid at now (with ClockSkew). A zero now skips the validity window.
func VerifyCertificate(doc *Document, publisherPub ed25519.PublicKey, now time.Time) (*Certificate, error) {
	if len(publisherPub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: publisher key is %d bytes", ErrPublicKeyInvalid, len(publisherPub))
	}
	if err := doc.expect(KindResellerCertificate); err != nil {
		return nil, err
	}
	if !bytes.Equal(doc.SignerKey, publisherPub) {
		return nil, fmt.Errorf("%w: signed by %s, expected %s", ErrCertificateWrongPublisher, KeyID(doc.SignerKey), KeyID(publisherPub))
	}
	return verifyCertificate(doc, now)
}

// VerifyCertificateCarried checks a reseller certificate against the
// publisher key it carries itself. The portal uses it once, at enrollment,
// to learn the publisher key it then pins.
func VerifyCertificateCarried(doc *Document, now time.Time) (*Certificate, error) {
	if err := doc.expect(KindResellerCertificate); err != nil {
		return nil, err
	}
	return verifyCertificate(doc, now)
}

func verifyCertificate(doc *Document, now time.Time) (*Certificate, error) {
	if err := doc.CheckSignature(); err != nil {
		return nil, fmt.Errorf("reseller certificate: %w", err)
	}
	var c Certificate
	if err := decodePayload(doc, &c); err != nil {
		return nil, err
	}
	if !bytes.Equal(c.PublisherKey, doc.SignerKey) {
		return nil, fmt.Errorf("%w: certificate names publisher %s but is signed by %s", ErrCertificateWrongPublisher, KeyID(c.PublisherKey), KeyID(doc.SignerKey))
	}
	if err := c.ValidAt(now); err != nil {
		return nil, err
	}
	return &c, nil
}

// ValidAt checks the validity window at t (with ClockSkew); a zero t passes.
func (c *Certificate) ValidAt(t time.Time) error {
	switch {
	case t.IsZero():
		return nil
	case t.Add(ClockSkew).Before(c.NotBefore):
		return fmt.Errorf("%w: valid from %s", ErrCertificateNotYetValid, c.NotBefore.Format(time.RFC3339))
	case t.Add(-ClockSkew).After(c.NotAfter):
		return fmt.Errorf("%w: expired %s", ErrCertificateExpired, c.NotAfter.Format(time.RFC3339))
	}
	return nil
}

// VerifyBundle checks an allocation bundle against the pinned publisher key
// and, when resellerID is not empty, that it is addressed to that reseller.
func VerifyBundle(doc *Document, pinnedPublisherPub ed25519.PublicKey, resellerID string) (*Bundle, error) {
	if len(pinnedPublisherPub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: publisher key is %d bytes", ErrPublicKeyInvalid, len(pinnedPublisherPub))
	}
	if err := doc.expect(KindAllocationBundle); err != nil {
		return nil, err
	}
	if !bytes.Equal(doc.SignerKey, pinnedPublisherPub) {
		return nil, fmt.Errorf("%w: bundle signed by %s, pinned publisher is %s", ErrWrongPublisher, KeyID(doc.SignerKey), KeyID(pinnedPublisherPub))
	}
	if err := doc.CheckSignature(); err != nil {
		return nil, err
	}
	var b Bundle
	if err := decodePayload(doc, &b); err != nil {
		return nil, err
	}
	if resellerID != "" && b.ResellerID != resellerID {
		return nil, fmt.Errorf("%w: bundle is for reseller %s", ErrWrongReseller, b.ResellerID)
	}
	return &b, nil
}

// VerifyActivationRequest checks that doc is an activation request
// self-signed by the installation key it names. Whether the license exists
// and has activations left is the portal's business.
func VerifyActivationRequest(doc *Document) (*ActivationRequest, error) {
	if err := doc.expect(KindActivationRequest); err != nil {
		return nil, err
	}
	if err := doc.CheckSignature(); err != nil {
		return nil, err
	}
	var p ActivationRequest
	if err := decodePayload(doc, &p); err != nil {
		return nil, err
	}
	if !bytes.Equal(p.InstallationKey, doc.SignerKey) {
		return nil, fmt.Errorf("%w: request not signed by the installation key it names", ErrSignatureInvalid)
	}
	return &p, nil
}

// VerifyDeactivationRequest checks that doc is a deactivation request
// signed by installationPub, the key recorded with the activation.
func VerifyDeactivationRequest(doc *Document, installationPub ed25519.PublicKey) (*DeactivationRequest, error) {
	if len(installationPub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: installation key is %d bytes", ErrPublicKeyInvalid, len(installationPub))
	}
	if err := doc.expect(KindDeactivationRequest); err != nil {
		return nil, err
	}
	if !bytes.Equal(doc.SignerKey, installationPub) {
		return nil, fmt.Errorf("%w: signed by installation %s", ErrWrongInstallation, KeyID(doc.SignerKey))
	}
	if err := doc.CheckSignature(); err != nil {
		return nil, err
	}
	var p DeactivationRequest
	if err := decodePayload(doc, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ParseDeactivationRequest decodes a deactivation request's payload
// WITHOUT checking the signature, so the portal can look up the activation
// (and its installation key) before calling VerifyDeactivationRequest.
func ParseDeactivationRequest(doc *Document) (*DeactivationRequest, error) {
	if err := doc.expect(KindDeactivationRequest); err != nil {
		return nil, err
	}
	var p DeactivationRequest
	if err := decodePayload(doc, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// VerifyActivationResponse checks the whole chain of an activation response
// against the publisher key the customer's software embeds: the carried
// certificate is signed by publisherPub, valid at the response's issue time
// and at now (a zero now skips the latter), and covers the product; the
// response is signed by the certified reseller key and names that
// certificate. Binding to the machine, installation key and nonce, and the
// apply-by and expiry times, are the client's checks (licenseclient).
func VerifyActivationResponse(doc *Document, publisherPub ed25519.PublicKey, now time.Time) (*ActivationResponse, *Certificate, error) {
	if err := doc.expect(KindActivationResponse); err != nil {
		return nil, nil, err
	}
	var p ActivationResponse
	cert, err := verifyCertified(doc, publisherPub, now, &p)
	if err != nil {
		return nil, nil, err
	}
	if p.ResellerID != cert.ResellerID || p.CertificateSerial != cert.Serial {
		return nil, nil, fmt.Errorf("%w: response names certificate %d of %s", ErrCertificateMismatch, p.CertificateSerial, p.ResellerID)
	}
	if err := cert.ValidAt(p.IssuedAt); err != nil {
		return nil, nil, fmt.Errorf("at issue time: %w", err)
	}
	if !cert.Covers(p.Product) {
		return nil, nil, fmt.Errorf("%w: %q", ErrProductNotCovered, p.Product)
	}
	return &p, cert, nil
}

// VerifyReport checks an activation report against the publisher's own key:
// the carried certificate is the publisher's, and the report is signed by
// the reseller key it certifies. The certificate's validity window is
// checked at the report's creation time.
func VerifyReport(doc *Document, publisherPub ed25519.PublicKey) (*Report, *Certificate, error) {
	if err := doc.expect(KindActivationReport); err != nil {
		return nil, nil, err
	}
	var p Report
	cert, err := verifyCertified(doc, publisherPub, time.Time{}, &p)
	if err != nil {
		return nil, nil, err
	}
	if p.ResellerID != cert.ResellerID || p.CertificateSerial != cert.Serial {
		return nil, nil, fmt.Errorf("%w: report names certificate %d of %s", ErrCertificateMismatch, p.CertificateSerial, p.ResellerID)
	}
	if err := cert.ValidAt(p.CreatedAt); err != nil {
		return nil, nil, fmt.Errorf("at report time: %w", err)
	}
	return &p, cert, nil
}

// verifyCertified verifies a document signed by a certified reseller key:
// the attached certificate against publisherPub, the signer against the
// certificate, the signature, then decodes the payload into p.
func verifyCertified(doc *Document, publisherPub ed25519.PublicKey, now time.Time, p interface{ validate() error }) (*Certificate, error) {
	if doc.Certificate == nil {
		return nil, ErrCertificateMissing
	}
	cert, err := VerifyCertificate(doc.Certificate, publisherPub, now)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(doc.SignerKey, cert.PublicKey) {
		return nil, fmt.Errorf("%w: signed by %s, certificate is for %s", ErrSignerNotCertified, KeyID(doc.SignerKey), KeyID(cert.PublicKey))
	}
	if err := doc.CheckSignature(); err != nil {
		return nil, err
	}
	if err := decodePayload(doc, p); err != nil {
		return nil, err
	}
	return cert, nil
}

// ParseActivationResponse decodes an activation response's payload WITHOUT
// checking any signature: only for a response verified earlier and kept
// locally (the client's installed activation).
func ParseActivationResponse(doc *Document) (*ActivationResponse, error) {
	if err := doc.expect(KindActivationResponse); err != nil {
		return nil, err
	}
	var p ActivationResponse
	if err := decodePayload(doc, &p); err != nil {
		return nil, err
	}
	return &p, nil
}
