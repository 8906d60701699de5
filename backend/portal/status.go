package portal

import (
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// Status is what the first screen needs before anyone signs in.
type Status struct {
	Initialized  bool     `json:"initialized"`
	ResellerName string   `json:"reseller_name"`
	Enrolled     bool     `json:"enrolled"`
	Admins       []string `json:"admins"`
	SignedIn     bool     `json:"signed_in"`
	Admin        string   `json:"admin"`
	// Role is the signed-in session's role: reseller-admin or customer ("" signed out).
	Role string `json:"role"`
	// Customer is the signed-in customer (null unless Role is customer).
	Customer *StatusCustomer `json:"customer"`
	Demo     bool            `json:"demo"` // a demo database (backend/demo): not for real customers
}

// StatusCustomer is the signed-in customer, for the UI to route to #/my/….
type StatusCustomer struct {
	User    string `json:"user"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	Org     string `json:"org,omitempty"`
	OrgName string `json:"org_name,omitempty"`
	Manager bool   `json:"manager"` // manager of Org: sees its licenses
}

// Status reports the portal's state and whether s is a live session. It
// needs no session (s may be nil).
func (p *Portal) Status(s *Session) (Status, error) {
	st := Status{Admins: []string{}}
	err := p.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(store.BucketMeta)
		var r reseller
		ok, err := getJSON(meta, metaReseller, &r)
		if err != nil {
			return err
		}
		st.Initialized, st.ResellerName = ok, r.Name
		st.Enrolled = meta.Get(metaEnrollment) != nil
		st.Demo = meta.Get(metaDemo) != nil
		return tx.Bucket(store.BucketAdmins).ForEach(func(k, _ []byte) error {
			st.Admins = append(st.Admins, string(k))
			return nil
		})
	})
	if err != nil {
		return st, err
	}
	if s == nil {
		return st, nil
	}
	role, id, err := p.live(s)
	switch {
	case err != nil:
	case role == RoleResellerAdmin:
		st.SignedIn, st.Admin, st.Role = true, s.Admin(), role
	case role == RoleCustomer:
		err = p.view(func(tx *bolt.Tx) error {
			sc, err := p.customerScope(tx, id)
			if err != nil {
				return err
			}
			u, err := custBuckets(tx).user(id)
			if err != nil {
				return err
			}
			v := p.userView(tx, id, u)
			st.Customer = &StatusCustomer{User: v.ID, Name: v.Name, Email: v.Email, Org: v.Org, OrgName: v.OrgName, Manager: sc.manager}
			return nil
		})
		if err == nil {
			st.SignedIn, st.Role = true, role
			st.Admins = []string{} // customers never see the admins
		} else {
			st.Customer = nil
		}
	}
	return st, nil
}
