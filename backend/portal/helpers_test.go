package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/resellerportal/portal/backend/reply"
	bolt "go.etcd.io/bbolt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/seal"
)

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const testPassword = "correct horse battery"

// testOpts are cheap Argon2id, no sign-in delay and a settable clock.
func testOpts(clock *testClock) []Option {
	return []Option{WithKDF(seal.TestParams), WithSignInDelay(0), WithClock(clock.Now)}
}

// newTestDB opens a fresh portal database in t.TempDir().
func newTestDB(t testing.TB) (*Portal, *testClock) {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	p, err := Open(filepath.Join(t.TempDir(), "portal.db"), testOpts(clock)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, clock
}

// newSetupDB is newTestDB after Setup, with the first admin's session.
func newSetupDB(t testing.TB) (*Portal, *Session, *testClock) {
	t.Helper()
	p, clock := newTestDB(t)
	s, err := p.Setup("Acme Reselling", "alice", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	return p, s, clock
}

// dbDigest hashes every bucket, key and value: refused operations must
// leave it unchanged.
func dbDigest(t testing.TB, p *Portal) string {
	t.Helper()
	h := sha256.New()
	err := p.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			fmt.Fprintf(h, "B%q%d", name, b.Sequence())
			return b.ForEach(func(k, v []byte) error {
				fmt.Fprintf(h, "%q=%q;", k, v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// unchanged runs fn, which must fail with want, and checks the database
// did not change.
func unchanged(t testing.TB, p *Portal, want error, fn func() error) {
	t.Helper()
	before := dbDigest(t, p)
	err := fn()
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want %v", err, want)
	}
	if reply.CodeOf(err) == "internal" || err.Error() == "" {
		t.Fatalf("error %v has no code", err)
	}
	if dbDigest(t, p) != before {
		t.Fatalf("refused operation (%v) changed the database", err)
	}
}
