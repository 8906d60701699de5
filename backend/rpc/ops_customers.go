package rpc

// UserParams name a customer user.
type UserParams struct {
	User string `json:"user"`
}

// ManagerParams make a user the manager of their organization, or not.
type ManagerParams struct {
	User    string `json:"user"`
	Manager bool   `json:"manager"`
}

// RedeemParams redeem an invitation code with the new account's password.
type RedeemParams struct {
	Code     string `json:"code"`
	Password string `json:"password"`
}

// MyPasswdParams change a customer's own password.
type MyPasswdParams struct {
	Password    string `json:"password"`
	NewPassword string `json:"new_password"`
}

// CustomerSignInParams sign a customer in with their user's email address.
type CustomerSignInParams struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func init() { registrations = append(registrations, registerCustomerOps) }

func registerCustomerOps(s *Server) {
	// admin operations on customer accounts
	h := func(name string, fn handler) { s.handle(name, false, fn) }
	h("customers.account", typed(func(s *Server, sess *Session, p UserParams) (any, error) {
		return s.p.CustomerAccountOf(sess.get(), p.User)
	}))
	h("customers.invite", typed(func(s *Server, sess *Session, p UserParams) (any, error) {
		return s.p.InviteCustomer(sess.get(), p.User)
	}))
	h("customers.disable", typed(func(s *Server, sess *Session, p UserParams) (any, error) {
		return s.p.SetCustomerDisabled(sess.get(), p.User, true)
	}))
	h("customers.enable", typed(func(s *Server, sess *Session, p UserParams) (any, error) {
		return s.p.SetCustomerDisabled(sess.get(), p.User, false)
	}))
	h("customers.manager", typed(func(s *Server, sess *Session, p ManagerParams) (any, error) {
		return s.p.SetCustomerManager(sess.get(), p.User, p.Manager)
	}))

	// the customer's own sign-in (public)
	s.handle("customers.redeem", true, typed(func(s *Server, sess *Session, p RedeemParams) (any, error) {
		ps, err := s.p.RedeemInvitationFrom(sess.client, p.Code, p.Password)
		if err != nil {
			return nil, err
		}
		sess.set(ps)
		return s.p.Status(ps)
	}))
	s.handle("customers.signin", true, typed(func(s *Server, sess *Session, p CustomerSignInParams) (any, error) {
		ps, err := s.p.CustomerSignInFrom(sess.client, p.Email, p.Password)
		if err != nil {
			return nil, err
		}
		sess.set(ps)
		return s.p.Status(ps)
	}))

	// the customer operations: a customer session only
	c := func(name string, fn handler) { s.ops[name] = op{customer: true, fn: fn} }
	c("my.licenses", typed(func(s *Server, sess *Session, p PageParams) (any, error) {
		return s.p.MyLicenses(sess.get(), p.Offset, p.Limit)
	}))
	c("my.license", typed(func(s *Server, sess *Session, p KeyParams) (any, error) {
		return s.p.MyLicense(sess.get(), p.Key)
	}))
	c("my.passwd", typed(func(s *Server, sess *Session, p MyPasswdParams) (any, error) {
		return nil, s.p.ChangeCustomerPassword(sess.get(), p.Password, p.NewPassword)
	}))
}
