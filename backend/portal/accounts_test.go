package portal

import (
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

func TestSetupAndStatus(t *testing.T) {
	p, _ := newTestDB(t)
	st, err := p.Status(nil)
	if err != nil || st.Initialized || st.SignedIn || len(st.Admins) != 0 {
		t.Fatalf("fresh status = %+v, %v", st, err)
	}
	s, err := p.Setup("Acme Reselling", "alice", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	st, _ = p.Status(s)
	if !st.Initialized || st.ResellerName != "Acme Reselling" || !st.SignedIn || st.Admin != "alice" || st.Enrolled || len(st.Admins) != 1 {
		t.Fatalf("status after setup = %+v", st)
	}
	if _, err := p.Setup("Other", "bob", testPassword); !errors.Is(err, ErrAlreadyInitialized) {
		t.Fatalf("second setup: %v", err)
	}
}

func TestSetupRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, reseller, admin, pw string
		want                      error
	}{
		{"empty reseller", " ", "alice", testPassword, ErrInvalidName},
		{"control char", "Acme\x07", "alice", testPassword, ErrInvalidName},
		{"long reseller", strings.Repeat("x", 201), "alice", testPassword, ErrInvalidName},
		{"bad admin", "Acme", "al ice", testPassword, ErrInvalidName},
		{"empty admin", "Acme", "", testPassword, ErrInvalidName},
		{"short password", "Acme", "alice", "short", ErrWeakPassword},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := newTestDB(t)
			if _, err := p.Setup(tc.reseller, tc.admin, tc.pw); !errors.Is(err, tc.want) {
				t.Fatalf("Setup = %v, want %v", err, tc.want)
			}
			if st, _ := p.Status(nil); st.Initialized {
				t.Fatal("refused setup changed the database")
			}
		})
	}
}

func TestSignIn(t *testing.T) {
	p, _, _ := newSetupDB(t)
	s, err := p.SignIn("alice", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if s.Admin() != "alice" || s.Role() != RoleResellerAdmin {
		t.Fatalf("session = %q %q", s.Admin(), s.Role())
	}
	if _, err := p.SignIn("alice", "wrong password"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := p.SignIn("mallory", testPassword); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("unknown admin: %v", err)
	}
}

func TestLockoutAfterTenFailures(t *testing.T) {
	p, _, clock := newSetupDB(t)
	var slept []time.Duration
	p.opts.failDelay = 100 * time.Millisecond
	p.opts.sleep = func(d time.Duration) { slept = append(slept, d) }
	for i := 0; i < LockAfterFailures; i++ {
		if _, err := p.SignIn("alice", "nope nope"); !errors.Is(err, ErrWrongPassword) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if len(slept) != LockAfterFailures-1 || slept[0] != 100*time.Millisecond || slept[8] != 900*time.Millisecond {
		t.Fatalf("slow-down = %v", slept)
	}
	if _, err := p.SignIn("alice", testPassword); !errors.Is(err, ErrAccountLocked) {
		t.Fatalf("right password while locked: %v", err)
	}
	clock.Add(LockDuration + time.Second)
	if _, err := p.SignIn("alice", testPassword); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}

func TestIdleLockAndSignOut(t *testing.T) {
	p, s, clock := newSetupDB(t)
	if err := p.Check(s); err != nil {
		t.Fatal(err)
	}
	clock.Add(DefaultIdleTimeout - time.Second)
	if err := p.Check(s); err != nil {
		t.Fatalf("before idle timeout: %v", err)
	}
	clock.Add(DefaultIdleTimeout + time.Second)
	if err := p.Check(s); !errors.Is(err, ErrNotSignedIn) && !errors.Is(err, ErrSessionLocked) {
		t.Fatalf("after idle: %v", err)
	}
	if _, err := s.key(); err == nil {
		t.Fatal("locked session still holds the key")
	}
	s2, _ := p.SignIn("alice", testPassword)
	p.SignOut(s2)
	if err := p.Check(s2); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("after sign-out: %v", err)
	}
	if err := p.Check(nil); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("nil session: %v", err)
	}
	if err := p.Check(&Session{admin: "x", role: "viewer", lastUsed: clock.Now()}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("other role: %v", err)
	}
}

func TestAdminsShareOneKey(t *testing.T) {
	p, s, _ := newSetupDB(t)
	key0, _ := s.key()
	pub0 := append([]byte(nil), key0.Public().(ed25519.PublicKey)...)
	if _, err := p.AddAdmin(s, testPassword, "bob", "bobs password"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddAdmin(s, testPassword, "bob", "bobs password"); !errors.Is(err, ErrAdminExists) {
		t.Fatalf("duplicate admin: %v", err)
	}
	if _, err := p.AddAdmin(s, "wrong password", "carol", "carols password"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("add with wrong caller password: %v", err)
	}
	bob, err := p.SignIn("bob", "bobs password")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.ChangePassword(bob, "bobs password", "bob", "bobs new password"); err != nil {
		t.Fatal(err)
	}
	bob2, err := p.SignIn("bob", "bobs new password")
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := bob2.key()
	if string(k2.Public().(ed25519.PublicKey)) != string(pub0) {
		t.Fatal("the reseller key changed with admins")
	}
	if err := p.RemoveAdmin(s, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := p.Check(bob2); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("removed admin's session: %v", err)
	}
	if err := p.RemoveAdmin(s, "alice"); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("removing the last admin: %v", err)
	}
	if err := p.RemoveAdmin(s, "nobody"); !errors.Is(err, ErrAdminNotFound) {
		t.Fatalf("removing unknown: %v", err)
	}
	if _, err := p.SignIn("alice", testPassword); err != nil {
		t.Fatalf("alice after changes: %v", err)
	}
}

func TestSecondOpenerInUse(t *testing.T) {
	p, _ := newTestDB(t)
	if _, err := Open(p.Path()); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("second open: %v", err)
	}
}

func TestDefaultDBPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "cfg"))
	got, err := DefaultDBPath()
	if err != nil {
		t.Fatal(err)
	}
	if got != filepath.Join(dir, "cfg", "ResellerPortal", "portal.db") {
		t.Fatalf("DefaultDBPath = %s", got)
	}
}

func TestAdminsLockedUntil(t *testing.T) {
	p, s, clock := newSetupDB(t)
	if _, err := p.AddAdmin(s, testPassword, "bob", "bobs password"); err != nil {
		t.Fatal(err)
	}
	until := clock.Now().Add(10 * time.Minute)
	// a lock stored on the account (databases of earlier versions)
	if err := p.update(func(tx *bolt.Tx) error {
		return p.mutateAdmin(tx, "bob", func(a *admin) { a.LockedUntil = until })
	}); err != nil {
		t.Fatal(err)
	}
	list, err := p.Admins(s)
	if err != nil || len(list) != 2 {
		t.Fatalf("Admins = %+v, %v", list, err)
	}
	if list[0].Locked || !list[0].LockedUntil.IsZero() {
		t.Fatalf("alice = %+v", list[0])
	}
	if !list[1].Locked || !list[1].LockedUntil.Equal(until) {
		t.Fatalf("bob = %+v, want locked until %v", list[1], until)
	}
	clock.Add(11 * time.Minute)
	list, _ = p.Admins(s)
	if list[1].Locked || !list[1].LockedUntil.IsZero() {
		t.Fatalf("bob after the lock = %+v", list[1])
	}
}
