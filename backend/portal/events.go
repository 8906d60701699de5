package portal

import (
	"fmt"
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
	b.FillPercent = appendFill
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	return b.Put(store.U64(seq), store.Key([]byte(typ), store.U64(act), store.U64(uint64(at.Unix()))))
}

// decodeEvent reads an event value: type (1 byte) | activation (8) | unix time (8).
func decodeEvent(v []byte) (eventRec, error) {
	if len(v) != 17 {
		return eventRec{}, fmt.Errorf("activation event is %d bytes", len(v))
	}
	return eventRec{Type: string(v[:1]), Act: store.ID(v[1:9]), At: int64(store.ID(v[9:17]))}, nil
}

func codeOf(err error) string { return reply.CodeOf(err) }

// appendFill is the fill percent of buckets whose keys only ever grow
// (sequence numbers, times): full pages instead of half-full splits.
const appendFill = 0.95
