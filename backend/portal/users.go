package portal

import (
	"fmt"
	"sort"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// CreateUser adds a customer user (email unique, case-insensitively).
func (p *Portal) CreateUser(s *Session, in UserInput) (User, error) {
	if err := p.auth(s); err != nil {
		return User{}, err
	}
	name, err := cleanName("user name", in.Name, maxNameLen)
	if err != nil {
		return User{}, err
	}
	email, err := cleanEmail(in.Email)
	if err != nil {
		return User{}, err
	}
	var org uint64
	if in.Org != "" {
		if org, err = parseID(kindOrg, in.Org); err != nil {
			return User{}, err
		}
	}
	var out User
	err = p.update(func(tx *bolt.Tx) error {
		c := custBuckets(tx)
		if c.email.Get([]byte(email)) != nil {
			return fmt.Errorf("%w: %s", ErrEmailTaken, email)
		}
		if org != 0 {
			if _, err := c.org(org); err != nil {
				return err
			}
		}
		id, err := c.users.NextSequence()
		if err != nil {
			return err
		}
		u := userRec{Name: name, Email: email, Org: org, Created: p.now()}
		if err := c.putUser(id, nil, u); err != nil {
			return err
		}
		out = p.userView(tx, id, u)
		return p.audit(tx, s.Admin(), "user.create", "user:"+out.ID, name+" <"+email+">")
	})
	if err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return out, nil
}

// putUser writes u and its index entries, removing those of old.
func (c custTx) putUser(id uint64, old *userRec, u userRec) error {
	ref := refString(kindUser, id)
	if old != nil {
		if err := c.indexName(ref, old.Name, false); err != nil {
			return err
		}
		if err := c.email.Delete([]byte(old.Email)); err != nil {
			return err
		}
		if old.Org != 0 {
			if err := c.memb.Delete(store.Key(store.U64(old.Org), store.U64(id))); err != nil {
				return err
			}
		}
	}
	if err := putJSON(c.users, store.U64(id), u); err != nil {
		return err
	}
	if err := c.indexName(ref, u.Name, true); err != nil {
		return err
	}
	if err := c.email.Put([]byte(u.Email), store.U64(id)); err != nil {
		return err
	}
	if u.Org != 0 {
		return c.memb.Put(store.Key(store.U64(u.Org), store.U64(id)), nil)
	}
	return nil
}

// UpdateUser changes a user's name, email or organization.
func (p *Portal) UpdateUser(s *Session, id string, up UserUpdate) (User, error) {
	if err := p.auth(s); err != nil {
		return User{}, err
	}
	n, err := parseID(kindUser, id)
	if err != nil {
		return User{}, err
	}
	var name, email string
	if up.Name != nil {
		if name, err = cleanName("user name", *up.Name, maxNameLen); err != nil {
			return User{}, err
		}
	}
	if up.Email != nil {
		if email, err = cleanEmail(*up.Email); err != nil {
			return User{}, err
		}
	}
	var org uint64
	if up.Org != nil && *up.Org != "" {
		if org, err = parseID(kindOrg, *up.Org); err != nil {
			return User{}, err
		}
	}
	var out User
	err = p.update(func(tx *bolt.Tx) error {
		c := custBuckets(tx)
		old, err := c.user(n)
		if err != nil {
			return err
		}
		u := old
		if up.Name != nil {
			u.Name = name
		}
		if up.Email != nil && email != old.Email {
			if c.email.Get([]byte(email)) != nil {
				return fmt.Errorf("%w: %s", ErrEmailTaken, email)
			}
			u.Email = email
		}
		if up.Org != nil {
			if org != 0 {
				if _, err := c.org(org); err != nil {
					return err
				}
			}
			u.Org = org
		}
		if err := c.putUser(n, &old, u); err != nil {
			return err
		}
		if u.Org != old.Org {
			// a manager of the old organization is no manager of the new one
			if err := p.dropManager(tx, s, n, old.Org); err != nil {
				return err
			}
		}
		out = p.userView(tx, n, u)
		return p.audit(tx, s.Admin(), "user.update", "user:"+out.ID, fmt.Sprintf("%s <%s> org %q", u.Name, u.Email, out.Org))
	})
	if err != nil {
		return User{}, fmt.Errorf("update user: %w", err)
	}
	return out, nil
}

// GetUser returns one user.
func (p *Portal) GetUser(s *Session, id string) (User, error) {
	if err := p.auth(s); err != nil {
		return User{}, err
	}
	n, err := parseID(kindUser, id)
	if err != nil {
		return User{}, err
	}
	var out User
	err = p.view(func(tx *bolt.Tx) error {
		u, err := custBuckets(tx).user(n)
		if err == nil {
			out = p.userView(tx, n, u)
		}
		return err
	})
	return out, err
}

// UserQuery selects users: of one organization, matching a search term
// (a word of the name or the start of the email, or an organization name
// for its users), a page of them. Users come sorted by name.
type UserQuery struct {
	Org    string `json:"org"`
	Search string `json:"search"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"` // 0: all
}

// ListUsers lists users by name; org limits it to one organization's users.
func (p *Portal) ListUsers(s *Session, org string) ([]User, error) {
	return p.QueryUsers(s, UserQuery{Org: org})
}

// QueryUsers lists the users q selects.
func (p *Portal) QueryUsers(s *Session, q UserQuery) ([]User, error) {
	if err := p.auth(s); err != nil {
		return nil, err
	}
	if q.Offset < 0 || q.Limit < 0 {
		return nil, fmt.Errorf("%w: offset and limit must not be negative", ErrInvalidInput)
	}
	if len(q.Search) > maxNameLen {
		return nil, fmt.Errorf("%w: search term longer than %d characters", ErrInvalidInput, maxNameLen)
	}
	var orgID uint64
	if q.Org != "" {
		var err error
		if orgID, err = parseID(kindOrg, q.Org); err != nil {
			return nil, err
		}
	}
	out := []User{}
	err := p.view(func(tx *bolt.Tx) error {
		c := custBuckets(tx)
		if orgID != 0 {
			if _, err := c.org(orgID); err != nil {
				return err
			}
		}
		add := func(id uint64, u userRec) {
			if orgID == 0 || u.Org == orgID {
				out = append(out, p.userView(tx, id, u))
			}
		}
		if q.Search != "" {
			for _, ref := range matchCustomers(tx, q.Search, 1000) {
				kind, id, err := splitRef(ref)
				if err != nil || kind != kindUser {
					continue
				}
				u, err := c.user(id)
				if err != nil {
					return err
				}
				add(id, u)
			}
			return nil
		}
		return c.users.ForEach(func(k, v []byte) error {
			var u userRec
			if _, err := getJSON(c.users, k, &u); err != nil {
				return err
			}
			add(store.ID(k), u)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if q.Offset >= len(out) {
		return []User{}, nil
	}
	out = out[q.Offset:]
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// DeleteUser removes a user. It is refused while the user holds licenses,
// unless revoke is set: then those licenses are revoked in the same
// transaction (a license with live activations still refuses).
func (p *Portal) DeleteUser(s *Session, id string, revoke bool) error {
	if err := p.auth(s); err != nil {
		return err
	}
	n, err := parseID(kindUser, id)
	if err != nil {
		return err
	}
	err = p.update(func(tx *bolt.Tx) error {
		c := custBuckets(tx)
		u, err := c.user(n)
		if err != nil {
			return err
		}
		ref := refString(kindUser, n)
		if err := p.releaseLicenses(tx, s, ref, revoke); err != nil {
			return err
		}
		if err := c.indexName(ref, u.Name, false); err != nil {
			return err
		}
		if err := c.email.Delete([]byte(u.Email)); err != nil {
			return err
		}
		if u.Org != 0 {
			if err := c.memb.Delete(store.Key(store.U64(u.Org), store.U64(n))); err != nil {
				return err
			}
		}
		if err := c.users.Delete(store.U64(n)); err != nil {
			return err
		}
		if err := deleteAccount(tx, n); err != nil {
			return err
		}
		return p.audit(tx, s.Admin(), "user.delete", "user:"+ref, u.Name+" <"+u.Email+">")
	})
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	p.revokeSessions(customerActor(n)) // the user's customer sessions end
	return nil
}

// dropManager takes the manager flag of user n's customer account away (the
// user left organization org), recorded in the audit log.
func (p *Portal) dropManager(tx *bolt.Tx, s *Session, n, org uint64) error {
	a, ok, err := getAccount(tx, n)
	if err != nil || !ok || !a.Manager {
		return err
	}
	a.Manager = false
	if err := putAccount(tx, n, a); err != nil {
		return err
	}
	return p.audit(tx, s.Admin(), "customer.manager", "user:"+refString(kindUser, n), fmt.Sprintf("manager false of %s (moved)", refString(kindOrg, org)))
}
