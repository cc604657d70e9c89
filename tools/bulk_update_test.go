package tools

import (
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

func TestBulkUpdateByFilter(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	coffee, _ := f.categoryNamed(t, "Coffee Shops")
	vacation := f.tagNamed(t, "Vacation")
	filter := map[string]any{"category_ids": []any{coffee.ID}}
	inCoffee := f.countTransactions(t, filter)
	if inCoffee < 2 {
		t.Fatalf("%d demo coffee transactions, want several", inCoffee)
	}
	args := func(extra map[string]any) map[string]any {
		a := map[string]any{"category_ids": []any{coffee.ID}, "set_notes": "coffee", "set_tag_ids": []any{vacation.ID}, "set_hidden": true}
		for k, v := range extra {
			a[k] = v
		}
		return a
	}

	// Without dry_run the tool only reports.
	var dry bulkUpdateResult
	f.decode(t, "bulk_update_transactions", args(nil), &dry)
	if !dry.DryRun || dry.SelectedBy != "filter" || dry.Count != inCoffee || dry.ExpectedCount != inCoffee ||
		len(dry.Transactions) != min(inCoffee, bulkPreview) || len(dry.Changes) != 3 {
		t.Errorf("dry run %+v", dry)
	}
	if n := f.countTransactions(t, map[string]any{"tag_ids": []any{vacation.ID}, "category_ids": []any{coffee.ID}}); n == inCoffee {
		t.Fatal("the dry run changed the transactions")
	}

	// Applying a filter needs the count the dry run reported.
	f.wantError(t, "bulk_update_transactions", args(map[string]any{"dry_run": false}), "expected_count is required to apply a filter")
	f.wantError(t, "bulk_update_transactions", args(map[string]any{"dry_run": false, "expected_count": inCoffee - 1}), "nothing was changed")

	var res bulkUpdateResult
	f.decode(t, "bulk_update_transactions", args(map[string]any{"dry_run": false, "expected_count": dry.ExpectedCount}), &res)
	if res.DryRun || res.Count != inCoffee {
		t.Errorf("apply %+v", res)
	}
	if n := f.countTransactions(t, map[string]any{"tag_ids": []any{vacation.ID}, "category_ids": []any{coffee.ID}}); n != inCoffee {
		t.Errorf("%d of %d coffee transactions carry the tag", n, inCoffee)
	}
	if n := f.countTransactions(t, map[string]any{"category_ids": []any{coffee.ID}, "search": "coffee"}); n < inCoffee {
		t.Errorf("%d of %d coffee transactions have the notes", n, inCoffee)
	}
}

func TestBulkUpdateByIDs(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	restaurants, _ := f.categoryNamed(t, "Restaurants & Bars")
	var w1, w2 writeResult
	for _, w := range []*writeResult{&w1, &w2} {
		f.decode(t, "create_transaction", map[string]any{"date": "2026-01-15", "account_id": f.anyAccount(t), "amount": -7, "merchant": "Bulk Cafe", "category_id": f.anyCategory(t)}, w)
	}
	ids := []any{w1.Transaction.ID, w2.Transaction.ID, w1.Transaction.ID}
	var res bulkUpdateResult
	f.decode(t, "bulk_update_transactions", map[string]any{"transaction_ids": ids, "set_category_id": restaurants.ID, "set_reviewed": false, "dry_run": false}, &res)
	if res.DryRun || res.SelectedBy != "ids" || res.Count != 2 || len(res.Changes) != 2 {
		t.Errorf("apply %+v", res)
	}
	var d detailsResult
	f.decode(t, "get_transaction_details", map[string]any{"transaction_id": w2.Transaction.ID}, &d)
	if d.Transaction.Category != restaurants.Name || !d.Transaction.NeedsReview {
		t.Errorf("after the bulk update: %+v", d.Transaction)
	}
}

func TestBulkUpdateErrors(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	for _, tt := range []struct {
		name string
		args map[string]any
		want string
	}{
		{"nothing to set", map[string]any{"transaction_ids": []any{"1"}}, "nothing to set"},
		{"both ids and filter", map[string]any{"transaction_ids": []any{"1"}, "search": "x", "set_hidden": true}, "not both"},
		{"no selection", map[string]any{"set_hidden": true}, "select transactions"},
		{"empty selection", map[string]any{"search": "no such merchant anywhere", "set_hidden": true}, "no transactions match the filter"},
		{"unknown id", map[string]any{"transaction_ids": []any{"no-such-txn"}, "set_hidden": true}, "no transaction has id no-such-txn"},
		{"unknown category", map[string]any{"search": "coffee", "set_category_id": "no-such-cat"}, "is not a category"},
		{"unknown tag", map[string]any{"search": "coffee", "set_tag_ids": []any{"no-such-tag"}}, "is not a tag"},
		{"bad date", map[string]any{"start_date": "2026-13-01", "set_hidden": true}, "start_date"},
	} {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "bulk_update_transactions", tt.args, tt.want) })
	}
}
