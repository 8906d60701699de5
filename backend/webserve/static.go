package webserve

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
)

// contentTypes fixes the types of the files a Vite build emits, so that
// nosniff never meets a platform-dependent guess.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".ico":         "image/x-icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".wasm":        "application/wasm",
	".txt":         "text/plain; charset=utf-8",
	".webmanifest": "application/manifest+json",
}

// hashedAsset matches the content-hashed file names Vite writes under
// assets/ (name-XXXXXXXX.ext); those never change and are cached for a year.
var hashedAsset = regexp.MustCompile(`^assets/.+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$`)

const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// notBuiltPage is served instead of the UI when the binary embeds only the
// placeholder of frontend/dist.
const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reseller Portal</title></head>
<body><h1>Reseller Portal</h1><p>The web UI is not built into this binary. Build it with
<code>npm --prefix frontend run build</code> (or <code>make</code>), then rebuild rpctl.
The API at <code>/api/call/{op}</code> works without it.</p></body></html>
`

// static serves the built UI with an SPA fallback to index.html. Text files
// are also served gzip-compressed to clients that accept it (compressed once,
// then kept), which shrinks the UI's JavaScript to about a third.
type static struct {
	fsys  fs.FS
	mu    sync.Mutex
	etags map[string]string
	gz    map[string][]byte
}

func newStatic(fsys fs.FS) *static {
	return &static{fsys: fsys, etags: map[string]string{}, gz: map[string][]byte{}}
}

const minGzip = 1024

func (st *static) hasIndex() bool {
	fi, err := fs.Stat(st.fsys, "index.html")
	return err == nil && fi.Mode().IsRegular()
}

func (st *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	if hidden(name) || !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	if name == "index.html" {
		st.serveIndex(w, r)
		return
	}
	data, err := fs.ReadFile(st.fsys, name)
	switch {
	case err == nil:
		st.serve(w, r, name, data)
	case errors.Is(err, fs.ErrNotExist) || isDir(st.fsys, name):
		if path.Ext(name) != "" {
			// A missing asset is a 404, never the HTML of the app.
			http.NotFound(w, r)
			return
		}
		st.serveIndex(w, r)
	default:
		http.Error(w, "cannot read file", http.StatusInternalServerError)
	}
}

// serveIndex serves index.html for every client-side route.
func (st *static) serveIndex(w http.ResponseWriter, r *http.Request) {
	data, err := fs.ReadFile(st.fsys, "index.html")
	if err != nil {
		w.Header().Set("Content-Type", contentTypes[".html"])
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		if r.Method != http.MethodHead {
			w.Write([]byte(notBuiltPage))
		}
		return
	}
	st.serve(w, r, "index.html", data)
}

func (st *static) serve(w http.ResponseWriter, r *http.Request, name string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", typeOf(name, data))
	if hashedAsset.MatchString(name) {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheRevalidate)
	}
	etag := st.etag(name, data)
	if compressible(h.Get("Content-Type")) && len(data) >= minGzip {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if gz := st.gzipped(name, data); gz != nil {
				h.Set("Content-Encoding", "gzip")
				h.Set("ETag", strings.TrimSuffix(etag, `"`)+`-gz"`)
				http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(gz))
				return
			}
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

// hidden reports a path with a dot-file segment (.keep, .git…).
func hidden(name string) bool {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

func isDir(fsys fs.FS, name string) bool {
	fi, err := fs.Stat(fsys, name)
	return err == nil && fi.IsDir()
}
func typeOf(name string, data []byte) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(data)
}

// etag is a strong validator from the file's bytes, computed once per file.
func (st *static) etag(name string, data []byte) string {
	st.mu.Lock()
	defer st.mu.Unlock()
	if e, ok := st.etags[name]; ok {
		return e
	}
	sum := sha256.Sum256(data)
	e := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	st.etags[name] = e
	return e
}
