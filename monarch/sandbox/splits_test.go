package sandbox

import (
	"testing"
)

func TestSplitsVisibleInReads(t *testing.T) {
	c := newClock()
	sb := start(t, Options{Now: c.Now})
	tok := creds{token: sb.IssueToken()}
	sb.lock()
	var id string
	var amount float64
	for _, tx := range sb.st.sortedTxns() {
		if tx.amount < -20 {
			id, amount = tx.id, tx.amount
			break
		}
	}
	groceries, shopping := sb.st.catByName["Groceries"].id, sb.st.catByName["Shopping"].id
	sb.mu.Unlock()
	split := func(parts ...map[string]any) map[string]any {
		ps := make([]any, 0, len(parts))
		for _, p := range parts {
			ps = append(ps, p)
		}
		return path(data(t, sb, tok, "Common_SplitTransactionMutation", map[string]any{"input": map[string]any{
			"transactionId": id, "splitData": ps}}), "updateTransactionSplit").(map[string]any)
	}
	splits := func() []any {
		return path(data(t, sb, tok, "TransactionSplitQuery", map[string]any{"id": id}), "getTransaction", "splitTransactions").([]any)
	}
	summary := func() any {
		return path(data(t, sb, tok, "GetTransactionsPage", nil), "aggregates", 0, "summary", "sum")
	}
	before := summary()

	tests := []struct {
		name      string
		parts     []map[string]any
		wantError bool
		wantParts int
	}{
		{"sum mismatch", []map[string]any{
			{"merchantName": "A", "amount": amount + 5, "categoryId": groceries},
			{"merchantName": "B", "amount": -1.0, "categoryId": shopping}}, true, 0},
		{"unknown category", []map[string]any{
			{"merchantName": "A", "amount": amount + 1, "categoryId": "404"},
			{"merchantName": "B", "amount": -1.0, "categoryId": shopping}}, true, 0},
		{"one part", []map[string]any{{"merchantName": "A", "amount": amount, "categoryId": groceries}}, true, 0},
		{"two parts", []map[string]any{
			{"merchantName": "Food part", "amount": round2(amount + 10), "categoryId": groceries},
			{"merchantName": "", "amount": -10.0, "categoryId": shopping, "notes": "socks"}}, false, 2},
		{"remove", nil, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := split(tt.parts...)
			if (p["errors"] != nil) != tt.wantError {
				t.Fatalf("payload %v", p)
			}
			if tt.wantError && path(p, "errors", "fieldErrors", 0, "field") != "splitData" {
				t.Errorf("error field: %v", p)
			}
			if tt.wantError {
				return
			}
			got := splits()
			if len(got) != tt.wantParts {
				t.Fatalf("%d parts read back, want %d", len(got), tt.wantParts)
			}
			drawer := path(data(t, sb, tok, "GetTransactionDrawer", map[string]any{"id": id}), "getTransaction")
			if path(drawer, "hasSplitTransactions") != (tt.wantParts > 0) {
				t.Errorf("hasSplitTransactions = %v", path(drawer, "hasSplitTransactions"))
			}
			if tt.wantParts == 2 {
				if path(got, 1, "notes") != "socks" || path(got, 1, "category", "id") != shopping || path(got, 0, "merchant", "name") != "Food part" {
					t.Errorf("parts %v", got)
				}
				if path(got, 1, "merchant", "name") == "" {
					t.Error("a part without a merchant name should keep the transaction's")
				}
			}
		})
	}
	if after := summary(); after != before {
		t.Errorf("splitting changed the totals: %v → %v", before, after)
	}
	// Unknown transaction.
	d := data(t, sb, tok, "Common_SplitTransactionMutation", map[string]any{"input": map[string]any{"transactionId": "404", "splitData": []any{}}})
	if path(d, "updateTransactionSplit", "errors", "code") != "NOT_FOUND" {
		t.Errorf("unknown id: %v", d)
	}
	if r := gql(t.Context(), sb, tok, "TransactionSplitQuery", map[string]any{"id": "404"}); r.body["errors"] == nil {
		t.Errorf("split query of unknown id: %s", r.raw)
	}
}
