package rpc

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/resellerportal/portal/backend/demo"
	"github.com/resellerportal/portal/backend/portal"
)

// demoSwitch lets the first-run screen try the app on a demo database
// (backend/demo) and come back. While the demo is active the dispatcher
// runs every operation on the demo portal; the real one stays open,
// untouched, and is served again on leave. Each switch counts one swap:
// a session signed in before the last swap is signed out on its next call.
type demoSwitch struct {
	path  string           // the demo database; "" when the demo is not offered
	opts  []portal.Option  // for opening (and making) it
	real  *portal.Portal   // the database the server was built over
	open  *portal.Portal   // the demo portal while it is active, else nil
	swaps uint64           // how many times p was switched
	now   func() time.Time // the demo database is made as of now
}

// EnableDemo offers the demo ops (demo.start, demo.leave) over the demo
// database at path (made by demo.Create the first time; see
// demo.PathBeside), opened with opt. Call it before serving.
func (s *Server) EnableDemo(path string, opt ...portal.Option) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.demo.path, s.demo.opts, s.demo.now = path, opt, time.Now
	if s.demo.open == nil {
		s.demo.real = s.p
	}
}

// Close switches back to the real database and closes the demo one if it
// is open (the real one is closed by whoever opened it).
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.leaveDemo()
}

// Demo reports whether the demo database is the one being served.
func (s *Server) Demo() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.demo.open != nil
}

func init() { registrations = append(registrations, registerDemoOps) }

func registerDemoOps(s *Server) {
	s.ops["demo.start"] = op{public: true, exclusive: true, fn: typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.startDemo(sess)
	})}
	s.ops["demo.leave"] = op{public: true, exclusive: true, fn: typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.demo.open == nil { // not in the demo: nothing to leave
			sess.follow(s.demo.swaps)
			return s.p.Status(sess.get())
		}
		err := s.leaveDemo()
		sess.follow(s.demo.swaps)
		if err != nil {
			return nil, err
		}
		return s.p.Status(nil)
	})}
	s.handle("demo.sample", false, typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		d, ok, err := s.p.Demo(sess.get())
		if err == nil && !ok {
			err = demo.ErrNotDemo
		}
		return d, err
	}))
}

// follow signs the session out when the server has switched databases
// since it was last used (its portal session belongs to the other one).
func (s *Session) follow(swaps uint64) {
	s.mu.Lock()
	if s.swaps == swaps {
		s.mu.Unlock()
		return
	}
	old := s.ps
	s.ps, s.swaps = nil, swaps
	s.mu.Unlock()
	if old != nil {
		old.Lock()
	}
}

// startDemo switches to the demo database (making it the first time) and
// signs sess in as the demo admin. It is refused once the real portal is
// set up: the demo belongs to the first run.
func (s *Server) startDemo(sess *Session) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := &s.demo
	if d.path == "" {
		return nil, demo.ErrUnavailable
	}
	st, err := d.real.Status(nil)
	if err != nil {
		return nil, err
	}
	if st.Initialized {
		return nil, fmt.Errorf("%w: the demo is offered only before the portal is set up", portal.ErrAlreadyInitialized)
	}
	p, ps, err := d.signIn()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if d.open == nil { // switch: every session of the real database ends
		d.open, s.p = p, p
		d.swaps++
	}
	sess.follow(d.swaps)
	sess.set(ps)
	return p.Status(ps)
}

// signIn signs the demo admin in on the demo portal, opening (and, when
// missing, making) the demo database unless it is already active. A demo
// database whose demo admin can no longer sign in (its password was
// changed) is made anew; a file there that is not a demo is refused.
func (d *demoSwitch) signIn() (*portal.Portal, *portal.Session, error) {
	if d.open != nil {
		ps, err := d.open.SignIn(demo.AdminName, demo.Password)
		return d.open, ps, err
	}
	p, err := d.openDB()
	if err != nil {
		return nil, nil, err
	}
	ps, err := p.SignIn(demo.AdminName, demo.Password)
	if err == nil {
		return p, ps, nil
	}
	p.Close()
	if !errors.Is(err, portal.ErrWrongPassword) && !errors.Is(err, portal.ErrAdminNotFound) && !errors.Is(err, portal.ErrAccountLocked) {
		return nil, nil, err
	}
	if err := os.Remove(d.path); err != nil {
		return nil, nil, err
	}
	if p, err = d.openDB(); err != nil {
		return nil, nil, err
	}
	if ps, err = p.SignIn(demo.AdminName, demo.Password); err != nil {
		p.Close()
		return nil, nil, err
	}
	return p, ps, nil
}

// openDB opens the demo database, making it when there is none.
func (d *demoSwitch) openDB() (*portal.Portal, error) {
	if _, err := os.Lstat(d.path); errors.Is(err, os.ErrNotExist) {
		if _, err := demo.Create(d.path, d.now(), d.opts...); err != nil {
			return nil, err
		}
	}
	p, err := portal.Open(d.path, d.opts...)
	if err != nil {
		return nil, err
	}
	if ok, err := p.IsDemo(); err != nil || !ok {
		p.Close()
		if err == nil {
			err = fmt.Errorf("%w: %s", demo.ErrNotDemo, d.path)
		}
		return nil, err
	}
	return p, nil
}

// leaveDemo switches back to the real database and closes the demo one
// (releasing its lock); s.mu is held.
func (s *Server) leaveDemo() error {
	d := &s.demo
	if d.open == nil {
		return nil
	}
	old := d.open
	s.p, d.open = d.real, nil
	d.swaps++
	return old.Close()
}
