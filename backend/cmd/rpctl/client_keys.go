package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"

	"crypto/ed25519"

	"github.com/resellerportal/portal/backend/signdoc"
)

func clientB64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// clientPublisherKey reads --publisher-key: a publisher.pub file, or the bare
// 43-character key itself.
func clientPublisherKey(arg string) (ed25519.PublicKey, error) {
	data, err := os.ReadFile(arg)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			if k, kerr := signdoc.ParsePublicKey([]byte(arg)); kerr == nil {
				return k, nil
			}
		}
		return nil, fmt.Errorf("--publisher-key: %w", err)
	}
	k, err := signdoc.ParsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("--publisher-key %s: %w", arg, err)
	}
	return k, nil
}
