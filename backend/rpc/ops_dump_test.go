package rpc

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite frontend/src/api/ops.json (TestOpsDump)")

// opsDumpPath is the operation table the frontend's typed ops table is
// checked against (Vitest).
var opsDumpPath = filepath.Join("..", "..", "frontend", "src", "api", "ops.json")

type opDump struct {
	Public   bool     `json:"public"`
	Customer bool     `json:"customer,omitempty"` // a customer session only (my.*)
	Params   []string `json:"params"`
}

// TestOpsDump describes every operation rpc.New registers — public or not,
// and the JSON field names of the parameters it decodes — and compares the
// description with the committed frontend/src/api/ops.json. After changing
// an operation: go test ./backend/rpc -run TestOpsDump -update
func TestOpsDump(t *testing.T) {
	s, _ := newTestServer(t)
	dump := struct {
		Ops map[string]opDump `json:"ops"`
	}{Ops: map[string]opDump{}}
	for _, name := range s.Ops() {
		pt, ok := s.ParamsOf(name)
		if !ok {
			t.Errorf("%s: params type unknown (register it with typed)", name)
			continue
		}
		dump.Ops[name] = opDump{Public: s.Public(name), Customer: s.Customer(name), Params: jsonFields(pt)}
	}
	got, err := json.MarshalIndent(dump, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(opsDumpPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(opsDumpPath)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is stale (%v): run go test ./backend/rpc -run TestOpsDump -update\n%s", opsDumpPath, err, got)
	}
}

func TestJSONFields(t *testing.T) {
	type Inner struct {
		A string `json:"a"`
		B int
	}
	type params struct {
		Inner
		Z    string `json:"z,omitempty"`
		Skip string `json:"-"`
		hid  string
	}
	_ = params{}.hid
	if got := strings.Join(jsonFields(reflect.TypeFor[params]()), ","); got != "B,a,z" {
		t.Fatalf("fields = %q", got)
	}
	if got := jsonFields(reflect.TypeFor[struct{}]()); got == nil || len(got) != 0 {
		t.Fatalf("struct{} = %#v", got)
	}
}

// jsonFields lists the JSON object keys encoding/json decodes into t
// (embedded structs without a tag flattened), sorted.
func jsonFields(t reflect.Type) []string {
	out := []string{}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return out
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, jsonFields(ft)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
