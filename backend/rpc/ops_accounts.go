package rpc

// SetupParams are the first-run parameters.
type SetupParams struct {
	Reseller string `json:"reseller"`
	Admin    string `json:"admin"`
	Password string `json:"password"`
}

// SignInParams sign an admin in.
type SignInParams struct {
	Admin    string `json:"admin"`
	Password string `json:"password"`
}

// AdminAddParams add an admin; Password is the caller's own (it opens the
// data key), NewPassword the new account's.
type AdminAddParams struct {
	Name        string `json:"name"`
	Password    string `json:"password"`
	NewPassword string `json:"new_password"`
}

// AdminPasswdParams change an account's password.
type AdminPasswdParams struct {
	Name        string `json:"name"`
	Password    string `json:"password"`
	NewPassword string `json:"new_password"`
}

// NameParams name one object.
type NameParams struct {
	Name string `json:"name"`
}

func registerAccountOps(s *Server) {
	s.handle("status", true, typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.Status(sess.get())
	}))
	s.handle("setup", true, typed(func(s *Server, sess *Session, p SetupParams) (any, error) {
		ps, err := s.p.Setup(p.Reseller, p.Admin, p.Password)
		if err != nil {
			return nil, err
		}
		sess.set(ps)
		return s.p.Status(ps)
	}))
	s.handle("signin", true, typed(func(s *Server, sess *Session, p SignInParams) (any, error) {
		ps, err := s.p.SignInFrom(sess.client, p.Admin, p.Password)
		if err != nil {
			return nil, err
		}
		sess.set(ps)
		return s.p.Status(ps)
	}))
	s.handle("signout", true, typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		sess.set(nil)
		return s.p.Status(nil)
	}))
	s.handle("branding", true, typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.Branding()
	}))
	s.handle("admins.list", false, typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.Admins(sess.get())
	}))
	s.handle("admins.add", false, typed(func(s *Server, sess *Session, p AdminAddParams) (any, error) {
		return s.p.AddAdmin(sess.get(), p.Password, p.Name, p.NewPassword)
	}))
	s.handle("admins.remove", false, typed(func(s *Server, sess *Session, p NameParams) (any, error) {
		return nil, s.p.RemoveAdmin(sess.get(), p.Name)
	}))
	s.handle("admins.passwd", false, typed(func(s *Server, sess *Session, p AdminPasswdParams) (any, error) {
		return nil, s.p.ChangePassword(sess.get(), p.Password, p.Name, p.NewPassword)
	}))
}
