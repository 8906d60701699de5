package rpc

import (
	"runtime/debug"
	"strings"
)

// The release build stamps these at link time (the Makefile's -ldflags -X,
// from build/scripts/version.sh); a plain `go build` leaves them empty.
var (
	buildVersion string
	buildCommit  string
)

// VersionInfo is the build's version and commit: the About line of the app
// and `rpctl --version`.
type VersionInfo struct {
	// Version is the release version (wails.json's productVersion, with a
	// -dev.g<commit> suffix unless the commit is tagged v<version>).
	Version string `json:"version"`
	// Commit is the git commit the binary was built from ("unknown" when
	// neither the linker nor the Go toolchain recorded one).
	Commit string `json:"commit"`
}

// BuildVersion reports the version stamped into this binary. Unstamped
// builds say "dev" and take the commit Go records from git (vcs.revision).
func BuildVersion() VersionInfo {
	v := VersionInfo{Version: buildVersion, Commit: buildCommit}
	if v.Version == "" {
		v.Version = "dev"
	}
	if v.Commit == "" {
		v.Commit = "unknown"
		if bi, ok := debug.ReadBuildInfo(); ok {
			var rev, modified string
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					modified = s.Value
				}
			}
			if rev != "" {
				v.Commit = rev[:min(12, len(rev))]
				if modified == "true" {
					v.Commit += "-dirty"
				}
			}
		}
	}
	v.Version = strings.TrimPrefix(v.Version, "v")
	return v
}

func init() { registrations = append(registrations, registerVersionOps) }

func registerVersionOps(s *Server) {
	// version: the About line of the signed-in shell.
	s.handle("version", false, typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return BuildVersion(), nil
	}))
}
