// Command rpctl is the headless command line of Reseller Portal: `rpctl vendor`
// for the publisher, `rpctl portal` for the reseller admin, `rpctl client` for
// the customer side. It is pure Go (CGO_ENABLED=0).
//
// Exit codes: 0 done, 1 refused or failed, 2 bad usage.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
