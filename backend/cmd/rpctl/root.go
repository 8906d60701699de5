package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/resellerportal/portal/backend/rpc"
	"github.com/spf13/cobra"
)

// groups holds the constructors of the command groups; each group's file
// appends to it in an init function, so groups stay independent files.
var groups []func() *cobra.Command

// usageError marks an error as bad usage (exit code 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// usagef returns a bad-usage error (exit code 2).
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// newRoot builds the whole command tree.
func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "rpctl",
		Short:         "Reseller Portal headless command line",
		Long:          "rpctl drives Reseller Portal without a window: `vendor` is the publisher's tool, `portal` does everything a reseller admin can do, `client` plays the customer's machine.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// --version: the release version and commit the build stamped in
	// (build/scripts/version.sh via -ldflags; "dev" for a plain go build).
	v := rpc.BuildVersion()
	root.Version = v.Version
	root.SetVersionTemplate(fmt.Sprintf("rpctl %s (commit %s)\n", v.Version, v.Commit))
	root.Args = groupArgs
	root.RunE = groupRun
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().Bool("json", false, "print one JSON document on stdout")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	for _, g := range groups {
		root.AddCommand(g())
	}
	return root
}

// run executes rpctl with args and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "rpctl:", err)
	if isUsage(err) {
		return 2
	}
	return 1
}

// isUsage tells bad usage from a refused operation. Cobra does not type its
// own usage errors, so their fixed wordings are recognised here too.
func isUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "required flag", "accepts ", "requires at least", "requires at most", "received ", "invalid argument", "flag needs an argument", "if any flags in the group"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

// newGroup makes a command that only holds subcommands: run bare it prints
// its help; run with an unknown word it is bad usage.
func newGroup(use, short string) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Args: groupArgs, RunE: groupRun}
}

func groupArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

func groupRun(cmd *cobra.Command, args []string) error { return cmd.Help() }

// jsonOut reports whether --json was given.
func jsonOut(cmd *cobra.Command) bool {
	v, _ := cmd.Flags().GetBool("json")
	return v
}

// emit prints obj as JSON under --json, otherwise calls human.
func emit(cmd *cobra.Command, obj any, human func(w io.Writer)) error {
	w := cmd.OutOrStdout()
	if jsonOut(cmd) {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(obj)
	}
	human(w)
	return nil
}

// exactArgs is cobra.ExactArgs with a bad-usage error.
func exactArgs(n int, names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			if len(names) > 0 {
				return usagef("%s: expected %s (%d argument(s)), got %d", cmd.CommandPath(), strings.Join(names, " "), n, len(args))
			}
			return usagef("%s: expected %d argument(s), got %d", cmd.CommandPath(), n, len(args))
		}
		return nil
	}
}

// needFlags returns a bad-usage error naming the first listed flag left empty.
func needFlags(cmd *cobra.Command, names ...string) error {
	for _, n := range names {
		if !cmd.Flags().Changed(n) {
			return usagef("%s: missing required flag --%s", cmd.CommandPath(), n)
		}
	}
	return nil
}

// readSecret reads a secret from a file (when fileFlag names one) or from the
// environment variable env. Secrets never come from argv. A trailing newline
// of the file is dropped.
func readSecret(cmd *cobra.Command, fileFlag, env string) (string, bool, error) {
	if fileFlag != "" {
		if f := cmd.Flags().Lookup(fileFlag); f != nil && f.Value.String() != "" {
			b, err := os.ReadFile(f.Value.String())
			if err != nil {
				return "", false, fmt.Errorf("read --%s: %w", fileFlag, err)
			}
			return strings.TrimRight(string(b), "\r\n"), true, nil
		}
	}
	if v, ok := os.LookupEnv(env); ok {
		return v, true, nil
	}
	return "", false, nil
}

// readInput reads a document from FILE, or from stdin for "-".
func readInput(cmd *cobra.Command, path string, limit int64) ([]byte, error) {
	var r io.Reader
	if path == "-" {
		r = cmd.InOrStdin()
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: input is larger than %d bytes", path, limit)
	}
	return b, nil
}
