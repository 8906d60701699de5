package portal

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// A customer account lets one customer user (u<n>) sign in to the portal
// (serve mode) and see their own licenses. The admin invites the user: a
// one-time code, shown once, valid InvitationTTL; redeeming it sets the
// account's password. Only the SHA-256 of a code is stored.

// InvitationTTL is how long an invitation code can be redeemed.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation codes: inviteChars characters of Crockford's base32 (5 bits
// each: 100 random bits), shown in groups of five.
const (
	inviteAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	inviteChars    = 20
	maxInviteInput = 128
)

// Customer account states (CustomerAccount.State).
const (
	AccountNone              = "none"
	AccountInvited           = "invited"
	AccountInvitationExpired = "invitation_expired"
	AccountActive            = "active"
	AccountDisabled          = "disabled"
)

// passwordSecret: a customer's password check is a seal
// (Argon2id + XChaCha20-Poly1305, as the admins' wraps) of a fixed secret;
// opening it is the check. Customers unlock nothing.
var passwordSecret = []byte("reseller-portal/customer-password/v1")

// customerAccount is the stored account of a user (key: the user id).
type customerAccount struct {
	Password      []byte    `json:"password,omitempty"`
	InviteHash    []byte    `json:"invite_hash,omitempty"`
	InviteExpires time.Time `json:"invite_expires,omitzero"`
	Disabled      bool      `json:"disabled,omitempty"`
	Manager       bool      `json:"manager,omitempty"`
	Created       time.Time `json:"created"`
	Activated     time.Time `json:"activated,omitzero"`
	LastSignIn    time.Time `json:"last_signin,omitzero"`
}

// CustomerAccount is an account as admins see it.
type CustomerAccount struct {
	User              string     `json:"user"`
	State             string     `json:"state"` // none, invited, invitation_expired, active, disabled
	Manager           bool       `json:"manager"`
	InvitationExpires *time.Time `json:"invitation_expires"` // a pending invitation's end, else null
	Activated         *time.Time `json:"activated"`          // first redeemed, else null
	LastSignIn        *time.Time `json:"last_signin"`        // null: never
}

// Invitation is a new invitation code: shown once, never stored.
type Invitation struct {
	User    string    `json:"user"`
	Code    string    `json:"code"`
	Expires time.Time `json:"expires"`
}

// customerActor is a customer's name in the audit log and for revocation.
func customerActor(id uint64) string { return "customer:" + refString(kindUser, id) }

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func (a *customerAccount) view(id uint64, now time.Time) CustomerAccount {
	out := CustomerAccount{User: refString(kindUser, id), State: AccountNone, Manager: a.Manager,
		Activated: timePtr(a.Activated), LastSignIn: timePtr(a.LastSignIn)}
	pending := a.InviteHash != nil && now.Before(a.InviteExpires)
	switch {
	case a.Disabled:
		out.State = AccountDisabled
	case a.Password != nil:
		out.State = AccountActive
	case pending:
		out.State = AccountInvited
	case a.InviteHash != nil:
		out.State = AccountInvitationExpired
	}
	if pending && !a.Disabled {
		out.InvitationExpires = timePtr(a.InviteExpires)
	}
	return out
}

func getAccount(tx *bolt.Tx, id uint64) (customerAccount, bool, error) {
	var a customerAccount
	ok, err := getJSON(tx.Bucket(store.BucketCustAccounts), store.U64(id), &a)
	return a, ok, err
}

func putAccount(tx *bolt.Tx, id uint64, a customerAccount) error {
	return putJSON(tx.Bucket(store.BucketCustAccounts), store.U64(id), a)
}

// deleteAccount removes a user's account and its pending invitation (the
// user is being deleted).
func deleteAccount(tx *bolt.Tx, id uint64) error {
	a, ok, err := getAccount(tx, id)
	if err != nil || !ok {
		return err
	}
	if a.InviteHash != nil {
		if err := tx.Bucket(store.BucketCustInvites).Delete(a.InviteHash); err != nil {
			return err
		}
	}
	return tx.Bucket(store.BucketCustAccounts).Delete(store.U64(id))
}

func newInviteCode() (string, error) {
	b := make([]byte, inviteChars)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(inviteAlphabet[c&31]) // 256 is a multiple of 32: uniform
	}
	return sb.String(), nil
}

// inviteHash is the SHA-256 of a code in its normal form (upper case, no
// separators; O read as 0, I and L as 1), or nil when code cannot be one.
func inviteHash(code string) []byte {
	if len(code) > maxInviteInput {
		return nil
	}
	norm := make([]byte, 0, inviteChars)
	for _, r := range strings.ToUpper(code) {
		switch r {
		case '-', ' ', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 'Z' || !strings.ContainsRune(inviteAlphabet, r) {
			return nil
		}
		norm = append(norm, byte(r))
	}
	if len(norm) != inviteChars {
		return nil
	}
	h := sha256.Sum256(norm)
	return h[:]
}

// CustomerAccountOf returns a user's customer account (state none when the
// user was never invited).
func (p *Portal) CustomerAccountOf(s *Session, user string) (CustomerAccount, error) {
	if err := p.auth(s); err != nil {
		return CustomerAccount{}, err
	}
	n, err := parseID(kindUser, user)
	if err != nil {
		return CustomerAccount{}, err
	}
	var out CustomerAccount
	err = p.view(func(tx *bolt.Tx) error {
		if _, err := custBuckets(tx).user(n); err != nil {
			return err
		}
		a, _, err := getAccount(tx, n)
		out = a.view(n, p.now())
		return err
	})
	return out, err
}

// InviteCustomer makes a new invitation code for a user (replacing any
// earlier one), valid InvitationTTL. The code is returned once; only its
// SHA-256 is kept. Inviting an active account lets the user set a new
// password with the code (the old one works until then). A disabled account
// is refused: enable it first.
func (p *Portal) InviteCustomer(s *Session, user string) (Invitation, error) {
	if err := p.auth(s); err != nil {
		return Invitation{}, err
	}
	n, err := parseID(kindUser, user)
	if err != nil {
		return Invitation{}, err
	}
	code, err := newInviteCode()
	if err != nil {
		return Invitation{}, err
	}
	hash := inviteHash(code)
	now := p.now()
	out := Invitation{User: refString(kindUser, n), Code: code, Expires: now.Add(InvitationTTL)}
	err = p.update(func(tx *bolt.Tx) error {
		if _, err := custBuckets(tx).user(n); err != nil {
			return err
		}
		a, ok, err := getAccount(tx, n)
		if err != nil {
			return err
		}
		if a.Disabled {
			return ErrCustomerDisabled
		}
		if !ok {
			a.Created = now
		}
		inv := tx.Bucket(store.BucketCustInvites)
		if a.InviteHash != nil {
			if err := inv.Delete(a.InviteHash); err != nil {
				return err
			}
		}
		if inv.Get(hash) != nil {
			return fmt.Errorf("invitation code collision") // 2^-100: never
		}
		a.InviteHash, a.InviteExpires = hash, out.Expires
		if err := inv.Put(hash, store.U64(n)); err != nil {
			return err
		}
		if err := putAccount(tx, n, a); err != nil {
			return err
		}
		return p.audit(tx, s.Admin(), "customer.invite", "user:"+out.User, "expires "+out.Expires.Format(time.RFC3339))
	})
	if err != nil {
		return Invitation{}, fmt.Errorf("invite customer: %w", err)
	}
	return out, nil
}

// SetCustomerDisabled disables (every session of the account ends, a
// pending invitation is void) or enables a customer account.
func (p *Portal) SetCustomerDisabled(s *Session, user string, disabled bool) (CustomerAccount, error) {
	out, err := p.mutateAccount(s, user, func(tx *bolt.Tx, n uint64, u userRec, a *customerAccount) (bool, error) {
		if a.Disabled == disabled {
			return false, nil
		}
		a.Disabled = disabled
		obj := "user:" + refString(kindUser, n)
		if !disabled {
			return true, p.audit(tx, s.Admin(), "customer.enable", obj, "")
		}
		if a.InviteHash != nil {
			if err := tx.Bucket(store.BucketCustInvites).Delete(a.InviteHash); err != nil {
				return false, err
			}
			a.InviteHash, a.InviteExpires = nil, time.Time{}
		}
		return true, p.audit(tx, s.Admin(), "customer.disable", obj, "")
	})
	if err == nil && disabled {
		n, _ := parseID(kindUser, user)
		p.revokeSessions(customerActor(n))
	}
	return out, err
}

// SetCustomerManager makes a user the manager of their organization (they
// see its licenses and its users') or takes that away. Only a user in an
// organization can be one; moving the user to another organization (or out
// of one) takes it away too.
func (p *Portal) SetCustomerManager(s *Session, user string, manager bool) (CustomerAccount, error) {
	return p.mutateAccount(s, user, func(tx *bolt.Tx, n uint64, u userRec, a *customerAccount) (bool, error) {
		if manager && u.Org == 0 {
			return false, ErrNotInOrg
		}
		if a.Manager == manager {
			return false, nil
		}
		a.Manager = manager
		return true, p.audit(tx, s.Admin(), "customer.manager", "user:"+refString(kindUser, n),
			fmt.Sprintf("manager %t of %s", manager, refString(kindOrg, u.Org)))
	})
}

// mutateAccount runs fn on an existing account in one transaction and
// stores the account when fn reports a change (fn records it in the audit
// log).
func (p *Portal) mutateAccount(s *Session, user string, fn func(tx *bolt.Tx, n uint64, u userRec, a *customerAccount) (bool, error)) (CustomerAccount, error) {
	if err := p.auth(s); err != nil {
		return CustomerAccount{}, err
	}
	n, err := parseID(kindUser, user)
	if err != nil {
		return CustomerAccount{}, err
	}
	var out CustomerAccount
	err = p.update(func(tx *bolt.Tx) error {
		u, err := custBuckets(tx).user(n)
		if err != nil {
			return err
		}
		a, ok, err := getAccount(tx, n)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: %s", ErrCustomerAcctMissing, refString(kindUser, n))
		}
		changed, err := fn(tx, n, u, &a)
		if err != nil {
			return err
		}
		out = a.view(n, p.now())
		if !changed {
			return nil
		}
		return putAccount(tx, n, a)
	})
	if err != nil {
		return CustomerAccount{}, fmt.Errorf("customer account: %w", err)
	}
	return out, nil
}

// RedeemInvitationFrom redeems an invitation code: the account gets the
// password (same rules and Argon2id as the admins'), the code is used up,
// every other session of the account ends and a customer session starts.
// An unknown, used or expired code (or one of a disabled account) answers
// ErrInvitationInvalid after the same password work; failures are
// throttled per client like sign-ins.
func (p *Portal) RedeemInvitationFrom(client, code, password string) (*Session, error) {
	if err := checkPassword(password); err != nil {
		return nil, fmt.Errorf("redeem invitation: %w", err)
	}
	now := p.now()
	throttleKey := "redeem:" + client // slows only this client
	locked, failures := p.throttle.check(client, throttleKey, now)
	if locked {
		return nil, fmt.Errorf("redeem invitation: %w", ErrAccountLocked)
	}
	if failures > 0 && p.opts.failDelay > 0 {
		p.opts.sleep(min(time.Duration(failures)*p.opts.failDelay, MaxSignInDelay))
	}
	// the password work first, whatever the code
	wrap, err := seal.Seal(passwordSecret, []byte(password), p.opts.kdf)
	if err != nil {
		return nil, err
	}
	hash := inviteHash(code)
	var id uint64
	err = p.update(func(tx *bolt.Tx) error {
		if hash == nil {
			return ErrInvitationInvalid
		}
		inv := tx.Bucket(store.BucketCustInvites)
		v := inv.Get(hash)
		if len(v) != 8 {
			return ErrInvitationInvalid
		}
		id = store.ID(v)
		a, ok, err := getAccount(tx, id)
		if err != nil {
			return err
		}
		if !ok || a.Disabled || !bytes.Equal(a.InviteHash, hash) || !now.Before(a.InviteExpires) {
			return ErrInvitationInvalid
		}
		if _, err := custBuckets(tx).user(id); err != nil {
			return ErrInvitationInvalid
		}
		if err := inv.Delete(hash); err != nil {
			return err
		}
		a.Password, a.InviteHash, a.InviteExpires, a.LastSignIn = wrap, nil, time.Time{}, now
		if a.Activated.IsZero() {
			a.Activated = now
		}
		if err := putAccount(tx, id, a); err != nil {
			return err
		}
		return p.audit(tx, customerActor(id), "customer.redeem", "user:"+refString(kindUser, id), "")
	})
	if errors.Is(err, ErrInvitationInvalid) {
		p.throttleFailure(client, throttleKey, now)
		return nil, fmt.Errorf("redeem invitation: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("redeem invitation: %w", err)
	}
	p.throttle.succeed(client, throttleKey)
	p.revokeSessions(customerActor(id))
	return p.newCustomerSession(id), nil
}

// throttleFailure counts a failed attempt; when it locks the client, the
// audit log says so.
func (p *Portal) throttleFailure(client, account string, now time.Time) {
	if p.throttle.fail(client, account, now) {
		_ = p.update(func(tx *bolt.Tx) error {
			return p.audit(tx, "", "signin.blocked", "client:"+clientLabel(client),
				fmt.Sprintf("%d failed sign-ins; refused for %s", LockAfterFailures, LockDuration))
		})
	}
}

// CustomerSignInFrom signs a customer in with the email address of their
// user and their password. An unknown address, an account without a
// password and a wrong password all answer wrong_password after the same
// password work; a disabled account answers customer_disabled, only to the
// right password. Failures are throttled per client like admin sign-ins.
func (p *Portal) CustomerSignInFrom(client, email, password string) (*Session, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > maxEmailLen {
		email = email[:maxEmailLen]
	}
	var id uint64
	var wrap []byte
	known := false
	err := p.view(func(tx *bolt.Tx) error {
		if tx.Bucket(store.BucketMeta).Get(metaReseller) == nil {
			return ErrNotInitialized
		}
		if v := tx.Bucket(store.BucketCustEmail).Get([]byte(email)); len(v) == 8 {
			id = store.ID(v)
			a, ok, err := getAccount(tx, id)
			if err != nil {
				return err
			}
			if ok && a.Password != nil {
				known, wrap = true, bytes.Clone(a.Password)
			}
		}
		if !known {
			// the same password work as for a real account: an admin's wrap
			var ad admin
			if _, v := tx.Bucket(store.BucketAdmins).Cursor().First(); v != nil && json.Unmarshal(v, &ad) == nil {
				wrap = ad.WrappedKey
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("customer sign in: %w", err)
	}
	now := p.now()
	throttleKey := "customer:" + email
	locked, failures := p.throttle.check(client, throttleKey, now)
	if locked {
		return nil, fmt.Errorf("customer sign in: %w", ErrAccountLocked)
	}
	if failures > 0 && p.opts.failDelay > 0 {
		p.opts.sleep(min(time.Duration(failures)*p.opts.failDelay, MaxSignInDelay))
	}
	secret, err := seal.Open(wrap, []byte(password))
	clear(secret)
	if !known || errors.Is(err, seal.ErrWrongPassphrase) {
		p.throttleFailure(client, throttleKey, now)
		return nil, fmt.Errorf("customer sign in: %w", ErrWrongPassword)
	}
	if err != nil {
		return nil, fmt.Errorf("customer sign in: password record of %s unreadable: %v", refString(kindUser, id), err)
	}
	p.throttle.succeed(client, throttleKey)
	err = p.update(func(tx *bolt.Tx) error {
		a, ok, err := getAccount(tx, id)
		if err != nil {
			return err
		}
		if !ok || !bytes.Equal(a.Password, wrap) {
			return ErrWrongPassword // changed meanwhile
		}
		if a.Disabled {
			return ErrCustomerDisabled
		}
		a.LastSignIn = now
		if err := putAccount(tx, id, a); err != nil {
			return err
		}
		return p.audit(tx, customerActor(id), "customer.signin", "user:"+refString(kindUser, id), "client "+clientLabel(client))
	})
	if err != nil {
		return nil, fmt.Errorf("customer sign in: %w", err)
	}
	return p.newCustomerSession(id), nil
}

func (p *Portal) newCustomerSession(id uint64) *Session {
	return &Session{role: RoleCustomer, customer: id, gen: p.sessionGen.Add(1), lastUsed: p.now()}
}

// ChangeCustomerPassword changes a signed-in customer's own password: the
// current one is checked (the same Argon2id), the new one follows the
// admins' rules. Every other session of the account ends; the caller's own
// stays signed in. A wrong current password answers wrong_password and
// changes nothing.
func (p *Portal) ChangeCustomerPassword(s *Session, current, newPassword string) error {
	id, err := p.authCustomer(s)
	if err != nil {
		return err
	}
	if err := checkPassword(newPassword); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	var wrap []byte
	err = p.view(func(tx *bolt.Tx) error {
		if _, err := p.customerScope(tx, id); err != nil {
			return err
		}
		a, _, err := getAccount(tx, id)
		wrap = bytes.Clone(a.Password)
		return err
	})
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	secret, err := seal.Open(wrap, []byte(current))
	clear(secret)
	if errors.Is(err, seal.ErrWrongPassphrase) {
		return fmt.Errorf("change password: %w", ErrWrongPassword)
	}
	if err != nil {
		return fmt.Errorf("change password: password record of %s unreadable: %v", refString(kindUser, id), err)
	}
	newWrap, err := seal.Seal(passwordSecret, []byte(newPassword), p.opts.kdf)
	if err != nil {
		return err
	}
	err = p.update(func(tx *bolt.Tx) error {
		if _, err := p.customerScope(tx, id); err != nil {
			return err
		}
		a, _, err := getAccount(tx, id)
		if err != nil {
			return err
		}
		if !bytes.Equal(a.Password, wrap) {
			return ErrWrongPassword // changed meanwhile
		}
		a.Password = newWrap
		if err := putAccount(tx, id, a); err != nil {
			return err
		}
		return p.audit(tx, customerActor(id), "customer.passwd", "user:"+refString(kindUser, id), "")
	})
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	p.revokeSessions(customerActor(id))
	s.mu.Lock()
	s.gen = p.sessionGen.Add(1)
	s.mu.Unlock()
	return nil
}
