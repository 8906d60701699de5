package rpc

import (
	"os"
	"path/filepath"
	"testing"
)

// A.1: a remote session (serve mode) may not name a path on the portal's
// machine; a local one may; both have the byte-carrying forms.
func TestRemoteSessionRefusesPaths(t *testing.T) {
	s, _ := newTestServer(t)
	local := NewSession()
	statusOf(t, call(t, s, local, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	remote := NewRemoteSession()
	statusOf(t, call(t, s, remote, "signin", SignInParams{Admin: "alice", Password: "long enough pw"}))
	dir := t.TempDir()
	target := filepath.Join(dir, "authorized_keys")
	for op, params := range map[string]string{
		"backup.create":    `{"path":"` + target + `","replace":true}`,
		"backup.restore":   `{"path":"` + target + `"}`,
		"activation.batch": `{"path":"` + dir + `"}`,
	} {
		if r := call(t, s, remote, op, params); r.Code != "path_not_allowed" {
			t.Errorf("remote %s: %+v", op, r)
		}
	}
	if _, err := os.Lstat(target); err == nil {
		t.Fatal("a remote caller wrote a file")
	}
	r := call(t, s, remote, "backup.download", nil)
	if !r.OK {
		t.Fatalf("backup.download: %+v", r)
	}
	if r := call(t, s, remote, "activation.batch", `{"files":[{"name":"a.req","text":"garbage"}]}`); r.Code != "not_enrolled" {
		t.Fatalf("carried batch: %+v", r)
	}
	if r := call(t, s, local, "backup.create", `{"path":"`+target+`"}`); !r.OK {
		t.Fatalf("local backup.create: %+v", r)
	}
	if r := call(t, s, local, "backup.create", `{"path":"`+target+`"}`); r.Code != "file_exists" {
		t.Fatalf("local backup.create over a file: %+v", r)
	}
}

// A.10: parameter names match exactly; another spelling is refused.
func TestParamsExactCase(t *testing.T) {
	s, _ := newTestServer(t)
	sess := NewSession()
	statusOf(t, call(t, s, sess, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	for op, params := range map[string]string{
		"audit.list":       `{"Limit":1}`,
		"users.create":     `{"NAME":"Ada","email":"ada@example.com"}`,
		"activation.batch": `{"files":[{"Name":"a.req","text":"x"}]}`,
		"signin":           `{"Admin":"alice","password":"long enough pw"}`,
	} {
		if r := call(t, s, sess, op, params); r.Code != "bad_request" {
			t.Errorf("%s %s: %+v", op, params, r)
		}
	}
	if r := call(t, s, sess, "audit.list", `{"limit":1}`); !r.OK {
		t.Fatalf("exact spelling: %+v", r)
	}
}
