package portal

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// ActivationQuery selects activations, newest first.
type ActivationQuery struct {
	License  string    `json:"license"`  // one license's activations
	Customer string    `json:"customer"` // one customer's ("u12" / "o3")
	Status   string    `json:"status"`   // "", active, deactivated
	From     time.Time `json:"from"`     // created at or after (zero: no bound)
	To       time.Time `json:"to"`       // created before (zero: no bound)
	Offset   int       `json:"offset"`
	Limit    int       `json:"limit"` // 0: all
}

// ListActivations walks the index that fits the query (by license, by
// customer, or the activations themselves, whose ids grow with time); every
// filter given applies (license, customer, status, from and to together).
func (p *Portal) ListActivations(s *Session, q ActivationQuery) ([]Activation, error) {
	if err := p.auth(s); err != nil {
		return nil, err
	}
	switch q.Status {
	case "", ActStatusActive, ActStatusDeactivated:
	default:
		return nil, fmt.Errorf("%w: status must be active or deactivated", ErrInvalidInput)
	}
	if q.Offset < 0 || q.Limit < 0 {
		return nil, fmt.Errorf("%w: offset and limit must not be negative", ErrInvalidInput)
	}
	var cust string
	if q.Customer != "" {
		kind, id, err := splitRef(strings.ToLower(strings.TrimSpace(q.Customer)))
		if err != nil {
			return nil, err
		}
		cust = refString(kind, id)
	}
	out := []Activation{}
	err := p.view(func(tx *bolt.Tx) error {
		acts := tx.Bucket(store.BucketActivations)
		skip := q.Offset
		visit := func(id uint64) (bool, error) {
			v := acts.Get(store.U64(id))
			if v == nil {
				return true, nil
			}
			a, err := decodeAct(v)
			if err != nil {
				return false, err
			}
			av := a.view(id)
			if q.Status != "" && av.Status != q.Status {
				return true, nil
			}
			if (!q.From.IsZero() && av.Created.Before(q.From)) || (!q.To.IsZero() && !av.Created.Before(q.To)) {
				return true, nil
			}
			if q.License != "" && a.License != normKey(q.License) {
				return true, nil
			}
			if cust != "" && a.Customer != cust {
				return true, nil
			}
			if skip > 0 {
				skip--
				return true, nil
			}
			if q.Limit > 0 && len(out) >= q.Limit {
				return false, nil
			}
			out = append(out, av)
			return true, nil
		}
		var prefix []byte
		var b *bolt.Bucket
		switch {
		case q.License != "":
			key := normKey(q.License)
			if tx.Bucket(store.BucketLicenses).Get([]byte(key)) == nil {
				return fmt.Errorf("%w: %s", ErrLicenseNotFound, key)
			}
			b, prefix = tx.Bucket(store.BucketActLicense), store.Key([]byte(key), store.Sep)
		case cust != "":
			b, prefix = tx.Bucket(store.BucketActCustomer), refBytes(cust)
		default:
			// by time, newest first: ids grow with time
			c := acts.Cursor()
			for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
				more, err := visit(store.ID(k))
				if err != nil || !more {
					return err
				}
			}
			return nil
		}
		// by license or customer: ids ascend with time, walk backwards
		c := b.Cursor()
		end := append(append([]byte(nil), prefix...), bytes.Repeat([]byte{0xff}, 9)...)
		k, _ := c.Seek(end)
		if k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
			more, err := visit(store.ID(k[len(prefix):]))
			if err != nil || !more {
				return err
			}
		}
		return nil
	})
	return out, err
}

// ExportLicensesCSV writes every license as CSV (one header line).
func (p *Portal) ExportLicensesCSV(s *Session, w io.Writer) error {
	if err := p.auth(s); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"key", "product", "status", "assignee", "assignee_name", "activations_used", "activations_allowed", "deactivations_used", "deactivations_allowed", "expires", "bundle"})
	err := p.view(func(tx *bolt.Tx) error {
		return tx.Bucket(store.BucketLicenses).ForEach(func(k, v []byte) error {
			l, err := decodeLicense(v)
			if err != nil {
				return err
			}
			lv := p.licenseView(tx, &l)
			assignee, deact, exp := "", "unlimited", ""
			if lv.Assignee != nil {
				assignee = *lv.Assignee
			}
			if lv.DeactivationsAllowed != nil {
				deact = strconv.Itoa(*lv.DeactivationsAllowed)
			}
			if lv.Expires != nil {
				exp = lv.Expires.Format(time.RFC3339)
			}
			return cw.Write([]string{lv.Key, lv.Product, lv.Status, assignee, csvSafe(lv.AssigneeName), strconv.Itoa(lv.ActivationsUsed),
				strconv.Itoa(lv.ActivationsAllowed), strconv.Itoa(lv.DeactivationsUsed), deact, exp, lv.Bundle})
		})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// ExportActivationsCSV writes every activation as CSV, oldest first.
func (p *Portal) ExportActivationsCSV(s *Session, w io.Writer) error {
	if err := p.auth(s); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "license", "product", "status", "machine", "hostname", "os", "app_version", "customer", "customer_name", "created", "deactivated"})
	err := p.view(func(tx *bolt.Tx) error {
		return tx.Bucket(store.BucketActivations).ForEach(func(k, v []byte) error {
			a, err := decodeAct(v)
			if err != nil {
				return err
			}
			av := a.view(store.ID(k))
			deact := ""
			if av.Deactivated != nil {
				deact = av.Deactivated.Format(time.RFC3339)
			}
			return cw.Write([]string{av.ID, av.License, av.Product, av.Status, av.Machine, csvSafe(av.Hostname), csvSafe(av.OS),
				csvSafe(av.AppVersion), av.Customer, csvSafe(av.CustomerName), av.Created.Format(time.RFC3339), deact})
		})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses spreadsheet formulas in text that came from outside.
// Spreadsheets also read the full-width forms (＝ ＋ － ＠) as formula
// starts, so they are defused too.
func csvSafe(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if s != "" && strings.ContainsRune("=+-@\t\r＝＋－＠", r) {
		return "'" + s
	}
	return s
}
