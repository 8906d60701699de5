package publisher

import (
	"fmt"
	"sort"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

// ReportSummary is what `rpctl vendor report verify` shows.
type ReportSummary struct {
	ResellerID        string                `json:"reseller_id"`
	ResellerName      string                `json:"reseller_name"`
	CertificateSerial uint64                `json:"certificate_serial"`
	Number            uint64                `json:"number"`
	CreatedAt         time.Time             `json:"created_at"`
	Activations       int                   `json:"activations"`
	Deactivations     int                   `json:"deactivations"`
	PreviousNumber    uint64                `json:"previous_number"` // last report number seen from this reseller (0: none)
	Duplicate         bool                  `json:"duplicate"`       // this number was seen before
	Missing           uint64                `json:"missing"`         // reports skipped since the previous one
	Licenses          []ReportLicense       `json:"licenses"`
	Events            []signdoc.ReportEvent `json:"events"`
}

// ReportLicense totals the events of one license.
type ReportLicense struct {
	Key           string `json:"key"`
	Product       string `json:"product"`
	Activations   int    `json:"activations"`
	Deactivations int    `json:"deactivations"`
}

// VerifyReport verifies an activation report (armored or compact): the
// certificate it carries must be this publisher's and the report signed by
// the reseller key it certifies. It then summarises it and records the
// report number, so gaps and repeats are reported.
func (p *Publisher) VerifyReport(data []byte) (*ReportSummary, error) {
	doc, err := signdoc.ParseKind(data, signdoc.KindActivationReport)
	if err != nil {
		return nil, fmt.Errorf("activation report: %w", err)
	}
	rep, cert, err := signdoc.VerifyReport(doc, p.pub)
	if err != nil {
		return nil, fmt.Errorf("activation report: %w", err)
	}
	s := &ReportSummary{ResellerID: cert.ResellerID, ResellerName: cert.ResellerName, CertificateSerial: cert.Serial,
		Number: rep.Number, CreatedAt: rep.CreatedAt, Events: rep.Events}
	byKey := map[string]*ReportLicense{}
	for _, e := range rep.Events {
		l := byKey[e.LicenseKey]
		if l == nil {
			l = &ReportLicense{Key: e.LicenseKey, Product: e.Product}
			byKey[e.LicenseKey] = l
		}
		if e.Type == signdoc.EventActivation {
			s.Activations++
			l.Activations++
		} else {
			s.Deactivations++
			l.Deactivations++
		}
	}
	s.Licenses = make([]ReportLicense, 0, len(byKey))
	for _, l := range byKey {
		s.Licenses = append(s.Licenses, *l)
	}
	sort.Slice(s.Licenses, func(i, j int) bool { return s.Licenses[i].Key < s.Licenses[j].Key })

	unlock, err := p.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	st, err := p.loadState()
	if err != nil {
		return nil, err
	}
	prev := st.Reports[cert.ResellerID]
	s.PreviousNumber = prev
	switch {
	case rep.Number <= prev:
		s.Duplicate = true
	case rep.Number > prev+1:
		s.Missing = rep.Number - prev - 1
	}
	if rep.Number > prev {
		st.Reports[cert.ResellerID] = rep.Number
		if err := p.saveState(st); err != nil {
			return nil, err
		}
	}
	return s, nil
}
