package tools

import (
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

func TestSplitTransaction(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	id, amount := d.plainTxn, d.plainTxnAmount
	groceries, shopping := d.cats["Groceries"], d.cats["Shopping"]
	splits := func() splitsResult {
		var r splitsResult
		f.decode(t, "get_transaction_splits", map[string]any{"transaction_id": id}, &r)
		return r
	}
	if s := splits(); len(s.Splits) != 0 || s.Count != 0 || s.Amount != amount {
		t.Fatalf("unsplit transaction: %+v", s)
	}
	two := []any{
		map[string]any{"amount": round2(amount + 5), "category_id": groceries},
		map[string]any{"amount": -5, "category_id": shopping, "merchant": "Hardware", "notes": "bulbs"},
	}

	// Dry run: reports the parts, changes nothing.
	var r splitTransactionResult
	f.decode(t, "split_transaction", map[string]any{"transaction_id": id, "splits": two, "dry_run": true}, &r)
	if !r.DryRun || len(r.Splits) != 2 || r.Splits[0].Category != "Groceries" || r.Splits[0].Merchant == "" || r.Splits[1].Merchant != "Hardware" {
		t.Errorf("dry run %+v", r)
	}
	if s := splits(); len(s.Splits) != 0 {
		t.Fatalf("dry run split the transaction: %+v", s)
	}

	// Real split, visible in both reads.
	f.decode(t, "split_transaction", map[string]any{"transaction_id": id, "splits": two}, &r)
	if r.DryRun || len(r.Splits) != 2 || r.Splits[0].ID == "" || len(r.Previous) != 0 {
		t.Errorf("split %+v", r)
	}
	s := splits()
	if len(s.Splits) != 2 || s.Count != 2 || s.Splits[1].Notes != "bulbs" || s.Splits[1].CategoryID != shopping {
		t.Errorf("splits read back %+v", s)
	}
	if det := d.details(t, id); !det.Split || len(det.Splits) != 2 {
		t.Errorf("details after split %+v", det)
	}

	// Removing reports the previous parts.
	f.decode(t, "split_transaction", map[string]any{"transaction_id": id, "splits": []any{}}, &r)
	if len(r.Previous) != 2 || len(r.Splits) != 0 || len(splits().Splits) != 0 {
		t.Errorf("remove %+v", r)
	}
}

func TestSplitTransactionFailures(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	id, amount := d.plainTxn, d.plainTxnAmount
	g := d.cats["Groceries"]
	part := func(a float64, cat string) map[string]any { return map[string]any{"amount": a, "category_id": cat} }
	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"no splits", map[string]any{"transaction_id": id}, "splits is required"},
		{"one part", map[string]any{"transaction_id": id, "splits": []any{part(amount, g)}}, "at least two"},
		{"zero part", map[string]any{"transaction_id": id, "splits": []any{part(amount, g), part(0, g)}}, "splits[1].amount must be a non-zero amount"},
		{"no category", map[string]any{"transaction_id": id, "splits": []any{part(amount+1, g), map[string]any{"amount": -1}}}, "splits[1].category_id is required"},
		{"unknown field", map[string]any{"transaction_id": id, "splits": []any{part(amount+1, g), map[string]any{"amount": -1, "category_id": g, "cat": "x"}}}, "unknown parameter"},
		{"sum mismatch", map[string]any{"transaction_id": id, "splits": []any{part(amount+1, g), part(-2, g)}, "dry_run": true}, "difference"},
		{"sum mismatch (sent)", map[string]any{"transaction_id": id, "splits": []any{part(amount+1, g), part(-2, g)}}, "Nothing was changed"},
		{"wrong sign", map[string]any{"transaction_id": id, "splits": []any{part(-amount-1, g), part(1, g)}}, "transaction's sign"},
		{"unknown category", map[string]any{"transaction_id": id, "splits": []any{part(amount+1, g), part(-1, "no-such-cat")}}, "splits[1].category_id \"no-such-cat\" is not a category"},
		{"unknown transaction", map[string]any{"transaction_id": "no-such-txn", "splits": []any{}}, "no-such-txn"},
		{"too many", map[string]any{"transaction_id": id, "splits": func() []any {
			ps := make([]any, maxSplits+1)
			for i := range ps {
				ps[i] = part(-1, g)
			}
			return ps
		}()}, "at most 50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "split_transaction", tt.args, tt.want) })
	}
	if n := f.sb.Requests("Common_SplitTransactionMutation"); n != 0 {
		t.Errorf("%d split mutations sent for refused arguments", n)
	}
	f.wantError(t, "get_transaction_splits", map[string]any{"transaction_id": "no-such-txn"}, "no-such-txn")
}
