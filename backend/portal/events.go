package portal

import (
	"encoding/json"
	"time"

	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// Activation events feed the activation report: one per activation and
// per deactivation, numbered by the act_events sequence.
const (
	eventActivation   = "a"
	eventDeactivation = "d"
)

type eventRec struct {
	Type string `json:"t"`
	Act  uint64 `json:"a"`
	At   int64  `json:"at"`
}

func addEvent(tx *bolt.Tx, typ string, act uint64, at time.Time) error {
	b := tx.Bucket(store.BucketActEvents)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(eventRec{Type: typ, Act: act, At: at.Unix()})
	return b.Put(store.U64(seq), raw)
}

func codeOf(err error) string { return reply.CodeOf(err) }
