package webserve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/rpc"
	"github.com/resellerportal/portal/backend/signdoc"
)

// Cookie names of the browser session. Over TLS (or with SecureCookies) the
// __Host- prefix makes the browser insist on Secure, Path=/ and no Domain.
const (
	cookieName       = "rp_session"
	secureCookieName = "__Host-rp_session"
)

// maxOpName bounds an operation name; real ones are far shorter.
const maxOpName = 64

// signInOps start a new browser session when they succeed; the session id is
// always fresh (a cookie planted before sign-in is never promoted).
var signInOps = map[string]bool{"setup": true, "signin": true, "demo.start": true, "customers.signin": true, "customers.redeem": true}

// passwordOps run Argon2id (64 MiB each) and are bounded by Options.PasswordOps.
var passwordOps = map[string]bool{"setup": true, "signin": true, "admins.add": true, "admins.passwd": true, "demo.start": true,
	"customers.signin": true, "customers.redeem": true, "my.passwd": true, "signing.unlock": true}

// fileOpMaxBody are the larger body limits of a signed-in browser's
// operations that carry files (base64 in JSON: 4/3 of the bytes).
var fileOpMaxBody = map[string]int64{
	"backup.upload":    portal.MaxBackupTransfer/3*4 + 64<<10,
	"activation.batch": MaxBatchBody,
	"licenses.import":  MaxImportBody,
}

// MaxImportBody bounds the body of licenses.import: the largest allocation
// bundle the document format allows (signdoc.MaxBundleSize, armored) as a
// JSON string — armor has no character JSON escapes but its line ends, and
// its 64-character lines make escaping them ("\n", or "\r\n") add at most
// one byte in 32 — plus room for the rest of the object.
const MaxImportBody = signdoc.MaxBundleSize + signdoc.MaxBundleSize/32 + 64<<10

// MaxBatchBody bounds the body of activation.batch {files}: split larger
// batches.
const MaxBatchBody = 64 << 20

// apiCall serves POST /api/call/{op}: a JSON body in, a reply.Reply out.
func (s *Server) apiCall(w http.ResponseWriter, r *http.Request, op string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.refuse(w, r, op, fmt.Errorf("%w: use POST", ErrMethod))
		return
	}
	if err := s.cop.Check(r); err != nil {
		s.refuse(w, r, op, fmt.Errorf("%w: %v", ErrCrossSite, err))
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		s.refuse(w, r, op, ErrContentType)
		return
	}
	if s.closing.Load() {
		s.refuse(w, r, op, ErrSessionsClosing)
		return
	}
	secure := s.opts.SecureCookies || r.TLS != nil
	token := ""
	if c, err := r.Cookie(sessionCookie(secure)); err == nil {
		token = c.Value
	}
	sess, expired := s.sessions.get(token)
	s.signOut(expired)

	limit := s.opts.PublicMaxBody
	if sess != nil {
		limit = max(s.opts.MaxBody, fileOpMaxBody[op])
	}
	if r.ContentLength > limit {
		s.refuse(w, r, op, fmt.Errorf("%w: at most %d bytes", ErrTooLarge, limit))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.refuse(w, r, op, fmt.Errorf("%w: at most %d bytes", ErrTooLarge, limit))
			return
		}
		s.refuse(w, r, op, fmt.Errorf("%w: %v", ErrBadRequestBody, err))
		return
	}
	if !validOpName(op) {
		s.refuse(w, r, "?", rpc.ErrUnknownOp)
		return
	}

	if passwordOps[op] {
		addr := clientAddr(r)
		if !s.pwClient.acquire(addr) {
			s.refuse(w, r, op, fmt.Errorf("%w: a password operation from this address is running", ErrServerBusy))
			return
		}
		defer s.pwClient.release(addr)
		select {
		case s.pwSem <- struct{}{}:
			defer func() { <-s.pwSem }()
		case <-r.Context().Done():
			s.refuse(w, r, op, ErrServerBusy)
			return
		}
	}

	callSess := sess
	if sess == nil || signInOps[op] {
		// every HTTP caller is remote: no path on this machine, no admin list
		callSess = rpc.NewRemoteSessionFrom(clientAddr(r))
	}
	res := s.caller.Call(callSess, op, body)
	if _, ok := res.Data.(rpc.ServerInfo); ok && res.OK {
		res.Data = s.serverInfo(r)
	}
	if st, ok := res.Data.(portal.Status); ok {
		// no admin names over HTTP (the desktop may offer them locally)
		st.Admins = []string{}
		res.Data = st
	}

	switch {
	case signInOps[op] && res.OK && callSess.Portal() != nil:
		// A successful sign-in replaces whatever session this browser had.
		s.signOut(s.sessions.drop(token))
		newToken, evicted, err := s.sessions.add(callSess)
		s.signOut(evicted...)
		if err != nil {
			s.signOut(callSess)
			s.refuse(w, r, op, fmt.Errorf("%w: session id: %v", ErrInternal, err))
			return
		}
		setSessionCookie(w, secure, newToken)
	case sess != nil && (sess.Portal() == nil || res.Code == "not_signed_in"):
		// Signed out, or locked after being idle: forget it and its cookie.
		s.signOut(s.sessions.drop(token))
		clearSessionCookie(w, secure)
	case sess == nil && token != "":
		// An unknown or expired cookie: tell the browser to forget it.
		clearSessionCookie(w, secure)
	}
	if callSess != sess && !(signInOps[op] && res.OK) {
		s.signOut(callSess)
	}
	if !res.OK {
		s.opts.Log.Printf("api %s: %d %s from %s", op, StatusOf(res), res.Code, r.RemoteAddr)
	}
	writeReply(w, res)
}

// serverInfo is how the request reached this server (server.info).
func (s *Server) serverInfo(r *http.Request) rpc.ServerInfo {
	info := rpc.ServerInfo{Serving: true, TLS: r.TLS != nil, Domain: s.opts.Domain}
	info.ProxyTLS = s.opts.SecureCookies && r.TLS == nil
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, port, err := net.SplitHostPort(a.String()); err == nil {
			info.Port, _ = strconv.Atoi(port)
		}
	}
	return info
}

// refuse writes the reply of a request refused before reaching an operation.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, op string, err error) {
	res := reply.Of(nil, err)
	if !validOpName(op) {
		op = "?" // never copy raw path bytes (newlines…) into the log
	}
	s.opts.Log.Printf("api %s: %d %s from %s", op, StatusOf(res), res.Code, r.RemoteAddr)
	writeReply(w, res)
}

// writeReply writes res as JSON with the status its code maps to. A reply
// whose data cannot be encoded becomes code internal: the body is always one
// well-formed reply.
func writeReply(w http.ResponseWriter, res reply.Reply) {
	b, err := json.Marshal(res)
	if err != nil {
		res = reply.Of(nil, fmt.Errorf("%w: reply cannot be encoded", ErrInternal))
		b, _ = json.Marshal(res)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(StatusOf(res))
	w.Write(append(b, '\n'))
}

func validOpName(op string) bool {
	if op == "" || len(op) > maxOpName {
		return false
	}
	for i := 0; i < len(op); i++ {
		c := op[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func sessionCookie(secure bool) string {
	if secure {
		return secureCookieName
	}
	return cookieName
}

func setSessionCookie(w http.ResponseWriter, secure bool, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie(secure),
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteStrictMode,
	})
}

func clearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie(secure),
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteStrictMode,
	})
}
