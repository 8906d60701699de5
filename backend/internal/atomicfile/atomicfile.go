// Package atomicfile writes files so that a reader, or the program after a
// crash, sees the old file or the new one and never a part: a temp file in
// the same folder, fsync, rename, fsync of the folder (tailscale's
// atomicfile does the same).
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically with permissions perm.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write is WriteFile with the content produced by fill.
func Write(path string, perm os.FileMode, fill func(w io.Writer) error) error {
	tmp, err := writeTemp(path, perm, fill)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// WriteNew is WriteFile that never replaces an existing file: the complete
// temp file is hard-linked to its name, which fails if the name exists
// (an exclusive create where the file system has no hard links). The error
// then wraps os.ErrExist.
func WriteNew(path string, data []byte, perm os.FileMode) error {
	return WriteNewFunc(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteNewFunc is WriteNew with the content produced by fill. A name that
// exists — a file, or a symlink to anything — is never replaced nor written
// through.
func WriteNewFunc(path string, perm os.FileMode, fill func(w io.Writer) error) error {
	tmp, err := writeTemp(path, perm, fill)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("write %s: %w", path, os.ErrExist)
		}
		if err := createExclusive(path, perm, tmp); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	syncDir(filepath.Dir(path))
	return nil
}

func writeTemp(path string, perm os.FileMode, fill func(w io.Writer) error) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	err = f.Chmod(perm)
	if err == nil {
		err = fill(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

func createExclusive(path string, perm os.FileMode, tmp string) error {
	in, err := os.Open(tmp)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, in)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// syncDir makes a rename durable; best effort, since not every OS can sync
// a folder.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
