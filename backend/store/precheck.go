package store

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
)

// bbolt trusts its file: a truncated or damaged one makes it fault rather
// than return an error. precheck walks the page tree of a file read into
// memory, with every offset bounds-checked, so that Validate and Open only
// hand bbolt a file whose pages are all where they claim to be.
//
// Layout (little-endian): page header = id u64, flags u16, count u16,
// overflow u32. Meta (after the header): magic u32, version u32, pageSize
// u32, flags u32, root bucket {root u64, seq u64}, freelist u64, pgid u64,
// txid u64, checksum u64 (FNV-64a of the meta fields before it).
const (
	boltMagic   = 0xED0CDAED
	pageHdr     = 16
	elemSize    = 16
	flagBranch  = 0x01
	flagLeaf    = 0x02
	flagFree    = 0x10
	leafBucket  = 0x01
	noFreelist  = 0xffffffffffffffff
	maxDepth    = 64
	maxPageSize = 1 << 16
)

var le = binary.LittleEndian

type walker struct {
	data     []byte
	pageSize uint64
	hwm      uint64
	seen     map[uint64]bool
}

func precheck(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotPortalDB, err)
	}
	if err := checkPages(data); err != nil {
		return fmt.Errorf("%w: %v", ErrNotPortalDB, err)
	}
	return nil
}

// quickcheck is the cheap part of precheck, run on every Open: the meta
// pages must be bbolt's and the file must hold every page they name (a
// truncated file would make bbolt fault). Damage inside the page tree is
// precheck's job (Validate, before a restore).
func quickcheck(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotPortalDB, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotPortalDB, err)
	}
	head := make([]byte, 2*maxPageSize)
	n, _ := f.ReadAt(head, 0)
	head = head[:n]
	if err := checkMeta(head, st.Size()); err != nil {
		return fmt.Errorf("%w: %v", ErrNotPortalDB, err)
	}
	return nil
}

func checkPages(data []byte) error {
	w, root, err := metaOf(data, int64(len(data)))
	if err != nil {
		return err
	}
	if w.hwm > uint64(len(data))/w.pageSize {
		return fmt.Errorf("file is truncated")
	}
	if fl := le.Uint64(root[32:]); fl != noFreelist {
		if err := w.freelist(fl); err != nil {
			return err
		}
	}
	return w.tree(le.Uint64(root[16:]), 0)
}

func checkMeta(head []byte, size int64) error {
	_, _, err := metaOf(head, size)
	return err
}

// metaOf picks the valid meta page with the highest txid from data (the
// start of a file of the given size) and checks the size against it.
func metaOf(data []byte, size int64) (*walker, []byte, error) {
	if len(data) < 2*512 {
		return nil, nil, fmt.Errorf("file too short")
	}
	var best []byte
	var bestTx uint64
	pageSize := uint64(0)
	for i := 0; i < 2; i++ {
		ps := uint64(4096)
		if i == 1 {
			ps = pageSize
			if ps == 0 {
				ps = uint64(le.Uint32(data[pageHdr+8:]))
			}
		}
		if ps < 512 || ps > maxPageSize || ps&(ps-1) != 0 || uint64(len(data)) < uint64(i+1)*ps {
			continue
		}
		m := data[uint64(i)*ps+pageHdr : uint64(i)*ps+pageHdr+64]
		if le.Uint32(m) != boltMagic {
			continue
		}
		h := fnv.New64a()
		h.Write(m[:56])
		if h.Sum64() != le.Uint64(m[56:]) {
			continue
		}
		if i == 0 {
			pageSize = uint64(le.Uint32(m[8:]))
		}
		if tx := le.Uint64(m[48:]); best == nil || tx > bestTx {
			best, bestTx = m, tx
		}
	}
	if best == nil {
		return nil, nil, fmt.Errorf("no valid bbolt meta page")
	}
	ps := uint64(le.Uint32(best[8:]))
	if ps < 512 || ps > maxPageSize || ps&(ps-1) != 0 {
		return nil, nil, fmt.Errorf("bad page size %d", ps)
	}
	w := &walker{data: data, pageSize: ps, hwm: le.Uint64(best[40:]), seen: map[uint64]bool{}}
	if uint64(size)%ps != 0 {
		return nil, nil, fmt.Errorf("file size %d is not whole pages", size)
	}
	if w.hwm < 3 || w.hwm > uint64(size)/ps {
		return nil, nil, fmt.Errorf("file is truncated (needs %d pages, has %d)", w.hwm, uint64(size)/ps)
	}
	return w, best, nil
}

// span returns the bytes of page id with its overflow pages.
func (w *walker) span(id uint64) ([]byte, error) {
	if id < 2 || id >= w.hwm {
		return nil, fmt.Errorf("page %d out of range", id)
	}
	if w.seen[id] {
		return nil, fmt.Errorf("page %d referenced twice", id)
	}
	w.seen[id] = true
	off := id * w.pageSize
	hdr := w.data[off : off+pageHdr]
	if le.Uint64(hdr) != id {
		return nil, fmt.Errorf("page %d has id %d", id, le.Uint64(hdr))
	}
	over := uint64(le.Uint32(hdr[12:]))
	if id+over >= w.hwm {
		return nil, fmt.Errorf("page %d overflows the file", id)
	}
	return w.data[off : off+(over+1)*w.pageSize], nil
}

func (w *walker) freelist(id uint64) error {
	p, err := w.span(id)
	if err != nil {
		return fmt.Errorf("freelist: %w", err)
	}
	if le.Uint16(p[8:])&flagFree == 0 {
		return fmt.Errorf("freelist page %d has wrong type", id)
	}
	n, start := uint64(le.Uint16(p[10:])), uint64(pageHdr)
	if n == 0xFFFF {
		if len(p) < pageHdr+8 {
			return fmt.Errorf("freelist page %d truncated", id)
		}
		n, start = le.Uint64(p[pageHdr:]), pageHdr+8
	}
	if n > (uint64(len(p))-start)/8 {
		return fmt.Errorf("freelist page %d count too large", id)
	}
	for i := uint64(0); i < n; i++ {
		if f := le.Uint64(p[start+8*i:]); f < 2 || f >= w.hwm {
			return fmt.Errorf("freelist names page %d out of range", f)
		}
	}
	return nil
}

func (w *walker) tree(id uint64, depth int) error {
	p, err := w.span(id)
	if err != nil {
		return err
	}
	return w.page(p, depth)
}

// page checks one branch or leaf page (p may be an inline bucket's page).
func (w *walker) page(p []byte, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("tree too deep")
	}
	if len(p) < pageHdr {
		return fmt.Errorf("page truncated")
	}
	flags, n := le.Uint16(p[8:]), uint64(le.Uint16(p[10:]))
	switch {
	case flags != flagBranch && flags != flagLeaf:
		// bbolt walks anything that is not a leaf as a branch, and an
		// inline "branch" leads back to itself: it would loop forever
		return fmt.Errorf("page of unexpected type %#x", flags)
	case flags == flagBranch && n == 0:
		return fmt.Errorf("empty branch page")
	case pageHdr+n*elemSize > uint64(len(p)):
		return fmt.Errorf("page element count %d too large", n)
	}
	for i := uint64(0); i < n; i++ {
		eoff := pageHdr + i*elemSize
		e := p[eoff : eoff+elemSize]
		switch flags {
		case flagBranch:
			pos, ksize := uint64(le.Uint32(e)), uint64(le.Uint32(e[4:]))
			if eoff+pos+ksize > uint64(len(p)) {
				return fmt.Errorf("branch key out of page")
			}
			if err := w.tree(le.Uint64(e[8:]), depth+1); err != nil {
				return err
			}
		case flagLeaf:
			ef, pos := le.Uint32(e), uint64(le.Uint32(e[4:]))
			ksize, vsize := uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
			end := eoff + pos + ksize + vsize
			if end > uint64(len(p)) || end < eoff {
				return fmt.Errorf("leaf value out of page")
			}
			if ef&leafBucket == 0 {
				continue
			}
			v := p[eoff+pos+ksize : end]
			if len(v) < 16 {
				return fmt.Errorf("bucket header truncated")
			}
			if root := le.Uint64(v); root != 0 {
				if err := w.tree(root, depth+1); err != nil {
					return err
				}
			} else if len(v) < 16+pageHdr || le.Uint16(v[16+8:]) != flagLeaf {
				return fmt.Errorf("inline bucket is not a leaf page")
			} else if err := w.page(v[16:], depth+1); err != nil {
				return err
			}
		default:
			return fmt.Errorf("page of unexpected type %#x", flags)
		}
	}
	return nil
}

// HeaderSize is how much of the start of a file CheckHeader wants.
const HeaderSize = 2 * maxPageSize

// CheckHeader is the cheap first look at a would-be database file of the
// given size, from its first HeaderSize bytes (or all of a shorter file):
// bbolt's meta pages, and a size that holds every page they name. It reads
// nothing else, so a huge or foreign file is refused before being read.
func CheckHeader(head []byte, size int64) error {
	if err := checkMeta(head, size); err != nil {
		return fmt.Errorf("%w: %v", ErrNotPortalDB, err)
	}
	return nil
}
