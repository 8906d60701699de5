package portal

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field bounds.
const (
	maxNameLen  = 200
	maxEmailLen = 254
	maxAdminLen = 64
)

// cleanName trims s and checks it is non-empty, at most max characters,
// valid UTF-8 and free of control characters.
func cleanName(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", fmt.Errorf("%w: %s is empty", ErrInvalidName, field)
	case !utf8.ValidString(s):
		return "", fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidName, field)
	case utf8.RuneCountInString(s) > max:
		return "", fmt.Errorf("%w: %s is longer than %d characters", ErrInvalidName, field, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return "", fmt.Errorf("%w: %s contains a control character", ErrInvalidName, field)
		}
	}
	return s, nil
}

// checkAdminName allows letters, digits and . _ @ - (1 to 64).
func checkAdminName(s string) error {
	if s == "" || len(s) > maxAdminLen {
		return fmt.Errorf("%w: admin name must be 1 to %d characters", ErrInvalidName, maxAdminLen)
	}
	for _, r := range s {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._@-", r))) {
			return fmt.Errorf("%w: admin name may hold only letters, digits and . _ @ -", ErrInvalidName)
		}
	}
	return nil
}

// cleanEmail checks a bare address (no display name) and lowercases it.
func cleanEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: email is empty", ErrInvalidEmail)
	}
	if len(s) > maxEmailLen {
		return "", fmt.Errorf("%w: longer than %d characters", ErrInvalidEmail, maxEmailLen)
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return "", fmt.Errorf("%w: %q contains spaces or control characters", ErrInvalidEmail, s)
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", fmt.Errorf("%w: %q", ErrInvalidEmail, s)
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !validHostname(s[at+1:]) || !strings.Contains(s[at+1:], ".") {
		return "", fmt.Errorf("%w: %q has no valid domain", ErrInvalidEmail, s)
	}
	return strings.ToLower(s), nil
}

// validHostname checks RFC 1123 host names: labels of 1-63 letters, digits
// and hyphens, not starting or ending with a hyphen, 253 characters at most.
func validHostname(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
