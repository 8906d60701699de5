package webserve

import "sync"

// maxPasswordOpsPerClient bounds the password operations (Argon2id) one
// client address runs at once; more at the same time get server_busy.
// With Options.PasswordOps it keeps one client from holding every slot.
const maxPasswordOpsPerClient = 1

// clientSlots counts the password operations in flight per client address.
type clientSlots struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *clientSlots) acquire(addr string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]int{}
	}
	if c.m[addr] >= maxPasswordOpsPerClient {
		return false
	}
	c.m[addr]++
	return true
}

func (c *clientSlots) release(addr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m[addr]--; c.m[addr] <= 0 {
		delete(c.m, addr)
	}
}
