package licenseclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/resellerportal/portal/backend/internal/atomicfile"
	"github.com/resellerportal/portal/backend/signdoc"
)

// StateFileName is the one file a client keeps, inside its state directory.
const StateFileName = "license-state.json"

const stateVersion = 1

// state is the client's whole persistent state. It holds the installation
// private key, so it is written with mode 0600.
type state struct {
	Version   int    `json:"version"`
	MachineID string `json:"machine_id,omitempty"` // override remembered for later commands
	// installation
	InstallationSeed signdoc.Bytes `json:"installation_seed,omitempty"`
	InstallationPub  signdoc.Bytes `json:"installation_key,omitempty"` // derived from the seed; kept to spare a scalar multiplication per check
	// the pending request
	Product     string        `json:"product,omitempty"`
	LicenseKey  string        `json:"license_key,omitempty"`
	Fingerprint string        `json:"fingerprint,omitempty"`
	Nonce       signdoc.Bytes `json:"nonce,omitempty"`
	RequestedAt time.Time     `json:"requested_at,omitzero"`
	// the installed activation: the response exactly as received
	Activation string `json:"activation,omitempty"`
	// the last deactivation request made, kept until the next request
	Deactivation string `json:"deactivation,omitempty"`
	// the latest time seen (clock set back detection)
	HighWater time.Time `json:"high_water,omitzero"`
}

func loadState(path string) (*state, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &state{Version: stateVersion}, nil
	}
	if err != nil {
		return nil, err
	}
	if len(b) > 4<<20 {
		return nil, fmt.Errorf("%w: %d bytes", ErrStateInvalid, len(b))
	}
	var s state
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStateInvalid, err)
	}
	if s.Version > stateVersion {
		return nil, fmt.Errorf("%w: version %d", ErrStateNewer, s.Version)
	}
	if s.Version < 1 || (len(s.InstallationSeed) != 0 && len(s.InstallationSeed) != 32) {
		return nil, ErrStateInvalid
	}
	return &s, nil
}

func saveState(path string, s *state) error {
	s.Version = stateVersion
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o600)
}
