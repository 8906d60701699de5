package portal

import (
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// metaDemo marks a demo database (backend/demo) and holds its sample.
var metaDemo = []byte("demo")

// DemoSample is what a demo database keeps for the person trying it: an
// activation request made by a customer's software for one of its
// licenses, and the public key file of the demo publisher (what that
// software would need to install the response).
type DemoSample struct {
	Request      string `json:"request"`       // armored activation request
	PublisherKey string `json:"publisher_key"` // public key file text
	License      string `json:"license"`
	Product      string `json:"product"`
}

// MarkDemo flags this database as a demo and stores its sample, in one
// transaction with its audit entry. Only backend/demo calls it, on the
// database it has just made.
func (p *Portal) MarkDemo(s *Session, d DemoSample) error {
	if err := p.auth(s); err != nil {
		return err
	}
	return p.update(func(tx *bolt.Tx) error {
		if err := putJSON(tx.Bucket(store.BucketMeta), metaDemo, d); err != nil {
			return err
		}
		return p.audit(tx, s.Admin(), "demo.create", "license:"+d.License, "demo database with a sample activation request")
	})
}

// IsDemo reports whether this is a demo database. It needs no session.
func (p *Portal) IsDemo() (bool, error) {
	var ok bool
	err := p.view(func(tx *bolt.Tx) error {
		ok = tx.Bucket(store.BucketMeta).Get(metaDemo) != nil
		return nil
	})
	return ok, err
}

// Demo returns the demo sample; ok is false on a database that is not a demo.
func (p *Portal) Demo(s *Session) (d DemoSample, ok bool, err error) {
	if err := p.auth(s); err != nil {
		return d, false, err
	}
	err = p.view(func(tx *bolt.Tx) (err error) {
		ok, err = getJSON(tx.Bucket(store.BucketMeta), metaDemo, &d)
		return err
	})
	return d, ok, err
}
