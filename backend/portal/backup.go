package portal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// Size bounds of backups. A backup carried as bytes (backup.download /
// backup.upload, the HTTP forms) is held in memory whole, base64 in JSON:
// it is bounded by MaxBackupTransfer. A backup file restored by a local
// caller is checked by its header first and read only when at most
// MaxBackupFile (the validation reads it whole).
const (
	MaxBackupTransfer = 64 << 20
	MaxBackupFile     = 512 << 20
)

// BackupResult describes a written backup.
type BackupResult struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
}

// BackupFile is a backup carried as bytes: a suggested file name and the
// whole database file.
type BackupFile struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// Backup writes a consistent snapshot of the whole database (one read
// transaction, while the portal keeps running) to path, atomically. The
// signing key stays sealed inside it. It is for local callers (desktop,
// rpctl): path is on this machine. It never writes to the live database
// (compared by file identity, whatever the path's spelling), never through
// a symlink, and replaces an existing file only when replace is set
// (file_exists otherwise).
func (p *Portal) Backup(s *Session, path string, replace bool) (BackupResult, error) {
	if err := p.auth(s); err != nil {
		return BackupResult{}, err
	}
	if path == "" {
		return BackupResult{}, fmt.Errorf("%w: backup path is empty", ErrInvalidInput)
	}
	p.mu.RLock()
	err := p.checkBackupTarget(path, replace)
	if err == nil {
		if replace {
			err = p.db.Backup(path)
		} else {
			err = p.db.BackupNew(path)
		}
		if errors.Is(err, fs.ErrExist) {
			err = fmt.Errorf("%w: %s", ErrFileExists, filepath.Base(path))
		} else if err != nil {
			err = fmt.Errorf("%w: backup not written: %v", ErrInvalidInput, errors.Unwrap(err))
		}
	}
	p.mu.RUnlock()
	if err != nil {
		return BackupResult{}, fmt.Errorf("backup: %w", err)
	}
	st, err := os.Lstat(path)
	if err != nil {
		return BackupResult{}, fmt.Errorf("backup: %w", err)
	}
	_ = p.update(func(tx *bolt.Tx) error {
		return p.audit(tx, s.Admin(), "backup.create", "file:"+filepath.Base(path), fmt.Sprintf("%d bytes", st.Size()))
	})
	return BackupResult{Path: path, Bytes: st.Size()}, nil
}

// checkBackupTarget refuses a backup path that is the live database (or
// one of its hard links), a symlink, or something other than a regular
// file; and an existing file unless replace.
func (p *Portal) checkBackupTarget(path string, replace bool) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: the backup file cannot be checked", ErrInvalidInput)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%w: the backup file is a symbolic link", ErrInvalidInput)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: the backup file is not a regular file", ErrInvalidInput)
	}
	if p.isLive(fi) {
		return fmt.Errorf("%w: backup would overwrite the live database", ErrInvalidInput)
	}
	if !replace {
		return fmt.Errorf("%w: %s", ErrFileExists, filepath.Base(path))
	}
	return nil
}

// isLive reports whether fi is the live database file.
func (p *Portal) isLive(fi fs.FileInfo) bool {
	live, err := os.Stat(p.path)
	return err == nil && os.SameFile(fi, live)
}

// BackupData is Backup carried as bytes (for callers on another machine:
// nothing is written on this one). Past MaxBackupTransfer it answers
// backup_too_large.
func (p *Portal) BackupData(s *Session) (BackupFile, error) {
	if err := p.auth(s); err != nil {
		return BackupFile{}, err
	}
	var b bytes.Buffer
	p.mu.RLock()
	var err error
	if p.db == nil {
		err = ErrNotInitialized
	} else {
		err = p.db.Snapshot(&capWriter{w: &b, left: MaxBackupTransfer})
	}
	p.mu.RUnlock()
	if errors.Is(err, errCapReached) {
		return BackupFile{}, fmt.Errorf("backup: %w: the database is larger than %d MiB; back it up on its machine (rpctl portal backup)", ErrBackupTooLarge, MaxBackupTransfer>>20)
	}
	if err != nil {
		return BackupFile{}, fmt.Errorf("backup: %w", err)
	}
	now := p.now()
	name := "portal-backup-" + now.Format("20060102-150405") + ".db"
	_ = p.update(func(tx *bolt.Tx) error {
		return p.audit(tx, s.Admin(), "backup.download", "file:"+name, fmt.Sprintf("%d bytes", b.Len()))
	})
	return BackupFile{Name: name, Data: b.Bytes()}, nil
}

var errCapReached = errors.New("size cap reached")

// capWriter passes at most left bytes on, then fails.
type capWriter struct {
	w    io.Writer
	left int64
}

func (c *capWriter) Write(b []byte) (int, error) {
	if int64(len(b)) > c.left {
		return 0, errCapReached
	}
	c.left -= int64(len(b))
	return c.w.Write(b)
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

// errUnreadableBackup is the one answer for a backup file that cannot be
// opened or is not a regular file: it does not tell which.
var errUnreadableBackup = fmt.Errorf("%w: the file cannot be read as a backup", ErrBadBackup)

// Restore replaces the live database with the backup at path (a local
// caller's file on this machine), after validating it fully. The file must
// be a regular file of at most MaxBackupFile bytes whose header is a
// portal database's; it is checked before it is read. It is copied beside
// the live file and the copy validated; only then is the live file swapped
// by rename. All sessions end (the admins of the backup may differ); sign
// in again.
func (p *Portal) Restore(s *Session, path string) error {
	if err := p.auth(s); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("restore: %w", errUnreadableBackup)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("restore: %w", errUnreadableBackup)
	}
	if p.isLive(st) {
		return fmt.Errorf("restore: %w: that is the live database", ErrBadBackup)
	}
	if err := checkBackupHead(f, st.Size(), MaxBackupFile); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return p.restoreFrom(s, "file:"+filepath.Base(path), func(w io.Writer) error {
		n, err := io.Copy(w, io.LimitReader(f, st.Size()+1))
		if err == nil && n != st.Size() {
			err = fmt.Errorf("%w: the file changed while being read", ErrBadBackup)
		}
		return err
	})
}

// RestoreData is Restore from a backup carried as bytes (at most
// MaxBackupTransfer).
func (p *Portal) RestoreData(s *Session, data []byte) error {
	if err := p.auth(s); err != nil {
		return err
	}
	if err := checkBackupHead(bytes.NewReader(data), int64(len(data)), MaxBackupTransfer); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return p.restoreFrom(s, "upload", func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// checkBackupHead refuses, before reading it, a backup larger than max or
// whose first pages are not a portal database's.
func checkBackupHead(r io.ReaderAt, size, max int64) error {
	if size > max {
		return fmt.Errorf("%w: %d bytes, at most %d MiB", ErrBackupTooLarge, size, max>>20)
	}
	head := make([]byte, min(size, store.HeaderSize))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return errUnreadableBackup
	}
	if err := store.CheckHeader(head, size); err != nil {
		return errors.Join(ErrBadBackup, err)
	}
	return nil
}

// restoreFrom writes the backup (by fill) to a new file beside the live
// database, validates it, and swaps it in.
func (p *Portal) restoreFrom(s *Session, what string, fill func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(p.path), "."+filepath.Base(p.path)+".restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = fill(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := validateBackup(tmp.Name()); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.db == nil {
		return fmt.Errorf("restore: %w: database closed", ErrNotInitialized)
	}
	if err := p.db.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	renameErr := os.Rename(tmp.Name(), p.path)
	db, err := store.Open(p.path, store.Options{Migrations: migrations, NoSync: p.opts.noSync})
	if err != nil {
		p.db = nil
		return fmt.Errorf("restore: reopen: %w", err)
	}
	p.db = db
	if renameErr != nil {
		return fmt.Errorf("restore: %w", renameErr)
	}
	if d, err := os.Open(filepath.Dir(p.path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	p.endAllSessions()
	p.lockCustomerKey()
	_ = db.Update(func(tx *bolt.Tx) error {
		return p.audit(tx, s.Admin(), "backup.restore", what, "")
	})
	return nil
}
