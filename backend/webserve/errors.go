package webserve

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors of the HTTP layer. Each carries a stable code; the JSON
// body of every refused HTTP request is a reply.Reply with one of these codes
// (or a code of the operation itself). Codes are append-only.
var (
	ErrTooLarge        = reply.New("request_too_large", "request body is too large")
	ErrCrossSite       = reply.New("cross_site_request", "cross-site request refused")
	ErrContentType     = reply.New("unsupported_media_type", "request body must be application/json")
	ErrMethod          = reply.New("method_not_allowed", "method not allowed")
	ErrNotFound        = reply.New("not_found", "no such resource")
	ErrHostNotAllowed  = reply.New("host_not_allowed", "this server does not answer for that host name")
	ErrInternal        = reply.New("internal", "internal error")
	ErrUINotBuilt      = reply.New("ui_not_built", "the web UI is not built into this binary")
	ErrBadRequestBody  = reply.New("bad_request", "request body cannot be read")
	ErrServerBusy      = reply.New("server_busy", "the server is busy; try again")
	ErrSessionsClosing = reply.New("server_closing", "the server is shutting down")
)
