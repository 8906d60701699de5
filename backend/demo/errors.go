package demo

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors (errors.Is; reply.CodeOf gives the stable code).
var (
	ErrExists  = reply.New("demo_exists", "a file already exists there; the demo is always a new database")
	ErrNotDemo = reply.New("not_demo", "this database is not a demo database")
)
