package licenseclient

import (
	"crypto/ed25519"
	"crypto/sha256"
	"os"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

// benchSetup makes a client with a pending request and the response to it.
func benchSetup(b *testing.B) (*Client, []byte, *signdoc.Document) {
	key := func(n string) ed25519.PrivateKey {
		s := sha256.Sum256([]byte("bench/" + n))
		return ed25519.NewKeyFromSeed(s[:])
	}
	publisher, reseller := key("publisher"), key("reseller")
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	cert, err := signdoc.SignCertificate(publisher, signdoc.Certificate{Serial: 1, ResellerName: "Northwind Software Resale GmbH",
		PublicKey: signdoc.Bytes(reseller.Public().(ed25519.PublicKey)), Products: []string{"acme-cad", "acme-render"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0)})
	if err != nil {
		b.Fatal(err)
	}
	c, _ := New(Options{StateDir: b.TempDir(), PublisherKey: publisher.Public().(ed25519.PublicKey), MachineID: "bench-machine",
		Now: func() time.Time { return now }})
	reqDoc, err := c.NewRequest("acme-cad", "K7QF2-MXR9H-TBWC4-NPZ8D")
	if err != nil {
		b.Fatal(err)
	}
	req, _ := signdoc.VerifyActivationRequest(reqDoc)
	exp := now.AddDate(1, 0, 0)
	resp, err := signdoc.SignActivationResponse(reseller, cert, signdoc.ActivationResponse{ActivationID: "5f0c2d7e-8a1b-4c3d-9e2f-6a7b8c9d0e1f",
		Product: req.Product, LicenseKey: req.LicenseKey, Fingerprint: req.Fingerprint, InstallationKey: req.InstallationKey, Nonce: req.Nonce,
		IssuedAt: now, ApplyBy: now.Add(signdoc.DefaultApplyWindow), Expires: &exp, Features: map[string]string{"edition": "pro"}})
	if err != nil {
		b.Fatal(err)
	}
	return c, resp.Armor(), resp
}

// verifyOnce is the client's whole verification of a received response
// (parse, chain, binding, times) without the state file I/O.
func verifyOnce(b *testing.B, c *Client, s *state, data []byte) {
	doc, err := signdoc.ParseKind(data, signdoc.KindActivationResponse)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.verifyResponse(doc, s, "bench-machine", c.now(), true); err != nil {
		b.Fatal(err)
	}
}

func bareTwice(b *testing.B, d *signdoc.Document) {
	c := d.Certificate
	if !ed25519.Verify(c.SignerKey, append([]byte(signdoc.KindResellerCertificate.SigningPrefix()), c.Payload...), c.Signature) ||
		!ed25519.Verify(d.SignerKey, append([]byte(signdoc.KindActivationResponse.SigningPrefix()), d.Payload...), d.Signature) {
		b.Fatal("bare verify failed")
	}
}

// BenchmarkEd25519VerifyTwice: the floor — the two signatures of a response.
func BenchmarkEd25519VerifyTwice(b *testing.B) {
	_, _, d := benchSetup(b)
	for b.Loop() {
		bareTwice(b, d)
	}
}

// BenchmarkVerifyResponse: the client's verification of a response, armored
// and compact, without file I/O.
func BenchmarkVerifyResponse(b *testing.B) {
	c, armored, d := benchSetup(b)
	s, _ := loadState(c.path)
	for name, data := range map[string][]byte{"armored": armored, "compact": []byte(d.Compact())} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				verifyOnce(b, c, s, data)
			}
		})
	}
}

// BenchmarkVerifyRatio interleaves the client's verification with two bare
// ed25519.Verify calls and reports their ratio (target: at most 1.5).
func BenchmarkVerifyRatio(b *testing.B) {
	c, armored, d := benchSetup(b)
	s, _ := loadState(c.path)
	var full, bare time.Duration
	for b.Loop() {
		t := time.Now()
		verifyOnce(b, c, s, armored)
		full += time.Since(t)
		t = time.Now()
		bareTwice(b, d)
		bare += time.Since(t)
	}
	b.ReportMetric(float64(full)/float64(bare), "verify/2-ed25519")
}

// BenchmarkInstall: Install end to end, including reading and atomically
// rewriting the state file (fsync).
func BenchmarkInstall(b *testing.B) {
	c, armored, _ := benchSetup(b)
	pending, err := os.ReadFile(c.path)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		os.WriteFile(c.path, pending, 0o600)
		b.StartTimer()
		if _, err := c.Install(armored); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatus: Status re-verifies the installed activation each call.
func BenchmarkStatus(b *testing.B) {
	c, armored, _ := benchSetup(b)
	if _, err := c.Install(armored); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if st, err := c.Status(); err != nil || !st.Activated {
			b.Fatal(err)
		}
	}
}
