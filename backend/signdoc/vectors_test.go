package signdoc

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/reply"
)

// Golden test vectors (docs/formats.md, "Test vectors"). They are made from
// fixed seeds by `go test ./backend/signdoc -run TestVectors -update` and
// checked by every normal test run, so the format cannot drift unnoticed.

var update = flag.Bool("update", false, "rewrite the golden vectors in testdata/")

const vectorDir = "testdata"

// vectorNow is the verification time of every vector.
var vectorNow = t0.Add(time.Hour)

type vectorManifest struct {
	Comment string            `json:"comment"`
	Now     time.Time         `json:"now"`
	Keys    map[string]string `json:"keys"` // name -> base64url public key (seeds: docs/formats.md)
	Vectors []vectorEntry     `json:"vectors"`
}

type vectorEntry struct {
	File   string `json:"file"`
	Kind   string `json:"kind"`   // the kind the verifier expects
	Expect string `json:"expect"` // "ok" or the error code
	Note   string `json:"note,omitempty"`
}

// vectorDocs builds one valid document of every kind from the fixed keys.
func vectorDocs(t testing.TB) map[Kind]*Document {
	cert := mustCert(t, publisherKey, resellerKey)
	enr, err1 := SignEnrollmentRequest(resellerKey, EnrollmentRequest{ResellerName: "Northwind Software Resale GmbH", CreatedAt: t0.Add(-48 * time.Hour)})
	deacts := 2
	exp := t0.AddDate(1, 0, 0)
	bundle, err2 := SignBundle(publisherKey, Bundle{BundleID: "0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4", ResellerID: KeyID(pub(resellerKey)), IssuedAt: t0,
		Licenses: []License{
			{Key: testLicenseID, Product: "acme-cad", ActivationsAllowed: 3, DeactivationsAllowed: &deacts, Expires: &exp, Features: map[string]string{"edition": "pro"}},
			{Key: "M3ZP9-4TQWX-8KD2R-HC7VN", Product: "acme-render", ActivationsAllowed: 1},
		}})
	deact, err3 := SignDeactivationRequest(installKey, DeactivationRequest{ActivationID: "5f0c2d7e-8a1b-4c3d-9e2f-6a7b8c9d0e1f", Product: "acme-cad",
		LicenseKey: testLicenseID, Fingerprint: testFinger, CreatedAt: t0.Add(30 * time.Minute)})
	rep, err4 := SignReport(resellerKey, cert, Report{Number: 1, CreatedAt: t0.Add(45 * time.Minute), Events: []ReportEvent{
		{Seq: 1, Type: EventActivation, ActivationID: "5f0c2d7e-8a1b-4c3d-9e2f-6a7b8c9d0e1f", LicenseKey: testLicenseID, Product: "acme-cad", Fingerprint: testFinger, At: t0},
		{Seq: 2, Type: EventDeactivation, ActivationID: "5f0c2d7e-8a1b-4c3d-9e2f-6a7b8c9d0e1f", LicenseKey: testLicenseID, Product: "acme-cad", Fingerprint: testFinger, At: t0.Add(30 * time.Minute)},
	}})
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		t.Fatal(err)
	}
	return map[Kind]*Document{
		KindEnrollmentRequest: enr, KindResellerCertificate: cert, KindAllocationBundle: bundle,
		KindActivationRequest: mustRequest(t), KindActivationResponse: mustResponse(t),
		KindDeactivationRequest: deact, KindActivationReport: rep,
	}
}

// verifyVector runs the verifier of kind over data the way each side does.
func verifyVector(kind Kind, data []byte, now time.Time) error {
	d, err := ParseKind(data, kind)
	if err != nil {
		return err
	}
	switch kind {
	case KindEnrollmentRequest:
		_, err = VerifyEnrollmentRequest(d)
	case KindResellerCertificate:
		_, err = VerifyCertificate(d, pub(publisherKey), now)
	case KindAllocationBundle:
		_, err = VerifyBundle(d, pub(publisherKey), KeyID(pub(resellerKey)))
	case KindActivationRequest:
		_, err = VerifyActivationRequest(d)
	case KindActivationResponse:
		_, _, err = VerifyActivationResponse(d, pub(publisherKey), now)
	case KindDeactivationRequest:
		_, err = VerifyDeactivationRequest(d, pub(installKey))
	case KindActivationReport:
		_, _, err = VerifyReport(d, pub(publisherKey))
	}
	return err
}

// invalidVectors derives the bad inputs from the valid documents.
func invalidVectors(t testing.TB, docs map[Kind]*Document) map[string]struct {
	data []byte
	kind Kind
	note string
} {
	resp := docs[KindActivationResponse]
	armored := resp.Armor()
	bin, _ := resp.MarshalBinary()
	flipped := bytes.Clone(armored)
	flipped[400] ^= 0x01
	newer := bytes.Clone(bin)
	newer[0] = FormatVersion + 1
	resigned, _ := SignBytes(KindActivationResponse, otherKey, resp.Payload, resp.Certificate)
	other := testKey("other-publisher")
	otherResp, _ := SignActivationResponse(resellerKey, mustCert(t, other, resellerKey), typicalResponsePayload())
	expiredCert, _ := SignCertificate(publisherKey, Certificate{Serial: 7, ResellerName: "Northwind Software Resale GmbH", PublicKey: Bytes(pub(resellerKey)),
		Products: []string{"acme-cad"}, NotBefore: t0.AddDate(-1, 0, 0), NotAfter: t0.Add(-time.Hour)})
	expired, _ := SignBytes(KindActivationResponse, resellerKey, resp.Payload, expiredCert)
	compact := resp.Compact()
	// payloads that break the conventions of docs/formats.md, correctly signed
	resign := func(payload []byte, cert *Document) []byte {
		d, err := SignBytes(KindActivationResponse, resellerKey, payload, cert)
		if err != nil {
			t.Fatal(err)
		}
		return d.Armor()
	}
	edit := func(old, new string) []byte {
		if !bytes.Contains(resp.Payload, []byte(old)) {
			t.Fatalf("payload lacks %s", old)
		}
		return bytes.Replace(resp.Payload, []byte(old), []byte(new), 1)
	}
	issued := `"issued_at":"` + t0.Format(time.RFC3339) + `"`
	offset := edit(issued, `"issued_at":"`+t0.In(time.FixedZone("", 3600)).Format(time.RFC3339)+`"`)
	fraction := edit(issued, `"issued_at":"`+t0.Format("2006-01-02T15:04:05.000Z07:00")+`"`)
	trailing := append(bytes.Clone(resp.Payload), '\n')
	// a certificate whose reseller_id is not KeyID(public_key), and a response naming it
	lyingCert, err := Sign(KindResellerCertificate, publisherKey, Certificate{Serial: 7, ResellerID: KeyID(pub(otherKey)),
		ResellerName: "Northwind Software Resale GmbH", PublicKey: Bytes(pub(resellerKey)), Products: []string{"acme-cad", "acme-render"},
		NotBefore: t0.Add(-24 * time.Hour), NotAfter: t0.Add(365 * 24 * time.Hour), PublisherKey: Bytes(pub(publisherKey))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lyingID := edit(`"reseller_id":"`+KeyID(pub(resellerKey))+`"`, `"reseller_id":"`+KeyID(pub(otherKey))+`"`)
	// refusals of the framing
	badChar := compact[:200] + "a" + compact[201:]
	notSelfEnr, _ := SignBytes(KindEnrollmentRequest, otherKey, docs[KindEnrollmentRequest].Payload, nil)
	notSelfReq, _ := SignBytes(KindActivationRequest, otherKey, docs[KindActivationRequest].Payload, nil)
	emptyPayload := *resp
	emptyPayload.Payload = nil
	emptyBin, _ := emptyPayload.MarshalBinary()
	wrongAttach := *resp
	wrongAttach.Certificate = docs[KindEnrollmentRequest]
	wrongAttachBin, _ := wrongAttach.MarshalBinary()
	noCert := *resp
	noCert.Certificate = nil
	cutCert, _ := noCert.MarshalBinary()
	cutCert = cutCert[:len(cutCert)-1] // the certificate length 0
	certBin, _ := resp.Certificate.MarshalBinary()
	certBin = certBin[:len(certBin)-20]
	cutCert = append(binary.AppendUvarint(cutCert, uint64(len(certBin))), certBin...)
	label := KindActivationResponse.Label()
	return map[string]struct {
		data []byte
		kind Kind
		note string
	}{
		"invalid/truncated.armored":                  {armored[:len(armored)/2], KindActivationResponse, "cut in the middle"},
		"invalid/truncated.compact.txt":              {[]byte(compact[:len(compact)-40] + "\n"), KindActivationResponse, "last 40 characters missing"},
		"invalid/bitflip.armored":                    {flipped, KindActivationResponse, "one bit flipped in the payload"},
		"invalid/misread.compact.txt":                {[]byte(compact[:200] + flipB45(compact[200]) + compact[201:] + "\n"), KindActivationResponse, "one character changed (CRC-32 fails)"},
		"invalid/resigned.armored":                   {resigned.Armor(), KindActivationResponse, "payload re-signed by a key the certificate does not certify"},
		"invalid/other-publisher.armored":            {otherResp.Armor(), KindActivationResponse, "certificate issued by another publisher"},
		"invalid/certificate-expired.armored":        {expired.Armor(), KindActivationResponse, "carried certificate expired before the verification time"},
		"invalid/newer-version.armored":              {armorOf(KindActivationResponse.Label(), newer), KindActivationResponse, "envelope format version 2"},
		"invalid/kind-confusion.armored":             {docs[KindActivationRequest].Armor(), KindActivationResponse, "an activation request presented as a response"},
		"invalid/empty.txt":                          {[]byte("\n"), KindActivationResponse, "only a newline"},
		"invalid/noise.bin":                          {noiseBytes(512), KindActivationResponse, "binary noise"},
		"invalid/time-offset.armored":                {resign(offset, resp.Certificate), KindActivationResponse, "issued_at written with the offset +01:00 (the same instant); times are UTC, \"Z\""},
		"invalid/time-fraction.armored":              {resign(fraction, resp.Certificate), KindActivationResponse, "issued_at written with fractional seconds .000; times are whole seconds"},
		"invalid/payload-trailing-newline.armored":   {resign(trailing, resp.Certificate), KindActivationResponse, "a newline after the payload's JSON object, signed"},
		"invalid/certificate-reseller-id.armored":    {resign(lyingID, lyingCert), KindActivationResponse, "the carried certificate's reseller_id is not KeyID(public_key)"},
		"invalid/base45-character.compact.txt":       {[]byte(badChar + "\n"), KindActivationResponse, "a lowercase letter, outside the base45 alphabet"},
		"invalid/enrollment-not-self-signed.armored": {notSelfEnr.Armor(), KindEnrollmentRequest, "public_key is not the signer's key"},
		"invalid/request-not-self-signed.armored":    {notSelfReq.Armor(), KindActivationRequest, "installation_key is not the signer's key"},
		"invalid/empty-payload.armored":              {armorOf(label, emptyBin), KindActivationResponse, "payload length 0"},
		"invalid/attachment-wrong-kind.armored":      {armorOf(label, wrongAttachBin), KindActivationResponse, "the carried envelope is an enrollment request, not a reseller certificate"},
		"invalid/certificate-truncated.armored":      {armorOf(label, cutCert), KindActivationResponse, "the carried certificate's last 20 bytes cut, its length field consistent"},
	}
}

func noiseBytes(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

func TestVectors(t *testing.T) {
	docs := vectorDocs(t)
	if *update {
		writeVectors(t, docs)
	}
	raw, err := os.ReadFile(filepath.Join(vectorDir, "vectors.json"))
	if err != nil {
		t.Fatalf("%v (run with -update to create the vectors)", err)
	}
	var m vectorManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if m.Keys["publisher"] != Bytes(pub(publisherKey)).String() {
		t.Fatal("manifest publisher key differs from the fixed seed")
	}
	valid := 0
	for _, v := range m.Vectors {
		t.Run(v.File, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(vectorDir, v.File))
			if err != nil {
				t.Fatal(err)
			}
			kind, ok := KindByName(v.Kind)
			if !ok {
				t.Fatalf("kind %q", v.Kind)
			}
			err = verifyVector(kind, data, m.Now)
			got := "ok"
			if err != nil {
				got = reply.CodeOf(err)
			}
			if got != v.Expect {
				t.Fatalf("got %s (%v), want %s", got, err, v.Expect)
			}
			if v.Expect == "ok" {
				valid++
				// the armored vectors are byte-exact: signing is deterministic
				d, _ := Parse(data)
				if filepath.Ext(v.File) == ".armored" && !bytes.Equal(data, docs[kind].Armor()) {
					t.Fatal("re-signing from the fixed seeds no longer gives these bytes: the format changed")
				}
				if !bytes.Equal(d.Payload, docs[kind].Payload) {
					t.Fatal("payload differs from the fixed-seed document")
				}
			}
		})
	}
	if valid < 2*len(Kinds()) {
		t.Fatalf("only %d valid vectors", valid)
	}
}

func writeVectors(t *testing.T, docs map[Kind]*Document) {
	m := vectorManifest{
		Comment: "Reseller Portal signed-document test vectors; see docs/formats.md. Keys are ed25519 with seed SHA-256(\"signdoc test key/\" + name).",
		Now:     vectorNow,
		Keys:    map[string]string{},
	}
	for _, n := range []string{"publisher", "reseller", "installation", "other"} {
		m.Keys[n] = Bytes(testKey(n).Public().(ed25519.PublicKey)).String()
	}
	write := func(name string, data []byte) {
		p := filepath.Join(vectorDir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("publisher.pub", FormatPublicKey(pub(publisherKey)))
	for _, k := range Kinds() {
		d := docs[k]
		a, c := "valid/"+k.String()+".armored", "valid/"+k.String()+".compact.txt"
		write(a, d.Armor())
		write(c, []byte(d.Compact()+"\n"))
		write("valid/"+k.String()+".payload.json", d.Payload)
		m.Vectors = append(m.Vectors, vectorEntry{File: a, Kind: k.String(), Expect: "ok"}, vectorEntry{File: c, Kind: k.String(), Expect: "ok"})
	}
	inv := invalidVectors(t, docs)
	names := make([]string, 0, len(inv))
	for name := range inv {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := inv[name]
		write(name, v.data)
		err := verifyVector(v.kind, v.data, vectorNow)
		if err == nil {
			t.Fatalf("invalid vector %s verifies", name)
		}
		m.Vectors = append(m.Vectors, vectorEntry{File: name, Kind: v.kind.String(), Expect: reply.CodeOf(err), Note: v.note})
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	write("vectors.json", append(b, '\n'))
}
