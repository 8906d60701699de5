package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/spf13/cobra"
)

func init() { portalExtra = append(portalExtra, newPortalRequestsCmd, newPortalSigningCmd) }

// newPortalRequestsCmd: the customers' activation requests waiting for an
// admin (customer signing mode "approval"), from the command line.
func newPortalRequestsCmd() *cobra.Command {
	c := newGroup("requests", "Customers' activation requests: list, approve (sign), reject with a reason")
	list := &cobra.Command{
		Use: "list [--state pending|approved|rejected|all]", Short: "List customers' requests, newest first (default: pending)", Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			state := portalStr(cmd, "state")
			if state == "all" {
				state = ""
			}
			return withPortal(cmd, func(ss *portalSession) error {
				pg, err := ss.p.ListRequests(ss.s, portal.RequestQuery{State: state})
				if err != nil {
					return err
				}
				return emit(cmd, pg, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tSTATE\tCUSTOMER\tLICENSE\tHOST\tSUBMITTED")
					for _, r := range pg.Items {
						fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\t%s\t%s\n", r.ID, r.State, r.Customer, r.CustomerName, r.License,
							portalDash(r.Hostname), r.Created.Format(time.RFC3339))
					}
					tw.Flush()
					fmt.Fprintf(w, "%d shown, %d waiting for approval\n", len(pg.Items), pg.Pending)
				})
			})
		},
	}
	list.Flags().String("state", portal.RequestPending, "pending, approved, rejected or all")
	approve := &cobra.Command{
		Use: "approve ID [--out RESP]", Short: "Approve a pending request: sign its response (the customer downloads it from the portal)", Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				r, err := ss.p.ApproveRequest(ss.s, args[0], false)
				if err != nil {
					return err
				}
				if out := portalStr(cmd, "out"); out != "" && r.Response != nil {
					if err := portalWrite(cmd, out, []byte(r.Response.Armored), 0o644); err != nil {
						return err
					}
				}
				r.Response = nil
				return emit(cmd, r, func(w io.Writer) {
					fmt.Fprintf(w, "approved %s: activation %s, license %s for %s\n", r.ID, r.Activation, r.License, r.CustomerName)
				})
			})
		},
	}
	approve.Flags().String("out", "", "also write the response file here")
	reject := &cobra.Command{
		Use: "reject ID --reason TEXT", Short: "Reject a pending request; the customer sees the reason", Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "reason"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				r, err := ss.p.RejectRequest(ss.s, args[0], portalStr(cmd, "reason"))
				if err != nil {
					return err
				}
				return emit(cmd, r, func(w io.Writer) { fmt.Fprintf(w, "rejected %s: %s\n", r.ID, r.Reason) })
			})
		},
	}
	reject.Flags().String("reason", "", "what the customer is told (1 to 500 characters)")
	c.AddCommand(list, approve, reject)
	return c
}

// newPortalSigningCmd chooses how customers' requests are signed. Unlocking
// immediate signing only lasts for a process, so it is a flag of serve
// (--unlock-customer-signing), not a command here.
func newPortalSigningCmd() *cobra.Command {
	c := newGroup("signing", "How customers' requests are signed: approval by an admin (default) or immediate")
	show := func(cmd *cobra.Command, st portal.SigningState) error {
		return emit(cmd, st, func(w io.Writer) {
			fmt.Fprintf(w, "customer signing: %s\nwaiting for approval: %d\n", st.Mode, st.Pending)
		})
	}
	mode := &cobra.Command{
		Use: "mode approval|immediate", Short: "Choose approval (each request waits for an admin) or immediate (serve --unlock-customer-signing signs at once)", Args: exactArgs(1, "MODE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				st, err := ss.p.SetSigningMode(ss.s, args[0])
				if err != nil {
					return err
				}
				return show(cmd, st)
			})
		},
	}
	status := &cobra.Command{
		Use: "show", Short: "Show the customer signing mode and how many requests wait", Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPortal(cmd, func(ss *portalSession) error {
				st, err := ss.p.SigningStatus(ss.s)
				if err != nil {
					return err
				}
				return show(cmd, st)
			})
		},
	}
	c.AddCommand(mode, status)
	return c
}
