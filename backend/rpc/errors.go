package rpc

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors of the dispatcher.
var (
	ErrUnknownOp  = reply.New("unknown_operation", "unknown operation")
	ErrBadRequest = reply.New("bad_request", "parameters are not valid JSON for this operation")
	ErrInternal   = reply.New("internal", "internal error")
)
