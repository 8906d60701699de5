package rpc

import (
	"slices"
	"testing"

	"github.com/resellerportal/portal/backend/portal"
)

// audit.list takes the filters and answers a page; audit.actions the list
// of actions the portal records.
func TestAuditOps(t *testing.T) {
	s, _ := newTestServer(t)
	sess := NewSession()
	if r := call(t, s, sess, "audit.actions", nil); r.Code != "not_signed_in" {
		t.Fatalf("anonymous audit.actions: %+v", r)
	}
	statusOf(t, call(t, s, sess, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	call(t, s, sess, "orgs.create", `{"name":"Org"}`)
	r := call(t, s, sess, "audit.list", `{"limit":1}`)
	pg, ok := r.Data.(portal.AuditPage)
	if !r.OK || !ok || len(pg.Entries) != 1 || pg.Entries[0].Action != "org.create" || !pg.More || pg.Next != pg.Entries[0].Seq {
		t.Fatalf("audit.list: %+v", r)
	}
	r = call(t, s, sess, "audit.list", `{"action":"portal.setup","actor":"alice"}`)
	if pg := r.Data.(portal.AuditPage); !r.OK || len(pg.Entries) != 1 || pg.Entries[0].Seq != 1 || pg.More || pg.Scanned != 2 {
		t.Fatalf("audit.list filtered: %+v", r)
	}
	if r := call(t, s, sess, "audit.list", `{"actor":"bob"}`); !r.OK || len(r.Data.(portal.AuditPage).Entries) != 0 {
		t.Fatalf("audit.list bob: %+v", r)
	}
	if r := call(t, s, sess, "audit.list", `{"offset":-1}`); r.Code != "invalid_input" {
		t.Fatalf("audit.list offset -1: %+v", r)
	}
	r = call(t, s, sess, "audit.actions", nil)
	if acts, ok := r.Data.([]string); !r.OK || !ok || !slices.Contains(acts, "org.create") || !slices.IsSorted(acts) {
		t.Fatalf("audit.actions: %+v", r)
	}
}
