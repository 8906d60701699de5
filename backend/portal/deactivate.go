package portal

import (
	"errors"
	"fmt"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// parsedDeactivation is a deactivation request read but not yet verified
// (the installation key to verify it with is in the activation record).
type parsedDeactivation struct {
	doc *signdoc.Document
	req *signdoc.DeactivationRequest
	id  uint64
}

func parseDeactivation(data []byte) (*parsedDeactivation, error) {
	doc, err := signdoc.ParseKind(data, signdoc.KindDeactivationRequest)
	if err != nil {
		return nil, fmt.Errorf("deactivation request: %w", err)
	}
	req, err := signdoc.ParseDeactivationRequest(doc)
	if err != nil {
		return nil, fmt.Errorf("deactivation request: %w", err)
	}
	id, err := parseActID(req.ActivationID)
	if err != nil {
		return nil, err
	}
	return &parsedDeactivation{doc: doc, req: req, id: id}, nil
}

// deactivateTx verifies the request against the installation key recorded
// at activation and frees the slot, once. A refusal of a known activation
// still returns it (unchanged), for the batch to name its license.
func (p *Portal) deactivateTx(tx *bolt.Tx, actor string, pd *parsedDeactivation, now time.Time) (Activation, error) {
	acts := tx.Bucket(store.BucketActivations)
	v := acts.Get(store.U64(pd.id))
	if v == nil {
		return Activation{}, fmt.Errorf("%w: %s", ErrActivationNotFound, pd.req.ActivationID)
	}
	a, err := decodeAct(v)
	if err != nil {
		return Activation{}, err
	}
	if _, err := signdoc.VerifyDeactivationRequest(pd.doc, a.InstallKey); err != nil {
		if errors.Is(err, signdoc.ErrWrongInstallation) {
			return a.view(pd.id), fmt.Errorf("%w: %v", ErrInstallKeyMismatch, err)
		}
		return a.view(pd.id), fmt.Errorf("deactivation request: %w", err)
	}
	if normKey(pd.req.LicenseKey) != a.License || pd.req.Fingerprint != a.Fingerprint || pd.req.Product != a.Product {
		return a.view(pd.id), fmt.Errorf("%w: request names license %s / another machine than activation %s", ErrInvalidInput, pd.req.LicenseKey, actID(pd.id))
	}
	if a.Deactivated != 0 {
		return a.view(pd.id), fmt.Errorf("%w: %s on %s", ErrAlreadyDeactivated, actID(pd.id), time.Unix(a.Deactivated, 0).UTC().Format(time.RFC3339))
	}
	lb := licBuckets(tx)
	l, ok, err := lb.get(a.License)
	if err != nil {
		return a.view(pd.id), err
	}
	if !ok {
		return a.view(pd.id), fmt.Errorf("%w: %s", ErrLicenseNotFound, a.License)
	}
	if l.DeactAllowed >= 0 && l.DeactUsed >= l.DeactAllowed {
		return a.view(pd.id), fmt.Errorf("%w: %s used %d of %d", ErrDeactivationLimit, l.Key, l.DeactUsed, l.DeactAllowed)
	}
	a.Deactivated = now.Unix()
	if err := putAct(acts, store.U64(pd.id), &a); err != nil {
		return Activation{}, err
	}
	old := l
	if l.ActUsed > 0 {
		l.ActUsed--
	}
	l.DeactUsed++
	if err := lb.put(&old, &l); err != nil {
		return Activation{}, err
	}
	if err := p.audit(tx, actor, "activation.deactivate", "activation:"+actID(pd.id), "license "+l.Key); err != nil {
		return Activation{}, err
	}
	return a.view(pd.id), nil
}

// Deactivate processes a deactivation request (armored or compact text).
// A request for an activation already deactivated is refused
// (already_deactivated) and changes nothing.
func (p *Portal) Deactivate(s *Session, data []byte) (Activation, error) {
	if err := p.auth(s); err != nil {
		return Activation{}, err
	}
	pd, err := parseDeactivation(data)
	if err != nil {
		return Activation{}, fmt.Errorf("deactivate: %w", err)
	}
	var out Activation
	err = p.update(func(tx *bolt.Tx) error {
		var err error
		out, err = p.deactivateTx(tx, s.Admin(), pd, p.now())
		return err
	})
	if err != nil {
		return Activation{}, fmt.Errorf("deactivate: %w", err)
	}
	return out, nil
}
