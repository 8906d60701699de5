package rpc

import "reflect"

// describeSession, passed to a handler made by typed, makes it report the
// type of the parameters it decodes instead of running: the operation table
// can then say what each operation takes (see ParamsOf) without a second
// registry that could drift from the handlers.
var describeSession = &Session{}

// paramsType is what a typed handler answers describeSession.
type paramsType struct{ t reflect.Type }

// ParamsOf returns the parameters type the operation name decodes (struct{}
// for an operation without parameters); ok is false for an unknown
// operation or one not made by typed.
func (s *Server) ParamsOf(name string) (t reflect.Type, ok bool) {
	o, found := s.ops[name]
	if !found {
		return nil, false
	}
	defer func() {
		if recover() != nil {
			t, ok = nil, false
		}
	}()
	v, _ := o.fn(nil, describeSession, nil)
	pt, ok := v.(paramsType)
	return pt.t, ok
}

// Public reports whether operation name runs without a session.
func (s *Server) Public(name string) bool { return s.ops[name].public }

// Customer reports whether operation name runs only for a customer session.
func (s *Server) Customer(name string) bool { return s.ops[name].customer }
