package portal

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// How a customer's activation request is signed (setting customer_signing).
//
// The reseller signing key is sealed under the admins' passwords, so a
// server with no admin at the keyboard cannot sign. The reseller chooses:
//
//   - SigningApproval (the default): a customer's request waits in a queue
//     until an admin approves it (signing it with their own session's key)
//     or rejects it with a reason. Nothing is ever signed without an admin.
//   - SigningImmediate: an admin unlocks customer signing for this running
//     process with their password (UnlockCustomerSigning, or rpctl portal
//     serve --unlock-customer-signing). The key then stays in this process's
//     memory, never on disk, until an admin locks it, the database is
//     restored or the process stops; customers' requests are signed at once,
//     within the license's limits, each audited with the customer as actor.
//     The trade-off: whoever controls the running server (or a customer
//     account's password) can obtain signatures for that customer's licenses
//     while it is unlocked — never more than the licenses' activation limits.
const (
	SigningApproval  = "approval"
	SigningImmediate = "immediate"
)

var setCustSigning = []byte("customer_signing")

// Refusals of customer signing.
var (
	ErrSigningLocked     = reply.New("customer_signing_locked", "customer signing is locked on this server: an admin must unlock it, or switch the portal to approval")
	ErrInvalidSigning    = reply.New("invalid_signing_mode", "customer signing must be approval or immediate")
	ErrRequestNotFound   = reply.New("request_not_found", "no such customer request")
	ErrRequestDecided    = reply.New("request_decided", "the request was already approved or rejected")
	ErrRequestNotOwned   = reply.New("request_not_owned", "the license no longer belongs to the customer who asked")
	ErrReasonRequired    = reply.New("reason_required", "give a reason for the customer (1 to 500 characters)")
	ErrRequestOtherOwner = reply.New("request_other_account", "this request was already submitted by another customer account")
)

// custSigner is the reseller key unlocked for customer signing in this
// process (nil: locked).
type custSigner struct {
	key ed25519.PrivateKey
	by  string
	at  time.Time
}

// SigningState is how customers' requests are signed right now.
type SigningState struct {
	Mode       string     `json:"mode"`     // approval or immediate
	Unlocked   bool       `json:"unlocked"` // immediate signing is unlocked in this process
	UnlockedBy string     `json:"unlocked_by,omitempty"`
	UnlockedAt *time.Time `json:"unlocked_at,omitempty"`
	Pending    int        `json:"pending"` // requests waiting for an admin
}

func signingMode(tx *bolt.Tx) string {
	if string(tx.Bucket(store.BucketSettings).Get(setCustSigning)) == SigningImmediate {
		return SigningImmediate
	}
	return SigningApproval
}

// customerKey returns the key unlocked for customer signing (nil: locked).
func (p *Portal) customerKey() ed25519.PrivateKey {
	p.custMu.Lock()
	defer p.custMu.Unlock()
	if p.cust == nil {
		return nil
	}
	return p.cust.key
}

// lockCustomerKey wipes the key unlocked for customer signing; it reports
// whether one was unlocked.
func (p *Portal) lockCustomerKey() bool {
	p.custMu.Lock()
	defer p.custMu.Unlock()
	if p.cust == nil {
		return false
	}
	clear(p.cust.key)
	p.cust = nil
	return true
}

// SigningStatus reports the mode, whether immediate signing is unlocked in
// this process, and how many requests wait (admins only).
func (p *Portal) SigningStatus(s *Session) (SigningState, error) {
	if err := p.auth(s); err != nil {
		return SigningState{}, err
	}
	var st SigningState
	err := p.view(func(tx *bolt.Tx) error {
		st.Mode = signingMode(tx)
		st.Pending = tx.Bucket(store.BucketCustReqOpen).Stats().KeyN
		return nil
	})
	p.custMu.Lock()
	if p.cust != nil {
		st.Unlocked, st.UnlockedBy, st.UnlockedAt = true, p.cust.by, timePtr(p.cust.at)
	}
	p.custMu.Unlock()
	return st, err
}

// SetSigningMode chooses approval or immediate customer signing. Switching
// to approval also locks a key unlocked for immediate signing.
func (p *Portal) SetSigningMode(s *Session, mode string) (SigningState, error) {
	if err := p.auth(s); err != nil {
		return SigningState{}, err
	}
	if mode != SigningApproval && mode != SigningImmediate {
		return SigningState{}, fmt.Errorf("%w: %q", ErrInvalidSigning, mode)
	}
	err := p.update(func(tx *bolt.Tx) error {
		if signingMode(tx) == mode {
			return nil
		}
		if err := tx.Bucket(store.BucketSettings).Put(setCustSigning, []byte(mode)); err != nil {
			return err
		}
		return p.audit(tx, s.Admin(), "signing.mode", "settings", mode)
	})
	if err != nil {
		return SigningState{}, fmt.Errorf("customer signing: %w", err)
	}
	if mode == SigningApproval && p.lockCustomerKey() {
		_ = p.update(func(tx *bolt.Tx) error {
			return p.audit(tx, s.Admin(), "signing.lock", "settings", "switched to approval")
		})
	}
	return p.SigningStatus(s)
}

// UnlockCustomerSigning unlocks the reseller key for immediate customer
// signing in this process, with the signed-in admin's password. It is
// refused unless the mode is immediate.
func (p *Portal) UnlockCustomerSigning(s *Session, password string) (SigningState, error) {
	if err := p.auth(s); err != nil {
		return SigningState{}, err
	}
	var priv []byte
	err := p.update(func(tx *bolt.Tx) error {
		if signingMode(tx) != SigningImmediate {
			return fmt.Errorf("%w: the portal is set to approval; choose immediate first", ErrInvalidSigning)
		}
		var r reseller
		if _, err := getJSON(tx.Bucket(store.BucketMeta), metaReseller, &r); err != nil {
			return err
		}
		dk, err := p.openDataKey(tx, s.Admin(), password)
		if err != nil {
			return err
		}
		priv, err = seal.OpenWithKey(dk, r.SealedKey, keyAAD)
		clear(dk)
		if err != nil || len(priv) != ed25519.PrivateKeySize {
			clear(priv)
			return ErrKeyDamaged
		}
		return p.audit(tx, s.Admin(), "signing.unlock", "settings", "immediate signing of customers' requests in this process")
	})
	if err != nil {
		return SigningState{}, fmt.Errorf("unlock customer signing: %w", err)
	}
	p.custMu.Lock()
	if p.cust != nil {
		clear(p.cust.key)
	}
	p.cust = &custSigner{key: priv, by: s.Admin(), at: p.now()}
	p.custMu.Unlock()
	return p.SigningStatus(s)
}

// LockCustomerSigning wipes the key unlocked for customer signing.
func (p *Portal) LockCustomerSigning(s *Session) (SigningState, error) {
	if err := p.auth(s); err != nil {
		return SigningState{}, err
	}
	if p.lockCustomerKey() {
		err := p.update(func(tx *bolt.Tx) error {
			return p.audit(tx, s.Admin(), "signing.lock", "settings", "")
		})
		if err != nil {
			return SigningState{}, err
		}
	}
	return p.SigningStatus(s)
}
