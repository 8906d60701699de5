package portal

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// admin is the stored account. WrappedKey is the portal's data key sealed
// under the admin's password (Argon2id + XChaCha20-Poly1305, backend/seal):
// opening it is the password check, and the data key opens the reseller
// signing key. Adding or removing an admin or changing a password rewraps
// the data key only; the reseller key never changes.
type admin struct {
	Name        string    `json:"name"`
	Role        string    `json:"role"`
	WrappedKey  []byte    `json:"wrapped_key"`
	Failures    int       `json:"failures,omitempty"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
	Created     time.Time `json:"created"`
}

// reseller is the meta record of the portal's own identity.
type reseller struct {
	Name      string    `json:"name"`
	Created   time.Time `json:"created"`
	PublicKey []byte    `json:"public_key"`
	SealedKey []byte    `json:"sealed_key"` // private key sealed under the data key
}

var (
	metaReseller = []byte("reseller")
	keyAAD       = []byte("reseller-portal/reseller-signing-key/v1")
)

// AdminInfo is an account as shown to callers.
type AdminInfo struct {
	Name    string    `json:"name"`
	Role    string    `json:"role"`
	Locked  bool      `json:"locked"`
	Created time.Time `json:"created"`
	// LockedUntil is when a locked account unlocks (absent when not locked).
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

const minPassword = 8

func checkPassword(pw string) error {
	if len([]rune(pw)) < minPassword {
		return ErrWeakPassword
	}
	if len(pw) > 1024 {
		return fmt.Errorf("%w: password longer than 1024 bytes", ErrInvalidInput)
	}
	return nil
}

// Setup is the first run: it creates the reseller, its Ed25519 key pair and
// the first admin, and returns that admin's session.
func (p *Portal) Setup(resellerName, adminName, password string) (*Session, error) {
	name, err := cleanName("reseller name", resellerName, maxNameLen)
	if err != nil {
		return nil, err
	}
	if err := checkAdminName(adminName); err != nil {
		return nil, err
	}
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	// the state first: an initialized portal answers at once, before any
	// key generation or password work (an anonymous caller could otherwise
	// burn Argon2id time for nothing)
	err = p.view(func(tx *bolt.Tx) error {
		if tx.Bucket(store.BucketMeta).Get(metaReseller) != nil {
			return ErrAlreadyInitialized
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	dataKey := make([]byte, seal.KeySize)
	defer clear(dataKey) // the data key never outlives its use
	if _, err := rand.Read(dataKey); err != nil {
		return nil, err
	}
	sealedKey, err := seal.SealWithKey(dataKey, priv, keyAAD)
	if err != nil {
		return nil, err
	}
	wrapped, err := seal.Seal(dataKey, []byte(password), p.opts.kdf)
	if err != nil {
		return nil, err
	}
	now := p.now()
	err = p.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(store.BucketMeta)
		if meta.Get(metaReseller) != nil {
			return ErrAlreadyInitialized
		}
		if err := putJSON(meta, metaReseller, reseller{Name: name, Created: now, PublicKey: pub, SealedKey: sealedKey}); err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(store.BucketAdmins), []byte(adminName), admin{Name: adminName, Role: RoleResellerAdmin, WrappedKey: wrapped, Created: now}); err != nil {
			return err
		}
		return p.audit(tx, adminName, "portal.setup", "reseller:"+name, "first admin "+adminName)
	})
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	return p.newSession(adminName, RoleResellerAdmin, priv), nil
}

func (p *Portal) newSession(name, role string, priv ed25519.PrivateKey) *Session {
	now := p.now()
	return &Session{admin: name, role: role, signer: priv, gen: p.sessionGen.Add(1), lastUsed: now}
}

// SignIn is SignInFrom for the local client (desktop, rpctl).
func (p *Portal) SignIn(adminName, password string) (*Session, error) {
	return p.SignInFrom(LocalClient, adminName, password)
}

// SignInFrom checks an admin's password and unlocks the reseller key into a
// new session. Failures are throttled per client (LocalClient, or
// RemoteClient(address)): each slows that client's next attempt, and after
// LockAfterFailures that client — only that one — is refused for
// LockDuration before any password work. Remote failures on an account also
// slow further remote attempts on it, never local ones. An unknown admin
// name and a wrong password get the same answer (wrong_password) after the
// same work.
func (p *Portal) SignInFrom(client, adminName, password string) (*Session, error) {
	var a admin
	var r reseller
	var known bool
	err := p.view(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx.Bucket(store.BucketMeta), metaReseller, &r)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotInitialized
		}
		b := tx.Bucket(store.BucketAdmins)
		known, err = getJSON(b, []byte(adminName), &a)
		if err != nil {
			return err
		}
		if !known {
			// the same password work as for a real account: any admin's wrap
			_, v := b.Cursor().First()
			if v != nil {
				_ = json.Unmarshal(v, &a)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	now := p.now()
	locked, failures := p.throttle.check(client, adminName, now)
	if locked {
		return nil, fmt.Errorf("sign in: %w", ErrAccountLocked)
	}
	if failures > 0 && p.opts.failDelay > 0 {
		p.opts.sleep(min(time.Duration(failures)*p.opts.failDelay, MaxSignInDelay))
	}
	dataKey, err := seal.Open(a.WrappedKey, []byte(password))
	if !known || errors.Is(err, seal.ErrWrongPassphrase) {
		clear(dataKey)
		if p.throttle.fail(client, adminName, now) {
			_ = p.update(func(tx *bolt.Tx) error {
				return p.audit(tx, "", "signin.blocked", "client:"+clientLabel(client),
					fmt.Sprintf("%d failed sign-ins; refused for %s", LockAfterFailures, LockDuration))
			})
		}
		return nil, fmt.Errorf("sign in: %w", ErrWrongPassword)
	}
	if err != nil {
		return nil, fmt.Errorf("sign in: %w: %v", ErrKeyDamaged, err)
	}
	priv, err := seal.OpenWithKey(dataKey, r.SealedKey, keyAAD)
	clear(dataKey)
	if err != nil || len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("sign in: %w", ErrKeyDamaged)
	}
	p.throttle.succeed(client, adminName)
	return p.newSession(a.Name, a.Role, ed25519.PrivateKey(priv)), nil
}

func clientLabel(client string) string {
	if client == LocalClient {
		return "local"
	}
	return strings.TrimPrefix(client, "remote:")
}

func (p *Portal) mutateAdmin(tx *bolt.Tx, name string, fn func(a *admin)) error {
	b := tx.Bucket(store.BucketAdmins)
	var a admin
	ok, err := getJSON(b, []byte(name), &a)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %q", ErrAdminNotFound, name)
	}
	fn(&a)
	return putJSON(b, []byte(name), a)
}

// openDataKey opens the data key with an admin's password. Sessions keep
// only the signing key, so account changes ask the acting admin's password.
func (p *Portal) openDataKey(tx *bolt.Tx, name, password string) ([]byte, error) {
	var a admin
	ok, err := getJSON(tx.Bucket(store.BucketAdmins), []byte(name), &a)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrAdminNotFound, name)
	}
	dk, err := seal.Open(a.WrappedKey, []byte(password))
	if errors.Is(err, seal.ErrWrongPassphrase) {
		return nil, ErrWrongPassword
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyDamaged, err)
	}
	return dk, nil
}

// Admins lists the admin accounts with their state (Status lists just the
// names, for the sign-in screen).
func (p *Portal) Admins(s *Session) ([]AdminInfo, error) {
	if err := p.auth(s); err != nil {
		return nil, err
	}
	out := []AdminInfo{}
	now := p.now()
	err := p.view(func(tx *bolt.Tx) error {
		return tx.Bucket(store.BucketAdmins).ForEach(func(k, v []byte) error {
			var a admin
			if _, err := getJSON(tx.Bucket(store.BucketAdmins), k, &a); err != nil {
				return err
			}
			info := AdminInfo{Name: a.Name, Role: a.Role, Locked: now.Before(a.LockedUntil), Created: a.Created}
			if info.Locked {
				info.LockedUntil = a.LockedUntil.UTC()
			}
			out = append(out, info)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// AddAdmin creates another reseller-admin account. The caller proves it can
// open the data key with its own password; the new account gets its own wrap.
func (p *Portal) AddAdmin(s *Session, callerPassword, name, password string) (AdminInfo, error) {
	if err := p.auth(s); err != nil {
		return AdminInfo{}, err
	}
	if err := checkAdminName(name); err != nil {
		return AdminInfo{}, err
	}
	if err := checkPassword(password); err != nil {
		return AdminInfo{}, err
	}
	now := p.now()
	var info AdminInfo
	err := p.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(store.BucketAdmins)
		if b.Get([]byte(name)) != nil {
			return fmt.Errorf("%w: %q", ErrAdminExists, name)
		}
		dk, err := p.openDataKey(tx, s.Admin(), callerPassword)
		if err != nil {
			return err
		}
		defer clear(dk)
		wrapped, err := seal.Seal(dk, []byte(password), p.opts.kdf)
		if err != nil {
			return err
		}
		a := admin{Name: name, Role: RoleResellerAdmin, WrappedKey: wrapped, Created: now}
		if err := putJSON(b, []byte(name), a); err != nil {
			return err
		}
		info = AdminInfo{Name: name, Role: a.Role, Created: now}
		return p.audit(tx, s.Admin(), "admin.add", "admin:"+name, "")
	})
	if err != nil {
		return AdminInfo{}, fmt.Errorf("add admin: %w", err)
	}
	return info, nil
}

// RemoveAdmin deletes an account (never the last one) and ends its sessions.
func (p *Portal) RemoveAdmin(s *Session, name string) error {
	if err := p.auth(s); err != nil {
		return err
	}
	err := p.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(store.BucketAdmins)
		if b.Get([]byte(name)) == nil {
			return fmt.Errorf("%w: %q", ErrAdminNotFound, name)
		}
		if b.Stats().KeyN <= 1 {
			return ErrLastAdmin
		}
		if err := b.Delete([]byte(name)); err != nil {
			return err
		}
		return p.audit(tx, s.Admin(), "admin.remove", "admin:"+name, "")
	})
	if err != nil {
		return fmt.Errorf("remove admin: %w", err)
	}
	p.revokeSessions(name)
	return nil
}

// ChangePassword rewraps the data key of account name under a new password.
// The caller proves itself with its own current password (which is the
// target's when an admin changes their own).
func (p *Portal) ChangePassword(s *Session, callerPassword, name, newPassword string) error {
	if err := p.auth(s); err != nil {
		return err
	}
	if err := checkPassword(newPassword); err != nil {
		return err
	}
	err := p.update(func(tx *bolt.Tx) error {
		dk, err := p.openDataKey(tx, s.Admin(), callerPassword)
		if err != nil {
			return err
		}
		defer clear(dk)
		wrapped, err := seal.Seal(dk, []byte(newPassword), p.opts.kdf)
		if err != nil {
			return err
		}
		if err := p.mutateAdmin(tx, name, func(a *admin) {
			a.WrappedKey, a.Failures, a.LockedUntil = wrapped, 0, time.Time{}
		}); err != nil {
			return err
		}
		return p.audit(tx, s.Admin(), "admin.passwd", "admin:"+name, "")
	})
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	// every other session of that account ends (a thief's among them); the
	// caller's own stays signed in
	p.revokeSessions(name)
	s.mu.Lock()
	s.gen = p.sessionGen.Add(1)
	s.mu.Unlock()
	return nil
}
