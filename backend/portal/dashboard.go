package portal

import (
	"bytes"
	"encoding/binary"
	"math"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// Dashboard figures.
const (
	// ExpiringWithin is how close an expiry (a license's or the reseller
	// certificate's) must be for the dashboard to call it "expiring".
	ExpiringWithin = 30 * 24 * time.Hour
	// dashboardItems is how many expiring licenses and audit entries it lists.
	dashboardItems = 10
)

// Next steps of a new portal, in the order it needs them.
const (
	NextEnroll   = "enroll"
	NextImport   = "import"
	NextCustomer = "customer"
	NextAssign   = "assign"
	NextActivate = "activate"
)

// Dashboard is everything the home screen shows, read in one transaction.
type Dashboard struct {
	Licenses    LicenseCounts    `json:"licenses"`
	Activations ActivationUsage  `json:"activations"`
	Expiring    ExpiringLicenses `json:"expiring"`
	Certificate CertificateState `json:"certificate"`
	Customers   CustomerCounts   `json:"customers"`
	Recent      []AuditEntry     `json:"recent"`    // the latest audit entries, newest first
	NextStep    string           `json:"next_step"` // enroll, import, customer, assign, activate or ""
}

// LicenseCounts counts licenses by status; the four statuses add up to Total.
type LicenseCounts struct {
	Total     int `json:"total"`
	Available int `json:"available"`
	Assigned  int `json:"assigned"`
	Active    int `json:"active"`
	Expired   int `json:"expired"`
}

// ActivationUsage is the live activations of all licenses against the
// activations allowed by the licenses that have not expired.
type ActivationUsage struct {
	Used    int `json:"used"`
	Allowed int `json:"allowed"`
}

// ExpiringLicenses are the licenses, not expired yet, that expire within
// ExpiringWithin: how many, and the soonest few.
type ExpiringLicenses struct {
	Count int       `json:"count"`
	Items []License `json:"items"`
}

// CertificateState is the reseller certificate's validity.
type CertificateState struct {
	Enrolled     bool       `json:"enrolled"`
	NotAfter     *time.Time `json:"not_after"` // null when not enrolled
	DaysLeft     int        `json:"days_left"` // whole days until not_after; negative once expired
	Expired      bool       `json:"expired"`
	ExpiringSoon bool       `json:"expiring_soon"` // not expired, expires within ExpiringWithin
}

// CustomerCounts counts users and organizations.
type CustomerCounts struct {
	Users int `json:"users"`
	Orgs  int `json:"orgs"`
}

// Dashboard reads the home screen's figures. License counts and allowed
// activations come from one walk of the status index, whose values carry
// each license's expiry and activations allowed (statusVal); live
// activations from the meta counter metaActLive. No license record is
// decoded except the few expiring ones listed.
func (p *Portal) Dashboard(s *Session) (Dashboard, error) {
	if err := p.auth(s); err != nil {
		return Dashboard{}, err
	}
	now := p.now()
	out := Dashboard{Expiring: ExpiringLicenses{Items: []License{}}, Recent: []AuditEntry{}}
	err := p.view(func(tx *bolt.Tx) error {
		lb := licBuckets(tx)
		soon := now.Add(ExpiringWithin).Unix()
		everAssigned := 0
		for _, st := range []string{StatusAvailable, StatusAssigned, StatusActive} {
			prefix := statusKey(st, "")
			c := lb.status.Cursor()
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				exp, allowed, err := statusFigures(lb, k[len(prefix):], v)
				if err != nil {
					return err
				}
				out.Licenses.Total++
				if st != StatusAvailable {
					everAssigned++
				}
				if expired(exp, now) {
					out.Licenses.Expired++
					continue
				}
				out.Activations.Allowed += allowed
				if exp != 0 && exp <= soon {
					out.Expiring.Count++
				}
				switch st {
				case StatusAvailable:
					out.Licenses.Available++
				case StatusAssigned:
					out.Licenses.Assigned++
				default:
					out.Licenses.Active++
				}
			}
		}
		out.Activations.Used = int(store.ID(lb.meta.Get(metaActLive)))
		// the soonest expiring: the expiry index from just after now
		c := lb.expiry.Cursor()
		for k, _ := c.Seek(store.U64(uint64(now.Unix()) + 1)); k != nil && len(out.Expiring.Items) < dashboardItems; k, _ = c.Next() {
			if binary.BigEndian.Uint64(k) > uint64(soon) { // perpetual keys sort last (MaxUint64)
				break
			}
			l, ok, err := lb.get(string(k[8:]))
			if err != nil {
				return err
			}
			if ok {
				out.Expiring.Items = append(out.Expiring.Items, p.licenseView(tx, &l))
			}
		}

		ch, err := p.loadChain(tx)
		if err != nil {
			return err
		}
		if ch != nil {
			na := ch.rec.NotAfter.UTC()
			left := na.Sub(now)
			out.Certificate = CertificateState{Enrolled: true, NotAfter: &na,
				DaysLeft: int(math.Floor(left.Hours() / 24)), Expired: !now.Before(na)}
			out.Certificate.ExpiringSoon = !out.Certificate.Expired && left <= ExpiringWithin
		}

		out.Customers.Users = tx.Bucket(store.BucketUsers).Stats().KeyN
		out.Customers.Orgs = tx.Bucket(store.BucketOrgs).Stats().KeyN
		if out.Recent, err = auditPage(tx, 0, dashboardItems); err != nil {
			return err
		}
		activated, _ := tx.Bucket(store.BucketActivations).Cursor().First()
		switch {
		case ch == nil:
			out.NextStep = NextEnroll
		case out.Licenses.Total == 0:
			out.NextStep = NextImport
		case out.Customers.Users+out.Customers.Orgs == 0:
			out.NextStep = NextCustomer
		case everAssigned == 0:
			out.NextStep = NextAssign
		case activated == nil:
			out.NextStep = NextActivate
		}
		return nil
	})
	if err != nil {
		return Dashboard{}, err
	}
	return out, nil
}

// statusFigures reads a status index value; a value without the
// activations allowed (not written by this schema) falls back to the record.
func statusFigures(lb licenseTx, key, v []byte) (expires int64, allowed int, err error) {
	if len(v) >= statusValLen {
		return int64(binary.BigEndian.Uint64(v)), int(binary.BigEndian.Uint32(v[8:])), nil
	}
	l, ok, err := lb.get(string(key))
	if err != nil || !ok {
		return 0, 0, err
	}
	return l.Expires, l.ActAllowed, nil
}
