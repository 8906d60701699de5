package signdoc

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
)

// Armored text form (safe for e-mail and USB sticks):
//
//	-----BEGIN RESELLER PORTAL ACTIVATION RESPONSE-----
//	<standard base64 of the binary envelope, 64 characters a line>
//	-----END RESELLER PORTAL ACTIVATION RESPONSE-----
//
// Lines end in "\n" ("\r\n" is accepted). Parsing is strict: every body line
// but the last has exactly 64 characters, base64 padding bits must be zero,
// and the label must name the envelope's kind, so no altered byte of an
// armored document is silently ignored.

const armorLineLen = 64

var armorEnc = base64.StdEncoding.Strict()

// Armor returns the armored text form, ending in a newline.
func (d *Document) Armor() []byte {
	bin, _ := d.MarshalBinary()
	body := armorEnc.EncodeToString(bin)
	label := d.Kind.Label()
	var b bytes.Buffer
	b.Grow(len(body) + len(body)/armorLineLen + 2*len(label) + 40)
	b.WriteString("-----BEGIN " + label + "-----\n")
	for len(body) > armorLineLen {
		b.WriteString(body[:armorLineLen])
		b.WriteByte('\n')
		body = body[armorLineLen:]
	}
	b.WriteString(body)
	b.WriteString("\n-----END " + label + "-----\n")
	return b.Bytes()
}

const armorBegin = "-----BEGIN "

func parseArmor(text []byte, limit int) (*Document, error) {
	s := strings.ReplaceAll(string(text), "\r\n", "\n")
	lines := strings.Split(s, "\n")
	first := lines[0]
	if !strings.HasPrefix(first, armorBegin) || !strings.HasSuffix(first, "-----") || len(first) < len(armorBegin)+5 {
		return nil, fmt.Errorf("%w: bad BEGIN line", ErrMalformed)
	}
	label := first[len(armorBegin) : len(first)-5]
	kind, ok := kindByLabel(label)
	if !ok {
		if strings.HasPrefix(label, "RESELLER PORTAL ") {
			return nil, fmt.Errorf("%w: %q", ErrKindUnknown, label)
		}
		return nil, fmt.Errorf("%w: not a reseller portal document (%q)", ErrMalformed, label)
	}
	end := "-----END " + label + "-----"
	var body strings.Builder
	i := 1
	for ; i < len(lines); i++ {
		line := lines[i]
		if line == end {
			break
		}
		if strings.HasPrefix(line, "-----") {
			return nil, fmt.Errorf("%w: unexpected armor line %q", ErrMalformed, line)
		}
		if len(line) != armorLineLen {
			// only the last body line may be shorter
			if len(line) == 0 || len(line) > armorLineLen || i+1 >= len(lines) || lines[i+1] != end {
				if i+1 >= len(lines) {
					return nil, fmt.Errorf("%w: END line missing", ErrTruncated)
				}
				return nil, fmt.Errorf("%w: body line %d has %d characters", ErrMalformed, i, len(line))
			}
		}
		body.WriteString(line)
	}
	if i >= len(lines) {
		return nil, fmt.Errorf("%w: END line missing", ErrTruncated)
	}
	if i != len(lines)-1 {
		return nil, fmt.Errorf("%w: text after the END line", ErrMalformed)
	}
	if body.Len() == 0 {
		return nil, fmt.Errorf("%w: empty body", ErrTruncated)
	}
	bin, err := armorEnc.DecodeString(body.String())
	if err != nil {
		if body.Len()%4 != 0 {
			return nil, fmt.Errorf("%w: base64 body", ErrTruncated)
		}
		return nil, fmt.Errorf("%w: base64 body: %v", ErrMalformed, err)
	}
	doc, err := parseBinary(bin, min(limit, kind.maxSize()), false)
	if err != nil {
		return nil, err
	}
	if doc.Kind != kind {
		return nil, fmt.Errorf("%w: labelled %s but holds a %s", ErrMalformed, kind.Title(), doc.Kind.Title())
	}
	return doc, nil
}

// armoredLen is len(d.Armor()) without building it.
func armoredLen(d *Document) int {
	n := 4 + 44 + 10 + len(d.Payload) + 1 + len(d.Signature) + 10
	if d.Certificate != nil {
		n += 4 + 44 + 10 + len(d.Certificate.Payload) + 1 + len(d.Certificate.Signature) + 1
	}
	b64 := (n + 2) / 3 * 4
	return b64 + b64/armorLineLen + 1 + 2*len(d.Kind.Label()) + 40
}
