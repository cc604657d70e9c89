package sandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkGraphQL measures one authenticated GraphQL request through the
// handler (no network), for the heaviest common reads.
func BenchmarkGraphQL(b *testing.B) {
	for _, bc := range []struct{ op, body string }{
		{"GetTransactionsList", `{"operationName":"GetTransactionsList","variables":{"limit":100,"filters":{"search":""}}}`},
		{"Web_GetCashFlowPage", `{"operationName":"Web_GetCashFlowPage","variables":{"filters":{}}}`},
		{"GetAccounts", `{"operationName":"GetAccounts"}`},
	} {
		b.Run(bc.op, func(b *testing.B) {
			sb := New(Options{})
			tok := sb.IssueToken()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(bc.body))
				req.Header.Set("Authorization", "Token "+tok)
				req.Header.Set("device-uuid", testDevice)
				rec := httptest.NewRecorder()
				sb.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

// BenchmarkNew measures building the demo household (which New leaves to
// the first request).
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		s := New(Options{})
		s.lock()
		s.mu.Unlock()
	}
}
