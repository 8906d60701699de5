package main

import (
	"fmt"
	"io"
	"os"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/spf13/cobra"
)

func newPortalReportCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "report --out FILE",
		Short: "Write the signed activation report (what is new since the last one, numbered)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "out"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				r, err := ss.p.Report(ss.s)
				if err != nil {
					return err
				}
				if err := portalWrite(cmd, portalStr(cmd, "out"), []byte(r.Document.Armored), 0o644); err != nil {
					return err
				}
				return emit(cmd, map[string]any{"number": r.Number, "events": r.Events, "out": portalStr(cmd, "out")}, func(w io.Writer) {
					fmt.Fprintf(w, "report %d with %d events written to %s\n", r.Number, r.Events, portalStr(cmd, "out"))
				})
			})
		},
	}
	c.Flags().String("out", "", "report file")
	return c
}

func newPortalAuditCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "audit [--verify]",
		Short: "The audit log, newest first; --verify checks the hash chain (exit 1 if broken)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				if portalBool(cmd, "verify") {
					v, err := ss.p.VerifyAudit(ss.s)
					if err != nil {
						return err
					}
					return emit(cmd, v, func(w io.Writer) { fmt.Fprintf(w, "audit log intact: %d entries\n", v.Entries) })
				}
				es, err := ss.p.AuditLog(ss.s, 0, portalInt(cmd, "limit"))
				if err != nil {
					return err
				}
				return emit(cmd, es, func(w io.Writer) {
					for _, e := range es {
						fmt.Fprintf(w, "%d  %s  %-10s %-22s %s  %s\n", e.Seq, e.Time.Format("2006-01-02 15:04:05"), e.Actor, e.Action, e.Object, e.Detail)
					}
				})
			})
		},
	}
	c.Flags().Bool("verify", false, "check the hash chain")
	c.Flags().Int("limit", 0, "newest N entries (0: all)")
	return c
}

func newPortalSettingsCmd() *cobra.Command {
	c := newGroup("settings", "Company name, logo and custom domain")
	show := func(cmd *cobra.Command, st portal.Settings) error {
		view := map[string]any{"company": st.Company, "domain": st.Domain, "logo_type": st.LogoType, "logo_bytes": len(st.Logo) * 3 / 4}
		return emit(cmd, view, func(w io.Writer) {
			fmt.Fprintf(w, "company: %s\ndomain:  %s\nlogo:    %s\n", portalDash(st.Company), portalDash(st.Domain), portalDash(st.LogoType))
		})
	}
	set := &cobra.Command{
		Use: "set [--company NAME] [--logo FILE] [--domain HOST]", Short: "Change settings", Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			var up portal.SettingsUpdate
			if cmd.Flags().Changed("company") {
				v := portalStr(cmd, "company")
				up.Company = &v
			}
			if cmd.Flags().Changed("domain") {
				v := portalStr(cmd, "domain")
				up.Domain = &v
			}
			if up.Company == nil && up.Domain == nil && !cmd.Flags().Changed("logo") {
				return usagef("%s: give at least one of --company, --logo, --domain", cmd.CommandPath())
			}
			if cmd.Flags().Changed("logo") {
				up.SetLogo = true
				if path := portalStr(cmd, "logo"); path != "" {
					b, err := readInput(cmd, path, portal.MaxLogoSize)
					if err != nil {
						return portalRefuse(fmt.Errorf("%w: %v", portal.ErrLogoTooLarge, err))
					}
					up.Logo = b
				}
			}
			return withPortal(cmd, func(ss *portalSession) error {
				st, err := ss.p.UpdateSettings(ss.s, up)
				if err != nil {
					return err
				}
				return show(cmd, st)
			})
		},
	}
	set.Flags().String("company", "", "company name")
	set.Flags().String("logo", "", "PNG or JPEG up to 512 KiB (\"\" removes it)")
	set.Flags().String("domain", "", "custom domain, a host name (\"\" removes it)")
	get := &cobra.Command{
		Use: "show", Short: "Show settings", Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				st, err := ss.p.GetSettings(ss.s)
				if err != nil {
					return err
				}
				return show(cmd, st)
			})
		},
	}
	c.AddCommand(set, get)
	return c
}

func newPortalBackupCmd() *cobra.Command {
	c := &cobra.Command{
		Use: "backup --out FILE", Short: "Write a consistent backup of the whole database (key stays encrypted)", Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "out"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				replace, _ := cmd.Flags().GetBool("replace")
				r, err := ss.p.Backup(ss.s, portalStr(cmd, "out"), replace)
				if err != nil {
					return err
				}
				return emit(cmd, r, func(w io.Writer) { fmt.Fprintf(w, "backup written to %s (%d bytes)\n", r.Path, r.Bytes) })
			})
		},
	}
	c.Flags().String("out", "", "backup file (never the live database, never through a symlink)")
	c.Flags().Bool("replace", false, "replace --out if it exists")
	return c
}

func newPortalRestoreCmd() *cobra.Command {
	c := &cobra.Command{
		Use: "restore --in FILE", Short: "Replace the database with a backup, after validating it fully", Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "in"); err != nil {
				return err
			}
			in := portalStr(cmd, "in")
			if _, err := os.Stat(in); err != nil {
				return portalRefuse(fmt.Errorf("%w: %v", portal.ErrBadBackup, err))
			}
			return withPortal(cmd, func(ss *portalSession) error {
				if err := ss.p.Restore(ss.s, in); err != nil {
					return err
				}
				return emit(cmd, map[string]string{"restored": in}, func(w io.Writer) { fmt.Fprintf(w, "restored the database from %s\n", in) })
			})
		},
	}
	c.Flags().String("in", "", "backup file")
	return c
}
