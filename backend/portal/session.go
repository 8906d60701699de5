package portal

import (
	"crypto/ed25519"
	"fmt"
	"sync"
	"time"
)

// Session roles. A reseller-admin session holds the reseller signing key; a
// customer session holds none and may run only the customer operations
// (my.*). Every admin service method refuses a customer session (forbidden).
const (
	RoleResellerAdmin = "reseller-admin"
	RoleCustomer      = "customer"
)

// Session is a signed-in admin or customer. An admin's holds the unlocked
// reseller signing key in memory until it is locked (sign-out, or idle
// longer than the portal's idle timeout); a customer's never holds a key.
type Session struct {
	mu       sync.Mutex
	admin    string
	role     string
	customer uint64 // the customer's user id (role customer)
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

// principal names the session's account for revocation: the admin's name,
// or "customer:u<n>" (admin names cannot hold ':').
func principal(admin string, customer uint64) string {
	if customer != 0 {
		return customerActor(customer)
	}
	return admin
}

// auth checks that s is a live, signed-in reseller-admin session and marks
// it used. Every admin service method starts with it.
func (p *Portal) auth(s *Session) error {
	role, _, err := p.live(s)
	if err != nil {
		return err
	}
	if role != RoleResellerAdmin {
		return ErrForbidden
	}
	return nil
}

// authCustomer checks that s is a live, signed-in customer session, marks
// it used, and returns the customer's user id. Ownership is checked by each
// customer operation against the database (see customerScope).
func (p *Portal) authCustomer(s *Session) (uint64, error) {
	role, user, err := p.live(s)
	if err != nil {
		return 0, err
	}
	if role != RoleCustomer || user == 0 {
		return 0, ErrForbidden
	}
	return user, nil
}

// live checks that s is a live session (not signed out, not idle too long,
// not revoked), marks it used, and returns its role and customer user id.
func (p *Portal) live(s *Session) (role string, customer uint64, err error) {
	if s == nil {
		return "", 0, ErrNotSignedIn
	}
	now := p.now()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return "", 0, ErrNotSignedIn
	}
	if p.opts.idle > 0 && now.Sub(s.lastUsed) > p.opts.idle {
		s.mu.Unlock()
		s.Lock()
		return "", 0, ErrSessionLocked
	}
	role, who, gen := s.role, principal(s.admin, s.customer), s.gen
	customer = s.customer
	s.lastUsed = now
	s.mu.Unlock()
	p.revokedMu.Lock()
	at, revoked := p.revoked[who]
	if all, ok := p.revoked[""]; ok && (!revoked || all > at) {
		at, revoked = all, true
	}
	p.revokedMu.Unlock()
	if revoked && gen <= at {
		s.Lock()
		return "", 0, fmt.Errorf("%w: the account was removed, disabled or its password changed", ErrNotSignedIn)
	}
	return role, customer, nil
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

// revokeSessions ends every session of an account started so far: admin is
// an admin's name, customerActor(id) a customer's, "" every session.
func (p *Portal) revokeSessions(admin string) {
	p.revokedMu.Lock()
	p.revoked[admin] = p.sessionGen.Load()
	p.revokedMu.Unlock()
}

// SignOut locks the session.
func (p *Portal) SignOut(s *Session) { s.Lock() }

// Check reports whether s is a live, signed-in reseller-admin session (it
// counts as use for the idle timer); a customer session is forbidden.
func (p *Portal) Check(s *Session) error { return p.auth(s) }

// CheckCustomer reports whether s is a live, signed-in customer session (it
// counts as use for the idle timer); an admin session is forbidden.
func (p *Portal) CheckCustomer(s *Session) error {
	_, err := p.authCustomer(s)
	return err
}

// endAllSessions invalidates every session started so far (after restore).
func (p *Portal) endAllSessions() { p.revokeSessions("") }
