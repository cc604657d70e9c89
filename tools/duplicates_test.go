package tools

import (
	"context"
	"slices"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

func TestFindDuplicateTransactions(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	ctx := context.Background()

	// The demo household has no duplicates.
	var base duplicatesResult
	f.decode(t, "find_duplicate_transactions", nil, &base)
	today := f.clock.Now().Format(dateLayout)
	if base.EndDate != today || base.StartDate != f.clock.Now().AddDate(0, 0, -defaultDuplicateDays).Format(dateLayout) ||
		!base.ScanComplete || base.Scanned == 0 {
		t.Fatalf("default range %+v", base)
	}
	if base.Count != 0 {
		t.Fatalf("demo data has duplicates: %+v", base.Pairs)
	}

	// Make two: a posted copy of a plain transaction, a day later, and a
	// posted copy of a pending charge under the bank's other name.
	var recent transactionsResult
	f.decode(t, "get_transactions", map[string]any{"limit": 200}, &recent)
	var plain, pending transaction
	for _, tx := range recent.Transactions {
		switch {
		case tx.Pending && pending.ID == "":
			pending = tx
		case !tx.Pending && !tx.Recurring && tx.Amount < -20 && tx.Date < today && plain.ID == "":
			plain = tx
		}
	}
	if plain.ID == "" || pending.ID == "" {
		t.Fatal("demo data lacks a plain and a pending transaction")
	}
	create := func(of transaction, merchant string, days int) string {
		t.Helper()
		d, _ := parseDate("date", of.Date)
		id, err := f.client.CreateTransaction(ctx, monarch.NewTransaction{
			Date: d.AddDate(0, 0, days).Format(dateLayout), AccountID: of.AccountID, Amount: of.Amount,
			MerchantName: merchant, CategoryID: of.CategoryID,
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	dupPlain := create(plain, plain.Merchant, 1)
	dupPending := create(pending, "POS "+pending.Merchant+" #0042", 0)
	// Same account and amount, but another merchant, posted: not a duplicate.
	create(plain, "Unrelated Hardware Store", 0)

	var r duplicatesResult
	f.decode(t, "find_duplicate_transactions", nil, &r)
	byIDs := map[[2]string]duplicatePair{}
	for _, p := range r.Pairs {
		byIDs[[2]string{p.First.ID, p.Second.ID}] = p
		byIDs[[2]string{p.Second.ID, p.First.ID}] = p
	}
	if r.Count != 2 || r.TotalCount != 2 || r.Truncated {
		t.Fatalf("pairs %+v", r.Pairs)
	}
	p, ok := byIDs[[2]string{plain.ID, dupPlain}]
	if !ok || p.DaysApart != 1 || !slices.Contains(p.Rules, ruleSameMerchant) || slices.Contains(p.Rules, rulePendingPosted) || p.Reason == "" ||
		p.First.ID != plain.ID {
		t.Errorf("plain pair %+v", p)
	}
	p, ok = byIDs[[2]string{pending.ID, dupPending}]
	if !ok || p.DaysApart != 0 || !slices.Contains(p.Rules, rulePendingPosted) || !slices.Contains(p.Rules, ruleSimilarMerchant) {
		t.Errorf("pending pair %+v", p)
	}

	// days_apart 0 drops the pair a day apart; a range without them finds none.
	f.decode(t, "find_duplicate_transactions", map[string]any{"days_apart": 0}, &r)
	if r.Count != 1 || r.Pairs[0].Second.ID != dupPending && r.Pairs[0].First.ID != dupPending {
		t.Errorf("days_apart 0: %+v", r.Pairs)
	}
	f.decode(t, "find_duplicate_transactions", map[string]any{"start_date": "2001-01-01", "end_date": "2001-12-31"}, &r)
	if r.Count != 0 || r.StartDate != "2001-01-01" {
		t.Errorf("empty range %+v", r)
	}

	f.wantError(t, "find_duplicate_transactions", map[string]any{"days_apart": 11}, "days_apart must be 0 to 10")
	f.wantError(t, "find_duplicate_transactions", map[string]any{"start_date": "2024-13-01"}, "start_date")
}

func TestSimilarMerchants(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"Starbucks", "STARBUCKS #1234", true},
		{"SQ *Blue Bottle Coffee", "Blue Bottle", true},
		{"Whole Foods Market", "Trader Joe's", false},
		{"", "Amazon", false},
		{"#123", "#123", false},
	} {
		if got := similarMerchants(tt.a, tt.b); got != tt.want {
			t.Errorf("similarMerchants(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
