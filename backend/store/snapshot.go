package store

import (
	"errors"
	"fmt"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Snapshot writes a consistent copy of the whole database to w from one read
// transaction, while writers carry on.
func (d *DB) Snapshot(w io.Writer) error {
	return d.View(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(w)
		return err
	})
}

// Backup writes a consistent snapshot to path atomically (mode 0600).
func (d *DB) Backup(path string) error {
	return WriteAtomic(path, 0o600, d.Snapshot)
}

// Validate opens the file at path read-only and checks it fully: a bbolt
// file whose pages are consistent, with a schema this build reads and every
// bucket of that schema. It returns the schema version.
func Validate(path string) (uint64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrNotPortalDB, err)
	}
	if !st.Mode().IsRegular() {
		return 0, fmt.Errorf("%w: not a regular file", ErrNotPortalDB)
	}
	if err := precheck(path); err != nil {
		return 0, err
	}
	bdb, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: LockTimeout})
	if err != nil {
		if errors.Is(classifyOpenErr(path, err), ErrInUse) {
			return 0, classifyOpenErr(path, err)
		}
		return 0, fmt.Errorf("%w: %v", ErrNotPortalDB, err)
	}
	defer bdb.Close()
	var v uint64
	err = bdb.View(func(tx *bolt.Tx) error {
		var first error
		for cerr := range tx.Check() { // drain, so the checker goroutine ends
			if first == nil {
				first = cerr
			}
		}
		if first != nil {
			return fmt.Errorf("%w: %v", ErrNotPortalDB, first)
		}
		meta := tx.Bucket(BucketMeta)
		if meta == nil {
			return fmt.Errorf("%w: meta bucket missing", ErrNotPortalDB)
		}
		v = ID(meta.Get(MetaSchema))
		if v == 0 {
			return fmt.Errorf("%w: schema version missing", ErrNotPortalDB)
		}
		if v > SchemaVersion {
			return fmt.Errorf("%w (schema %d)", ErrSchemaTooNew, v)
		}
		if v == SchemaVersion {
			for _, b := range AllBuckets {
				if tx.Bucket(b) == nil {
					return fmt.Errorf("%w: bucket %s missing", ErrNotPortalDB, b)
				}
			}
		}
		return nil
	})
	return v, err
}

// ReplaceFile copies src over dst atomically (temp file beside dst, fsync,
// rename). Callers close any open handle on dst first.
func ReplaceFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return WriteAtomic(dst, 0o600, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
