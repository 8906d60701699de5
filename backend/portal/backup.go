package portal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// BackupResult describes a written backup.
type BackupResult struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
}

// Backup writes a consistent snapshot of the whole database (one read
// transaction, while the portal keeps running) to path, atomically. The
// signing key stays sealed inside it.
func (p *Portal) Backup(s *Session, path string) (BackupResult, error) {
	if err := p.auth(s); err != nil {
		return BackupResult{}, err
	}
	if path == "" {
		return BackupResult{}, fmt.Errorf("%w: backup path is empty", ErrInvalidInput)
	}
	abs, _ := filepath.Abs(path)
	if abs == p.path {
		return BackupResult{}, fmt.Errorf("%w: backup would overwrite the live database", ErrInvalidInput)
	}
	p.mu.RLock()
	err := p.db.Backup(path)
	p.mu.RUnlock()
	if err != nil {
		return BackupResult{}, fmt.Errorf("backup: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return BackupResult{}, fmt.Errorf("backup: %w", err)
	}
	_ = p.update(func(tx *bolt.Tx) error {
		return p.audit(tx, s.Admin(), "backup.create", "file:"+filepath.Base(path), fmt.Sprintf("%d bytes", st.Size()))
	})
	return BackupResult{Path: path, Bytes: st.Size()}, nil
}

// validateBackup checks a backup file fully before it may replace the live
// database: a consistent bbolt file of a schema this build reads, with every
// bucket, a set-up reseller, and an audit chain that verifies.
func validateBackup(path string) error {
	if _, err := store.Validate(path); err != nil {
		return errors.Join(ErrBadBackup, err)
	}
	db, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: store.LockTimeout})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		var r reseller
		ok, err := getJSON(tx.Bucket(store.BucketMeta), metaReseller, &r)
		if err != nil || !ok {
			return fmt.Errorf("%w: no reseller set up in it", ErrBadBackup)
		}
		if tx.Bucket(store.BucketAdmins).Stats().KeyN == 0 {
			return fmt.Errorf("%w: no admin account in it", ErrBadBackup)
		}
		if tx.Bucket(store.BucketAudit) != nil {
			if _, err := verifyAuditTx(tx); err != nil {
				return errors.Join(ErrBadBackup, err)
			}
		}
		return nil
	})
}

// Restore replaces the live database with the backup at path, after
// validating it fully. The backup is first copied beside the live file and
// validated again there; only then is the live file swapped by rename. All
// sessions end (the admins of the backup may differ); sign in again.
func (p *Portal) Restore(s *Session, path string) error {
	if err := p.auth(s); err != nil {
		return err
	}
	if err := validateBackup(path); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.db == nil {
		return fmt.Errorf("restore: %w: database closed", ErrNotInitialized)
	}
	tmp := p.path + ".restore"
	if err := store.ReplaceFile(tmp, path); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp)
	if err := validateBackup(tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := p.db.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	renameErr := os.Rename(tmp, p.path)
	db, err := store.Open(p.path, store.Options{Migrations: migrations, NoSync: p.opts.noSync})
	if err != nil {
		p.db = nil
		return fmt.Errorf("restore: reopen: %w", err)
	}
	p.db = db
	if renameErr != nil {
		return fmt.Errorf("restore: %w", renameErr)
	}
	p.endAllSessions()
	_ = db.Update(func(tx *bolt.Tx) error {
		return p.audit(tx, s.Admin(), "backup.restore", "file:"+filepath.Base(path), "")
	})
	return nil
}
