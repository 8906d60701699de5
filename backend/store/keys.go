package store

import (
	"encoding/binary"
)

// U64 encodes n big-endian, so cursor order is numeric order.
func U64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

// ID decodes a big-endian uint64; anything but 8 bytes reads as 0.
func ID(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// Key joins parts into a fresh composite key. Variable-length text parts
// must be followed by Sep so that prefixes cannot collide.
func Key(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	for _, p := range parts {
		k = append(k, p...)
	}
	return k
}

// Sep ends a text part of a composite key.
var Sep = []byte{0}

// Copy returns a copy of b (bbolt values are only valid inside their transaction).
func Copy(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}
