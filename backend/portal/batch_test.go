package portal

import (
	"bytes"
	"os"
	"path/filepath"
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
