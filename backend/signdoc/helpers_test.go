package signdoc

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"
	"time"
)

// testKey derives a fixed key from a name, so vectors are reproducible.
func testKey(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("signdoc test key/" + name))
	return ed25519.NewKeyFromSeed(seed[:])
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

var (
	t0            = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	publisherKey  = testKey("publisher")
	resellerKey   = testKey("reseller")
	installKey    = testKey("installation")
	otherKey      = testKey("other")
	testNonce     = Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	testFinger    = Fingerprint("acme-cad", "3f2a9c1b7d6e4f5a8b9c0d1e2f3a4b5c")
	testLicenseID = "K7QF2-MXR9H-TBWC4-NPZ8D"
)

func mustCert(t testing.TB, publisher, reseller ed25519.PrivateKey, products ...string) *Document {
	t.Helper()
	if len(products) == 0 {
		products = []string{"acme-cad", "acme-render"}
	}
	d, err := SignCertificate(publisher, Certificate{
		Serial: 7, ResellerName: "Northwind Software Resale GmbH", PublicKey: Bytes(pub(reseller)),
		Products: products, NotBefore: t0.Add(-24 * time.Hour), NotAfter: t0.Add(365 * 24 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func typicalResponsePayload() ActivationResponse {
	exp := t0.Add(365 * 24 * time.Hour)
	return ActivationResponse{
		ActivationID: "5f0c2d7e-8a1b-4c3d-9e2f-6a7b8c9d0e1f", Product: "acme-cad", LicenseKey: testLicenseID,
		Fingerprint: testFinger, InstallationKey: Bytes(pub(installKey)), Nonce: testNonce,
		IssuedAt: t0, ApplyBy: t0.Add(DefaultApplyWindow), Expires: &exp,
		Features: map[string]string{"edition": "pro", "seats": "5"},
	}
}

func mustResponse(t testing.TB) *Document {
	t.Helper()
	d, err := SignActivationResponse(resellerKey, mustCert(t, publisherKey, resellerKey), typicalResponsePayload())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustRequest(t testing.TB) *Document {
	t.Helper()
	d, err := SignActivationRequest(installKey, ActivationRequest{
		Product: "acme-cad", LicenseKey: testLicenseID, Fingerprint: testFinger,
		Hostname: "cad-ws-07.factory.local", OS: "windows/amd64", AppVersion: "4.2.1",
		Nonce: testNonce, CreatedAt: t0,
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
