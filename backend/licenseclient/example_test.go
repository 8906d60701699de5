package licenseclient_test

import (
	"fmt"
	"os"
	"time"

	"github.com/resellerportal/portal/backend/licenseclient"
	"github.com/resellerportal/portal/backend/signdoc"
)

// A full offline activation: the customer's software makes a request, the
// reseller's portal answers it (played here by a test chain), the software
// installs the answer, reports its status, and later gives the license back.
func Example() {
	dir, _ := os.MkdirTemp("", "licenseclient-example")
	defer os.RemoveAll(dir)
	portal := newChain(nil, "example")

	c, _ := licenseclient.New(licenseclient.Options{
		StateDir:     dir,
		PublisherKey: portal.publisherPub(), // embedded in the publisher's software
		MachineID:    "example-machine",     // omit to use the OS machine id
		Now:          func() time.Time { return t0 },
	})

	req, _ := c.NewRequest("acme-cad", "K7QF2-MXR9H-TBWC4-NPZ8D")
	fmt.Println("request:", req.Kind)

	resp := portal.respond(nil, req, nil) // the reseller signs a response
	st, err := c.Install([]byte(resp.Compact()))
	fmt.Println("installed:", st.Activated, err)

	st, _ = c.Status()
	fmt.Println("licensed until:", st.Expires.Format(time.DateOnly), "edition:", st.Features["edition"])

	deact, _ := c.Deactivate()
	fmt.Println("give back:", deact.Kind)
	st, _ = c.Status()
	fmt.Println("activated:", st.Activated, st.Reason)
	// Output:
	// request: activation-request
	// installed: true <nil>
	// licensed until: 2027-05-26 edition: pro
	// give back: deactivation-request
	// activated: false not_activated
}

// A response made for another machine is refused with a coded error.
func ExampleClient_Install_wrongMachine() {
	dirA, _ := os.MkdirTemp("", "licenseclient-a")
	dirB, _ := os.MkdirTemp("", "licenseclient-b")
	defer os.RemoveAll(dirA)
	defer os.RemoveAll(dirB)
	portal := newChain(nil, "example")
	opts := func(dir, machine string) licenseclient.Options {
		return licenseclient.Options{StateDir: dir, PublisherKey: portal.publisherPub(), MachineID: machine, Now: func() time.Time { return t0 }}
	}
	a, _ := licenseclient.New(opts(dirA, "machine-a"))
	b, _ := licenseclient.New(opts(dirB, "machine-b"))
	reqA, _ := a.NewRequest("acme-cad", "K7QF2-MXR9H-TBWC4-NPZ8D")
	b.NewRequest("acme-cad", "K7QF2-MXR9H-TBWC4-NPZ8D")

	_, err := b.Install(portal.respond(nil, reqA, nil).Armor())
	fmt.Println(err)
	// Output:
	// install activation: response is for another machine
}

// The publisher key file written by `rpctl vendor init` (publisher.pub), or
// the bare key line, is read with signdoc.ParsePublicKey.
func ExampleOptions_publisherKey() {
	const embedded = "GwsUcPS2MJEBUnBIad6eqGpCV8zt2HqKYNAy9oqHeWY"
	pub, err := signdoc.ParsePublicKey([]byte(embedded))
	fmt.Println(len(pub), err)
	// Output:
	// 32 <nil>
}
