package tools

import (
	"log/slog"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// BenchmarkToolCallRoundTrip is one tools/call through the MCP server
// (in-process transport), WithReauth, the Monarch client and the sandbox
// on loopback, back to a JSON result.
func BenchmarkToolCallRoundTrip(b *testing.B) {
	for _, name := range []string{"get_accounts", "get_transaction_tags"} {
		b.Run(name, func(b *testing.B) {
			env := testenv.New(b, testenv.Options{Config: monarch.Config{Logger: slog.New(slog.DiscardHandler)}})
			env.Login(b)
			c := connect(b, All(env.Client, Status{}, slog.New(slog.DiscardHandler)), Options{})
			req := mcp.CallToolRequest{}
			req.Params.Name = name
			for b.Loop() {
				res, err := c.CallTool(b.Context(), req)
				if err != nil || res.IsError {
					b.Fatalf("%v %s", err, textOf(res))
				}
			}
		})
	}
}
