package portal

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// enrollment is the meta record written by CompleteEnrollment: the pinned
// publisher key and the certificate as received (binary envelope).
type enrollment struct {
	ResellerID   string    `json:"reseller_id"`
	Serial       uint64    `json:"serial"`
	PublisherKey []byte    `json:"publisher_key"`
	Products     []string  `json:"products"`
	NotBefore    time.Time `json:"not_before"`
	NotAfter     time.Time `json:"not_after"`
	Certificate  []byte    `json:"certificate"`
	Enrolled     time.Time `json:"enrolled"`
}

// chain is the parsed enrollment, cached by the portal.
type chain struct {
	rec     enrollment
	certDoc *signdoc.Document
	cert    *signdoc.Certificate
	raw     []byte // the stored meta record it was parsed from
}

// Enrollment is the enrollment state shown to callers.
type Enrollment struct {
	Enrolled   bool   `json:"enrolled"`
	ResellerID string `json:"reseller_id,omitempty"`
	Serial     uint64 `json:"serial,omitempty"`
	// PublisherKey is the pinned publisher public key itself (unpadded
	// base64url, 43 characters), as `rpctl vendor enroll --json` prints it;
	// PublisherKeyID is its key id (16 hex characters). One name, one
	// meaning: publisher_key is always the key, publisher_key_id its id.
	PublisherKey   string    `json:"publisher_key,omitempty"`
	PublisherKeyID string    `json:"publisher_key_id,omitempty"`
	Products       []string  `json:"products,omitempty"`
	NotBefore      time.Time `json:"not_before,omitzero"`
	NotAfter       time.Time `json:"not_after,omitzero"`
}

// Document is a signed document in both encodings.
type Document struct {
	Armored string `json:"armored"`
	Compact string `json:"compact"`
}

func docOut(d *signdoc.Document) Document {
	return Document{Armored: string(d.Armor()), Compact: d.Compact()}
}

// loadChain reads the enrollment inside tx (nil when not enrolled). The
// parsed, verified chain is cached for as long as the stored bytes are the
// same, so activations do not re-verify the certificate each time.
func (p *Portal) loadChain(tx *bolt.Tx) (*chain, error) {
	raw := tx.Bucket(store.BucketMeta).Get(metaEnrollment)
	if raw == nil {
		return nil, nil
	}
	p.chainMu.Lock()
	cached := p.chainCache
	p.chainMu.Unlock()
	if cached != nil && bytes.Equal(cached.raw, raw) {
		return cached, nil
	}
	var e enrollment
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("stored enrollment: %w", err)
	}
	var d signdoc.Document
	if err := d.UnmarshalBinary(store.Copy(e.Certificate)); err != nil {
		return nil, fmt.Errorf("stored certificate: %w", err)
	}
	c, err := signdoc.VerifyCertificate(&d, ed25519.PublicKey(e.PublisherKey), time.Time{})
	if err != nil {
		return nil, fmt.Errorf("stored certificate: %w", err)
	}
	ch := &chain{rec: e, certDoc: &d, cert: c, raw: store.Copy(raw)}
	p.chainMu.Lock()
	p.chainCache = ch
	p.chainMu.Unlock()
	return ch, nil
}

// EnrollmentRequest makes the self-signed request the publisher turns into
// a reseller certificate.
func (p *Portal) EnrollmentRequest(s *Session) (Document, error) {
	if err := p.auth(s); err != nil {
		return Document{}, err
	}
	key, err := s.key()
	if err != nil {
		return Document{}, err
	}
	var r reseller
	if err := p.view(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(store.BucketMeta), metaReseller, &r)
		return err
	}); err != nil {
		return Document{}, err
	}
	doc, err := signdoc.SignEnrollmentRequest(key, signdoc.EnrollmentRequest{
		ResellerName: r.Name, PublicKey: signdoc.Bytes(key.Public().(ed25519.PublicKey)), CreatedAt: p.now().Truncate(time.Second)})
	if err != nil {
		return Document{}, fmt.Errorf("enrollment request: %w", err)
	}
	return docOut(doc), nil
}

// CompleteEnrollment checks a reseller certificate (signed by the publisher
// key it carries, valid now, certifying this portal's own key) and pins that
// publisher key. A later certificate (renewal) must come from the same
// publisher.
func (p *Portal) CompleteEnrollment(s *Session, certData []byte) (Enrollment, error) {
	if err := p.auth(s); err != nil {
		return Enrollment{}, err
	}
	doc, err := signdoc.ParseKind(certData, signdoc.KindResellerCertificate)
	if err != nil {
		return Enrollment{}, fmt.Errorf("enrollment certificate: %w", err)
	}
	cert, err := signdoc.VerifyCertificateCarried(doc, p.now())
	if err != nil {
		return Enrollment{}, fmt.Errorf("enrollment certificate: %w", err)
	}
	raw, err := doc.MarshalBinary()
	if err != nil {
		return Enrollment{}, err
	}
	var out Enrollment
	err = p.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(store.BucketMeta)
		var r reseller
		if ok, err := getJSON(meta, metaReseller, &r); err != nil || !ok {
			return errors.Join(ErrNotInitialized, err)
		}
		if !bytes.Equal(cert.PublicKey, r.PublicKey) {
			return fmt.Errorf("%w: it certifies key %s, this portal's key is %s", ErrCertNotForUs, signdoc.KeyID(cert.PublicKey), signdoc.KeyID(r.PublicKey))
		}
		old, err := p.loadChain(tx)
		if err != nil {
			return err
		}
		if old != nil && !bytes.Equal(old.rec.PublisherKey, cert.PublisherKey) {
			return fmt.Errorf("%w: enrolled with %s, certificate from %s", ErrWrongPublisher, signdoc.KeyID(old.rec.PublisherKey), signdoc.KeyID(cert.PublisherKey))
		}
		e := enrollment{ResellerID: cert.ResellerID, Serial: cert.Serial, PublisherKey: cert.PublisherKey,
			Products: cert.Products, NotBefore: cert.NotBefore, NotAfter: cert.NotAfter, Certificate: raw, Enrolled: p.now()}
		if old != nil && old.rec.Serial == e.Serial {
			out = enrollmentView(&old.rec)
			return nil // the same certificate again
		}
		if err := putJSON(meta, metaEnrollment, e); err != nil {
			return err
		}
		out = enrollmentView(&e)
		return p.audit(tx, s.Admin(), "enroll.complete", "reseller:"+e.ResellerID,
			fmt.Sprintf("certificate %d from publisher %s, products %v", e.Serial, signdoc.KeyID(e.PublisherKey), e.Products))
	})
	if err != nil {
		return Enrollment{}, fmt.Errorf("complete enrollment: %w", err)
	}
	return out, nil
}

func enrollmentView(e *enrollment) Enrollment {
	return Enrollment{Enrolled: true, ResellerID: e.ResellerID, Serial: e.Serial, PublisherKey: signdoc.Bytes(e.PublisherKey).String(), PublisherKeyID: signdoc.KeyID(e.PublisherKey),
		Products: e.Products, NotBefore: e.NotBefore, NotAfter: e.NotAfter}
}

// GetEnrollment reports the enrollment state.
func (p *Portal) GetEnrollment(s *Session) (Enrollment, error) {
	if err := p.auth(s); err != nil {
		return Enrollment{}, err
	}
	var out Enrollment
	err := p.view(func(tx *bolt.Tx) error {
		var e enrollment
		ok, err := getJSON(tx.Bucket(store.BucketMeta), metaEnrollment, &e)
		if ok {
			out = enrollmentView(&e)
		}
		return err
	})
	return out, err
}

// loadChainView reads the enrollment in its own read transaction.
func (p *Portal) loadChainView() (*chain, error) {
	var ch *chain
	err := p.view(func(tx *bolt.Tx) (err error) { ch, err = p.loadChain(tx); return err })
	return ch, err
}
