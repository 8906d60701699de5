// Package publisher is the publisher's tool behind `rpctl vendor`: it keeps
// the publisher root key, the product registry and the serial numbers in
// one directory, turns enrollment requests into reseller certificates,
// signs allocation bundles, and verifies activation reports.
//
// Directory layout (every file written atomically):
//
//	publisher.key   private key (0600; sealed when a passphrase is given); never overwritten
//	publisher.pub   public key file, what the client library embeds
//	products.json   registered products
//	state.json      next certificate serial, last report number per reseller
//	certs/          every certificate issued, <serial>.cert
//	bundles/        every bundle signed, <bundle id>.bundle
package publisher

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/resellerportal/portal/backend/internal/atomicfile"
	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/signdoc"
)

// File names inside the publisher directory.
const (
	KeyFile      = "publisher.key"
	PubFile      = "publisher.pub"
	productsFile = "products.json"
	stateFile    = "state.json"
	certsDir     = "certs"
	bundlesDir   = "bundles"
	lockFile     = ".lock"
)

// Publisher is an opened publisher directory.
type Publisher struct {
	dir  string
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey // nil when opened with OpenPublic
	mem  *memFiles          // non-nil: an ephemeral publisher (NewEphemeral), no directory
	// Now is the clock (tests set it).
	Now func() time.Time
}

// Init makes the publisher root key pair in dir (created if missing). The
// private key is sealed under passphrase when one is given (with params p),
// otherwise written with mode 0600. It refuses when a key already exists.
func Init(dir string, passphrase []byte, p seal.Params) (*Publisher, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	for _, f := range []string{KeyFile, PubFile} {
		if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
			return nil, fmt.Errorf("%w: %s", ErrExists, filepath.Join(dir, f))
		}
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	keyText, err := FormatKeyFile(priv, passphrase, p)
	if err != nil {
		return nil, err
	}
	if err := writeNew(filepath.Join(dir, KeyFile), keyText, 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(filepath.Join(dir, PubFile), signdoc.FormatPublicKey(pub), 0o644); err != nil {
		return nil, err
	}
	return &Publisher{dir: dir, pub: pub, priv: priv, Now: time.Now}, nil
}

// Open opens dir with its private key (passphrase when it is sealed).
func Open(dir string, passphrase []byte) (*Publisher, error) {
	p, err := OpenPublic(dir)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, KeyFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotInitialised, dir)
		}
		return nil, err
	}
	priv, err := ParseKeyFile(data, passphrase)
	if err != nil {
		return nil, err
	}
	if !priv.Public().(ed25519.PublicKey).Equal(p.pub) {
		return nil, ErrKeyMismatch
	}
	p.priv = priv
	return p, nil
}

// OpenPublic opens dir with its public key only (enough to verify reports).
func OpenPublic(dir string) (*Publisher, error) {
	data, err := os.ReadFile(filepath.Join(dir, PubFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotInitialised, dir)
		}
		return nil, err
	}
	pub, err := signdoc.ParsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", PubFile, err)
	}
	return &Publisher{dir: dir, pub: pub, Now: time.Now}, nil
}

// PublicKey is the publisher root public key.
func (p *Publisher) PublicKey() ed25519.PublicKey { return p.pub }

// KeyID is signdoc.KeyID of the public key.
func (p *Publisher) KeyID() string { return signdoc.KeyID(p.pub) }

// Dir is the publisher directory ("" for an ephemeral publisher).
func (p *Publisher) Dir() string { return p.dir }

func (p *Publisher) now() time.Time { return p.Now().UTC().Truncate(time.Second) }

func (p *Publisher) needPrivate() error {
	if p.priv == nil {
		return errors.New("publisher opened without its private key")
	}
	return nil
}

// state is state.json.
type state struct {
	NextSerial uint64            `json:"next_serial"`
	Reports    map[string]uint64 `json:"reports,omitempty"` // reseller id -> last report number seen
}

func (p *Publisher) loadJSON(name string, v any) error {
	b, err := p.readFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s is damaged: %w", name, err)
	}
	return nil
}

func (p *Publisher) saveJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return p.keepFile("", name, append(b, '\n'), false)
}

func (p *Publisher) loadState() (*state, error) {
	s := &state{NextSerial: 1}
	if err := p.loadJSON(stateFile, s); err != nil {
		return nil, err
	}
	if s.NextSerial == 0 {
		s.NextSerial = 1
	}
	if s.Reports == nil {
		s.Reports = map[string]uint64{}
	}
	return s, nil
}

// lock takes the directory lock so two commands never hand out the same
// serial. A lock older than staleLock is left over from a crash.
func (p *Publisher) lock() (func(), error) {
	if p.mem != nil {
		p.mem.lock.Lock()
		return p.mem.lock.Unlock, nil
	}
	const staleLock = 2 * time.Minute
	name := filepath.Join(p.dir, lockFile)
	for i := 0; ; i++ {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(name) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > staleLock {
			os.Remove(name)
			continue
		}
		if i >= 20 {
			return nil, ErrBusy
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// writeNew writes a file that must not exist yet (a key, a bundle):
// atomicfile.WriteNew, with an existing file reported as ErrExists.
func writeNew(path string, data []byte, perm os.FileMode) error {
	err := atomicfile.WriteNew(path, data, perm)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%w: %s", ErrExists, path)
	}
	return err
}
