package desktop

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/resellerportal/portal/backend/internal/atomicfile"
	"github.com/resellerportal/portal/backend/reply"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// MaxOpenSize bounds what OpenFile reads: signed documents are far smaller
// (they are refused over 1 MiB), photos of QR codes stay under it.
const MaxOpenSize = 16 << 20

// OpenedFile is what OpenFile returns; Content travels base64-encoded.
type OpenedFile struct {
	Name    string `json:"name"`
	Path    string `json:"path"`
	Size    int    `json:"size"`
	Content []byte `json:"content"`
}

// SavedFile is what SaveFile returns.
type SavedFile struct {
	Path string `json:"path"`
}

// dialogs are the native file dialogs (Wails runtime; a fake in tests).
type dialogs interface {
	open(ctx context.Context, o runtime.OpenDialogOptions) (string, error)
	save(ctx context.Context, o runtime.SaveDialogOptions) (string, error)
	folder(ctx context.Context, o runtime.OpenDialogOptions) (string, error)
}

type wailsDialogs struct{}

func (wailsDialogs) open(ctx context.Context, o runtime.OpenDialogOptions) (string, error) {
	return runtime.OpenFileDialog(ctx, o)
}

func (wailsDialogs) save(ctx context.Context, o runtime.SaveDialogOptions) (string, error) {
	return runtime.SaveFileDialog(ctx, o)
}

func (wailsDialogs) folder(ctx context.Context, o runtime.OpenDialogOptions) (string, error) {
	return runtime.OpenDirectoryDialog(ctx, o)
}

// filters builds the dialog filter list; pattern is like "*.req;*.txt".
func filters(name, pattern string) []runtime.FileFilter {
	if strings.TrimSpace(pattern) == "" {
		return nil
	}
	if name == "" {
		name = pattern
	}
	return []runtime.FileFilter{{DisplayName: name, Pattern: pattern}}
}

// OpenFile shows the native open dialog and returns the chosen file's
// contents, or ok with no data when the user cancels.
func (b *Bridge) OpenFile(title, filterName, pattern string) reply.Reply {
	ctx, ok := b.window.Context()
	if !ok {
		return reply.Of(nil, ErrNotReady)
	}
	path, err := b.dialogs.open(ctx, runtime.OpenDialogOptions{Title: title, Filters: filters(filterName, pattern)})
	if err != nil {
		return reply.Of(nil, fmt.Errorf("%w: %v", ErrDialog, err))
	}
	if path == "" {
		return reply.Of(nil, nil)
	}
	return reply.Of(readFile(path))
}

// readFile reads at most MaxOpenSize bytes of path.
func readFile(path string) (*OpenedFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrFileRead, filepath.Base(path))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxOpenSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrFileRead, filepath.Base(path))
	}
	if len(data) > MaxOpenSize {
		return nil, fmt.Errorf("%w: %s is over %d MiB", ErrFileTooLarge, filepath.Base(path), MaxOpenSize>>20)
	}
	return &OpenedFile{Name: filepath.Base(path), Path: path, Size: len(data), Content: data}, nil
}

// SaveFile shows the native save dialog and writes content (base64) to the
// chosen path atomically; ok with no data when the user cancels.
func (b *Bridge) SaveFile(title, defaultName, contentBase64 string) reply.Reply {
	data, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return reply.Of(nil, ErrBadContent)
	}
	ctx, ok := b.window.Context()
	if !ok {
		return reply.Of(nil, ErrNotReady)
	}
	path, err := b.dialogs.save(ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName})
	if err != nil {
		return reply.Of(nil, fmt.Errorf("%w: %v", ErrDialog, err))
	}
	if path == "" {
		return reply.Of(nil, nil)
	}
	if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
		return reply.Of(nil, fmt.Errorf("%w: %s", ErrFileWrite, filepath.Base(path)))
	}
	return reply.Of(SavedFile{Path: path}, nil)
}
