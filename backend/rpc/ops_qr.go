package rpc

import "github.com/resellerportal/portal/backend/qr"

// QRParams name the text to draw as a QR code.
type QRParams struct {
	Text string `json:"text"`
}

// QRDecodeParams carry an image (PNG or JPEG, base64 in JSON) that may hold
// a QR code: a camera frame, a photo, a screenshot.
type QRDecodeParams struct {
	Image []byte `json:"image"`
}

// QRText is the text a QR code holds.
type QRText struct {
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
	// qr.decode reads a QR code from an image (the camera's frames on the
	// activation screen): the same decoder, limits and bound on concurrent
	// decodes as every document reader; qr_not_found when there is none.
	s.handle("qr.decode", false, typed(func(s *Server, sess *Session, p QRDecodeParams) (any, error) {
		text, err := qr.Decode(p.Image)
		if err != nil {
			return nil, err
		}
		return QRText{Text: text}, nil
	}))
}
