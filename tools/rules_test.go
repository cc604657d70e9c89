package tools

import (
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// categoryID returns the id of the demo category with name.
func (f *fixture) categoryID(t *testing.T, name string) string {
	t.Helper()
	c, ok := f.categoryNamed(t, name)
	if !ok {
		t.Fatalf("no category %q", name)
	}
	return c.ID
}

func (f *fixture) rules(t *testing.T) rulesResult {
	t.Helper()
	var r rulesResult
	f.decode(t, "get_transaction_rules", nil, &r)
	return r
}

func TestGetTransactionRules(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	r := f.rules(t)
	if r.Count != 2 || r.TotalCount != 2 || r.Truncated || len(r.Rules) != 2 {
		t.Fatalf("seeded rules: %+v", r)
	}
	first := r.Rules[0]
	if first.Order != 0 || first.SetCategory == nil || first.SetCategory.Name != "Coffee Shops" ||
		first.Summary != `if merchant contains "starbucks" → set category Coffee Shops` {
		t.Errorf("first rule %+v", first)
	}
	second := r.Rules[1]
	if second.Amount == nil || second.Amount.Operator != "between" || second.Amount.Type != "expense" || *second.Amount.Min != 100 ||
		!strings.Contains(second.Summary, "expense between 100.00 and 10000.00") || !strings.Contains(second.Summary, "mark needs review") {
		t.Errorf("second rule %+v", second)
	}
}

func TestCreateUpdateDeleteRule(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	groceries, coffee := f.categoryID(t, "Groceries"), f.categoryID(t, "Coffee Shops")

	// Create, applied to existing transactions: Netflix charges move to Groceries.
	var created ruleResult
	f.decode(t, "create_transaction_rule", map[string]any{
		"merchant": "Netflix", "set_category_id": groceries, "amount_operator": "equals", "amount": 15.49, "apply_to_existing": true,
	}, &created)
	r := created.Rule
	if r.ID == "" || r.Order != 2 || len(r.Merchant) != 1 || r.Merchant[0].Value != "netflix" || r.Amount == nil || *r.Amount.Value != 15.49 ||
		r.SetCategory == nil || r.SetCategory.Name != "Groceries" || !created.AppliedToExisting || r.RecentApplications == 0 {
		t.Fatalf("created %+v", created)
	}
	var txns transactionsResult
	f.decode(t, "get_transactions", map[string]any{"search": "Netflix", "limit": 5}, &txns)
	if len(txns.Transactions) == 0 || txns.Transactions[0].Category != "Groceries" {
		t.Errorf("rule not applied to existing transactions: %+v", txns.Transactions)
	}
	if got := f.rules(t); got.Count != 3 {
		t.Errorf("%d rules after create", got.Count)
	}

	// Update: only the given fields change; "" removes the amount criterion.
	var updated ruleResult
	f.decode(t, "update_transaction_rule", map[string]any{"rule_id": r.ID, "set_category_id": coffee, "amount_operator": "", "add_tag_ids": []any{}}, &updated)
	u := updated.Rule
	if u.SetCategory == nil || u.SetCategory.ID != coffee || u.Amount != nil || len(u.Merchant) != 1 || u.Merchant[0].Value != "netflix" ||
		!strings.Contains(updated.Previous, "Groceries") {
		t.Errorf("updated %+v", updated)
	}

	// Delete: a dry run changes nothing; then the rule goes, an unknown id fails alone.
	var dry batchResult
	f.decode(t, "delete_transaction_rule", map[string]any{"rule_ids": []any{r.ID}, "dry_run": true}, &dry)
	if !dry.DryRun || dry.Changed != 1 || dry.Items[0].Status != "would_change" || !strings.Contains(dry.Items[0].Change, "netflix") {
		t.Errorf("dry run %+v", dry)
	}
	if got := f.rules(t); got.Count != 3 {
		t.Fatalf("dry run deleted something: %d rules", got.Count)
	}
	var del batchResult
	f.decode(t, "delete_transaction_rule", map[string]any{"rule_ids": []any{"no-such-rule", r.ID, r.ID}}, &del)
	if del.Changed != 1 || del.Failed != 1 || len(del.Items) != 3 || del.Items[0].Status != "failed" ||
		!strings.Contains(del.Items[0].Error, "get_transaction_rules") || del.Items[1].Status != "changed" || del.Items[2].Status != "unchanged" {
		t.Errorf("delete %+v", del)
	}
	got := f.rules(t)
	for _, x := range got.Rules {
		if x.ID == r.ID {
			t.Error("deleted rule still listed")
		}
	}
	if got.Count != 2 {
		t.Errorf("%d rules after delete", got.Count)
	}
}

func TestRuleToolFailures(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	demo := f.rules(t).Rules
	first, second := demo[0].ID, demo[1].ID
	ids := make([]any, maxBatch+1)
	for i := range ids {
		ids[i] = "x"
	}
	argTests := []struct {
		tool string
		args map[string]any
		want string
	}{
		{"create_transaction_rule", map[string]any{"set_category_id": "c"}, "needs at least one criterion"},
		{"create_transaction_rule", map[string]any{"merchant": "x"}, "needs at least one action"},
		{"create_transaction_rule", map[string]any{"merchant": "x", "merchant_operator": "starts", "set_category_id": "c"}, "merchant_operator must be"},
		{"create_transaction_rule", map[string]any{"merchant_operator": "equals", "set_category_id": "c"}, "merchant is required"},
		{"create_transaction_rule", map[string]any{"amount_operator": "between", "amount_min": 5, "set_category_id": "c"}, "amount_min and amount_max are required"},
		{"create_transaction_rule", map[string]any{"amount_operator": "between", "amount_min": 9, "amount_max": 5, "set_category_id": "c"}, "is more than amount_max"},
		{"create_transaction_rule", map[string]any{"amount_operator": "equals", "amount": -3, "set_category_id": "c"}, "amount must be a positive amount"},
		{"create_transaction_rule", map[string]any{"amount": 3, "set_category_id": "c"}, "amount_operator is required"},
		{"create_transaction_rule", map[string]any{"merchant": "x", "review_status": "done"}, "review_status must be"},
		{"create_transaction_rule", map[string]any{"merchant": "x", "add_tag_ids": []any{""}}, "add_tag_ids has an empty id"},
		{"update_transaction_rule", map[string]any{"rule_id": first}, "nothing to change"},
		{"update_transaction_rule", map[string]any{"set_category_id": "c"}, "rule_id is required"},
		{"delete_transaction_rule", map[string]any{"rule_ids": []any{}}, "rule_ids must hold at least one item"},
		{"delete_transaction_rule", map[string]any{"rule_ids": ids}, "at most 100 per call"},
	}
	before := f.sb.Requests("")
	for _, tt := range argTests {
		res := callTool(t, f.mcp, tt.tool, tt.args)
		if !res.IsError || !strings.Contains(textOf(res), tt.want) {
			t.Errorf("%s %v: got %q, want an error containing %q", tt.tool, tt.args, textOf(res), tt.want)
		}
	}
	if n := f.sb.Requests("") - before; n != 0 {
		t.Errorf("invalid arguments reached Monarch (%d requests)", n)
	}

	// Failures only Monarch (or the current rule) can tell.
	for _, tt := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"update_transaction_rule", map[string]any{"rule_id": "no-such-rule", "set_merchant_name": "x"}, "no-such-rule"},
		{"update_transaction_rule", map[string]any{"rule_id": first, "set_category_id": ""}, "needs at least one action"},
		{"create_transaction_rule", map[string]any{"merchant": "x", "set_category_id": "no-such-category"}, "no-such-category"},
		// The second demo rule compares amounts "between": a lone amount
		// (an "equals" value) would be silently dropped.
		{"update_transaction_rule", map[string]any{"rule_id": second, "amount": 5}, "goes with amount_operator \"equals\""},
	} {
		res := callTool(t, f.mcp, tt.tool, tt.args)
		if !res.IsError || !strings.Contains(textOf(res), tt.want) {
			t.Errorf("%s %v: got %q, want an error containing %q", tt.tool, tt.args, textOf(res), tt.want)
		}
	}
	if f.rules(t).Count != 2 {
		t.Error("a failed call changed the rules")
	}
}
