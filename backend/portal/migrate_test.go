package portal

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// TestMigrateV1ToV2 takes a real database back to schema 1 (no
// lic_by_expiry bucket) and reopens it: the migration rebuilds the index
// and the expired filter works again.
func TestMigrateV1ToV2(t *testing.T) {
	e := newEnrolled(t, 0)
	exp := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	l := lic("OLD1", "prod", 1)
	l.Expires = &exp
	if _, err := e.p.ImportBundle(e.s, e.pub.bundle(t, e.rid, "b", l, lic("OLD2", "prod", 1))); err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	e.p.view(func(tx *bolt.Tx) error {
		return tx.Bucket(store.BucketLicExpiry).ForEach(func(k, _ []byte) error {
			want = append(want, store.Copy(k))
			return nil
		})
	})
	e.p.update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(store.BucketLicExpiry); err != nil {
			return err
		}
		return tx.Bucket(store.BucketMeta).Put(store.MetaSchema, store.U64(1))
	})
	path := e.p.Path()
	e.p.Close()

	p, err := Open(path, testOpts(e.clock)...)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if v, _ := p.db.Schema(); v != store.SchemaVersion {
		t.Fatalf("schema %d after migration", v)
	}
	var got [][]byte
	p.view(func(tx *bolt.Tx) error {
		return tx.Bucket(store.BucketLicExpiry).ForEach(func(k, _ []byte) error {
			got = append(got, store.Copy(k))
			return nil
		})
	})
	if len(got) != len(want) || len(got) != 2 || !bytes.Equal(got[0], want[0]) || !bytes.Equal(got[1], want[1]) {
		t.Fatalf("rebuilt index %q, want %q", got, want)
	}
	e.clock.Add(60 * 24 * time.Hour)
	s, _ := p.SignIn("alice", testPassword)
	page, err := p.ListLicenses(s, LicenseQuery{Status: StatusExpired})
	if err != nil || len(page.Items) != 1 || page.Items[0].Key != "OLD1" {
		t.Fatalf("expired after migration = %+v, %v", page.Items, err)
	}
	_ = filepath.Join
}
