package portal

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// License is a license as callers see it (JSON names per CLI.md).
type License struct {
	Key                  string            `json:"key"`
	Product              string            `json:"product"`
	Status               string            `json:"status"`
	Assignee             *string           `json:"assignee"` // customer id, null when unassigned
	AssigneeName         string            `json:"assignee_name,omitempty"`
	ActivationsUsed      int               `json:"activations_used"`
	ActivationsAllowed   int               `json:"activations_allowed"`
	DeactivationsUsed    int               `json:"deactivations_used"`
	DeactivationsAllowed *int              `json:"deactivations_allowed"` // null: unlimited
	Expires              *time.Time        `json:"expires"`               // null: perpetual
	Features             map[string]string `json:"features,omitempty"`
	Bundle               string            `json:"bundle"`
	Imported             time.Time         `json:"imported"`
}

// LicenseDetail is one license with its activations and history.
type LicenseDetail struct {
	License
	Activations []Activation   `json:"activations"`
	History     []HistoryEvent `json:"history"`
}

func (p *Portal) licenseView(tx *bolt.Tx, l *licenseRec) License {
	out := License{Key: l.Key, Product: l.Product, Status: l.status(p.now()),
		ActivationsUsed: l.ActUsed, ActivationsAllowed: l.ActAllowed, DeactivationsUsed: l.DeactUsed,
		Features: l.Features, Bundle: l.Bundle, Imported: time.Unix(l.Imported, 0).UTC()}
	if l.Assignee != "" {
		a := l.Assignee
		out.Assignee = &a
		out.AssigneeName, _ = customerName(tx, a)
	}
	if l.DeactAllowed >= 0 {
		d := l.DeactAllowed
		out.DeactivationsAllowed = &d
	}
	if l.Expires != 0 {
		e := time.Unix(l.Expires, 0).UTC()
		out.Expires = &e
	}
	return out
}

// LicenseQuery selects a page of licenses.
type LicenseQuery struct {
	Status   string `json:"status"`   // "", available, assigned, active, expired
	Search   string `json:"search"`   // key prefix, customer name/email (word prefix), product prefix
	Customer string `json:"customer"` // customer id: that customer's licenses (an org's include its users')
	Product  string `json:"product"`  // exact product id
	Sort     string `json:"sort"`     // "key" (default) or "expires"
	Offset   int    `json:"offset"`
	Limit    int    `json:"limit"` // 0: all
}

// LicensePage is one page of a query.
type LicensePage struct {
	Items   []License `json:"items"`
	HasMore bool      `json:"has_more"`
}

// ListLicenses pages through licenses. Every path walks an index with a
// cursor and decodes only the records it returns (or must test).
func (p *Portal) ListLicenses(s *Session, q LicenseQuery) (LicensePage, error) {
	if err := p.auth(s); err != nil {
		return LicensePage{}, err
	}
	switch q.Status {
	case "", StatusAvailable, StatusAssigned, StatusActive, StatusExpired:
	default:
		return LicensePage{}, fmt.Errorf("%w: %q", ErrBadStatus, q.Status)
	}
	switch q.Sort {
	case "", "key", "expires":
	default:
		return LicensePage{}, fmt.Errorf("%w: sort must be key or expires", ErrInvalidInput)
	}
	if q.Offset < 0 || q.Limit < 0 {
		return LicensePage{}, fmt.Errorf("%w: offset and limit must not be negative", ErrInvalidInput)
	}
	if len(q.Search) > maxNameLen {
		return LicensePage{}, fmt.Errorf("%w: search term longer than %d characters", ErrInvalidInput, maxNameLen)
	}
	page := LicensePage{Items: []License{}}
	now := p.now()
	err := p.view(func(tx *bolt.Tx) error {
		lb := licBuckets(tx)
		skip := q.Offset
		var ferr error
		emit := func(key []byte, rec *licenseRec) bool {
			if skip > 0 && q.Status == "" && q.Product == "" {
				skip-- // no filter to test: skip without decoding
				return true
			}
			if rec == nil {
				v := lb.lic.Get(key)
				if v == nil {
					return true
				}
				l, err := decodeLicense(v)
				if err != nil {
					ferr = err
					return false
				}
				rec = &l
			}
			if q.Status != "" && rec.status(now) != q.Status {
				return true
			}
			if q.Product != "" && rec.Product != q.Product {
				return true
			}
			if skip > 0 {
				skip--
				return true
			}
			if q.Limit > 0 && len(page.Items) == q.Limit {
				page.HasMore = true
				return false
			}
			page.Items = append(page.Items, p.licenseView(tx, rec))
			return true
		}
		switch {
		case q.Search != "" || q.Customer != "":
			if err := p.searchLicenses(tx, q, emit); err != nil {
				return err
			}
		case q.Sort == "expires":
			c := lb.expiry.Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				if !emit(k[8:], nil) {
					break
				}
			}
		case q.Status == StatusExpired:
			c := lb.expiry.Cursor()
			for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) <= uint64(now.Unix()); k, _ = c.Next() {
				if !emit(k[8:], nil) {
					break
				}
			}
		case q.Status != "":
			prefix := statusKey(q.Status, "")
			c := lb.status.Cursor()
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if expired(int64(binary.BigEndian.Uint64(v)), now) {
					continue // shown under "expired"
				}
				if !emit(k[len(prefix):], nil) {
					break
				}
			}
		case q.Product != "":
			prefix := store.Key([]byte(q.Product), store.Sep)
			c := lb.product.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				if !emit(k[len(prefix):], nil) {
					break
				}
			}
		default:
			c := lb.lic.Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				if !emit(k, nil) {
					break
				}
			}
		}
		return ferr
	})
	return page, err
}

// searchLicenses feeds emit the licenses matching q.Search (key prefix
// first, then those of matching customers, then product prefix) or of
// q.Customer, each once.
func (p *Portal) searchLicenses(tx *bolt.Tx, q LicenseQuery, emit func([]byte, *licenseRec) bool) error {
	lb := licBuckets(tx)
	seen := map[string]bool{}
	visit := func(k []byte) bool {
		if seen[string(k)] {
			return true
		}
		seen[string(k)] = true
		return emit(k, nil)
	}
	byCustomer := func(refs []string) bool {
		for _, ref := range refs {
			prefix := refBytes(ref)
			c := lb.assignee.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				if !visit(k[len(prefix):]) {
					return false
				}
			}
		}
		return true
	}
	if q.Customer != "" {
		kind, id, err := splitRef(strings.ToLower(strings.TrimSpace(q.Customer)))
		if err != nil {
			return err
		}
		if _, err := customerName(tx, refString(kind, id)); err != nil {
			return err
		}
		refs := []string{refString(kind, id)}
		if kind == kindOrg {
			refs = append(refs, orgMembers(tx, id)...)
		}
		if q.Search == "" {
			byCustomer(refs)
			return nil
		}
		// search within one customer: filter by key prefix
		term := normKey(q.Search)
		for _, ref := range refs {
			prefix := refBytes(ref)
			c := lb.assignee.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				if strings.HasPrefix(string(k[len(prefix):]), term) && !visit(k[len(prefix):]) {
					return nil
				}
			}
		}
		return nil
	}
	term := strings.TrimSpace(q.Search)
	// 1. license key prefix
	keyPrefix := []byte(normKey(term))
	c := lb.lic.Cursor()
	for k, _ := c.Seek(keyPrefix); k != nil && bytes.HasPrefix(k, keyPrefix); k, _ = c.Next() {
		if !visit(k) {
			return nil
		}
	}
	// 2. customers whose name words or email start with the term
	if !byCustomer(matchCustomers(tx, term, 200)) {
		return nil
	}
	// 3. product id prefix
	pc := lb.product.Cursor()
	for k, _ := pc.Seek([]byte(term)); k != nil && bytes.HasPrefix(k, []byte(term)); k, _ = pc.Next() {
		i := bytes.IndexByte(k, 0)
		if i < 0 || !visit(k[i+1:]) {
			return nil
		}
	}
	return nil
}

// matchCustomers returns up to max customer refs whose name word or email
// starts with term (case-insensitive), an org's members after it.
func matchCustomers(tx *bolt.Tx, term string, max int) []string {
	t := []byte(strings.ToLower(term))
	if len(t) == 0 {
		return nil
	}
	var refs []string
	seen := map[string]bool{}
	add := func(ref string) {
		if !seen[ref] && len(refs) < max {
			seen[ref] = true
			refs = append(refs, ref)
		}
	}
	c := tx.Bucket(store.BucketCustName).Cursor()
	for k, _ := c.Seek(t); k != nil && bytes.HasPrefix(k, t) && len(refs) < max; k, _ = c.Next() {
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			continue
		}
		ref := refFromBytes(k[i+1:])
		add(ref)
		if ref != "" && ref[0] == kindOrg {
			_, id, _ := splitRef(ref)
			for _, m := range orgMembers(tx, id) {
				add(m)
			}
		}
	}
	ec := tx.Bucket(store.BucketCustEmail).Cursor()
	for k, v := ec.Seek(t); k != nil && bytes.HasPrefix(k, t) && len(refs) < max; k, v = ec.Next() {
		add(refString(kindUser, store.ID(v)))
	}
	return refs
}

func orgMembers(tx *bolt.Tx, org uint64) []string {
	var out []string
	prefix := store.U64(org)
	c := tx.Bucket(store.BucketOrgMembers).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, refString(kindUser, store.ID(k[8:])))
	}
	return out
}

// GetLicense returns one license with its activations and history.
func (p *Portal) GetLicense(s *Session, key string) (LicenseDetail, error) {
	if err := p.auth(s); err != nil {
		return LicenseDetail{}, err
	}
	key = normKey(key)
	var out LicenseDetail
	err := p.view(func(tx *bolt.Tx) error {
		l, ok, err := licBuckets(tx).get(key)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: %s", ErrLicenseNotFound, key)
		}
		out.License = p.licenseView(tx, &l)
		if out.Activations, err = activationsOfLicense(tx, key); err != nil {
			return err
		}
		out.History, err = historyOf(tx, key)
		return err
	})
	return out, err
}
