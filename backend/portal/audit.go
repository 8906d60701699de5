package portal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/resellerportal/portal/backend/store"
	bolt "go.etcd.io/bbolt"
)

// AuditEntry is one line of the append-only, hash-chained audit log. Hash is
// SHA-256 over the previous entry's hash and this entry's JSON with Hash
// empty, so editing, removing or reordering entries breaks the chain.
type AuditEntry struct {
	Seq    uint64    `json:"seq"`
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Object string    `json:"object"`
	Detail string    `json:"detail,omitempty"`
	Prev   string    `json:"prev"`
	Hash   string    `json:"hash"`
}

// auditHead is the key, inside the audit bucket, of the chain's head: seq (8)
// | hash (32) of the last entry. It sorts after every 8-byte sequence key,
// so it lives in the same page as the newest entries.
var auditHead = []byte("~head")

func (e AuditEntry) digest() (string, error) {
	e.Hash = ""
	raw, err := json.Marshal(e)
	if err != nil {
		return "", err
	}
	prev, err := hex.DecodeString(e.Prev)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(prev)
	h.Write(raw)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// audit appends an entry inside tx, the transaction of the change it records.
func (p *Portal) audit(tx *bolt.Tx, actor, action, object, detail string) error {
	b := tx.Bucket(store.BucketAudit)
	b.FillPercent = appendFill
	prev := make([]byte, 32)
	if head := b.Get(auditHead); len(head) == 40 {
		copy(prev, head[8:])
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e := AuditEntry{Seq: seq, Time: p.now(), Actor: actor, Action: action, Object: object, Detail: detail, Prev: hex.EncodeToString(prev)}
	if e.Hash, err = e.digest(); err != nil {
		return err
	}
	if err := putJSON(b, store.U64(seq), e); err != nil {
		return err
	}
	sum, _ := hex.DecodeString(e.Hash)
	return b.Put(auditHead, store.Key(store.U64(seq), sum))
}

// AuditLog lists audit entries, newest first (limit 0: all); QueryAudit
// filters and pages with a bounded walk.
func (p *Portal) AuditLog(s *Session, offset, limit int) ([]AuditEntry, error) {
	if err := p.auth(s); err != nil {
		return nil, err
	}
	var out []AuditEntry
	err := p.view(func(tx *bolt.Tx) (err error) {
		out, err = auditPage(tx, offset, limit)
		return err
	})
	return out, err
}

// auditPage reads entries newest first inside tx (limit 0: all).
func auditPage(tx *bolt.Tx, offset, limit int) ([]AuditEntry, error) {
	out := []AuditEntry{}
	c := tx.Bucket(store.BucketAudit).Cursor()
	i := 0
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		if len(k) != 8 {
			continue // the head
		}
		if i < offset {
			i++
			continue
		}
		if limit > 0 && len(out) >= limit {
			break
		}
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return out, fmt.Errorf("%w: entry %x undecodable", ErrAuditBroken, k)
		}
		out = append(out, e)
		i++
	}
	return out, nil
}

// AuditVerification is the result of checking the chain.
type AuditVerification struct {
	Entries uint64 `json:"entries"`
	OK      bool   `json:"ok"`
	Head    string `json:"head,omitempty"`
}

// VerifyAudit walks the chain from the first entry and checks sequence
// numbers, links, hashes and the recorded head; a broken chain returns
// ErrAuditBroken naming the first bad entry.
func (p *Portal) VerifyAudit(s *Session) (AuditVerification, error) {
	if err := p.auth(s); err != nil {
		return AuditVerification{}, err
	}
	var res AuditVerification
	err := p.view(func(tx *bolt.Tx) error {
		var err error
		res, err = verifyAuditTx(tx)
		return err
	})
	return res, err
}

func verifyAuditTx(tx *bolt.Tx) (AuditVerification, error) {
	var res AuditVerification
	prev := hex.EncodeToString(make([]byte, 32))
	want := uint64(1)
	c := tx.Bucket(store.BucketAudit).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if bytes.Equal(k, auditHead) {
			continue
		}
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return res, fmt.Errorf("%w: entry %d cannot be read", ErrAuditBroken, want)
		}
		if store.ID(k) != want || e.Seq != want {
			return res, fmt.Errorf("%w: entry %d missing or out of order (found %d)", ErrAuditBroken, want, e.Seq)
		}
		if e.Prev != prev {
			return res, fmt.Errorf("%w: entry %d does not follow entry %d", ErrAuditBroken, want, want-1)
		}
		d, err := e.digest()
		if err != nil || d != e.Hash {
			return res, fmt.Errorf("%w: entry %d was altered", ErrAuditBroken, want)
		}
		prev = e.Hash
		want++
	}
	res.Entries = want - 1
	head := tx.Bucket(store.BucketAudit).Get(auditHead)
	if res.Entries == 0 && head == nil {
		res.OK = true
		return res, nil
	}
	if len(head) != 40 || store.ID(head[:8]) != res.Entries || !bytes.Equal(head[8:], mustHex(prev)) {
		return res, fmt.Errorf("%w: the last entries were removed (log ends at %d)", ErrAuditBroken, res.Entries)
	}
	res.OK, res.Head = true, prev
	return res, nil
}

func mustHex(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}

// AuditActions lists every action the portal records, sorted (the audit
// screen's action filter offers them; TestAuditActionsListed keeps the list
// in step with the code).
var AuditActions = []string{
	"activation.create", "activation.deactivate", "activation.reissue",
	"admin.add", "admin.passwd", "admin.remove",
	"backup.create", "backup.download", "backup.restore",
	"customer.disable", "customer.enable", "customer.invite", "customer.manager", "customer.passwd", "customer.redeem", "customer.signin",
	"demo.create", "enroll.complete",
	"license.assign", "license.import", "license.revoke",
	"org.create", "org.delete", "org.update",
	"portal.setup", "report.create",
	"request.approve", "request.create", "request.reject", "request.signed",
	"settings.update", "signin.blocked", "signing.lock", "signing.mode", "signing.unlock",
	"user.create", "user.delete", "user.update",
}

// Audit query bounds. A filtered query reads entries newest first until it
// has offset+limit matches; it stops after AuditScanMax entries (the log can
// hold 100k+), and says where to continue (More, Next).
const (
	AuditDefaultLimit = 50
	AuditMaxLimit     = 1000
	AuditScanMax      = 10000
)

// AuditQuery selects audit entries, newest first. Action and Actor match
// exactly (empty: any). Before starts the walk below that sequence number
// (0: at the newest entry), a cursor that costs no walk; Offset skips that
// many matching entries first.
type AuditQuery struct {
	Action string `json:"action"`
	Actor  string `json:"actor"`
	Before uint64 `json:"before"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"` // 0: AuditDefaultLimit; at most AuditMaxLimit
}

// AuditPage is one page of a query. Entries are the matches found, newest
// first, at most limit of them. More says that older matches may exist: ask
// again with Before = Next (and Offset 0). Scanned counts the entries read
// (skipped unfiltered entries are not read); when it reaches AuditScanMax the
// walk stopped early, so Entries may hold fewer than limit although More is
// true.
type AuditPage struct {
	Entries []AuditEntry `json:"entries"`
	More    bool         `json:"more"`
	Next    uint64       `json:"next"`
	Scanned int          `json:"scanned"`
}

// QueryAudit pages through the audit log newest first with optional filters.
func (p *Portal) QueryAudit(s *Session, q AuditQuery) (AuditPage, error) {
	if err := p.auth(s); err != nil {
		return AuditPage{}, err
	}
	if q.Offset < 0 || q.Limit < 0 {
		return AuditPage{}, fmt.Errorf("%w: offset and limit must not be negative", ErrInvalidInput)
	}
	if q.Limit == 0 {
		q.Limit = AuditDefaultLimit
	}
	q.Limit = min(q.Limit, AuditMaxLimit)
	var out AuditPage
	err := p.view(func(tx *bolt.Tx) (err error) {
		out, err = auditQuery(tx, q, AuditScanMax)
		return err
	})
	return out, err
}

// jsonField is `"name":VALUE` as encoding/json writes it: a cheap test that
// skips most non-matching entries without decoding them.
func jsonField(name, value string) []byte {
	v, _ := json.Marshal(value)
	return append([]byte(`"`+name+`":`), v...)
}

func auditQuery(tx *bolt.Tx, q AuditQuery, scanMax int) (AuditPage, error) {
	out := AuditPage{Entries: []AuditEntry{}}
	filtered := q.Action != "" || q.Actor != ""
	var wantAction, wantActor []byte
	if q.Action != "" {
		wantAction = jsonField("action", q.Action)
	}
	if q.Actor != "" {
		wantActor = jsonField("actor", q.Actor)
	}
	c := tx.Bucket(store.BucketAudit).Cursor()
	var k, v []byte
	if q.Before > 0 {
		k, v = c.Seek(store.U64(q.Before))
		if k == nil {
			k, v = c.Last()
		}
		for k != nil && (len(k) != 8 || store.ID(k) >= q.Before) {
			k, v = c.Prev()
		}
	} else {
		k, v = c.Last()
	}
	skip := q.Offset
	for ; k != nil; k, v = c.Prev() {
		if len(k) != 8 {
			continue // the head
		}
		seq := store.ID(k)
		if len(out.Entries) >= q.Limit {
			out.More = true
			return out, nil
		}
		if out.Scanned >= scanMax {
			out.More = true
			return out, nil
		}
		if !filtered && skip > 0 {
			skip--
			out.Next = seq
			continue
		}
		out.Scanned++
		out.Next = seq
		if (wantAction != nil && !bytes.Contains(v, wantAction)) || (wantActor != nil && !bytes.Contains(v, wantActor)) {
			continue
		}
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return out, fmt.Errorf("%w: entry %d cannot be read", ErrAuditBroken, seq)
		}
		if (q.Action != "" && e.Action != q.Action) || (q.Actor != "" && e.Actor != q.Actor) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		out.Entries = append(out.Entries, e)
	}
	out.Next = 0
	return out, nil
}

// AuditActionList returns AuditActions to a signed-in admin.
func (p *Portal) AuditActionList(s *Session) ([]string, error) {
	if err := p.auth(s); err != nil {
		return nil, err
	}
	return append([]string(nil), AuditActions...), nil
}
