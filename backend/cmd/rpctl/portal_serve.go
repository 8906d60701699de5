package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/resellerportal/portal/backend/demo"
	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/rpc"
	"github.com/resellerportal/portal/backend/webserve"
	"github.com/spf13/cobra"
)

// portalExtra holds constructors of portal subcommands kept in their own
// files outside the portal group's list (serve).
var portalExtra []func() *cobra.Command

func init() { portalExtra = append(portalExtra, newPortalServeCmd) }

// serveContext is the context serve runs under until SIGINT/SIGTERM; tests
// replace it to stop the server.
var serveContext = context.Background

// serveShutdownGrace bounds the wait for in-flight requests on shutdown.
const serveShutdownGrace = 10 * time.Second

// serveInfo is what serve prints once it listens (--json: this object).
type serveInfo struct {
	URL      string `json:"url"`
	Addr     string `json:"addr"`
	DB       string `json:"db"`
	UI       bool   `json:"ui"`
	Loopback bool   `json:"loopback"`
}

func newPortalServeCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web UI and API over HTTP (default 127.0.0.1:8080)",
		Long: "rpctl portal serve puts the same web UI and the same operations as the desktop app on HTTP, " +
			"for a reseller team on a LAN, a custom domain, and browser tests. It starts without a password: " +
			"each browser session signs in. The database is held open (and locked) until SIGINT or SIGTERM.\n\n" +
			"API: POST /api/call/{op} with a JSON body answers a reply {ok, code, message, data} (docs/api.md); " +
			"GET /healthz answers ok.",
		Args: exactArgs(0),
		RunE: runPortalServe,
	}
	f := c.Flags()
	f.String("addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	f.StringSlice("allow-host", nil, "host name browsers may use to reach the portal (repeatable; loopback names are always allowed)")
	f.String("tls-cert", "", "serve HTTPS with this certificate (PEM; needs --tls-key)")
	f.String("tls-key", "", "private key of --tls-cert (PEM)")
	f.Bool("secure-cookies", false, "mark session cookies Secure (behind a TLS-terminating proxy)")
	f.Int64("max-body", webserve.DefaultMaxBody, "largest request body of a signed-in browser, in bytes")
	f.Int("max-sessions", webserve.DefaultMaxSessions, "most signed-in browser sessions held at once")
	f.Duration("idle", webserve.DefaultIdleTimeout, "drop a browser session unused for this long")
	f.String("ui-dir", "", "serve the web UI from this folder instead of the built-in one (UI development)")
	f.Bool("unlock-customer-signing", false, "sign customers' requests at once while this server runs (customer signing mode immediate): "+
		"signs --admin in with RP_PASSWORD or --password-file and keeps the reseller key in this process's memory only, until it stops "+
		"or an admin locks it in settings")
	return c
}

func runPortalServe(cmd *cobra.Command, _ []string) error {
	addr := portalStr(cmd, "addr")
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("%s: --addr %q: want host:port (e.g. 127.0.0.1:8080)", cmd.CommandPath(), addr)
	}
	cert, key := portalStr(cmd, "tls-cert"), portalStr(cmd, "tls-key")
	if (cert == "") != (key == "") {
		return usagef("%s: --tls-cert and --tls-key go together", cmd.CommandPath())
	}
	maxBody, _ := cmd.Flags().GetInt64("max-body")
	maxSessions, _ := cmd.Flags().GetInt("max-sessions")
	idle, _ := cmd.Flags().GetDuration("idle")
	if maxBody < 1<<10 || maxSessions < 1 || idle < time.Second {
		return usagef("%s: --max-body must be at least 1024, --max-sessions at least 1, --idle at least 1s", cmd.CommandPath())
	}
	extraHosts, _ := cmd.Flags().GetStringSlice("allow-host")
	loopback := isLoopbackHost(host)

	var tlsConfig *tls.Config
	if cert != "" {
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return fmt.Errorf("serve: --tls-cert/--tls-key: %w", err)
		}
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{pair}}
	}

	p, err := openPortal(cmd)
	if err != nil {
		return portalRefuse(err)
	}
	defer p.Close()

	stderr := cmd.ErrOrStderr()
	if portalBool(cmd, "unlock-customer-signing") {
		if err := unlockCustomerSigning(cmd, p); err != nil {
			return err
		}
		fmt.Fprintln(stderr, "customer signing unlocked for this process: customers' requests are signed at once, within their licenses' limits, and audited")
	}
	var static fs.FS
	if dir, _ := cmd.Flags().GetString("ui-dir"); dir != "" {
		static = os.DirFS(dir)
	}
	// the first-run screen's demo: portal-demo.db beside the served database
	caller := rpc.New(p)
	caller.EnableDemo(demo.PathBeside(p.Path()), portalOptions...)
	defer caller.Close()
	domain := customDomain(p)
	ws := webserve.New(caller, webserve.Options{
		Static:        static,
		AllowedHosts:  serveAllowedHosts(loopback, extraHosts, domain),
		Domain:        domain,
		SecureCookies: portalBool(cmd, "secure-cookies") || cert != "",
		MaxBody:       maxBody,
		MaxSessions:   maxSessions,
		IdleTimeout:   idle,
		Log:           log.New(stderr, "rpctl serve: ", log.LstdFlags),
	})
	defer ws.Close()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()

	scheme := "http"
	if cert != "" {
		scheme = "https"
	}
	info := serveInfo{URL: scheme + "://" + ln.Addr().String() + "/", Addr: ln.Addr().String(), DB: p.Path(), UI: ws.HasUI(), Loopback: loopback}
	if !loopback {
		fmt.Fprintf(stderr, "warning: listening on %s, not a loopback address: anyone who can reach it can try to sign in", info.Addr)
		if cert == "" {
			fmt.Fprint(stderr, ", and passwords cross the network unencrypted (use --tls-cert/--tls-key or a TLS proxy)")
		}
		if len(extraHosts) == 0 {
			fmt.Fprint(stderr, "; only this machine's addresses, loopback names and the custom domain are accepted as Host (name others with --allow-host)")
		}
		fmt.Fprintln(stderr)
	}
	if !info.UI {
		fmt.Fprintln(stderr, "warning: this rpctl embeds no built web UI (build it with `npm --prefix frontend run build`, then rebuild rpctl); the API works")
	}
	if err := emit(cmd, info, func(w io.Writer) {
		fmt.Fprintf(w, "serving Reseller Portal on %s (database %s); stop with Ctrl-C\n", info.URL, info.DB)
	}); err != nil {
		return err
	}

	hs := &http.Server{
		Handler:           ws.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(stderr, "rpctl serve: http: ", log.LstdFlags),
		TLSConfig:         tlsConfig,
	}
	ctx, stop := signal.NotifyContext(serveContext(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			served <- hs.ServeTLS(ln, "", "")
		} else {
			served <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	stop()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), serveShutdownGrace)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		hs.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "rpctl serve: %v\n", err)
	}
	ws.Close()
	if err := caller.Close(); err != nil {
		fmt.Fprintf(stderr, "rpctl serve: close the demo database: %v\n", err)
	}
	if err := p.Close(); err != nil {
		return fmt.Errorf("serve: close database: %w", err)
	}
	if !jsonOut(cmd) {
		fmt.Fprintln(cmd.OutOrStdout(), "stopped; database closed")
	}
	return nil
}

// isLoopbackHost reports whether a listen host only accepts local clients.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveAllowedHosts is the Host allow-list, never empty (so a DNS-rebinding
// web page cannot reach the portal): loopback names, --allow-host names and
// the portal's custom domain (settings), plus this machine's addresses when
// not on loopback. Nothing else.
func serveAllowedHosts(loopback bool, extra []string, domain string) []string {
	hosts := append([]string{"localhost", "127.0.0.1", "::1"}, extra...)
	if domain != "" {
		hosts = append(hosts, domain)
	}
	if !loopback {
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if ipn, ok := a.(*net.IPNet); ok {
					hosts = append(hosts, ipn.IP.String())
				}
			}
		}
	}
	return hosts
}

// customDomain is the portal's configured custom domain ("" when none).
func customDomain(p *portal.Portal) string {
	b, err := p.Branding()
	if err != nil {
		return ""
	}
	return b.Domain
}

// unlockCustomerSigning unlocks immediate customer signing in p for this
// process with an admin's password (never from argv).
func unlockCustomerSigning(cmd *cobra.Command, p *portal.Portal) error {
	pw, err := portalPassword(cmd)
	if err != nil {
		return err
	}
	s, err := signInAdmin(cmd, p, pw)
	if err != nil {
		return err
	}
	defer s.Lock()
	if _, err := p.UnlockCustomerSigning(s, pw); err != nil {
		return portalRefuse(err)
	}
	return nil
}
