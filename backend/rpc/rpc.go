// Package rpc is the one dispatcher behind the Wails binding and the HTTP
// API: an operation name and JSON parameters in, a reply.Reply out. Public
// operations (status, setup, signin, signout, customers.signin, …) need no
// session; the customer operations (my.*) run only for a signed-in customer
// session; every other operation runs only for a signed-in reseller-admin
// session (a customer's is forbidden). The portal services check the
// session and its role again themselves.
package rpc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"reflect"
	"runtime/debug"
	"sort"
	"sync"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/reply"
)

// Session is one caller's sign-in state (one per desktop window or browser
// session). The portal session it holds locks itself after the idle timeout.
type Session struct {
	mu     sync.Mutex
	ps     *portal.Session
	swaps  uint64 // the server's swap count when last used (see demoSwitch)
	remote bool
	client string // portal.LocalClient, or portal.RemoteClient(address)
}

// NewSession returns a signed-out session of a local caller (the desktop
// window, rpctl): operations that take a path on this machine are allowed.
func NewSession() *Session { return &Session{} }

// NewRemoteSession returns a signed-out session of a caller on another
// machine (serve mode): operations never take a path on the portal's
// machine for it (path_not_allowed; it has byte-carrying forms instead), and
// status lists no admin names.
func NewRemoteSession() *Session { return NewRemoteSessionFrom("") }

// NewRemoteSessionFrom is NewRemoteSession for a caller at a network
// address (an IP address, or an IPv6 /64 prefix): sign-in failures are
// throttled per address.
func NewRemoteSessionFrom(addr string) *Session {
	return &Session{remote: true, client: portal.RemoteClient(addr)}
}

// Remote reports whether the session is a remote caller's.
func (s *Session) Remote() bool { return s != nil && s.remote }

func (s *Session) get() *portal.Session {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ps
}

func (s *Session) set(ps *portal.Session) {
	s.mu.Lock()
	old := s.ps
	s.ps = ps
	s.mu.Unlock()
	if old != nil && old != ps {
		old.Lock()
	}
}

// Portal returns the portal session (nil when signed out), for callers that
// use the portal services directly.
func (s *Session) Portal() *portal.Session { return s.get() }

type handler func(s *Server, sess *Session, params []byte) (any, error)

type op struct {
	public    bool
	customer  bool // runs only for a customer session (my.*)
	exclusive bool // runs alone, without the read lock: it may swap the database (demo.start/leave)
	fn        handler
}

// Server dispatches operations to one portal.
type Server struct {
	mu       sync.RWMutex // read-held by every operation; write-held while the database is swapped (demo)
	p        *portal.Portal
	demo     demoSwitch
	ops      map[string]op
	progress func(sess *Session, op string, done, total int)
}

// OnProgress sets a function told how far long-running operations
// (activation.batch) have come, e.g. to emit a "batch:progress" event to the
// window. It is called from the goroutine running the operation.
func (s *Server) OnProgress(fn func(sess *Session, op string, done, total int)) { s.progress = fn }

// New builds the dispatcher over p.
func New(p *portal.Portal) *Server {
	s := &Server{p: p, ops: map[string]op{}}
	registerAccountOps(s)
	for _, reg := range registrations {
		reg(s)
	}
	return s
}

// registrations lets each ops file add its operations.
var registrations []func(s *Server)

func (s *Server) handle(name string, public bool, fn handler) {
	s.ops[name] = op{public: public, fn: fn}
}

// Ops lists the operation names (sorted).
func (s *Server) Ops() []string {
	out := make([]string, 0, len(s.ops))
	for k := range s.ops {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Call runs operation op with JSON params for sess. It never panics: a panic
// becomes code "internal".
func (s *Server) Call(sess *Session, name string, params []byte) (r reply.Reply) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("rpc: panic in %s: %v\n%s", name, v, debug.Stack())
			r = reply.Of(nil, fmt.Errorf("%w: %s", ErrInternal, name))
		}
	}()
	o, ok := s.ops[name]
	if !ok {
		return reply.Of(nil, fmt.Errorf("%w: %q", ErrUnknownOp, name))
	}
	if sess == nil {
		sess = NewSession()
	}
	if o.exclusive {
		return reply.Of(o.fn(s, sess, params))
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	sess.follow(s.demo.swaps)
	switch {
	case o.customer:
		if err := s.p.CheckCustomer(sess.get()); err != nil {
			return reply.Of(nil, err)
		}
	case !o.public:
		if err := s.p.Check(sess.get()); err != nil {
			return reply.Of(nil, err)
		}
	}
	data, err := o.fn(s, sess, params)
	return reply.Of(data, err)
}

// decode reads params into v strictly (unknown fields refused); empty params
// mean {}.
func decode(params []byte, v any) error {
	params = bytes.TrimSpace(params)
	if len(params) == 0 || string(params) == "null" {
		params = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(params))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data", ErrBadRequest)
	}
	return exactKeys(params, reflect.TypeOf(v))
}

// typed adapts a function of typed params to a handler.
func typed[P any](fn func(s *Server, sess *Session, p P) (any, error)) handler {
	return func(s *Server, sess *Session, params []byte) (any, error) {
		if sess == describeSession {
			return paramsType{reflect.TypeFor[P]()}, nil
		}
		var p P
		if err := decode(params, &p); err != nil {
			return nil, err
		}
		return fn(s, sess, p)
	}
}
