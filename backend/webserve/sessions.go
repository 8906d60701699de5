package webserve

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"time"

	"github.com/resellerportal/portal/backend/rpc"
)

// tokenBytes is the size of a session id: 256 random bits.
const tokenBytes = 32

// tokenLen is the length of a session id in its cookie (base64url, no padding).
var tokenLen = base64.RawURLEncoding.EncodedLen(tokenBytes)

// sessionKey is what the map is keyed by: the SHA-256 of the cookie value, so
// the map never holds a usable token and lookups do not compare secrets.
type sessionKey [sha256.Size]byte

type sessionEntry struct {
	sess    *rpc.Session
	created time.Time
	last    time.Time
}

// sessions is the server-side session map. Only signed-in browser sessions
// live here: a browser gets its cookie when setup or sign-in succeeds, never
// before, so anonymous visitors cost nothing and cannot fill the map.
type sessions struct {
	mu     sync.Mutex
	m      map[sessionKey]*sessionEntry
	max    int
	idle   time.Duration
	maxAge time.Duration
	now    func() time.Time
}

func newSessions(max int, idle, maxAge time.Duration, now func() time.Time) *sessions {
	return &sessions{m: map[sessionKey]*sessionEntry{}, max: max, idle: idle, maxAge: maxAge, now: now}
}

func keyOf(token string) (sessionKey, bool) {
	if len(token) != tokenLen {
		return sessionKey{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != tokenBytes {
		return sessionKey{}, false
	}
	return sha256.Sum256([]byte(token)), true
}

func (s *sessions) expired(e *sessionEntry, now time.Time) bool {
	return now.Sub(e.last) > s.idle || now.Sub(e.created) > s.maxAge
}

// get returns the live session for token and marks it used. An expired
// session is removed and returned in dropped, for the caller to sign out.
func (s *sessions) get(token string) (sess *rpc.Session, dropped *rpc.Session) {
	k, ok := keyOf(token)
	if !ok {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.m[k]
	if e == nil {
		return nil, nil
	}
	now := s.now()
	if s.expired(e, now) {
		delete(s.m, k)
		return nil, e.sess
	}
	e.last = now
	return e.sess, nil
}

// add stores sess under a new random token. When the map is full, expired
// sessions go first, then the least recently used ones; they are returned in
// evicted for the caller to sign out.
func (s *sessions) add(sess *rpc.Session) (token string, evicted []*rpc.Session, err error) {
	var raw [tokenBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", nil, err
	}
	token = base64.RawURLEncoding.EncodeToString(raw[:])
	k, _ := keyOf(token)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if len(s.m) >= s.max {
		evicted = s.sweepLocked(now)
	}
	for len(s.m) >= s.max {
		var oldest sessionKey
		var oe *sessionEntry
		for k, e := range s.m {
			if oe == nil || e.last.Before(oe.last) {
				oldest, oe = k, e
			}
		}
		delete(s.m, oldest)
		evicted = append(evicted, oe.sess)
	}
	s.m[k] = &sessionEntry{sess: sess, created: now, last: now}
	return token, evicted, nil
}

// drop removes the session of token and returns it (nil if there was none).
func (s *sessions) drop(token string) *rpc.Session {
	k, ok := keyOf(token)
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.m[k]
	if e == nil {
		return nil
	}
	delete(s.m, k)
	return e.sess
}

// sweep removes the expired sessions and returns them.
func (s *sessions) sweep() []*rpc.Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sweepLocked(s.now())
}

func (s *sessions) sweepLocked(now time.Time) []*rpc.Session {
	var out []*rpc.Session
	for k, e := range s.m {
		if s.expired(e, now) {
			delete(s.m, k)
			out = append(out, e.sess)
		}
	}
	return out
}

// all removes every session and returns them.
func (s *sessions) all() []*rpc.Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*rpc.Session, 0, len(s.m))
	for k, e := range s.m {
		delete(s.m, k)
		out = append(out, e.sess)
	}
	return out
}

// len is the number of stored sessions.
func (s *sessions) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
