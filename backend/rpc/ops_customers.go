package rpc

import "github.com/resellerportal/portal/backend/portal"

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

// ApproveParams approve a customer request; QR adds the response's QR PNG.
type ApproveParams struct {
	ID string `json:"id"`
	QR bool   `json:"qr"`
}

// RejectParams reject a customer request with a reason the customer sees.
type RejectParams struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// SigningModeParams choose how customers' requests are signed.
type SigningModeParams struct {
	Mode string `json:"mode"` // approval or immediate
}

// PasswordParams carry the signed-in admin's password.
type PasswordParams struct {
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

	// admin operations on customers' requests and on customer signing
	h("requests.list", typed(func(s *Server, sess *Session, q portal.RequestQuery) (any, error) {
		return s.p.ListRequests(sess.get(), q)
	}))
	h("requests.approve", typed(func(s *Server, sess *Session, p ApproveParams) (any, error) {
		return s.p.ApproveRequest(sess.get(), p.ID, p.QR)
	}))
	h("requests.reject", typed(func(s *Server, sess *Session, p RejectParams) (any, error) {
		return s.p.RejectRequest(sess.get(), p.ID, p.Reason)
	}))
	h("signing.status", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.SigningStatus(sess.get())
	}))
	h("signing.mode", typed(func(s *Server, sess *Session, p SigningModeParams) (any, error) {
		return s.p.SetSigningMode(sess.get(), p.Mode)
	}))
	h("signing.unlock", typed(func(s *Server, sess *Session, p PasswordParams) (any, error) {
		return s.p.UnlockCustomerSigning(sess.get(), p.Password)
	}))
	h("signing.lock", typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return s.p.LockCustomerSigning(sess.get())
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
	c("my.activation.preview", typed(func(s *Server, sess *Session, p DocParams) (any, error) {
		b, err := p.bytes()
		if err != nil {
			return nil, err
		}
		return s.p.MyPreviewActivation(sess.get(), b)
	}))
	c("my.activate", typed(func(s *Server, sess *Session, p DocParams) (any, error) {
		b, err := p.bytes()
		if err != nil {
			return nil, err
		}
		return s.p.MyActivate(sess.get(), b, p.QR)
	}))
	c("my.requests", typed(func(s *Server, sess *Session, p PageParams) (any, error) {
		return s.p.MyRequests(sess.get(), p.Offset, p.Limit)
	}))
	c("my.request", typed(func(s *Server, sess *Session, p ApproveParams) (any, error) {
		return s.p.MyRequest(sess.get(), p.ID, p.QR)
	}))
	c("my.request.sheet", typed(func(s *Server, sess *Session, p IDParams) (any, error) {
		d, err := s.p.MyRequestSheetData(sess.get(), p.ID)
		if err != nil {
			return nil, err
		}
		return renderSheet(d)
	}))
	c("my.deactivation.preview", typed(func(s *Server, sess *Session, p DocParams) (any, error) {
		b, err := p.bytes()
		if err != nil {
			return nil, err
		}
		return s.p.MyPreviewDeactivation(sess.get(), b)
	}))
	c("my.deactivate", typed(func(s *Server, sess *Session, p DocParams) (any, error) {
		b, err := p.bytes()
		if err != nil {
			return nil, err
		}
		return s.p.MyDeactivate(sess.get(), b)
	}))
}
