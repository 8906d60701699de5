// Package store owns the portal's bbolt file: opening it (with a lock
// timeout, one init transaction that creates every bucket, a schema version
// and migrations), key encodings, atomic file writes, and consistent
// snapshots. The records themselves belong to backend/portal.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this build writes. Version 1 had no
// lic_by_expiry index; migration 1 -> 2 builds it. Version 2's
// lic_by_status values held only the expiry; migration 2 -> 3 adds the
// activation counts (see docs/storage.md). Version 4 adds the customer
// account buckets (cust_accounts, cust_invites), version 5 the customer
// request queue (cust_requests and its indexes), both empty after migration.
const SchemaVersion uint64 = 5

// LockTimeout is how long Open waits for another process to let go of the file.
const LockTimeout = time.Second

// Migration upgrades a database from schema From to From+1 inside the open
// transaction. Buckets of the current schema already exist when it runs.
type Migration struct {
	From  uint64
	Apply func(tx *bolt.Tx) error
}

// Options tune Open.
type Options struct {
	// Migrations, one per From version below SchemaVersion.
	Migrations []Migration
	// NoSync skips fsync (benchmark dataset generation only).
	NoSync bool
}

// DB is an open portal database.
type DB struct {
	*bolt.DB
	path string
}

// Path is the file the database lives in.
func (d *DB) Path() string { return d.path }

// Open opens or creates the database at path. A second opener gets
// ErrInUse within LockTimeout; a file of a newer schema gets ErrSchemaTooNew.
func Open(path string, opt Options) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		if err := quickcheck(path); err != nil {
			return nil, err
		}
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         LockTimeout,
		FreelistType:    bolt.FreelistMapType,
		NoSync:          opt.NoSync,
		InitialMmapSize: initialMmapSize,
	})
	if err != nil {
		return nil, classifyOpenErr(path, err)
	}
	// A file already at this schema with every bucket is not written to:
	// opening never changes it. Otherwise one init transaction does it all.
	current := false
	_ = bdb.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(BucketMeta)
		if meta == nil || ID(meta.Get(MetaSchema)) != SchemaVersion {
			return nil
		}
		for _, b := range AllBuckets {
			if tx.Bucket(b) == nil {
				return nil
			}
		}
		current = true
		return nil
	})
	if !current {
		if err := bdb.Update(func(tx *bolt.Tx) error { return initTx(tx, opt.Migrations) }); err != nil {
			bdb.Close()
			return nil, err
		}
	}
	return &DB{DB: bdb, path: path}, nil
}

func classifyOpenErr(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("%s: %w", path, ErrInUse)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return fmt.Errorf("%s: %w", path, ErrNotPortalDB)
	}
	return fmt.Errorf("%s: %w: %v", path, ErrOpen, err)
}

// initTx creates every bucket, records the schema version of a fresh file,
// refuses a newer schema and runs the migrations of an older one.
func initTx(tx *bolt.Tx, migrations []Migration) error {
	meta := tx.Bucket(BucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if !empty {
			return ErrNotPortalDB
		}
		if err := createAll(tx); err != nil {
			return err
		}
		return tx.Bucket(BucketMeta).Put(MetaSchema, U64(SchemaVersion))
	}
	raw := meta.Get(MetaSchema)
	if len(raw) != 8 {
		return fmt.Errorf("%w: schema version missing", ErrNotPortalDB)
	}
	v := ID(raw)
	if v > SchemaVersion {
		return fmt.Errorf("%w (schema %d, this build reads up to %d)", ErrSchemaTooNew, v, SchemaVersion)
	}
	if v == 0 {
		return fmt.Errorf("%w: schema version 0", ErrNotPortalDB)
	}
	if err := createAll(tx); err != nil {
		return err
	}
	for ; v < SchemaVersion; v++ {
		var m *Migration
		for i := range migrations {
			if migrations[i].From == v {
				m = &migrations[i]
			}
		}
		if m != nil {
			if err := m.Apply(tx); err != nil {
				return fmt.Errorf("%w: %d -> %d: %v", ErrMigration, v, v+1, err)
			}
		}
		if err := tx.Bucket(BucketMeta).Put(MetaSchema, U64(v+1)); err != nil {
			return err
		}
	}
	return nil
}

func createAll(tx *bolt.Tx) error {
	for _, b := range AllBuckets {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return fmt.Errorf("create bucket %s: %w", b, err)
		}
	}
	return nil
}

// Schema reads the schema version recorded in the file.
func (d *DB) Schema() (uint64, error) {
	var v uint64
	err := d.View(func(tx *bolt.Tx) error {
		v = ID(tx.Bucket(BucketMeta).Get(MetaSchema))
		return nil
	})
	return v, err
}
