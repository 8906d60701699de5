package portal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// A symlink placed where a response goes is replaced by the response file,
// never written through; a re-run writes the same response again.
func TestBatchResponseReplacesSymlink(t *testing.T) {
	e := newEnrolled(t, 1)
	p, s := e.p, e.s
	p.Assign(s, "K1", e.user.ID, "")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.req"), newMachine(t, "m1").request(t, "prod", "K1"), 0o644)
	if res, err := p.Batch(s, dir, nil); err != nil || res.Activated != 1 {
		t.Fatalf("batch = %+v, %v", res, err)
	}
	respPath := filepath.Join(dir, "a"+ResponseSuffix)
	first, err := os.ReadFile(respPath)
	if err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("keep me"), 0o600)
	os.Remove(respPath)
	if err := os.Symlink(victim, respPath); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	res, err := p.Batch(s, dir, nil)
	if err != nil || len(res.Items) != 1 || !res.Items[0].OK || !res.Items[0].Repeat {
		t.Fatalf("batch again = %+v, %v", res, err)
	}
	if v, _ := os.ReadFile(victim); string(v) != "keep me" {
		t.Fatalf("batch wrote through a symlink: victim now %q", v)
	}
	if st, err := os.Lstat(respPath); err != nil || !st.Mode().IsRegular() {
		t.Fatalf("response after re-run: %v, %v", st, err)
	}
	if again, _ := os.ReadFile(respPath); !bytes.Equal(again, first) {
		t.Fatal("re-run wrote another response")
	}
}

// A.8: the folder form reads whatever a folder holds; a failed item's
// message is the fixed text of its code, never a quote of the file (armor
// label or line, JSON field names), and a folder over the bound is refused
// whole before any file is read.
func TestBatchQuietAndBounded(t *testing.T) {
	e := newEnrolled(t, 1)
	p, s := e.p, e.s
	dir := t.TempDir()
	secrets := map[string]string{
		"id_ed25519":  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n",
		"fake.req":    "-----BEGIN RESELLER PORTAL SECRET-TOKEN-hunter2-----\nAAAA\n-----END RESELLER PORTAL SECRET-TOKEN-hunter2-----\n",
		"line.req":    "-----BEGIN RESELLER PORTAL ACTIVATION REQUEST-----\n-----password=hunter2\n-----END RESELLER PORTAL ACTIVATION REQUEST-----\n",
		"shadow":      "root:$6$hunter2:19000:0:99999:7:::\n",
		"compact.req": "RP1:hunter2",
	}
	for name, text := range secrets {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600)
	}
	res, err := p.Batch(s, dir, nil)
	if err != nil || res.Failed != len(secrets) {
		t.Fatalf("batch = %+v, %v", res, err)
	}
	for _, it := range res.Items {
		if it.Code == "" || it.Message == "" || bytes.Contains([]byte(it.Message), []byte("hunter2")) ||
			bytes.Contains([]byte(it.Message), []byte("OPENSSH")) || bytes.Contains([]byte(it.Message), []byte("\"")) ||
			it.License+it.Product+it.Customer+it.CustomerName != "" {
			t.Errorf("%s: %s %q", it.File, it.Code, it.Message)
		}
	}
	big := t.TempDir()
	for i := 0; i <= MaxBatchFolderFiles; i++ {
		f, err := os.Create(filepath.Join(big, strconv.Itoa(i)+".req"))
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if _, err := p.Batch(s, big, nil); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("folder over the bound: %v", err)
	}
	if _, err := p.Batch(s, filepath.Join(big, "missing"), nil); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("missing folder: %v", err)
	}
}
