package rpc

import (
	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/sheet"
)

// SheetParams name the activation whose sheet to print. Request, optional,
// is the request (armored or compact) the sheet answers when it is a later
// request of the same installation than the one the activation recorded.
type SheetParams struct {
	Activation string `json:"activation"`
	Request    string `json:"request"`
}

// SheetFile is a printable activation sheet (the PDF base64 in JSON).
type SheetFile struct {
	Name string `json:"name"` // HOSTNAME-LICENSE.activation-sheet.pdf
	PDF  []byte `json:"pdf"`
}

func init() {
	registrations = append(registrations, registerSheetOps)
}

// registerSheetOps adds activation.sheet: the printable activation sheet
// (one A4 PDF page) of a live activation.
func registerSheetOps(s *Server) {
	s.handle("activation.sheet", false, typed(func(s *Server, sess *Session, p SheetParams) (any, error) {
		var req []byte
		if p.Request != "" {
			req = []byte(p.Request)
		}
		return ActivationSheet(s.p, sess.get(), p.Activation, req)
	}))
}

// ActivationSheet renders the activation sheet of activation id (request
// as in portal.ActivationSheetData) — the rpc op and rpctl share it.
func ActivationSheet(p *portal.Portal, s *portal.Session, id string, request []byte) (SheetFile, error) {
	d, err := p.ActivationSheetData(s, id, request)
	if err != nil {
		return SheetFile{}, err
	}
	return renderSheet(d)
}

// renderSheet renders the sheet of d (an admin's or a customer's).
func renderSheet(d portal.SheetData) (SheetFile, error) {
	png, err := qr.Encode(d.Response.Compact)
	if err != nil {
		return SheetFile{}, err
	}
	a := d.Activation
	pdf, err := sheet.Render(sheet.Sheet{Company: d.Company, Logo: d.Logo, Domain: d.Domain,
		Customer: a.CustomerName, CustomerID: a.Customer, License: a.License, Product: a.Product,
		Hostname: a.Hostname, OS: a.OS, Fingerprint: a.Machine, ActivationID: a.ID,
		Issued: d.Issued, ApplyBy: a.ApplyBy, Compact: d.Response.Compact, QRPNG: png})
	if err != nil {
		return SheetFile{}, err
	}
	return SheetFile{Name: sheet.FileName(a.Hostname, a.License), PDF: pdf}, nil
}
