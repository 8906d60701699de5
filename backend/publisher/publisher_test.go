package publisher

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/signdoc"
)

var t0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func newPublisher(t *testing.T) *Publisher {
	t.Helper()
	p, err := Init(filepath.Join(t.TempDir(), "vendor"), nil, seal.TestParams)
	if err != nil {
		t.Fatal(err)
	}
	p.Now = func() time.Time { return t0 }
	for _, id := range []string{"acme-cad", "acme-render"} {
		if _, err := p.AddProduct("Product "+id, id); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func enrollmentRequest(t *testing.T) (ed25519.PrivateKey, []byte) {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	d, err := signdoc.SignEnrollmentRequest(priv, signdoc.EnrollmentRequest{ResellerName: "Northwind", CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	return priv, d.Armor()
}

func TestInitKeyFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "v")
	p, err := Init(dir, nil, seal.TestParams)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("publisher.key mode %v, want 0600", fi.Mode().Perm())
	}
	before, _ := os.ReadFile(filepath.Join(dir, KeyFile))
	if _, err := Init(dir, nil, seal.TestParams); !errors.Is(err, ErrExists) {
		t.Fatalf("second init: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, KeyFile))
	if !bytes.Equal(before, after) {
		t.Fatal("second init changed the key file")
	}
	pubText, _ := os.ReadFile(filepath.Join(dir, PubFile))
	pub, err := signdoc.ParsePublicKey(pubText)
	if err != nil || !pub.Equal(p.PublicKey()) {
		t.Fatalf("publisher.pub: %v", err)
	}
	q, err := Open(dir, nil)
	if err != nil || !q.PublicKey().Equal(p.PublicKey()) {
		t.Fatalf("reopen: %v", err)
	}
}

func TestSealedKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "v")
	p, err := Init(dir, []byte("vendor secret"), seal.TestParams)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, KeyFile))
	if !IsSealedKeyFile(data) || bytes.Contains(data, []byte(signdoc.Bytes(p.priv.Seed()).String())) {
		t.Fatal("key file is not sealed")
	}
	if _, err := Open(dir, nil); !errors.Is(err, ErrPassphraseRequired) {
		t.Errorf("no passphrase: %v", err)
	}
	if _, err := Open(dir, []byte("wrong")); !errors.Is(err, seal.ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	q, err := Open(dir, []byte("vendor secret"))
	if err != nil || !bytes.Equal(q.priv, p.priv) {
		t.Fatalf("right passphrase: %v", err)
	}
	// report verification needs only the public key
	if _, err := OpenPublic(dir); err != nil {
		t.Fatal(err)
	}
}

func TestKeyFileRefusals(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	good, _ := FormatKeyFile(priv, nil, seal.TestParams)
	if k, err := ParseKeyFile(append([]byte("\n"), good...), nil); err != nil || !bytes.Equal(k, priv) {
		t.Fatalf("good key file: %v", err)
	}
	for name, data := range map[string][]byte{
		"empty":     nil,
		"noise":     []byte("hello world"),
		"truncated": good[:len(good)/2],
		"short key": bytes.Replace(good, []byte(signdoc.Bytes(priv.Seed()).String()), []byte("AAAA"), 1),
		"huge":      bytes.Repeat([]byte("A"), 1<<20),
	} {
		if _, err := ParseKeyFile(data, nil); !errors.Is(err, ErrKeyFileInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Open(t.TempDir(), nil); !errors.Is(err, ErrNotInitialised) {
		t.Errorf("empty dir: %v", err)
	}
}

func TestProducts(t *testing.T) {
	p := newPublisher(t)
	if _, err := p.AddProduct("Again", "acme-cad"); !errors.Is(err, ErrProductExists) {
		t.Errorf("duplicate id: %v", err)
	}
	if _, err := p.AddProduct("Bad", "Bad Id!"); !errors.Is(err, ErrProductInvalid) {
		t.Errorf("bad id: %v", err)
	}
	if _, err := p.AddProduct("  ", ""); !errors.Is(err, ErrProductInvalid) {
		t.Errorf("empty name: %v", err)
	}
	a, _ := p.AddProduct("Acme Viewer 2", "")
	b, _ := p.AddProduct("Acme Viewer 2", "")
	if a.ID != "acme-viewer-2" || b.ID != "acme-viewer-2-2" {
		t.Errorf("generated ids %q %q", a.ID, b.ID)
	}
	ps, _ := p.Products()
	if len(ps) != 4 {
		t.Errorf("%d products", len(ps))
	}
}

func TestEnrollAndAllocate(t *testing.T) {
	p := newPublisher(t)
	resellerPriv, req := enrollmentRequest(t)
	certDoc, cert, err := p.Enroll(req, []string{"acme-cad"}, 30)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Serial != 1 || !ed25519.PublicKey(cert.PublisherKey).Equal(p.PublicKey()) ||
		!bytes.Equal(cert.PublicKey, resellerPriv.Public().(ed25519.PublicKey)) || !cert.NotAfter.Equal(t0.AddDate(0, 0, 30)) {
		t.Fatalf("certificate %+v", cert)
	}
	if _, c2, _ := p.Enroll(req, []string{"acme-cad"}, DefaultValidDays); c2 == nil || c2.Serial != 2 || c2.ResellerID != cert.ResellerID {
		t.Fatalf("second certificate %+v", c2)
	}
	if _, err := os.Stat(filepath.Join(p.Dir(), "certs", "1.cert")); err != nil {
		t.Error("certificate not recorded")
	}
	exp := t0.AddDate(1, 0, 0)
	bdoc, b, err := p.Allocate(certDoc.Armor(), Allocation{Product: "acme-cad", Count: 25, ActivationsAllowed: 3, Expires: &exp})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Licenses) != 25 || b.ResellerID != cert.ResellerID {
		t.Fatalf("bundle %+v", b)
	}
	keyRE := regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$`)
	seen := map[string]bool{}
	for _, l := range b.Licenses {
		if !keyRE.MatchString(l.Key) || seen[l.Key] {
			t.Fatalf("license key %q", l.Key)
		}
		seen[l.Key] = true
		if l.DeactivationsAllowed != nil || l.Expires == nil || !l.Expires.Equal(exp) || l.ActivationsAllowed != 3 {
			t.Fatalf("license terms %+v", l)
		}
	}
	if bytes.Contains(bdoc.Payload, []byte("deactivations_allowed")) {
		t.Error("unlimited deactivations should be absent from the payload")
	}
	// perpetual, limited deactivations
	zero := 0
	_, b2, err := p.Allocate([]byte(certDoc.Compact()), Allocation{Product: "acme-cad", Count: 1, ActivationsAllowed: 1, DeactivationsAllowed: &zero})
	if err != nil || b2.Licenses[0].Expires != nil || *b2.Licenses[0].DeactivationsAllowed != 0 {
		t.Fatalf("perpetual bundle: %+v %v", b2, err)
	}
}

func TestEnrollRefusals(t *testing.T) {
	p := newPublisher(t)
	_, req := enrollmentRequest(t)
	other, _ := signdoc.SignCertificate(p.priv, signdoc.Certificate{Serial: 9, ResellerName: "x", PublicKey: signdoc.Bytes(p.PublicKey()),
		Products: []string{"acme-cad"}, NotBefore: t0, NotAfter: t0.Add(time.Hour)})
	flipped := bytes.Clone(req)
	flipped[60] ^= 0x04
	cases := map[string]struct {
		req      []byte
		products []string
		days     int
		want     error
	}{
		"unknown product": {req, []string{"nope"}, 30, ErrProductUnknown},
		"no products":     {req, nil, 30, ErrInvalidArgument},
		"zero days":       {req, []string{"acme-cad"}, 0, ErrInvalidArgument},
		"kind confusion":  {other.Armor(), []string{"acme-cad"}, 30, signdoc.ErrKindMismatch},
		"empty":           {nil, []string{"acme-cad"}, 30, signdoc.ErrEmpty},
		"bit flipped":     {flipped, []string{"acme-cad"}, 30, nil},
	}
	for name, c := range cases {
		_, _, err := p.Enroll(c.req, c.products, c.days)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	st, _ := p.loadState()
	if st.NextSerial != 1 {
		t.Errorf("refused enrollments used serials: next %d", st.NextSerial)
	}
}

func TestAllocateRefusals(t *testing.T) {
	p := newPublisher(t)
	_, req := enrollmentRequest(t)
	certDoc, _, _ := p.Enroll(req, []string{"acme-cad"}, 30)
	foreign := newPublisher(t)
	_, req2 := enrollmentRequest(t)
	foreignCert, _, _ := foreign.Enroll(req2, []string{"acme-cad"}, 30)
	past := t0.Add(-time.Hour)
	neg := -1
	ok := Allocation{Product: "acme-cad", Count: 1, ActivationsAllowed: 1}
	with := func(f func(*Allocation)) Allocation { a := ok; f(&a); return a }
	cases := map[string]struct {
		cert []byte
		a    Allocation
		want error
	}{
		"other publisher's cert": {foreignCert.Armor(), ok, signdoc.ErrCertificateWrongPublisher},
		"product not covered":    {certDoc.Armor(), with(func(a *Allocation) { a.Product = "acme-render" }), signdoc.ErrProductNotCovered},
		"unknown product":        {certDoc.Armor(), with(func(a *Allocation) { a.Product = "zzz" }), ErrProductUnknown},
		"zero count":             {certDoc.Armor(), with(func(a *Allocation) { a.Count = 0 }), ErrInvalidArgument},
		"zero activations":       {certDoc.Armor(), with(func(a *Allocation) { a.ActivationsAllowed = 0 }), ErrInvalidArgument},
		"negative deactivations": {certDoc.Armor(), with(func(a *Allocation) { a.DeactivationsAllowed = &neg }), ErrInvalidArgument},
		"expiry in the past":     {certDoc.Armor(), with(func(a *Allocation) { a.Expires = &past }), ErrInvalidArgument},
		"request as cert":        {req, ok, signdoc.ErrKindMismatch},
	}
	for name, c := range cases {
		if _, _, err := p.Allocate(c.cert, c.a); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	p.Now = func() time.Time { return t0.AddDate(0, 0, 31) }
	if _, _, err := p.Allocate(certDoc.Armor(), ok); !errors.Is(err, signdoc.ErrCertificateExpired) {
		t.Errorf("expired cert: %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Join(p.Dir(), "bundles")); len(ents) != 0 {
		t.Errorf("refused allocations left %d bundles", len(ents))
	}
}

func TestVerifyReport(t *testing.T) {
	p := newPublisher(t)
	resellerPriv, req := enrollmentRequest(t)
	certDoc, _, _ := p.Enroll(req, []string{"acme-cad"}, 30)
	report := func(n uint64, events ...signdoc.ReportEvent) []byte {
		d, err := signdoc.SignReport(resellerPriv, certDoc, signdoc.Report{Number: n, CreatedAt: t0.Add(time.Hour), Events: events})
		if err != nil {
			t.Fatal(err)
		}
		return d.Armor()
	}
	fp := signdoc.Fingerprint("acme-cad", "m1")
	ev := func(seq uint64, typ, key string) signdoc.ReportEvent {
		return signdoc.ReportEvent{Seq: seq, Type: typ, ActivationID: "a", LicenseKey: key, Product: "acme-cad", Fingerprint: fp, At: t0}
	}
	s, err := p.VerifyReport(report(1, ev(1, "activation", "K1"), ev(2, "activation", "K1"), ev(3, "deactivation", "K1"), ev(4, "activation", "K2")))
	if err != nil {
		t.Fatal(err)
	}
	if s.Activations != 3 || s.Deactivations != 1 || len(s.Licenses) != 2 || s.Licenses[0].Activations != 2 || s.Duplicate || s.Missing != 0 {
		t.Fatalf("summary %+v", s)
	}
	if s, _ := p.VerifyReport(report(1)); !s.Duplicate {
		t.Error("repeat not flagged")
	}
	if s, _ := p.VerifyReport(report(4)); s.Missing != 2 || s.PreviousNumber != 1 {
		t.Errorf("gap: %+v", s)
	}
	// a report from another publisher's reseller
	foreign := newPublisher(t)
	fPriv, fReq := enrollmentRequest(t)
	fCert, _, _ := foreign.Enroll(fReq, []string{"acme-cad"}, 30)
	fr, _ := signdoc.SignReport(fPriv, fCert, signdoc.Report{Number: 1, CreatedAt: t0})
	if _, err := p.VerifyReport(fr.Armor()); !errors.Is(err, signdoc.ErrCertificateWrongPublisher) {
		t.Errorf("foreign report: %v", err)
	}
	// our certificate, re-signed by another key
	_, otherPriv, _ := ed25519.GenerateKey(rand.Reader)
	forged, _ := signdoc.SignBytes(signdoc.KindActivationReport, otherPriv, []byte(`{"number":9}`), certDoc)
	if _, err := p.VerifyReport(forged.Armor()); !errors.Is(err, signdoc.ErrSignerNotCertified) {
		t.Errorf("forged report: %v", err)
	}
}

func FuzzParseKeyFile(f *testing.F) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	plain, _ := FormatKeyFile(priv, nil, seal.TestParams)
	sealed, _ := FormatKeyFile(priv, []byte("pw"), seal.TestParams)
	f.Add(plain)
	f.Add(sealed)
	f.Fuzz(func(t *testing.T, data []byte) {
		// No passphrase: sealed files stop before Argon2id, whose cost a
		// mutated header could raise (backend/seal fuzzes Open itself).
		k, err := ParseKeyFile(data, nil)
		if err == nil && len(k) != ed25519.PrivateKeySize {
			t.Fatalf("key of %d bytes", len(k))
		}
	})
}

// TestLargestBundle: the largest allocation stays under the document size
// limit and parses back.
func TestLargestBundle(t *testing.T) {
	p := newPublisher(t)
	_, req := enrollmentRequest(t)
	certDoc, _, _ := p.Enroll(req, []string{"acme-cad"}, 30)
	exp := t0.AddDate(5, 0, 0)
	d := 3
	doc, b, err := p.Allocate(certDoc.Armor(), Allocation{Product: "acme-cad", Count: MaxBundleLicenses, ActivationsAllowed: 5,
		DeactivationsAllowed: &d, Expires: &exp, Features: map[string]string{"edition": "enterprise", "seats": "25"}})
	if err != nil {
		t.Fatal(err)
	}
	armored := doc.Armor()
	if len(armored) > signdoc.MaxBundleSize {
		t.Fatalf("bundle of %d licenses is %d bytes", len(b.Licenses), len(armored))
	}
	if _, err := signdoc.ParseKind(armored, signdoc.KindAllocationBundle); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d licenses: %d bytes armored", len(b.Licenses), len(armored))
	if _, err := signdoc.Parse(armored); !errors.Is(err, signdoc.ErrTooLarge) {
		t.Fatalf("a bundle over 1 MiB read without naming its kind: %v, want document_too_large", err)
	}
	big := map[string]string{"notes": strings.Repeat("x", 700)}
	if _, _, err := p.Allocate(certDoc.Armor(), Allocation{Product: "acme-cad", Count: MaxBundleLicenses, ActivationsAllowed: 1, Features: big}); !errors.Is(err, signdoc.ErrTooLarge) {
		t.Fatalf("oversized bundle: %v", err)
	}
}
