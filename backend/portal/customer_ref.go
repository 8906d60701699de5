package portal

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/resellerportal/portal/backend/store"
)

// Customer ids are "u<n>" for users and "o<n>" for organizations, n from the
// bucket's NextSequence. In keys a customer is a 9-byte ref: 'u' or 'o' and
// the id big-endian.
const (
	kindUser = 'u'
	kindOrg  = 'o'
)

func refString(kind byte, id uint64) string { return string(kind) + strconv.FormatUint(id, 10) }

func refBytes(ref string) []byte {
	kind, id, err := splitRef(ref)
	if err != nil {
		return []byte(ref)
	}
	return store.Key([]byte{kind}, store.U64(id))
}

func refFromBytes(b []byte) string {
	if len(b) < 9 {
		return ""
	}
	return refString(b[0], store.ID(b[1:9]))
}

func splitRef(ref string) (byte, uint64, error) {
	if len(ref) < 2 || (ref[0] != kindUser && ref[0] != kindOrg) {
		return 0, 0, fmt.Errorf("%w: %q", ErrInvalidID, ref)
	}
	n, err := strconv.ParseUint(ref[1:], 10, 64)
	if err != nil || n == 0 {
		return 0, 0, fmt.Errorf("%w: %q", ErrInvalidID, ref)
	}
	return ref[0], n, nil
}

// parseID reads a user or org id given as "u12" / "o3" or just "12".
func parseID(kind byte, s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if s != "" && (s[0] == kindUser || s[0] == kindOrg || s[0] == 'U' || s[0] == 'O') {
		if unicode.ToLower(rune(s[0])) != rune(kind) {
			what := "a user"
			if kind == kindOrg {
				what = "an organization"
			}
			return 0, fmt.Errorf("%w: %q is not %s id", ErrInvalidID, s, what)
		}
		s = s[1:]
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%w: %q", ErrInvalidID, s)
	}
	return n, nil
}

// nameTokens are the lowercase words of a name plus the whole name, the keys
// of the name search index.
func nameTokens(name string) []string {
	name = strings.ToLower(name)
	seen := map[string]bool{name: true}
	out := []string{name}
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
