package rpc

import "testing"

func TestQREncodeDecode(t *testing.T) {
	s, _ := newTestServer(t)
	sess := NewSession()
	statusOf(t, call(t, s, sess, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	const text = "RP1:ENROLL:ABC123 $%*+-./:"
	r := call(t, s, sess, "qr.encode", QRParams{Text: text})
	if !r.OK {
		t.Fatalf("qr.encode: %+v", r)
	}
	img := r.Data.(QRImage)
	if img.Version < 1 || len(img.PNG) < 100 {
		t.Fatalf("qr.encode: version %d, %d bytes", img.Version, len(img.PNG))
	}
	r = call(t, s, sess, "qr.decode", QRDecodeParams{Image: img.PNG})
	if !r.OK || r.Data.(QRText).Text != text {
		t.Fatalf("qr.decode: %+v", r)
	}
	// refusals in words: nothing to draw, not an image
	if r := call(t, s, sess, "qr.encode", QRParams{}); r.OK || r.Code != "qr_content_empty" {
		t.Fatalf("empty: %+v", r)
	}
	if r := call(t, s, sess, "qr.decode", QRDecodeParams{Image: []byte("not an image")}); r.OK || r.Code != "image_unreadable" {
		t.Fatalf("not an image: %+v", r)
	}
	// signed out: refused
	if r := call(t, s, NewSession(), "qr.decode", QRDecodeParams{Image: img.PNG}); r.OK || r.Code != "not_signed_in" {
		t.Fatalf("signed out: %+v", r)
	}
}
