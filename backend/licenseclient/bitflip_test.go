package licenseclient_test

import (
	"bytes"
	"testing"

	"github.com/resellerportal/portal/backend/reply"
)

// TestInstallBitFlips flips one bit (a different one at each position) at
// every byte of a valid response, in both forms, and installs each variant:
// every one is refused with a coded error and the state file never changes.
func TestInstallBitFlips(t *testing.T) {
	ch := newChain(t, "bitflip")
	dir := t.TempDir()
	c := newClient(t, ch, dir, "machine-1", &clock{t0})
	req, err := c.NewRequest("acme-cad", licKey)
	if err != nil {
		t.Fatal(err)
	}
	resp := ch.respond(t, req, nil)
	before := readState(t, dir)
	for name, valid := range map[string][]byte{"armored": resp.Armor(), "compact": []byte(resp.Compact())} {
		for i := range valid {
			b := bytes.Clone(valid)
			b[i] ^= 1 << (i % 8)
			_, err := c.Install(b)
			if err == nil {
				t.Fatalf("%s: flip at byte %d accepted", name, i)
			}
			if reply.CodeOf(err) == "internal" {
				t.Fatalf("%s: flip at byte %d: uncoded error %v", name, i, err)
			}
		}
		if !bytes.Equal(before, readState(t, dir)) {
			t.Fatalf("%s: a refused install changed the state", name)
		}
	}
	if _, err := c.Install(resp.Armor()); err != nil {
		t.Fatalf("the valid response: %v", err)
	}
}
