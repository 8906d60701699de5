package signdoc

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"strings"
)

// Public key file (publisher.pub), what the client library and
// `rpctl client --publisher-key` take:
//
//	-----BEGIN RESELLER PORTAL PUBLISHER PUBLIC KEY-----
//	<the 32-byte key, unpadded base64url: 43 characters>
//	-----END RESELLER PORTAL PUBLISHER PUBLIC KEY-----
//
// ParsePublicKey also accepts the bare 43-character line, the form a
// publisher embeds in its software as a string constant.

const publicKeyLabel = "RESELLER PORTAL PUBLISHER PUBLIC KEY"

// FormatPublicKey returns the public key file text for pub.
func FormatPublicKey(pub ed25519.PublicKey) []byte {
	return []byte("-----BEGIN " + publicKeyLabel + "-----\n" + b64url.EncodeToString(pub) + "\n-----END " + publicKeyLabel + "-----\n")
}

// ParsePublicKey reads a public key file or a bare base64url key, with
// surrounding whitespace.
func ParsePublicKey(data []byte) (ed25519.PublicKey, error) {
	if len(data) > 4096 {
		return nil, fmt.Errorf("%w: key file of %d bytes", ErrPublicKeyInvalid, len(data))
	}
	s := strings.ReplaceAll(string(bytes.TrimSpace(data)), "\r\n", "\n")
	if strings.HasPrefix(s, "-----") {
		lines := strings.Split(s, "\n")
		if len(lines) != 3 || lines[0] != "-----BEGIN "+publicKeyLabel+"-----" || lines[2] != "-----END "+publicKeyLabel+"-----" {
			return nil, fmt.Errorf("%w: not a publisher public key file", ErrPublicKeyInvalid)
		}
		s = lines[1]
	}
	if s == "" {
		return nil, fmt.Errorf("%w: empty", ErrPublicKeyInvalid)
	}
	k, err := b64url.DecodeString(s)
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: expected 43 characters of base64url", ErrPublicKeyInvalid)
	}
	return ed25519.PublicKey(k), nil
}
