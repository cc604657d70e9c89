package tools

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// Undo of the rule, budget, recurring-stream, split and balance-history
// writes.

// rulesSeen observes every rule without what an undo cannot keep: its id,
// its place in the order, and its application history.
func (f *fixture) rulesSeen(t *testing.T) func() any {
	return func() any {
		t.Helper()
		var res rulesResult
		f.decode(t, "get_transaction_rules", nil, &res)
		out := make([]string, 0, len(res.Rules))
		for _, r := range res.Rules {
			r.ID, r.Order, r.RecentApplications, r.LastAppliedAt = "", 0, 0, ""
			out = append(out, jsonOf(t, r))
		}
		slices.Sort(out)
		return out
	}
}

// newRule creates a rule through the tool and returns its id.
func (f *fixture) newRule(t *testing.T, merchant string) string {
	t.Helper()
	var r ruleResult
	f.decode(t, "create_transaction_rule", map[string]any{"merchant": merchant, "set_category_id": f.anyCategory(t)}, &r)
	if r.Rule.ID == "" {
		t.Fatalf("create_transaction_rule: %+v", r)
	}
	return r.Rule.ID
}

// budgetsSeen observes the planned amounts of lines over n months from
// month.
func (f *fixture) budgetsSeen(t *testing.T, month time.Time, n int, lines ...string) func() any {
	return func() any {
		t.Helper()
		b, err := f.client.GetBudgets(t.Context(), month.Format(dateLayout), month.AddDate(0, n-1, 0).Format(dateLayout))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]float64{}
		add := func(id string, ms []monarch.BudgetAmounts) {
			if slices.Contains(lines, id) {
				for _, m := range ms {
					out[id] = append(out[id], round2(m.Planned))
				}
			}
		}
		for _, l := range b.Categories {
			add(l.CategoryID, l.Months)
		}
		for _, l := range b.Groups {
			add(l.GroupID, l.Months)
		}
		return out
	}
}

// splitsSeen observes a transaction's parts without their ids.
func (f *fixture) splitsSeen(t *testing.T, id string) func() any {
	return func() any {
		t.Helper()
		var res splitsResult
		f.decode(t, "get_transaction_splits", map[string]any{"transaction_id": id}, &res)
		for i := range res.Splits {
			res.Splits[i].ID = ""
		}
		return res.Splits
	}
}

// streamsSeen observes every recurring stream's review status.
func (f *fixture) streamsSeen(t *testing.T) func() any {
	return func() any {
		t.Helper()
		ss, err := f.client.GetRecurringStreams(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, s := range ss {
			out[s.ID] = s.ReviewStatus
		}
		return out
	}
}

// twoCategoryGroup returns an expense group with at least two categories
// and their ids.
func (f *fixture) twoCategoryGroup(t *testing.T) (string, []string) {
	t.Helper()
	var res categoryGroupsResult
	f.decode(t, "get_category_groups", nil, &res)
	for _, g := range res.Groups {
		if g.Type == "expense" && len(g.Categories) >= 2 {
			var ids []string
			for _, c := range g.Categories {
				ids = append(ids, c.ID)
			}
			return g.ID, ids
		}
	}
	t.Fatal("no expense group with two categories")
	return "", nil
}

// splitArgs splits id's amount into two parts of two categories.
func (f *fixture) splitArgs(t *testing.T, id string, notes string) []any {
	t.Helper()
	var s splitsResult
	f.decode(t, "get_transaction_splits", map[string]any{"transaction_id": id}, &s)
	first := round2(s.Amount / 3)
	a := f.anyCategory(t)
	return []any{
		map[string]any{"amount": first, "category_id": a, "notes": notes},
		map[string]any{"amount": round2(s.Amount - first), "category_id": f.otherCategory(t, a), "merchant": "Part Two"},
	}
}

func TestUndoRulesWrites(t *testing.T) {
	runUndoCases(t, []undoCase{
		{tool: "create_transaction_rule", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			return map[string]any{"merchant": "Undo Shop", "amount_operator": "equals", "amount": 12.5, "set_category_id": f.anyCategory(t),
				"add_tag_ids": []any{f.newTag(t)}}, f.rulesSeen(t)
		}},
		{tool: "update_transaction_rule", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id := f.newRule(t, "Undo Shop")
			return map[string]any{"rule_id": id, "merchant": "Other Shop", "merchant_operator": "equals", "match_original_statement": true,
				"amount_operator": "between", "amount_min": 5, "amount_max": 50, "amount_type": "income",
				"category_ids": []any{f.anyCategory(t)}, "account_ids": []any{f.anyAccount(t)},
				"set_category_id": f.otherCategory(t, f.anyCategory(t)), "set_merchant_name": "Renamed Shop",
				"add_tag_ids": []any{f.newTag(t), f.newTag(t)}, "hide_from_reports": true, "review_status": "needs_review"}, f.rulesSeen(t)
		}},
		{tool: "delete_transaction_rule", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			var rules rulesResult
			f.decode(t, "get_transaction_rules", nil, &rules)
			// Both seeded rules: one with an amount range and a review
			// action, one applied before (its history is not kept).
			ids := []any{}
			for _, r := range rules.Rules {
				ids = append(ids, r.ID)
			}
			return map[string]any{"rule_ids": ids}, f.rulesSeen(t)
		}},
		{tool: "set_budget_amount", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			cat := f.anyCategory(t)
			m := startOfMonth(f.clock.Now())
			return map[string]any{"category_id": cat, "amount": 321.5}, f.budgetsSeen(t, m, 3, cat)
		}},
		{tool: "set_budget_amount", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			// A group whose categories differ, some months apart: undo
			// must put each category's own amount back, not an even share.
			group, cats := f.twoCategoryGroup(t)
			m := startOfMonth(f.clock.Now()).AddDate(0, 1, 0)
			if err := f.client.SetBudgetAmount(t.Context(), monarch.BudgetUpdate{CategoryID: cats[0], Month: m.Format(dateLayout), Amount: 77, ApplyToFuture: true}); err != nil {
				t.Fatal(err)
			}
			if err := f.client.SetBudgetAmount(t.Context(), monarch.BudgetUpdate{CategoryID: cats[1], Month: m.AddDate(0, 5, 0).Format(dateLayout), Amount: 13}); err != nil {
				t.Fatal(err)
			}
			return map[string]any{"category_group_id": group, "amount": 900, "month": m.Format(monthLayout), "apply_to_future": true},
				f.budgetsSeen(t, m, budgetUndoMonths, append([]string{group}, cats...)...)
		}},
		{tool: "review_recurring_stream", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			return map[string]any{"stream_id": f.streamID(t, "comcast"), "review_status": "ignored"}, f.streamsSeen(t)
		}},
		{tool: "split_transaction", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id := f.newTxnAt(t, "Undo Cafe")
			return map[string]any{"transaction_id": id, "splits": f.splitArgs(t, id, "part one")}, f.splitsSeen(t, id)
		}},
		{tool: "split_transaction", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			// Already split: undo puts the earlier parts back.
			id := f.newTxnAt(t, "Undo Cafe")
			f.decode(t, "split_transaction", map[string]any{"transaction_id": id, "splits": f.splitArgs(t, id, "first split")}, &splitTransactionResult{})
			return map[string]any{"transaction_id": id, "splits": []any{}}, f.splitsSeen(t, id)
		}},
	})
}

// TestUndoLevelsPerCall: options that change more than undo restores say
// so before the write, dry runs included.
func TestUndoLevelsPerCall(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	rule := f.newRule(t, "Undo Shop")
	tests := []struct {
		tool   string
		args   map[string]any
		level  undoLevel
		caveat string
	}{
		{"create_transaction_rule", map[string]any{"merchant": "Undo Deli", "set_category_id": f.anyCategory(t)}, undoFull, ""},
		{"create_transaction_rule", map[string]any{"merchant": "Undo Deli", "set_category_id": f.anyCategory(t), "apply_to_existing": true},
			undoPartial, "transactions the rule changed when applied to existing ones (apply_to_existing) stay changed"},
		{"update_transaction_rule", map[string]any{"rule_id": rule, "hide_from_reports": true, "apply_to_existing": true},
			undoPartial, "undo puts the rule's criteria and actions back; transactions the rule changed"},
		{"set_budget_amount", map[string]any{"category_id": f.anyCategory(t), "amount": 10, "month": "2026-01", "dry_run": true}, undoFull, ""},
		{"set_budget_amount", map[string]any{"category_id": f.anyCategory(t), "amount": 10, "month": "2026-01", "apply_to_future": true, "dry_run": true},
			undoPartial, "undo restores 2026-01 through 2027-12; months after that keep the new amount"},
		{"delete_transaction_rule", map[string]any{"rule_ids": []any{rule}, "dry_run": true}, undoPartial, "new id; it goes last in the rule order"},
		{"split_transaction", map[string]any{"transaction_id": f.newTxnAt(t, "Undo Cafe"), "splits": []any{}, "dry_run": true}, undoPartial, "as parts with new ids"},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			var w struct {
				DryRun bool        `json:"dry_run"`
				Change *changeNote `json:"change"`
			}
			f.decode(t, tt.tool, tt.args, &w)
			if w.Change == nil || w.Change.Undo != string(tt.level) || !strings.Contains(w.Change.Caveat, tt.caveat) || (tt.caveat == "") != (w.Change.Caveat == "") {
				t.Errorf("change %+v; want undo %s, caveat with %q", w.Change, tt.level, tt.caveat)
			}
			// A dry run is not recorded: it has no change id.
			if w.DryRun != (w.Change != nil && w.Change.ID == "") {
				t.Errorf("dry_run %v but change id %q", w.DryRun, w.Change.ID)
			}
		})
	}
}

// TestUndoBalanceUploadIsRefused: an upload is listed in the history, and
// undo_changes says it cannot be undone and changes nothing.
func TestUndoBalanceUploadIsRefused(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	acct := f.checkingID(t)
	day := f.clock.Now().AddDate(0, 0, -3).Format(dateLayout)
	was := f.balanceOn(t, acct, day)
	var w uploadBalanceResult
	f.decode(t, "upload_account_balance_history", map[string]any{"account_id": acct, "csv": day + ",4321.5"}, &w)
	if w.Change == nil || w.Change.ID == "" || w.Change.Undo != "none" || w.Change.Caveat != "a balance-history upload cannot be taken back" {
		t.Fatalf("upload change: %+v", w.Change)
	}
	var h historyResult
	f.decode(t, "get_change_history", map[string]any{"change_id": w.Change.ID}, &h)
	if c := h.Changes[0]; c.Undo != "none" || c.Changed != 1 || c.Details[0].Before[day] != was || c.Details[0].After[day] != 4321.5 {
		t.Errorf("history: %s", jsonOf(t, h))
	}
	for _, dry := range []bool{true, false} {
		var u undoResult
		f.decode(t, "undo_changes", map[string]any{"change_ids": []any{w.Change.ID}, "dry_run": dry}, &u)
		if u.Restored != 0 || u.Skipped != 1 || u.Changes[0].Status != "skipped" || u.Change != nil ||
			!strings.Contains(u.Changes[0].Objects[0].Reason, "this change cannot be undone: a balance-history upload cannot be taken back") {
			t.Errorf("undo (dry_run %v): %s", dry, jsonOf(t, u))
		}
	}
	if got := f.balanceOn(t, acct, day); got != 4321.5 {
		t.Errorf("balance %v after a refused undo", got)
	}
}

// TestUndoSkipsRuleAndStreamChangedSince: a rule or stream changed again
// after the change is left alone unless overwrite is given.
func TestUndoSkipsRuleAndStreamChangedSince(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	rule := f.newRule(t, "Undo Shop")
	stream := f.streamID(t, "comcast")
	var w1 ruleResult
	f.decode(t, "update_transaction_rule", map[string]any{"rule_id": rule, "hide_from_reports": true}, &w1)
	var w2 reviewStreamResult
	f.decode(t, "review_recurring_stream", map[string]any{"stream_id": stream, "review_status": "ignored"}, &w2)
	// The user changes both again.
	f.decode(t, "update_transaction_rule", map[string]any{"rule_id": rule, "review_status": "reviewed"}, &ruleResult{})
	if _, err := f.client.ReviewRecurringStream(t.Context(), stream, "pending"); err != nil {
		t.Fatal(err)
	}
	ids := []any{w1.Change.ID, w2.Change.ID}
	var u undoResult
	f.decode(t, "undo_changes", map[string]any{"change_ids": ids, "dry_run": false}, &u)
	if u.Restored != 0 || u.Skipped != 2 || !strings.Contains(jsonOf(t, u), "changed again since (review_status)") {
		t.Fatalf("undo over later changes: %s", jsonOf(t, u))
	}
	f.decode(t, "undo_changes", map[string]any{"change_ids": ids, "dry_run": false, "overwrite": true}, &u)
	if u.Restored != 2 || u.Failed != 0 {
		t.Fatalf("overwrite: %s", jsonOf(t, u))
	}
	r, err := f.findRuleFor(t, rule)
	if err != nil || r.HideFromReports || r.ReviewStatus != "" {
		t.Errorf("rule after overwrite: %+v %v", r, err)
	}
	if got := f.streamsSeen(t)().(map[string]string)[stream]; got != "approved" {
		t.Errorf("stream %s after overwrite", got)
	}
}

func (f *fixture) findRuleFor(t *testing.T, id string) (transactionRule, error) {
	t.Helper()
	var res rulesResult
	f.decode(t, "get_transaction_rules", nil, &res)
	for _, r := range res.Rules {
		if r.ID == id {
			return r, nil
		}
	}
	return transactionRule{}, ruleNotFound(id)
}

// TestUndoDeletedRuleLeavesOthers: undoing a deletion that named an
// unknown id and one rule twice brings back exactly the deleted rule.
func TestUndoDeletedRuleLeavesOthers(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	keep, gone := f.newRule(t, "Undo Keep"), f.newRule(t, "Undo Gone")
	observe := f.rulesSeen(t)
	before := jsonOf(t, observe())
	var w deleteRulesResult
	f.decode(t, "delete_transaction_rule", map[string]any{"rule_ids": []any{gone, "no-such-rule", gone}}, &w)
	if w.Changed != 1 || w.Failed != 1 {
		t.Fatalf("delete: %s", jsonOf(t, w))
	}
	u := f.undo(t, w.Change.ID)
	var back []undoneThing
	for _, o := range u.Changes[0].Objects {
		if o.Action == "recreate" {
			back = append(back, o)
		}
	}
	if u.Restored != 1 || len(back) != 1 || back[0].ID != gone || back[0].NewID == "" || !strings.Contains(back[0].Reason, "last in the rule order") {
		t.Errorf("undo: %s", jsonOf(t, u))
	}
	if got := jsonOf(t, observe()); got != before {
		t.Errorf("after undo:\n got  %s\n want %s", got, before)
	}
	if _, err := f.findRuleFor(t, keep); err != nil {
		t.Error(err)
	}
}

// TestUndoBudgetForLaterMonths: undo of a budget set for every later month
// restores the months its caveat names and leaves the ones after them, as
// the caveat says.
func TestUndoBudgetForLaterMonths(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	cat := f.anyCategory(t)
	m := startOfMonth(f.clock.Now())
	observe := f.budgetsSeen(t, m, budgetUndoMonths+1, cat)
	before := observe().(map[string][]float64)[cat]
	var w setBudgetResult
	f.decode(t, "set_budget_amount", map[string]any{"category_id": cat, "amount": 555, "apply_to_future": true}, &w)
	last := m.AddDate(0, budgetUndoMonths-1, 0).Format(monthLayout)
	if w.Change == nil || w.Change.Undo != "partial" || !strings.Contains(w.Change.Caveat, "through "+last) {
		t.Fatalf("change %+v", w.Change)
	}
	f.undo(t, w.Change.ID)
	got := observe().(map[string][]float64)[cat]
	if !slices.Equal(got[:budgetUndoMonths], before[:budgetUndoMonths]) || got[budgetUndoMonths] != 555 {
		t.Errorf("after undo: %v; before the change: %v", got, before)
	}
}
