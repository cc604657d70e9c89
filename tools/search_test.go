package tools

import (
	"math"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

func TestSearchTransactions(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	tests := []struct {
		name     string
		args     map[string]any
		wantMode string
		check    func(tx transaction) bool
		scan     bool // a bounded scan ran: scanned and scan_complete are set
	}{
		{"monarch search", map[string]any{"query": "starbucks"}, "monarch_search",
			func(tx transaction) bool { return tx.Merchant == "Starbucks" }, false},
		{"amount range only", map[string]any{"min_amount": 1000, "max_amount": 1300}, "monarch_search",
			func(tx transaction) bool { return math.Abs(tx.Amount) >= 1000 && math.Abs(tx.Amount) <= 1300 }, false},
		{"text and amount", map[string]any{"query": "costco", "min_amount": 100}, "monarch_search",
			func(tx transaction) bool {
				return strings.Contains(tx.Merchant, "Costco") && math.Abs(tx.Amount) >= 100
			}, false},
		{"local: account name", map[string]any{"query": "Sapphire"}, "local_scan",
			func(tx transaction) bool { return strings.Contains(tx.Account, "Sapphire") }, true},
		{"local: category words", map[string]any{"query": "coffee shops"}, "local_scan",
			func(tx transaction) bool { return tx.Category == "Coffee Shops" }, true},
		{"local: words across fields", map[string]any{"query": "sapphire starbucks"}, "local_scan",
			func(tx transaction) bool {
				return tx.Merchant == "Starbucks" && strings.Contains(tx.Account, "Sapphire")
			}, true},
		{"local with amount", map[string]any{"query": "coffee shops", "max_amount": 6}, "local_scan",
			func(tx transaction) bool { return tx.Category == "Coffee Shops" && math.Abs(tx.Amount) <= 6 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r searchResult
			f.decode(t, "search_transactions", tt.args, &r)
			if r.Mode != tt.wantMode || r.Count == 0 || r.Count != len(r.Transactions) {
				t.Fatalf("mode %q, %+v", r.Mode, r.list)
			}
			for _, tx := range r.Transactions {
				if !tt.check(tx) {
					t.Errorf("non-matching result %+v", tx)
				}
			}
			if tt.scan != (r.ScanComplete != nil) || tt.scan && (!*r.ScanComplete || r.Scanned == 0) {
				t.Errorf("scan fields: scanned %d complete %v", r.Scanned, r.ScanComplete)
			}
			if r.Mode == "local_scan" && (r.StartDate == "" || r.EndDate == "") {
				t.Errorf("local scan does not say its range: %+v", r)
			}
		})
	}
}

func TestSearchTransactionsLocalScanFindsTags(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	// Tag a transaction, then find it by the tag's name, which Monarch's
	// text search does not cover.
	var tr setTagsResult
	f.decode(t, "set_transaction_tags", map[string]any{"transaction_id": d.plainTxn, "tag_ids": []any{d.tags["Kids"]}}, &tr)
	var r searchResult
	f.decode(t, "search_transactions", map[string]any{"query": "kids"}, &r)
	found := false
	for _, tx := range r.Transactions {
		found = found || tx.ID == d.plainTxn
	}
	if r.Mode != "local_scan" || !found {
		t.Errorf("tagged transaction not found: mode %q, %+v", r.Mode, r.list)
	}
}

func TestSearchTransactionsPagingAndEmpty(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var first, second searchResult
	f.decode(t, "search_transactions", map[string]any{"query": "sapphire", "limit": 2}, &first)
	if first.Count != 2 || !first.Truncated || first.NextOffset == nil || *first.NextOffset != 2 || first.TotalCount <= 2 {
		t.Fatalf("first page %+v", first.list)
	}
	f.decode(t, "search_transactions", map[string]any{"query": "sapphire", "limit": 2, "offset": 2}, &second)
	if second.Count == 0 || second.Transactions[0].ID == first.Transactions[0].ID || second.TotalCount != first.TotalCount {
		t.Errorf("second page %+v", second.list)
	}

	var none searchResult
	f.decode(t, "search_transactions", map[string]any{"query": "zzz-no-such-thing"}, &none)
	if none.Mode != "local_scan" || none.Count != 0 || none.TotalCount != 0 || none.Truncated || none.ScanComplete == nil || !*none.ScanComplete {
		t.Errorf("empty search %+v", none)
	}

	// An explicit range bounds the local scan.
	var ranged searchResult
	f.decode(t, "search_transactions", map[string]any{"query": "sapphire", "start_date": "2000-01-01", "end_date": "2000-01-31"}, &ranged)
	if ranged.Count != 0 || ranged.StartDate != "2000-01-01" || ranged.EndDate != "2000-01-31" {
		t.Errorf("ranged %+v", ranged)
	}
}

func TestSearchTransactionsArguments(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"negative amount", map[string]any{"min_amount": -5}, "min_amount must be 0 or more"},
		{"reversed range", map[string]any{"min_amount": 50, "max_amount": 10}, "max_amount (10) is less than min_amount (50)"},
		{"bad date", map[string]any{"start_date": "yesterday"}, "start_date must be a date"},
		{"long query", map[string]any{"query": strings.Repeat("q", 201)}, "at most 200"},
		{"bad limit", map[string]any{"limit": 0}, "limit must be between"},
		{"empty account id", map[string]any{"account_ids": []any{" "}}, "account_ids has an empty id"},
	}
	before := f.sb.LoginAttempts()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "search_transactions", tt.args, tt.want) })
	}
	if f.sb.LoginAttempts() != before {
		t.Error("invalid arguments caused a login")
	}
}
