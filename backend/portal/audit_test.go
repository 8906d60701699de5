package portal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// addAudit appends n entries: actor "alice" or "bob" by turns, action
// "x.even" / "x.odd" by the entry's parity (1-based within the batch).
func addAudit(t testing.TB, p *Portal, n int) {
	t.Helper()
	err := p.update(func(tx *bolt.Tx) error {
		for i := 1; i <= n; i++ {
			actor, action := "alice", "x.odd"
			if i%2 == 0 {
				actor, action = "bob", "x.even"
			}
			if err := p.audit(tx, actor, action, fmt.Sprintf("obj:%d", i), "d"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func seqs(es []AuditEntry) []uint64 {
	out := make([]uint64, len(es))
	for i, e := range es {
		out[i] = e.Seq
	}
	return out
}

// TestAuditQuery: newest first, exact filters, offset, the before cursor,
// More/Next, and the bounded walk.
func TestAuditQuery(t *testing.T) {
	p, s, _ := newSetupDB(t) // entry 1: portal.setup by alice
	addAudit(t, p, 20)       // entries 2..21; odd i (even seq) alice x.odd
	q := func(q AuditQuery) AuditPage {
		t.Helper()
		pg, err := p.QueryAudit(s, q)
		if err != nil {
			t.Fatal(err)
		}
		return pg
	}
	pg := q(AuditQuery{Limit: 3})
	if got := seqs(pg.Entries); !slices.Equal(got, []uint64{21, 20, 19}) || !pg.More || pg.Next != 19 {
		t.Fatalf("newest: %v more=%v next=%d", got, pg.More, pg.Next)
	}
	pg = q(AuditQuery{Limit: 3, Before: pg.Next})
	if got := seqs(pg.Entries); !slices.Equal(got, []uint64{18, 17, 16}) {
		t.Fatalf("before 19: %v", got)
	}
	pg = q(AuditQuery{Limit: 3, Offset: 19})
	if got := seqs(pg.Entries); !slices.Equal(got, []uint64{2, 1}) || pg.More || pg.Next != 0 {
		t.Fatalf("last page: %v more=%v next=%d", got, pg.More, pg.Next)
	}
	// exactly limit entries left: More says "maybe", the next call finds none
	pg = q(AuditQuery{Limit: 2, Offset: 19})
	if got := seqs(pg.Entries); !slices.Equal(got, []uint64{2, 1}) || pg.More {
		t.Fatalf("exact end: %v more=%v", got, pg.More)
	}
	pg = q(AuditQuery{Action: "x.even", Limit: 4})
	if got := seqs(pg.Entries); !slices.Equal(got, []uint64{21, 19, 17, 15}) || !pg.More || pg.Next != 15 {
		t.Fatalf("action: %v more=%v next=%d", got, pg.More, pg.Next)
	}
	for _, e := range pg.Entries {
		if e.Action != "x.even" || e.Actor != "bob" {
			t.Fatalf("action filter let %+v through", e)
		}
	}
	pg = q(AuditQuery{Action: "x.even", Offset: 2, Limit: 2})
	if got := seqs(pg.Entries); !slices.Equal(got, []uint64{17, 15}) {
		t.Fatalf("action offset: %v", got)
	}
	pg = q(AuditQuery{Actor: "alice", Action: "portal.setup"})
	if got := seqs(pg.Entries); !slices.Equal(got, []uint64{1}) || pg.More || pg.Scanned != 21 {
		t.Fatalf("actor+action: %v more=%v scanned=%d", got, pg.More, pg.Scanned)
	}
	if pg = q(AuditQuery{Actor: "ALICE"}); len(pg.Entries) != 0 {
		t.Fatalf("actor match is exact: %v", seqs(pg.Entries))
	}
	if pg = q(AuditQuery{Action: "x.even", Before: 1000}); len(pg.Entries) != 10 || pg.Entries[0].Seq != 21 {
		t.Fatalf("before past the end: %v", seqs(pg.Entries))
	}
	if _, err := p.QueryAudit(s, AuditQuery{Offset: -1}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("negative offset: %v", err)
	}
	if _, err := p.QueryAudit(nil, AuditQuery{}); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("no session: %v", err)
	}

	// the bounded walk: 5 entries read at most, then More with where to go on
	var walked []uint64
	before := uint64(0)
	for range 10 {
		var pg AuditPage
		err := p.view(func(tx *bolt.Tx) (err error) {
			pg, err = auditQuery(tx, AuditQuery{Actor: "alice", Limit: 50, Before: before}, 5)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if pg.Scanned > 5 {
			t.Fatalf("scanned %d > 5", pg.Scanned)
		}
		walked = append(walked, seqs(pg.Entries)...)
		if !pg.More {
			break
		}
		before = pg.Next
	}
	if want := []uint64{20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 1}; !slices.Equal(walked, want) {
		t.Fatalf("bounded walk: %v, want %v", walked, want)
	}
}

// TestAuditQueryLimits: the default and the largest page.
func TestAuditQueryLimits(t *testing.T) {
	p, s, _ := newSetupDB(t)
	addAudit(t, p, AuditMaxLimit+10)
	pg, err := p.QueryAudit(s, AuditQuery{})
	if err != nil || len(pg.Entries) != AuditDefaultLimit || !pg.More {
		t.Fatalf("default: %d %v %v", len(pg.Entries), pg.More, err)
	}
	pg, err = p.QueryAudit(s, AuditQuery{Limit: 1 << 30})
	if err != nil || len(pg.Entries) != AuditMaxLimit {
		t.Fatalf("max: %d %v", len(pg.Entries), err)
	}
}

// TestAuditActionsListed: every action the code records is in AuditActions,
// which is sorted and has no extra names.
func TestAuditActionsListed(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`\.audit\(tx, [^,]+, "([a-z.]+)"`)
	found := map[string]bool{}
	for _, f := range files {
		if filepath.Ext(f) != ".go" || len(f) > 8 && f[len(f)-8:] == "_test.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(src, -1) {
			found[string(m[1])] = true
		}
	}
	var want []string
	for a := range found {
		want = append(want, a)
	}
	slices.Sort(want)
	if !slices.Equal(AuditActions, want) {
		t.Fatalf("AuditActions = %v\nthe code records %v", AuditActions, want)
	}
}
