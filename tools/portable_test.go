package tools

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// TestSchemasPortable: no tool's input or output schema has a type array
// ("type": ["string","null"]), which schema-strict clients refuse; nullable
// values are anyOf with {"type":"null"}.
func TestSchemasPortable(t *testing.T) {
	c, err := monarch.New(monarch.Config{BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range All(c, Status{}, nil) {
		def := tool.Definition()
		input, err := json.Marshal(def.InputSchema)
		if err != nil {
			t.Fatal(err)
		}
		for which, raw := range map[string][]byte{"input": input, "output": outputSchemaJSON(t, def)} {
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatal(err)
			}
			for _, at := range typeArrays(v, "#") {
				t.Errorf("%s: %s schema has a type array at %s", tool.Name(), which, at)
			}
		}
	}
}

// outputSchemaJSON is def's output schema as clients see it, whether
// generated (raw) or derived.
func outputSchemaJSON(t *testing.T, def mcp.Tool) []byte {
	t.Helper()
	if def.RawOutputSchema != nil {
		return def.RawOutputSchema
	}
	raw, err := json.Marshal(def.OutputSchema)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// typeArrays returns the JSON pointers of every "type" whose value is an
// array.
func typeArrays(v any, at string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if _, ok := x.([]any); ok && k == "type" {
				out = append(out, at+"/type")
				continue
			}
			out = append(out, typeArrays(x, at+"/"+k)...)
		}
	case []any:
		for i, x := range v {
			out = append(out, typeArrays(x, fmt.Sprintf("%s/%d", at, i))...)
		}
	}
	return out
}

// withoutNull erases how a schema says a value may be null — a "null" in a
// type array, or an anyOf of a schema and {"type":"null"} — so that two
// schemas can be compared apart from that.
func withoutNull(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if any2, ok := v["anyOf"].([]any); ok && len(any2) == 2 {
			if n, ok := any2[1].(map[string]any); ok && len(n) == 1 && n["type"] == "null" {
				inner, _ := any2[0].(map[string]any)
				m := map[string]any{}
				for k, x := range inner {
					m[k] = x
				}
				for k, x := range v {
					if k != "anyOf" {
						m[k] = x
					}
				}
				return withoutNull(m)
			}
		}
		m := make(map[string]any, len(v))
		for k, x := range v {
			if ts, ok := x.([]any); ok && k == "type" {
				var rest []any
				for _, t := range ts {
					if t != "null" {
						rest = append(rest, t)
					}
				}
				if len(rest) == 1 {
					m[k] = rest[0]
					continue
				}
			}
			m[k] = withoutNull(x)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = withoutNull(x)
		}
		return out
	}
	return v
}
