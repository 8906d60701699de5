package portal

import (
	"fmt"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

var metaReportState = []byte("report_state")

// reportState remembers what the last report covered.
type reportState struct {
	Number    uint64 `json:"number"`
	LastEvent uint64 `json:"last_event"`
}

type reportRec struct {
	Created    time.Time `json:"created"`
	FirstEvent uint64    `json:"first_event"`
	LastEvent  uint64    `json:"last_event"`
	Events     int       `json:"events"`
	Admin      string    `json:"admin"`
}

// ReportResult is a signed activation report for the publisher.
type ReportResult struct {
	Number   uint64   `json:"number"`
	Events   int      `json:"events"`
	Document Document `json:"document"`
}

// Report signs the activation report: every activation and deactivation
// since the previous report, numbered. The report and the new "last
// reported" mark are recorded in the same transaction.
func (p *Portal) Report(s *Session) (ReportResult, error) {
	if err := p.auth(s); err != nil {
		return ReportResult{}, err
	}
	key, err := s.key()
	if err != nil {
		return ReportResult{}, err
	}
	var out ReportResult
	err = p.update(func(tx *bolt.Tx) error {
		ch, err := loadChain(tx)
		if err != nil {
			return err
		}
		if ch == nil {
			return ErrNotEnrolled
		}
		meta := tx.Bucket(store.BucketMeta)
		var st reportState
		if _, err := getJSON(meta, metaReportState, &st); err != nil {
			return err
		}
		acts := tx.Bucket(store.BucketActivations)
		events := []signdoc.ReportEvent{}
		c := tx.Bucket(store.BucketActEvents).Cursor()
		last := st.LastEvent
		for k, v := c.Seek(store.U64(st.LastEvent + 1)); k != nil; k, v = c.Next() {
			ev, err := decodeEvent(v)
			if err != nil {
				return err
			}
			a, err := decodeAct(acts.Get(store.U64(ev.Act)))
			if err != nil {
				return err
			}
			typ := signdoc.EventActivation
			if ev.Type == eventDeactivation {
				typ = signdoc.EventDeactivation
			}
			last = store.ID(k)
			events = append(events, signdoc.ReportEvent{Seq: last, Type: typ, ActivationID: actID(ev.Act),
				LicenseKey: a.License, Product: a.Product, Fingerprint: a.Fingerprint, At: time.Unix(ev.At, 0).UTC()})
		}
		now := p.now().Truncate(time.Second)
		num := st.Number + 1
		doc, err := signdoc.SignReport(key, ch.certDoc, signdoc.Report{Number: num, ResellerID: ch.rec.ResellerID,
			CertificateSerial: ch.rec.Serial, CreatedAt: now, Events: events})
		if err != nil {
			return err
		}
		if err := putJSON(meta, metaReportState, reportState{Number: num, LastEvent: last}); err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(store.BucketReports), store.U64(num), reportRec{Created: now, FirstEvent: st.LastEvent + 1, LastEvent: last, Events: len(events), Admin: s.Admin()}); err != nil {
			return err
		}
		out = ReportResult{Number: num, Events: len(events), Document: docOut(doc)}
		return p.audit(tx, s.Admin(), "report.create", fmt.Sprintf("report:%d", num), fmt.Sprintf("%d events", len(events)))
	})
	if err != nil {
		return ReportResult{}, fmt.Errorf("activation report: %w", err)
	}
	return out, nil
}
