package portal

import (
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

var metaEnrollment = []byte("enrollment")

// migrations upgrade older files on Open, one schema step each.
var migrations = []store.Migration{
	// 1 -> 2: schema 1 had no lic_by_expiry index; build it from the licenses.
	{From: 1, Apply: func(tx *bolt.Tx) error {
		idx := tx.Bucket(store.BucketLicExpiry)
		return tx.Bucket(store.BucketLicenses).ForEach(func(k, v []byte) error {
			l, err := decodeLicense(v)
			if err != nil {
				return err
			}
			return idx.Put(expiryKey(l.Expires, l.Key), nil)
		})
	}},
	// 2 -> 3: lic_by_status values grow from the expiry (8) to statusVal
	// (expiry, activations allowed), and meta gets the live activation
	// counter, for the dashboard.
	{From: 2, Apply: func(tx *bolt.Tx) error {
		idx := tx.Bucket(store.BucketLicStatus)
		live := uint64(0)
		err := tx.Bucket(store.BucketLicenses).ForEach(func(k, v []byte) error {
			l, err := decodeLicense(v)
			if err != nil {
				return err
			}
			live += uint64(max(l.ActUsed, 0))
			return idx.Put(statusKey(l.storedStatus(), l.Key), statusVal(&l))
		})
		if err != nil {
			return err
		}
		return tx.Bucket(store.BucketMeta).Put(metaActLive, store.U64(live))
	}},
	// 3 -> 4: the customer account buckets (cust_accounts, cust_invites);
	// store.Open creates them, empty, before the migrations run: nothing to
	// fill.
	{From: 3, Apply: func(tx *bolt.Tx) error { return nil }},
	// 4 -> 5: the customer request buckets (cust_requests and its indexes);
	// store.Open creates them, empty: nothing to fill.
	{From: 4, Apply: func(tx *bolt.Tx) error { return nil }},
}
