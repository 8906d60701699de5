// Package webserve puts the portal's web UI and its operations on HTTP: the
// built UI (frontend.Dist) with an SPA fallback, and POST /api/call/{op} into
// the same rpc dispatcher the desktop window uses, with one server-side
// session per browser. It is what `rpctl portal serve` runs.
package webserve

import (
	"io"
	"io/fs"
	"log"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/rpc"
	"github.com/resellerportal/portal/frontend"
)

// Caller runs one operation for a session; *rpc.Server is the real one.
type Caller interface {
	Call(sess *rpc.Session, op string, params []byte) reply.Reply
}

// Defaults of Options.
const (
	DefaultMaxBody       = 8 << 20  // a QR photo (base64) or a 512 KiB logo fits
	DefaultPublicMaxBody = 64 << 10 // status, setup, signin: small bodies only
	DefaultMaxSessions   = 64
	DefaultIdleTimeout   = 15 * time.Minute
	DefaultMaxAge        = 12 * time.Hour
	DefaultPasswordOps   = 2 // Argon2id at 64 MiB each: at most this many at once
)

// Options configure a Server; zero values take the defaults.
type Options struct {
	// Static is the built UI, rooted at index.html (default frontend.Dist()).
	Static fs.FS
	// MaxBody bounds a request body of a signed-in browser; PublicMaxBody
	// that of a request without a session. Above it: 413 request_too_large.
	MaxBody, PublicMaxBody int64
	// MaxSessions caps the signed-in browser sessions; a new sign-in past it
	// drops expired sessions first, then the least recently used one.
	MaxSessions int
	// IdleTimeout drops a session unused for that long; MaxAge drops any
	// session that old.
	IdleTimeout, MaxAge time.Duration
	// AllowedHosts, when not empty, are the only Host names (without port)
	// the server answers for; others get 421 host_not_allowed. This keeps a
	// DNS-rebinding page from talking to a portal on 127.0.0.1.
	AllowedHosts []string
	// Domain is the portal's custom domain as allowed at start (one of
	// AllowedHosts), reported by server.info to the settings screen.
	Domain string
	// SecureCookies marks the session cookie Secure even on plain HTTP (for a
	// TLS-terminating proxy in front). Requests over TLS always get Secure.
	SecureCookies bool
	// PasswordOps bounds the concurrent setup/sign-in/password operations.
	PasswordOps int
	// Log receives one line per refused or failed API call and every panic
	// (never parameters); nil discards.
	Log *log.Logger
	// Now is the clock (tests).
	Now func() time.Time
}

// Server is the HTTP face of one portal.
type Server struct {
	caller   Caller
	opts     Options
	sessions *sessions
	pwSem    chan struct{}
	pwClient clientSlots // password operations in flight per client address
	cop      *http.CrossOriginProtection
	static   *static
	handler  http.Handler
	closing  atomic.Bool
	stop     chan struct{}
	once     sync.Once
	wg       sync.WaitGroup
}

// New builds the server over caller (normally rpc.New(p)).
func New(caller Caller, opts Options) *Server {
	if opts.Static == nil {
		opts.Static = frontend.Dist()
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.PublicMaxBody <= 0 {
		opts.PublicMaxBody = DefaultPublicMaxBody
	}
	if opts.PublicMaxBody > opts.MaxBody {
		opts.PublicMaxBody = opts.MaxBody
	}
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = DefaultMaxSessions
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultMaxAge
	}
	if opts.PasswordOps <= 0 {
		opts.PasswordOps = DefaultPasswordOps
	}
	if opts.Log == nil {
		opts.Log = log.New(io.Discard, "", 0)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	hosts := make([]string, 0, len(opts.AllowedHosts))
	for _, h := range opts.AllowedHosts {
		hosts = append(hosts, strings.ToLower(strings.TrimSuffix(h, ".")))
	}
	opts.AllowedHosts = hosts
	s := &Server{
		caller:   caller,
		opts:     opts,
		sessions: newSessions(opts.MaxSessions, opts.IdleTimeout, opts.MaxAge, opts.Now),
		pwSem:    make(chan struct{}, opts.PasswordOps),
		cop:      http.NewCrossOriginProtection(),
		static:   newStatic(opts.Static),
		stop:     make(chan struct{}),
	}
	s.handler = s.recoverPanics(s.securityHeaders(s.checkHost(http.HandlerFunc(s.route))))
	s.wg.Add(1)
	go s.janitor()
	return s
}

// Handler is the whole HTTP API and UI.
func (s *Server) Handler() http.Handler { return s.handler }

// HasUI reports whether the static files hold a built UI (an index.html).
func (s *Server) HasUI() bool { return s.static.hasIndex() }

// Sessions is the number of signed-in browser sessions held.
func (s *Server) Sessions() int { return s.sessions.len() }

// Close signs every browser session out (locking its copy of the signing
// key) and stops the expiry sweeper. API calls after Close are refused with
// server_closing. Call it after http.Server.Shutdown, before closing the
// portal.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.closing.Store(true)
		close(s.stop)
		s.wg.Wait()
		s.signOut(s.sessions.all()...)
	})
	return nil
}

// janitor drops expired sessions so their keys do not wait in memory for the
// next request.
func (s *Server) janitor() {
	defer s.wg.Done()
	every := s.opts.IdleTimeout / 4
	if every > time.Minute {
		every = time.Minute
	}
	if every < time.Second {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.signOut(s.sessions.sweep()...)
		}
	}
}

// signOut locks the portal sessions of dropped browser sessions.
func (s *Server) signOut(list ...*rpc.Session) {
	for _, sess := range list {
		if sess != nil && sess.Portal() != nil {
			s.caller.Call(sess, "signout", nil)
		}
	}
}

// route sends /healthz, /api/… and the UI to their handlers. It does not
// use http.ServeMux, whose path-cleaning redirects would answer some API
// paths with HTML instead of a reply.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/healthz":
		s.healthz(w, r)
	case strings.HasPrefix(p, apiPrefix):
		op, ok := strings.CutPrefix(p, apiPrefix)
		if !ok || op == "" || strings.Contains(op, "/") {
			writeReply(w, reply.Of(nil, ErrNotFound))
			return
		}
		s.apiCall(w, r, op)
	case p == "/api" || strings.HasPrefix(p, "/api/"):
		writeReply(w, reply.Of(nil, ErrNotFound))
	default:
		s.static.ServeHTTP(w, r)
	}
}

// apiPrefix is the path of the operations: POST /api/call/{op}.
const apiPrefix = "/api/call/"

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.closing.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "closing\n")
		return
	}
	io.WriteString(w, "ok\n")
}
