package licenseclient

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadState: a damaged state file is refused with ErrStateInvalid or
// ErrStateNewer, never a panic.
func FuzzLoadState(f *testing.F) {
	f.Add([]byte(`{"version":1,"machine_id":"m","product":"p","license_key":"k","nonce":"AQIDBAUGBwgJCgsMDQ4PEA","high_water":"2026-11-26T10:00:00Z"}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{"version":1,"installation_seed":"AAAA"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), StateFileName)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := loadState(p)
		if err == nil && (s.Version != stateVersion || (len(s.InstallationSeed) != 0 && len(s.InstallationSeed) != 32)) {
			t.Fatalf("accepted state %+v", s)
		}
	})
}
