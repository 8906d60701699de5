package signdoc_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

func exampleKey(name string) ed25519.PrivateKey {
	s := sha256.Sum256([]byte("example/" + name))
	return ed25519.NewKeyFromSeed(s[:])
}

// The portal's signing step: answer a verified activation request with a
// response signed by the reseller key and carrying the reseller certificate.
func ExampleSignActivationResponse() {
	publisher, reseller, installation := exampleKey("publisher"), exampleKey("reseller"), exampleKey("installation")
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	certDoc, _ := signdoc.SignCertificate(publisher, signdoc.Certificate{Serial: 1, ResellerName: "Northwind",
		PublicKey: signdoc.Bytes(reseller.Public().(ed25519.PublicKey)), Products: []string{"acme-cad"},
		NotBefore: now, NotAfter: now.AddDate(1, 0, 0)})

	// the customer's request, as the portal receives it (file or QR text)
	reqDoc, _ := signdoc.SignActivationRequest(installation, signdoc.ActivationRequest{Product: "acme-cad",
		LicenseKey: "K7QF2-MXR9H-TBWC4-NPZ8D", Fingerprint: signdoc.Fingerprint("acme-cad", "machine-1"),
		Nonce: make(signdoc.Bytes, 16), CreatedAt: now})
	doc, _ := signdoc.Parse([]byte(reqDoc.Compact()))
	req, err := signdoc.VerifyActivationRequest(doc)
	fmt.Println("request:", req.LicenseKey, err)

	resp, err := signdoc.SignActivationResponse(reseller, certDoc, signdoc.ActivationResponse{
		ActivationID: "act-1", Product: req.Product, LicenseKey: req.LicenseKey, Fingerprint: req.Fingerprint,
		InstallationKey: req.InstallationKey, Nonce: req.Nonce, IssuedAt: now, ApplyBy: now.Add(signdoc.DefaultApplyWindow)})
	fmt.Println("signed:", err)
	fmt.Println(strings.SplitN(string(resp.Armor()), "\n", 2)[0])
	fmt.Println(strings.HasPrefix(resp.Compact(), signdoc.CompactPrefix))

	// what the customer's software checks (licenseclient does this and more)
	back, _ := signdoc.Parse(resp.Armor())
	r, cert, err := signdoc.VerifyActivationResponse(back, publisher.Public().(ed25519.PublicKey), now)
	fmt.Println("verified:", r.ActivationID, cert.ResellerName, err)
	// Output:
	// request: K7QF2-MXR9H-TBWC4-NPZ8D <nil>
	// signed: <nil>
	// -----BEGIN RESELLER PORTAL ACTIVATION RESPONSE-----
	// true
	// verified: act-1 Northwind <nil>
}

// Refusals carry a sentinel to test with errors.Is and a stable code.
func ExampleParse_refused() {
	_, err := signdoc.Parse([]byte("-----BEGIN RESELLER PORTAL ACTIVATION RESPONSE-----\nAQUB\n"))
	fmt.Println(errors.Is(err, signdoc.ErrTruncated), err)
	_, err = signdoc.Parse(nil)
	fmt.Println(errors.Is(err, signdoc.ErrEmpty), err)
	// Output:
	// true document is truncated: END line missing
	// true document is empty
}
