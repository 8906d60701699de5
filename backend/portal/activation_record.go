package portal

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// Activation statuses.
const (
	ActStatusActive      = "active"
	ActStatusDeactivated = "deactivated"
)

// actRec is the stored activation: everything needed to re-issue the same
// response (deterministic Ed25519 over the same payload gives the same bytes)
// and to verify a later deactivation request.
type actRec struct {
	License      string `json:"l"`
	Product      string `json:"p"`
	Customer     string `json:"c"`
	CustomerName string `json:"cn"` // copied: history never points at a deleted customer
	Fingerprint  string `json:"f"`
	InstallKey   []byte `json:"ik"`
	Hostname     string `json:"h,omitempty"`
	OS           string `json:"o,omitempty"`
	AppVersion   string `json:"v,omitempty"`
	Nonce        []byte `json:"n"`
	RequestedAt  int64  `json:"rt"`
	Created      int64  `json:"t"`  // response issued at (unix seconds)
	ApplyBy      int64  `json:"ab"` // unix seconds
	Deactivated  int64  `json:"d,omitempty"`
	Reissued     int64  `json:"ri,omitempty"` // last response issued at, when re-issued after its apply-by time
	Admin        string `json:"a"`
}

// Activation is an activation as callers see it (JSON names per CLI.md).
type Activation struct {
	ID           string     `json:"id"`
	License      string     `json:"license"`
	Product      string     `json:"product"`
	Status       string     `json:"status"`
	Machine      string     `json:"machine"` // the machine fingerprint
	Hostname     string     `json:"hostname,omitempty"`
	OS           string     `json:"os,omitempty"`
	AppVersion   string     `json:"app_version,omitempty"`
	Customer     string     `json:"customer"`
	CustomerName string     `json:"customer_name"`
	Created      time.Time  `json:"created"`
	ApplyBy      time.Time  `json:"apply_by"`
	Deactivated  *time.Time `json:"deactivated,omitempty"`
	Admin        string     `json:"admin"`
}

// Activation ids are "A" and the sequence number.
func actID(n uint64) string { return "A" + strconv.FormatUint(n, 10) }

func parseActID(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || (s[0] != 'A' && s[0] != 'a') {
		return 0, fmt.Errorf("%w: %q", ErrActivationNotFound, s)
	}
	n, err := strconv.ParseUint(s[1:], 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%w: %q", ErrActivationNotFound, s)
	}
	return n, nil
}

func decodeAct(v []byte) (actRec, error) {
	var a actRec
	if err := a.UnmarshalBinary(v); err != nil {
		return a, fmt.Errorf("activation record: %w", err)
	}
	return a, nil
}

func (a *actRec) view(id uint64) Activation {
	out := Activation{ID: actID(id), License: a.License, Product: a.Product, Status: ActStatusActive,
		Machine: a.Fingerprint, Hostname: a.Hostname, OS: a.OS, AppVersion: a.AppVersion,
		Customer: a.Customer, CustomerName: a.CustomerName, Admin: a.Admin,
		Created: time.Unix(a.Created, 0).UTC(), ApplyBy: time.Unix(a.ApplyBy, 0).UTC()}
	if a.Deactivated != 0 {
		out.Status = ActStatusDeactivated
		d := time.Unix(a.Deactivated, 0).UTC()
		out.Deactivated = &d
	}
	return out
}

func activationsOfLicense(tx *bolt.Tx, key string) ([]Activation, error) {
	out := []Activation{}
	acts := tx.Bucket(store.BucketActivations)
	prefix := store.Key([]byte(key), store.Sep)
	c := tx.Bucket(store.BucketActLicense).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		id := store.ID(k[len(prefix):])
		v := acts.Get(store.U64(id))
		if v == nil {
			continue
		}
		a, err := decodeAct(v)
		if err != nil {
			return nil, err
		}
		out = append(out, a.view(id))
	}
	return out, nil
}
