package qr_test

// The photo corpus of issue 9: photos of our own codes — real activation
// requests (made by licenseclient) and the portal's signed responses to
// them — drawn with qr.Encode and degraded by qrtest.Photo (25–60 %, up to
// ±12°, blur, noise, JPEG 65, on a screen). The documents are generated
// once and committed (testdata/corpus/*.txt, so the counts do not move
// with random keys):
//
//	go test ./backend/qr/ -run TestCorpusDocuments -corpus-regen
//
// The photos are made from them in each run, deterministically.

import (
	"bufio"
	"crypto/ed25519"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/licenseclient"
	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/qr/qrtest"
	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/signdoc"
)

var corpusRegen = flag.Bool("corpus-regen", false, "rewrite testdata/corpus/*.txt from a fresh portal and clients")

const (
	corpusN        = 48
	corpusSeed     = 9 // issue 9
	requestsFile   = "testdata/corpus/requests.txt"
	responsesFile  = "testdata/corpus/responses.txt"
	corpusProduct  = "acme-cad"
	corpusProduct2 = "acme-render"
)

// TestCorpusDocuments checks the committed corpus documents (kinds, count)
// and, with -corpus-regen, makes them anew with the real code paths.
func TestCorpusDocuments(t *testing.T) {
	if *corpusRegen {
		reqs, resps := makeCorpusDocuments(t)
		for file, lines := range map[string][]string{requestsFile: reqs, responsesFile: resps} {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for file, kind := range map[string]signdoc.Kind{requestsFile: signdoc.KindActivationRequest, responsesFile: signdoc.KindActivationResponse} {
		docs := readLines(t, file)
		if len(docs) != corpusN {
			t.Fatalf("%s: %d documents, want %d", file, len(docs), corpusN)
		}
		for i, text := range docs {
			d, err := signdoc.Parse([]byte(text))
			if err == nil && d.Kind != kind {
				err = fmt.Errorf("kind %v, want %v", d.Kind, kind)
			}
			if err != nil {
				t.Fatalf("%s:%d: %v", file, i+1, err)
			}
		}
	}
}

func seeded(name string) ed25519.PrivateKey {
	s := sha256.Sum256([]byte("qr corpus/" + name))
	return ed25519.NewKeyFromSeed(s[:])
}

// makeCorpusDocuments enrolls a portal with a publisher, imports a bundle
// of 48 licenses, assigns them, and activates one request per license made
// by a licenseclient on its own "machine".
func makeCorpusDocuments(t *testing.T) (reqs, resps []string) {
	now := time.Now().UTC().Truncate(time.Second)
	p, err := portal.Open(filepath.Join(t.TempDir(), "portal.db"), portal.WithKDF(seal.TestParams), portal.WithSignInDelay(0))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s, err := p.Setup("Northwind Software Resale GmbH", "alice", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	enr, err := p.EnrollmentRequest(s)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := signdoc.Parse([]byte(enr.Armored))
	if err != nil {
		t.Fatal(err)
	}
	er, err := signdoc.VerifyEnrollmentRequest(ed)
	if err != nil {
		t.Fatal(err)
	}
	publisher := seeded("publisher")
	rid := signdoc.KeyID(er.PublicKey)
	cert, err := signdoc.SignCertificate(publisher, signdoc.Certificate{Serial: 1, ResellerID: rid, ResellerName: er.ResellerName,
		PublicKey: er.PublicKey, Products: []string{corpusProduct, corpusProduct2}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.AddDate(1, 0, 0), PublisherKey: signdoc.Bytes(publisher.Public().(ed25519.PublicKey))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.CompleteEnrollment(s, cert.Armor()); err != nil {
		t.Fatal(err)
	}
	const alpha = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var lics []signdoc.License
	for i := 0; i < corpusN; i++ {
		h := sha256.Sum256([]byte(fmt.Sprint("license ", i)))
		var k []byte
		for j := 0; j < 20; j++ {
			if j > 0 && j%5 == 0 {
				k = append(k, '-')
			}
			k = append(k, alpha[h[j]%32])
		}
		l := signdoc.License{Key: string(k), Product: corpusProduct, ActivationsAllowed: 3}
		switch i % 3 { // the features a real bundle carries, from none to a few
		case 1:
			l.Features = map[string]string{"edition": "pro"}
		case 2:
			l.Product = corpusProduct2
			l.Features = map[string]string{"edition": "enterprise", "seats": fmt.Sprint(5 + i), "render_nodes": "4"}
			exp := now.AddDate(1, 0, 0)
			l.Expires = &exp
		}
		lics = append(lics, l)
	}
	b, err := signdoc.SignBundle(publisher, signdoc.Bundle{BundleID: "corpus-1", ResellerID: rid, IssuedAt: now, Licenses: lics})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ImportBundle(s, b.Armor()); err != nil {
		t.Fatal(err)
	}
	u, err := p.CreateUser(s, portal.UserInput{Name: "Ada Lovelace", Email: "ada@globex.example"})
	if err != nil {
		t.Fatal(err)
	}
	hosts := []string{"DESKTOP-%04X", "cad-ws-%02d.globex.local", "RENDER%02d", "ada-laptop-%d"}
	oses := []string{"windows", "linux", "darwin"}
	for i, l := range lics {
		if _, err := p.Assign(s, l.Key, u.ID, ""); err != nil {
			t.Fatal(err)
		}
		c, err := licenseclient.New(licenseclient.Options{StateDir: t.TempDir(), MachineID: fmt.Sprint("corpus-machine-", i),
			Hostname: fmt.Sprintf(hosts[i%4], 7*i+3), OS: oses[i%3], AppVersion: fmt.Sprintf("2.%d.%d", i%5, i)})
		if err != nil {
			t.Fatal(err)
		}
		req, err := c.NewRequest(l.Product, l.Key)
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Activate(s, req.Armor(), false)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, req.Compact())
		resps = append(resps, res.Response.Compact)
	}
	return reqs, resps
}

func readLines(t testing.TB, file string) []string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// corpusPhoto is one photo of the corpus.
type corpusPhoto struct {
	name, text string
	params     qrtest.Params
	jpeg       []byte
}

// photoCorpus makes the 48 photos of one set (requests or responses).
func photoCorpus(t testing.TB, set string) []corpusPhoto {
	t.Helper()
	// QR_CORPUS_SEED makes another corpus of the same kind (to check that
	// the decoder is not tuned to this one); the committed floors are for
	// the default seed.
	seed := int64(corpusSeed)
	if s := os.Getenv("QR_CORPUS_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	file := requestsFile
	if set == "responses" {
		file, seed = responsesFile, seed+1
	}
	docs := readLines(t, file)
	params := qrtest.Corpus(len(docs), seed)
	out := make([]corpusPhoto, len(docs))
	for i, text := range docs {
		code, err := qr.Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		j, err := qrtest.Photo(code, params[i])
		if err != nil {
			t.Fatal(err)
		}
		out[i] = corpusPhoto{name: fmt.Sprintf("%s-%02d.jpg", set[:len(set)-1], i), text: text, params: params[i], jpeg: j}
	}
	return out
}

// zbarRead returns what zbarimg reads from file ("" when nothing).
func zbarRead(t testing.TB, file string) string {
	out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file).Output()
	if err != nil {
		return ""
	}
	return strings.TrimRight(string(out), "\n")
}

// TestPhotoCorpusAtLeastZbarimg: qr.Decode reads every corpus photo that
// zbarimg reads, and at least a floor of each set.
func TestPhotoCorpusAtLeastZbarimg(t *testing.T) {
	if testing.Short() {
		t.Skip("photo corpus: not in -short")
	}
	_, zerr := exec.LookPath("zbarimg")
	if zerr != nil {
		t.Log("zbarimg not found (Debian zbar-tools; make test installs it): comparing with the floors only")
	}
	// floors: what qr.Decode read when this test was written (zbarimg:
	// 40 and 32); docs/formats.md, "Reading photos".
	floors := map[string]int{"requests": 45, "responses": 38}
	dir := t.TempDir()
	for _, set := range []string{"requests", "responses"} {
		var ours, theirs, both int
		var dur, worst time.Duration
		for _, ph := range photoCorpus(t, set) {
			t0 := time.Now()
			got, err := qr.Decode(ph.jpeg)
			d := time.Since(t0)
			dur += d
			worst = max(worst, d)
			read := err == nil && got == ph.text
			if err == nil && got != ph.text {
				t.Errorf("%s (%v): qr.Decode read a wrong text", ph.name, ph.params)
			}
			if read {
				ours++
			}
			if zerr == nil {
				file := filepath.Join(dir, ph.name)
				if err := os.WriteFile(file, ph.jpeg, 0o644); err != nil {
					t.Fatal(err)
				}
				if zbarRead(t, file) == ph.text {
					theirs++
					if read {
						both++
					} else {
						t.Errorf("%s (%v): zbarimg reads it, qr.Decode does not: %v", ph.name, ph.params, err)
					}
				}
			}
			if os.Getenv("QR_CORPUS_VERBOSE") != "" {
				t.Logf("%s %v ours=%v", ph.name, ph.params, read)
			}
		}
		if zerr == nil {
			t.Logf("%s: zbarimg read %d of %d, qr.Decode %d (%d of zbarimg's); %.1f ms a photo, at most %.0f ms", set, theirs, corpusN, ours, both,
				ms(dur)/corpusN, ms(worst))
		} else {
			t.Logf("%s: qr.Decode read %d of %d; %.1f ms a photo, at most %.0f ms", set, ours, corpusN, ms(dur)/corpusN, ms(worst))
		}
		if ours < floors[set] {
			t.Errorf("%s: qr.Decode read %d of %d, want at least %d", set, ours, corpusN, floors[set])
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkDecodePhoto decodes each photo of both corpus sets in turn.
func BenchmarkDecodePhoto(b *testing.B) {
	photos := append(photoCorpus(b, "requests"), photoCorpus(b, "responses")...)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		qr.Decode(photos[i%len(photos)].jpeg)
	}
}

// TestWriteCorpusPhotos writes the photos into $QR_CORPUS_DUMP, to look at
// them or try other readers.
func TestWriteCorpusPhotos(t *testing.T) {
	dir := os.Getenv("QR_CORPUS_DUMP")
	if dir == "" {
		t.Skip("set QR_CORPUS_DUMP=DIR to write the corpus photos there")
	}
	for _, set := range []string{"requests", "responses"} {
		for _, ph := range photoCorpus(t, set) {
			os.WriteFile(filepath.Join(dir, ph.name), ph.jpeg, 0o644)
		}
	}
}
