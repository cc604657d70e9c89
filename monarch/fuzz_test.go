package monarch_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// FuzzResponseDecoding answers every GraphQL request with the fuzzer's
// bytes and runs each typed read through them: whatever Monarch (or a
// proxy in between) sends, the client returns data or an error, never
// panics. Seeds: valid, partial and malformed answers.
func FuzzResponseDecoding(f *testing.F) {
	for _, s := range []string{
		`{"data":{"accounts":[{"id":"1","displayName":"A","currentBalance":1.5,"type":{"name":"depository","display":"Cash"},"subtype":{"name":"checking","display":"Checking"}}]}}`,
		`{"data":{"allTransactions":{"totalCount":1,"results":[{"id":"t","amount":-3,"date":"2026-01-02","account":{"id":"a","displayName":"A"},"category":{"id":"c","name":"C"},"merchant":{"id":"m","name":"M"}}]}}}`,
		`{"data":null}`, `{"data":{}}`, `{"errors":[{"message":"boom","extensions":{"code":"UNAUTHENTICATED"}}]}`,
		`{"errors":[]}`, `{"data":{"accounts":null}}`, `{"data":{"accounts":[null]}}`, `{"data":{"accounts":[{"id":7}]}}`,
		`{"detail":"Invalid token."}`, `not json`, ``, `{"data":{"budgetData":{"monthlyAmountsByCategory":[{"category":null}]}}}`,
		`{"data":{"householdTransactionTags":[{"id":"1"}]}}`, `{"data":{"categories":[{"id":"1","group":null}]}}`,
		`{"data":{"summary":[{"summary":{"sumIncome":"x"}}]}}`, `[1,2]`, `{"data":[]}`, `{"data":{"holdings":{"edges":[{"node":null}]}}}`,
		`{"data":{"getTransaction":null}}`, `{"data":{"transactionRules":[{"id":"r","amountCriteria":{"valueRange":null}}]}}`,
		`{"data":{"merchants":[{"id":"m"}],"merchantCount":-1}}`, `{"data":{"aggregateSnapshots":[{"date":null}]}}`,
		`{"data":{"snapshotsByAccountType":[{"month":"x"}],"accountTypes":null}}`, `{"data":{"recurringTransactionStreams":[{"stream":null}]}}`,
	} {
		f.Add([]byte(s))
	}
	var body atomic.Pointer[[]byte]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(*body.Load())
	}))
	f.Cleanup(srv.Close)
	c, err := monarch.New(monarch.Config{BaseURL: srv.URL, RetryMax: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	c.Auth().Set(monarch.TokenSession("fuzz-token"))
	ctx := context.Background()
	reads := []func() error{
		func() error { _, err := c.GetAccounts(ctx); return err },
		func() error { _, err := c.GetAccountHoldings(ctx, "1"); return err },
		func() error { _, err := c.GetAccountHistory(ctx, "1"); return err },
		func() error { _, err := c.GetInstitutions(ctx); return err },
		func() error { _, err := c.GetBudgets(ctx, "2026-01-01", "2026-01-31"); return err },
		func() error { _, err := c.GetCashflow(ctx, "2026-01-01", "2026-01-31"); return err },
		func() error { _, err := c.GetCashflowSummary(ctx, "2026-01-01", "2026-01-31"); return err },
		func() error { _, err := c.GetCategories(ctx); return err },
		func() error { _, err := c.GetTags(ctx); return err },
		func() error { _, err := c.GetRecurringTransactions(ctx, "2026-01-01", "2026-01-31"); return err },
		func() error { _, err := c.GetTransactions(ctx, monarch.TransactionQuery{Limit: 5}); return err },
		func() error { _, err := c.GetTransactionsSummary(ctx); return err },
		func() error { _, err := c.GetRefreshStatus(ctx); return err },
		func() error { _, err := c.GetCategoryGroups(ctx); return err },
		func() error { _, err := c.GetMerchant(ctx, "1"); return err },
		func() error { _, err := c.SearchMerchants(ctx, "a", 0, 5); return err },
		func() error { _, err := c.GetNetWorthHistory(ctx, "2026-01-01", "2026-03-31", ""); return err },
		func() error { _, err := c.GetNetWorthByAccountType(ctx, "2026-01", "month"); return err },
		func() error { _, err := c.GetRecurringStreams(ctx); return err },
		func() error { _, err := c.GetTransactionRules(ctx); return err },
		func() error { _, err := c.GetTransaction(ctx, "1"); return err },
		func() error { _, err := c.GetTransactionSplits(ctx, "1"); return err },
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		body.Store(&b)
		for _, read := range reads {
			if err := read(); err != nil && err.Error() == "" {
				t.Error("an error with no message")
			}
		}
	})
}
