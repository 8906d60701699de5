package portal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// HistoryEvent is one entry of a license's history: assignments and
// revocations (its activations are listed from the activation index).
type HistoryEvent struct {
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Customer string    `json:"customer,omitempty"`
	Name     string    `json:"name,omitempty"`
	Detail   string    `json:"detail,omitempty"`
}

// historyRec is the stored form of a HistoryEvent (short names, unix time).
type historyRec struct {
	T int64  `json:"t"`
	A string `json:"a"`
	X string `json:"x"`
	C string `json:"c,omitempty"`
	N string `json:"n,omitempty"`
	D string `json:"d,omitempty"`
}

func (p *Portal) addHistory(tx *bolt.Tx, key string, ev HistoryEvent) error {
	b := tx.Bucket(store.BucketLicHistory)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	return putJSON(b, store.Key([]byte(key), store.Sep, store.U64(seq)),
		historyRec{T: ev.Time.Unix(), A: ev.Actor, X: ev.Action, C: ev.Customer, N: ev.Name, D: ev.Detail})
}

func historyOf(tx *bolt.Tx, key string) ([]HistoryEvent, error) {
	out := []HistoryEvent{}
	prefix := store.Key([]byte(key), store.Sep)
	c := tx.Bucket(store.BucketLicHistory).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var h historyRec
		if err := json.Unmarshal(v, &h); err != nil {
			return nil, err
		}
		out = append(out, HistoryEvent{Time: time.Unix(h.T, 0).UTC(), Actor: h.A, Action: h.X, Customer: h.C, Name: h.N, Detail: h.D})
	}
	return out, nil
}

// normKey is the stored form of a license key (keys are case-insensitive).
func normKey(k string) string { return strings.ToUpper(strings.TrimSpace(k)) }

// customerName resolves a customer ref ("u12"/"o3") inside tx.
func customerName(tx *bolt.Tx, ref string) (string, error) {
	kind, id, err := splitRef(ref)
	if err != nil {
		return "", err
	}
	c := custBuckets(tx)
	if kind == kindUser {
		u, err := c.user(id)
		return u.Name, err
	}
	o, err := c.org(id)
	return o.Name, err
}

// Assign gives license key to a user (customer "u12" or "12" with user set)
// or an organization. An assigned license must be revoked first.
func (p *Portal) Assign(s *Session, key string, userID, orgID string) (License, error) {
	if err := p.auth(s); err != nil {
		return License{}, err
	}
	var ref string
	switch {
	case userID != "" && orgID != "":
		return License{}, fmt.Errorf("%w: give a user or an organization, not both", ErrInvalidInput)
	case userID != "":
		n, err := parseID(kindUser, userID)
		if err != nil {
			return License{}, err
		}
		ref = refString(kindUser, n)
	case orgID != "":
		n, err := parseID(kindOrg, orgID)
		if err != nil {
			return License{}, err
		}
		ref = refString(kindOrg, n)
	default:
		return License{}, fmt.Errorf("%w: give a user or an organization", ErrInvalidInput)
	}
	key = normKey(key)
	var out License
	err := p.update(func(tx *bolt.Tx) error {
		lb := licBuckets(tx)
		l, ok, err := lb.get(key)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: %s", ErrLicenseNotFound, key)
		}
		name, err := customerName(tx, ref)
		if err != nil {
			return err
		}
		if l.Assignee == ref {
			out = p.licenseView(tx, &l)
			return nil // repeat: nothing to change
		}
		if l.Assignee != "" {
			return fmt.Errorf("%w (to %s)", ErrLicenseAssigned, l.Assignee)
		}
		if expired(l.Expires, p.now()) {
			return fmt.Errorf("%w: %s", ErrLicenseExpired, key)
		}
		old := l
		l.Assignee = ref
		if err := lb.put(&old, &l); err != nil {
			return err
		}
		if err := p.addHistory(tx, key, HistoryEvent{Time: p.now(), Actor: s.Admin(), Action: "assign", Customer: ref, Name: name}); err != nil {
			return err
		}
		out = p.licenseView(tx, &l)
		return p.audit(tx, s.Admin(), "license.assign", "license:"+key, "to "+ref+" "+name)
	})
	if err != nil {
		return License{}, fmt.Errorf("assign %s: %w", key, err)
	}
	return out, nil
}

// Revoke takes license key back from its customer. A license with live
// activations is refused: the machines still hold signed responses.
func (p *Portal) Revoke(s *Session, key string) (License, error) {
	if err := p.auth(s); err != nil {
		return License{}, err
	}
	key = normKey(key)
	var out License
	err := p.update(func(tx *bolt.Tx) error {
		lb := licBuckets(tx)
		l, ok, err := lb.get(key)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: %s", ErrLicenseNotFound, key)
		}
		if l.Assignee == "" {
			return fmt.Errorf("%w: %s", ErrLicenseNotAssigned, key)
		}
		if err := p.revokeTx(tx, s, lb, &l); err != nil {
			return err
		}
		out = p.licenseView(tx, &l)
		return nil
	})
	if err != nil {
		return License{}, fmt.Errorf("revoke %s: %w", key, err)
	}
	return out, nil
}

func (p *Portal) revokeTx(tx *bolt.Tx, s *Session, lb licenseTx, l *licenseRec) error {
	if l.ActUsed > 0 {
		return fmt.Errorf("%w: %s has %d", ErrLicenseActive, l.Key, l.ActUsed)
	}
	old := *l
	name, _ := customerName(tx, l.Assignee)
	l.Assignee = ""
	if err := lb.put(&old, l); err != nil {
		return err
	}
	if err := p.addHistory(tx, l.Key, HistoryEvent{Time: p.now(), Actor: s.Admin(), Action: "revoke", Customer: old.Assignee, Name: name}); err != nil {
		return err
	}
	return p.audit(tx, s.Admin(), "license.revoke", "license:"+l.Key, "from "+old.Assignee+" "+name)
}

// releaseLicenses revokes every license of customer ref (when revoke is
// set) or refuses if it holds any.
func (p *Portal) releaseLicenses(tx *bolt.Tx, s *Session, ref string, revoke bool) error {
	prefix := refBytes(ref)
	var keys []string
	c := tx.Bucket(store.BucketLicAssignee).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, string(k[len(prefix):]))
	}
	if len(keys) == 0 {
		return nil
	}
	if !revoke {
		return fmt.Errorf("%w (%d)", ErrCustomerHasLicenses, len(keys))
	}
	lb := licBuckets(tx)
	for _, key := range keys {
		l, ok, err := lb.get(key)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := p.revokeTx(tx, s, lb, &l); err != nil {
			return err
		}
	}
	return nil
}
