package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/rpc"
	"github.com/spf13/cobra"
)

func newPortalActivateCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "activate --in REQ --out RESP [--qr PNG] [--sheet PDF]",
		Short: "Offline activation: verify a request, sign the response (again: same activation)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			need := []string{"in", "out"}
			if portalBool(cmd, "preview") {
				need = need[:1]
			}
			if err := needFlags(cmd, need...); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				req, err := portalReadDoc(cmd, portalStr(cmd, "in"))
				if err != nil {
					return err
				}
				if portalBool(cmd, "preview") {
					pv, err := ss.p.PreviewActivation(ss.s, req)
					if err != nil {
						return err
					}
					return emit(cmd, pv, func(w io.Writer) {
						fmt.Fprintf(w, "license %s (%s) for %s %s\nmachine %s host %s os %s app %s\nactivations %d of %d used, %d left after this\n",
							pv.License, pv.Product, portalDash(pv.Customer), pv.CustomerName, pv.Machine[:16], portalDash(pv.Hostname), portalDash(pv.OS), portalDash(pv.AppVersion),
							pv.ActivationsUsed, pv.ActivationsAllowed, pv.ActivationsLeft)
						if !pv.OK {
							fmt.Fprintf(w, "would be refused: %s [%s]\n", pv.Message, pv.Code)
						}
					})
				}
				qrPath := portalStr(cmd, "qr")
				res, err := ss.p.Activate(ss.s, req, qrPath != "")
				if err != nil {
					return err
				}
				if err := portalWrite(cmd, portalStr(cmd, "out"), []byte(res.Response.Armored), 0o644); err != nil {
					return err
				}
				if qrPath != "" {
					png, err := base64.StdEncoding.DecodeString(res.QRPNG)
					if err != nil {
						return err
					}
					if err := portalWrite(cmd, qrPath, png, 0o644); err != nil {
						return err
					}
				}
				if sheetPath := portalStr(cmd, "sheet"); sheetPath != "" {
					// the sheet answers this very request (its nonce)
					f, err := rpc.ActivationSheet(ss.p, ss.s, res.Activation.ID, req)
					if err != nil {
						return err
					}
					if err := portalWrite(cmd, sheetPath, f.PDF, 0o644); err != nil {
						return err
					}
				}
				return emit(cmd, res.Activation, func(w io.Writer) {
					verb := "activated"
					if res.Repeat {
						verb = "already activated (same activation)"
					}
					fmt.Fprintf(w, "%s: %s license %s for %s, machine %s; response in %s\n", verb, res.Activation.ID, res.Activation.License,
						res.Activation.CustomerName, portalDash(res.Activation.Hostname), portalStr(cmd, "out"))
				})
			})
		},
	}
	c.Flags().String("in", "", "activation request, armored or compact (- for stdin)")
	c.Flags().String("out", "", "response file to write")
	c.Flags().String("qr", "", "also write the response as a QR code PNG")
	c.Flags().String("sheet", "", "also write the printable activation sheet (one A4 PDF page: customer, license, machine, QR code, instructions)")
	c.Flags().Bool("preview", false, "only show what would happen (customer, license, machine, activations left)")
	return c
}

func newPortalDeactivateCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "deactivate --in REQ",
		Short: "Offline deactivation: verify a request and free the slot (once)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "in"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				req, err := portalReadDoc(cmd, portalStr(cmd, "in"))
				if err != nil {
					return err
				}
				a, err := ss.p.Deactivate(ss.s, req)
				if err != nil {
					return err
				}
				return emit(cmd, a, func(w io.Writer) { fmt.Fprintf(w, "deactivated %s (license %s)\n", a.ID, a.License) })
			})
		},
	}
	c.Flags().String("in", "", "deactivation request, armored or compact (- for stdin)")
	return c
}

func newPortalBatchCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "batch --dir DIR",
		Short: "Process every request in DIR, writing responses beside them (exit 1 if any failed)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "dir"); err != nil {
				return err
			}
			return withPortal(cmd, func(ss *portalSession) error {
				progress := func(done, total int) {
					if !jsonOut(cmd) {
						fmt.Fprintf(cmd.ErrOrStderr(), "\r%d/%d", done, total)
					}
				}
				res, err := ss.p.Batch(ss.s, portalStr(cmd, "dir"), progress)
				if err != nil {
					return err
				}
				if !jsonOut(cmd) && len(res.Items) > 0 {
					fmt.Fprintln(cmd.ErrOrStderr())
				}
				if err := emit(cmd, res, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
					for _, it := range res.Items {
						if it.OK {
							fmt.Fprintf(tw, "%s\tok\t%s %s\t%s\n", it.File, it.Kind, it.Activation, it.Response)
						} else {
							fmt.Fprintf(tw, "%s\tFAILED\t%s\t[%s]\n", it.File, it.Message, it.Code)
						}
					}
					tw.Flush()
					fmt.Fprintf(w, "%d files: %d activated, %d deactivated, %d failed\n", len(res.Items), res.Activated, res.Deactivated, res.Failed)
				}); err != nil {
					return err
				}
				if res.Failed > 0 {
					return fmt.Errorf("%w: %d of %d files failed", portal.ErrInvalidInput, res.Failed, len(res.Items))
				}
				return nil
			})
		},
	}
	c.Flags().String("dir", "", "folder of request files")
	return c
}

func newPortalActivationsCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "activations [--license KEY] [--customer ID]",
		Short: "List activations, newest first",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			st := portalStr(cmd, "status")
			if st != "" && st != portal.ActStatusActive && st != portal.ActStatusDeactivated {
				return usagef("%s: --status must be active or deactivated", cmd.CommandPath())
			}
			return withPortal(cmd, func(ss *portalSession) error {
				if out := portalStr(cmd, "csv"); out != "" {
					var b bytes.Buffer
					if err := ss.p.ExportActivationsCSV(ss.s, &b); err != nil {
						return err
					}
					return portalWrite(cmd, out, b.Bytes(), 0o644)
				}
				as, err := ss.p.ListActivations(ss.s, portal.ActivationQuery{License: portalStr(cmd, "license"),
					Customer: portalStr(cmd, "customer"), Status: st, Limit: portalInt(cmd, "limit")})
				if err != nil {
					return err
				}
				return emit(cmd, as, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tLICENSE\tSTATUS\tCUSTOMER\tMACHINE\tHOST\tCREATED")
					for _, a := range as {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.License, a.Status, a.Customer+" "+a.CustomerName,
							a.Machine[:16], portalDash(a.Hostname), a.Created.Format("2006-01-02 15:04"))
					}
					tw.Flush()
				})
			})
		},
	}
	c.Flags().String("license", "", "only this license's activations")
	c.Flags().String("customer", "", "only this customer's (u<n> or o<n>)")
	c.Flags().String("status", "", "active or deactivated")
	c.Flags().Int("limit", 0, "at most N (0: all)")
	c.Flags().String("csv", "", "export every activation as CSV to this file instead")
	return c
}
