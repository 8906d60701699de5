package webserve

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
)

// minGzip is the smallest file worth compressing.

// gzipped returns the compressed form of a file, made once (nil if it would
// not be smaller).
func (st *static) gzipped(name string, data []byte) []byte {
	st.mu.Lock()
	defer st.mu.Unlock()
	if gz, ok := st.gz[name]; ok {
		return gz
	}
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(data)
	zw.Close()
	var gz []byte
	if b.Len() < len(data) {
		gz = b.Bytes()
	}
	st.gz[name] = gz
	return gz
}

// compressible reports the content types worth gzipping.
func compressible(ctype string) bool {
	for _, p := range []string{"text/", "application/json", "application/manifest+json", "image/svg+xml", "application/wasm"} {
		if strings.HasPrefix(ctype, p) {
			return true
		}
	}
	return false
}

// acceptsGzip reads an Accept-Encoding header: gzip, or else *, listed
// without q=0.
func acceptsGzip(header string) bool {
	gzip, star := -1, -1 // -1 absent, 0 refused, 1 accepted
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		ok := 1
		if q, found := strings.CutPrefix(strings.ReplaceAll(strings.ToLower(params), " ", ""), "q="); found {
			if v, err := strconv.ParseFloat(q, 64); err != nil || v <= 0 {
				ok = 0
			}
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzip = ok
		case "*":
			star = ok
		}
	}
	if gzip >= 0 {
		return gzip == 1
	}
	return star == 1
}
