package licenseclient_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

// t0 is the fixed "now" of the tests.
var t0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func seededKey(name string) ed25519.PrivateKey {
	s := sha256.Sum256([]byte("licenseclient test/" + name))
	return ed25519.NewKeyFromSeed(s[:])
}

// chain stands in for the publisher and the portal: a publisher root key,
// a reseller key with its certificate, and the portal's signing step.
type chain struct {
	publisher, reseller ed25519.PrivateKey
	cert                *signdoc.Document
}

func newChain(tb testing.TB, name string, products ...string) *chain {
	if len(products) == 0 {
		products = []string{"acme-cad"}
	}
	c := &chain{publisher: seededKey(name + "/publisher"), reseller: seededKey(name + "/reseller")}
	var err error
	c.cert, err = signdoc.SignCertificate(c.publisher, signdoc.Certificate{
		Serial: 1, ResellerName: "Northwind", PublicKey: signdoc.Bytes(c.reseller.Public().(ed25519.PublicKey)),
		Products: products, NotBefore: t0.Add(-time.Hour), NotAfter: t0.AddDate(1, 0, 0)})
	must(tb, err)
	return c
}

// must fails the test, or panics in an Example (tb nil).
func must(tb testing.TB, err error) {
	if err == nil {
		return
	}
	if tb == nil {
		panic(err)
	}
	tb.Helper()
	tb.Fatal(err)
}

func (c *chain) publisherPub() ed25519.PublicKey { return c.publisher.Public().(ed25519.PublicKey) }

// respond does what the portal does with a request: verify it, then sign a
// response bound to it. edit may change the response before signing.
func (c *chain) respond(tb testing.TB, reqDoc *signdoc.Document, edit func(*signdoc.ActivationResponse)) *signdoc.Document {
	req, err := signdoc.VerifyActivationRequest(reqDoc)
	must(tb, err)
	exp := t0.AddDate(0, 6, 0)
	r := signdoc.ActivationResponse{
		ActivationID: "act-0001", Product: req.Product, LicenseKey: req.LicenseKey, Fingerprint: req.Fingerprint,
		InstallationKey: req.InstallationKey, Nonce: req.Nonce, IssuedAt: t0, ApplyBy: t0.Add(signdoc.DefaultApplyWindow),
		Expires: &exp, Features: map[string]string{"edition": "pro"},
	}
	if edit != nil {
		edit(&r)
	}
	d, err := signdoc.SignActivationResponse(c.reseller, c.cert, r)
	must(tb, err)
	return d
}
