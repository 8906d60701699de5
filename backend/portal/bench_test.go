package portal

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/publisher"
	"github.com/resellerportal/portal/backend/signdoc"
)

// Benchmarks of issue 4's performance targets, on the generated dataset of
// 100,000 licenses and 200,000 activations (dataset_test.go).

// BenchmarkImportBundle100k imports ONE allocation bundle of
// publisher.MaxBundleLicenses (100,000) licenses, end to end: parse the
// armored document, verify its signature against the pinned publisher key,
// decode the licenses, and write them with their indexes in one
// transaction (fsync). Keys are random, as publisher.Allocate makes them.
func BenchmarkImportBundle100k(b *testing.B) {
	clock := &testClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	tp := newPublisher(b)
	exp := clock.Now().AddDate(1, 0, 0)
	lics := make([]signdoc.License, publisher.MaxBundleLicenses)
	var size int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := Open(filepath.Join(b.TempDir(), "portal.db"), testOpts(clock)...)
		if err != nil {
			b.Fatal(err)
		}
		s, _ := p.Setup("Bench", "alice", testPassword)
		e, err := p.CompleteEnrollment(s, tp.certify(b, p, s, clock.Now(), "prod"))
		if err != nil {
			b.Fatal(err)
		}
		for j := range lics {
			key, err := publisher.NewLicenseKey()
			if err != nil {
				b.Fatal(err)
			}
			lics[j] = signdoc.License{Key: key, Product: "prod", ActivationsAllowed: 3, DeactivationsAllowed: intp(2), Expires: &exp}
		}
		bundle := tp.bundle(b, e.ResellerID, fmt.Sprintf("b%d", i), lics...)
		size = len(bundle)
		b.StartTimer()
		res, err := p.ImportBundle(s, bundle)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if res.Licenses != len(lics) || res.Already {
			b.Fatalf("imported %+v", res)
		}
		p.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/100k-licenses")
	b.ReportMetric(float64(size)/(1<<20), "bundle-MiB")
}

func BenchmarkLicensePageSearch(b *testing.B) {
	ds := benchDataset(b)
	p, err := Open(copyDataset(b, ds))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	s := p.newSession("alice", RoleResellerAdmin, nil)
	for _, tc := range []struct{ name, term, status string }{
		{"key-prefix", ds.keys[len(ds.keys)/2][:3], ""},
		{"customer-name", strings.Fields(ds.users[42])[1], ""},
		{"customer-email", ds.emails[4242][:8], ""},
		{"no-term-status-active", "", StatusActive},
		{"no-term-deep-offset", "", ""},
	} {
		b.Run(tc.name, func(b *testing.B) {
			q := LicenseQuery{Search: tc.term, Status: tc.status, Limit: 50}
			if tc.name == "no-term-deep-offset" {
				q.Offset = 50_000
			}
			page, err := p.ListLicenses(s, q)
			if err != nil || len(page.Items) == 0 {
				b.Fatalf("query %+v: %d items, %v", q, len(page.Items), err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := p.ListLicenses(s, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOpenFirstPage(b *testing.B) {
	ds := benchDataset(b)
	path := copyDataset(b, ds)
	s := &Session{admin: "alice", role: RoleResellerAdmin, gen: 1 << 62, lastUsed: time.Now()}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		s.lastUsed = time.Now()
		page, err := p.ListLicenses(s, LicenseQuery{Limit: 50})
		if err != nil || len(page.Items) != 50 {
			b.Fatal(err)
		}
		p.Close()
	}
}

// benchPortal opens a copy of the dataset signed in as alice.
func benchPortal(b *testing.B) (*Portal, *Session, *dataset) {
	ds := benchDataset(b)
	clock := &testClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	p, err := Open(copyDataset(b, ds), testOpts(clock)...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	s, err := p.SignIn("alice", testPassword)
	if err != nil {
		b.Fatal(err)
	}
	p.opts.idle = 0
	return p, s, ds
}

func BenchmarkActivateOne(b *testing.B) {
	p, s, ds := benchPortal(b)
	if b.N > 2*len(ds.assigned) {
		b.Fatalf("b.N %d exceeds free slots", b.N)
	}
	reqs := make([][]byte, b.N)
	for i := range reqs {
		reqs[i] = newMachine(b, fmt.Sprintf("bench-%d", i)).request(b, productOf(b, p, s, ds.assigned[i%len(ds.assigned)]), ds.assigned[i%len(ds.assigned)])
	}
	before := p.db.Stats().TxStats
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := p.Activate(s, reqs[i], false)
		if err != nil {
			b.Fatal(err)
		}
		if res.Response.Compact == "" || res.Response.Armored == "" {
			b.Fatal("empty response")
		}
	}
	b.StopTimer()
	after := p.db.Stats().TxStats
	// pages the commits allocate (every dirtied node, the freelist) and
	// the writes they take, meta page included
	pages := float64(after.GetPageCount()-before.GetPageCount()) / float64(b.N)
	b.ReportMetric(pages, "pages/commit")
	b.ReportMetric(float64(after.GetWrite()-before.GetWrite())/float64(b.N), "writes/commit")
	b.ReportMetric(float64(commitFloor(b, filepath.Dir(p.path), int(pages+0.5)).Microseconds())/1000, "io-floor-ms/commit")
}

// commitFloor measures the I/O a bbolt commit of that many pages does
// beside the database — the pages written, a sync, the meta page written,
// a sync again — without any of its CPU work: the floor of one activation
// on this machine's disk at this moment.
func commitFloor(b *testing.B, dir string, pages int) time.Duration {
	f, err := os.CreateTemp(dir, "floor")
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	page := make([]byte, 4096)
	if _, err := f.WriteAt(make([]byte, 1<<20), 0); err != nil {
		b.Fatal(err)
	}
	f.Sync()
	const rounds = 200
	start := time.Now()
	for r := 0; r < rounds; r++ {
		for i := 0; i < pages; i++ {
			f.WriteAt(page, int64(1+(r*pages+i)%255)*4096)
		}
		f.Sync()
		f.WriteAt(page[:64], 0)
		f.Sync()
	}
	return time.Since(start) / rounds
}

var productCache = map[string]string{}

func productOf(b *testing.B, p *Portal, s *Session, key string) string {
	if v, ok := productCache[key]; ok {
		return v
	}
	l, err := p.GetLicense(s, key)
	if err != nil {
		b.Fatal(err)
	}
	productCache[key] = l.Product
	return l.Product
}

func BenchmarkBatch1000(b *testing.B) {
	p, s, ds := benchPortal(b)
	b.ResetTimer() // the dataset is not what is measured
	next := 0
	var floor time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if next+1000 > 2*len(ds.assigned) { // free slots used up: a fresh copy
			p, s, ds = benchPortal(b)
			next = 0
		}
		dir := b.TempDir()
		for j := 0; j < 1000; j++ {
			key := ds.assigned[next%len(ds.assigned)]
			next++
			req := newMachine(b, fmt.Sprintf("batch-%d-%d", i, j)).request(b, productOf(b, p, s, key), key)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%04d.req", j)), req, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		floor += fsFloor(b)
		b.StartTimer()
		res, err := p.Batch(s, dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		if res.Activated != 1000 {
			b.Fatalf("activated %d of 1000: %+v", res.Activated, res.Items[0])
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "activations/s")
	b.ReportMetric(float64(floor.Milliseconds())/float64(b.N), "fs-floor-ms/1000-files")
}

func BenchmarkDatasetSize(b *testing.B) {
	ds := benchDataset(b)
	st, err := os.Stat(ds.path)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
	}
	b.ReportMetric(float64(st.Size())/float64(dsLicenses+dsActivations), "bytes/record")
	b.ReportMetric(float64(st.Size())/float64(dsLicenses), "bytes/license-with-2-activations")
	b.ReportMetric(float64(st.Size())/(1<<20), "MiB")
}

// BenchmarkBatchCore1000 is Batch without the response files: parallel
// verification and chunked commits (with fsync) and signing. Together with
// the fs-floor metric of BenchmarkBatch1000 it shows where batch time goes
// on a given machine.
func BenchmarkBatchCore1000(b *testing.B) {
	p, s, ds := benchPortal(b)
	key, _ := s.key()
	b.ResetTimer() // the dataset is not what is measured
	next := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if next+1000 > 2*len(ds.assigned) {
			p, s, ds = benchPortal(b)
			key, _ = s.key()
			next = 0
		}
		dir := b.TempDir()
		jobs := make([]*batchJob, 1000)
		for j := range jobs {
			k := ds.assigned[next%len(ds.assigned)]
			next++
			path := filepath.Join(dir, fmt.Sprintf("r%04d.req", j))
			os.WriteFile(path, newMachine(b, fmt.Sprintf("core-%d-%d", i, j)).request(b, productOf(b, p, s, k), k), 0o644)
			jobs[j] = &batchJob{item: BatchItem{File: filepath.Base(path)}, path: path}
		}
		b.StartTimer()
		if err := p.runJobs(s, key, jobs, nil); err != nil {
			b.Fatal(err)
		}
		for _, j := range jobs {
			if !j.item.OK {
				b.Fatalf("%s: %s", j.item.File, j.item.Message)
			}
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "activations/s")
}

// fsFloor measures writing 1,000 response-sized files one after another
// in a fresh folder, as a batch writes them (created in place), and the one
// syncfs that makes them durable: the file-system floor of a batch's
// response files on this machine at this moment.
func fsFloor(b *testing.B) time.Duration {
	dir := b.TempDir()
	data := make([]byte, 1500)
	start := time.Now()
	for i := 0; i < 1000; i++ {
		if err := writeInPlace(filepath.Join(dir, fmt.Sprintf("f%04d", i)), data); err != nil {
			b.Fatal(err)
		}
	}
	syncFiles(dir)
	return time.Since(start)
}

// BenchmarkDashboard100k reads the home screen's figures over the dataset
// (100,000 licenses, 11,000 customers, 200,000 activations, 300,000 audit
// entries): one walk of the status index, no license record decoded but the
// ten soonest expiring.
func BenchmarkDashboard100k(b *testing.B) {
	p, s, _ := benchPortal(b)
	d, err := p.Dashboard(s)
	if err != nil {
		b.Fatal(err)
	}
	if d.Licenses.Total != dsLicenses || d.Licenses.Expired == 0 || d.Expiring.Count == 0 || len(d.Recent) != 10 || d.Activations.Used == 0 {
		b.Fatalf("dashboard = %+v", d)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.Dashboard(s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/call")
}
