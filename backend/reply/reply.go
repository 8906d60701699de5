// Package reply is the one result shape that crosses the Wails binding and the
// HTTP API: either data, or a stable error code with a human message.
package reply

import "errors"

// Reply is what every bound or HTTP operation returns.
type Reply struct {
	OK      bool   `json:"ok"`
	Code    string `json:"code,omitempty"`    // stable, append-only error code
	Message string `json:"message,omitempty"` // human explanation (English); the UI maps Code
	Data    any    `json:"data,omitempty"`
}

// Coder is implemented by errors that carry a stable code.
type Coder interface {
	error
	Code() string
}

// CodeOf returns the stable code of err, or "internal" when none is carried.
func CodeOf(err error) string {
	var c Coder
	if errors.As(err, &c) {
		return c.Code()
	}
	return "internal"
}

// Of builds a Reply from a result and an error.
func Of(data any, err error) Reply {
	if err != nil {
		return Reply{Code: CodeOf(err), Message: err.Error()}
	}
	return Reply{OK: true, Data: data}
}

// Error is a coded error; packages declare their sentinels with New.
type Error struct {
	code string
	msg  string
}

// New returns a coded sentinel error.
func New(code, msg string) *Error { return &Error{code: code, msg: msg} }

func (e *Error) Error() string { return e.msg }

// Code returns the stable code.
func (e *Error) Code() string { return e.code }
