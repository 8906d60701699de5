package portal

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

var metaReportState = []byte("report_state")

// reportState remembers what the last report covered: its number and the
// last audit entry it read. The report's events are the activation and
// deactivation entries of the audit log, numbered by their audit sequence.
type reportState struct {
	Number    uint64 `json:"number"`
	LastEvent uint64 `json:"last_event"`
}

// reportedActions are the audit actions an activation report lists.
var reportedActions = map[string]string{
	"activation.create":     signdoc.EventActivation,
	"activation.deactivate": signdoc.EventDeactivation,
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
		ch, err := p.loadChain(tx)
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
		c := tx.Bucket(store.BucketAudit).Cursor()
		last := st.LastEvent
		for k, v := c.Seek(store.U64(st.LastEvent + 1)); len(k) == 8; k, v = c.Next() {
			last = store.ID(k)
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("%w: entry %d", ErrAuditBroken, last)
			}
			typ, ok := reportedActions[e.Action]
			if !ok {
				continue
			}
			id, err := parseActID(strings.TrimPrefix(e.Object, "activation:"))
			if err != nil {
				return err
			}
			a, err := decodeAct(acts.Get(store.U64(id)))
			if err != nil {
				return err
			}
			events = append(events, signdoc.ReportEvent{Seq: last, Type: typ, ActivationID: actID(id),
				LicenseKey: a.License, Product: a.Product, Fingerprint: a.Fingerprint, At: e.Time.Truncate(time.Second)})
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
