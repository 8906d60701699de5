package store

import (
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// FuzzValidate feeds mutated database files to Validate (the gate of
// restore): it must refuse or accept, never crash.
func FuzzValidate(f *testing.F) {
	dir := f.TempDir()
	db, err := Open(filepath.Join(dir, "seed.db"), Options{})
	if err != nil {
		f.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(BucketLicenses).Put([]byte("K"), []byte("v")) })
	seed := filepath.Join(dir, "backup.db")
	if err := db.Backup(seed); err != nil {
		f.Fatal(err)
	}
	db.Close()
	b, _ := os.ReadFile(seed)
	f.Add(b)
	f.Add(b[:4096])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		_, _ = Validate(p)
	})
}
