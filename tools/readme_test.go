package tools

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// TestREADMEToolTable keeps the README's tool table true: the same tools,
// kinds and parameters (required ones starred) as the server lists.
func TestREADMEToolTable(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		kind     string
		required []string
		all      []string
	}
	rows := map[string]row{}
	// | name | kind | p1*, p2 (note), p3 | description |
	re := regexp.MustCompile("^\\| ([a-z_]+) \\| (read|write|destructive) \\| ([^|]*) \\|")
	param := regexp.MustCompile(`^([a-z_]+)(\*?)`)
	for _, line := range strings.Split(string(b), "\n") {
		m := re.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if _, dup := rows[m[1]]; dup {
			t.Errorf("README lists %s twice", m[1])
		}
		r := row{kind: m[2]}
		for _, p := range strings.Split(m[3], ",") {
			pm := param.FindStringSubmatch(strings.TrimSpace(p))
			if pm == nil {
				continue // "–": no parameters
			}
			r.all = append(r.all, pm[1])
			if pm[2] == "*" {
				r.required = append(r.required, pm[1])
			}
		}
		rows[m[1]] = r
	}

	c, err := monarch.New(monarch.Config{BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[Kind]string{Read: "read", Write: "write", Destructive: "destructive"}
	for _, tool := range All(c, Status{}, nil) {
		name := tool.Name()
		r, ok := rows[name]
		if !ok {
			t.Errorf("README's tool table lacks %s", name)
			continue
		}
		delete(rows, name)
		if r.kind != kinds[tool.Kind()] {
			t.Errorf("README: %s is %s, the server says %s", name, r.kind, kinds[tool.Kind()])
		}
		required := slices.Clone(tool.Definition().InputSchema.Required)
		slices.Sort(required)
		slices.Sort(r.required)
		if !slices.Equal(r.required, required) {
			t.Errorf("README: %s required %v, the server requires %v", name, r.required, required)
		}
		slices.Sort(r.all)
		if params := schemaParams(tool.Definition()); !slices.Equal(r.all, params) {
			t.Errorf("README: %s parameters %v, the server takes %v", name, r.all, params)
		}
	}
	for name := range rows {
		t.Errorf("README lists %s, which the server does not have", name)
	}
}
