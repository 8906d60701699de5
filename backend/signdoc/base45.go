package signdoc

import "fmt"

// base45 per RFC 9285: two bytes become three characters of the QR
// alphanumeric set, least significant digit first; a trailing single byte
// becomes two characters.

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

var base45Value = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base45Alphabet); i++ {
		t[base45Alphabet[i]] = int8(i)
	}
	return t
}()

// Base45Encode encodes b per RFC 9285.
func Base45Encode(b []byte) string {
	out := make([]byte, 0, (len(b)/2)*3+2)
	for i := 0; i+1 < len(b); i += 2 {
		n := int(b[i])<<8 | int(b[i+1])
		out = append(out, base45Alphabet[n%45], base45Alphabet[(n/45)%45], base45Alphabet[n/2025])
	}
	if len(b)%2 == 1 {
		n := int(b[len(b)-1])
		out = append(out, base45Alphabet[n%45], base45Alphabet[n/45])
	}
	return string(out)
}

// Base45Decode decodes s per RFC 9285. It refuses characters outside the
// alphabet, a length of 1 modulo 3 (a truncated group) and groups whose
// value does not fit, so every valid string has exactly one decoding.
func Base45Decode(s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return nil, fmt.Errorf("%w: base45 length %d", ErrTruncated, len(s))
	}
	out := make([]byte, 0, len(s)/3*2+1)
	for i := 0; i < len(s); i += 3 {
		if i+2 >= len(s) { // final pair
			c, d := base45Value[s[i]], base45Value[s[i+1]]
			if c < 0 || d < 0 {
				return nil, fmt.Errorf("%w: character outside the base45 alphabet", ErrMalformed)
			}
			n := int(c) + int(d)*45
			if n > 0xff {
				return nil, fmt.Errorf("%w: base45 group out of range", ErrMalformed)
			}
			out = append(out, byte(n))
			break
		}
		c, d, e := base45Value[s[i]], base45Value[s[i+1]], base45Value[s[i+2]]
		if c < 0 || d < 0 || e < 0 {
			return nil, fmt.Errorf("%w: character outside the base45 alphabet", ErrMalformed)
		}
		n := int(c) + int(d)*45 + int(e)*2025
		if n > 0xffff {
			return nil, fmt.Errorf("%w: base45 group out of range", ErrMalformed)
		}
		out = append(out, byte(n>>8), byte(n))
	}
	return out, nil
}
