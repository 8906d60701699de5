package signdoc

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
)

// signedMessage is what the signature covers: the kind's domain-separation
// prefix followed by the exact payload bytes.
func signedMessage(k Kind, payload []byte) []byte {
	p := k.SigningPrefix()
	m := make([]byte, 0, len(p)+len(payload))
	return append(append(m, p...), payload...)
}

// SignBytes signs payload (exact bytes, normally JSON) as a document of kind
// k. cert is the reseller certificate to carry; it is required for
// activation responses and reports and refused for other kinds.
func SignBytes(k Kind, priv ed25519.PrivateKey, payload []byte, cert *Document) (*Document, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("%w: kind %d", ErrKindUnknown, k)
	}
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: private key is %d bytes", ErrPublicKeyInvalid, len(priv))
	}
	if len(payload) == 0 {
		return nil, fmt.Errorf("%w: empty payload", ErrPayloadInvalid)
	}
	switch {
	case k.carriesCertificate() && cert == nil:
		return nil, fmt.Errorf("%w: a %s must carry the reseller certificate", ErrCertificateMissing, k.Title())
	case !k.carriesCertificate() && cert != nil:
		return nil, fmt.Errorf("%w: a %s carries no certificate", ErrMalformed, k.Title())
	case cert != nil:
		if err := cert.expect(KindResellerCertificate); err != nil {
			return nil, err
		}
		if cert.Certificate != nil {
			return nil, fmt.Errorf("%w: certificate with an attachment", ErrMalformed)
		}
	}
	d := &Document{
		Version:     FormatVersion,
		Kind:        k,
		Alg:         AlgEd25519,
		SignerKey:   priv.Public().(ed25519.PublicKey),
		Payload:     bytes.Clone(payload),
		Signature:   ed25519.Sign(priv, signedMessage(k, payload)),
		Certificate: cert,
	}
	if n := armoredLen(d); n > k.maxSize() {
		return nil, fmt.Errorf("%w: %d bytes armored", ErrTooLarge, n)
	}
	return d, nil
}

// Sign marshals payload to JSON and signs it as a document of kind k (see
// SignBytes). Prefer the typed Sign functions, which also validate and
// normalise the payload.
func Sign(k Kind, priv ed25519.PrivateKey, payload any, cert *Document) (*Document, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPayloadInvalid, err)
	}
	return SignBytes(k, priv, b, cert)
}

// CheckSignature verifies d's signature with its own signer key over the
// exact payload bytes received. It does not look at the attachment and does
// not say whether the signer is trusted; the Verify functions do that.
func (d *Document) CheckSignature() error {
	if len(d.SignerKey) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: signer key is %d bytes", ErrPublicKeyInvalid, len(d.SignerKey))
	}
	if d.Alg != AlgEd25519 {
		return fmt.Errorf("%w: %q", ErrAlgUnsupported, d.Alg)
	}
	if len(d.Signature) != ed25519.SignatureSize || !ed25519.Verify(d.SignerKey, signedMessage(d.Kind, d.Payload), d.Signature) {
		return fmt.Errorf("%w: %s", ErrSignatureInvalid, d.Kind.Title())
	}
	return nil
}

func signTyped(k Kind, priv ed25519.PrivateKey, p interface{ validate() error }, cert *Document) (*Document, error) {
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrPayloadInvalid, k.Title(), err)
	}
	return Sign(k, priv, p, cert)
}

// SignEnrollmentRequest signs an enrollment request with the reseller key;
// PublicKey is set from priv.
func SignEnrollmentRequest(resellerPriv ed25519.PrivateKey, p EnrollmentRequest) (*Document, error) {
	if len(resellerPriv) == ed25519.PrivateKeySize {
		p.PublicKey = Bytes(resellerPriv.Public().(ed25519.PublicKey))
	}
	p.CreatedAt = seconds(p.CreatedAt)
	return signTyped(KindEnrollmentRequest, resellerPriv, &p, nil)
}

// SignCertificate signs a reseller certificate with the publisher key;
// PublisherKey is set from priv and ResellerID, when empty, from PublicKey.
func SignCertificate(publisherPriv ed25519.PrivateKey, p Certificate) (*Document, error) {
	if len(publisherPriv) == ed25519.PrivateKeySize {
		p.PublisherKey = Bytes(publisherPriv.Public().(ed25519.PublicKey))
	}
	if p.ResellerID == "" && len(p.PublicKey) > 0 {
		p.ResellerID = KeyID(p.PublicKey)
	}
	p.NotBefore, p.NotAfter = seconds(p.NotBefore), seconds(p.NotAfter)
	return signTyped(KindResellerCertificate, publisherPriv, &p, nil)
}

// SignBundle signs an allocation bundle with the publisher key.
func SignBundle(publisherPriv ed25519.PrivateKey, p Bundle) (*Document, error) {
	p.IssuedAt = seconds(p.IssuedAt)
	ls := make([]License, len(p.Licenses))
	for i, l := range p.Licenses {
		l.Expires = secondsPtr(l.Expires)
		ls[i] = l
	}
	p.Licenses = ls
	return signTyped(KindAllocationBundle, publisherPriv, &p, nil)
}

// SignActivationRequest signs an activation request with the installation
// key; InstallationKey is set from priv.
func SignActivationRequest(installationPriv ed25519.PrivateKey, p ActivationRequest) (*Document, error) {
	if len(installationPriv) == ed25519.PrivateKeySize {
		p.InstallationKey = Bytes(installationPriv.Public().(ed25519.PublicKey))
	}
	p.CreatedAt = seconds(p.CreatedAt)
	return signTyped(KindActivationRequest, installationPriv, &p, nil)
}

// SignActivationResponse is the portal's signing step: it signs p with the
// reseller key and attaches certDoc, the reseller certificate the portal
// holds. ResellerID and CertificateSerial are filled in from the
// certificate. It refuses a key the certificate does not certify
// (ErrSignerNotCertified) and a product it does not cover
// (ErrProductNotCovered). The certificate's signature is not re-checked
// here; the portal verified it at enrollment.
func SignActivationResponse(resellerPriv ed25519.PrivateKey, certDoc *Document, p ActivationResponse) (*Document, error) {
	cert, err := certFor(resellerPriv, certDoc)
	if err != nil {
		return nil, err
	}
	if !cert.Covers(p.Product) {
		return nil, fmt.Errorf("%w: %q", ErrProductNotCovered, p.Product)
	}
	p.ResellerID, p.CertificateSerial = cert.ResellerID, cert.Serial
	p.IssuedAt, p.ApplyBy, p.Expires = seconds(p.IssuedAt), seconds(p.ApplyBy), secondsPtr(p.Expires)
	return signTyped(KindActivationResponse, resellerPriv, &p, certDoc)
}

// SignDeactivationRequest signs a deactivation request with the
// installation key the activation is bound to.
func SignDeactivationRequest(installationPriv ed25519.PrivateKey, p DeactivationRequest) (*Document, error) {
	p.CreatedAt = seconds(p.CreatedAt)
	return signTyped(KindDeactivationRequest, installationPriv, &p, nil)
}

// SignReport signs an activation report with the reseller key and attaches
// the reseller certificate; ResellerID and CertificateSerial are filled in
// from it.
func SignReport(resellerPriv ed25519.PrivateKey, certDoc *Document, p Report) (*Document, error) {
	cert, err := certFor(resellerPriv, certDoc)
	if err != nil {
		return nil, err
	}
	p.ResellerID, p.CertificateSerial = cert.ResellerID, cert.Serial
	p.CreatedAt = seconds(p.CreatedAt)
	if p.Events == nil {
		p.Events = []ReportEvent{}
	}
	evs := make([]ReportEvent, len(p.Events))
	for i, e := range p.Events {
		e.At = seconds(e.At)
		evs[i] = e
	}
	p.Events = evs
	return signTyped(KindActivationReport, resellerPriv, &p, certDoc)
}

// certFor decodes certDoc and checks that it certifies resellerPriv's key.
func certFor(resellerPriv ed25519.PrivateKey, certDoc *Document) (*Certificate, error) {
	if certDoc == nil {
		return nil, ErrCertificateMissing
	}
	if err := certDoc.expect(KindResellerCertificate); err != nil {
		return nil, err
	}
	var cert Certificate
	if err := decodePayload(certDoc, &cert); err != nil {
		return nil, err
	}
	if len(resellerPriv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: private key is %d bytes", ErrPublicKeyInvalid, len(resellerPriv))
	}
	if !bytes.Equal(resellerPriv.Public().(ed25519.PublicKey), cert.PublicKey) {
		return nil, fmt.Errorf("%w: the certificate certifies reseller key %s", ErrSignerNotCertified, KeyID(cert.PublicKey))
	}
	return &cert, nil
}
