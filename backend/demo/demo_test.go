package demo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/seal"
)

func testOptions() []portal.Option {
	return []portal.Option{portal.WithKDF(seal.TestParams), portal.WithSignInDelay(0)}
}

// newDemo makes a demo database in a fresh folder, with the temporary
// folder redirected to another fresh one, and returns both folders.
func newDemo(t *testing.T) (Info, string, string) {
	t.Helper()
	dir, tmp := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	info, err := Create(filepath.Join(dir, FileName), time.Now(), testOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	return info, dir, tmp
}

func TestCreate(t *testing.T) {
	info, dir, _ := newDemo(t)
	if info.Admin != AdminName || info.Password != Password || info.Licenses != 50 || len(info.Products) != 2 || info.Assigned != 6 {
		t.Fatalf("info %+v", info)
	}
	p, err := portal.Open(filepath.Join(dir, FileName), testOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	st, err := p.Status(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Initialized || !st.Enrolled || !st.Demo || st.ResellerName != ResellerName || len(st.Admins) != 1 || st.Admins[0] != AdminName {
		t.Fatalf("status %+v", st)
	}
	s, err := p.SignIn(AdminName, Password)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()

	page, err := p.ListLicenses(s, portal.LicenseQuery{})
	if err != nil {
		t.Fatal(err)
	}
	perProduct := map[string]int{}
	acts := map[int]int{}
	var perpetual, soon, limited, assigned int
	for _, l := range page.Items {
		perProduct[l.Product]++
		acts[l.ActivationsAllowed]++
		switch {
		case l.Expires == nil:
			perpetual++
		case time.Until(*l.Expires) < 30*24*time.Hour:
			soon++
		}
		if l.DeactivationsAllowed != nil {
			limited++
		}
		if l.Assignee != nil {
			assigned++
		}
	}
	if len(page.Items) != 50 || len(perProduct) != 2 || perProduct["demo-cad"] != 25 || perProduct["demo-viewer"] != 25 {
		t.Errorf("licenses %d, per product %v", len(page.Items), perProduct)
	}
	if acts[1] == 0 || acts[3] == 0 || acts[5] == 0 || perpetual == 0 || soon == 0 || limited == 0 || assigned != 6 {
		t.Errorf("terms: activations %v, perpetual %d, expiring within 30 days %d, deactivation limits %d, assigned %d", acts, perpetual, soon, limited, assigned)
	}

	orgs, err := p.ListOrgs(s)
	if err != nil {
		t.Fatal(err)
	}
	users, err := p.QueryUsers(s, portal.UserQuery{})
	if err != nil {
		t.Fatal(err)
	}
	standalone := 0
	for _, u := range users {
		if u.Org == "" {
			standalone++
		}
	}
	// three customers: an organization with one user, and two standalone users
	if len(orgs) != 1 || orgs[0].Users != 1 || len(users) != 3 || standalone != 2 {
		t.Errorf("orgs %+v, users %+v", orgs, users)
	}

	sample, ok, err := p.Demo(s)
	if err != nil || !ok {
		t.Fatalf("demo sample: %v %v", ok, err)
	}
	if sample != info.Sample || !strings.HasPrefix(sample.Request, "-----BEGIN") || !strings.Contains(sample.PublisherKey, "-----BEGIN") {
		t.Errorf("sample %+v", sample)
	}
	pv, err := p.PreviewActivation(s, []byte(sample.Request))
	if err != nil {
		t.Fatal(err)
	}
	if !pv.OK || pv.License != sample.License || pv.Product != sample.Product || pv.Customer == "" {
		t.Errorf("preview of the sample request: %+v", pv)
	}
	av, err := p.VerifyAudit(s)
	if err != nil || !av.OK || av.Entries < 10 {
		t.Errorf("audit %+v %v", av, err)
	}
}

// The demo publisher's key never reaches the disk: the only file left is
// the database, and the customer's state folder is gone.
func TestCreateLeavesOnlyTheDatabase(t *testing.T) {
	_, dir, tmp := newDemo(t)
	for folder, want := range map[string][]string{dir: {FileName}, tmp: nil} {
		ents, err := os.ReadDir(folder)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Errorf("%s holds %v, want %v", folder, names, want)
		}
	}
}

func TestCreateRefusesAnExistingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "real.db")
	if err := os.WriteFile(path, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(path, time.Now(), testOptions()...); !errors.Is(err, ErrExists) {
		t.Fatalf("got %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "mine" {
		t.Error("the existing file was changed")
	}
}

func TestPathBeside(t *testing.T) {
	got := PathBeside(filepath.Join("cfg", "ResellerPortal", "portal.db"))
	if want := filepath.Join("cfg", "ResellerPortal", FileName); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
