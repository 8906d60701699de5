package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/resellerportal/portal/backend/publisher"
	"github.com/resellerportal/portal/backend/seal"
	"github.com/spf13/cobra"
)

// `rpctl vendor …`: the publisher's tool (docs in /work/shared/spec/CLI.md).

func init() { groups = append(groups, newVendorCmd) }

// vendorSealParams are the Argon2id parameters for a new sealed publisher
// key; tests lower them.
var vendorSealParams = seal.DefaultParams

func newVendorCmd() *cobra.Command {
	g := newGroup("vendor", "Publisher tool: root key, products, reseller certificates, allocation bundles, reports")
	g.Long = "The publisher's side of the trust chain. DIR (--dir) holds the publisher root key (publisher.key, " +
		"passphrase-protected when RP_VENDOR_PASSPHRASE or --passphrase-file is given, otherwise mode 0600), " +
		"the public key file publisher.pub, the products and the serial numbers."
	g.PersistentFlags().String("dir", "", "publisher directory")
	g.PersistentFlags().String("passphrase-file", "", "file holding the publisher key passphrase (else RP_VENDOR_PASSPHRASE)")
	g.AddCommand(newVendorInitCmd(), newVendorProductCmd(), newVendorEnrollCmd(), newVendorAllocateCmd(), newVendorReportCmd())
	return g
}

func vendorPassphrase(cmd *cobra.Command) ([]byte, error) {
	v, _, err := readSecret(cmd, "passphrase-file", "RP_VENDOR_PASSPHRASE")
	return []byte(v), err
}

func vendorOpen(cmd *cobra.Command) (*publisher.Publisher, error) {
	if err := needFlags(cmd, "dir"); err != nil {
		return nil, err
	}
	pass, err := vendorPassphrase(cmd)
	if err != nil {
		return nil, err
	}
	return publisher.Open(strFlag(cmd, "dir"), pass)
}

func newVendorInitCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "init --dir DIR",
		Short: "Make the publisher root key pair in DIR (refuses to overwrite)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "dir"); err != nil {
				return err
			}
			pass, err := vendorPassphrase(cmd)
			if err != nil {
				return err
			}
			dir := strFlag(cmd, "dir")
			p, err := publisher.Init(dir, pass, vendorSealParams)
			if err != nil {
				return err
			}
			out := map[string]any{"dir": dir, "key_id": p.KeyID(), "public_key": clientB64(p.PublicKey()),
				"public_key_file": filepath.Join(dir, publisher.PubFile), "private_key_file": filepath.Join(dir, publisher.KeyFile), "sealed": len(pass) > 0}
			return emit(cmd, out, func(w io.Writer) {
				prot := "unprotected, mode 0600"
				if len(pass) > 0 {
					prot = "sealed with the passphrase"
				}
				fmt.Fprintf(w, "publisher key %s created\npublic key file:  %s (give it to the client library)\nprivate key file: %s (%s)\n",
					p.KeyID(), out["public_key_file"], out["private_key_file"], prot)
			})
		},
	}
	return c
}

func newVendorProductCmd() *cobra.Command {
	g := newGroup("product", "Register and list products")
	add := &cobra.Command{
		Use:   "add --dir DIR --name NAME [--id ID]",
		Short: "Register a product; prints its id",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "dir", "name"); err != nil {
				return err
			}
			p, err := publisher.OpenPublic(strFlag(cmd, "dir"))
			if err != nil {
				return err
			}
			prod, err := p.AddProduct(strFlag(cmd, "name"), strFlag(cmd, "id"))
			if err != nil {
				return err
			}
			return emit(cmd, prod, func(w io.Writer) { fmt.Fprintln(w, prod.ID) })
		},
	}
	add.Flags().String("name", "", "product name")
	add.Flags().String("id", "", "product id (default: made from the name)")
	list := &cobra.Command{
		Use:   "list --dir DIR",
		Short: "List the registered products",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "dir"); err != nil {
				return err
			}
			p, err := publisher.OpenPublic(strFlag(cmd, "dir"))
			if err != nil {
				return err
			}
			ps, err := p.Products()
			if err != nil {
				return err
			}
			if ps == nil {
				ps = []publisher.Product{}
			}
			return emit(cmd, ps, func(w io.Writer) {
				for _, q := range ps {
					fmt.Fprintf(w, "%s\t%s\n", q.ID, q.Name)
				}
			})
		},
	}
	g.AddCommand(add, list)
	return g
}

func newVendorEnrollCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "enroll --dir DIR --request FILE --products ID[,ID…] [--valid-days N] --out CERT",
		Short: "Turn a reseller's enrollment request into a reseller certificate",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "dir", "request", "products", "out"); err != nil {
				return err
			}
			days, _ := cmd.Flags().GetInt("valid-days")
			if days < 1 {
				return usagef("--valid-days must be at least 1")
			}
			products, _ := cmd.Flags().GetStringSlice("products")
			for i := range products {
				products[i] = strings.TrimSpace(products[i])
			}
			p, err := vendorOpen(cmd)
			if err != nil {
				return err
			}
			req, err := readDocument(cmd, strFlag(cmd, "request"))
			if err != nil {
				return err
			}
			doc, cert, err := p.Enroll(req, products, days)
			if err != nil {
				return err
			}
			out := strFlag(cmd, "out")
			if err := writeOut(cmd, out, doc.Armor(), 0o644); err != nil {
				return err
			}
			obj := map[string]any{"serial": cert.Serial, "reseller_id": cert.ResellerID, "reseller_name": cert.ResellerName,
				"products": cert.Products, "not_before": cert.NotBefore, "not_after": cert.NotAfter,
				"publisher_key": cert.PublisherKey.String(), "out": out}
			if out == "-" {
				return nil
			}
			return emit(cmd, obj, func(w io.Writer) {
				fmt.Fprintf(w, "certificate %d for %s (%s), products %s, valid until %s, written to %s\n", cert.Serial, cert.ResellerName,
					cert.ResellerID, strings.Join(cert.Products, ","), cert.NotAfter.Format(time.DateOnly), out)
			})
		},
	}
	c.Flags().String("request", "", "enrollment request file (armored or QR text; - for stdin)")
	c.Flags().StringSlice("products", nil, "product ids the reseller may serve, comma separated")
	c.Flags().Int("valid-days", publisher.DefaultValidDays, "validity of the certificate in days")
	c.Flags().String("out", "", "certificate file to write (- for stdout)")
	return c
}

func newVendorAllocateCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "allocate --dir DIR --cert CERT --product ID --count N --activations A [--deactivations D] [--expires YYYY-MM-DD] --out BUNDLE",
		Short: "Sign an allocation bundle of N new licenses for a reseller; prints their keys",
		Long: "Sign an allocation bundle of N new licenses for the reseller CERT certifies. Without --deactivations " +
			"deactivations are unlimited; without --expires the licenses are perpetual. --expires YYYY-MM-DD: " +
			"the licenses are valid through that day (UTC).",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "dir", "cert", "product", "count", "activations", "out"); err != nil {
				return err
			}
			a := publisher.Allocation{Product: strFlag(cmd, "product")}
			a.Count, _ = cmd.Flags().GetInt("count")
			a.ActivationsAllowed, _ = cmd.Flags().GetInt("activations")
			if a.Count < 1 || a.Count > publisher.MaxBundleLicenses {
				return usagef("--count must be 1-%d", publisher.MaxBundleLicenses)
			}
			if a.ActivationsAllowed < 1 {
				return usagef("--activations must be at least 1")
			}
			if cmd.Flags().Changed("deactivations") {
				d, _ := cmd.Flags().GetInt("deactivations")
				if d < 0 {
					return usagef("--deactivations must not be negative")
				}
				a.DeactivationsAllowed = &d
			}
			if cmd.Flags().Changed("expires") {
				day, err := time.Parse(time.DateOnly, strFlag(cmd, "expires"))
				if err != nil {
					return usagef("--expires: want YYYY-MM-DD, got %q", strFlag(cmd, "expires"))
				}
				end := day.Add(24*time.Hour - time.Second) // valid through that day
				a.Expires = &end
			}
			feats, _ := cmd.Flags().GetStringToString("feature")
			if len(feats) > 0 {
				a.Features = feats
			}
			p, err := vendorOpen(cmd)
			if err != nil {
				return err
			}
			cert, err := readDocument(cmd, strFlag(cmd, "cert"))
			if err != nil {
				return err
			}
			doc, b, err := p.Allocate(cert, a)
			if err != nil {
				return err
			}
			out := strFlag(cmd, "out")
			if err := writeOut(cmd, out, doc.Armor(), 0o644); err != nil {
				return err
			}
			if out == "-" {
				return nil
			}
			type lic struct {
				Key                  string     `json:"key"`
				Product              string     `json:"product"`
				ActivationsAllowed   int        `json:"activations_allowed"`
				DeactivationsAllowed *int       `json:"deactivations_allowed"`
				Expires              *time.Time `json:"expires"`
			}
			lics := make([]lic, len(b.Licenses))
			for i, l := range b.Licenses {
				lics[i] = lic{l.Key, l.Product, l.ActivationsAllowed, l.DeactivationsAllowed, l.Expires}
			}
			obj := map[string]any{"bundle": b.BundleID, "reseller_id": b.ResellerID, "product": a.Product, "count": len(lics), "out": out, "licenses": lics}
			return emit(cmd, obj, func(w io.Writer) {
				fmt.Fprintf(cmd.ErrOrStderr(), "bundle %s: %d licenses of %s for reseller %s written to %s\n", b.BundleID, len(lics), a.Product, b.ResellerID, out)
				for _, l := range lics {
					fmt.Fprintln(w, l.Key)
				}
			})
		},
	}
	c.Flags().String("cert", "", "the reseller's certificate (as issued by `vendor enroll`)")
	c.Flags().String("product", "", "product id")
	c.Flags().Int("count", 0, "number of licenses")
	c.Flags().Int("activations", 0, "allowed activations per license")
	c.Flags().Int("deactivations", 0, "allowed deactivations per license (default: unlimited)")
	c.Flags().String("expires", "", "last day of validity, YYYY-MM-DD (default: perpetual)")
	c.Flags().StringToString("feature", nil, "feature/metadata key=value (repeatable)")
	c.Flags().String("out", "", "bundle file to write (- for stdout)")
	return c
}

func newVendorReportCmd() *cobra.Command {
	g := newGroup("report", "Activation reports from resellers")
	verify := &cobra.Command{
		Use:   "verify --dir DIR --in FILE",
		Short: "Verify a reseller's activation report and summarise it",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needFlags(cmd, "dir", "in"); err != nil {
				return err
			}
			p, err := publisher.OpenPublic(strFlag(cmd, "dir"))
			if err != nil {
				return err
			}
			data, err := readDocument(cmd, strFlag(cmd, "in"))
			if err != nil {
				return err
			}
			s, err := p.VerifyReport(data)
			if err != nil {
				return err
			}
			return emit(cmd, s, func(w io.Writer) {
				fmt.Fprintf(w, "report %d from %s (%s), certificate %d, made %s: signature valid\n", s.Number, s.ResellerName, s.ResellerID,
					s.CertificateSerial, s.CreatedAt.Format(time.RFC3339))
				fmt.Fprintf(w, "%d activations, %d deactivations, %d licenses\n", s.Activations, s.Deactivations, len(s.Licenses))
				switch {
				case s.Duplicate:
					fmt.Fprintf(w, "note: report %d was already seen (latest seen: %d)\n", s.Number, s.PreviousNumber)
				case s.Missing > 0:
					fmt.Fprintf(w, "note: %d report(s) missing since report %d\n", s.Missing, s.PreviousNumber)
				}
				for _, l := range s.Licenses {
					fmt.Fprintf(w, "  %s  %-16s +%d -%d\n", l.Key, l.Product, l.Activations, l.Deactivations)
				}
			})
		},
	}
	verify.Flags().String("in", "", "activation report file (- for stdin)")
	g.AddCommand(verify)
	return g
}
