package portal

import (
	"sync"
	"time"
)

// LocalClient is the client of the desktop window and rpctl: sign-in
// failures of remote clients never lock it out nor slow it down.
const LocalClient = ""

// RemoteClient is the throttling key of a caller at a network address (an
// IP address, or the /64 prefix of an IPv6 one).
func RemoteClient(addr string) string { return "remote:" + addr }

// maxThrottled bounds each map of the sign-in throttle; past it the
// oldest entries go (an address rotating attacker then loses its own
// history first).
const maxThrottled = 4096

// throttle is the in-memory sign-in throttle. Failures are counted per
// client: LockAfterFailures of them lock that client (every account, from
// that client only) for LockDuration, before any password work. Failures of
// remote clients are also counted per account name, to slow (never refuse)
// further remote attempts on it. Nothing is stored: a restart forgets it.
type throttle struct {
	mu       sync.Mutex
	clients  map[string]*failState
	accounts map[string]*failState
}

type failState struct {
	failures    int
	last        time.Time
	lockedUntil time.Time
}

func newThrottle() *throttle {
	return &throttle{clients: map[string]*failState{}, accounts: map[string]*failState{}}
}

// check reports whether client is locked, and how many failures its next
// attempt on account is slowed for.
func (t *throttle) check(client, account string, now time.Time) (locked bool, failures int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c := t.fresh(t.clients, client, now); c != nil {
		if now.Before(c.lockedUntil) {
			return true, 0
		}
		failures = c.failures
	}
	if client != LocalClient {
		if a := t.fresh(t.accounts, account, now); a != nil {
			failures = max(failures, a.failures)
		}
	}
	return false, failures
}

// fresh is m[key], forgotten once its last failure and its lock are over
// LockDuration old.
func (t *throttle) fresh(m map[string]*failState, key string, now time.Time) *failState {
	st := m[key]
	if st != nil && now.Sub(st.last) > LockDuration && !now.Before(st.lockedUntil) {
		delete(m, key)
		return nil
	}
	return st
}

// fail records a failure; it reports whether the client is now locked.
func (t *throttle) fail(client, account string, now time.Time) (locked bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.entry(t.clients, client, now)
	c.failures++
	c.last = now
	if c.failures >= LockAfterFailures {
		c.failures = 0
		c.lockedUntil = now.Add(LockDuration)
		locked = true
	}
	if client != LocalClient {
		a := t.entry(t.accounts, account, now)
		a.failures++
		a.last = now
	}
	return locked
}

func (t *throttle) entry(m map[string]*failState, key string, now time.Time) *failState {
	if st := t.fresh(m, key, now); st != nil {
		return st
	}
	if len(m) >= maxThrottled {
		for k := range m {
			t.fresh(m, k, now)
		}
		for len(m) >= maxThrottled {
			var oldest string
			var ot time.Time
			first := true
			for k, st := range m {
				if first || st.last.Before(ot) {
					oldest, ot, first = k, st.last, false
				}
			}
			delete(m, oldest)
		}
	}
	st := &failState{}
	m[key] = st
	return st
}

// succeed forgets the client's failures and the account's.
func (t *throttle) succeed(client, account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.clients, client)
	delete(t.accounts, account)
}
