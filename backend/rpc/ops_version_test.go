package rpc

import "testing"

// version answers the stamped build version to a signed-in caller only; an
// unstamped test binary says "dev".
func TestVersionOp(t *testing.T) {
	s, _ := newTestServer(t)
	sess := NewSession()
	if r := call(t, s, sess, "version", nil); r.Code != "not_signed_in" {
		t.Fatalf("anonymous: %+v", r)
	}
	statusOf(t, call(t, s, sess, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	r := call(t, s, sess, "version", nil)
	v, ok := r.Data.(VersionInfo)
	if !r.OK || !ok || v.Version != "dev" || v.Commit == "" {
		t.Fatalf("version = %+v", r)
	}

	defer func(v, c string) { buildVersion, buildCommit = v, c }(buildVersion, buildCommit)
	buildVersion, buildCommit = "v1.2.3-dev.gabc1234", "abc1234def56"
	if got := BuildVersion(); got != (VersionInfo{Version: "1.2.3-dev.gabc1234", Commit: "abc1234def56"}) {
		t.Fatalf("stamped: %+v", got)
	}
}
