// Command tamper-audit edits one audit entry's detail in a portal database
// WITHOUT fixing its hash, as someone with write access to the file could:
// the browser test (frontend/e2e/audit.test.mjs) then checks that "Verify
// chain" names the entry. Test use only; the portal must not be running.
//
//	go run ./build/scripts/tamper-audit DB SEQ [DETAIL]
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: tamper-audit DB SEQ [DETAIL]")
		os.Exit(2)
	}
	seq, err := strconv.ParseUint(os.Args[2], 10, 64)
	if err != nil {
		fail(err)
	}
	db, err := bolt.Open(os.Args[1], 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		fail(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(store.BucketAudit)
		if b == nil {
			return fmt.Errorf("no audit bucket")
		}
		v := b.Get(store.U64(seq))
		if v == nil {
			return fmt.Errorf("no audit entry %d", seq)
		}
		var e portal.AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		if len(os.Args) > 3 {
			e.Detail = os.Args[3]
		} else {
			e.Detail += " (edited)"
		}
		raw, err := json.Marshal(e) // the old hash stays: the chain breaks here
		if err != nil {
			return err
		}
		return b.Put(store.U64(seq), raw)
	})
	if err != nil {
		fail(err)
	}
	fmt.Printf("audit entry %d edited\n", seq)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tamper-audit:", err)
	os.Exit(1)
}
