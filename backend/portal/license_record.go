package portal

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// License statuses. "expired" is computed from the expiry at read time; the
// status index holds the stored status (available, assigned, active) with
// the expiry and the activation counts as value (statusVal), so a filtered
// page skips expired entries and the dashboard counts without decoding
// records.
const (
	StatusAvailable = "available"
	StatusAssigned  = "assigned"
	StatusActive    = "active"
	StatusExpired   = "expired"
)

// licenseRec is the stored license (short JSON names keep the file small).
type licenseRec struct {
	Key          string            `json:"k"`
	Product      string            `json:"p"`
	Bundle       string            `json:"b"`
	ActAllowed   int               `json:"aa"`
	DeactAllowed int               `json:"da"`          // -1: unlimited
	Expires      int64             `json:"e,omitempty"` // unix seconds; 0: perpetual
	Features     map[string]string `json:"f,omitempty"`
	Assignee     string            `json:"as,omitempty"` // customer ref "u12" or "o3"
	ActUsed      int               `json:"au,omitempty"` // live activations
	DeactUsed    int               `json:"du,omitempty"` // accepted deactivations
	Imported     int64             `json:"i"`
}

func decodeLicense(v []byte) (licenseRec, error) {
	var l licenseRec
	if err := json.Unmarshal(v, &l); err != nil {
		return l, fmt.Errorf("license record: %w", err)
	}
	return l, nil
}

func (l *licenseRec) storedStatus() string {
	switch {
	case l.ActUsed > 0:
		return StatusActive
	case l.Assignee != "":
		return StatusAssigned
	}
	return StatusAvailable
}

func expired(expires int64, now time.Time) bool {
	return expires != 0 && now.Unix() >= expires
}

func (l *licenseRec) status(now time.Time) string {
	if expired(l.Expires, now) {
		return StatusExpired
	}
	return l.storedStatus()
}

// expiryKey orders perpetual licenses last.
func expiryKey(expires int64, key string) []byte {
	e := uint64(math.MaxUint64)
	if expires != 0 {
		e = uint64(expires)
	}
	return store.Key(store.U64(e), []byte(key))
}

func statusKey(status, key string) []byte {
	return store.Key([]byte(status), store.Sep, []byte(key))
}

// statusVal is the status index value: expiry (8, unix seconds, 0 for
// perpetual) | activations allowed (4), big-endian. Live activations are
// not in it (they change on every activation): the meta counter
// metaActLive sums them.
func statusVal(l *licenseRec) []byte {
	b := make([]byte, statusValLen)
	binary.BigEndian.PutUint64(b, uint64(l.Expires))
	binary.BigEndian.PutUint32(b[8:], clampU32(l.ActAllowed))
	return b
}

const statusValLen = 12

// metaActLive is the meta key of the live activations of all licenses
// (u64 BE), kept by licenseTx.put.
var metaActLive = []byte("act_live")

func clampU32(n int) uint32 {
	switch {
	case n < 0:
		return 0
	case n > math.MaxUint32:
		return math.MaxUint32
	}
	return uint32(n)
}

// licenseTx bundles the license buckets of one transaction.
type licenseTx struct {
	lic, status, assignee, product, expiry, meta *bolt.Bucket
}

func licBuckets(tx *bolt.Tx) licenseTx {
	return licenseTx{
		lic:      tx.Bucket(store.BucketLicenses),
		status:   tx.Bucket(store.BucketLicStatus),
		assignee: tx.Bucket(store.BucketLicAssignee),
		product:  tx.Bucket(store.BucketLicProduct),
		expiry:   tx.Bucket(store.BucketLicExpiry),
		meta:     tx.Bucket(store.BucketMeta),
	}
}

func (b licenseTx) get(key string) (licenseRec, bool, error) {
	v := b.lic.Get([]byte(key))
	if v == nil {
		return licenseRec{}, false, nil
	}
	l, err := decodeLicense(v)
	return l, true, err
}

// put writes l and its index entries; old is the previous record (nil for a
// new license) whose stale index entries are removed in the same transaction.
func (b licenseTx) put(old *licenseRec, l *licenseRec) error {
	raw, err := json.Marshal(l)
	if err != nil {
		return err
	}
	if err := b.lic.Put([]byte(l.Key), raw); err != nil {
		return err
	}
	if old == nil || old.storedStatus() != l.storedStatus() || old.ActAllowed != l.ActAllowed || old.Expires != l.Expires {
		if old != nil && old.storedStatus() != l.storedStatus() {
			if err := b.status.Delete(statusKey(old.storedStatus(), old.Key)); err != nil {
				return err
			}
		}
		if err := b.status.Put(statusKey(l.storedStatus(), l.Key), statusVal(l)); err != nil {
			return err
		}
	}
	oldUsed := 0
	if old != nil {
		oldUsed = old.ActUsed
	}
	if l.ActUsed != oldUsed {
		if err := addActLive(b.meta, l.ActUsed-oldUsed); err != nil {
			return err
		}
	}
	if old == nil || old.Assignee != l.Assignee {
		if old != nil && old.Assignee != "" {
			if err := b.assignee.Delete(assigneeKey(old.Assignee, old.Key)); err != nil {
				return err
			}
		}
		if l.Assignee != "" {
			if err := b.assignee.Put(assigneeKey(l.Assignee, l.Key), nil); err != nil {
				return err
			}
		}
	}
	if old == nil {
		if err := b.product.Put(store.Key([]byte(l.Product), store.Sep, []byte(l.Key)), nil); err != nil {
			return err
		}
		if err := b.expiry.Put(expiryKey(l.Expires, l.Key), nil); err != nil {
			return err
		}
	}
	return nil
}

// addActLive adds delta to the live activation counter.
func addActLive(meta *bolt.Bucket, delta int) error {
	n := int64(store.ID(meta.Get(metaActLive))) + int64(delta)
	if n < 0 {
		n = 0
	}
	return meta.Put(metaActLive, store.U64(uint64(n)))
}

func assigneeKey(ref, key string) []byte {
	return store.Key(refBytes(ref), []byte(key))
}
