package qr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"runtime"
	"testing"
	"time"
)

// pngHeader is a PNG that declares w×h pixels (colorType, depth) and
// carries a few bytes of image data: a decompression bomb's front.
func pngHeader(w, h uint32, colorType, depth byte) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = depth, colorType
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x62, 0x00, 0x00}) // a cut zlib stream
	chunk("IEND", nil)
	return b.Bytes()
}

// A.3: an image declaring too many pixels is refused from its header, in
// well under 50 ms and without allocating its pixels.
func TestDecodeRefusesBombsBeforeDecoding(t *testing.T) {
	for _, bomb := range [][]byte{
		pngHeader(20000, 20000, 6, 8), // the logo bomb
		pngHeader(7071, 7071, 6, 16),  // the 16-bit "photo"
		pngHeader(4001, 3001, 0, 8),   // just past 12 MP
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err := Decode(bomb)
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrImageTooLarge) {
			t.Fatalf("bomb: %v", err)
		}
		if d > 50*time.Millisecond {
			t.Errorf("refused after %v", d)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
			t.Errorf("allocated %d bytes refusing a bomb", grew)
		}
	}
}

// A.3: full decodes are bounded process-wide.
func TestDecodesBoundedProcessWide(t *testing.T) {
	img, err := Encode("RP1:HELLO")
	if err != nil {
		t.Fatal(err)
	}
	var held []func()
	for i := 0; i < MaxDecodes; i++ {
		held = append(held, DecodeSlot())
	}
	done := make(chan error, 1)
	go func() { _, err := Decode(img); done <- err }()
	select {
	case <-done:
		t.Fatal("a decode ran while every slot was taken")
	case <-time.After(100 * time.Millisecond):
	}
	for _, r := range held {
		r()
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// FuzzImageHeader: whatever size an image header declares, Decode refuses
// an oversized one from the header alone and never panics.
func FuzzImageHeader(f *testing.F) {
	f.Add(uint32(20000), uint32(20000), byte(6), byte(8))
	f.Add(uint32(7071), uint32(7071), byte(6), byte(16))
	f.Add(uint32(100), uint32(100), byte(0), byte(8))
	f.Fuzz(func(t *testing.T, w, h uint32, colorType, depth byte) {
		_, err := Decode(pngHeader(w, h, colorType, depth))
		if err == nil {
			t.Fatal("a cut image decoded")
		}
		if uint64(w)*uint64(h) > MaxImagePixels && w < 1<<31 && h < 1<<31 && !errors.Is(err, ErrImageTooLarge) && !errors.Is(err, ErrNotImage) {
			t.Fatalf("%dx%d: %v", w, h, err)
		}
	})
}
