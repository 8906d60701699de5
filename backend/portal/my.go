package portal

import (
	"bytes"
	"fmt"
	"sort"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// The customer operations (my.*): a signed-in customer sees the licenses
// they own — their user's, and an organization manager also the
// organization's and its users' — and nothing of the reseller's pool, of
// other customers, of the admins. Ownership is checked against the database
// in the transaction of each call (scope), so a change by an admin (disable,
// manager, moving the user) takes effect on the next call. Another
// customer's license is answered exactly like a missing one
// (license_not_found): existence never leaks.

// MyLicense is a license as its customer sees it: no bundle, no import time.
type MyLicense struct {
	Key                  string            `json:"key"`
	Product              string            `json:"product"`
	Status               string            `json:"status"`
	Assignee             string            `json:"assignee"`
	AssigneeName         string            `json:"assignee_name"`
	ActivationsUsed      int               `json:"activations_used"`
	ActivationsAllowed   int               `json:"activations_allowed"`
	DeactivationsUsed    int               `json:"deactivations_used"`
	DeactivationsAllowed *int              `json:"deactivations_allowed"` // null: unlimited
	Expires              *time.Time        `json:"expires"`               // null: perpetual
	Features             map[string]string `json:"features,omitempty"`
}

// MyActivation is an activation as its customer sees it (no admin name).
type MyActivation struct {
	ID          string     `json:"id"`
	License     string     `json:"license"`
	Product     string     `json:"product"`
	Status      string     `json:"status"`
	Machine     string     `json:"machine"`
	Hostname    string     `json:"hostname,omitempty"`
	OS          string     `json:"os,omitempty"`
	AppVersion  string     `json:"app_version,omitempty"`
	Created     time.Time  `json:"created"`
	Deactivated *time.Time `json:"deactivated,omitempty"`
}

// MyLicenseDetail is one license with the caller's activations of it.
type MyLicenseDetail struct {
	MyLicense
	Activations []MyActivation `json:"activations"`
}

// MyLicensePage is a page of the caller's licenses, by key.
type MyLicensePage struct {
	Items   []MyLicense `json:"items"`
	HasMore bool        `json:"has_more"`
}

// MyLicensesMaxLimit bounds a page of my.licenses (limit 0 means this).
const MyLicensesMaxLimit = 1000

// scope is what a customer session may see, read in the call's transaction.
type scope struct {
	user    uint64
	org     uint64 // the user's organization (0: none)
	manager bool   // manager of org
}

// customerScope checks the session's account in tx (it must still exist,
// be active and enabled) and returns what it may see.
func (p *Portal) customerScope(tx *bolt.Tx, id uint64) (scope, error) {
	u, err := custBuckets(tx).user(id)
	if err != nil {
		return scope{}, fmt.Errorf("%w: the customer's user is gone", ErrNotSignedIn)
	}
	a, ok, err := getAccount(tx, id)
	if err != nil {
		return scope{}, err
	}
	if !ok || a.Disabled || a.Password == nil {
		return scope{}, fmt.Errorf("%w: the customer account is disabled", ErrNotSignedIn)
	}
	return scope{user: id, org: u.Org, manager: a.Manager && u.Org != 0}, nil
}

// refs are the assignees whose licenses the scope sees.
func (sc scope) refs(tx *bolt.Tx) []string {
	out := []string{refString(kindUser, sc.user)}
	if sc.manager {
		out = append(out, refString(kindOrg, sc.org))
		for _, m := range orgMembers(tx, sc.org) {
			if m != out[0] {
				out = append(out, m)
			}
		}
	}
	return out
}

// owns reports whether the scope sees what is assigned to (or was activated
// for) the customer ref.
func (sc scope) owns(tx *bolt.Tx, ref string) bool {
	kind, id, err := splitRef(ref)
	if err != nil {
		return false
	}
	switch {
	case kind == kindUser && id == sc.user:
		return true
	case !sc.manager:
		return false
	case kind == kindOrg:
		return id == sc.org
	}
	u, err := custBuckets(tx).user(id)
	return err == nil && u.Org == sc.org
}

func (p *Portal) myLicenseView(tx *bolt.Tx, l *licenseRec) MyLicense {
	v := p.licenseView(tx, l)
	out := MyLicense{Key: v.Key, Product: v.Product, Status: v.Status, AssigneeName: v.AssigneeName,
		ActivationsUsed: v.ActivationsUsed, ActivationsAllowed: v.ActivationsAllowed, DeactivationsUsed: v.DeactivationsUsed,
		DeactivationsAllowed: v.DeactivationsAllowed, Expires: v.Expires, Features: v.Features}
	if v.Assignee != nil {
		out.Assignee = *v.Assignee
	}
	return out
}

// MyLicenses pages through the caller's licenses by key (limit 0:
// MyLicensesMaxLimit).
func (p *Portal) MyLicenses(s *Session, offset, limit int) (MyLicensePage, error) {
	id, err := p.authCustomer(s)
	if err != nil {
		return MyLicensePage{}, err
	}
	if offset < 0 || limit < 0 || limit > MyLicensesMaxLimit {
		return MyLicensePage{}, fmt.Errorf("%w: offset must not be negative, limit 0 to %d", ErrInvalidInput, MyLicensesMaxLimit)
	}
	if limit == 0 {
		limit = MyLicensesMaxLimit
	}
	page := MyLicensePage{Items: []MyLicense{}}
	err = p.view(func(tx *bolt.Tx) error {
		sc, err := p.customerScope(tx, id)
		if err != nil {
			return err
		}
		lb := licBuckets(tx)
		var keys []string
		for _, ref := range sc.refs(tx) {
			prefix := refBytes(ref)
			c := lb.assignee.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				keys = append(keys, string(k[len(prefix):]))
			}
		}
		sort.Strings(keys)
		if offset >= len(keys) {
			return nil
		}
		keys = keys[offset:]
		if len(keys) > limit {
			keys, page.HasMore = keys[:limit], true
		}
		for _, k := range keys {
			l, ok, err := lb.get(k)
			if err != nil {
				return err
			}
			if ok && sc.owns(tx, l.Assignee) {
				page.Items = append(page.Items, p.myLicenseView(tx, &l))
			}
		}
		return nil
	})
	if err != nil {
		return MyLicensePage{}, err
	}
	return page, nil
}

// MyLicense returns one of the caller's licenses with the activations made
// for its owners (not those of an earlier holder). A license the caller
// does not own answers license_not_found, like one that does not exist.
func (p *Portal) MyLicense(s *Session, key string) (MyLicenseDetail, error) {
	id, err := p.authCustomer(s)
	if err != nil {
		return MyLicenseDetail{}, err
	}
	key = normKey(key)
	var out MyLicenseDetail
	err = p.view(func(tx *bolt.Tx) error {
		sc, err := p.customerScope(tx, id)
		if err != nil {
			return err
		}
		l, ok, err := licBuckets(tx).get(key)
		if err != nil {
			return err
		}
		if !ok || !sc.owns(tx, l.Assignee) {
			return fmt.Errorf("%w: %s", ErrLicenseNotFound, key)
		}
		out.MyLicense = p.myLicenseView(tx, &l)
		out.Activations = []MyActivation{}
		acts := tx.Bucket(store.BucketActivations)
		prefix := store.Key([]byte(key), store.Sep)
		c := tx.Bucket(store.BucketActLicense).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n := store.ID(k[len(prefix):])
			v := acts.Get(store.U64(n))
			if v == nil {
				continue
			}
			a, err := decodeAct(v)
			if err != nil {
				return err
			}
			if !sc.owns(tx, a.Customer) {
				continue // an earlier holder's machine
			}
			av := a.view(n)
			out.Activations = append(out.Activations, MyActivation{ID: av.ID, License: av.License, Product: av.Product,
				Status: av.Status, Machine: av.Machine, Hostname: av.Hostname, OS: av.OS, AppVersion: av.AppVersion,
				Created: av.Created, Deactivated: av.Deactivated})
		}
		return nil
	})
	if err != nil {
		return MyLicenseDetail{}, err
	}
	return out, nil
}
