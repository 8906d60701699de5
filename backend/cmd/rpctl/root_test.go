package main

import (
	"bytes"
	"testing"
)

func rpctl(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, bytes.NewReader(nil), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageExitCodes(t *testing.T) {
	for _, args := range [][]string{{"no-such-command"}, {"--no-such-flag"}} {
		if code, _, _ := rpctl(t, args...); code != 2 {
			t.Errorf("rpctl %v: exit %d, want 2", args, code)
		}
	}
	if code, out, _ := rpctl(t, "--help"); code != 0 || out == "" {
		t.Errorf("rpctl --help: exit %d, output %q", code, out)
	}
}
