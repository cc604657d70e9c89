package tools

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// TestOutputSchemaSameJSON checks, for every tool, that outputSchema gives
// clients the same JSON as mcp.WithOutputSchema, whose JSON round trip it
// skips.
func TestOutputSchemaSameJSON(t *testing.T) {
	c, err := monarch.New(monarch.Config{BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range All(c, Status{}, nil) {
		var theirs mcp.Tool
		tool.mcpOutputSchema(&theirs)
		var a, b any
		for v, schema := range map[*any]mcp.ToolOutputSchema{&a: tool.Definition().OutputSchema, &b: theirs.OutputSchema} {
			raw, err := json.Marshal(schema)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, v); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: output schema differs from mcp.WithOutputSchema's", tool.Name())
		}
	}
}
