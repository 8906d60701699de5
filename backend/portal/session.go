package portal

import (
	"crypto/ed25519"
	"fmt"
	"sync"
	"time"
)

// RoleResellerAdmin is the one role of the portal.
const RoleResellerAdmin = "reseller-admin"

// Session is a signed-in admin. It holds the unlocked reseller signing key
// in memory until it is locked (sign-out, or idle longer than the portal's
// idle timeout).
type Session struct {
	mu       sync.Mutex
	admin    string
	role     string
	signer   ed25519.PrivateKey
	gen      uint64 // creation order, for revocation
	lastUsed time.Time
	closed   bool
}

// Admin is the signed-in admin's name ("" once locked).
func (s *Session) Admin() string {
	if s == nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ""
	}
	return s.admin
}

// Role is the session's role.
func (s *Session) Role() string {
	if s == nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.role
}

// Lock signs the session out and wipes the key it held.
func (s *Session) Lock() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.signer {
		s.signer[i] = 0
	}
	s.signer = nil
	s.closed = true
}

// auth checks that s is a live, signed-in reseller-admin session and marks
// it used. Every service method starts with it.
func (p *Portal) auth(s *Session) error {
	if s == nil {
		return ErrNotSignedIn
	}
	now := p.now()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrNotSignedIn
	}
	if p.opts.idle > 0 && now.Sub(s.lastUsed) > p.opts.idle {
		s.mu.Unlock()
		s.Lock()
		return ErrSessionLocked
	}
	role, admin, gen := s.role, s.admin, s.gen
	s.lastUsed = now
	s.mu.Unlock()
	p.revokedMu.Lock()
	at, revoked := p.revoked[admin]
	if all, ok := p.revoked[""]; ok && (!revoked || all > at) {
		at, revoked = all, true
	}
	p.revokedMu.Unlock()
	if revoked && gen <= at {
		s.Lock()
		return fmt.Errorf("%w: the account was removed or its password changed", ErrNotSignedIn)
	}
	if role != RoleResellerAdmin {
		return ErrForbidden
	}
	return nil
}

// signer returns the session's reseller key (after auth).
func (s *Session) key() (ed25519.PrivateKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.signer) != ed25519.PrivateKeySize {
		return nil, ErrNotSignedIn
	}
	return s.signer, nil
}

func (p *Portal) revokeSessions(admin string) {
	p.revokedMu.Lock()
	p.revoked[admin] = p.sessionGen.Load()
	p.revokedMu.Unlock()
}

// SignOut locks the session.
func (p *Portal) SignOut(s *Session) { s.Lock() }

// Check reports whether s is a live, signed-in reseller-admin session (it
// counts as use for the idle timer).
func (p *Portal) Check(s *Session) error { return p.auth(s) }

// endAllSessions invalidates every session started so far (after restore).
func (p *Portal) endAllSessions() { p.revokeSessions("") }
