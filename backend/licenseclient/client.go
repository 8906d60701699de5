// Package licenseclient is the library a publisher embeds in its software
// to be activated offline through a reseller's portal:
//
//	c, err := licenseclient.New(licenseclient.Options{
//		StateDir:     dir,             // where the one state file lives
//		PublisherKey: publisherPub,    // the publisher's root key, embedded in the app
//	})
//	req, err := c.NewRequest("acme-cad", licenseKey)  // give req.Armor() or req.Compact() (QR) to the reseller
//	st, err := c.Install(responseBytes)                // the reseller's signed answer
//	st, err = c.Status()                               // st.Activated, st.Expires, st.Features
//	deact, err := c.Deactivate()                       // give deact to the reseller; the activation is gone
//
// Install verifies the whole chain against the publisher key: the reseller
// certificate the response carries is signed by that key, valid, and covers
// the product; the response is signed by the certified reseller key; it is
// bound to this machine's fingerprint, this installation's key and the
// nonce of the pending request; it is installed before its apply-by time
// and the license has not expired; and the clock has not been set back
// before the latest time the client has seen (ClockDrift allowed).
//
// The state (installation key, pending request, installed response, the
// latest time seen) is one JSON file written atomically with mode 0600.
package licenseclient

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

// DefaultClockDrift is how far the clock may seem to go back (or lag the
// reseller's) before Install and Status call it set back.
const DefaultClockDrift = 15 * time.Minute

// Options configure a Client.
type Options struct {
	// StateDir holds the state file (StateFileName). Required.
	StateDir string
	// PublisherKey is the publisher's root public key. Required by Install
	// and Status; see signdoc.ParsePublicKey for the key file.
	PublisherKey ed25519.PublicKey
	// MachineID replaces the operating system's machine id (tests, or one
	// host playing several machines). It is remembered in the state, so
	// later Clients on the same StateDir need not repeat it.
	MachineID string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// ClockDrift is the allowance for clock differences; DefaultClockDrift when 0.
	ClockDrift time.Duration
	// Hostname, OS and AppVersion are put into requests for the reseller
	// to see; Hostname and OS default to the machine's.
	Hostname, OS, AppVersion string
}

// Client is one installation's licensing state.
type Client struct {
	opts Options
	path string
}

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	if opts.StateDir == "" {
		return nil, fmt.Errorf("%w: StateDir is required", ErrInvalidArgument)
	}
	if opts.PublisherKey != nil && len(opts.PublisherKey) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: publisher key is %d bytes", signdoc.ErrPublicKeyInvalid, len(opts.PublisherKey))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ClockDrift <= 0 {
		opts.ClockDrift = DefaultClockDrift
	}
	if opts.Hostname == "" {
		opts.Hostname, _ = os.Hostname()
	}
	if opts.OS == "" {
		opts.OS = runtime.GOOS + "/" + runtime.GOARCH
	}
	return &Client{opts: opts, path: filepath.Join(opts.StateDir, StateFileName)}, nil
}

// StatePath is the path of the state file.
func (c *Client) StatePath() string { return c.path }

func (c *Client) now() time.Time { return c.opts.Now().UTC() }

// machineID resolves the machine id: the option, else the one remembered
// in the state, else the operating system's. It reports whether the state
// must remember a new override.
func (c *Client) machineID(s *state) (string, error) {
	if c.opts.MachineID != "" {
		s.MachineID = c.opts.MachineID
		return c.opts.MachineID, nil
	}
	if s.MachineID != "" {
		return s.MachineID, nil
	}
	return MachineID()
}

// NewRequest makes a signed activation request for licenseKey of product
// with a fresh installation key and nonce, and records it as pending (a
// previous pending request is replaced). It refuses while an activation is
// installed.
func (c *Client) NewRequest(product, licenseKey string) (*signdoc.Document, error) {
	if product == "" || licenseKey == "" {
		return nil, fmt.Errorf("%w: product and license key are required", ErrInvalidArgument)
	}
	s, err := loadState(c.path)
	if err != nil {
		return nil, err
	}
	if s.Activation != "" {
		return nil, ErrAlreadyActivated
	}
	mid, err := c.machineID(s)
	if err != nil {
		return nil, err
	}
	now := c.now()
	if err := c.checkClock(s, now); err != nil {
		return nil, err
	}
	seed := make([]byte, ed25519.SeedSize)
	nonce := make([]byte, 16)
	if _, err := rand.Read(seed); err != nil {
		return nil, err
	}
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	fp := signdoc.Fingerprint(product, mid)
	doc, err := signdoc.SignActivationRequest(ed25519.NewKeyFromSeed(seed), signdoc.ActivationRequest{
		Product: product, LicenseKey: licenseKey, Fingerprint: fp,
		Hostname: c.opts.Hostname, OS: c.opts.OS, AppVersion: c.opts.AppVersion,
		Nonce: nonce, CreatedAt: now,
	})
	if err != nil {
		return nil, err
	}
	s.InstallationSeed, s.Product, s.LicenseKey, s.Fingerprint, s.Nonce = seed, product, licenseKey, fp, nonce
	s.InstallationPub = signdoc.Bytes(ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey))
	s.RequestedAt, s.Deactivation = now.Truncate(time.Second), ""
	s.HighWater = later(s.HighWater, now)
	if err := saveState(c.path, s); err != nil {
		return nil, err
	}
	return doc, nil
}

// PendingRequest returns the pending request's product and license key.
func (c *Client) PendingRequest() (product, licenseKey string, ok bool, err error) {
	s, err := loadState(c.path)
	if err != nil {
		return "", "", false, err
	}
	return s.Product, s.LicenseKey, len(s.Nonce) > 0 && s.Activation == "", nil
}

func (c *Client) checkClock(s *state, now time.Time) error {
	if !s.HighWater.IsZero() && now.Before(s.HighWater.Add(-c.opts.ClockDrift)) {
		return fmt.Errorf("%w: now %s, already seen %s", ErrClockSetBack, now.Format(time.RFC3339), s.HighWater.Format(time.RFC3339))
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b.UTC().Truncate(time.Second)
	}
	return a
}

func (c *Client) needPublisherKey() error {
	if len(c.opts.PublisherKey) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: no publisher key given", signdoc.ErrPublicKeyInvalid)
	}
	return nil
}

// verified is an activation response that passed every check.
type verified struct {
	resp *signdoc.ActivationResponse
	cert *signdoc.Certificate
}

// verifyResponse runs every check of an activation response against the
// state: chain, binding, times. now is the current time.
func (c *Client) verifyResponse(doc *signdoc.Document, s *state, mid string, now time.Time, installing bool) (*verified, error) {
	certNow := time.Time{} // installed responses outlive the certificate
	if installing {
		certNow = now
	}
	resp, cert, err := signdoc.VerifyActivationResponse(doc, c.opts.PublisherKey, certNow)
	if err != nil {
		return nil, err
	}
	if len(s.InstallationSeed) != ed25519.SeedSize {
		return nil, ErrNoPendingRequest
	}
	ipub := ed25519.PublicKey(s.InstallationPub)
	if len(ipub) != ed25519.PublicKeySize {
		ipub = ed25519.NewKeyFromSeed(s.InstallationSeed).Public().(ed25519.PublicKey)
	}
	switch {
	case resp.Fingerprint != signdoc.Fingerprint(resp.Product, mid):
		return nil, ErrWrongMachine
	case !bytes.Equal(resp.InstallationKey, ipub):
		return nil, ErrWrongInstallation
	case resp.Product != s.Product || resp.LicenseKey != s.LicenseKey:
		return nil, fmt.Errorf("%w: response is for %s of %s", ErrWrongLicense, resp.LicenseKey, resp.Product)
	case installing && !bytes.Equal(resp.Nonce, s.Nonce):
		return nil, ErrNonceMismatch
	}
	if err := c.checkClock(s, now); err != nil {
		return nil, err
	}
	if now.Before(resp.IssuedAt.Add(-c.opts.ClockDrift)) {
		return nil, fmt.Errorf("%w: response issued %s, clock says %s", ErrClockSetBack, resp.IssuedAt.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	if installing && now.After(resp.ApplyBy) {
		return nil, fmt.Errorf("%w: apply by %s", ErrResponseExpired, resp.ApplyBy.Format(time.RFC3339))
	}
	if resp.Expires != nil && !now.Before(*resp.Expires) {
		return nil, fmt.Errorf("%w: %s", ErrLicenseExpired, resp.Expires.Format(time.RFC3339))
	}
	return &verified{resp: resp, cert: cert}, nil
}
