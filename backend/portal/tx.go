package portal

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// view and update run fn in a read or write transaction of the open database.
func (p *Portal) view(fn func(tx *bolt.Tx) error) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.db == nil {
		return fmt.Errorf("%w: database closed", ErrNotInitialized)
	}
	return p.db.View(fn)
}

func (p *Portal) update(fn func(tx *bolt.Tx) error) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.db == nil {
		return fmt.Errorf("%w: database closed", ErrNotInitialized)
	}
	return p.db.Update(fn)
}

// getJSON decodes the value at key into v; it reports whether key exists.
func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("decode %q: %w", key, err)
	}
	return true, nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}
