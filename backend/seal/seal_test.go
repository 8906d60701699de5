package seal

import (
	"bytes"
	"errors"
	"testing"

	"github.com/resellerportal/portal/backend/reply"
)

func TestSealOpenRoundTrip(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef reseller private key")
	blob, err := Seal(secret, []byte("correct horse"), TestParams)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(blob, secret[:16]) {
		t.Fatal("sealed blob contains the plaintext")
	}
	got, err := Open(blob, []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, secret) {
		t.Fatalf("round trip: got %q", got)
	}
	p, err := ParamsOf(blob)
	if err != nil || p != TestParams {
		t.Fatalf("ParamsOf = %+v, %v; want %+v", p, err, TestParams)
	}
	again, _ := Seal(secret, []byte("correct horse"), TestParams)
	if bytes.Equal(again, blob) {
		t.Fatal("two seals of the same secret are identical: salt/nonce not random")
	}
}

func TestDefaultParamsRecorded(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB Argon2id")
	}
	blob, err := Seal([]byte("k"), []byte("pw"), DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := ParamsOf(blob); p != DefaultParams {
		t.Fatalf("params %+v", p)
	}
	if _, err := Open(blob, []byte("pw")); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusals(t *testing.T) {
	blob, err := Seal([]byte("secret"), []byte("pw"), TestParams)
	if err != nil {
		t.Fatal(err)
	}
	flipped := func(i int) []byte { b := bytes.Clone(blob); b[i] ^= 0x01; return b }
	newer := bytes.Clone(blob)
	newer[len(magic)] = version + 1
	hugeMem := bytes.Clone(blob)
	copy(hugeMem[len(magic)+5:], []byte{0xff, 0xff, 0xff, 0xff})
	cases := []struct {
		name string
		blob []byte
		pass string
		want error
	}{
		{"wrong passphrase", blob, "pw2", ErrWrongPassphrase},
		{"empty passphrase", blob, "", ErrWrongPassphrase},
		{"flipped salt", flipped(headerLen - 1), "pw", ErrWrongPassphrase},
		{"flipped ciphertext", flipped(len(blob) - 1), "pw", ErrWrongPassphrase},
		{"flipped nonce", flipped(headerLen), "pw", ErrWrongPassphrase},
		{"truncated", blob[:headerLen+nonceLen], "pw", ErrMalformed},
		{"empty", nil, "pw", ErrMalformed},
		{"not sealed", bytes.Repeat([]byte("x"), 100), "pw", ErrMalformed},
		{"newer version", newer, "pw", ErrUnsupportedVersion},
		{"hostile params", hugeMem, "pw", ErrBadParams},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(c.blob, []byte(c.pass))
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if reply.CodeOf(err) == "internal" {
				t.Fatalf("error %v carries no code", err)
			}
		})
	}
}

func TestSealRefusals(t *testing.T) {
	if _, err := Seal([]byte("s"), nil, TestParams); !errors.Is(err, ErrEmptyPassphrase) {
		t.Errorf("empty passphrase: %v", err)
	}
	for _, p := range []Params{{}, {Time: 1, MemoryKiB: 4, Threads: 1}, {Time: 1, MemoryKiB: 64, Threads: 0}, {Time: 1000, MemoryKiB: 64, Threads: 1}} {
		if _, err := Seal([]byte("s"), []byte("pw"), p); !errors.Is(err, ErrBadParams) {
			t.Errorf("params %+v: %v", p, err)
		}
	}
}

func TestWithKey(t *testing.T) {
	key, err := DeriveKey([]byte("pw"), []byte("0123456789abcdef"), TestParams)
	if err != nil || len(key) != KeySize {
		t.Fatalf("DeriveKey: %d bytes, %v", len(key), err)
	}
	key2, _ := DeriveKey([]byte("pw"), []byte("0123456789abcdef"), TestParams)
	if !bytes.Equal(key, key2) {
		t.Fatal("DeriveKey is not deterministic")
	}
	box, err := SealWithKey(key, []byte("payload"), []byte("admin:alice"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := OpenWithKey(key, box, []byte("admin:alice"))
	if err != nil || string(got) != "payload" {
		t.Fatalf("OpenWithKey = %q, %v", got, err)
	}
	if _, err := OpenWithKey(key, box, []byte("admin:bob")); !errors.Is(err, ErrOpenFailed) {
		t.Errorf("wrong aad: %v", err)
	}
	other := bytes.Clone(key)
	other[0] ^= 1
	if _, err := OpenWithKey(other, box, []byte("admin:alice")); !errors.Is(err, ErrOpenFailed) {
		t.Errorf("wrong key: %v", err)
	}
	if _, err := OpenWithKey(key, box[:10], nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("short: %v", err)
	}
	if _, err := SealWithKey(key[:16], []byte("x"), nil); !errors.Is(err, ErrBadKey) {
		t.Errorf("short key: %v", err)
	}
}

func FuzzOpen(f *testing.F) {
	blob, _ := Seal([]byte("secret"), []byte("pw"), TestParams)
	f.Add(blob, []byte("pw"))
	f.Add([]byte("RPSEAL"), []byte("pw"))
	f.Fuzz(func(t *testing.T, b, pw []byte) {
		if p, err := ParamsOf(b); err == nil && (p.MemoryKiB > 1024 || p.Time > 4) {
			t.Skip("expensive parameters")
		}
		out, err := Open(b, pw)
		// Only the genuine blob with the genuine passphrase may open.
		if err == nil && (string(pw) != "pw" || string(out) != "secret") {
			t.Fatalf("opened with %q: %q", pw, out)
		}
	})
}

func BenchmarkOpenDefault(b *testing.B) {
	blob, _ := Seal([]byte("k"), []byte("pw"), DefaultParams)
	for b.Loop() {
		if _, err := Open(blob, []byte("pw")); err != nil {
			b.Fatal(err)
		}
	}
}
