package tools

import (
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// BenchmarkBuildServer is the start-up cost of the tool layer: every
// tool's schemas and handler chain, and the MCP server holding them.
func BenchmarkBuildServer(b *testing.B) {
	c, err := monarch.New(monarch.Config{BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		NewServer(All(c, Status{}, nil), Options{})
	}
}

// BenchmarkNewClient is the Monarch client's start-up cost (it loads and
// checks every GraphQL document).
func BenchmarkNewClient(b *testing.B) {
	for b.Loop() {
		if _, err := monarch.New(monarch.Config{BaseURL: "http://127.0.0.1:1"}); err != nil {
			b.Fatal(err)
		}
	}
}
