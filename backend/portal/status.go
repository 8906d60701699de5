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
	Demo         bool     `json:"demo"` // a demo database (backend/demo): not for real customers
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
	if s != nil && p.auth(s) == nil {
		st.SignedIn, st.Admin = true, s.Admin()
	}
	return st, nil
}
