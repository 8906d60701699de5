package store

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors of the store. Test for them with errors.Is.
var (
	// ErrInUse: another process holds the database file open.
	ErrInUse = reply.New("database_in_use", "database is in use")
	// ErrSchemaTooNew: the file was written by a newer version of the portal.
	ErrSchemaTooNew = reply.New("schema_too_new", "database was written by a newer version of the portal")
	// ErrNotPortalDB: the file is not a portal database (not bbolt, or
	// buckets or schema version missing).
	ErrNotPortalDB = reply.New("not_a_portal_database", "file is not a reseller portal database")
	// ErrMigration: upgrading the schema failed; the file is unchanged.
	ErrMigration = reply.New("migration_failed", "database schema upgrade failed")
	// ErrOpen: the file cannot be opened or created.
	ErrOpen = reply.New("database_open_failed", "database cannot be opened")
)
