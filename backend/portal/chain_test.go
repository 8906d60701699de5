package portal

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

// testPublisher stands in for the publisher tool: it certifies the portal's
// enrollment request and signs bundles with its own root key.
type testPublisher struct {
	priv   ed25519.PrivateKey
	pub    ed25519.PublicKey
	serial uint64
}

func newPublisher(t testing.TB) *testPublisher {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &testPublisher{priv: priv, pub: pub}
}

// certify turns the portal's enrollment request into a certificate.
func (tp *testPublisher) certify(t testing.TB, p *Portal, s *Session, now time.Time, products ...string) []byte {
	t.Helper()
	reqDoc, err := p.EnrollmentRequest(s)
	if err != nil {
		t.Fatal(err)
	}
	d, err := signdoc.Parse([]byte(reqDoc.Armored))
	if err != nil {
		t.Fatal(err)
	}
	req, err := signdoc.VerifyEnrollmentRequest(d)
	if err != nil {
		t.Fatal(err)
	}
	return tp.certFor(t, req.PublicKey, req.ResellerName, now, products...)
}

func (tp *testPublisher) certFor(t testing.TB, resellerPub []byte, name string, now time.Time, products ...string) []byte {
	t.Helper()
	tp.serial++
	doc, err := signdoc.SignCertificate(tp.priv, signdoc.Certificate{Serial: tp.serial, ResellerID: signdoc.KeyID(resellerPub),
		ResellerName: name, PublicKey: resellerPub, Products: products,
		NotBefore: now.Add(-time.Hour).Truncate(time.Second), NotAfter: now.Add(365 * 24 * time.Hour).Truncate(time.Second), PublisherKey: signdoc.Bytes(tp.pub)})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Armor()
}

func (tp *testPublisher) bundle(t testing.TB, resellerID, id string, lics ...signdoc.License) []byte {
	t.Helper()
	doc, err := signdoc.SignBundle(tp.priv, signdoc.Bundle{BundleID: id, ResellerID: resellerID, IssuedAt: time.Now().UTC().Truncate(time.Second), Licenses: lics})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Armor()
}

func lic(key, product string, acts int) signdoc.License {
	return signdoc.License{Key: key, Product: product, ActivationsAllowed: acts}
}

func intp(n int) *int { return &n }

// testMachine plays a customer installation.
type testMachine struct {
	priv      ed25519.PrivateKey
	machineID string
}

func newMachine(t testing.TB, id string) *testMachine {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &testMachine{priv: priv, machineID: id}
}

func (m *testMachine) request(t testing.TB, product, key string) []byte {
	t.Helper()
	nonce := make([]byte, 16)
	rand.Read(nonce)
	doc, err := signdoc.SignActivationRequest(m.priv, signdoc.ActivationRequest{Product: product, LicenseKey: key,
		Fingerprint: signdoc.Fingerprint(product, m.machineID), InstallationKey: signdoc.Bytes(m.priv.Public().(ed25519.PublicKey)),
		Hostname: "host-" + m.machineID, OS: "linux", AppVersion: "1.0", Nonce: nonce, CreatedAt: time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Armor()
}

func (m *testMachine) deactivation(t testing.TB, actID, product, key string) []byte {
	t.Helper()
	doc, err := signdoc.SignDeactivationRequest(m.priv, signdoc.DeactivationRequest{ActivationID: actID, Product: product,
		LicenseKey: key, Fingerprint: signdoc.Fingerprint(product, m.machineID), CreatedAt: time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Armor()
}

// enrolled is a set-up, enrolled portal with one imported bundle of
// licenses K1..Kn for product "prod" (2 activations, 1 deactivation each),
// and a user u1.
type enrolled struct {
	p     *Portal
	s     *Session
	clock *testClock
	pub   *testPublisher
	rid   string
	user  User
}

func newEnrolled(t testing.TB, n int) *enrolled {
	t.Helper()
	p, s, clock := newSetupDB(t)
	tp := newPublisher(t)
	e, err := p.CompleteEnrollment(s, tp.certify(t, p, s, clock.Now(), "prod", "other"))
	if err != nil {
		t.Fatal(err)
	}
	var lics []signdoc.License
	for i := 1; i <= n; i++ {
		l := lic(fmt.Sprintf("K%d", i), "prod", 2)
		l.DeactivationsAllowed = intp(1)
		lics = append(lics, l)
	}
	if n > 0 {
		if _, err := p.ImportBundle(s, tp.bundle(t, e.ResellerID, "b1", lics...)); err != nil {
			t.Fatal(err)
		}
	}
	u, err := p.CreateUser(s, UserInput{Name: "Ada Lovelace", Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return &enrolled{p: p, s: s, clock: clock, pub: tp, rid: e.ResellerID, user: u}
}
