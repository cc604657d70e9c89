package tools

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// maxDefaultTokens bounds what the default toolsets cost a model in every
// conversation (see footprint).
const maxDefaultTokens = 6000

func allTools(t testing.TB) []Tool {
	t.Helper()
	c, err := monarch.New(monarch.Config{BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	return All(c, Status{}, nil)
}

// TestToolsets: every tool is in exactly one toolset, toolset names are
// unique, and the session tools are always on.
func TestToolsets(t *testing.T) {
	member := map[string]string{}
	names := map[string]bool{}
	for _, ts := range Toolsets() {
		if names[ts.Name] || ts.Name == AllToolsets || ts.Name == "" || ts.Summary == "" {
			t.Errorf("toolset %q: duplicate, reserved or empty name, or no summary", ts.Name)
		}
		names[ts.Name] = true
		for _, tool := range ts.Tools {
			if prev, ok := member[tool]; ok {
				t.Errorf("%s is in toolsets %s and %s; want exactly one", tool, prev, ts.Name)
			}
			member[tool] = ts.Name
		}
	}
	registered := map[string]bool{}
	for _, tool := range allTools(t) {
		registered[tool.Name()] = true
		if member[tool.Name()] == "" {
			t.Errorf("%s is in no toolset: add it to Toolsets in toolsets.go", tool.Name())
		}
	}
	for tool, ts := range member {
		if !registered[tool] {
			t.Errorf("toolset %s lists %s, which is no tool", ts, tool)
		}
	}
	for _, tool := range []string{"check_auth_status", "setup_authentication", "logout"} {
		for _, choice := range []string{"", "rules", "all"} {
			got, err := ParseToolsets(choice)
			if err != nil || !slices.Contains(got, ToolsetOf(tool)) {
				t.Errorf("ParseToolsets(%q) = %v, %v: leaves out %s", choice, got, err, tool)
			}
		}
	}
}

func TestParseToolsets(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{"", strings.Join(DefaultToolsets(), ","), ""},
		{"all", strings.Join(ToolsetNames(), ","), ""},
		{" Rules , budgets,", "session,budgets,rules", ""},
		{"rules,all", strings.Join(ToolsetNames(), ","), ""},
		{"budget,rules,x", "", `unknown toolset "budget", "x"; choose from session, accounts`},
	} {
		got, err := ParseToolsets(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasSuffix(err.Error(), "or all") {
				t.Errorf("ParseToolsets(%q) error = %v, want %q ... or all", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(got, ",") != tc.want {
			t.Errorf("ParseToolsets(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

// TestToolsetsServed: the server serves the chosen toolsets' tools only,
// and read-only mode still leaves out their writes.
func TestToolsetsServed(t *testing.T) {
	all := allTools(t)
	for _, tc := range []struct {
		toolsets string
		readOnly bool
	}{{"", false}, {"rules", false}, {"rules", true}, {"all", true}} {
		sets, err := ParseToolsets(tc.toolsets)
		if err != nil {
			t.Fatal(err)
		}
		c := connect(t, all, Options{Toolsets: sets, ReadOnly: tc.readOnly})
		res, err := c.ListTools(t.Context(), mcp.ListToolsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, tool := range all {
			if slices.Contains(sets, ToolsetOf(tool.Name())) && (!tc.readOnly || tool.Kind() == Read) {
				want = append(want, tool.Name())
			}
		}
		var got []string
		for _, tool := range res.Tools {
			got = append(got, tool.Name)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("toolsets %q read-only %v: served %v, want %v", tc.toolsets, tc.readOnly, got, want)
		}
	}
}

// Footprint is what a set of tools costs a model in every conversation:
// the bytes of each tool's name, description and JSON input schema, and
// tokens estimated as bytes ÷ 4.
type footprint struct{ tools, bytes int }

func (f footprint) tokens() int { return f.bytes / 4 }

func measure(t testing.TB, tools []Tool, toolsets []string) footprint {
	t.Helper()
	var f footprint
	for _, tool := range InToolsets(tools, toolsets) {
		def := tool.Definition()
		in, err := json.Marshal(def.InputSchema)
		if err != nil {
			t.Fatal(err)
		}
		f.tools++
		f.bytes += len(def.Name) + len(def.Description) + len(in)
	}
	return f
}

// TestDefaultFootprint: the default toolsets cost a model at most
// maxDefaultTokens.
func TestDefaultFootprint(t *testing.T) {
	all := allTools(t)
	def := measure(t, all, DefaultToolsets())
	t.Logf("default: %d tools, %d bytes, %d tokens; all: %+v", def.tools, def.bytes, def.tokens(), measure(t, all, ToolsetNames()))
	if def.tokens() > maxDefaultTokens {
		for _, ts := range Toolsets() {
			if ts.Default || ts.Always {
				t.Logf("  %s: %d tokens", ts.Name, measure(t, all, []string{ts.Name}).tokens())
			}
		}
		t.Errorf("the default toolsets cost %d tokens, over %d: tighten descriptions or move a toolset out of the default", def.tokens(), maxDefaultTokens)
	}
}

// BenchmarkFootprint reports, for the default toolsets and for all, what the
// tools cost a model (bytes and tokens ≈ bytes ÷ 4 of name, description and
// input schema) and the size of the tools/list answer a client receives
// (output schemas and annotations included).
func BenchmarkFootprint(b *testing.B) {
	all := allTools(b)
	for _, tc := range []struct {
		name     string
		toolsets []string
	}{{"default", DefaultToolsets()}, {"all", ToolsetNames()}} {
		b.Run(tc.name, func(b *testing.B) {
			f := measure(b, all, tc.toolsets)
			c := connect(b, all, Options{Toolsets: tc.toolsets})
			var listBytes int
			for b.Loop() {
				res, err := c.ListTools(b.Context(), mcp.ListToolsRequest{})
				if err != nil {
					b.Fatal(err)
				}
				raw, err := json.Marshal(res)
				if err != nil {
					b.Fatal(err)
				}
				listBytes = len(raw)
			}
			b.ReportMetric(float64(f.tools), "tools")
			b.ReportMetric(float64(f.bytes), "model-bytes")
			b.ReportMetric(float64(f.tokens()), "model-tokens")
			b.ReportMetric(float64(listBytes), "tools/list-bytes")
		})
	}
}

// AllIn builds in full exactly the tools of the chosen toolsets, the same
// as All does; the others are outlines with the same name, kind and
// annotations, so a server serves the same tools either way.
func TestAllInOutlinesOtherToolsets(t *testing.T) {
	c, err := monarch.New(monarch.Config{BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	full := All(c, Status{}, nil)
	chosen := DefaultToolsets()
	some := AllIn(c, Status{}, nil, chosen)
	if len(some) != len(full) {
		t.Fatalf("%d tools, want %d", len(some), len(full))
	}
	for i, tool := range some {
		want := full[i]
		served := slices.Contains(chosen, ToolsetOf(tool.Name()))
		if tool.Name() != want.Name() || tool.Kind() != want.Kind() || tool.NeedsSignIn() != want.NeedsSignIn() {
			t.Errorf("%s: name, kind or annotations differ from All's", want.Name())
		}
		gotDef, _ := json.Marshal(tool.Definition())
		wantDef, _ := json.Marshal(want.Definition())
		if served != (string(gotDef) == string(wantDef)) || served == (tool.Definition().Description == "") {
			t.Errorf("%s (served %v): definition built %v", tool.Name(), served, tool.Definition().Description != "")
		}
	}
}
