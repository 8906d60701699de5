package desktop

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// fakeDialogs answers the native dialogs with a fixed path or error and
// records what they were asked.
type fakeDialogs struct {
	path    string
	err     error
	opens   []runtime.OpenDialogOptions
	saves   []runtime.SaveDialogOptions
	folders []runtime.OpenDialogOptions
}

func (f *fakeDialogs) open(_ context.Context, o runtime.OpenDialogOptions) (string, error) {
	f.opens = append(f.opens, o)
	return f.path, f.err
}

func (f *fakeDialogs) save(_ context.Context, o runtime.SaveDialogOptions) (string, error) {
	f.saves = append(f.saves, o)
	return f.path, f.err
}

func (f *fakeDialogs) folder(_ context.Context, o runtime.OpenDialogOptions) (string, error) {
	f.folders = append(f.folders, o)
	return f.path, f.err
}

// startedBridge is a Bridge (without a portal) whose window has started.
func startedBridge(d *fakeDialogs) *Bridge {
	w := NewWindow()
	w.Startup(context.Background())
	return &Bridge{window: w, dialogs: d}
}

func TestOpenFileReturnsTheContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "request.req")
	content := []byte("-----BEGIN RESELLER PORTAL ACTIVATION REQUEST-----\n\x00\xff binary too\n")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	d := &fakeDialogs{path: path}
	r := startedBridge(d).OpenFile("Open request", "Activation requests", "*.req;*.txt")
	if !r.OK {
		t.Fatalf("%+v", r)
	}
	// what the page receives: JSON with the content in base64
	raw, _ := json.Marshal(r)
	var got struct {
		Data struct {
			Name    string `json:"name"`
			Path    string `json:"path"`
			Size    int    `json:"size"`
			Content string `json:"content"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	dec, err := base64.StdEncoding.DecodeString(got.Data.Content)
	if err != nil || string(dec) != string(content) || got.Data.Name != "request.req" || got.Data.Path != path || got.Data.Size != len(content) {
		t.Fatalf("got %+v (%v)", got.Data, err)
	}
	want := []runtime.FileFilter{{DisplayName: "Activation requests", Pattern: "*.req;*.txt"}}
	if len(d.opens) != 1 || d.opens[0].Title != "Open request" || len(d.opens[0].Filters) != 1 || d.opens[0].Filters[0] != want[0] {
		t.Fatalf("dialog options %+v", d.opens)
	}
}

func TestOpenFileRefusals(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.png")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxOpenSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	exact := filepath.Join(dir, "exact.png")
	if err := os.WriteFile(exact, make([]byte, MaxOpenSize), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		d    *fakeDialogs
		code string
	}{
		{"too large", &fakeDialogs{path: big}, "file_too_large"},
		{"missing", &fakeDialogs{path: filepath.Join(dir, "gone.req")}, "file_unreadable"},
		{"a folder", &fakeDialogs{path: dir}, "file_unreadable"},
		{"dialog error", &fakeDialogs{err: errors.New("no display")}, "dialog_failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := startedBridge(tc.d).OpenFile("t", "", ""); r.OK || r.Code != tc.code || r.Message == "" {
				t.Fatalf("got %+v, want %s", r, tc.code)
			}
		})
	}
	if r := startedBridge(&fakeDialogs{path: exact}).OpenFile("t", "", ""); !r.OK {
		t.Fatalf("a file of exactly MaxOpenSize: %+v", r)
	}
	if r := startedBridge(&fakeDialogs{}).OpenFile("t", "", ""); !r.OK || r.Data != nil {
		t.Fatalf("cancelled: %+v", r)
	}
	notStarted := &Bridge{window: NewWindow(), dialogs: &fakeDialogs{path: exact}}
	if r := notStarted.OpenFile("t", "", ""); r.Code != "window_not_ready" {
		t.Fatalf("before startup: %+v", r)
	}
}

func TestSaveFileWritesTheChosenPath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "response.txt")
	content := []byte("signed response\n\x00\x01")
	d := &fakeDialogs{path: path}
	r := startedBridge(d).SaveFile("Save response", "response.txt", base64.StdEncoding.EncodeToString(content))
	if !r.OK || r.Data.(SavedFile).Path != path {
		t.Fatalf("%+v", r)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(content) {
		t.Fatalf("file holds %q (%v)", got, err)
	}
	if len(d.saves) != 1 || d.saves[0].DefaultFilename != "response.txt" || d.saves[0].Title != "Save response" {
		t.Fatalf("dialog options %+v", d.saves)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temp files left behind: %v", entries)
	}
}

func TestSaveFileRefusals(t *testing.T) {
	dir := t.TempDir()
	ok := base64.StdEncoding.EncodeToString([]byte("x"))

	bad := &fakeDialogs{path: filepath.Join(dir, "x")}
	if r := startedBridge(bad).SaveFile("t", "x", "not base64!"); r.OK || r.Code != "bad_request" {
		t.Fatalf("bad base64: %+v", r)
	}
	if len(bad.saves) != 0 {
		t.Fatal("the dialog was shown for content that cannot be saved")
	}
	if r := startedBridge(&fakeDialogs{path: filepath.Join(dir, "no", "such", "dir", "x")}).SaveFile("t", "x", ok); r.Code != "file_unwritable" {
		t.Fatalf("unwritable: %+v", r)
	}
	if r := startedBridge(&fakeDialogs{err: errors.New("boom")}).SaveFile("t", "x", ok); r.Code != "dialog_failed" {
		t.Fatalf("dialog error: %+v", r)
	}
	if r := startedBridge(&fakeDialogs{}).SaveFile("t", "x", ok); !r.OK || r.Data != nil {
		t.Fatalf("cancelled: %+v", r)
	}
	if r := (&Bridge{window: NewWindow(), dialogs: &fakeDialogs{path: filepath.Join(dir, "y")}}).SaveFile("t", "y", ok); r.Code != "window_not_ready" {
		t.Fatalf("before startup: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "y")); !os.IsNotExist(err) {
		t.Fatal("a refused save wrote a file")
	}
}
