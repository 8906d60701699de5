package portal

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// Activation records are the bulk of the database, so they are stored in a
// compact binary form instead of JSON (about half the size):
//
//	version u8 (1) | license | product | customer | customer name |
//	fingerprint (32 raw bytes of the 64-hex form) | installation key |
//	hostname | os | app version | nonce | admin      (each uvarint length + bytes)
//	requested | created | apply by | deactivated | reissued   (each varint, unix seconds)
const actCodecVersion = 1

var errActCodec = errors.New("activation record is malformed")

func (a *actRec) MarshalBinary() ([]byte, error) {
	fp, err := hex.DecodeString(a.Fingerprint)
	if err != nil {
		return nil, fmt.Errorf("activation fingerprint: %w", err)
	}
	b := make([]byte, 0, 160+len(a.License)+len(a.CustomerName)+len(a.Hostname))
	b = append(b, actCodecVersion)
	for _, f := range [][]byte{[]byte(a.License), []byte(a.Product), []byte(a.Customer), []byte(a.CustomerName), fp,
		a.InstallKey, []byte(a.Hostname), []byte(a.OS), []byte(a.AppVersion), a.Nonce, []byte(a.Admin)} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	for _, n := range []int64{a.RequestedAt, a.Created, a.ApplyBy, a.Deactivated, a.Reissued} {
		b = binary.AppendVarint(b, n)
	}
	return b, nil
}

func (a *actRec) UnmarshalBinary(b []byte) error {
	if len(b) == 0 || b[0] != actCodecVersion {
		return errActCodec
	}
	b = b[1:]
	field := func() ([]byte, error) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, errActCodec
		}
		f := append([]byte(nil), b[k:k+int(n)]...)
		b = b[k+int(n):]
		return f, nil
	}
	var fs [11][]byte
	for i := range fs {
		f, err := field()
		if err != nil {
			return err
		}
		fs[i] = f
	}
	var ns [5]int64
	for i := range ns {
		n, k := binary.Varint(b)
		if k <= 0 {
			return errActCodec
		}
		ns[i], b = n, b[k:]
	}
	if len(b) != 0 {
		return errActCodec
	}
	*a = actRec{License: string(fs[0]), Product: string(fs[1]), Customer: string(fs[2]), CustomerName: string(fs[3]),
		Fingerprint: hex.EncodeToString(fs[4]), InstallKey: fs[5], Hostname: string(fs[6]), OS: string(fs[7]),
		AppVersion: string(fs[8]), Nonce: fs[9], Admin: string(fs[10]),
		RequestedAt: ns[0], Created: ns[1], ApplyBy: ns[2], Deactivated: ns[3], Reissued: ns[4]}
	return nil
}

func putAct(b interface{ Put(k, v []byte) error }, key []byte, a *actRec) error {
	raw, err := a.MarshalBinary()
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}
