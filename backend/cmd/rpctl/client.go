package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/resellerportal/portal/backend/licenseclient"
	"github.com/spf13/cobra"
)

// `rpctl client …`: the customer's machine, a thin layer over
// backend/licenseclient (docs in /work/shared/spec/CLI.md).

func init() { groups = append(groups, newClientCmd) }

func newClientCmd() *cobra.Command {
	g := newGroup("client", "Customer side: activation requests, installing responses, status, deactivation")
	g.Long = "Plays the publisher's software on a customer machine. --state DIR holds this installation's key and " +
		"activation (one file). --machine-id ID stands in for the machine's real id so tests can play several " +
		"machines on one host; DIR remembers it, so later commands need not repeat it."
	g.PersistentFlags().String("state", "", "state directory of this installation")
	g.PersistentFlags().String("machine-id", "", "stand-in machine id (remembered in the state)")
	g.PersistentFlags().String("publisher-key", "", "publisher public key file (publisher.pub) or the key itself")
	g.AddCommand(newClientRequestCmd(), newClientInstallCmd(), newClientStatusCmd(), newClientDeactivateCmd())
	return g
}

// clientOpen builds the licenseclient for the flags; withKey requires
// --publisher-key.
func clientOpen(cmd *cobra.Command, withKey bool) (*licenseclient.Client, error) {
	need := []string{"state"}
	if withKey {
		need = append(need, "publisher-key")
	}
	if err := needFlags(cmd, need...); err != nil {
		return nil, err
	}
	opts := licenseclient.Options{StateDir: strFlag(cmd, "state"), MachineID: strFlag(cmd, "machine-id"), AppVersion: "rpctl"}
	if withKey {
		k, err := clientPublisherKey(strFlag(cmd, "publisher-key"))
		if err != nil {
			return nil, err
		}
		opts.PublisherKey = k
	}
	return licenseclient.New(opts)
}

func newClientRequestCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "request --state DIR --product ID --license KEY --out REQ [--qr PNG]",
		Short: "Make an activation request",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "product", "license", "out"); err != nil {
				return err
			}
			cl, err := clientOpen(cmd, false)
			if err != nil {
				return err
			}
			doc, err := cl.NewRequest(strFlag(cmd, "product"), strFlag(cmd, "license"))
			if errors.Is(err, licenseclient.ErrNoMachineID) {
				return fmt.Errorf("%w (give --machine-id to name this machine)", err)
			}
			if err != nil {
				return err
			}
			out, qrPath, err := writeDocOut(cmd, doc)
			if err != nil {
				return err
			}
			if out == "-" {
				return nil
			}
			obj := map[string]any{"product": strFlag(cmd, "product"), "license_key": strFlag(cmd, "license"),
				"out": out, "qr": qrPath, "compact": doc.Compact()}
			return emit(cmd, obj, func(w io.Writer) {
				fmt.Fprintf(w, "activation request for %s of %s written to %s\n", obj["license_key"], obj["product"], out)
				if qrPath != "" {
					fmt.Fprintf(w, "QR code: %s\n", qrPath)
				}
			})
		},
	}
	c.Flags().String("product", "", "product id")
	c.Flags().String("license", "", "license key")
	c.Flags().String("out", "", "request file to write (- for stdout)")
	c.Flags().String("qr", "", "also write the request as a QR code PNG")
	return c
}

func newClientInstallCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "install --state DIR --publisher-key PUB --in RESP",
		Short: "Verify and install an activation response",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "in"); err != nil {
				return err
			}
			cl, err := clientOpen(cmd, true)
			if err != nil {
				return err
			}
			data, err := readDocument(cmd, strFlag(cmd, "in"))
			if err != nil {
				return err
			}
			st, err := cl.Install(data)
			if err != nil {
				return err
			}
			return emit(cmd, st, func(w io.Writer) { clientPrintStatus(w, st) })
		},
	}
	c.Flags().String("in", "", "activation response: armored file, QR text, or QR image (- for stdin)")
	return c
}

func newClientStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status --state DIR --publisher-key PUB",
		Short: "Is this machine licensed, until when (exits 0 whether or not it is)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := clientOpen(cmd, true)
			if err != nil {
				return err
			}
			st, err := cl.Status()
			if err != nil {
				return err
			}
			return emit(cmd, st, func(w io.Writer) { clientPrintStatus(w, st) })
		},
	}
}

func newClientDeactivateCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "deactivate --state DIR --out REQ [--qr PNG]",
		Short: "Remove the local activation and make a deactivation request",
		Long: "Makes a deactivation request signed by the installation key, then destroys the local activation " +
			"and the installation key. Run again, it writes the same request again (in case the first was lost).",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "out"); err != nil {
				return err
			}
			cl, err := clientOpen(cmd, false)
			if err != nil {
				return err
			}
			doc, err := cl.Deactivate()
			if err != nil {
				return err
			}
			out, qrPath, err := writeDocOut(cmd, doc)
			if err != nil {
				return err
			}
			if out == "-" {
				return nil
			}
			obj := map[string]any{"deactivated": true, "out": out, "qr": qrPath, "compact": doc.Compact()}
			return emit(cmd, obj, func(w io.Writer) {
				fmt.Fprintf(w, "local activation removed; give the deactivation request %s to your reseller\n", out)
			})
		},
	}
	c.Flags().String("out", "", "deactivation request file to write (- for stdout)")
	c.Flags().String("qr", "", "also write the request as a QR code PNG")
	return c
}

func clientPrintStatus(w io.Writer, st *licenseclient.Status) {
	if !st.Activated {
		fmt.Fprintf(w, "not activated: %s", st.Message)
		if st.PendingRequest {
			fmt.Fprintf(w, " (a request for %s of %s awaits its response)", st.LicenseKey, st.Product)
		}
		fmt.Fprintln(w)
		return
	}
	until := "perpetual"
	if st.Expires != nil {
		until = "until " + st.Expires.Format(time.RFC3339)
	}
	fmt.Fprintf(w, "activated: license %s of %s, %s (activation %s, reseller %s)\n", st.LicenseKey, st.Product, until, st.ActivationID, st.ResellerName)
}
