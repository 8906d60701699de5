package publisher

import (
	"fmt"
	"strconv"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

// DefaultValidDays is the default validity of a reseller certificate.
const DefaultValidDays = 365

// Enroll turns an enrollment request (armored or compact) into a reseller
// certificate for products, valid for validDays from now. The certificate
// carries the publisher's public key. It is recorded under certs/.
func (p *Publisher) Enroll(request []byte, products []string, validDays int) (*signdoc.Document, *signdoc.Certificate, error) {
	if err := p.needPrivate(); err != nil {
		return nil, nil, err
	}
	if validDays < 1 || validDays > 100*366 {
		return nil, nil, fmt.Errorf("%w: validity of %d days", ErrInvalidArgument, validDays)
	}
	if len(products) == 0 {
		return nil, nil, fmt.Errorf("%w: no products", ErrInvalidArgument)
	}
	doc, err := signdoc.ParseKind(request, signdoc.KindEnrollmentRequest)
	if err != nil {
		return nil, nil, fmt.Errorf("enrollment request: %w", err)
	}
	req, err := signdoc.VerifyEnrollmentRequest(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("enrollment request: %w", err)
	}
	seen := map[string]bool{}
	for _, id := range products {
		if _, err := p.Product(id); err != nil {
			return nil, nil, err
		}
		if seen[id] {
			return nil, nil, fmt.Errorf("%w: product %q listed twice", ErrInvalidArgument, id)
		}
		seen[id] = true
	}
	unlock, err := p.lock()
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	st, err := p.loadState()
	if err != nil {
		return nil, nil, err
	}
	now := p.now()
	cert := signdoc.Certificate{
		Serial:       st.NextSerial,
		ResellerName: req.ResellerName,
		PublicKey:    req.PublicKey,
		Products:     products,
		NotBefore:    now,
		NotAfter:     now.Add(time.Duration(validDays) * 24 * time.Hour),
	}
	certDoc, err := signdoc.SignCertificate(p.priv, cert)
	if err != nil {
		return nil, nil, err
	}
	st.NextSerial++
	if err := p.saveState(st); err != nil {
		return nil, nil, err
	}
	if err := p.keepFile(certsDir, strconv.FormatUint(cert.Serial, 10)+".cert", certDoc.Armor(), false); err != nil {
		return nil, nil, err
	}
	out, err := signdoc.VerifyCertificate(certDoc, p.pub, now)
	if err != nil {
		return nil, nil, err
	}
	return certDoc, out, nil
}

func (p *Publisher) saveState(s *state) error { return p.saveJSON(stateFile, s) }
