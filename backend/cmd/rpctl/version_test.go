package main

import (
	"regexp"
	"testing"
)

// rpctl --version prints one line: the version and the commit.
func TestVersionFlag(t *testing.T) {
	code, out, _ := rpctl(t, "--version")
	if code != 0 || !regexp.MustCompile(`^rpctl \S+ \(commit \S+\)\n$`).MatchString(out) {
		t.Fatalf("rpctl --version: exit %d, output %q", code, out)
	}
}
