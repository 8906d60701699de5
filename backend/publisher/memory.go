package publisher

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path"
	"path/filepath"
	"sync"
	"time"

	"github.com/resellerportal/portal/backend/internal/atomicfile"
)

// memFiles stand in for the publisher directory of an ephemeral publisher:
// its products, state, certificates and bundles live only in memory.
type memFiles struct {
	lock  sync.Mutex // the directory lock
	mu    sync.Mutex // guards files
	files map[string][]byte
}

// NewEphemeral makes a publisher whose root key pair, products, serial
// numbers, certificates and bundles live only in memory: nothing is written
// to disk, and Discard wipes the private key. The demo database is made with
// one, so its key can never sign anything after the demo is set up.
func NewEphemeral() (*Publisher, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return &Publisher{pub: pub, priv: priv, mem: &memFiles{files: map[string][]byte{}}, Now: time.Now}, nil
}

// Discard wipes the private key from memory; the publisher can verify
// afterwards but never sign again.
func (p *Publisher) Discard() {
	for i := range p.priv {
		p.priv[i] = 0
	}
	p.priv = nil
}

// readFile reads a file of the publisher directory.
func (p *Publisher) readFile(name string) ([]byte, error) {
	if p.mem != nil {
		p.mem.mu.Lock()
		defer p.mem.mu.Unlock()
		b, ok := p.mem.files[path.Clean(filepath.ToSlash(name))]
		if !ok {
			return nil, os.ErrNotExist
		}
		return append([]byte(nil), b...), nil
	}
	return os.ReadFile(filepath.Join(p.dir, name))
}

// keepFile writes a file of the publisher directory (sub may be ""); with
// mustBeNew an existing file is refused with ErrExists.
func (p *Publisher) keepFile(sub, name string, data []byte, mustBeNew bool) error {
	if p.mem != nil {
		p.mem.mu.Lock()
		defer p.mem.mu.Unlock()
		k := path.Join(sub, name)
		if _, ok := p.mem.files[k]; ok && mustBeNew {
			return ErrExists
		}
		p.mem.files[k] = append([]byte(nil), data...)
		return nil
	}
	dir := p.dir
	if sub != "" {
		dir = filepath.Join(p.dir, sub)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	if mustBeNew {
		return writeNew(filepath.Join(dir, name), data, 0o600)
	}
	return atomicfile.WriteFile(filepath.Join(dir, name), data, 0o600)
}
