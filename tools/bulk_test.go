package tools

import (
	"fmt"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

func TestBulkCategorize(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	ids := notCharity(t, f, 3)
	charity := d.cats["Charity"]
	categories := func() []string {
		var out []string
		for _, id := range ids {
			out = append(out, d.details(t, id.(string)).Category)
		}
		return out
	}
	before := fmt.Sprint(categories())

	// Dry run: every item would change; nothing does.
	var r bulkCategorizeResult
	f.decode(t, "bulk_categorize_transactions", map[string]any{"transaction_ids": ids, "category_id": charity, "dry_run": true}, &r)
	if !r.DryRun || r.Changed != 3 || r.Failed != 0 || len(r.Items) != 3 || r.Items[0].Status != "would_change" || r.Category != "Charity" {
		t.Errorf("dry run %+v", r)
	}
	if got := fmt.Sprint(categories()); got != before {
		t.Fatalf("dry run changed categories: %s → %s", before, got)
	}

	// Partial failure: an unknown id fails alone; a repeated id counts once.
	withBad := append(append([]any{}, ids...), "no-such-txn", ids[0])
	f.decode(t, "bulk_categorize_transactions", map[string]any{"transaction_ids": withBad, "category_id": charity, "mark_reviewed": true}, &r)
	if r.DryRun || r.Changed != 3 || r.Failed != 1 || len(r.Items) != 4 {
		t.Fatalf("partial failure %+v", r)
	}
	if bad := r.Items[3]; bad.ID != "no-such-txn" || bad.Status != "failed" || bad.Error == "" {
		t.Errorf("failed item %+v", bad)
	}
	if r.Items[0].Change == "" || r.Items[0].Status != "changed" {
		t.Errorf("changed item %+v", r.Items[0])
	}
	for i, c := range categories() {
		if c != "Charity" {
			t.Errorf("item %d category %q after bulk", i, c)
		}
	}

	// Again: nothing left to do.
	f.decode(t, "bulk_categorize_transactions", map[string]any{"transaction_ids": ids, "category_id": charity}, &r)
	if r.Changed != 0 || r.Items[0].Status != "unchanged" {
		t.Errorf("repeat %+v", r)
	}
}

func TestBulkCategorizeFailures(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	tooMany := make([]any, maxBatch+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprint(i)
	}
	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"no ids", map[string]any{"transaction_ids": []any{}, "category_id": d.cats["Groceries"]}, "at least one"},
		{"batch cap", map[string]any{"transaction_ids": tooMany, "category_id": d.cats["Groceries"]}, "at most 100 per call"},
		{"empty id", map[string]any{"transaction_ids": []any{""}, "category_id": d.cats["Groceries"]}, "empty id"},
		{"no category", map[string]any{"transaction_ids": []any{d.plainTxn}}, "category_id is required"},
		{"unknown category", map[string]any{"transaction_ids": []any{d.plainTxn}, "category_id": "no-such-cat"}, "Nothing was changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "bulk_categorize_transactions", tt.args, tt.want) })
	}
	if n := f.sb.Requests("Web_TransactionDrawerUpdateTransaction"); n != 0 {
		t.Errorf("%d updates sent for refused calls", n)
	}
}

// A session that dies in the middle of a batch is renewed and the batch
// goes on from where it was: every item is reported as what happened to
// it, not rerun from the start (which would call the first items
// "unchanged").
func TestBatchSurvivesExpiryMidway(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	ids := notCharity(t, f, 4)
	// One read of the categories, then two requests an item: the session
	// dies during the second item.
	f.sb.ExpireAfterRequests(4)
	logins := f.sb.Logins()
	var r bulkCategorizeResult
	f.decode(t, "bulk_categorize_transactions", map[string]any{"transaction_ids": ids, "category_id": d.cats["Charity"]}, &r)
	if r.Changed != 4 || r.Failed != 0 || r.NotAttempted != 0 {
		t.Errorf("after a mid-batch expiry: %+v", r.batchResult)
	}
	for _, it := range r.Items {
		if it.Status != "changed" {
			t.Errorf("item %s: %s %s", it.ID, it.Status, it.Error)
		}
	}
	if n := f.sb.Logins() - logins; n < 1 {
		t.Errorf("%d logins: the session did not expire mid-batch", n)
	}
}

// When the session cannot be renewed mid-batch, the batch stops: the items
// done so far are reported changed, the one at hand failed with the
// reason, the rest not_attempted — and nothing is retried from the start.
func TestBatchStopsWhenSignInFails(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	ids := notCharity(t, f, 4)
	f.sb.ExpireAfterRequests(4)
	f.sb.SetLoginOutcome(sandbox.LoginBadCredentials)
	var r bulkCategorizeResult
	f.decode(t, "bulk_categorize_transactions", map[string]any{"transaction_ids": ids, "category_id": d.cats["Charity"]}, &r)
	want := []string{"changed", "failed", "not_attempted", "not_attempted"}
	for i, it := range r.Items {
		if i >= len(want) || it.Status != want[i] {
			t.Errorf("item %d: %s %s", i, it.Status, it.Error)
		}
	}
	if r.Changed != 1 || r.Failed != 1 || r.NotAttempted != 2 || r.Items[1].Error == "" {
		t.Errorf("%+v", r.batchResult)
	}
}

// notCharity returns n transaction ids whose category is not Charity.
func notCharity(t *testing.T, f *fixture, n int) []any {
	t.Helper()
	var txns transactionsResult
	f.decode(t, "get_transactions", map[string]any{"limit": 30}, &txns)
	var ids []any
	for _, tx := range txns.Transactions {
		if tx.Category != "Charity" && len(ids) < n {
			ids = append(ids, tx.ID)
		}
	}
	if len(ids) < n {
		t.Fatalf("only %d non-Charity transactions", len(ids))
	}
	return ids
}
