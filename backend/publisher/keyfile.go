package publisher

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/resellerportal/portal/backend/seal"
)

// Private key file (publisher.key), text:
//
//	-----BEGIN RESELLER PORTAL PUBLISHER PRIVATE KEY-----
//	<the 32-byte ed25519 seed, unpadded base64url>
//	-----END RESELLER PORTAL PUBLISHER PRIVATE KEY-----
//
// or, protected with a passphrase (backend/seal: Argon2id + XChaCha20-Poly1305):
//
//	-----BEGIN RESELLER PORTAL SEALED PUBLISHER PRIVATE KEY-----
//	<standard base64 of the sealed blob, 64 characters a line>
//	-----END RESELLER PORTAL SEALED PUBLISHER PRIVATE KEY-----

const (
	plainLabel  = "RESELLER PORTAL PUBLISHER PRIVATE KEY"
	sealedLabel = "RESELLER PORTAL SEALED PUBLISHER PRIVATE KEY"
	maxKeyFile  = 16 << 10
)

// FormatKeyFile returns the private key file text, sealed under passphrase
// when it is not empty.
func FormatKeyFile(priv ed25519.PrivateKey, passphrase []byte, p seal.Params) ([]byte, error) {
	if len(passphrase) == 0 {
		return armorKey(plainLabel, base64.RawURLEncoding.EncodeToString(priv.Seed())), nil
	}
	blob, err := seal.Seal(priv.Seed(), passphrase, p)
	if err != nil {
		return nil, err
	}
	body := base64.StdEncoding.EncodeToString(blob)
	var lines []string
	for len(body) > 64 {
		lines, body = append(lines, body[:64]), body[64:]
	}
	return armorKey(sealedLabel, strings.Join(append(lines, body), "\n")), nil
}

func armorKey(label, body string) []byte {
	return []byte("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
}

// IsSealedKeyFile reports whether data is a passphrase-protected key file.
func IsSealedKeyFile(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN "+sealedLabel+"-----"))
}

// ParseKeyFile reads a private key file. A sealed file needs passphrase
// (ErrPassphraseRequired without one, seal.ErrWrongPassphrase when wrong).
func ParseKeyFile(data, passphrase []byte) (ed25519.PrivateKey, error) {
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("%w: %d bytes", ErrKeyFileInvalid, len(data))
	}
	lines := strings.Split(strings.ReplaceAll(string(bytes.TrimSpace(data)), "\r\n", "\n"), "\n")
	if len(lines) < 3 {
		return nil, ErrKeyFileInvalid
	}
	first, last, body := lines[0], lines[len(lines)-1], strings.Join(lines[1:len(lines)-1], "")
	switch {
	case first == "-----BEGIN "+plainLabel+"-----" && last == "-----END "+plainLabel+"-----" && len(lines) == 3:
		seed, err := base64.RawURLEncoding.Strict().DecodeString(body)
		if err != nil || len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("%w: bad key line", ErrKeyFileInvalid)
		}
		return ed25519.NewKeyFromSeed(seed), nil
	case first == "-----BEGIN "+sealedLabel+"-----" && last == "-----END "+sealedLabel+"-----":
		blob, err := base64.StdEncoding.Strict().DecodeString(body)
		if err != nil {
			return nil, fmt.Errorf("%w: bad base64", ErrKeyFileInvalid)
		}
		if len(passphrase) == 0 {
			return nil, ErrPassphraseRequired
		}
		seed, err := seal.Open(blob, passphrase)
		if err != nil {
			return nil, fmt.Errorf("open publisher key: %w", err)
		}
		if len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("%w: sealed seed is %d bytes", ErrKeyFileInvalid, len(seed))
		}
		return ed25519.NewKeyFromSeed(seed), nil
	}
	return nil, ErrKeyFileInvalid
}
