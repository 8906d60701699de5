package portal

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

func pngBytes(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func TestSettings(t *testing.T) {
	p, s, _ := newSetupDB(t)
	var jb bytes.Buffer
	jpeg.Encode(&jb, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil)
	got, err := p.UpdateSettings(s, SettingsUpdate{Company: strp("Acme GmbH"), Domain: strp("Licenses.Acme.example"), Logo: pngBytes(t, 16, 16), SetLogo: true})
	if err != nil || got.Company != "Acme GmbH" || got.Domain != "licenses.acme.example" || got.LogoType != "image/png" || got.Logo == "" {
		t.Fatalf("settings = %+v, %v", got, err)
	}
	if got, err = p.UpdateSettings(s, SettingsUpdate{Logo: jb.Bytes(), SetLogo: true}); err != nil || got.LogoType != "image/jpeg" {
		t.Fatalf("jpeg logo = %+v, %v", got.LogoType, err)
	}
	big := append(pngBytes(t, 4, 4), make([]byte, MaxLogoSize)...)
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	truncated := pngBytes(t, 64, 64)
	truncated = truncated[:len(truncated)/2]
	for _, tc := range []struct {
		name string
		up   SettingsUpdate
		want error
	}{
		{"svg", SettingsUpdate{Logo: svg, SetLogo: true}, ErrLogoFormat},
		{"too large", SettingsUpdate{Logo: big, SetLogo: true}, ErrLogoTooLarge},
		{"truncated png", SettingsUpdate{Logo: truncated, SetLogo: true}, ErrLogoFormat},
		{"domain with space", SettingsUpdate{Domain: strp("bad domain.com")}, ErrInvalidDomain},
		{"domain with scheme", SettingsUpdate{Domain: strp("https://x.com")}, ErrInvalidDomain},
		{"domain label dash", SettingsUpdate{Domain: strp("-x.com")}, ErrInvalidDomain},
		{"company control", SettingsUpdate{Company: strp("A\nB")}, ErrInvalidName},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unchanged(t, p, tc.want, func() error { _, err := p.UpdateSettings(s, tc.up); return err })
		})
	}
}

func TestAuditChain(t *testing.T) {
	e := newEnrolled(t, 2)
	p, s := e.p, e.s
	p.Assign(s, "K1", e.user.ID, "")
	v, err := p.VerifyAudit(s)
	if err != nil || !v.OK || v.Entries < 4 {
		t.Fatalf("verify = %+v, %v", v, err)
	}
	entries, _ := p.AuditLog(s, 0, 0)
	if entries[0].Action != "license.assign" || entries[0].Actor != "alice" || entries[0].Object != "license:K1" {
		t.Fatalf("newest entry = %+v", entries[0])
	}
	tamper := func(name string, fn func(b *bolt.Bucket)) {
		t.Run(name, func(t *testing.T) {
			e := newEnrolled(t, 2)
			e.p.Assign(e.s, "K1", e.user.ID, "")
			e.p.update(func(tx *bolt.Tx) error { fn(tx.Bucket(store.BucketAudit)); return nil })
			if _, err := e.p.VerifyAudit(e.s); err == nil || !strings.Contains(err.Error(), "audit") {
				t.Fatalf("tampering (%s) not detected: %v", name, err)
			}
		})
	}
	tamper("edit", func(b *bolt.Bucket) {
		var en AuditEntry
		json.Unmarshal(b.Get(store.U64(2)), &en)
		en.Actor = "mallory"
		raw, _ := json.Marshal(en)
		b.Put(store.U64(2), raw)
	})
	tamper("remove middle", func(b *bolt.Bucket) { b.Delete(store.U64(2)) })
	tamper("remove last", func(b *bolt.Bucket) {
		c := b.Cursor()
		c.Seek(auditHead)
		k, _ := c.Prev()
		b.Delete(k)
	})
	tamper("remove head and last", func(b *bolt.Bucket) {
		c := b.Cursor()
		c.Seek(auditHead)
		k, _ := c.Prev()
		b.Delete(k)
		b.Delete(auditHead)
	})
	tamper("reorder", func(b *bolt.Bucket) {
		one, two := store.Copy(b.Get(store.U64(1))), store.Copy(b.Get(store.U64(2)))
		b.Put(store.U64(1), two)
		b.Put(store.U64(2), one)
	})
}

func TestReportNumbersAndNews(t *testing.T) {
	e := newEnrolled(t, 2)
	p, s := e.p, e.s
	p.Assign(s, "K1", e.user.ID, "")
	m := newMachine(t, "m1")
	res, err := p.Activate(s, m.request(t, "prod", "K1"), false)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := p.Report(s)
	if err != nil || r1.Number != 1 || r1.Events != 1 {
		t.Fatalf("report 1 = %+v, %v", r1, err)
	}
	d, _ := signdoc.Parse([]byte(r1.Document.Armored))
	rep, _, err := signdoc.VerifyReport(d, e.pub.pub)
	if err != nil || rep.Events[0].ActivationID != res.Activation.ID || rep.Events[0].Type != signdoc.EventActivation {
		t.Fatalf("verify report: %+v, %v", rep, err)
	}
	r1Seq := rep.Events[0].Seq
	if _, err := p.Deactivate(s, m.deactivation(t, res.Activation.ID, "prod", "K1")); err != nil {
		t.Fatal(err)
	}
	r2, _ := p.Report(s)
	d, _ = signdoc.Parse([]byte(r2.Document.Compact))
	rep, _, err = signdoc.VerifyReport(d, e.pub.pub)
	if err != nil || r2.Number != 2 || len(rep.Events) != 1 || rep.Events[0].Type != signdoc.EventDeactivation || rep.Events[0].Seq <= r1Seq {
		t.Fatalf("report 2 = %+v, %v", rep, err)
	}
	r3, _ := p.Report(s)
	if r3.Number != 3 || r3.Events != 0 {
		t.Fatalf("report 3 = %+v", r3)
	}
}

func TestTrackingAndCSV(t *testing.T) {
	e := newEnrolled(t, 3)
	p, s := e.p, e.s
	p.Assign(s, "K1", e.user.ID, "")
	p.Assign(s, "K2", e.user.ID, "")
	var ids []string
	for i, k := range []string{"K1", "K1", "K2"} {
		res, err := p.Activate(s, newMachine(t, string(rune('a'+i))).request(t, "prod", k), false)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.Activation.ID)
		e.clock.Add(1e9)
	}
	all, _ := p.ListActivations(s, ActivationQuery{})
	if len(all) != 3 || all[0].ID != ids[2] {
		t.Fatalf("all newest first = %+v", all)
	}
	byLic, _ := p.ListActivations(s, ActivationQuery{License: "k1"})
	if len(byLic) != 2 || byLic[0].ID != ids[1] {
		t.Fatalf("by license = %+v", byLic)
	}
	byCust, _ := p.ListActivations(s, ActivationQuery{Customer: e.user.ID, Limit: 2})
	if len(byCust) != 2 {
		t.Fatalf("by customer = %+v", byCust)
	}
	if _, err := p.ListActivations(s, ActivationQuery{License: "NOPE"}); err == nil {
		t.Fatal("unknown license listed")
	}
	since, _ := p.ListActivations(s, ActivationQuery{From: all[1].Created})
	if len(since) != 2 || since[1].ID != ids[1] {
		t.Fatalf("from %v = %+v", all[1].Created, since)
	}
	before, _ := p.ListActivations(s, ActivationQuery{To: all[1].Created})
	if len(before) != 1 || before[0].ID != ids[0] {
		t.Fatalf("to = %+v", before)
	}
	if dead, _ := p.ListActivations(s, ActivationQuery{Status: ActStatusDeactivated}); len(dead) != 0 {
		t.Fatalf("deactivated = %+v", dead)
	}
	if page2, _ := p.ListActivations(s, ActivationQuery{Offset: 1, Limit: 1}); len(page2) != 1 || page2[0].ID != ids[1] {
		t.Fatalf("offset page = %+v", page2)
	}
	for _, q := range []ActivationQuery{{Status: "weird"}, {Offset: -1}, {Customer: "x9"}} {
		if _, err := p.ListActivations(s, q); err == nil {
			t.Fatalf("query %+v accepted", q)
		}
	}
	var lb, ab bytes.Buffer
	if err := p.ExportLicensesCSV(s, &lb); err != nil {
		t.Fatal(err)
	}
	if err := p.ExportActivationsCSV(s, &ab); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(lb.String(), "\n"); n != 4 || !strings.Contains(lb.String(), "K1,prod,active,u1,Ada Lovelace,2,2,0,1,") {
		t.Fatalf("licenses CSV:\n%s", lb.String())
	}
	if n := strings.Count(ab.String(), "\n"); n != 4 || !strings.HasPrefix(ab.String(), "id,license,") {
		t.Fatalf("activations CSV:\n%s", ab.String())
	}
}

// TestActivationFiltersCombine: every filter of activations.list applies
// together — license and customer (whichever index is walked), status, from
// and to.
func TestActivationFiltersCombine(t *testing.T) {
	e := newEnrolled(t, 2)
	p, s := e.p, e.s
	org, err := p.CreateOrg(s, "Analytical Engines Ltd")
	if err != nil {
		t.Fatal(err)
	}
	activate := func(m *testMachine, key string) string {
		t.Helper()
		res, err := p.Activate(s, m.request(t, "prod", key), false)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Add(1e9)
		return res.Activation.ID
	}
	// K1 for the user: activated, deactivated, revoked; then for the org
	p.Assign(s, "K1", e.user.ID, "")
	m1 := newMachine(t, "m1")
	a1 := activate(m1, "K1")
	if _, err := p.Deactivate(s, m1.deactivation(t, a1, "prod", "K1")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Revoke(s, "K1"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Assign(s, "K1", "", org.ID); err != nil {
		t.Fatal(err)
	}
	a2 := activate(newMachine(t, "m2"), "K1")
	// K2 for the user
	p.Assign(s, "K2", e.user.ID, "")
	a3 := activate(newMachine(t, "m3"), "K2")
	ids := func(q ActivationQuery) string {
		t.Helper()
		acts, err := p.ListActivations(s, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		var out []string
		for _, a := range acts {
			out = append(out, a.ID)
		}
		return strings.Join(out, ",")
	}
	all, _ := p.ListActivations(s, ActivationQuery{})
	created := map[string]time.Time{}
	for _, a := range all {
		created[a.ID] = a.Created
	}
	for _, tc := range []struct {
		q    ActivationQuery
		want string
	}{
		{ActivationQuery{License: "K1"}, a2 + "," + a1},
		{ActivationQuery{Customer: e.user.ID}, a3 + "," + a1},
		{ActivationQuery{License: "K1", Customer: e.user.ID}, a1},
		{ActivationQuery{License: "k1", Customer: " " + strings.ToUpper(org.ID)}, a2},
		{ActivationQuery{License: "K2", Customer: org.ID}, ""},
		{ActivationQuery{License: "K1", Customer: e.user.ID, Status: ActStatusActive}, ""},
		{ActivationQuery{License: "K1", Customer: e.user.ID, Status: ActStatusDeactivated}, a1},
		{ActivationQuery{Customer: e.user.ID, Status: ActStatusActive}, a3},
		{ActivationQuery{License: "K1", Customer: org.ID, From: created[a2]}, a2},
		{ActivationQuery{License: "K1", Customer: org.ID, To: created[a2]}, ""},
		{ActivationQuery{Customer: e.user.ID, From: created[a1], To: created[a3]}, a1},
		{ActivationQuery{License: "K1", Status: ActStatusActive, To: created[a3]}, a2},
		{ActivationQuery{License: "K1", Customer: e.user.ID, Status: ActStatusDeactivated, From: created[a1], To: created[a2]}, a1},
		{ActivationQuery{Customer: e.user.ID, Offset: 1}, a1},
	} {
		if got := ids(tc.q); got != tc.want {
			t.Errorf("%+v = %q, want %q", tc.q, got, tc.want)
		}
	}
	if _, err := p.ListActivations(s, ActivationQuery{License: "K1", Customer: "x9"}); err == nil {
		t.Fatal("a bad customer beside a license was accepted")
	}
}

func TestBackupRestore(t *testing.T) {
	e := newEnrolled(t, 2)
	p, s := e.p, e.s
	out := filepath.Join(t.TempDir(), "backup.db")
	if _, err := p.Backup(s, out, false); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(out)
	priv, _ := s.key()
	if bytes.Contains(raw, priv.Seed()) {
		t.Fatal("backup holds the plain signing key")
	}
	p.CreateUser(s, UserInput{Name: "After Backup", Email: "after@example.com"})
	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, raw[:len(raw)/2], 0o600)
	unchanged(t, p, ErrBadBackup, func() error { return p.Restore(s, bad) })
	notPortal := filepath.Join(t.TempDir(), "np.db")
	os.WriteFile(notPortal, []byte("hello"), 0o600)
	unchanged(t, p, ErrBadBackup, func() error { return p.Restore(s, notPortal) })
	if err := p.Restore(s, out); err != nil {
		t.Fatal(err)
	}
	if err := p.Check(s); err == nil {
		t.Fatal("session survived restore")
	}
	s2, err := p.SignIn("alice", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	users, _ := p.ListUsers(s2, "")
	if len(users) != 1 {
		t.Fatalf("restored users = %+v", users)
	}
	if v, err := p.VerifyAudit(s2); err != nil || !v.OK {
		t.Fatalf("audit after restore: %v", err)
	}
}

func TestBatch(t *testing.T) {
	e := newEnrolled(t, 3)
	p, s := e.p, e.s
	p.opts.chunk = 2
	p.Assign(s, "K1", e.user.ID, "")
	dir := t.TempDir()
	m1, m2 := newMachine(t, "m1"), newMachine(t, "m2")
	os.WriteFile(filepath.Join(dir, "a.req"), m1.request(t, "prod", "K1"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.req"), m2.request(t, "prod", "K2"), 0o644) // unassigned
	os.WriteFile(filepath.Join(dir, "c.req"), []byte("garbage"), 0o644)
	d, _ := signdoc.Parse(m2.request(t, "prod", "K1"))
	os.WriteFile(filepath.Join(dir, "d.txt"), []byte(d.Compact()+"\n"), 0o644)
	var calls int
	res, err := p.Batch(s, dir, func(done, total int) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 4 || res.Activated != 2 || res.Failed != 2 || calls != 2 {
		t.Fatalf("batch = %+v", res)
	}
	if res.Items[1].Code != "license_unassigned" || res.Items[2].Code != "document_malformed" {
		t.Fatalf("failures = %+v", res.Items)
	}
	// each item names its license and customer, as far as they are known
	ada := BatchItem{License: "K1", Product: "prod", Customer: e.user.ID, CustomerName: "Ada Lovelace"}
	for i, want := range []BatchItem{ada, {License: "K2", Product: "prod"}, {}, ada} {
		if got := res.Items[i]; got.License != want.License || got.Product != want.Product || got.Customer != want.Customer || got.CustomerName != want.CustomerName {
			t.Errorf("item %d (%s) = %+v, want license %+v", i, got.File, got, want)
		}
	}
	resp, err := os.ReadFile(filepath.Join(dir, "a"+ResponseSuffix))
	if err != nil {
		t.Fatal(err)
	}
	rd, _ := signdoc.Parse(resp)
	if _, _, err := signdoc.VerifyActivationResponse(rd, e.pub.pub, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	// again: same activations, responses rewritten, nothing new
	before := dbDigest(t, p)
	res2, _ := p.Batch(s, dir, nil)
	if res2.Activated != 0 || !res2.Items[0].Repeat || res2.Items[0].Activation != res.Items[0].Activation {
		t.Fatalf("batch again = %+v", res2)
	}
	if dbDigest(t, p) != before {
		t.Fatal("repeated batch changed the database")
	}
	if it := res2.Items[3]; it.License != "K1" || it.Customer != e.user.ID || it.CustomerName != "Ada Lovelace" {
		t.Fatalf("repeat = %+v", it)
	}
	// refusals of a known license name it too; deactivations name theirs
	more := t.TempDir()
	os.WriteFile(filepath.Join(more, "e.req"), newMachine(t, "m3").request(t, "prod", "K1"), 0o644)
	os.WriteFile(filepath.Join(more, "f.req"), m1.deactivation(t, res.Items[0].Activation, "prod", "K1"), 0o644)
	os.WriteFile(filepath.Join(more, "g.req"), m1.deactivation(t, res.Items[0].Activation, "prod", "K1"), 0o644)
	os.WriteFile(filepath.Join(more, "h.req"), newMachine(t, "m4").request(t, "prod", "K9"), 0o644)
	os.WriteFile(filepath.Join(more, "i.req"), newMachine(t, "m5").request(t, "other", "K1"), 0o644)
	res3, err := p.Batch(s, more, nil)
	if err != nil || res3.Deactivated != 1 || res3.Failed != 4 {
		t.Fatalf("batch 3 = %+v, %v", res3, err)
	}
	for i, want := range []struct {
		code string
		who  BatchItem
	}{
		{"license_over_limit", ada}, {"", ada}, {"already_deactivated", ada},
		{"license_not_found", BatchItem{}}, {"wrong_product", ada},
	} {
		got := res3.Items[i]
		if got.Code != want.code || got.License != want.who.License || got.Product != want.who.Product ||
			got.Customer != want.who.Customer || got.CustomerName != want.who.CustomerName || strings.Contains(got.Message, "K") {
			t.Errorf("batch 3 item %d (%s) = %+v, want %s %+v", i, got.File, got, want.code, want.who)
		}
	}
	if _, err := p.Batch(s, filepath.Join(dir, "missing"), nil); err == nil {
		t.Fatal("missing folder accepted")
	}
}
