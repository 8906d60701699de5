package portal

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"sort"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// bundleRec records an imported bundle; Digest is SHA-256 of the signed
// payload, so re-importing the same bundle is recognised.
type bundleRec struct {
	Digest   []byte    `json:"digest"`
	Count    int       `json:"count"`
	IssuedAt time.Time `json:"issued_at"`
	Imported time.Time `json:"imported"`
	Admin    string    `json:"admin"`
}

// ImportResult reports a bundle import.
type ImportResult struct {
	Bundle   string `json:"bundle"`
	Licenses int    `json:"licenses"`
	Already  bool   `json:"already_imported"` // the same bundle was imported before: nothing changed
}

// ImportBundle verifies an allocation bundle (signed by the pinned
// publisher key, addressed to this reseller) and adds all its licenses in
// one transaction, or none. Importing the same bundle again changes nothing.
func (p *Portal) ImportBundle(s *Session, data []byte) (ImportResult, error) {
	if err := p.auth(s); err != nil {
		return ImportResult{}, err
	}
	doc, err := signdoc.ParseKind(data, signdoc.KindAllocationBundle)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import bundle: %w", err)
	}
	var ch *chain
	if err := p.view(func(tx *bolt.Tx) (err error) { ch, err = p.loadChain(tx); return err }); err != nil {
		return ImportResult{}, fmt.Errorf("import bundle: %w", err)
	}
	if ch == nil {
		return ImportResult{}, fmt.Errorf("import bundle: %w", ErrNotEnrolled)
	}
	b, err := signdoc.VerifyBundle(doc, ch.rec.PublisherKey, ch.rec.ResellerID)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import bundle: %w", err)
	}
	digest := sha256.Sum256(doc.Payload)
	res := ImportResult{Bundle: b.BundleID, Licenses: len(b.Licenses)}
	err = p.update(func(tx *bolt.Tx) error {
		var err error
		res.Already, err = p.importTx(tx, s.Admin(), b, digest[:])
		return err
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import bundle %s: %w", b.BundleID, err)
	}
	return res, nil
}

// importTx writes a verified bundle. Licenses come only from here.
func (p *Portal) importTx(tx *bolt.Tx, actor string, b *signdoc.Bundle, digest []byte) (already bool, err error) {
	bundles := tx.Bucket(store.BucketBundles)
	var prev bundleRec
	if ok, err := getJSON(bundles, []byte(b.BundleID), &prev); err != nil {
		return false, err
	} else if ok {
		if bytes.Equal(prev.Digest, digest) {
			return true, nil
		}
		return false, fmt.Errorf("%w: bundle id %s was imported with other contents", ErrBundleConflict, b.BundleID)
	}
	now := p.now()
	recs := make([]licenseRec, len(b.Licenses))
	for i, l := range b.Licenses {
		r := licenseRec{Key: normKey(l.Key), Product: l.Product, Bundle: b.BundleID, ActAllowed: l.ActivationsAllowed,
			DeactAllowed: -1, Features: l.Features, Imported: now.Unix()}
		if r.Key == "" || len(r.Key) > 128 {
			return false, fmt.Errorf("%w: license key %q", ErrDocument, l.Key)
		}
		if l.DeactivationsAllowed != nil {
			r.DeactAllowed = *l.DeactivationsAllowed
		}
		if l.Expires != nil {
			r.Expires = l.Expires.Unix()
		}
		recs[i] = r
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Key < recs[j].Key })
	lb := licBuckets(tx)
	if len(recs) > 100 {
		// keys arrive sorted: fill pages instead of splitting them in half
		lb.lic.FillPercent, lb.status.FillPercent, lb.product.FillPercent, lb.expiry.FillPercent = 0.9, 0.9, 0.9, 0.9
	}
	for i := range recs {
		if i > 0 && recs[i].Key == recs[i-1].Key {
			return false, fmt.Errorf("%w: key %s twice", ErrBundleConflict, recs[i].Key)
		}
		if lb.lic.Get([]byte(recs[i].Key)) != nil {
			return false, fmt.Errorf("%w: %s", ErrBundleConflict, recs[i].Key)
		}
		if err := lb.put(nil, &recs[i]); err != nil {
			return false, err
		}
	}
	if err := putJSON(bundles, []byte(b.BundleID), bundleRec{Digest: digest, Count: len(recs), IssuedAt: b.IssuedAt, Imported: now, Admin: actor}); err != nil {
		return false, err
	}
	return false, p.audit(tx, actor, "license.import", "bundle:"+b.BundleID, fmt.Sprintf("%d licenses", len(recs)))
}
