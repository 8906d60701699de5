package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/resellerportal/portal/backend/internal/atomicfile"
	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/spf13/cobra"
)

func init() { groups = append(groups, newPortalCmd) }

// portalOptions are added to every portal.Open (tests use cheap Argon2id).
var portalOptions []portal.Option

func newPortalCmd() *cobra.Command {
	c := newGroup("portal", "Everything a reseller admin can do, on the desktop app's database")
	c.Long = "rpctl portal works on the same database file as the desktop app (--db, default: the app's own). " +
		"Every command except init signs in as an admin (--admin, default: the only one) with the password from " +
		"RP_PASSWORD or --password-file. The app and the CLI never use the file at the same time: a second opener " +
		"is told \"database is in use\"."
	pf := c.PersistentFlags()
	pf.String("db", "", "database file (default: the desktop app's, in the user config directory)")
	pf.String("admin", "", "admin account to act as (default: the only admin)")
	pf.String("password-file", "", "file holding the admin password (else RP_PASSWORD)")
	c.AddCommand(newPortalInitCmd(), newPortalEnrollCmd(), newPortalAdminCmd(), newPortalLicenseCmd(),
		newPortalOrgCmd(), newPortalUserCmd(), newPortalActivateCmd(), newPortalDeactivateCmd(),
		newPortalBatchCmd(), newPortalActivationsCmd(), newPortalReportCmd(), newPortalAuditCmd(),
		newPortalSettingsCmd(), newPortalBackupCmd(), newPortalRestoreCmd())
	for _, extra := range portalExtra {
		c.AddCommand(extra())
	}
	return c
}

// portalRefused wraps a portal refusal so that the message names its stable code.
type portalRefused struct{ err error }

func (r portalRefused) Error() string { return fmt.Sprintf("%v [%s]", r.err, reply.CodeOf(r.err)) }
func (r portalRefused) Unwrap() error { return r.err }

func portalRefuse(err error) error {
	if err == nil {
		return nil
	}
	var u usageError
	if errors.As(err, &u) {
		return err
	}
	return portalRefused{err}
}

func portalDBPath(cmd *cobra.Command) (string, error) {
	if p, _ := cmd.Flags().GetString("db"); p != "" {
		return filepath.Abs(p)
	}
	return portal.DefaultDBPath()
}

func openPortal(cmd *cobra.Command) (*portal.Portal, error) {
	path, err := portalDBPath(cmd)
	if err != nil {
		return nil, err
	}
	return portal.Open(path, portalOptions...)
}

func portalPassword(cmd *cobra.Command) (string, error) {
	pw, ok, err := readSecret(cmd, "password-file", "RP_PASSWORD")
	if err != nil {
		return "", err
	}
	if !ok {
		return "", usagef("%s: no password: set RP_PASSWORD or give --password-file", cmd.CommandPath())
	}
	return pw, nil
}

// session is an open portal and a signed-in admin.
type portalSession struct {
	p  *portal.Portal
	s  *portal.Session
	pw string
}

// withPortal opens the database, signs in and runs fn. A panic inside
// becomes a refusal (exit 1) naming it, never a crash.
func withPortal(cmd *cobra.Command, fn func(ss *portalSession) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = portalRefuse(fmt.Errorf("internal error: %v", v))
		}
	}()
	pw, err := portalPassword(cmd)
	if err != nil {
		return err
	}
	p, err := openPortal(cmd)
	if err != nil {
		return portalRefuse(err)
	}
	defer p.Close()
	s, err := signInAdmin(cmd, p, pw)
	if err != nil {
		return err
	}
	defer s.Lock()
	return portalRefuse(fn(&portalSession{p: p, s: s, pw: pw}))
}

// signInAdmin signs --admin (default: the only admin) in with pw.
func signInAdmin(cmd *cobra.Command, p *portal.Portal, pw string) (*portal.Session, error) {
	admin, _ := cmd.Flags().GetString("admin")
	if admin == "" {
		st, err := p.Status(nil)
		if err != nil {
			return nil, portalRefuse(err)
		}
		switch {
		case !st.Initialized:
			return nil, portalRefuse(portal.ErrNotInitialized)
		case len(st.Admins) == 1:
			admin = st.Admins[0]
		default:
			return nil, usagef("%s: several admin accounts (%s): pick one with --admin", cmd.CommandPath(), strings.Join(st.Admins, ", "))
		}
	}
	s, err := p.SignIn(admin, pw)
	if err != nil {
		return nil, portalRefuse(err)
	}
	return s, nil
}

// portalReadDoc reads a signed document from FILE or - (stdin): the armored
// file, the compact QR text, or a PNG/JPEG photo or screenshot of its QR code.
func portalReadDoc(cmd *cobra.Command, path string) ([]byte, error) {
	b, err := readDocument(cmd, path)
	if err != nil {
		if reply.CodeOf(err) == "internal" { // not found, unreadable: no code of its own
			return nil, fmt.Errorf("%w: %v", portal.ErrInvalidInput, err)
		}
		return nil, err
	}
	return b, nil
}

// portalReadBundle reads an allocation bundle from FILE or - (stdin): the
// one input allowed to exceed signdoc.MaxDocumentSize, up to
// signdoc.MaxBundleSize. Reading stops one byte past that, so an oversized
// input is refused by signdoc's own size check (document_too_large)
// without being read in full.
func portalReadBundle(cmd *cobra.Command, path string) ([]byte, error) {
	r := cmd.InOrStdin()
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", portal.ErrInvalidInput, err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, signdoc.MaxBundleSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", portal.ErrInvalidInput, path, err)
	}
	return b, nil
}

// writeOut writes a file atomically, or to stdout for "-".
func portalWrite(cmd *cobra.Command, path string, data []byte, perm os.FileMode) error {
	if path == "-" {
		_, err := cmd.OutOrStdout().Write(data)
		return err
	}
	if err := atomicfile.WriteFile(path, data, perm); err != nil {
		return fmt.Errorf("%w: %v", portal.ErrInvalidInput, err)
	}
	return nil
}

func portalStr(cmd *cobra.Command, name string) string {
	v, _ := cmd.Flags().GetString(name)
	return v
}

func portalBool(cmd *cobra.Command, name string) bool {
	v, _ := cmd.Flags().GetBool(name)
	return v
}

func portalInt(cmd *cobra.Command, name string) int {
	v, _ := cmd.Flags().GetInt(name)
	return v
}

func portalDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
