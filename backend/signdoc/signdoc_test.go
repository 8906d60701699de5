package signdoc

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestRoundTripBothForms(t *testing.T) {
	resp := mustResponse(t)
	for name, data := range map[string][]byte{
		"armored":            resp.Armor(),
		"compact":            []byte(resp.Compact()),
		"compact+newline":    []byte(resp.Compact() + "\n"),
		"armored+whitespace": append(append([]byte("\n\r\n  "), resp.Armor()...), "\r\n\t "...),
		"armored crlf":       bytes.ReplaceAll(resp.Armor(), []byte("\n"), []byte("\r\n")),
	} {
		t.Run(name, func(t *testing.T) {
			d, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(d.Payload, resp.Payload) || !bytes.Equal(d.Signature, resp.Signature) || !bytes.Equal(d.Certificate.Payload, resp.Certificate.Payload) {
				t.Fatal("parsed document differs from the signed one")
			}
			p, cert, err := VerifyActivationResponse(d, pub(publisherKey), t0.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if p.ActivationID != "5f0c2d7e-8a1b-4c3d-9e2f-6a7b8c9d0e1f" || p.CertificateSerial != 7 || cert.ResellerID != KeyID(pub(resellerKey)) {
				t.Fatalf("payload %+v cert %+v", p, cert)
			}
			if !bytes.Equal(p.InstallationKey, pub(installKey)) || !bytes.Equal(p.Nonce, testNonce) || p.Fingerprint != testFinger {
				t.Fatal("binding fields lost")
			}
		})
	}
}

func TestArmorLabel(t *testing.T) {
	a := string(mustResponse(t).Armor())
	if want := "-----BEGIN RESELLER PORTAL ACTIVATION RESPONSE-----\n"; a[:len(want)] != want {
		t.Fatalf("armor starts %q", a[:60])
	}
	if want := "\n-----END RESELLER PORTAL ACTIVATION RESPONSE-----\n"; a[len(a)-len(want):] != want {
		t.Fatalf("armor ends %q", a[len(a)-60:])
	}
}

func TestSignActivationResponseRefusals(t *testing.T) {
	cert := mustCert(t, publisherKey, resellerKey)
	p := typicalResponsePayload()
	if _, err := SignActivationResponse(otherKey, cert, p); !errors.Is(err, ErrSignerNotCertified) {
		t.Errorf("other reseller key: %v", err)
	}
	p.Product = "acme-other"
	if _, err := SignActivationResponse(resellerKey, cert, p); !errors.Is(err, ErrProductNotCovered) {
		t.Errorf("uncovered product: %v", err)
	}
	if _, err := SignActivationResponse(resellerKey, nil, typicalResponsePayload()); !errors.Is(err, ErrCertificateMissing) {
		t.Errorf("no certificate: %v", err)
	}
	if _, err := SignActivationResponse(resellerKey, mustRequest(t), typicalResponsePayload()); !errors.Is(err, ErrKindMismatch) {
		t.Errorf("request as certificate: %v", err)
	}
	p = typicalResponsePayload()
	p.Fingerprint = "nothex"
	if _, err := SignActivationResponse(resellerKey, cert, p); !errors.Is(err, ErrPayloadInvalid) {
		t.Errorf("bad fingerprint: %v", err)
	}
}

func TestBase45RFC9285Examples(t *testing.T) {
	for in, want := range map[string]string{"AB": "BB8", "Hello!!": "%69 VD92EX0", "base-45": "UJCLQE7W581", "ietf!": "QED8WEX0"} {
		if got := Base45Encode([]byte(in)); got != want {
			t.Errorf("encode %q = %q, want %q", in, got, want)
		}
		if got, err := Base45Decode(want); err != nil || string(got) != in {
			t.Errorf("decode %q = %q, %v", want, got, err)
		}
	}
	for _, bad := range []string{"GGW", "A", "ab", "::::", "Z"} {
		if _, err := Base45Decode(bad); err == nil {
			t.Errorf("decode %q accepted", bad)
		}
	}
}
