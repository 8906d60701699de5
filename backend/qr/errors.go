package qr

import "github.com/resellerportal/portal/backend/reply"

// Sentinel errors (errors.Is; reply.CodeOf for the stable code).
var (
	ErrEmpty         = reply.New("qr_content_empty", "nothing to put in the QR code")
	ErrNotPrintable  = reply.New("qr_content_invalid", "QR content must be one line of printable ASCII")
	ErrTooLong       = reply.New("qr_content_too_long", "content does not fit in a QR code")
	ErrImageTooLarge = reply.New("image_too_large", "image is too large")
	ErrNotImage      = reply.New("image_unreadable", "not a PNG or JPEG image")
	ErrNotFound      = reply.New("qr_not_found", "no readable QR code found in the image")
)
