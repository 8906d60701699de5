package portal

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// The fault test: a child process (this test binary, re-executed) imports
// large bundles and runs a batch activation; the parent SIGKILLs it in the
// middle, reopens the database and checks that every transaction is all
// there or not there at all, and that the audit chain verifies.

const faultEnv = "PORTAL_FAULT_CHILD"

// TestFaultChild is the child's body; it does nothing in a normal run.
func TestFaultChild(t *testing.T) {
	if os.Getenv(faultEnv) == "" {
		t.Skip("runs only as the child of TestKillMidTransaction")
	}
	dir := os.Getenv(faultEnv)
	clock := &testClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	p, err := Open(filepath.Join(dir, "portal.db"), append(testOpts(clock), WithBatchChunk(40))...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.SignIn("alice", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	bundles, _ := filepath.Glob(filepath.Join(dir, "bundle-*"))
	fmt.Println("import-start")
	for _, b := range bundles {
		data, _ := os.ReadFile(b)
		if _, err := p.ImportBundle(s, data); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println("batch-start")
	for {
		if _, err := p.Batch(s, filepath.Join(dir, "requests"), nil); err != nil {
			t.Fatal(err)
		}
	}
}

func TestKillMidTransaction(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	for _, tc := range []struct {
		name   string
		marker string
		delay  time.Duration
	}{
		{"during import", "import-start", 150 * time.Millisecond},
		{"during batch", "batch-start", 120 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := prepareFaultDir(t)
			cmd := exec.Command(os.Args[0], "-test.run=^TestFaultChild$", "-test.v")
			cmd.Env = append(os.Environ(), faultEnv+"="+dir)
			out, _ := cmd.StdoutPipe()
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			seen := false
			for sc.Scan() {
				if strings.Contains(sc.Text(), tc.marker) {
					seen = true
					break
				}
			}
			if !seen {
				cmd.Wait()
				t.Fatalf("child never reached %s", tc.marker)
			}
			time.Sleep(tc.delay)
			cmd.Process.Signal(syscall.SIGKILL)
			go func() {
				for sc.Scan() {
				}
			}()
			err := cmd.Wait()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
				t.Fatalf("child was not killed (it finished first?): %v", err)
			}
			clock := &testClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
			p, err := Open(filepath.Join(dir, "portal.db"), testOpts(clock)...)
			if err != nil {
				t.Fatalf("reopen after kill: %v", err)
			}
			defer p.Close()
			s, err := p.SignIn("alice", testPassword)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.VerifyAudit(s); err != nil {
				t.Fatalf("audit chain after kill: %v", err)
			}
			stats := checkInvariants(t, p)
			t.Logf("after the kill: %s", stats)
		})
	}
}

// prepareFaultDir makes an enrolled portal with 500 assigned licenses, 12
// bundles of 5,000 licenses and 400 activation requests on file.
func prepareFaultDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	clock := &testClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	p, err := Open(filepath.Join(dir, "portal.db"), testOpts(clock)...)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s, _ := p.Setup("Fault Reselling", "alice", testPassword)
	tp := newPublisher(t)
	e, err := p.CompleteEnrollment(s, tp.certify(t, p, s, clock.Now(), "prod"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := p.CreateUser(s, UserInput{Name: "Factory", Email: "factory@example.com"})
	var first []signdoc.License
	for i := 0; i < 500; i++ {
		first = append(first, lic(fmt.Sprintf("F%04d", i), "prod", 1))
	}
	if _, err := p.ImportBundle(s, tp.bundle(t, e.ResellerID, "first", first...)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500; i++ {
		if _, err := p.Assign(s, fmt.Sprintf("F%04d", i), u.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	for b := 0; b < 12; b++ {
		lics := make([]signdoc.License, 5000)
		for i := range lics {
			lics[i] = lic(fmt.Sprintf("X%02d-%05d", b, i), "prod", 2)
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("bundle-%02d", b)), tp.bundle(t, e.ResellerID, fmt.Sprintf("big-%02d", b), lics...), 0o644)
	}
	req := filepath.Join(dir, "requests")
	os.Mkdir(req, 0o755)
	for i := 0; i < 400; i++ {
		os.WriteFile(filepath.Join(req, fmt.Sprintf("r%03d.req", i)), newMachine(t, fmt.Sprint(i)).request(t, "prod", fmt.Sprintf("F%04d", i)), 0o644)
	}
	return dir
}

// checkInvariants verifies that the database holds only whole transactions:
// every bundle's licenses all there, every index entry matching its record,
// every counter matching the activations.
func checkInvariants(t *testing.T, p *Portal) string {
	t.Helper()
	var summary string
	err := p.view(func(tx *bolt.Tx) error {
		lb := licBuckets(tx)
		perBundle := map[string]int{}
		active := map[string]int{}
		n := 0
		err := lb.lic.ForEach(func(k, v []byte) error {
			l, err := decodeLicense(v)
			if err != nil {
				return err
			}
			n++
			perBundle[l.Bundle]++
			if lb.status.Get(statusKey(l.storedStatus(), l.Key)) == nil || lb.product.Get(store.Key([]byte(l.Product), store.Sep, k)) == nil ||
				lb.expiry.Get(expiryKey(l.Expires, l.Key)) == nil {
				return fmt.Errorf("license %s lacks an index entry", k)
			}
			if l.Assignee != "" && lb.assignee.Get(assigneeKey(l.Assignee, l.Key)) == nil {
				return fmt.Errorf("license %s lacks its assignee index entry", k)
			}
			active[l.Key] = l.ActUsed
			return nil
		})
		if err != nil {
			return err
		}
		for _, b := range []*bolt.Bucket{lb.status, lb.product, lb.expiry} {
			if b.Stats().KeyN != n {
				return fmt.Errorf("an index holds %d entries for %d licenses", b.Stats().KeyN, n)
			}
		}
		bundles := 0
		err = tx.Bucket(store.BucketBundles).ForEach(func(k, v []byte) error {
			var br bundleRec
			if err := json.Unmarshal(v, &br); err != nil {
				return err
			}
			bundles++
			if perBundle[string(k)] != br.Count {
				return fmt.Errorf("bundle %s: %d of %d licenses present", k, perBundle[string(k)], br.Count)
			}
			delete(perBundle, string(k))
			return nil
		})
		if err != nil {
			return err
		}
		if len(perBundle) != 0 {
			return fmt.Errorf("licenses of unrecorded bundles: %v", perBundle)
		}
		acts, live := 0, map[string]int{}
		err = tx.Bucket(store.BucketActivations).ForEach(func(k, v []byte) error {
			a, err := decodeAct(v)
			if err != nil {
				return err
			}
			acts++
			if a.Deactivated == 0 {
				live[a.License]++
			}
			if tx.Bucket(store.BucketActLicense).Get(store.Key([]byte(a.License), store.Sep, k)) == nil ||
				tx.Bucket(store.BucketActCustomer).Get(store.Key(refBytes(a.Customer), k)) == nil {
				return fmt.Errorf("activation %x lacks an index entry", k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for key, used := range active {
			if live[key] != used {
				return fmt.Errorf("license %s counts %d activations, %d are live", key, used, live[key])
			}
		}
		for _, b := range [][]byte{store.BucketActLicense, store.BucketActCustomer} {
			if got := tx.Bucket(b).Stats().KeyN; got != acts {
				return fmt.Errorf("%s holds %d entries for %d activations", b, got, acts)
			}
		}
		summary = fmt.Sprintf("%d licenses in %d bundles, %d activations", n, bundles, acts)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return summary
}
