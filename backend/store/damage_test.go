package store

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestValidateDamagedFiles damages a real database file in many ways
// (overwritten bytes, inserted bytes, appended pages, planted small
// integers) and checks that Validate answers each quickly, never hanging or
// crashing.
func TestValidateDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	db, _ := Open(filepath.Join(dir, "seed.db"), Options{})
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(BucketLicenses).Put([]byte("K"), []byte("v")) })
	seed := filepath.Join(dir, "backup.db")
	db.Backup(seed)
	db.Close()
	orig, _ := os.ReadFile(seed)
	rs := time.Now().UnixNano()
	r := rand.New(rand.NewSource(rs))
	t.Logf("random seed %d", rs)
	n := 3000
	if testing.Short() {
		n = 300
	}
	for i := 0; i < n; i++ {
		b := append([]byte(nil), orig...)
		switch r.Intn(4) {
		case 0:
			for j := 0; j < 1+r.Intn(8); j++ {
				b[r.Intn(len(b))] = byte(r.Intn(256))
			}
		case 1:
			pos := r.Intn(len(b))
			ins := make([]byte, 1+r.Intn(16))
			r.Read(ins)
			b = append(b[:pos], append(ins, b[pos:]...)...)
		case 2:
			b = append(b, make([]byte, r.Intn(9000))...)
		case 3:
			for j := 0; j < 4; j++ {
				off := r.Intn(len(b) - 8)
				v := []uint64{0, 1, 2, 3, 4, 5, 6, 7, 8, 0xffff, 0xffffffff, 1 << 40}[r.Intn(12)]
				for k := 0; k < 8; k++ {
					b[off+k] = byte(v >> (8 * k))
				}
			}
		}
		p := filepath.Join(dir, fmt.Sprintf("m%d.db", i))
		os.WriteFile(p, b, 0o600)
		done := make(chan struct{})
		go func() { Validate(p); close(done) }()
		select {
		case <-done:
			os.Remove(p)
		case <-time.After(3 * time.Second):
			hung := filepath.Join(t.TempDir(), "hung.db")
			os.WriteFile(hung, b, 0o600)
			t.Fatalf("Validate still running after 3 s on damaged file %d", i)
		}
	}
}
