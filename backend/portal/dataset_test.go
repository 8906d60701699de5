package portal

import (
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// The benchmark dataset: 100,000 licenses (80% assigned to 10,000 users in
// 1,000 organizations) and 200,000 activations, with the license history and
// audit entries (about 300,000) their assignments and activations write,
// made with direct batched store writes (no fsync) into a file built once
// per test binary run.
const (
	dsLicenses    = 100_000
	dsActivations = 200_000
	dsUsers       = 10_000
	dsOrgs        = 1_000
)

type dataset struct {
	path     string
	pub      *testPublisher
	rid      string
	keys     []string // license keys, sorted
	assigned []string // keys assigned to a user, with free activation slots
	users    []string // user names
	emails   []string
}

var (
	dsOnce sync.Once
	dsVal  *dataset
	dsErr  error
	dsDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if dsDir != "" {
		os.RemoveAll(dsDir)
	}
	os.Exit(code)
}

// benchDataset returns the cached dataset file (built on first use).
func benchDataset(b *testing.B) *dataset {
	b.Helper()
	dsOnce.Do(func() {
		dsDir, dsErr = os.MkdirTemp("", "portal-bench-")
		if dsErr == nil {
			dsVal, dsErr = buildDataset(b, filepath.Join(dsDir, "dataset.db"))
		}
	})
	if dsErr != nil {
		b.Fatal(dsErr)
	}
	return dsVal
}

var words = []string{"ada", "alan", "grace", "linus", "ken", "dennis", "barbara", "donald", "edsger", "frances",
	"john", "margaret", "niklaus", "radia", "tim", "vint", "whitfield", "yukihiro", "bjarne", "guido"}

func randKey(r *mrand.Rand) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 0, 23)
	for i := 0; i < 20; i++ {
		if i > 0 && i%5 == 0 {
			b = append(b, '-')
		}
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return string(b)
}

func buildDataset(tb testing.TB, path string) (*dataset, error) {
	raw := path + ".raw"
	ds, err := writeDataset(tb, raw)
	if err != nil {
		return nil, err
	}
	ds.path = path
	// The big generation transactions leave a long freelist behind that a
	// portal grown by small transactions would not have: compact, as a
	// restore or a long-lived file's steady state would.
	src, err := bolt.Open(raw, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer os.Remove(raw)
	defer src.Close()
	dst, err := bolt.Open(path, 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		return nil, err
	}
	if err := bolt.Compact(dst, src, 64<<20); err != nil {
		dst.Close()
		return nil, err
	}
	dst.NoSync = false
	if err := dst.Sync(); err != nil {
		return nil, err
	}
	return ds, dst.Close()
}

func writeDataset(tb testing.TB, path string) (*dataset, error) {
	clock := &testClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	p, err := Open(path, append(testOpts(clock), WithNoSync())...)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	s, err := p.Setup("Bench Reselling", "alice", testPassword)
	if err != nil {
		return nil, err
	}
	tp := newPublisher(tb)
	e, err := p.CompleteEnrollment(s, tp.certify(tb, p, s, clock.Now(), "prod-a", "prod-b", "prod-c", "prod-d", "prod-e"))
	if err != nil {
		return nil, err
	}
	ds := &dataset{path: path, pub: tp, rid: e.ResellerID}
	r := mrand.New(mrand.NewPCG(1, 2))
	now := clock.Now()

	// customers
	err = p.update(func(tx *bolt.Tx) error {
		c := custBuckets(tx)
		for i := 1; i <= dsOrgs; i++ {
			id, _ := c.orgs.NextSequence()
			o := orgRec{Name: fmt.Sprintf("%s %s Ltd %d", words[r.IntN(20)], words[r.IntN(20)], i), Created: now}
			if err := putJSON(c.orgs, store.U64(id), o); err != nil {
				return err
			}
			if err := c.indexName(refString(kindOrg, id), o.Name, true); err != nil {
				return err
			}
		}
		for i := 1; i <= dsUsers; i++ {
			id, _ := c.users.NextSequence()
			name := fmt.Sprintf("%s %s%d", words[r.IntN(20)], words[r.IntN(20)], i)
			u := userRec{Name: name, Email: fmt.Sprintf("user%d@example%d.com", i, i%50), Created: now}
			if i%3 == 0 {
				u.Org = uint64(1 + r.IntN(dsOrgs))
			}
			if err := c.putUser(id, nil, u); err != nil {
				return err
			}
			ds.users, ds.emails = append(ds.users, name), append(ds.emails, u.Email)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	// licenses, in sorted key order
	seen := map[string]bool{}
	for len(ds.keys) < dsLicenses {
		k := randKey(r)
		if !seen[k] {
			seen[k] = true
			ds.keys = append(ds.keys, k)
		}
	}
	sort.Strings(ds.keys)
	recs := make([]licenseRec, len(ds.keys))
	for i, k := range ds.keys {
		recs[i] = licenseRec{Key: k, Product: fmt.Sprintf("prod-%c", 'a'+r.IntN(5)), Bundle: "bench", ActAllowed: 5, DeactAllowed: 3, Imported: now.Unix()}
		if r.IntN(4) == 0 {
			recs[i].Expires = now.AddDate(0, r.IntN(24)-6, 0).Unix()
		}
		if r.IntN(5) != 0 {
			recs[i].Assignee = refString(kindUser, uint64(1+r.IntN(dsUsers)))
		}
	}
	for start := 0; start < len(recs); start += 20_000 {
		err = p.update(func(tx *bolt.Tx) error {
			lb := licBuckets(tx)
			lb.lic.FillPercent, lb.status.FillPercent, lb.product.FillPercent, lb.expiry.FillPercent = 0.9, 0.9, 0.9, 0.9
			for i := start; i < min(start+20_000, len(recs)); i++ {
				if err := lb.put(nil, &recs[i]); err != nil {
					return err
				}
				if recs[i].Assignee != "" {
					if err := p.addHistory(tx, recs[i].Key, HistoryEvent{Time: now, Actor: "alice", Action: "assign", Customer: recs[i].Assignee}); err != nil {
						return err
					}
					if err := p.audit(tx, "alice", "license.assign", "license:"+recs[i].Key, "to "+recs[i].Assignee+" bench user"); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}

	// activations: spread over assigned, unexpired licenses, up to 3 each
	var pool []int
	for i := range recs {
		if recs[i].Assignee != "" && !expired(recs[i].Expires, now) {
			pool = append(pool, i)
		}
	}
	fp := make([]byte, 32)
	made := 0
	for made < dsActivations {
		err = p.update(func(tx *bolt.Tx) error {
			acts := tx.Bucket(store.BucketActivations)
			acts.FillPercent = appendFill
			lb := licBuckets(tx)
			for n := 0; n < 20_000 && made < dsActivations; n++ {
				i := pool[r.IntN(len(pool))]
				l := &recs[i]
				if l.ActUsed >= 3 {
					continue
				}
				io.ReadFull(rand.Reader, fp)
				ik := make([]byte, 32)
				rand.Read(ik)
				id, _ := acts.NextSequence()
				at := now.Add(-time.Duration(dsActivations-made) * time.Minute)
				a := actRec{License: l.Key, Product: l.Product, Customer: l.Assignee, CustomerName: "bench user",
					Fingerprint: fmt.Sprintf("%x", fp), InstallKey: ik, Hostname: fmt.Sprintf("host-%d", made), OS: "windows/amd64",
					AppVersion: "1.2.3", Nonce: ik[:16], RequestedAt: at.Unix(), Created: at.Unix(), ApplyBy: at.Add(ApplyWindow).Unix(), Admin: "alice"}
				if made%10 == 0 {
					a.Deactivated = at.Add(time.Hour).Unix()
				}
				if err := putAct(acts, store.U64(id), &a); err != nil {
					return err
				}
				ids := store.U64(id)
				tx.Bucket(store.BucketActLicense).Put(store.Key([]byte(l.Key), store.Sep, ids), nil)
				tx.Bucket(store.BucketActCustomer).Put(store.Key(refBytes(l.Assignee), ids), nil)
				// the audit entries a real activation (and deactivation) writes
				if err := p.audit(tx, "alice", "activation.create", "activation:"+actID(id), fmt.Sprintf("license %s machine %s host %q", l.Key, a.Fingerprint[:16], a.Hostname)); err != nil {
					return err
				}
				if a.Deactivated == 0 {
					old := *l
					l.ActUsed++
					if err := lb.put(&old, l); err != nil {
						return err
					}
				} else if err := p.audit(tx, "alice", "activation.deactivate", "activation:"+actID(id), "license "+l.Key); err != nil {
					return err
				}
				made++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, i := range pool {
		if recs[i].ActUsed < 3 {
			ds.assigned = append(ds.assigned, recs[i].Key)
		}
	}
	if err := p.update(func(tx *bolt.Tx) error { return p.audit(tx, "alice", "bench.dataset", "dataset", "generated") }); err != nil {
		return nil, err
	}
	return ds, nil
}

// copyDataset gives a benchmark its own copy of the dataset file.
func copyDataset(b *testing.B, ds *dataset) string {
	b.Helper()
	dst := filepath.Join(b.TempDir(), "portal.db")
	if err := store.ReplaceFile(dst, ds.path); err != nil {
		b.Fatal(err)
	}
	return dst
}
