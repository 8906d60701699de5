package portal

import (
	"bytes"
	"fmt"
	"sort"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// User is a customer person, optionally inside an organization.
type User struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Org      string    `json:"org,omitempty"`
	OrgName  string    `json:"org_name,omitempty"`
	Licenses int       `json:"licenses"`
	Created  time.Time `json:"created"`
}

// Org is a customer organization.
type Org struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Users    int       `json:"users"`
	Licenses int       `json:"licenses"`
	Created  time.Time `json:"created"`
}

type userRec struct {
	Name    string    `json:"name"`
	Email   string    `json:"email"`
	Org     uint64    `json:"org,omitempty"`
	Created time.Time `json:"created"`
}

type orgRec struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// UserInput creates a user; Org is an org id or "".
type UserInput struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Org   string `json:"org"`
}

// UserUpdate changes the fields that are non-nil; Org "" leaves the org.
type UserUpdate struct {
	Name  *string `json:"name"`
	Email *string `json:"email"`
	Org   *string `json:"org"`
}

type custTx struct {
	tx                             *bolt.Tx
	users, orgs, name, email, memb *bolt.Bucket
}

func custBuckets(tx *bolt.Tx) custTx {
	return custTx{tx: tx, users: tx.Bucket(store.BucketUsers), orgs: tx.Bucket(store.BucketOrgs),
		name: tx.Bucket(store.BucketCustName), email: tx.Bucket(store.BucketCustEmail), memb: tx.Bucket(store.BucketOrgMembers)}
}

func (c custTx) user(id uint64) (userRec, error) {
	var u userRec
	ok, err := getJSON(c.users, store.U64(id), &u)
	if err == nil && !ok {
		err = fmt.Errorf("%w: %s", ErrUserNotFound, refString(kindUser, id))
	}
	return u, err
}

func (c custTx) org(id uint64) (orgRec, error) {
	var o orgRec
	ok, err := getJSON(c.orgs, store.U64(id), &o)
	if err == nil && !ok {
		err = fmt.Errorf("%w: %s", ErrOrgNotFound, refString(kindOrg, id))
	}
	return o, err
}

func (c custTx) indexName(ref string, name string, add bool) error {
	for _, tok := range nameTokens(name) {
		k := store.Key([]byte(tok), store.Sep, refBytes(ref))
		var err error
		if add {
			err = c.name.Put(k, nil)
		} else {
			err = c.name.Delete(k)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *Portal) userView(tx *bolt.Tx, id uint64, u userRec) User {
	c := custBuckets(tx)
	out := User{ID: refString(kindUser, id), Name: u.Name, Email: u.Email, Created: u.Created}
	if u.Org != 0 {
		out.Org = refString(kindOrg, u.Org)
		if o, err := c.org(u.Org); err == nil {
			out.OrgName = o.Name
		}
	}
	out.Licenses = countPrefix(tx.Bucket(store.BucketLicAssignee), refBytes(out.ID))
	return out
}

func (p *Portal) orgView(tx *bolt.Tx, id uint64, o orgRec) Org {
	ref := refString(kindOrg, id)
	return Org{ID: ref, Name: o.Name, Created: o.Created,
		Users:    countPrefix(tx.Bucket(store.BucketOrgMembers), store.U64(id)),
		Licenses: countPrefix(tx.Bucket(store.BucketLicAssignee), refBytes(ref))}
}

func countPrefix(b *bolt.Bucket, prefix []byte) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// CreateOrg adds an organization.
func (p *Portal) CreateOrg(s *Session, name string) (Org, error) {
	if err := p.auth(s); err != nil {
		return Org{}, err
	}
	name, err := cleanName("organization name", name, maxNameLen)
	if err != nil {
		return Org{}, err
	}
	var out Org
	err = p.update(func(tx *bolt.Tx) error {
		c := custBuckets(tx)
		id, err := c.orgs.NextSequence()
		if err != nil {
			return err
		}
		o := orgRec{Name: name, Created: p.now()}
		if err := putJSON(c.orgs, store.U64(id), o); err != nil {
			return err
		}
		ref := refString(kindOrg, id)
		if err := c.indexName(ref, name, true); err != nil {
			return err
		}
		out = p.orgView(tx, id, o)
		return p.audit(tx, s.Admin(), "org.create", "org:"+ref, name)
	})
	if err != nil {
		return Org{}, fmt.Errorf("create organization: %w", err)
	}
	return out, nil
}

// UpdateOrg renames an organization.
func (p *Portal) UpdateOrg(s *Session, id, name string) (Org, error) {
	if err := p.auth(s); err != nil {
		return Org{}, err
	}
	n, err := parseID(kindOrg, id)
	if err != nil {
		return Org{}, err
	}
	name, err = cleanName("organization name", name, maxNameLen)
	if err != nil {
		return Org{}, err
	}
	var out Org
	err = p.update(func(tx *bolt.Tx) error {
		c := custBuckets(tx)
		o, err := c.org(n)
		if err != nil {
			return err
		}
		ref := refString(kindOrg, n)
		if err := c.indexName(ref, o.Name, false); err != nil {
			return err
		}
		old := o.Name
		o.Name = name
		if err := putJSON(c.orgs, store.U64(n), o); err != nil {
			return err
		}
		if err := c.indexName(ref, name, true); err != nil {
			return err
		}
		out = p.orgView(tx, n, o)
		return p.audit(tx, s.Admin(), "org.update", "org:"+ref, fmt.Sprintf("name %q -> %q", old, name))
	})
	if err != nil {
		return Org{}, fmt.Errorf("update organization: %w", err)
	}
	return out, nil
}

// GetOrg returns one organization.
func (p *Portal) GetOrg(s *Session, id string) (Org, error) {
	if err := p.auth(s); err != nil {
		return Org{}, err
	}
	n, err := parseID(kindOrg, id)
	if err != nil {
		return Org{}, err
	}
	var out Org
	err = p.view(func(tx *bolt.Tx) error {
		o, err := custBuckets(tx).org(n)
		out = p.orgView(tx, n, o)
		return err
	})
	return out, err
}

// ListOrgs lists organizations by name.
func (p *Portal) ListOrgs(s *Session) ([]Org, error) {
	if err := p.auth(s); err != nil {
		return nil, err
	}
	out := []Org{}
	err := p.view(func(tx *bolt.Tx) error {
		c := custBuckets(tx)
		return c.orgs.ForEach(func(k, v []byte) error {
			var o orgRec
			if _, err := getJSON(c.orgs, k, &o); err != nil {
				return err
			}
			out = append(out, p.orgView(tx, store.ID(k), o))
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// DeleteOrg removes an organization. It is refused while users belong to it
// or while it holds licenses, unless revoke is set (then its licenses are
// revoked in the same transaction; live activations still refuse).
func (p *Portal) DeleteOrg(s *Session, id string, revoke bool) error {
	if err := p.auth(s); err != nil {
		return err
	}
	n, err := parseID(kindOrg, id)
	if err != nil {
		return err
	}
	err = p.update(func(tx *bolt.Tx) error {
		c := custBuckets(tx)
		o, err := c.org(n)
		if err != nil {
			return err
		}
		ref := refString(kindOrg, n)
		if k := countPrefix(c.memb, store.U64(n)); k > 0 {
			return fmt.Errorf("%w (%d)", ErrOrgHasUsers, k)
		}
		if err := p.releaseLicenses(tx, s, ref, revoke); err != nil {
			return err
		}
		if err := c.indexName(ref, o.Name, false); err != nil {
			return err
		}
		if err := c.orgs.Delete(store.U64(n)); err != nil {
			return err
		}
		return p.audit(tx, s.Admin(), "org.delete", "org:"+ref, o.Name)
	})
	if err != nil {
		return fmt.Errorf("delete organization: %w", err)
	}
	return nil
}
