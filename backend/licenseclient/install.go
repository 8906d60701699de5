package licenseclient

import (
	"bytes"
	"fmt"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

// Status describes this installation's license.
type Status struct {
	Activated bool `json:"activated"`
	// Reason is the error code when not activated: not_activated,
	// license_expired, clock_set_back, activation_wrong_machine, ...
	Reason string `json:"reason,omitempty"`
	// Message explains Reason for people.
	Message string `json:"message,omitempty"`
	// PendingRequest: a request was made and awaits its response.
	PendingRequest bool              `json:"pending_request"`
	Product        string            `json:"product,omitempty"`
	LicenseKey     string            `json:"license_key,omitempty"`
	ActivationID   string            `json:"activation_id,omitempty"`
	Fingerprint    string            `json:"fingerprint,omitempty"`
	IssuedAt       *time.Time        `json:"issued_at,omitempty"`
	Expires        *time.Time        `json:"expires,omitempty"` // nil: perpetual
	Features       map[string]string `json:"features,omitempty"`
	ResellerID     string            `json:"reseller_id,omitempty"`
	ResellerName   string            `json:"reseller_name,omitempty"`
}

func statusOf(v *verified) *Status {
	issued := v.resp.IssuedAt
	return &Status{Activated: true, Product: v.resp.Product, LicenseKey: v.resp.LicenseKey, ActivationID: v.resp.ActivationID,
		Fingerprint: v.resp.Fingerprint, IssuedAt: &issued, Expires: v.resp.Expires, Features: v.resp.Features,
		ResellerID: v.cert.ResellerID, ResellerName: v.cert.ResellerName}
}

// Install verifies an activation response (armored or compact text) and,
// when every check passes, installs it. Installing the response already
// installed changes nothing and succeeds. On any refusal the state is
// unchanged.
func (c *Client) Install(response []byte) (*Status, error) {
	if err := c.needPublisherKey(); err != nil {
		return nil, err
	}
	doc, err := signdoc.ParseKind(response, signdoc.KindActivationResponse)
	if err != nil {
		return nil, err
	}
	s, err := loadState(c.path)
	if err != nil {
		return nil, err
	}
	received := string(bytes.TrimSpace(response))
	if s.Activation != "" {
		return c.reinstall(doc, s)
	}
	if len(s.Nonce) == 0 {
		return nil, ErrNoPendingRequest
	}
	mid, err := c.machineID(s)
	if err != nil {
		return nil, err
	}
	now := c.now()
	v, err := c.verifyResponse(doc, s, mid, now, true)
	if err != nil {
		return nil, fmt.Errorf("install activation: %w", err)
	}
	s.Activation, s.Nonce = received, nil
	s.HighWater = later(later(s.HighWater, now), v.resp.IssuedAt)
	if err := saveState(c.path, s); err != nil {
		return nil, err
	}
	return statusOf(v), nil
}

// reinstall answers Install when an activation is installed: the same
// response again, in either form, changes nothing and succeeds — but only
// once the whole chain of what was received verifies (certificate, signer,
// signature, binding) and its whole envelope, carried certificate included,
// is byte for byte the installed one. A response whose payload and
// signature match but whose carried certificate does not is refused with
// the chain's own error, or already_activated.
func (c *Client) reinstall(doc *signdoc.Document, s *state) (*Status, error) {
	mid, err := c.machineID(s)
	if err != nil {
		return nil, err
	}
	if _, err := c.verifyResponse(doc, s, mid, c.now(), false); err != nil {
		return nil, fmt.Errorf("install activation: %w", err)
	}
	old, err := signdoc.ParseKind([]byte(s.Activation), signdoc.KindActivationResponse)
	if err != nil {
		return nil, ErrAlreadyActivated
	}
	a, _ := old.MarshalBinary()
	b, _ := doc.MarshalBinary()
	if !bytes.Equal(a, b) {
		return nil, ErrAlreadyActivated
	}
	return c.Status()
}

// Status re-verifies the installed activation (so an edited state file is
// caught) and reports whether this machine is licensed now. A machine that
// is not licensed is not an error: Activated is false and Reason says why.
func (c *Client) Status() (*Status, error) {
	if err := c.needPublisherKey(); err != nil {
		return nil, err
	}
	s, err := loadState(c.path)
	if err != nil {
		return nil, err
	}
	if s.Activation == "" {
		return &Status{Reason: reasonCode(ErrNotActivated), Message: ErrNotActivated.Error(), PendingRequest: len(s.Nonce) > 0,
			Product: s.Product, LicenseKey: s.LicenseKey}, nil
	}
	mid, err := c.machineID(s)
	if err != nil {
		return nil, err
	}
	now := c.now()
	doc, err := signdoc.ParseKind([]byte(s.Activation), signdoc.KindActivationResponse)
	var v *verified
	if err == nil {
		v, err = c.verifyResponse(doc, s, mid, now, false)
	}
	if err != nil {
		return &Status{Reason: reasonCode(err), Message: err.Error(), Product: s.Product, LicenseKey: s.LicenseKey}, nil
	}
	// advance the high-water mark, at most one write a minute
	if now.After(s.HighWater.Add(time.Minute)) {
		s.HighWater = later(s.HighWater, now)
		if err := saveState(c.path, s); err != nil {
			return nil, err
		}
	}
	return statusOf(v), nil
}

// Deactivate makes a deactivation request signed by the installation key,
// then destroys the local activation and the installation key. The request
// is kept in the state until the next NewRequest, so calling Deactivate
// again returns the same request (in case the first copy was lost).
func (c *Client) Deactivate() (*signdoc.Document, error) {
	s, err := loadState(c.path)
	if err != nil {
		return nil, err
	}
	if s.Activation == "" {
		if s.Deactivation != "" {
			return signdoc.ParseKind([]byte(s.Deactivation), signdoc.KindDeactivationRequest)
		}
		return nil, ErrNotActivated
	}
	doc, err := signdoc.ParseKind([]byte(s.Activation), signdoc.KindActivationResponse)
	if err != nil {
		return nil, fmt.Errorf("%w: installed activation: %v", ErrStateInvalid, err)
	}
	resp, err := signdoc.ParseActivationResponse(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: installed activation: %v", ErrStateInvalid, err)
	}
	if len(s.InstallationSeed) == 0 {
		return nil, fmt.Errorf("%w: installation key missing", ErrStateInvalid)
	}
	now := c.now()
	deact, err := signdoc.SignDeactivationRequest(installationKey(s), signdoc.DeactivationRequest{
		ActivationID: resp.ActivationID, Product: resp.Product, LicenseKey: resp.LicenseKey,
		Fingerprint: resp.Fingerprint, CreatedAt: now,
	})
	if err != nil {
		return nil, err
	}
	wipe(s.InstallationSeed)
	*s = state{Version: stateVersion, MachineID: s.MachineID, HighWater: later(s.HighWater, now), Deactivation: string(deact.Armor())}
	if err := saveState(c.path, s); err != nil {
		return nil, err
	}
	return deact, nil
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
