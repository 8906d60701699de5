package portal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/signdoc"
)

// A.1: a local backup never replaces the live database, whatever the
// spelling of its path (/proc/self/root/…, a hard link), never writes
// through a symlink, and replaces an existing file only when asked.
func TestBackupTargetIdentityAndSymlinks(t *testing.T) {
	p, s, _ := newSetupDB(t)
	dir := t.TempDir()
	liveBefore, _ := os.ReadFile(p.Path())
	refused := func(path string, replace bool, want error) {
		t.Helper()
		if _, err := p.Backup(s, path, replace); !errors.Is(err, want) {
			t.Fatalf("backup to %s (replace %v): %v, want %v", path, replace, err, want)
		}
	}
	if runtime.GOOS == "linux" {
		refused("/proc/self/root"+p.Path(), true, ErrInvalidInput)
		refused("/proc/self/root"+p.Path(), false, ErrInvalidInput)
	}
	link := filepath.Join(dir, "hardlink.db")
	if err := os.Link(p.Path(), link); err == nil {
		refused(link, true, ErrInvalidInput)
	}
	victim := filepath.Join(dir, "authorized_keys")
	os.WriteFile(victim, []byte("ssh-ed25519 AAAA legit\n"), 0o600)
	sym := filepath.Join(dir, "sym.db")
	os.Symlink(victim, sym)
	refused(sym, true, ErrInvalidInput)
	refused(sym, false, ErrInvalidInput)
	dangling := filepath.Join(dir, "dangling.db")
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	refused(dangling, false, ErrInvalidInput)
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); err == nil {
		t.Fatal("wrote through a dangling symlink")
	}
	refused(victim, false, ErrFileExists)
	if b, _ := os.ReadFile(victim); string(b) != "ssh-ed25519 AAAA legit\n" {
		t.Fatalf("victim changed: %q", b)
	}
	if now, _ := os.ReadFile(p.Path()); !bytes.Equal(now, liveBefore) {
		t.Fatal("live database file changed")
	}
	// the portal still works on its own file
	if _, err := p.CreateUser(s, UserInput{Name: "Ada", Email: "ada@example.com"}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "new.db")
	if _, err := p.Backup(s, out, false); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Backup(s, out, true); err != nil {
		t.Fatalf("replace when asked: %v", err)
	}
	if err := validateBackup(out); err != nil {
		t.Fatal(err)
	}
}

// A.1/A.8: the byte-carrying forms round-trip, and a restore is refused by
// its header and size before being read whole.
func TestBackupDataRestoreData(t *testing.T) {
	p, s, _ := newSetupDB(t)
	bf, err := p.BackupData(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(bf.Name, "portal-backup-") || !strings.HasSuffix(bf.Name, ".db") || len(bf.Data) == 0 {
		t.Fatalf("backup file %q, %d bytes", bf.Name, len(bf.Data))
	}
	p.CreateUser(s, UserInput{Name: "After", Email: "after@example.com"})
	unchanged(t, p, ErrBadBackup, func() error { return p.RestoreData(s, []byte("hello")) })
	unchanged(t, p, ErrBadBackup, func() error { return p.RestoreData(s, bf.Data[:len(bf.Data)/2]) })
	if err := p.RestoreData(s, bf.Data); err != nil {
		t.Fatal(err)
	}
	s2, err := p.SignIn("alice", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if users, _ := p.ListUsers(s2, ""); len(users) != 0 {
		t.Fatalf("restored users = %+v", users)
	}
	// a huge sparse file is refused by its size, a foreign one by its
	// header; neither message says more than that
	dir := t.TempDir()
	sparse := filepath.Join(dir, "sparse.db")
	f, _ := os.Create(sparse)
	f.Truncate(2 << 30)
	f.Close()
	unchanged(t, p, ErrBackupTooLarge, func() error { return p.Restore(s2, sparse) })
	foreign := filepath.Join(dir, "foreign.db")
	os.WriteFile(foreign, bytes.Repeat([]byte("x"), 1<<20), 0o600)
	unchanged(t, p, ErrBadBackup, func() error { return p.Restore(s2, foreign) })
	e1 := p.Restore(s2, filepath.Join(dir, "missing.db"))
	e2 := p.Restore(s2, dir)
	if !errors.Is(e1, ErrBadBackup) || e1.Error() != e2.Error() {
		t.Fatalf("missing file and folder answered differently: %v / %v", e1, e2)
	}
	unchanged(t, p, ErrBadBackup, func() error { return p.Restore(s2, p.Path()) })
}

// A.1: a batch over carried files answers each response as text and writes
// nothing.
func TestBatchFiles(t *testing.T) {
	e := newEnrolled(t, 3)
	p, s := e.p, e.s
	p.Assign(s, "K1", e.user.ID, "")
	m1 := newMachine(t, "m1")
	res, err := p.BatchFiles(s, []BatchFile{
		{Name: "a.req", Text: string(m1.request(t, "prod", "K1"))},
		{Name: "b.req", Text: "garbage"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 2 || res.Activated != 1 || res.Failed != 1 || res.Items[0].Response != "" {
		t.Fatalf("batch = %+v", res)
	}
	if it := res.Items[0]; it.License != "K1" || it.Product != "prod" || it.Customer != e.user.ID || it.CustomerName != "Ada Lovelace" {
		t.Fatalf("applied item = %+v", it)
	}
	if it := res.Items[1]; it.License != "" || it.Product != "" || it.Customer != "" || it.CustomerName != "" {
		t.Fatalf("unreadable item = %+v", it)
	}
	rd, err := signdoc.Parse([]byte(res.Items[0].ResponseText))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := signdoc.VerifyActivationResponse(rd, e.pub.pub, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.BatchFiles(s, []BatchFile{{Name: "", Text: "x"}}, nil); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("nameless file: %v", err)
	}
	if _, err := p.BatchFiles(s, make([]BatchFile, MaxBatchFiles+1), nil); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("too many files: %v", err)
	}
}

// A.2: failures from one address never refuse a correct password from
// another address, nor slow or lock out the local desktop/rpctl.
func TestSignInThrottlePerClient(t *testing.T) {
	p, _, clock := newSetupDB(t)
	var slept []time.Duration
	p.opts.failDelay = 100 * time.Millisecond
	p.opts.sleep = func(d time.Duration) { slept = append(slept, d) }
	attacker, other := RemoteClient("192.0.2.66"), RemoteClient("192.0.2.7")
	for i := 0; i < LockAfterFailures; i++ {
		if _, err := p.SignInFrom(attacker, "alice", "nope nope"); !errors.Is(err, ErrWrongPassword) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, err := p.SignInFrom(attacker, "alice", testPassword); !errors.Is(err, ErrAccountLocked) {
		t.Fatalf("attacker's address after %d failures: %v", LockAfterFailures, err)
	}
	if strings.Contains(fmt.Sprint(p.SignInFrom(attacker, "alice", testPassword)), "until") {
		t.Fatal("the lock message says when it ends")
	}
	slept = nil
	if _, err := p.SignIn("alice", testPassword); err != nil || len(slept) != 0 {
		t.Fatalf("local sign-in after remote failures: %v, slept %v", err, slept)
	}
	// another address is slowed by the account's remote failures, never refused
	for i := 0; i < LockAfterFailures; i++ {
		p.SignInFrom(attacker, "alice", "nope nope")
	}
	slept = nil
	if _, err := p.SignInFrom(other, "alice", testPassword); err != nil {
		t.Fatalf("correct password from another address: %v", err)
	}
	if len(slept) > 1 || (len(slept) == 1 && slept[0] > MaxSignInDelay) {
		t.Fatalf("slow-down %v", slept)
	}
	// an unknown name counts the same as a wrong password
	for i := 0; i < LockAfterFailures; i++ {
		if _, err := p.SignInFrom(other, "mallory", "nope nope"); !errors.Is(err, ErrWrongPassword) {
			t.Fatalf("unknown name %d: %v", i, err)
		}
	}
	if _, err := p.SignInFrom(other, "alice", testPassword); !errors.Is(err, ErrAccountLocked) {
		t.Fatalf("after unknown-name failures: %v", err)
	}
	clock.Add(LockDuration + time.Second)
	if _, err := p.SignInFrom(attacker, "alice", testPassword); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}

// A.3: a logo declaring 20000×20000 is refused from its header: in well
// under 50 ms, without allocating its pixels.
func TestLogoBombRefusedBeforeDecode(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 20000)
	binary.BigEndian.PutUint32(ihdr[4:], 20000)
	ihdr[8], ihdr[9] = 8, 6
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x62, 0x00, 0x00})
	chunk("IEND", nil)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := checkLogo(b.Bytes())
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrLogoFormat) || !strings.Contains(err.Error(), "20000x20000") {
		t.Fatalf("bomb logo: %v", err)
	}
	if d > 50*time.Millisecond {
		t.Errorf("refused after %v", d)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("allocated %d bytes refusing a bomb", grew)
	}
}

// A.4: setup on an initialized portal answers before any password work.
func TestSetupInitializedIsCheap(t *testing.T) {
	p, _, _ := newSetupDB(t)
	p.opts.kdf = seal.DefaultParams // the real cost: ~0.6 s of Argon2id
	start := time.Now()
	for i := 0; i < 5; i++ {
		if _, err := p.Setup("Evil", "mallory", "long enough pw"); !errors.Is(err, ErrAlreadyInitialized) {
			t.Fatalf("setup again: %v", err)
		}
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("5 refused setups took %v", d)
	}
}

// A.5: a password change ends the account's other sessions, not the
// caller's.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	p, owner, _ := newSetupDB(t)
	thief, err := p.SignIn("alice", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.ChangePassword(owner, testPassword, "alice", "a new long password"); err != nil {
		t.Fatal(err)
	}
	if err := p.Check(thief); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("thief's session after the password change: %v", err)
	}
	if err := p.Check(owner); err != nil {
		t.Fatalf("owner's session: %v", err)
	}
	if _, err := p.SignIn("alice", "a new long password"); err != nil {
		t.Fatal(err)
	}
}

// A.10: the CSV formula guard covers the full-width formula starts too.
func TestCSVSafeFullWidth(t *testing.T) {
	for _, s := range []string{"=1+1", "+1", "-1", "@SUM(A1)", "＝1+1", "＋1", "－1", "＠SUM(A1)"} {
		if got := csvSafe(s); got != "'"+s {
			t.Errorf("csvSafe(%q) = %q", s, got)
		}
	}
	if got := csvSafe("Ada ＝"); got != "Ada ＝" {
		t.Errorf("plain text changed: %q", got)
	}
}
