package desktop

import "github.com/resellerportal/portal/backend/reply"

// Errors of the desktop-only operations. Their codes are part of the binding
// contract and mapped to messages by the frontend's locale files.
var (
	// ErrNotReady: a dialog was asked for before the window started.
	ErrNotReady = reply.New("window_not_ready", "the window is not ready yet")
	// ErrFileTooLarge: the chosen file is larger than MaxOpenSize.
	ErrFileTooLarge = reply.New("file_too_large", "the file is too large")
	// ErrFileRead: the chosen file could not be read.
	ErrFileRead = reply.New("file_unreadable", "the file could not be read")
	// ErrFileWrite: the file could not be written where the user chose.
	ErrFileWrite = reply.New("file_unwritable", "the file could not be written")
	// ErrBadContent: the content to save is not valid base64.
	ErrBadContent = reply.New("bad_request", "the content to save is not valid base64")
	// ErrDialog: the native dialog failed.
	ErrDialog = reply.New("dialog_failed", "the file dialog failed")
)
