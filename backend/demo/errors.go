package demo

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors (errors.Is; reply.CodeOf gives the stable code).
var (
	ErrExists  = reply.New("demo_exists", "a file already exists there; the demo is always a new database")
	ErrNotDemo = reply.New("not_demo", "this database is not a demo database")
	// ErrUnavailable: the app or server was started without a demo database path.
	ErrUnavailable = reply.New("demo_unavailable", "the demo is not offered here")
)
