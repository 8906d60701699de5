//go:build !windows

package store

// initialMmapSize is the address space bbolt maps up front (the file does
// not grow with it). A commit that grows the file past the current map
// makes bbolt remap, and a remap copies every node the transaction holds
// out of the old map: with 100,000 licenses in one bundle import that was
// a third of the import's time. 1 GiB of address space covers a portal of
// several million records without any remap.
const initialMmapSize = (1 << 30) * int(^uintptr(0)>>63) // 0 on 32-bit platforms
