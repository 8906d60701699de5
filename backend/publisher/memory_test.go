package publisher

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

// An ephemeral publisher enrolls and allocates (one bundle of several
// products and terms) without writing a file, and signs nothing once
// discarded.
func TestEphemeralPublisher(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("TMPDIR", dir)
	p, err := NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	p.Now = func() time.Time { return t0 }
	for _, id := range []string{"acme-cad", "acme-render"} {
		if _, err := p.AddProduct("Product "+id, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.AddProduct("again", "acme-cad"); !errors.Is(err, ErrProductExists) {
		t.Fatalf("duplicate product: %v", err)
	}
	_, req := enrollmentRequest(t)
	certDoc, cert, err := p.Enroll(req, []string{"acme-cad", "acme-render"}, 30)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Serial != 1 {
		t.Errorf("serial %d", cert.Serial)
	}
	exp := t0.AddDate(0, 0, 10)
	two := 2
	doc, b, err := p.AllocateMany(certDoc.Armor(), []Allocation{
		{Product: "acme-cad", Count: 3, ActivationsAllowed: 1},
		{Product: "acme-render", Count: 2, ActivationsAllowed: 5, DeactivationsAllowed: &two, Expires: &exp},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Licenses) != 5 || b.Licenses[0].Product != "acme-cad" || b.Licenses[4].Product != "acme-render" || b.Licenses[4].Expires == nil {
		t.Fatalf("bundle %+v", b.Licenses)
	}
	if _, err := signdoc.VerifyBundle(doc, p.PublicKey(), cert.ResellerID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.AllocateMany(certDoc.Armor(), []Allocation{{Product: "nope", Count: 1, ActivationsAllowed: 1}}); !errors.Is(err, ErrProductUnknown) {
		t.Errorf("unknown product: %v", err)
	}
	if _, _, err := p.AllocateMany(certDoc.Armor(), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("empty allocation: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("ephemeral publisher wrote %d files, first %s", len(ents), ents[0].Name())
	}
	if p.Dir() != "" {
		t.Errorf("Dir %q", p.Dir())
	}
	p.Discard()
	if _, _, err := p.Allocate(certDoc.Armor(), Allocation{Product: "acme-cad", Count: 1, ActivationsAllowed: 1}); err == nil {
		t.Error("a discarded publisher still signs")
	}
}
