package store

import (
	"github.com/resellerportal/portal/backend/internal/atomicfile"

	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

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

// Backup writes a consistent snapshot to path atomically (mode 0600),
// replacing what was there (a symlink itself, never its target).
func (d *DB) Backup(path string) error {
	return atomicfile.Write(path, 0o600, d.Snapshot)
}

// BackupNew is Backup that never replaces an existing name (the error then
// wraps os.ErrExist).
func (d *DB) BackupNew(path string) error {
	return atomicfile.WriteNewFunc(path, 0o600, d.Snapshot)
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
	return validateTx(bdb)
}

// validateTx reads every key and value of every bucket (so every page is
// visited), then checks the schema and buckets. bbolt panics, or faults, on
// some damage that the page walk of precheck lets through: here that is
// recovered into ErrNotPortalDB, on this goroutine (tx.Check would run on
// one of its own, where a panic could not be caught).
func validateTx(bdb *bolt.DB) (v uint64, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			v, err = 0, fmt.Errorf("%w: damaged page (%v)", ErrNotPortalDB, r)
		}
	}()
	err = bdb.View(func(tx *bolt.Tx) error {
		if err := walkAll(tx); err != nil {
			return fmt.Errorf("%w: %v", ErrNotPortalDB, err)
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

// walkAll visits every key of every bucket, nested ones included, with a
// bound on the work so that a damaged file cannot keep it busy forever.
func walkAll(tx *bolt.Tx) error {
	budget := 50_000_000
	var walk func(b *bolt.Bucket, depth int) error
	walk = func(b *bolt.Bucket, depth int) error {
		if depth > 8 {
			return fmt.Errorf("buckets nested too deep")
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if budget--; budget < 0 {
				return fmt.Errorf("too many keys")
			}
			if v == nil {
				if nb := b.Bucket(k); nb != nil {
					if err := walk(nb, depth+1); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	return tx.ForEach(func(name []byte, b *bolt.Bucket) error { return walk(b, 0) })
}

// ReplaceFile copies src over dst atomically (temp file beside dst, fsync,
// rename). Callers close any open handle on dst first.
func ReplaceFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(dst, 0o600, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
