package rpc

// ServerInfo tells the settings screen how this process puts the portal on
// the network: the URL a team would use and whether it is served now. The
// dispatcher answers "not serving" (the desktop window, rpctl); the HTTP
// server (backend/webserve) fills it in for its own callers.
type ServerInfo struct {
	// Serving is true when the caller reached the portal over HTTP.
	Serving bool `json:"serving"`
	// TLS: the request came over TLS (rpctl portal serve --tls-cert).
	TLS bool `json:"tls"`
	// ProxyTLS: serve marks cookies Secure for a TLS proxy in front
	// (--secure-cookies) while itself speaking plain HTTP.
	ProxyTLS bool `json:"proxy_tls"`
	// Domain is the custom domain serve allowed as a host name when it
	// started ("" when none was set then); a domain set later needs a restart.
	Domain string `json:"domain"`
	// Port is the port the request arrived on (0 when not serving).
	Port int `json:"port"`
}

func init() { registrations = append(registrations, registerServerOps) }

func registerServerOps(s *Server) {
	s.handle("server.info", false, typed(func(s *Server, sess *Session, _ struct{}) (any, error) {
		return ServerInfo{}, nil
	}))
}
