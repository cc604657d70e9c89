package tools

import (
	"slices"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

func TestTransactionsNeedingReview(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	get := func(args map[string]any) needingReviewResult {
		t.Helper()
		var r needingReviewResult
		f.decode(t, "get_transactions_needing_review", args, &r)
		return r
	}
	has := func(r needingReviewResult, id, reason string) bool {
		for _, it := range r.Transactions {
			if it.ID == id {
				return slices.Contains(it.Reasons, reason)
			}
		}
		return false
	}

	// The sandbox's recent pending charges need review.
	r := get(nil)
	if r.Count == 0 || r.ByReason["needs_review"] == 0 || !r.ScanComplete || r.Scanned < r.TotalCount || r.StartDate == "" {
		t.Fatalf("default %+v", r)
	}
	if !has(r, d.reviewTxn, "needs_review") {
		t.Errorf("review transaction %s not listed", d.reviewTxn)
	}
	if _, ok := r.ByReason["no_notes"]; ok {
		t.Error("no_notes counted without being asked for")
	}

	// Uncategorized shows up once a transaction has that category; marking
	// reviewed takes a transaction off the needs_review list.
	var w writeResult
	f.decode(t, "set_transaction_category", map[string]any{"transaction_id": d.plainTxn, "category_id": d.cats["Uncategorized"]}, &w)
	f.decode(t, "mark_transaction_reviewed", map[string]any{"transaction_id": d.reviewTxn}, &w)
	r = get(map[string]any{"days": 365, "limit": 1000})
	if !has(r, d.plainTxn, "uncategorized") || has(r, d.reviewTxn, "needs_review") {
		t.Errorf("after edits: uncategorized listed=%v, reviewed still listed=%v", has(r, d.plainTxn, "uncategorized"), has(r, d.reviewTxn, "needs_review"))
	}

	// no_notes only: notes take a transaction off the list.
	f.decode(t, "update_transaction_notes", map[string]any{"transaction_id": d.plainTxn, "notes": "returned"}, &w)
	r = get(map[string]any{"days": 365, "include": []any{"no_notes"}, "limit": 1000})
	if r.ByReason["no_notes"] != r.TotalCount || has(r, d.plainTxn, "no_notes") || r.Truncated {
		t.Errorf("no_notes %+v", r.list)
	}

	// Paging.
	p := get(map[string]any{"days": 365, "include": []any{"no_notes"}, "limit": 3})
	if p.Count != 3 || !p.Truncated || p.NextOffset == nil || p.TotalCount != r.TotalCount {
		t.Errorf("page %+v", p.list)
	}
	if one := get(map[string]any{"days": 1, "include": []any{"no_notes"}}); one.StartDate != one.EndDate {
		t.Errorf("days=1 covers %s..%s", one.StartDate, one.EndDate)
	}
}

func TestTransactionsNeedingReviewArguments(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	for _, tt := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"days": 0}, "days must be between 1 and 365"},
		{map[string]any{"days": 400}, "days must be between 1 and 365"},
		{map[string]any{"include": []any{"unreviewed"}}, `include holds "unreviewed"`},
		{map[string]any{"limit": 5000}, "limit must be between"},
	} {
		f.wantError(t, "get_transactions_needing_review", tt.args, tt.want)
	}
}
