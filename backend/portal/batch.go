package portal

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/resellerportal/portal/backend/qr"
	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/signdoc"
	bolt "go.etcd.io/bbolt"
)

// ResponseSuffix names the response written beside a request: "m1.req" ->
// "m1.response.txt". Files ending in it are skipped by Batch.
const ResponseSuffix = ".response.txt"

// BatchItem is the result for one file.
type BatchItem struct {
	File       string `json:"file"`
	Kind       string `json:"kind"` // activation, deactivation, or "" when unreadable
	OK         bool   `json:"ok"`
	Repeat     bool   `json:"repeat,omitempty"`
	Activation string `json:"activation,omitempty"`
	// The license the request was for, its product and its customer (id
	// and name), as the portal knows them: set for every applied request,
	// and for a refused one whose license is known (not for an unreadable
	// file or an unknown license). An activation's customer is the one it
	// was made for.
	License      string `json:"license,omitempty"`
	Product      string `json:"product,omitempty"`
	Customer     string `json:"customer,omitempty"`
	CustomerName string `json:"customer_name,omitempty"`
	Response     string `json:"response,omitempty"` // file written (folder form)
	// ResponseText is the armored activation response (carried-files form:
	// nothing is written on the portal's machine).
	ResponseText string `json:"response_text,omitempty"`
	Code         string `json:"code,omitempty"`
	Message      string `json:"message,omitempty"`
}

// BatchResult sums up a batch.
type BatchResult struct {
	Items       []BatchItem `json:"items"`
	Activated   int         `json:"activated"`
	Deactivated int         `json:"deactivated"`
	Failed      int         `json:"failed"`
}

// batchJob is one file on its way through the batch.
type batchJob struct {
	item   BatchItem
	path   string // folder form: the file to read
	data   []byte // carried form: its content
	image  bool   // carried form: data is a PNG/JPEG of a QR code
	vr     *verifiedRequest
	pd     *parsedDeactivation
	resp   []byte
	failed error
	ready  chan struct{} // closed once prepare is done (nil: prepared already)
}

func (j *batchJob) fail(err error) {
	j.failed = err
	j.item.OK, j.item.Code, j.item.Message = false, codeOf(err), quietMessage(err)
}

// quietMessage is the fixed text of err's code, never the detail wrapped
// around it: a batch reads whatever files a folder holds, and a detail may
// quote them (an armor label or line, a JSON field name, an OS error with
// a path). The code says what went wrong; the message only explains it.
func quietMessage(err error) string {
	var c reply.Coder
	if errors.As(err, &c) {
		return c.Error()
	}
	return "internal error"
}

// Batch processes every request file in dir (armored or compact text, or a
// PNG/JPEG of its QR code): activation requests get their response written
// beside them, deactivation requests are applied. Each file gets a result;
// one failure never stops the rest. Signatures are checked in parallel and
// the database is written in transactions of a few hundred requests.
// progress, when set, is called after each chunk with files done and total.
func (p *Portal) Batch(s *Session, dir string, progress func(done, total int)) (BatchResult, error) {
	if err := p.auth(s); err != nil {
		return BatchResult{}, err
	}
	key, err := s.key()
	if err != nil {
		return BatchResult{}, err
	}
	jobs, err := batchFolder(dir)
	if err != nil {
		return BatchResult{}, err
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].item.File < jobs[j].item.File })

	err = p.runJobs(s, key, jobs, func(part []*batchJob, done int) {
		writeResponses(part)
		if progress != nil {
			progress(done, len(jobs))
		}
	})
	if err != nil {
		return BatchResult{}, err
	}
	syncFiles(dir)
	return summarize(jobs), nil
}

// MaxBatchFolderFiles bounds the folder form: a folder with more files
// (hidden files and responses not counted) is refused whole, before any
// file is read, with the same message as an unreadable one.
const MaxBatchFolderFiles = 10000

// batchFolder lists the request files of dir, reading the directory a
// chunk at a time so that a huge folder costs no more than the bound.
func batchFolder(dir string) ([]*batchJob, error) {
	unreadable := fmt.Errorf("%w: the batch folder cannot be read, or holds more than %d files", ErrInvalidInput, MaxBatchFolderFiles)
	f, err := os.Open(dir)
	if err != nil {
		return nil, unreadable
	}
	defer f.Close()
	var jobs []*batchJob
	for {
		entries, err := f.ReadDir(1024)
		for _, e := range entries {
			name := e.Name()
			if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ResponseSuffix) {
				continue
			}
			if len(jobs) == MaxBatchFolderFiles {
				return nil, unreadable
			}
			jobs = append(jobs, &batchJob{item: BatchItem{File: name}, path: filepath.Join(dir, name)})
		}
		if err == io.EOF || (err == nil && len(entries) == 0) {
			break
		}
		if err != nil {
			return nil, unreadable
		}
	}
	return jobs, nil
}

// Bounds of the carried-files form of a batch.
const (
	MaxBatchFiles    = 1000
	maxBatchFileName = 255
)

// Bounds of one request file of a batch (either form): its text, or its
// image (a photo of a QR code).
const (
	maxBatchText  = signdoc.MaxDocumentSize * 2
	MaxBatchImage = 8 << 20
)

// BatchFile is one request file carried by the caller: its name (a label
// echoed in the result) and either its text (armored or compact) or a
// PNG/JPEG image of its QR code.
type BatchFile struct {
	Name  string `json:"name"`
	Text  string `json:"text"`
	Image []byte `json:"image"`
}

// BatchFiles is Batch over files the caller carries (for callers on
// another machine: nothing is read or written on this one). The results
// come in the order given; an activation's response is returned as
// ResponseText instead of being written to a file.
func (p *Portal) BatchFiles(s *Session, files []BatchFile, progress func(done, total int)) (BatchResult, error) {
	if err := p.auth(s); err != nil {
		return BatchResult{}, err
	}
	key, err := s.key()
	if err != nil {
		return BatchResult{}, err
	}
	if len(files) > MaxBatchFiles {
		return BatchResult{}, fmt.Errorf("%w: %d files, at most %d per batch", ErrInvalidInput, len(files), MaxBatchFiles)
	}
	jobs := make([]*batchJob, len(files))
	for i, f := range files {
		if f.Name == "" || len(f.Name) > maxBatchFileName || strings.ContainsFunc(f.Name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return BatchResult{}, fmt.Errorf("%w: file %d: a name of 1-%d bytes without control characters is needed", ErrInvalidInput, i+1, maxBatchFileName)
		}
		j := &batchJob{item: BatchItem{File: f.Name}, data: []byte(f.Text)}
		if len(f.Image) > 0 {
			j.data, j.image = f.Image, true
		}
		jobs[i] = j
	}
	err = p.runJobs(s, key, jobs, func(part []*batchJob, done int) {
		for _, j := range part {
			if j.resp != nil && j.item.OK {
				j.item.ResponseText = string(j.resp)
			}
		}
		if progress != nil {
			progress(done, len(jobs))
		}
	})
	if err != nil {
		return BatchResult{}, err
	}
	return summarize(jobs), nil
}

func summarize(jobs []*batchJob) BatchResult {
	res := BatchResult{Items: make([]BatchItem, len(jobs))}
	for i, j := range jobs {
		res.Items[i] = j.item
		switch {
		case !j.item.OK:
			res.Failed++
		case j.item.Kind == "activation" && !j.item.Repeat:
			res.Activated++
		case j.item.Kind == "deactivation":
			res.Deactivated++
		}
	}
	return res
}

// runJobs is the batch pipeline: signatures are checked in parallel, in
// file order; each chunk's transaction applies its files one by one as
// soon as each is checked, while the later ones are still being checked and
// the applied ones signed; after is called for each committed chunk on another
// goroutine, in order, while the next chunk commits.
func (p *Portal) runJobs(s *Session, key ed25519.PrivateKey, jobs []*batchJob, after func(part []*batchJob, done int)) error {
	ch, err := p.loadChainView()
	if err != nil {
		return err
	}
	if ch == nil {
		return ErrNotEnrolled
	}
	chunk := p.opts.chunk
	if chunk < 1 {
		chunk = 1
	}
	nchunks := (len(jobs) + chunk - 1) / chunk
	for _, j := range jobs {
		j.ready = make(chan struct{})
	}
	go parallel(len(jobs), func(i int) {
		defer close(jobs[i].ready)
		jobs[i].prepare()
	})
	committed := make(chan []*batchJob, 2)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		done := 0
		for part := range committed {
			done += len(part)
			if after != nil {
				after(part, done)
			}
		}
	}()
	for c := 0; c < nchunks; c++ {
		part := jobs[c*chunk : min((c+1)*chunk, len(jobs))]
		if err := p.runChunk(s, ch, key, part); err != nil {
			// a write failed: redo one request per transaction so that
			// only the failing one fails
			for _, j := range part {
				if err := p.runChunk(s, ch, key, []*batchJob{j}); err != nil {
					j.fail(err)
				}
			}
		}
		committed <- part
	}
	close(committed)
	<-finished
	return nil
}

// prepare reads, parses and verifies one file (run in parallel).
func (j *batchJob) prepare() {
	var data []byte
	var err error
	if j.path != "" {
		data, err = readRequestFile(j.path)
	} else {
		data, err = carriedRequest(j.data, j.image)
	}
	if err != nil {
		j.fail(err)
		return
	}
	doc, err := signdoc.Parse(data)
	if err != nil {
		j.fail(err)
		return
	}
	switch doc.Kind {
	case signdoc.KindActivationRequest:
		j.item.Kind = "activation"
		j.vr, err = verifyRequest(data)
	case signdoc.KindDeactivationRequest:
		j.item.Kind = "deactivation"
		j.pd, err = parseDeactivation(data)
	default:
		err = fmt.Errorf("%w: %s is not a request", signdoc.ErrKindMismatch, doc.Kind.Title())
	}
	if err != nil {
		j.fail(err)
	}
}

// carriedRequest is the document text of a carried file.
func carriedRequest(data []byte, image bool) ([]byte, error) {
	if !image {
		if len(data) > maxBatchText {
			return nil, fmt.Errorf("%w (%d bytes)", signdoc.ErrTooLarge, len(data))
		}
		return data, nil
	}
	if len(data) > MaxBatchImage {
		return nil, fmt.Errorf("%w: %d bytes, at most %d MiB", qr.ErrImageTooLarge, len(data), MaxBatchImage>>20)
	}
	text, err := qr.Decode(data)
	if err != nil {
		return nil, err
	}
	return []byte(text), nil
}

func readRequestFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: the file cannot be read", ErrInvalidInput)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: the file cannot be read", ErrInvalidInput)
	}
	max := int64(maxBatchText)
	if isImageName(path) {
		max = MaxBatchImage
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%w (%d bytes)", signdoc.ErrTooLarge, st.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%w: the file cannot be read", ErrInvalidInput)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w (more than %d bytes)", signdoc.ErrTooLarge, max)
	}
	if isImageName(path) {
		text, err := qr.Decode(data)
		if err != nil {
			return nil, err
		}
		return []byte(text), nil
	}
	return data, nil
}

func isImageName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

// outcome is one job's result inside a chunk's transaction.
type outcome struct {
	item BatchItem
	resp []byte
	err  error
}

// runChunk applies prepared jobs in one transaction. A refusal marks its
// job failed and writes nothing for it (plans check before writing); an
// error from a write aborts the whole transaction.
func (p *Portal) runChunk(s *Session, ch *chain, key ed25519.PrivateKey, part []*batchJob) error {
	results := make([]outcome, len(part))
	err := p.update(func(tx *bolt.Tx) error {
		// responses are signed on the other cores as soon as their
		// activation is applied, while this goroutine applies the next
		signs := make([]toSign, len(part))
		errs := make([]error, len(part))
		queue := make(chan int, len(part))
		var signers sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			signers.Add(1)
			go func() {
				defer signers.Done()
				for i := range queue {
					doc, err := signs[i].sign(p, ch, key)
					if err != nil {
						errs[i] = err
						continue
					}
					results[i].resp = doc.Armor()
				}
			}()
		}
		err := p.applyChunk(tx, s, ch, part, results, signs, queue)
		close(queue)
		signers.Wait()
		if err != nil {
			return err
		}
		return errors.Join(errs...)
	})
	if err != nil {
		return err
	}
	for i, j := range part {
		if results[i].err != nil {
			j.item = results[i].item // with the license, when known
			if j.failed == nil {
				j.fail(results[i].err)
			}
			continue
		}
		j.item, j.resp = results[i].item, results[i].resp
	}
	return nil
}

// applyChunk plans and applies each job of part in tx, waiting for each to
// be prepared, and queues each applied activation for signing. A refusal
// marks only its result; an error from a write is returned.
func (p *Portal) applyChunk(tx *bolt.Tx, s *Session, ch *chain, part []*batchJob, results []outcome, signs []toSign, queue chan<- int) error {
	now := p.now()
	for i, j := range part {
		if j.ready != nil {
			<-j.ready
		}
		results[i] = outcome{item: j.item}
		if j.failed != nil {
			results[i].err = j.failed
			continue
		}
		if j.pd != nil {
			a, err := p.deactivateTx(tx, s.Admin(), j.pd, now)
			it := &results[i].item
			it.License, it.Product, it.Customer, it.CustomerName = a.License, a.Product, a.Customer, a.CustomerName
			if err != nil {
				if !isRefusal(err) {
					return err
				}
				results[i].err = err
				continue
			}
			it.OK, it.Activation = true, a.ID
			continue
		}
		pl, err := p.planActivation(tx, ch, j.vr, now)
		if pl != nil {
			pl.who(tx, &results[i].item)
		}
		if err != nil {
			if pl == nil && !isRefusal(err) {
				return err
			}
			results[i].err = err
			continue
		}
		ts, err := p.applyActivation(tx, s.Admin(), pl, j.vr, now)
		if err != nil {
			return err
		}
		results[i].item.OK, results[i].item.Activation, results[i].item.Repeat = true, actID(ts.id), pl.existing != 0
		signs[i] = ts
		queue <- i
	}
	return nil
}

// who names the plan's license, product and customer in it: the
// activation's own (a repeat's, or the new one's) once planned that far,
// else the license's (a refusal before the activation was built looks up
// its customer's name: refusals are few).
func (pl *plan) who(tx *bolt.Tx, it *BatchItem) {
	if pl.rec.License != "" {
		it.License, it.Product, it.Customer, it.CustomerName = pl.rec.License, pl.rec.Product, pl.rec.Customer, pl.rec.CustomerName
		return
	}
	if pl.lic.Key == "" {
		return
	}
	it.License, it.Product, it.Customer = pl.lic.Key, pl.lic.Product, pl.lic.Assignee
	if pl.lic.Assignee != "" {
		it.CustomerName, _ = customerName(tx, pl.lic.Assignee)
	}
}

// writeResponses writes the responses of a chunk beside their requests, a
// few files at a time (creating files is mostly waiting on the file
// system, and it overlaps well); Batch makes them durable together at the
// end (syncFiles). Each file is created (writeInPlace) and written in one
// write: a temp file and a rename would double the file-system operations
// without making an unsynced file any safer.
// A response lost or cut short by a crash is written again by re-running
// the batch: the same requests give the same activations and the same
// responses (and a cut one fails its signature check, never installs).
func writeResponses(part []*batchJob) {
	parallel(len(part), func(i int) {
		j := part[i]
		if j.resp == nil || !j.item.OK {
			return
		}
		name := strings.TrimSuffix(j.item.File, filepath.Ext(j.item.File)) + ResponseSuffix
		dst := filepath.Join(filepath.Dir(j.path), name)
		if err := writeInPlace(dst, j.resp); err != nil {
			j.fail(fmt.Errorf("%w: response not written: %v", ErrInvalidInput, err))
			return
		}
		j.item.Response = name
	})
}

// syncEach fsyncs every response file in dir (concurrently: the file
// system can share journal commits between them), then the folder.
func syncEach(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, "*"+ResponseSuffix))
	parallel(len(names), func(i int) {
		if f, err := os.Open(names[i]); err == nil {
			_ = f.Sync()
			f.Close()
		}
	})
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// writeInPlace creates path with data. The file is always a new one
// (O_EXCL): whatever was there before — an older response, or a symlink
// someone placed in the folder — is removed first, never written through.
func writeInPlace(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		if err := os.Remove(path); err != nil {
			return err
		}
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// parallel runs fn(0..n-1) on a few goroutines.
func parallel(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0) * 4
	if workers > n {
		workers = n
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
