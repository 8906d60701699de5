// Package demo makes a demo portal database that a newcomer can try
// without a publisher: a demo publisher made on the spot (its private key
// only ever in memory, wiped once the database is made, so it never signs
// anything outside this database's own chain), an enrolled portal, one
// bundle of 50 licenses of two products, three customers, a few
// assignments, and a sample activation request made by a customer's
// software. Everything goes through the portal's own services, so the data
// is consistent and the audit log records it.
//
// The demo admin's password is the fixed, documented Password: a demo
// database is not for real customers, and status says so (demo: true).
package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/resellerportal/portal/backend/licenseclient"
	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/publisher"
	"github.com/resellerportal/portal/backend/signdoc"
)

// The demo's fixed names. Password is documented on purpose: it is a demo.
const (
	ResellerName = "Demo Reseller (demo)"
	AdminName    = "demo"
	Password     = "demo-password"
	// FileName is the demo database the app keeps beside its real one.
	FileName = "portal-demo.db"
)

// PathBeside is the demo database that goes with the real database at dbPath.
func PathBeside(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), FileName) }

// Info describes a demo database just made.
type Info struct {
	DB             string            `json:"db"`
	Reseller       string            `json:"reseller"`
	Admin          string            `json:"admin"`
	Password       string            `json:"password"` // the documented demo password
	PublisherKeyID string            `json:"publisher_key_id"`
	Products       []Product         `json:"products"`
	Licenses       int               `json:"licenses"`
	Assigned       int               `json:"assigned"`
	Customers      []Customer        `json:"customers"`
	Sample         portal.DemoSample `json:"sample"`
}

// Product is one demo product and how many licenses of it the bundle holds.
type Product struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Licenses int    `json:"licenses"`
}

// Customer is one demo customer.
type Customer struct {
	ID       string   `json:"id"`
	Kind     string   `json:"kind"` // user or organization
	Name     string   `json:"name"`
	Email    string   `json:"email,omitempty"`
	Org      string   `json:"org,omitempty"`
	Licenses []string `json:"licenses"`
}

// Create makes a new demo database at path (an existing file is refused
// with ErrExists) as of now. opt are passed to portal.Open (tests use cheap
// Argon2id parameters); the portal's clock is now while it is made. On
// failure nothing is left at path.
func Create(path string, now time.Time, opt ...portal.Option) (info Info, err error) {
	if abs, aerr := filepath.Abs(path); aerr == nil {
		path = abs
	}
	if _, serr := os.Lstat(path); serr == nil {
		return Info{}, fmt.Errorf("%w: %s", ErrExists, path)
	} else if !errors.Is(serr, os.ErrNotExist) {
		return Info{}, fmt.Errorf("demo: %w", serr)
	}
	now = now.UTC()
	p, err := portal.Open(path, append(opt, portal.WithClock(func() time.Time { return now }))...)
	if err != nil {
		return Info{}, fmt.Errorf("demo: %w", err)
	}
	defer func() {
		if cerr := p.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("demo: close: %w", cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	pub, err := publisher.NewEphemeral()
	if err != nil {
		return Info{}, fmt.Errorf("demo: publisher: %w", err)
	}
	defer pub.Discard()
	pub.Now = func() time.Time { return now }
	b := builder{p: p, pub: pub, now: now, info: Info{DB: path, Reseller: ResellerName, Admin: AdminName,
		Password: Password, PublisherKeyID: pub.KeyID()}}
	if err := b.build(); err != nil {
		return Info{}, fmt.Errorf("demo: %w", err)
	}
	return b.info, nil
}

// builder makes the demo's contents step by step.
type builder struct {
	p    *portal.Portal
	s    *portal.Session
	pub  *publisher.Publisher
	now  time.Time
	info Info
}

func (b *builder) build() error {
	s, err := b.p.Setup(ResellerName, AdminName, Password)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	defer s.Lock()
	b.s = s
	cert, err := b.enroll()
	if err != nil {
		return err
	}
	keys, err := b.importBundle(cert)
	if err != nil {
		return err
	}
	sampleKey, err := b.customers(keys)
	if err != nil {
		return err
	}
	sample, err := b.sampleRequest(sampleKey, productCAD)
	if err != nil {
		return err
	}
	b.info.Sample = sample
	return b.p.MarkDemo(s, sample)
}

// enroll registers the demo products with the demo publisher and enrolls
// the portal with it; it returns the reseller certificate.
func (b *builder) enroll() ([]byte, error) {
	ids := make([]string, len(products))
	for i, pr := range products {
		if _, err := b.pub.AddProduct(pr.Name, pr.ID); err != nil {
			return nil, fmt.Errorf("product: %w", err)
		}
		ids[i] = pr.ID
	}
	req, err := b.p.EnrollmentRequest(b.s)
	if err != nil {
		return nil, fmt.Errorf("enrollment request: %w", err)
	}
	certDoc, _, err := b.pub.Enroll([]byte(req.Armored), ids, publisher.DefaultValidDays)
	if err != nil {
		return nil, fmt.Errorf("enroll: %w", err)
	}
	cert := certDoc.Armor()
	if _, err := b.p.CompleteEnrollment(b.s, cert); err != nil {
		return nil, fmt.Errorf("complete enrollment: %w", err)
	}
	return cert, nil
}

// importBundle signs the one demo bundle and imports it; it returns the
// license keys of each allocation, in the order of allocations.
func (b *builder) importBundle(cert []byte) ([][]string, error) {
	allocs := allocations(b.now)
	doc, bundle, err := b.pub.AllocateMany(cert, allocs)
	if err != nil {
		return nil, fmt.Errorf("allocate: %w", err)
	}
	if _, err := b.p.ImportBundle(b.s, doc.Armor()); err != nil {
		return nil, fmt.Errorf("import bundle: %w", err)
	}
	keys := make([][]string, len(allocs))
	i := 0
	for n, a := range allocs {
		for range a.Count {
			keys[n] = append(keys[n], bundle.Licenses[i].Key)
			i++
		}
	}
	b.info.Licenses = len(bundle.Licenses)
	for _, pr := range products {
		n := 0
		for _, a := range allocs {
			if a.Product == pr.ID {
				n += a.Count
			}
		}
		b.info.Products = append(b.info.Products, Product{ID: pr.ID, Name: pr.Name, Licenses: n})
	}
	return keys, nil
}

// customers creates the demo customers and assigns them licenses; it
// returns the license of the sample request.
func (b *builder) customers(keys [][]string) (string, error) {
	next := make([]int, len(keys)) // next unassigned key of each allocation
	take := func(alloc int) string {
		k := keys[alloc][next[alloc]]
		next[alloc]++
		return k
	}
	var sample string
	for _, c := range customers {
		cu := Customer{Name: c.Name, Email: c.Email, Licenses: []string{}}
		switch {
		case c.Email == "":
			o, err := b.p.CreateOrg(b.s, c.Name)
			if err != nil {
				return "", fmt.Errorf("organization: %w", err)
			}
			cu.ID, cu.Kind = o.ID, "organization"
		default:
			org := ""
			if c.InOrg {
				org = b.info.Customers[0].ID
			}
			u, err := b.p.CreateUser(b.s, portal.UserInput{Name: c.Name, Email: c.Email, Org: org})
			if err != nil {
				return "", fmt.Errorf("user: %w", err)
			}
			cu.ID, cu.Kind, cu.Org = u.ID, "user", u.Org
		}
		for _, alloc := range c.Allocs {
			key := take(alloc)
			user, org := cu.ID, ""
			if cu.Kind == "organization" {
				user, org = "", cu.ID
			}
			if _, err := b.p.Assign(b.s, key, user, org); err != nil {
				return "", fmt.Errorf("assign: %w", err)
			}
			cu.Licenses = append(cu.Licenses, key)
			b.info.Assigned++
		}
		if c.Sample {
			sample = cu.Licenses[0]
		}
		b.info.Customers = append(b.info.Customers, cu)
	}
	return sample, nil
}

// sampleRequest plays the customer's software: it makes an activation
// request for key in a state folder that is removed afterwards (the
// request is only an example to process on the activation screen).
func (b *builder) sampleRequest(key, product string) (portal.DemoSample, error) {
	dir, err := os.MkdirTemp("", "rp-demo-client-")
	if err != nil {
		return portal.DemoSample{}, fmt.Errorf("sample request: %w", err)
	}
	defer os.RemoveAll(dir)
	c, err := licenseclient.New(licenseclient.Options{StateDir: dir, PublisherKey: b.pub.PublicKey(),
		MachineID: "demo-machine-ada", Hostname: "ada-workstation", OS: "Demo OS", AppVersion: "Demo CAD 1.0",
		Now: func() time.Time { return b.now }})
	if err != nil {
		return portal.DemoSample{}, fmt.Errorf("sample request: %w", err)
	}
	req, err := c.NewRequest(product, key)
	if err != nil {
		return portal.DemoSample{}, fmt.Errorf("sample request: %w", err)
	}
	return portal.DemoSample{Request: string(req.Armor()), PublisherKey: string(signdoc.FormatPublicKey(b.pub.PublicKey())),
		License: key, Product: product}, nil
}
