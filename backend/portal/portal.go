// Package portal holds the reseller admin's services over one bbolt file:
// accounts and sessions, enrollment and allocation bundles, customers,
// licenses, offline activation, tracking, the audit log, settings and
// backup. Every service method takes the caller's *Session and checks it and
// its role; the desktop binding, the HTTP API and the CLI all go through
// these same checks (via backend/rpc or directly).
package portal

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/store"
)

// Portal is an open portal database and its services.
type Portal struct {
	mu   sync.RWMutex // write-held while restore swaps the database
	db   *store.DB
	path string
	opts options

	revokedMu sync.Mutex
	revoked   map[string]uint64 // admin ("" for all) -> sessions up to this gen are invalid

	chainMu    sync.Mutex
	chainCache *chain // the enrollment as last parsed (see loadChain)
	sessionGen atomic.Uint64
	throttle   *throttle // sign-in failures per client and account

	custMu sync.Mutex
	cust   *custSigner // the key unlocked for immediate customer signing (nil: locked)
}

type options struct {
	kdf       seal.Params
	now       func() time.Time
	idle      time.Duration
	failDelay time.Duration
	sleep     func(time.Duration)
	noSync    bool
	chunk     int
}

// Option tunes Open.
type Option func(*options)

// WithKDF sets the Argon2id parameters used for new password wraps (tests
// use seal.TestParams; existing wraps keep the parameters they were made with).
func WithKDF(p seal.Params) Option { return func(o *options) { o.kdf = p } }

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithIdleTimeout sets after how long without use a session locks itself.
func WithIdleTimeout(d time.Duration) Option { return func(o *options) { o.idle = d } }

// WithSignInDelay sets the per-failure slow-down of sign-ins (0 in tests).
func WithSignInDelay(d time.Duration) Option { return func(o *options) { o.failDelay = d } }

// WithNoSync skips fsync (benchmark dataset generation only: a crash loses data).
func WithNoSync() Option { return func(o *options) { o.noSync = true } }

// WithBatchChunk sets how many activations a batch commits per transaction.
func WithBatchChunk(n int) Option { return func(o *options) { o.chunk = n } }

// Defaults.
const (
	DefaultIdleTimeout = 15 * time.Minute
	DefaultSignInDelay = 250 * time.Millisecond
	MaxSignInDelay     = 3 * time.Second
	LockAfterFailures  = 10
	LockDuration       = 15 * time.Minute
	DefaultBatchChunk  = 1000
)

// DefaultDBPath is the database the desktop app and the CLI share:
// <user config dir>/ResellerPortal/portal.db.
func DefaultDBPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("default database path: %w", err)
	}
	return filepath.Join(dir, "ResellerPortal", "portal.db"), nil
}

// Open opens (or creates) the portal database at path. A database held by
// another process fails with store.ErrInUse (code database_in_use) within a
// second; a newer schema with store.ErrSchemaTooNew.
func Open(path string, opt ...Option) (*Portal, error) {
	o := options{
		kdf:       seal.DefaultParams,
		now:       time.Now,
		idle:      DefaultIdleTimeout,
		failDelay: DefaultSignInDelay,
		sleep:     time.Sleep,
		chunk:     DefaultBatchChunk,
	}
	for _, f := range opt {
		f(&o)
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	db, err := store.Open(path, store.Options{Migrations: migrations, NoSync: o.noSync})
	if err != nil {
		return nil, err
	}
	return &Portal{db: db, path: path, opts: o, revoked: map[string]uint64{}, throttle: newThrottle()}, nil
}

// Close closes the database.
func (p *Portal) Close() error {
	p.lockCustomerKey()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.db == nil {
		return nil
	}
	err := p.db.Close()
	p.db = nil
	return err
}

// Path is the database file.
func (p *Portal) Path() string { return p.path }

func (p *Portal) now() time.Time { return p.opts.now().UTC() }
