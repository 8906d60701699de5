package licenseclient_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/licenseclient"
	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/signdoc"
)

const licKey = "K7QF2-MXR9H-TBWC4-NPZ8D"

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newClient(t *testing.T, ch *chain, dir, machine string, clk *clock) *licenseclient.Client {
	t.Helper()
	c, err := licenseclient.New(licenseclient.Options{StateDir: dir, PublisherKey: ch.publisherPub(), MachineID: machine, Now: clk.now, Hostname: "ws-1"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func readState(t *testing.T, dir string) []byte {
	t.Helper()
	b, _ := os.ReadFile(filepath.Join(dir, licenseclient.StateFileName))
	return b
}

func TestActivateStatusDeactivate(t *testing.T) {
	ch := newChain(t, "flow")
	dir := t.TempDir()
	clk := &clock{t0}
	c := newClient(t, ch, dir, "machine-1", clk)
	req, err := c.NewRequest("acme-cad", licKey)
	if err != nil {
		t.Fatal(err)
	}
	r, err := signdoc.VerifyActivationRequest(req)
	if err != nil || r.Fingerprint != signdoc.Fingerprint("acme-cad", "machine-1") || r.Hostname != "ws-1" {
		t.Fatalf("request %+v %v", r, err)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(c.StatePath()); fi.Mode().Perm() != 0o600 {
			t.Errorf("state file mode %v", fi.Mode().Perm())
		}
	}
	st, _ := c.Status()
	if st.Activated || !st.PendingRequest || st.Reason != "not_activated" {
		t.Fatalf("before install: %+v", st)
	}
	resp := ch.respond(t, req, nil)
	clk.t = t0.Add(time.Hour)
	st, err = c.Install(resp.Armor())
	if err != nil || !st.Activated || st.ActivationID != "act-0001" || st.ResellerName != "Northwind" {
		t.Fatalf("install: %+v %v", st, err)
	}
	// installing the same response again changes nothing
	before := readState(t, dir)
	if st, err := c.Install(resp.Armor()); err != nil || !st.Activated {
		t.Fatalf("re-install: %v", err)
	}
	if st, err := c.Install([]byte(resp.Compact())); err != nil || !st.Activated {
		t.Fatalf("re-install in the compact form: %v", err)
	}
	if !bytes.Equal(before, readState(t, dir)) {
		t.Error("re-install changed the state")
	}
	// the machine id is remembered: a client without the option sees the same machine
	c2, _ := licenseclient.New(licenseclient.Options{StateDir: dir, PublisherKey: ch.publisherPub(), Now: clk.now})
	if st, _ := c2.Status(); !st.Activated {
		t.Fatalf("remembered machine id: %+v", st)
	}
	if _, err := c.NewRequest("acme-cad", licKey); !errors.Is(err, licenseclient.ErrAlreadyActivated) {
		t.Errorf("request while activated: %v", err)
	}
	deact, err := c.Deactivate()
	if err != nil {
		t.Fatal(err)
	}
	d, err := signdoc.VerifyDeactivationRequest(deact, ed25519.PublicKey(r.InstallationKey))
	if err != nil || d.ActivationID != "act-0001" || d.LicenseKey != licKey {
		t.Fatalf("deactivation request %+v %v", d, err)
	}
	if st, _ := c.Status(); st.Activated {
		t.Fatal("still activated after deactivation")
	}
	state := readState(t, dir)
	if bytes.Contains(state, []byte("installation_seed")) || bytes.Contains(state, []byte(`"activation"`)) {
		t.Fatalf("installation key or activation survived deactivation:\n%s", state)
	}
	again, err := c.Deactivate()
	if err != nil || !bytes.Equal(again.Payload, deact.Payload) {
		t.Fatalf("second deactivate should repeat the request: %v", err)
	}
	if _, err := c.Install(resp.Armor()); !errors.Is(err, licenseclient.ErrNoPendingRequest) {
		t.Errorf("old response after deactivation: %v", err)
	}
}

// TestInstallRefusals: each bad response is refused with its own code and
// the state file is left byte for byte as it was.
func TestInstallRefusals(t *testing.T) {
	ch := newChain(t, "refusals")
	other := newChain(t, "other-publisher")
	uncovered := newChain(t, "refusals", "acme-render") // same keys, certificate without acme-cad
	dir := t.TempDir()
	clk := &clock{t0}
	c := newClient(t, ch, dir, "machine-1", clk)
	req, _ := c.NewRequest("acme-cad", licKey)
	good := ch.respond(t, req, nil)

	otherDir := t.TempDir()
	cOther := newClient(t, ch, otherDir, "machine-2", clk)
	reqOther, _ := cOther.NewRequest("acme-cad", licKey)
	sameMachineDir := t.TempDir()
	cSame := newClient(t, ch, sameMachineDir, "machine-1", clk)
	reqSame, _ := cSame.NewRequest("acme-cad", licKey)

	resigned, _ := signdoc.SignBytes(signdoc.KindActivationResponse, seededKey("intruder"), good.Payload, ch.cert)
	notCovered, _ := signdoc.SignBytes(signdoc.KindActivationResponse, uncovered.reseller, good.Payload, uncovered.cert)
	bin, _ := good.MarshalBinary()
	bin[0] = signdoc.FormatVersion + 1
	newerDoc := &signdoc.Document{}
	_ = newerDoc
	newer := []byte(armorRaw("RESELLER PORTAL ACTIVATION RESPONSE", bin))
	huge := append(good.Armor(), bytes.Repeat([]byte(" "), signdoc.MaxDocumentSize)...)
	noise := make([]byte, 700)
	for i := range noise {
		noise[i] = byte(i*7919 + 13)
	}
	armored := good.Armor()

	cases := []struct {
		name string
		data []byte
		now  time.Time
		want error
	}{
		{"other machine", ch.respond(t, reqOther, nil).Armor(), t0, licenseclient.ErrWrongMachine},
		{"other installation", ch.respond(t, reqSame, nil).Armor(), t0, licenseclient.ErrWrongInstallation},
		{"older request (nonce)", ch.respond(t, req, func(r *signdoc.ActivationResponse) { r.Nonce = make(signdoc.Bytes, 16) }).Armor(), t0, licenseclient.ErrNonceMismatch},
		{"other license", ch.respond(t, req, func(r *signdoc.ActivationResponse) { r.LicenseKey = "OTHER" }).Armor(), t0, licenseclient.ErrWrongLicense},
		{"past apply-by", good.Armor(), t0.Add(signdoc.DefaultApplyWindow + time.Minute), licenseclient.ErrResponseExpired},
		{"license expired", ch.respond(t, req, func(r *signdoc.ActivationResponse) { e := t0.Add(time.Hour); r.Expires = &e }).Armor(), t0.Add(2 * time.Hour), licenseclient.ErrLicenseExpired},
		{"issued in the future", ch.respond(t, req, func(r *signdoc.ActivationResponse) {
			r.IssuedAt = t0.Add(3 * time.Hour)
			r.ApplyBy = t0.Add(48 * time.Hour)
		}).Armor(), t0, licenseclient.ErrClockSetBack},
		{"other publisher", other.respond(t, req, nil).Armor(), t0, signdoc.ErrCertificateWrongPublisher},
		{"re-signed by another key", resigned.Armor(), t0, signdoc.ErrSignerNotCertified},
		{"product not covered", notCovered.Armor(), t0, signdoc.ErrProductNotCovered},
		{"certificate expired", good.Armor(), t0.AddDate(1, 0, 1), signdoc.ErrCertificateExpired},
		{"truncated armor", armored[:len(armored)/2], t0, signdoc.ErrTruncated},
		{"truncated compact", []byte(good.Compact()[:300]), t0, signdoc.ErrTruncated},
		{"newer version", newer, t0, signdoc.ErrVersionUnsupported},
		{"oversized", huge, t0, signdoc.ErrTooLarge},
		{"empty", []byte("\n \n"), t0, signdoc.ErrEmpty},
		{"binary noise", noise, t0, signdoc.ErrMalformed},
		{"kind confusion", req.Armor(), t0, signdoc.ErrKindMismatch},
		{"certificate as response", ch.cert.Armor(), t0, signdoc.ErrKindMismatch},
	}
	before := readState(t, dir)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk.t = tc.now
			_, err := c.Install(tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if code := reply.CodeOf(err); code == "internal" || err.Error() == "" {
				t.Fatalf("no code or message: %v", err)
			}
			if !bytes.Equal(before, readState(t, dir)) {
				t.Fatal("refused install changed the state file")
			}
		})
	}
	clk.t = t0
	if _, err := c.Install(good.Armor()); err != nil {
		t.Fatalf("the good response after all refusals: %v", err)
	}
}

func armorRaw(label string, bin []byte) string {
	enc := []byte(strings.TrimSpace(string(mustB64(bin))))
	var b strings.Builder
	b.WriteString("-----BEGIN " + label + "-----\n")
	for len(enc) > 64 {
		b.Write(enc[:64])
		b.WriteByte('\n')
		enc = enc[64:]
	}
	b.Write(enc)
	b.WriteString("\n-----END " + label + "-----\n")
	return b.String()
}

func TestClockSetBack(t *testing.T) {
	ch := newChain(t, "clock")
	dir := t.TempDir()
	clk := &clock{t0.Add(48 * time.Hour)}
	c := newClient(t, ch, dir, "m", clk)
	req, _ := c.NewRequest("acme-cad", licKey) // high-water mark: t0+48h
	resp := ch.respond(t, req, nil)
	clk.t = t0.Add(47 * time.Hour)
	if _, err := c.Install(resp.Armor()); !errors.Is(err, licenseclient.ErrClockSetBack) {
		t.Fatalf("install with clock set back: %v", err)
	}
	clk.t = t0.Add(48*time.Hour - 10*time.Minute) // within the drift allowance
	if _, err := c.Install(resp.Armor()); err != nil {
		t.Fatalf("install within drift: %v", err)
	}
	clk.t = t0.Add(100 * time.Hour)
	if st, _ := c.Status(); !st.Activated {
		t.Fatalf("status: %+v", st)
	}
	clk.t = t0.Add(90 * time.Hour)
	if st, _ := c.Status(); st.Activated || st.Reason != "clock_set_back" {
		t.Fatalf("status with clock set back: %+v", st)
	}
	clk.t = t0.AddDate(0, 7, 0)
	if st, _ := c.Status(); st.Activated || st.Reason != "license_expired" {
		t.Fatalf("status after expiry: %+v", st)
	}
}

func TestStatusCatchesTampering(t *testing.T) {
	ch := newChain(t, "tamper")
	dir := t.TempDir()
	clk := &clock{t0}
	c := newClient(t, ch, dir, "m", clk)
	req, _ := c.NewRequest("acme-cad", licKey)
	if _, err := c.Install(ch.respond(t, req, nil).Armor()); err != nil {
		t.Fatal(err)
	}
	// the state file copied to another machine
	moved := newClient(t, ch, dir, "another-machine", clk)
	if st, _ := moved.Status(); st.Activated || st.Reason != "activation_wrong_machine" {
		t.Fatalf("moved state: %+v", st)
	}
	newClient(t, ch, dir, "m", clk) // back to the real machine id (remembered on next write)
	// an edited activation (a forged longer expiry) fails its signature
	state := readState(t, dir)
	edited := bytes.Replace(state, []byte(`"activation": "-----BEGIN RESELLER PORTAL ACTIVATION RESPONSE-----\n`), []byte(`"activation": "-----BEGIN RESELLER PORTAL ACTIVATION RESPONSE-----\nAAAA`), 1)
	os.WriteFile(filepath.Join(dir, licenseclient.StateFileName), edited, 0o600)
	c3 := newClient(t, ch, dir, "m", clk)
	if st, _ := c3.Status(); st.Activated {
		t.Fatalf("edited state accepted: %+v", st)
	}
	os.WriteFile(filepath.Join(dir, licenseclient.StateFileName), []byte("{not json"), 0o600)
	if _, err := c3.Status(); !errors.Is(err, licenseclient.ErrStateInvalid) {
		t.Errorf("garbage state: %v", err)
	}
	os.WriteFile(filepath.Join(dir, licenseclient.StateFileName), []byte(`{"version": 99}`), 0o600)
	if _, err := c3.Status(); !errors.Is(err, licenseclient.ErrStateNewer) {
		t.Errorf("newer state: %v", err)
	}
}

func TestOptions(t *testing.T) {
	if _, err := licenseclient.New(licenseclient.Options{}); !errors.Is(err, licenseclient.ErrInvalidArgument) {
		t.Errorf("no state dir: %v", err)
	}
	if _, err := licenseclient.New(licenseclient.Options{StateDir: t.TempDir(), PublisherKey: make([]byte, 5)}); !errors.Is(err, signdoc.ErrPublicKeyInvalid) {
		t.Errorf("short key: %v", err)
	}
	c, _ := licenseclient.New(licenseclient.Options{StateDir: t.TempDir(), MachineID: "m"})
	if _, err := c.Install([]byte("x")); !errors.Is(err, signdoc.ErrPublicKeyInvalid) {
		t.Errorf("install without publisher key: %v", err)
	}
	if _, err := c.NewRequest("", licKey); !errors.Is(err, licenseclient.ErrInvalidArgument) {
		t.Errorf("empty product: %v", err)
	}
}

func TestOSMachineID(t *testing.T) {
	id, err := licenseclient.MachineID()
	if err != nil {
		t.Skipf("no machine id here: %v", err)
	}
	id2, _ := licenseclient.MachineID()
	if id == "" || id != id2 {
		t.Fatalf("machine id %q / %q not stable", id, id2)
	}
}

// TestPerpetualOutlivesCertificate: an installed perpetual license stays
// valid after the reseller certificate it was issued under has expired.
func TestPerpetualOutlivesCertificate(t *testing.T) {
	ch := newChain(t, "perpetual")
	dir := t.TempDir()
	clk := &clock{t0}
	c := newClient(t, ch, dir, "m", clk)
	req, _ := c.NewRequest("acme-cad", licKey)
	if _, err := c.Install(ch.respond(t, req, func(r *signdoc.ActivationResponse) { r.Expires = nil }).Armor()); err != nil {
		t.Fatal(err)
	}
	clk.t = t0.AddDate(3, 0, 0)
	st, err := c.Status()
	if err != nil || !st.Activated || st.Expires != nil {
		t.Fatalf("status three years on: %+v %v", st, err)
	}
}

// TestReinstallVerifiesCarriedCertificate: a response whose payload and
// signature are the installed one's but whose carried certificate is not
// (another publisher's, none, or another certificate of the same
// publisher) is refused, not taken for a repeat; the state is unchanged.
func TestReinstallVerifiesCarriedCertificate(t *testing.T) {
	ch := newChain(t, "recert")
	dir := t.TempDir()
	clk := &clock{t0}
	c := newClient(t, ch, dir, "machine-1", clk)
	req, err := c.NewRequest("acme-cad", licKey)
	if err != nil {
		t.Fatal(err)
	}
	resp := ch.respond(t, req, nil)
	if _, err := c.Install(resp.Armor()); err != nil {
		t.Fatal(err)
	}
	before := readState(t, dir)
	swap := func(cert *signdoc.Document) []byte {
		d := *resp
		d.Certificate = cert
		return d.Armor()
	}
	foreign := newChain(t, "recert-foreign")
	foreignCert, err := signdoc.SignCertificate(foreign.publisher, signdoc.Certificate{
		Serial: 1, ResellerName: "Northwind", PublicKey: signdoc.Bytes(ch.reseller.Public().(ed25519.PublicKey)),
		Products: []string{"acme-cad"}, NotBefore: t0.Add(-time.Hour), NotAfter: t0.AddDate(1, 0, 0)})
	must(t, err)
	sameSerial, err := signdoc.SignCertificate(ch.publisher, signdoc.Certificate{
		Serial: 1, ResellerName: "Someone Else", PublicKey: signdoc.Bytes(ch.reseller.Public().(ed25519.PublicKey)),
		Products: []string{"acme-cad"}, NotBefore: t0.Add(-time.Hour), NotAfter: t0.AddDate(1, 0, 0)})
	must(t, err)
	badSig := *ch.cert
	badSig.Signature = bytes.Clone(badSig.Signature)
	badSig.Signature[3] ^= 1
	for name, tc := range map[string]struct {
		data []byte
		code string
	}{
		"another publisher's certificate":  {swap(foreignCert), "certificate_wrong_publisher"},
		"certificate with a bad signature": {swap(&badSig), "signature_invalid"},
		"no certificate":                   {swap(nil), "certificate_missing"},
		"another certificate, same serial": {swap(sameSerial), "already_activated"},
	} {
		_, err := c.Install(tc.data)
		if got := reply.CodeOf(err); got != tc.code {
			t.Errorf("%s: got %q (%v), want %s", name, got, err, tc.code)
		}
		if !bytes.Equal(before, readState(t, dir)) {
			t.Fatalf("%s: state changed", name)
		}
	}
	if st, err := c.Install([]byte(resp.Compact())); err != nil || !st.Activated {
		t.Fatalf("the installed response again: %v", err)
	}
}
