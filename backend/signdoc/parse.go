package signdoc

import (
	"bytes"
	"fmt"
)

// Parse reads a document in either encoding, armored text or compact QR
// text, tolerating surrounding whitespace (a trailing newline, a pasted
// line). Inputs over MaxDocumentSize are refused before anything else;
// read an allocation bundle with ParseKind, which allows MaxBundleSize.
//
// Parse checks structure only: format version, kind, algorithm, key and
// signature lengths. It does NOT check signatures; use the Verify functions
// (VerifyCertificate, VerifyActivationResponse, ...) which do.
func Parse(data []byte) (*Document, error) {
	return parseLimit(data, MaxDocumentSize)
}

func parseLimit(data []byte, limit int) (*Document, error) {
	if len(data) > limit {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, len(data))
	}
	text := bytes.Trim(data, " \t\r\n")
	switch {
	case len(text) == 0:
		return nil, ErrEmpty
	case bytes.HasPrefix(text, []byte(armorBegin)):
		return parseArmor(text, limit)
	case bytes.HasPrefix(text, []byte("RP")):
		return parseCompact(text)
	case bytes.HasPrefix(text, []byte("-----")):
		return nil, fmt.Errorf("%w: armor does not start with a BEGIN line", ErrMalformed)
	}
	return nil, fmt.Errorf("%w: neither an armored nor a compact document", ErrMalformed)
}

// ParseKind is Parse followed by a kind check: a document of another kind
// gives ErrKindMismatch naming both kinds. The size limit is that of the
// wanted kind (MaxBundleSize for allocation bundles, else MaxDocumentSize);
// the armored form is only ever decoded as far as its own kind allows.
func ParseKind(data []byte, want Kind) (*Document, error) {
	d, err := parseLimit(data, want.maxSize())
	if err != nil {
		return nil, err
	}
	if err := d.expect(want); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Document) expect(want Kind) error {
	if d == nil {
		return ErrEmpty
	}
	if d.Kind != want {
		return fmt.Errorf("%w: this is %s %s, expected %s %s", ErrKindMismatch, article(d.Kind), d.Kind.Title(), article(want), want.Title())
	}
	return nil
}

func article(k Kind) string {
	switch k.Title()[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an"
	}
	return "a"
}
