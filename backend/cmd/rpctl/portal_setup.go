package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

func newPortalInitCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "init --reseller NAME --admin USER",
		Short: "Create the database, the reseller, its first admin and key pair",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "reseller", "admin"); err != nil {
				return err
			}
			pw, err := portalPassword(cmd)
			if err != nil {
				return err
			}
			p, err := openPortal(cmd)
			if err != nil {
				return portalRefuse(err)
			}
			defer p.Close()
			s, err := p.Setup(portalStr(cmd, "reseller"), portalStr(cmd, "admin"), pw)
			if err != nil {
				return portalRefuse(err)
			}
			defer s.Lock()
			st, _ := p.Status(s)
			return emit(cmd, st, func(w io.Writer) {
				fmt.Fprintf(w, "created portal %q with admin %s in %s\nnext: rpctl portal enroll request --out enroll.req\n", st.ResellerName, st.Admin, p.Path())
			})
		},
	}
	c.Flags().String("reseller", "", "the reseller's name")
	return c
}

func newPortalEnrollCmd() *cobra.Command {
	c := newGroup("enroll", "Enrollment with the publisher")
	req := &cobra.Command{
		Use:   "request --out FILE",
		Short: "Write the enrollment request for the publisher",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "out"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				doc, err := ss.p.EnrollmentRequest(ss.s)
				if err != nil {
					return err
				}
				if err := portalWrite(cmd, portalStr(cmd, "out"), []byte(doc.Armored), 0o644); err != nil {
					return err
				}
				return emit(cmd, map[string]string{"out": portalStr(cmd, "out"), "compact": doc.Compact}, func(w io.Writer) {
					if portalStr(cmd, "out") != "-" {
						fmt.Fprintf(w, "wrote enrollment request to %s; send it to the publisher\n", portalStr(cmd, "out"))
					}
				})
			})
		},
	}
	req.Flags().String("out", "", "file to write (- for stdout)")
	done := &cobra.Command{
		Use:   "complete --cert FILE",
		Short: "Check the reseller certificate and pin the publisher key it carries",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "cert"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				b, err := portalReadDoc(cmd, portalStr(cmd, "cert"))
				if err != nil {
					return err
				}
				e, err := ss.p.CompleteEnrollment(ss.s, b)
				if err != nil {
					return err
				}
				return emit(cmd, e, func(w io.Writer) {
					fmt.Fprintf(w, "enrolled as reseller %s (certificate %d, publisher %s, products %v, valid until %s)\n",
						e.ResellerID, e.Serial, e.PublisherKeyID, e.Products, e.NotAfter.Format("2006-01-02"))
				})
			})
		},
	}
	done.Flags().String("cert", "", "reseller certificate file (- for stdin)")
	c.AddCommand(req, done)
	return c
}

func newPortalAdminCmd() *cobra.Command {
	c := newGroup("admin", "Manage reseller-admin accounts")
	newPW := func(cmd *cobra.Command) (string, error) {
		v, ok, err := readSecret(cmd, "", "RP_NEW_PASSWORD")
		if err != nil {
			return "", err
		}
		if !ok {
			return "", usagef("%s: set the new password in RP_NEW_PASSWORD", cmd.CommandPath())
		}
		return v, nil
	}
	add := &cobra.Command{
		Use:   "add USER",
		Short: "Add an admin (password from RP_NEW_PASSWORD)",
		Args:  exactArgs(1, "USER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			np, err := newPW(cmd)
			if err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				a, err := ss.p.AddAdmin(ss.s, ss.pw, args[0], np)
				if err != nil {
					return err
				}
				return emit(cmd, a, func(w io.Writer) { fmt.Fprintf(w, "added admin %s\n", a.Name) })
			})
		},
	}
	remove := &cobra.Command{
		Use:   "remove USER",
		Short: "Remove an admin (never the last one)",
		Args:  exactArgs(1, "USER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				if err := ss.p.RemoveAdmin(ss.s, args[0]); err != nil {
					return err
				}
				return emit(cmd, map[string]string{"removed": args[0]}, func(w io.Writer) { fmt.Fprintf(w, "removed admin %s\n", args[0]) })
			})
		},
	}
	passwd := &cobra.Command{
		Use:   "passwd USER",
		Short: "Change an admin's password (new password from RP_NEW_PASSWORD)",
		Args:  exactArgs(1, "USER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			np, err := newPW(cmd)
			if err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				if err := ss.p.ChangePassword(ss.s, ss.pw, args[0], np); err != nil {
					return err
				}
				return emit(cmd, map[string]string{"changed": args[0]}, func(w io.Writer) { fmt.Fprintf(w, "changed the password of %s\n", args[0]) })
			})
		},
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List admin accounts",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				as, err := ss.p.Admins(ss.s)
				if err != nil {
					return err
				}
				return emit(cmd, as, func(w io.Writer) {
					for _, a := range as {
						fmt.Fprintf(w, "%s\t%s\tlocked=%v\n", a.Name, a.Role, a.Locked)
					}
				})
			})
		},
	}
	c.AddCommand(add, remove, passwd, list)
	return c
}
