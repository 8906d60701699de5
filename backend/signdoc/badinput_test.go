package signdoc

import (
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/reply"
)

// verifyResponse is the full check a client makes of a response.
func verifyResponse(data []byte) error {
	d, err := Parse(data)
	if err != nil {
		return err
	}
	_, _, err = VerifyActivationResponse(d, pub(publisherKey), t0.Add(time.Hour))
	return err
}

// TestBitFlipEveryPosition flips every bit of every byte of a valid
// response, in both encodings, and asserts that every variant is refused
// with a coded error.
func TestBitFlipEveryPosition(t *testing.T) {
	resp := mustResponse(t)
	for name, valid := range map[string][]byte{"armored": resp.Armor(), "compact": []byte(resp.Compact())} {
		t.Run(name, func(t *testing.T) {
			if err := verifyResponse(valid); err != nil {
				t.Fatalf("valid response refused: %v", err)
			}
			codes := map[string]int{}
			for i := range valid {
				for bit := 0; bit < 8; bit++ {
					b := bytes.Clone(valid)
					b[i] ^= 1 << bit
					err := verifyResponse(b)
					if err == nil {
						t.Fatalf("flip of bit %d at byte %d (%q) accepted", bit, i, valid[i])
					}
					code := reply.CodeOf(err)
					if code == "internal" {
						t.Fatalf("flip at %d.%d: error without code: %v", i, bit, err)
					}
					codes[code]++
				}
			}
			t.Logf("%d bytes x 8 bits refused; codes: %v", len(valid), codes)
		})
	}
}

func armorOf(label string, bin []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(bin)
	var b strings.Builder
	b.WriteString("-----BEGIN " + label + "-----\n")
	for len(enc) > 64 {
		b.WriteString(enc[:64] + "\n")
		enc = enc[64:]
	}
	b.WriteString(enc + "\n-----END " + label + "-----\n")
	return []byte(b.String())
}

// TestBadInputs: each kind of bad input is refused with its specific code.
func TestBadInputs(t *testing.T) {
	resp := mustResponse(t)
	armored := resp.Armor()
	compact := resp.Compact()
	bin, _ := resp.MarshalBinary()
	cert := mustCert(t, publisherKey, resellerKey)
	label := KindActivationResponse.Label()

	withBin := func(edit func([]byte) []byte) []byte { return armorOf(label, edit(bytes.Clone(bin))) }
	newer := withBin(func(b []byte) []byte { b[0] = FormatVersion + 1; return b })
	badAlg := withBin(func(b []byte) []byte { b[2] = 2; return b })
	unknownKind := withBin(func(b []byte) []byte { b[1] = 99; return b })
	trailing := withBin(func(b []byte) []byte { return append(b, 0) })
	// a response relabelled and re-kinded as a certificate: the kind is bound
	// into the signature by the domain-separation prefix
	asCert := armorOf(KindResellerCertificate.Label(), func() []byte { b := bytes.Clone(bin); b[1] = byte(KindResellerCertificate); return b }())

	other := testKey("other-publisher")
	otherCert := mustCert(t, other, resellerKey)
	fromOtherPublisher, _ := SignActivationResponse(resellerKey, otherCert, typicalResponsePayload())
	resigned, _ := SignBytes(KindActivationResponse, otherKey, resp.Payload, cert)
	resignedCert, _ := SignBytes(KindResellerCertificate, otherKey, cert.Payload, nil)
	withForgedCert, _ := SignBytes(KindActivationResponse, resellerKey, resp.Payload, resignedCert)
	otherReseller := mustCert(t, publisherKey, otherKey)
	wrongCert, _ := SignBytes(KindActivationResponse, resellerKey, resp.Payload, otherReseller)
	expiredCert, _ := SignCertificate(publisherKey, Certificate{Serial: 7, ResellerName: "N", PublicKey: Bytes(pub(resellerKey)),
		Products: []string{"acme-cad"}, NotBefore: t0.Add(-48 * time.Hour), NotAfter: t0.Add(-24 * time.Hour)})
	expired, _ := SignBytes(KindActivationResponse, resellerKey, resp.Payload, expiredCert)
	narrow := mustCert(t, publisherKey, resellerKey, "acme-render")
	uncovered, _ := SignBytes(KindActivationResponse, resellerKey, resp.Payload, narrow)
	serial8, _ := SignCertificate(publisherKey, Certificate{Serial: 8, ResellerName: "N", PublicKey: Bytes(pub(resellerKey)),
		Products: []string{"acme-cad"}, NotBefore: t0.Add(-time.Hour), NotAfter: t0.AddDate(1, 0, 0)})
	swappedCert, _ := SignBytes(KindActivationResponse, resellerKey, resp.Payload, serial8)
	badJSON, _ := SignBytes(KindActivationResponse, resellerKey, []byte(`{"activation_id":`), cert)
	unknownField, _ := Sign(KindActivationResponse, resellerKey, map[string]any{"activation_id": "x", "evil": true}, cert)
	noise := make([]byte, 2048)
	for i := range noise {
		noise[i] = byte(i*131 + i/7)
	}

	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"whitespace", []byte(" \n\t\r\n"), ErrEmpty},
		{"noise", noise, ErrMalformed},
		{"text", []byte("hello, this is not a document"), ErrMalformed},
		{"oversized", bytes.Repeat([]byte("A"), MaxDocumentSize+1), ErrTooLarge},
		{"oversized armor", append(bytes.Clone(armored), bytes.Repeat([]byte("\n"), MaxDocumentSize)...), ErrTooLarge},
		{"armor truncated mid-body", armored[:len(armored)/2], ErrTruncated},
		{"armor without END", armored[:bytes.LastIndex(armored, []byte("-----END"))], ErrTruncated},
		{"armor text after END", append(bytes.Clone(armored), "junk\n"...), ErrMalformed},
		{"armor unknown label", bytes.ReplaceAll(armored, []byte("ACTIVATION RESPONSE"), []byte("ACTIVATION RESPONZE")), ErrKindUnknown},
		{"armor foreign PEM", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), ErrMalformed},
		{"compact truncated", []byte(compact[:len(compact)-30]), ErrTruncated},
		{"compact one char short", []byte(compact[:len(compact)-1]), ErrTruncated},
		{"compact extra chars", []byte(compact + "000"), ErrMalformed},
		{"compact lowercase", []byte(strings.ToLower(compact)), ErrMalformed},
		{"compact newer encoding", []byte("RP2:" + compact[4:]), ErrVersionUnsupported},
		{"compact misread char", []byte(compact[:100] + flipB45(compact[100]) + compact[101:]), ErrCorrupt},
		{"newer format version", newer, ErrVersionUnsupported},
		{"algorithm not allowed", badAlg, ErrAlgUnsupported},
		{"unknown kind", unknownKind, ErrKindUnknown},
		{"trailing bytes", trailing, ErrMalformed},
		{"response relabelled as certificate", asCert, ErrMalformed},
		{"other publisher", fromOtherPublisher.Armor(), ErrCertificateWrongPublisher},
		{"re-signed by another key", resigned.Armor(), ErrSignerNotCertified},
		{"certificate re-signed by another key", withForgedCert.Armor(), ErrCertificateWrongPublisher},
		{"certificate of another reseller", wrongCert.Armor(), ErrSignerNotCertified},
		{"certificate expired", expired.Armor(), ErrCertificateExpired},
		{"product not covered", uncovered.Armor(), ErrProductNotCovered},
		{"certificate swapped", swappedCert.Armor(), ErrCertificateMismatch},
		{"payload not JSON", badJSON.Armor(), ErrPayloadInvalid},
		{"payload unknown field", unknownField.Armor(), ErrPayloadInvalid},
		{"request as response", mustRequest(t).Armor(), ErrKindMismatch},
		{"certificate as response", cert.Armor(), ErrKindMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := verifyResponse(c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if err.Error() == "" || reply.CodeOf(err) == "internal" {
				t.Fatalf("no message or code: %v", err)
			}
		})
	}
}

// flipB45 returns another character of the base45 alphabet.
func flipB45(c byte) string {
	i := strings.IndexByte(base45Alphabet, c)
	return string(base45Alphabet[(i+1)%len(base45Alphabet)])
}

func TestCertificateChecks(t *testing.T) {
	cert := mustCert(t, publisherKey, resellerKey)
	if _, err := VerifyCertificate(cert, pub(publisherKey), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyCertificate(cert, pub(otherKey), t0); !errors.Is(err, ErrCertificateWrongPublisher) {
		t.Errorf("pinned other key: %v", err)
	}
	if _, err := VerifyCertificate(cert, pub(publisherKey)[:31], t0); !errors.Is(err, ErrPublicKeyInvalid) {
		t.Errorf("short pinned key: %v", err)
	}
	if _, err := VerifyCertificate(cert, pub(publisherKey), t0.Add(-48*time.Hour)); !errors.Is(err, ErrCertificateNotYetValid) {
		t.Errorf("before validity: %v", err)
	}
	if _, err := VerifyCertificate(cert, pub(publisherKey), t0.AddDate(2, 0, 0)); !errors.Is(err, ErrCertificateExpired) {
		t.Errorf("after validity: %v", err)
	}
	// a certificate whose payload names another publisher than its signer
	lying, _ := Sign(KindResellerCertificate, otherKey, Certificate{Serial: 1, ResellerID: KeyID(pub(resellerKey)), ResellerName: "x", PublicKey: Bytes(pub(resellerKey)),
		Products: []string{"p"}, NotBefore: t0, NotAfter: t0.Add(time.Hour), PublisherKey: Bytes(pub(publisherKey))}, nil)
	if _, err := VerifyCertificateCarried(lying, time.Time{}); !errors.Is(err, ErrCertificateWrongPublisher) {
		t.Errorf("lying certificate: %v", err)
	}
}

func TestOtherVerifiers(t *testing.T) {
	// enrollment request: self-signed
	enr, _ := SignEnrollmentRequest(resellerKey, EnrollmentRequest{ResellerName: "N", CreatedAt: t0})
	if p, err := VerifyEnrollmentRequest(enr); err != nil || !bytes.Equal(p.PublicKey, pub(resellerKey)) {
		t.Fatalf("enrollment: %v", err)
	}
	stolen, _ := Sign(KindEnrollmentRequest, otherKey, EnrollmentRequest{ResellerName: "N", PublicKey: Bytes(pub(resellerKey)), CreatedAt: t0}, nil)
	if _, err := VerifyEnrollmentRequest(stolen); !errors.Is(err, ErrSignatureInvalid) {
		t.Errorf("enrollment for a key not held: %v", err)
	}
	// activation request: self-signed by the installation key
	req := mustRequest(t)
	if _, err := VerifyActivationRequest(req); err != nil {
		t.Fatal(err)
	}
	forgedReq, _ := SignBytes(KindActivationRequest, otherKey, req.Payload, nil)
	if _, err := VerifyActivationRequest(forgedReq); !errors.Is(err, ErrSignatureInvalid) {
		t.Errorf("request signed by another key: %v", err)
	}
	// a response signature presented as a request (kind confusion at the signature level)
	confused := &Document{Version: 1, Kind: KindActivationRequest, Alg: AlgEd25519, SignerKey: pub(installKey), Payload: req.Payload,
		Signature: ed25519.Sign(installKey, signedMessage(KindDeactivationRequest, req.Payload))}
	if _, err := VerifyActivationRequest(confused); !errors.Is(err, ErrSignatureInvalid) {
		t.Errorf("cross-kind signature: %v", err)
	}
	// deactivation request: signed by the recorded installation key
	deact, _ := SignDeactivationRequest(installKey, DeactivationRequest{ActivationID: "a", Product: "p", LicenseKey: "k", Fingerprint: testFinger, CreatedAt: t0})
	if _, err := VerifyDeactivationRequest(deact, pub(installKey)); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyDeactivationRequest(deact, pub(otherKey)); !errors.Is(err, ErrWrongInstallation) {
		t.Errorf("other installation: %v", err)
	}
	// bundle: pinned publisher, addressed reseller
	b, _ := SignBundle(publisherKey, Bundle{BundleID: "b1", ResellerID: "r1", IssuedAt: t0, Licenses: []License{{Key: "K", Product: "p", ActivationsAllowed: 1}}})
	if _, err := VerifyBundle(b, pub(publisherKey), "r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyBundle(b, pub(otherKey), "r1"); !errors.Is(err, ErrWrongPublisher) {
		t.Errorf("other publisher's bundle: %v", err)
	}
	if _, err := VerifyBundle(b, pub(publisherKey), "r2"); !errors.Is(err, ErrWrongReseller) {
		t.Errorf("bundle for another reseller: %v", err)
	}
	dup, _ := Sign(KindAllocationBundle, publisherKey, Bundle{BundleID: "b", ResellerID: "r1", IssuedAt: t0, Licenses: []License{{Key: "K", Product: "p", ActivationsAllowed: 1}, {Key: "K", Product: "p", ActivationsAllowed: 1}}}, nil)
	if _, err := VerifyBundle(dup, pub(publisherKey), "r1"); !errors.Is(err, ErrPayloadInvalid) {
		t.Errorf("duplicate license keys: %v", err)
	}
	// report
	cert := mustCert(t, publisherKey, resellerKey)
	rep, _ := SignReport(resellerKey, cert, Report{Number: 1, CreatedAt: t0, Events: []ReportEvent{{Seq: 1, Type: EventActivation, ActivationID: "a", LicenseKey: "k", Product: "acme-cad", Fingerprint: testFinger, At: t0}}})
	if r, c, err := VerifyReport(rep, pub(publisherKey)); err != nil || len(r.Events) != 1 || c.Serial != 7 {
		t.Fatalf("report: %v", err)
	}
	if _, _, err := VerifyReport(rep, pub(otherKey)); !errors.Is(err, ErrCertificateWrongPublisher) {
		t.Errorf("report to another publisher: %v", err)
	}
}

func TestStrictEncodings(t *testing.T) {
	resp := mustResponse(t)
	cert := mustCert(t, publisherKey, resellerKey)
	// JSON followed by more JSON
	extra, _ := SignBytes(KindActivationResponse, resellerKey, append(bytes.Clone(resp.Payload), '}'), cert)
	if err := verifyResponse(extra.Armor()); !errors.Is(err, ErrPayloadInvalid) {
		t.Errorf("payload with trailing data: %v", err)
	}
	// a DEFLATE stream followed by junk, with a CRC made to match
	bin, _ := resp.MarshalBinary()
	var z bytes.Buffer
	w, _ := flate.NewWriterDict(&z, flate.BestCompression, []byte(compactDictionary))
	w.Write(bin)
	w.Close()
	z.WriteString("junk")
	zb := binary.AppendUvarint(nil, uint64(z.Len()))
	zb = append(zb, z.Bytes()...)
	zb = binary.BigEndian.AppendUint32(zb, crc32.ChecksumIEEE(zb))
	if err := verifyResponse([]byte(CompactPrefix + Base45Encode(zb))); !errors.Is(err, ErrMalformed) {
		t.Errorf("junk after the deflate stream: %v", err)
	}
}
