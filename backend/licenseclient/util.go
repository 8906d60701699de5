package licenseclient

import (
	"crypto/ed25519"

	"github.com/resellerportal/portal/backend/reply"
)

func installationKey(s *state) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(s.InstallationSeed) }

func reasonCode(err error) string { return reply.CodeOf(err) }
