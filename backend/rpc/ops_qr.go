package rpc

import "github.com/resellerportal/portal/backend/qr"

// QRParams name the text to draw as a QR code.
type QRParams struct {
	Text string `json:"text"`
}

// QRImage is a QR code as a PNG (base64 in JSON).
type QRImage struct {
	PNG     []byte `json:"png"`
	Version int    `json:"version"`
}

func init() {
	registrations = append(registrations, registerQROps)
}

// registerQROps adds qr.encode: any document's compact text drawn as a QR
// code (enrollment request, response) so every screen can show one.
func registerQROps(s *Server) {
	s.handle("qr.encode", false, typed(func(s *Server, sess *Session, p QRParams) (any, error) {
		png, err := qr.Encode(p.Text)
		if err != nil {
			return nil, err
		}
		v, err := qr.Version(p.Text)
		if err != nil {
			return nil, err
		}
		return QRImage{PNG: png, Version: v}, nil
	}))
}
