package signdoc

import (
	"crypto/ed25519"
	"testing"
	"time"
)

// BenchmarkEd25519VerifyTwice is the physical floor of verifying an
// activation response: one verify for the certificate, one for the
// response. Compare BenchmarkVerifyActivationResponse with it.
func BenchmarkEd25519VerifyTwice(b *testing.B) {
	d := mustResponse(b)
	m1 := signedMessage(KindResellerCertificate, d.Certificate.Payload)
	m2 := signedMessage(KindActivationResponse, d.Payload)
	for b.Loop() {
		if !ed25519.Verify(d.Certificate.SignerKey, m1, d.Certificate.Signature) || !ed25519.Verify(d.SignerKey, m2, d.Signature) {
			b.Fatal("verify")
		}
	}
}

// BenchmarkVerifyActivationResponse: Parse + the whole chain check, from
// the bytes a client receives.
func BenchmarkVerifyActivationResponse(b *testing.B) {
	d := mustResponse(b)
	for name, data := range map[string][]byte{"armored": d.Armor(), "compact": []byte(d.Compact())} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				doc, err := Parse(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := VerifyActivationResponse(doc, pub(publisherKey), t0.Add(time.Hour)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSign signs one document of each kind (typed Sign functions:
// validation, JSON, ed25519) and encodes it armored.
func BenchmarkSign(b *testing.B) {
	docs := vectorDocs(b)
	for _, k := range Kinds() {
		d := docs[k]
		b.Run(k.String(), func(b *testing.B) {
			for b.Loop() {
				nd, err := SignBytes(k, keyFor(k), d.Payload, d.Certificate)
				if err != nil {
					b.Fatal(err)
				}
				_ = nd.Armor()
			}
		})
	}
	cert := docs[KindResellerCertificate]
	b.Run("activation-response/typed", func(b *testing.B) {
		p := typicalResponsePayload()
		for b.Loop() {
			if _, err := SignActivationResponse(resellerKey, cert, p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func keyFor(k Kind) ed25519.PrivateKey {
	switch k {
	case KindResellerCertificate, KindAllocationBundle:
		return publisherKey
	case KindActivationRequest, KindDeactivationRequest:
		return installKey
	}
	return resellerKey
}

// BenchmarkVerify parses (armored) and verifies one document of each kind
// the way its receiver does.
func BenchmarkVerify(b *testing.B) {
	docs := vectorDocs(b)
	for _, k := range Kinds() {
		data := docs[k].Armor()
		b.Run(k.String(), func(b *testing.B) {
			for b.Loop() {
				if err := verifyVector(k, data, vectorNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCompact(b *testing.B) {
	d := mustResponse(b)
	for b.Loop() {
		_ = d.Compact()
	}
}
