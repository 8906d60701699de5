package publisher

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors (errors.Is; reply.CodeOf gives the stable code).
var (
	ErrExists             = reply.New("publisher_exists", "publisher key already exists; it is never overwritten")
	ErrNotInitialised     = reply.New("publisher_not_initialised", "no publisher key in this directory (run `rpctl vendor init` first)")
	ErrPassphraseRequired = reply.New("passphrase_required", "the publisher key is passphrase-protected; set RP_VENDOR_PASSPHRASE")
	ErrKeyFileInvalid     = reply.New("key_file_invalid", "publisher key file is damaged or not a publisher key")
	ErrKeyMismatch        = reply.New("key_mismatch", "publisher.key and publisher.pub do not belong together")
	ErrProductExists      = reply.New("product_exists", "a product with this id already exists")
	ErrProductUnknown     = reply.New("product_unknown", "no such product")
	ErrProductInvalid     = reply.New("product_invalid", "product id or name is invalid")
	ErrInvalidArgument    = reply.New("invalid_argument", "invalid argument")
	ErrBusy               = reply.New("publisher_busy", "the publisher directory is in use by another command")
)
