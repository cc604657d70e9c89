package tools

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// oldTxn returns a plain expense among the household's oldest
// transactions, and the total count.
func oldTxn(t *testing.T, f *fixture) (transaction, int) {
	t.Helper()
	var r transactionsResult
	f.decode(t, "get_transactions", map[string]any{"sort": "oldest", "limit": 50}, &r)
	for _, tx := range r.Transactions {
		if tx.Amount < -20 && !tx.Recurring && !tx.Pending && tx.Notes == "" && !tx.NeedsReview && !tx.HideFromReports {
			return tx, r.TotalCount
		}
	}
	t.Fatal("no plain expense among the oldest transactions")
	return transaction{}, 0
}

func TestTransactionFlagFilters(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	ctx := context.Background()
	old, total := oldTxn(t, f)
	yes := true
	details := func(t *testing.T, id string) monarch.TransactionDetails {
		t.Helper()
		det, err := f.client.GetTransaction(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return det
	}
	// known returns the id of the oldest transaction keep accepts.
	known := func(t *testing.T, args map[string]any, keep func(transaction) bool) string {
		t.Helper()
		var r transactionsResult
		f.decode(t, "search_transactions", args, &r)
		for _, tx := range r.Transactions {
			if keep(tx) {
				return tx.ID
			}
		}
		t.Fatalf("no transaction for %v", args)
		return ""
	}
	tests := []struct {
		param string
		// setup makes a transaction match and returns its id.
		setup func(t *testing.T) string
		// match reports whether a result satisfies the filter's true value.
		match func(t *testing.T, tx transaction) bool
	}{
		{"has_attachments", func(t *testing.T) string {
			return known(t, map[string]any{"query": "Midas Auto Service", "sort": "oldest"}, func(transaction) bool { return true })
		}, func(t *testing.T, tx transaction) bool { return details(t, tx.ID).Attachments > 0 }},
		{"has_notes", func(t *testing.T) string {
			notes := "kept for the warranty"
			if _, err := f.client.UpdateTransaction(ctx, monarch.TransactionUpdate{ID: old.ID, Notes: &notes}); err != nil {
				t.Fatal(err)
			}
			return old.ID
		}, func(_ *testing.T, tx transaction) bool { return tx.Notes != "" }},
		{"hidden", func(t *testing.T) string {
			if _, err := f.client.UpdateTransaction(ctx, monarch.TransactionUpdate{ID: old.ID, HideFromReports: &yes}); err != nil {
				t.Fatal(err)
			}
			return old.ID
		}, func(_ *testing.T, tx transaction) bool { return tx.HideFromReports }},
		{"is_split", func(t *testing.T) string {
			half := round2(old.Amount / 2)
			parts := []monarch.SplitInput{{Amount: half, MerchantName: old.Merchant, CategoryID: old.CategoryID}, {Amount: round2(old.Amount - half), MerchantName: old.Merchant, CategoryID: old.CategoryID}}
			if _, err := f.client.SplitTransaction(ctx, old.ID, parts); err != nil {
				t.Fatal(err)
			}
			return old.ID
		}, func(t *testing.T, tx transaction) bool { return details(t, tx.ID).HasSplits }},
		{"is_recurring", func(t *testing.T) string {
			var r transactionsResult
			f.decode(t, "get_transactions", map[string]any{"sort": "oldest", "limit": 50}, &r)
			for _, tx := range r.Transactions {
				if tx.Recurring {
					return tx.ID
				}
			}
			t.Fatal("no old recurring transaction")
			return ""
		}, func(_ *testing.T, tx transaction) bool { return tx.Recurring }},
		{"is_pending", func(t *testing.T) string {
			// Only the last days are pending: the known old match is of the
			// false value, checked below.
			return ""
		}, func(_ *testing.T, tx transaction) bool { return tx.Pending }},
		{"needs_review", func(t *testing.T) string {
			if _, err := f.client.UpdateTransaction(ctx, monarch.TransactionUpdate{ID: old.ID, NeedsReview: &yes}); err != nil {
				t.Fatal(err)
			}
			return old.ID
		}, func(_ *testing.T, tx transaction) bool { return tx.NeedsReview }},
	}
	for _, tt := range tests {
		t.Run(tt.param, func(t *testing.T) {
			id := tt.setup(t)
			counts := map[bool]int{}
			for _, tool := range []string{"get_transactions", "search_transactions"} {
				for _, v := range []bool{true, false} {
					var r transactionsResult
					f.decode(t, tool, map[string]any{tt.param: v, "sort": "oldest", "limit": maxLimit}, &r)
					counts[v] = r.TotalCount
					// Checking every result through its details costs a request
					// each: do that only for the (few) true results.
					if v || tool == "get_transactions" && tt.param != "has_attachments" && tt.param != "is_split" {
						for _, tx := range r.Transactions {
							if tt.match(t, tx) != v {
								t.Fatalf("%s %s=%v: non-matching result %+v", tool, tt.param, v, tx)
							}
						}
					}
					found := slices.ContainsFunc(r.Transactions, func(tx transaction) bool { return tx.ID == id })
					if v && id != "" && !found {
						t.Errorf("%s %s=true: known match %s not found among %d", tool, tt.param, id, r.TotalCount)
					}
					if !v && (id == "" && !slices.ContainsFunc(r.Transactions, func(tx transaction) bool { return tx.ID == old.ID }) || found) {
						t.Errorf("%s %s=false: wrong membership (known %s, old %s)", tool, tt.param, id, old.ID)
					}
				}
				if counts[true] == 0 || counts[true]+counts[false] != total {
					t.Errorf("%s %s: %d true + %d false, want > 0 and a total of %d", tool, tt.param, counts[true], counts[false], total)
				}
			}
		})
	}
}

func TestTransactionAmountRangeReachesOldHistory(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	// A transaction older than the whole generated history: a local
	// filter over the newest transactions would read it last, if at all.
	date := f.clock.Now().AddDate(-5, 0, 0).Format(dateLayout)
	oldID, err := f.client.CreateTransaction(context.Background(), monarch.NewTransaction{
		Date: date, AccountID: d.account, Amount: -4321.09, MerchantName: "Old Roof Repair", CategoryID: d.cats["Home Improvement"],
	})
	if err != nil {
		t.Fatal(err)
	}
	old, _ := oldTxn(t, f)
	for _, tt := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"min_amount": 4321.0, "max_amount": 4322.0}, oldID},
		{map[string]any{"min_amount": 4000.0, "query": "roof repair", "limit": 5}, oldID},
		{map[string]any{"min_amount": math.Abs(old.Amount) - 0.01, "max_amount": math.Abs(old.Amount) + 0.01}, old.ID},
	} {
		before := f.sb.Requests("GetTransactionsList")
		var r searchResult
		f.decode(t, "search_transactions", tt.args, &r)
		if n := f.sb.Requests("GetTransactionsList") - before; n != 1 || r.Mode != "monarch_search" || r.ScanComplete != nil {
			t.Errorf("%v: %d requests, mode %q, scan %v: the range must be Monarch's, in one request", tt.args, n, r.Mode, r.ScanComplete)
		}
		if !slices.ContainsFunc(r.Transactions, func(tx transaction) bool { return tx.ID == tt.want }) {
			t.Errorf("%v: old transaction %s not found: %+v", tt.args, tt.want, r.list)
		}
		lo, _ := tt.args["min_amount"].(float64)
		hi, ok := tt.args["max_amount"].(float64)
		if !ok {
			hi = math.Inf(1)
		}
		for _, tx := range r.Transactions {
			if a := math.Abs(tx.Amount); a < lo || a > hi {
				t.Errorf("%v: out-of-range result %+v", tt.args, tx)
			}
		}
	}
}

func TestTransactionSort(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	tests := []struct {
		sort    string
		inOrder func(a, b transaction) bool
	}{
		{"", func(a, b transaction) bool { return a.Date >= b.Date }},
		{"newest", func(a, b transaction) bool { return a.Date >= b.Date }},
		{"oldest", func(a, b transaction) bool { return a.Date <= b.Date }},
		{"amount_desc", func(a, b transaction) bool { return a.Amount >= b.Amount }},
		{"amount_asc", func(a, b transaction) bool { return a.Amount <= b.Amount }},
	}
	for _, tt := range tests {
		t.Run(tt.sort, func(t *testing.T) {
			for _, tool := range []string{"get_transactions", "search_transactions"} {
				args := map[string]any{"limit": 300}
				if tt.sort != "" {
					args["sort"] = tt.sort
				}
				var r transactionsResult
				f.decode(t, tool, args, &r)
				if r.Count < 2 {
					t.Fatalf("%s: %d results", tool, r.Count)
				}
				for i := 1; i < len(r.Transactions); i++ {
					if !tt.inOrder(r.Transactions[i-1], r.Transactions[i]) {
						t.Fatalf("%s sort %q: %+v before %+v", tool, tt.sort, r.Transactions[i-1], r.Transactions[i])
					}
				}
			}
		})
	}
	// The extremes of the whole history come first.
	var desc, asc transactionsResult
	f.decode(t, "get_transactions", map[string]any{"sort": "amount_desc", "limit": 1}, &desc)
	f.decode(t, "get_transactions", map[string]any{"sort": "amount_asc", "limit": 1}, &asc)
	if desc.Transactions[0].Amount <= 0 || asc.Transactions[0].Amount >= 0 {
		t.Errorf("extremes: highest %v, lowest %v", desc.Transactions[0].Amount, asc.Transactions[0].Amount)
	}
}

func TestTransactionFilterArgErrors(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	for _, tool := range []string{"get_transactions", "search_transactions"} {
		f.wantError(t, tool, map[string]any{"sort": "largest"}, "sort must be newest, oldest, amount_desc or amount_asc")
		f.wantError(t, tool, map[string]any{"hidden": "yes"}, "hidden must be")
	}
}
