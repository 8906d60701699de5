package rpc

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors of the dispatcher.
var (
	ErrUnknownOp  = reply.New("unknown_operation", "unknown operation")
	ErrBadRequest = reply.New("bad_request", "parameters are not valid JSON for this operation")
	ErrInternal   = reply.New("internal", "internal error")
	// ErrPathNotAllowed refuses a path on the portal's machine from a remote
	// caller (backup.create, backup.restore, activation.batch {path}).
	ErrPathNotAllowed = reply.New("path_not_allowed", "paths on the portal's machine are not accepted from a remote caller; use the form that carries the file")
)
