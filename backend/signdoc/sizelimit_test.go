package signdoc

import (
	"bytes"
	"errors"
	"testing"
)

// TestSizeLimitPerKind: only a caller that asks for an allocation bundle may
// read a document over MaxDocumentSize, and only a bundle.
func TestSizeLimitPerKind(t *testing.T) {
	big := append([]byte(`{"notes":"`), bytes.Repeat([]byte("x"), MaxDocumentSize)...)
	big = append(big, `"}`...)

	if _, err := SignBytes(KindActivationRequest, testKey("installation"), big, nil); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("signing a request over 1 MiB: %v, want document_too_large", err)
	}
	bundle, err := SignBytes(KindAllocationBundle, publisherKey, big, nil)
	if err != nil {
		t.Fatalf("signing a bundle over 1 MiB: %v", err)
	}
	armored := bundle.Armor()
	if _, err := ParseKind(armored, KindAllocationBundle); err != nil {
		t.Fatalf("a bundle of %d bytes read as a bundle: %v", len(armored), err)
	}
	if _, err := Parse(armored); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a bundle over 1 MiB read without naming the kind: %v", err)
	}

	// A large document of another kind, armored by hand, is refused even by a
	// caller that allows bundle sizes: the limit follows the armor's own kind.
	forged := &Document{Version: FormatVersion, Kind: KindActivationRequest, Alg: AlgEd25519,
		SignerKey: pub(testKey("installation")), Payload: big, Signature: make([]byte, 64)}
	if _, err := ParseKind(forged.Armor(), KindAllocationBundle); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a request over 1 MiB read with the bundle limit: %v, want document_too_large", err)
	}
	if _, err := ParseKind(append(armored, bytes.Repeat([]byte(" "), MaxBundleSize)...), KindAllocationBundle); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("input over MaxBundleSize: %v", err)
	}
}
