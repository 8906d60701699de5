package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func newTestDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "portal.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenCreatesEveryBucket(t *testing.T) {
	db := newTestDB(t)
	if v, err := db.Schema(); err != nil || v != SchemaVersion {
		t.Fatalf("schema = %d, %v", v, err)
	}
	db.View(func(tx *bolt.Tx) error {
		for _, b := range AllBuckets {
			if tx.Bucket(b) == nil {
				t.Errorf("bucket %s missing", b)
			}
		}
		return nil
	})
}

func TestSecondOpenerGetsInUse(t *testing.T) {
	db := newTestDB(t)
	start := time.Now()
	_, err := Open(db.Path(), Options{})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("second open took %v", d)
	}
}

func TestOpenRefusals(t *testing.T) {
	dir := t.TempDir()
	notBolt := filepath.Join(dir, "text.db")
	os.WriteFile(notBolt, bytes.Repeat([]byte("not a database "), 1000), 0o600)

	foreign := filepath.Join(dir, "foreign.db")
	fdb, _ := bolt.Open(foreign, 0o600, nil)
	fdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
	fdb.Close()

	newer := filepath.Join(dir, "newer.db")
	ndb, _ := Open(newer, Options{})
	ndb.Update(func(tx *bolt.Tx) error { return tx.Bucket(BucketMeta).Put(MetaSchema, U64(SchemaVersion+1)) })
	ndb.Close()

	for _, tc := range []struct {
		name string
		path string
		want error
	}{
		{"not bbolt", notBolt, ErrNotPortalDB},
		{"foreign bbolt", foreign, ErrNotPortalDB},
		{"newer schema", newer, ErrSchemaTooNew},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(tc.path)
			_, err := Open(tc.path, Options{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("Open = %v, want %v", err, tc.want)
			}
			if _, verr := Validate(tc.path); !errors.Is(verr, tc.want) {
				t.Fatalf("Validate = %v, want %v", verr, tc.want)
			}
			after, _ := os.ReadFile(tc.path)
			if !bytes.Equal(before, after) {
				t.Fatal("refused file was changed")
			}
		})
	}
}

// makeV1 writes a schema-1 file: no lic_by_expiry bucket.
func makeV1(t *testing.T, path string) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bolt.Tx) error {
		for _, b := range AllBuckets {
			if bytes.Equal(b, BucketLicExpiry) {
				continue
			}
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		tx.Bucket(BucketLicenses).Put([]byte("K1"), []byte("x"))
		return tx.Bucket(BucketMeta).Put(MetaSchema, U64(1))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrationFromV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	makeV1(t, path)
	ran := 0
	mig := []Migration{{From: 1, Apply: func(tx *bolt.Tx) error {
		ran++
		if tx.Bucket(BucketLicExpiry) == nil {
			return errors.New("bucket not created before migration")
		}
		return tx.Bucket(BucketLicExpiry).Put([]byte("built"), nil)
	}}}
	db, err := Open(path, Options{Migrations: mig})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.Schema(); v != SchemaVersion || ran != 1 {
		t.Fatalf("schema %d after migration, ran %d", v, ran)
	}
	db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(BucketLicExpiry).Get([]byte("built")) == nil {
			t.Error("migration effect missing")
		}
		return nil
	})
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	makeV1(t, path)
	mig := []Migration{{From: 1, Apply: func(tx *bolt.Tx) error { return errors.New("boom") }}}
	if _, err := Open(path, Options{Migrations: mig}); !errors.Is(err, ErrMigration) {
		t.Fatalf("Open = %v, want ErrMigration", err)
	}
	bdb, _ := bolt.Open(path, 0o600, nil)
	defer bdb.Close()
	bdb.View(func(tx *bolt.Tx) error {
		if v := ID(tx.Bucket(BucketMeta).Get(MetaSchema)); v != 1 {
			t.Errorf("schema %d after failed migration", v)
		}
		if tx.Bucket(BucketLicExpiry) != nil {
			t.Error("bucket created by a failed migration")
		}
		return nil
	})
}

func TestBackupValidates(t *testing.T) {
	db := newTestDB(t)
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(BucketLicenses).Put([]byte("K"), []byte("v")) })
	out := filepath.Join(t.TempDir(), "b.db")
	if err := db.Backup(out); err != nil {
		t.Fatal(err)
	}
	if v, err := Validate(out); err != nil || v != SchemaVersion {
		t.Fatalf("Validate = %d, %v", v, err)
	}
	// a truncated copy is refused
	b, _ := os.ReadFile(out)
	trunc := filepath.Join(t.TempDir(), "t.db")
	os.WriteFile(trunc, b[:len(b)/3], 0o600)
	if _, err := Validate(trunc); !errors.Is(err, ErrNotPortalDB) {
		t.Fatalf("truncated: %v", err)
	}
}

func TestKeys(t *testing.T) {
	if ID(U64(1<<40+5)) != 1<<40+5 || ID([]byte{1}) != 0 {
		t.Fatal("U64/ID round trip")
	}
	if bytes.Compare(U64(2), U64(256)) >= 0 {
		t.Fatal("big-endian order")
	}
	if string(Key([]byte("a"), Sep, []byte("b"))) != "a\x00b" {
		t.Fatal("Key")
	}
}

func TestReopenDoesNotWrite(t *testing.T) {
	db := newTestDB(t)
	path := db.Path()
	db.Close()
	before, _ := os.ReadFile(path)
	db2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("opening a current database wrote to it")
	}
}
