package portal

import (
	"reflect"
	"testing"
)

func TestActCodecRoundTrip(t *testing.T) {
	a := actRec{License: "K1", Product: "p", Customer: "u1", CustomerName: "Ada", Fingerprint: "00ff" + "ab" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
		InstallKey: []byte{1, 2, 3}, Hostname: "h", OS: "linux", AppVersion: "1", Nonce: []byte{9, 9}, RequestedAt: 1, Created: -2, ApplyBy: 3, Deactivated: 0, Reissued: 7, Admin: "alice"}
	raw, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var b actRec
	if err := b.UnmarshalBinary(raw); err != nil || !reflect.DeepEqual(a, b) {
		t.Fatalf("round trip: %+v %v", b, err)
	}
	for i := 0; i < len(raw); i++ {
		var c actRec
		_ = c.UnmarshalBinary(raw[:i]) // must not panic
	}
}

func FuzzActCodec(f *testing.F) {
	a := actRec{License: "K1", Fingerprint: "abcd", InstallKey: []byte{1}}
	raw, _ := a.MarshalBinary()
	f.Add(raw)
	f.Fuzz(func(t *testing.T, b []byte) {
		var r actRec
		if r.UnmarshalBinary(b) == nil {
			again, err := r.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var r2 actRec
			if err := r2.UnmarshalBinary(again); err != nil || !reflect.DeepEqual(r, r2) {
				t.Fatalf("re-encode: %v", err)
			}
		}
	})
}
