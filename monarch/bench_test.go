package monarch_test

import (
	"context"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// BenchmarkGetTransactions is one page of 100 transactions over loopback
// HTTP from the sandbox: request, sandbox, decoding and validation.
func BenchmarkGetTransactions(b *testing.B) {
	e := testenv.New(b, testenv.Options{})
	e.Login(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		p, err := e.Client.GetTransactions(ctx, monarch.TransactionQuery{Limit: 100})
		if err != nil || len(p.Transactions) != 100 {
			b.Fatal(err)
		}
	}
}

// BenchmarkPing is the smallest authenticated round trip: the client's
// fixed cost per call.
func BenchmarkPing(b *testing.B) {
	e := testenv.New(b, testenv.Options{})
	e.Login(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Client.Ping(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
