package demo

import (
	"time"

	"github.com/resellerportal/portal/backend/publisher"
)

// The demo products.
const (
	productCAD    = "demo-cad"
	productViewer = "demo-viewer"
)

var products = []struct{ ID, Name string }{
	{productCAD, "Demo CAD"},
	{productViewer, "Demo Viewer"},
}

// allocations are the 50 licenses of the demo bundle: activations 1, 3 and
// 5, some with a deactivation limit, a few expiring within 30 days of now,
// some perpetual. The indexes are used by customers below.
func allocations(now time.Time) []publisher.Allocation {
	day := func(n int) *time.Time {
		t := now.Truncate(time.Second).AddDate(0, 0, n)
		return &t
	}
	limit := func(n int) *int { return &n }
	pro := map[string]string{"edition": "pro"}
	std := map[string]string{"edition": "standard"}
	return []publisher.Allocation{
		0: {Product: productCAD, Count: 10, ActivationsAllowed: 1, DeactivationsAllowed: limit(2), Features: std},
		1: {Product: productCAD, Count: 10, ActivationsAllowed: 3, Expires: day(365), Features: pro},
		2: {Product: productCAD, Count: 5, ActivationsAllowed: 5, DeactivationsAllowed: limit(5), Expires: day(20), Features: pro},
		3: {Product: productViewer, Count: 15, ActivationsAllowed: 1, Features: std},
		4: {Product: productViewer, Count: 7, ActivationsAllowed: 3, DeactivationsAllowed: limit(1), Expires: day(180), Features: std},
		5: {Product: productViewer, Count: 3, ActivationsAllowed: 5, Expires: day(10), Features: pro},
	}
}

// customers are made in this order: the organization first (users with
// InOrg join it). Allocs name the allocation each assigned license comes
// from; Sample marks the customer whose first license gets the sample
// activation request (a Demo CAD license).
var customers = []struct {
	Name, Email string
	InOrg       bool
	Allocs      []int
	Sample      bool
}{
	{Name: "Northwind Engineering (demo)", Allocs: []int{1, 1}},
	{Name: "Ada Lovelace (demo)", Email: "ada@northwind.example", InOrg: true, Allocs: []int{1}, Sample: true},
	{Name: "Grace Hopper (demo)", Email: "grace@example.com", Allocs: []int{3, 5}},
	{Name: "Linus Example (demo)", Email: "linus@example.org", Allocs: []int{2}},
}
