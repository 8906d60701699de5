package seal

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors. Test for them with errors.Is; each carries a stable code
// (reply.CodeOf) for the Wails binding and the HTTP API.
var (
	// ErrWrongPassphrase: the passphrase does not open the sealed blob (or
	// the blob was altered; the two cannot be told apart by design).
	ErrWrongPassphrase = reply.New("wrong_passphrase", "wrong passphrase")
	// ErrOpenFailed: a raw key does not open the ciphertext (wrong key,
	// wrong associated data, or altered bytes).
	ErrOpenFailed = reply.New("seal_open_failed", "sealed data cannot be opened with this key")
	// ErrMalformed: the blob is not a sealed blob or is truncated.
	ErrMalformed = reply.New("seal_malformed", "sealed data is malformed or truncated")
	// ErrUnsupportedVersion: the blob was written by a newer format version.
	ErrUnsupportedVersion = reply.New("seal_version_unsupported", "sealed data uses a newer format version")
	// ErrBadParams: Argon2id parameters outside the accepted range.
	ErrBadParams = reply.New("seal_params_invalid", "argon2id parameters out of range")
	// ErrBadKey: a raw key that is not 32 bytes long.
	ErrBadKey = reply.New("seal_key_invalid", "key must be 32 bytes")
	// ErrEmptyPassphrase: sealing with an empty passphrase is refused.
	ErrEmptyPassphrase = reply.New("passphrase_empty", "passphrase must not be empty")
)
