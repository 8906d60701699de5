package main

import (
	"fmt"
	"io"
	"time"

	"github.com/resellerportal/portal/backend/demo"
	"github.com/resellerportal/portal/backend/portal"
	"github.com/spf13/cobra"
)

func init() { portalExtra = append(portalExtra, newPortalDemoCmd) }

// demoOut is what `portal demo --json` prints: the demo's contents and the
// sample files written, if any.
type demoOut struct {
	demo.Info
	SampleOut       string `json:"sample_out,omitempty"`
	PublisherKeyOut string `json:"publisher_key_out,omitempty"`
}

func newPortalDemoCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "demo [--db FILE] [--sample-out REQ] [--publisher-key-out PUB]",
		Short: "Make a demo database to try the portal without a publisher",
		Long: "rpctl portal demo makes a NEW database (it refuses an existing file) holding a demo: a demo publisher " +
			"made on the spot (its private key only ever in memory, gone once the database is made), the portal " +
			"\"" + demo.ResellerName + "\" enrolled with it, one bundle of 50 licenses of two products, three " +
			"customers, a few assignments and a sample activation request. Its one admin is \"" + demo.AdminName +
			"\" with the documented demo password \"" + demo.Password + "\": a demo database is not for real customers.\n\n" +
			"--db defaults to " + demo.FileName + " beside the desktop app's database (the one the app's \"Try it " +
			"with a demo publisher\" opens). --sample-out writes the sample activation request, --publisher-key-out " +
			"the demo publisher's public key file (what a customer's software needs to install the response).",
		Args: exactArgs(0),
		RunE: runPortalDemo,
	}
	c.Flags().String("sample-out", "", "write the sample activation request to this file")
	c.Flags().String("publisher-key-out", "", "write the demo publisher's public key file here")
	return c
}

func runPortalDemo(cmd *cobra.Command, _ []string) error {
	path := portalStr(cmd, "db")
	if path == "" {
		real, err := portal.DefaultDBPath()
		if err != nil {
			return portalRefuse(err)
		}
		path = demo.PathBeside(real)
	} else {
		var err error
		if path, err = portalDBPath(cmd); err != nil {
			return portalRefuse(err)
		}
	}
	if portalStr(cmd, "sample-out") == "-" || portalStr(cmd, "publisher-key-out") == "-" {
		return usagef("%s: --sample-out and --publisher-key-out take a file (the armored texts are in --json)", cmd.CommandPath())
	}
	info, err := demo.Create(path, time.Now(), portalOptions...)
	if err != nil {
		return portalRefuse(err)
	}
	out := demoOut{Info: info, SampleOut: portalStr(cmd, "sample-out"), PublisherKeyOut: portalStr(cmd, "publisher-key-out")}
	if out.SampleOut != "" {
		if err := portalWrite(cmd, out.SampleOut, []byte(info.Sample.Request), 0o644); err != nil {
			return portalRefuse(err)
		}
	}
	if out.PublisherKeyOut != "" {
		if err := portalWrite(cmd, out.PublisherKeyOut, []byte(info.Sample.PublisherKey), 0o644); err != nil {
			return portalRefuse(err)
		}
	}
	return emit(cmd, out, func(w io.Writer) { printDemo(w, out) })
}

func printDemo(w io.Writer, out demoOut) {
	in := out.Info
	fmt.Fprintf(w, "made a demo database at %s (a demo: not for real customers)\n", in.DB)
	fmt.Fprintf(w, "  reseller   %s, enrolled with demo publisher %s (its private key was never written and is gone)\n", in.Reseller, in.PublisherKeyID)
	for i, p := range in.Products {
		label := "products"
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(w, "  %-10s %s %q: %s\n", label, p.ID, p.Name, demoCount(p.Licenses, "license"))
	}
	fmt.Fprintf(w, "  licenses   %d in one bundle, %d assigned\n", in.Licenses, in.Assigned)
	for i, c := range in.Customers {
		label := "customers"
		if i > 0 {
			label = ""
		}
		who := c.Kind
		if c.Email != "" {
			who = c.Email
		}
		if c.Org != "" {
			who += ", in " + c.Org
		}
		fmt.Fprintf(w, "  %-10s %s %s (%s): %s\n", label, c.ID, c.Name, who, demoCount(len(c.Licenses), "license"))
	}
	fmt.Fprintf(w, "  admin      %s, password %q (the documented demo password)\n", in.Admin, in.Password)
	fmt.Fprintf(w, "sample activation request: license %s (%s)", in.Sample.License, in.Sample.Product)
	req := out.SampleOut
	if req != "" {
		fmt.Fprintf(w, ", written to %s", req)
	} else {
		req = "sample-request.txt"
		fmt.Fprint(w, " (write it with --sample-out FILE, or save it from the app)")
	}
	fmt.Fprintln(w)
	if out.PublisherKeyOut != "" {
		fmt.Fprintf(w, "demo publisher key file written to %s\n", out.PublisherKeyOut)
	}
	fmt.Fprintf(w, "try it:\n  RP_PASSWORD=%s rpctl portal --db %s activate --in %s --out sample-response.txt\n", in.Password, in.DB, req)
	fmt.Fprintf(w, "  or in a browser: rpctl portal serve --db %s, sign in as %s, open #/activate\n", in.DB, in.Admin)
}

func demoCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
