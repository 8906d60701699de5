package main

import (
	"bytes"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/spf13/cobra"
)

func newPortalLicenseCmd() *cobra.Command {
	c := newGroup("license", "Licenses allocated by the publisher")
	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Import an allocation bundle, all of it or none of it (again: changes nothing)",
		Args:  exactArgs(1, "FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				b, err := portalReadBundle(cmd, args[0])
				if err != nil {
					return err
				}
				r, err := ss.p.ImportBundle(ss.s, b)
				if err != nil {
					return err
				}
				return emit(cmd, r, func(w io.Writer) {
					if r.Already {
						fmt.Fprintf(w, "bundle %s was already imported (%d licenses); nothing changed\n", r.Bundle, r.Licenses)
						return
					}
					fmt.Fprintf(w, "imported bundle %s: %d licenses\n", r.Bundle, r.Licenses)
				})
			})
		},
	}
	list := &cobra.Command{
		Use:   "list [--status available|assigned|active|expired] [--search Q] [--limit N] [--offset N]",
		Short: "List licenses (--limit 0: all)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if portalInt(cmd, "limit") < 0 || portalInt(cmd, "offset") < 0 {
				return usagef("%s: --limit and --offset must not be negative", cmd.CommandPath())
			}
			switch st := portalStr(cmd, "status"); st {
			case "", portal.StatusAvailable, portal.StatusAssigned, portal.StatusActive, portal.StatusExpired:
			default:
				return usagef("%s: --status must be available, assigned, active or expired, not %q", cmd.CommandPath(), st)
			}
			return withPortal(cmd, func(ss *portalSession) error {
				page, err := ss.p.ListLicenses(ss.s, portal.LicenseQuery{Status: portalStr(cmd, "status"), Search: portalStr(cmd, "search"),
					Customer: portalStr(cmd, "customer"), Product: portalStr(cmd, "product"), Sort: portalStr(cmd, "sort"),
					Limit: portalInt(cmd, "limit"), Offset: portalInt(cmd, "offset")})
				if err != nil {
					return err
				}
				return emit(cmd, page.Items, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "KEY\tPRODUCT\tSTATUS\tASSIGNEE\tACTIVATIONS\tDEACTIVATIONS\tEXPIRES")
					for _, l := range page.Items {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d/%d\t%s\t%s\n", l.Key, l.Product, l.Status, assigneeText(l),
							l.ActivationsUsed, l.ActivationsAllowed, deactText(l), expiresText(l))
					}
					tw.Flush()
					if page.HasMore {
						fmt.Fprintf(w, "more: --offset %d\n", portalInt(cmd, "offset")+len(page.Items))
					}
				})
			})
		},
	}
	list.Flags().String("status", "", "available, assigned, active or expired")
	list.Flags().String("search", "", "key prefix, customer name or email, product")
	list.Flags().String("customer", "", "only this customer's licenses (u<n> or o<n>)")
	list.Flags().String("product", "", "only this product")
	list.Flags().String("sort", "key", "key or expires")
	list.Flags().Int("limit", 50, "page size (0: all)")
	list.Flags().Int("offset", 0, "licenses to skip")
	show := &cobra.Command{
		Use:   "show KEY",
		Short: "One license with its activations and history",
		Args:  exactArgs(1, "KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				l, err := ss.p.GetLicense(ss.s, args[0])
				if err != nil {
					return err
				}
				return emit(cmd, l, func(w io.Writer) {
					fmt.Fprintf(w, "key:            %s\nproduct:        %s\nstatus:         %s\nassignee:       %s\nactivations:    %d of %d\ndeactivations:  %d of %s\nexpires:        %s\nbundle:         %s\n",
						l.Key, l.Product, l.Status, assigneeText(l.License), l.ActivationsUsed, l.ActivationsAllowed, l.DeactivationsUsed,
						allowedText(l.DeactivationsAllowed), expiresText(l.License), l.Bundle)
					for _, a := range l.Activations {
						fmt.Fprintf(w, "activation %s  %s  machine %s  %s  %s\n", a.ID, a.Status, a.Machine[:16], portalDash(a.Hostname), a.Created.Format("2006-01-02 15:04"))
					}
					for _, h := range l.History {
						fmt.Fprintf(w, "%s  %-10s %s %s %s\n", h.Time.Format("2006-01-02 15:04"), h.Action, h.Customer, h.Name, h.Detail)
					}
				})
			})
		},
	}
	assign := &cobra.Command{
		Use:   "assign KEY (--user ID | --org ID)",
		Short: "Assign a license to a user or an organization",
		Args:  exactArgs(1, "KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, o := portalStr(cmd, "user"), portalStr(cmd, "org")
			if (u == "") == (o == "") {
				return usagef("%s: give exactly one of --user ID and --org ID", cmd.CommandPath())
			}
			return withPortal(cmd, func(ss *portalSession) error {
				l, err := ss.p.Assign(ss.s, args[0], u, o)
				if err != nil {
					return err
				}
				return emit(cmd, l, func(w io.Writer) { fmt.Fprintf(w, "assigned %s to %s\n", l.Key, assigneeText(l)) })
			})
		},
	}
	assign.Flags().String("user", "", "customer user id")
	assign.Flags().String("org", "", "organization id")
	revoke := &cobra.Command{
		Use:   "revoke KEY",
		Short: "Take a license back from its customer",
		Args:  exactArgs(1, "KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				l, err := ss.p.Revoke(ss.s, args[0])
				if err != nil {
					return err
				}
				return emit(cmd, l, func(w io.Writer) { fmt.Fprintf(w, "revoked %s\n", l.Key) })
			})
		},
	}
	export := &cobra.Command{
		Use:   "export --out FILE",
		Short: "Export every license as CSV",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "out"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				var b bytes.Buffer
				if err := ss.p.ExportLicensesCSV(ss.s, &b); err != nil {
					return err
				}
				return portalWrite(cmd, portalStr(cmd, "out"), b.Bytes(), 0o644)
			})
		},
	}
	export.Flags().String("out", "", "CSV file (- for stdout)")
	c.AddCommand(imp, list, show, assign, revoke, export)
	return c
}

func assigneeText(l portal.License) string {
	if l.Assignee == nil {
		return "-"
	}
	return *l.Assignee + " " + l.AssigneeName
}

func allowedText(n *int) string {
	if n == nil {
		return "unlimited"
	}
	return fmt.Sprint(*n)
}

func deactText(l portal.License) string {
	return fmt.Sprintf("%d/%s", l.DeactivationsUsed, allowedText(l.DeactivationsAllowed))
}

func expiresText(l portal.License) string {
	if l.Expires == nil {
		return "never"
	}
	return l.Expires.Format("2006-01-02")
}
