package tools

import (
	"sort"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// unbounded names what in schema s (at path) has no limit a client can see:
// a string without maxLength or enum, an array without maxItems.
func unbounded(path string, s map[string]any) []string {
	var out []string
	switch s["type"] {
	case "string":
		_, ml := s["maxLength"].(int)
		_, enum := s["enum"]
		if !ml && !enum {
			out = append(out, path+": string without maxLength")
		}
	case "array":
		if _, ok := s["maxItems"].(int); !ok {
			out = append(out, path+": array without maxItems")
		}
		if items, ok := s["items"].(map[string]any); ok {
			out = append(out, unbounded(path+"[]", items)...)
		}
	case "object":
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			if ps, ok := p.(map[string]any); ok {
				out = append(out, unbounded(path+"."+name, ps)...)
			}
		}
	}
	return out
}

// TestEveryArgumentIsBounded: every text and list argument of every tool
// carries its limit in the input schema, which checkBounds enforces.
func TestEveryArgumentIsBounded(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	for _, tool := range f.tools {
		for name, p := range tool.Definition().InputSchema.Properties {
			ps, ok := p.(map[string]any)
			if !ok {
				t.Errorf("%s.%s: schema is %T", tool.Name(), name, p)
				continue
			}
			for _, u := range unbounded(tool.Name()+"."+name, ps) {
				t.Error(u)
			}
		}
	}
}

// oversized returns, for the schema of one argument, values just beyond
// each of its limits, keyed by the parameter path the refusal names.
func oversized(param string, s map[string]any) map[string]any {
	out := map[string]any{}
	switch s["type"] {
	case "string":
		if max, ok := s["maxLength"].(int); ok {
			out[param] = strings.Repeat("é", max+1) // characters, not bytes, are counted
		}
	case "array":
		items, _ := s["items"].(map[string]any)
		if max, ok := s["maxItems"].(int); ok {
			v := make([]any, max+1)
			for i := range v {
				v[i] = sample(items)
			}
			out[param] = v
		}
		for p, v := range oversized(param+"[0]", items) {
			out[p] = []any{v}
		}
	case "object":
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			ps, _ := p.(map[string]any)
			for path, v := range oversized(param+"."+name, ps) {
				out[path] = map[string]any{name: v}
			}
		}
	}
	return out
}

// sample is a small valid-looking value of schema s's type.
func sample(s map[string]any) any {
	switch s["type"] {
	case "string":
		if enum, ok := s["enum"].([]string); ok && len(enum) > 0 {
			return enum[0]
		}
		return "1"
	case "number", "integer":
		return 1
	case "boolean":
		return false
	case "array":
		return []any{}
	case "object":
		return map[string]any{}
	}
	return nil
}

// TestOversizedArgumentsRefused calls every tool with each argument just
// beyond its schema's limit: the call is refused naming the parameter, and
// nothing reaches Monarch.
func TestOversizedArgumentsRefused(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	cases := 0
	for _, tool := range f.tools {
		schema := tool.Definition().InputSchema
		names := make([]string, 0, len(schema.Properties))
		for name := range schema.Properties {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			ps, _ := schema.Properties[name].(map[string]any)
			for path, v := range oversized(name, ps) {
				args := map[string]any{}
				for _, r := range schema.Required {
					rs, _ := schema.Properties[r].(map[string]any)
					args[r] = sample(rs)
				}
				args[name] = v
				cases++
				t.Run(tool.Name()+"/"+path, func(t *testing.T) {
					before := f.sb.Requests("") + f.sb.LoginAttempts()
					res := callTool(t, f.mcp, tool.Name(), args)
					if !res.IsError || !strings.HasPrefix(textOf(res), "Invalid arguments: "+path+" ") {
						t.Errorf("got isError=%v %.200q, want a refusal naming %s", res.IsError, textOf(res), path)
					}
					if after := f.sb.Requests("") + f.sb.LoginAttempts(); after != before {
						t.Errorf("%d requests reached Monarch", after-before)
					}
				})
			}
		}
	}
	if cases < 50 {
		t.Errorf("only %d cases: the schemas lost their limits?", cases)
	}
}

// TestSearchAndIDLimitsShared pins the limits the search and filter
// arguments share, so that one kind of argument has one limit everywhere.
func TestSearchAndIDLimitsShared(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	want := map[string]map[string]any{
		"get_transactions.search":             {"maxLength": maxSearchLen},
		"search_transactions.query":           {"maxLength": maxSearchLen},
		"get_merchant.search":                 {"maxLength": maxSearchLen},
		"get_transactions.account_ids":        {"maxItems": maxIDs},
		"search_transactions.tag_ids":         {"maxItems": maxIDs},
		"refresh_accounts.account_ids":        {"maxItems": maxIDs},
		"create_transaction_rule.account_ids": {"maxItems": maxIDs},
		"get_merchant.merchant_id":            {"maxLength": maxIDLen},
	}
	got := map[string]map[string]any{}
	for _, tool := range f.tools {
		for name, p := range tool.Definition().InputSchema.Properties {
			got[tool.Name()+"."+name], _ = p.(map[string]any)
		}
	}
	for param, limits := range want {
		for k, v := range limits {
			if got[param][k] != v {
				t.Errorf("%s: %s = %v, want %v", param, k, got[param][k], v)
			}
		}
	}
	if maxSearchLen != 200 {
		t.Errorf("maxSearchLen = %d; README documents 200", maxSearchLen)
	}
}
