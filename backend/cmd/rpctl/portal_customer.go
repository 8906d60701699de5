package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/spf13/cobra"
)

func newPortalOrgCmd() *cobra.Command {
	c := newGroup("org", "Customer organizations")
	create := &cobra.Command{
		Use: "create --name NAME", Short: "Create an organization (prints its id)", Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "name"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				o, err := ss.p.CreateOrg(ss.s, portalStr(cmd, "name"))
				if err != nil {
					return err
				}
				return emit(cmd, o, func(w io.Writer) { fmt.Fprintln(w, o.ID) })
			})
		},
	}
	create.Flags().String("name", "", "organization name")
	list := &cobra.Command{
		Use: "list", Short: "List organizations", Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				os, err := ss.p.ListOrgs(ss.s)
				if err != nil {
					return err
				}
				return emit(cmd, os, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tNAME\tUSERS\tLICENSES")
					for _, o := range os {
						fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", o.ID, o.Name, o.Users, o.Licenses)
					}
					tw.Flush()
				})
			})
		},
	}
	update := &cobra.Command{
		Use: "update ID --name NAME", Short: "Rename an organization", Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "name"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				o, err := ss.p.UpdateOrg(ss.s, args[0], portalStr(cmd, "name"))
				if err != nil {
					return err
				}
				return emit(cmd, o, func(w io.Writer) { fmt.Fprintf(w, "updated %s\n", o.ID) })
			})
		},
	}
	update.Flags().String("name", "", "new name")
	del := &cobra.Command{
		Use: "delete ID [--revoke]", Short: "Delete an organization (--revoke: revoke its licenses too)", Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				if err := ss.p.DeleteOrg(ss.s, args[0], portalBool(cmd, "revoke")); err != nil {
					return err
				}
				return emit(cmd, map[string]string{"deleted": args[0]}, func(w io.Writer) { fmt.Fprintf(w, "deleted %s\n", args[0]) })
			})
		},
	}
	del.Flags().Bool("revoke", false, "revoke the organization's licenses")
	c.AddCommand(create, list, update, del)
	return c
}

func newPortalUserCmd() *cobra.Command {
	c := newGroup("user", "Customer users")
	create := &cobra.Command{
		Use: "create --name NAME --email EMAIL [--org ID]", Short: "Create a user (prints its id)", Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "name", "email"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				u, err := ss.p.CreateUser(ss.s, portal.UserInput{Name: portalStr(cmd, "name"), Email: portalStr(cmd, "email"), Org: portalStr(cmd, "org")})
				if err != nil {
					return err
				}
				return emit(cmd, u, func(w io.Writer) { fmt.Fprintln(w, u.ID) })
			})
		},
	}
	create.Flags().String("name", "", "full name")
	create.Flags().String("email", "", "email address (unique)")
	create.Flags().String("org", "", "organization id")
	list := &cobra.Command{
		Use: "list [--org ID] [--search Q]", Short: "List users", Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				us, err := ss.p.QueryUsers(ss.s, portal.UserQuery{Org: portalStr(cmd, "org"), Search: portalStr(cmd, "search")})
				if err != nil {
					return err
				}
				return emit(cmd, us, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tNAME\tEMAIL\tORG\tLICENSES")
					for _, u := range us {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", u.ID, u.Name, u.Email, portalDash(u.Org), u.Licenses)
					}
					tw.Flush()
				})
			})
		},
	}
	list.Flags().String("org", "", "only this organization's users")
	list.Flags().String("search", "", "a word of the name, the start of the email, or an organization's name")
	update := &cobra.Command{
		Use: "update ID [--name NAME] [--email EMAIL] [--org ID|\"\"]", Short: "Change a user (--org \"\" leaves the organization)", Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var up portal.UserUpdate
			for _, f := range []struct {
				name string
				dst  **string
			}{{"name", &up.Name}, {"email", &up.Email}, {"org", &up.Org}} {
				if cmd.Flags().Changed(f.name) {
					v := portalStr(cmd, f.name)
					*f.dst = &v
				}
			}
			if up.Name == nil && up.Email == nil && up.Org == nil {
				return usagef("%s: give at least one of --name, --email, --org", cmd.CommandPath())
			}
			return withPortal(cmd, func(ss *portalSession) error {
				u, err := ss.p.UpdateUser(ss.s, args[0], up)
				if err != nil {
					return err
				}
				return emit(cmd, u, func(w io.Writer) { fmt.Fprintf(w, "updated %s\n", u.ID) })
			})
		},
	}
	update.Flags().String("name", "", "new name")
	update.Flags().String("email", "", "new email address")
	update.Flags().String("org", "", "organization id (\"\" for none)")
	del := &cobra.Command{
		Use: "delete ID [--revoke]", Short: "Delete a user (--revoke: revoke their licenses too)", Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				if err := ss.p.DeleteUser(ss.s, args[0], portalBool(cmd, "revoke")); err != nil {
					return err
				}
				return emit(cmd, map[string]string{"deleted": args[0]}, func(w io.Writer) { fmt.Fprintf(w, "deleted %s\n", args[0]) })
			})
		},
	}
	del.Flags().Bool("revoke", false, "revoke the user's licenses")
	c.AddCommand(create, list, update, del)
	return c
}
