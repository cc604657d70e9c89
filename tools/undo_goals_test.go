package tools

import (
	"slices"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// goalsWhere observes the goals match selects, as the client reads them
// (linked accounts told from leftover funds). keepID false leaves out what
// a recreated goal does not keep: its id and place in the goal order. An
// unlinked account whose money all went back is left out: that the money
// moved stays in the goal's history, as the undo's caveat says.
func (f *fixture) goalsWhere(t *testing.T, keepID bool, match func(monarch.Goal) bool) func() any {
	f.decode(t, "get_goals", nil, &goalsResult{}) // logs in
	return func() any {
		t.Helper()
		m, err := f.client.GetGoalModel(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		gs, err := f.client.GetGoals(t.Context(), m)
		if err != nil {
			t.Fatal(err)
		}
		out := []monarch.Goal{}
		for _, g := range gs {
			if match(g) {
				if !keepID {
					g.ID, g.Priority = "", 0
				}
				g.Accounts = slices.DeleteFunc(g.Accounts, func(a monarch.GoalAccount) bool {
					return !a.Linked && (a.Amount == nil || *a.Amount == 0)
				})
				out = append(out, g)
			}
		}
		return out
	}
}

func goalNamed(name string) func(monarch.Goal) bool {
	return func(g monarch.Goal) bool { return g.Name == name }
}

func goalWithID(id string) func(monarch.Goal) bool {
	return func(g monarch.Goal) bool { return g.ID == id }
}

// accountsWhere observes the accounts match selects, without what changes
// by itself (updatedAt) and, unless keepID, without ids.
func (f *fixture) accountsWhere(t *testing.T, keepID bool, match func(monarch.Account) bool) func() any {
	f.decode(t, "get_accounts", nil, &accountsResult{}) // logs in
	return func() any {
		t.Helper()
		accts, err := f.client.GetAccounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		out := []accountDetail{}
		for _, a := range accts {
			if match(a) {
				d := shapeAccountDetail(a)
				d.UpdatedAt = ""
				if !keepID {
					d.ID = ""
				}
				out = append(out, d)
			}
		}
		return out
	}
}

// txnsOfAccountNamed observes the transactions of the account named name,
// in a stable order, without what a recreated transaction does not keep:
// ids (its own and its account's) and the bank's details.
func (f *fixture) txnsOfAccountNamed(t *testing.T, name string) func() any {
	return func() any {
		t.Helper()
		accts, err := f.client.GetAccounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(accts, func(a monarch.Account) bool { return a.DisplayName == name })
		if i < 0 {
			return []string{}
		}
		p, err := f.client.GetTransactions(t.Context(), monarch.TransactionQuery{AccountIDs: []string{accts[i].ID}, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, x := range p.Transactions {
			s := shapeTransaction(x)
			s.ID, s.AccountID, s.Statement, s.Recurring = "", "", "", false
			slices.Sort(s.Tags)
			out = append(out, jsonOf(t, s))
		}
		slices.Sort(out)
		return out
	}
}

// demoGoal returns the id of the demo goal named name and of the account
// funding it.
func (f *fixture) demoGoal(t *testing.T, name string) (goalID, accountID string) {
	t.Helper()
	g := f.goal(t, name)
	return g.ID, g.LinkedAccounts[0].AccountID
}

// otherAccount returns the id of an account other than not.
func (f *fixture) otherAccount(t *testing.T, not string) string {
	t.Helper()
	var res accountsResult
	f.decode(t, "get_accounts", nil, &res)
	return otherID(t, res.Accounts, func(a account) string { return a.ID }, not)
}

func TestUndoGoalWrites(t *testing.T) {
	v2 := func(f *fixture) { f.sb.SetSavingsGoals(false) }
	savings := func(*fixture) {}
	createCase := func(setup func(*fixture)) undoCase {
		return undoCase{tool: "create_goal", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			setup(f)
			return map[string]any{"name": "Undo boat", "type": "vacation", "target_amount": 5000, "monthly_contribution": 50},
				f.goalsWhere(t, false, goalNamed("Undo boat"))
		}}
	}
	runUndoCases(t, []undoCase{
		createCase(savings),
		createCase(v2),
		{tool: "update_goal", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id, ally := f.demoGoal(t, "Vacation")
			return map[string]any{"goal_id": id, "name": "Trip", "target_amount": 6000, "target_date": "2031-05-01", "monthly_contribution": 75,
				"link_account_ids": []any{f.otherAccount(t, ally)}, "unlink_account_ids": []any{ally}}, f.goalsWhere(t, true, goalWithID(id))
		}},
		{tool: "update_goal", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			// A goal without target or date gets both: undo unsets them.
			id := f.newGoal(t)
			return map[string]any{"goal_id": id, "target_amount": 800, "target_date": "2030-01-01"}, f.goalsWhere(t, true, goalWithID(id))
		}},
		{tool: "update_goal", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			v2(f)
			id, ally := f.demoGoal(t, "Vacation")
			return map[string]any{"goal_id": id, "name": "Trip", "target_amount": 6000, "monthly_contribution": 75,
				"link_account_ids": []any{f.otherAccount(t, ally)}}, f.goalsWhere(t, true, goalWithID(id))
		}},
		{tool: "delete_goal", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id, _ := f.demoGoal(t, "Emergency fund")
			return map[string]any{"goal_id": id}, f.goalsWhere(t, false, goalNamed("Emergency fund"))
		}},
		{tool: "delete_goal", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			// Money from an account no longer linked comes back too, from
			// that account, which stays unlinked.
			id, ally := f.demoGoal(t, "Vacation")
			f.decode(t, "update_goal", map[string]any{"goal_id": id, "link_account_ids": []any{f.otherAccount(t, ally)},
				"unlink_account_ids": []any{ally}}, &goalResult{})
			return map[string]any{"goal_id": id}, f.goalsWhere(t, false, goalNamed("Vacation"))
		}},
		{tool: "contribute_to_goal", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id, ally := f.demoGoal(t, "Vacation")
			return map[string]any{"goal_id": id, "account_id": ally, "amount": 125.5}, f.goalsWhere(t, true, goalWithID(id))
		}},
		{tool: "contribute_to_goal", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			// From an account not linked yet: the contribution links it, and
			// undo unlinks it again.
			id, ally := f.demoGoal(t, "Vacation")
			return map[string]any{"goal_id": id, "account_id": f.otherAccount(t, ally), "amount": 40}, f.goalsWhere(t, true, goalWithID(id))
		}},
		{tool: "withdraw_from_goal", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id, ally := f.demoGoal(t, "Emergency fund")
			return map[string]any{"goal_id": id, "account_id": ally, "amount": 14500}, f.goalsWhere(t, true, goalWithID(id))
		}},
	})
}

func TestUndoManualAccountWrites(t *testing.T) {
	runUndoCases(t, []undoCase{
		{tool: "create_manual_account", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			return map[string]any{"name": "Undo house", "type": "real_estate", "subtype": "primary_home", "starting_balance": 450000,
				"include_in_net_worth": false}, f.accountsWhere(t, false, func(a monarch.Account) bool { return a.DisplayName == "Undo house" })
		}},
		{tool: "update_account", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id := f.newManualAccount(t)
			return map[string]any{"account_id": id, "name": "Undo yacht", "balance": 12000, "type": "other_asset", "subtype": "other",
					"hide_from_list": true, "include_in_net_worth": false, "hide_transactions_from_reports": true},
				f.accountsWhere(t, true, func(a monarch.Account) bool { return a.ID == id })
		}},
		{tool: "update_account", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id := f.anyAccount(t) // synced: no balance, but its settings
			return map[string]any{"account_id": id, "name": "Undo checking", "hide_transactions_from_reports": true},
				f.accountsWhere(t, true, func(a monarch.Account) bool { return a.ID == id })
		}},
		{tool: "delete_account", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			// A manual account with transactions, hidden, out of net worth:
			// it comes back with all of them.
			var res accountResult
			f.decode(t, "create_manual_account", map[string]any{"name": "Undo cash", "type": "depository", "subtype": "checking",
				"starting_balance": 321.5, "include_in_net_worth": false}, &res)
			id := res.Account.ID
			f.decode(t, "update_account", map[string]any{"account_id": id, "hide_from_list": true, "hide_transactions_from_reports": true}, &updateAccountResult{})
			for _, m := range []string{"Undo Kiosk", "Undo Market"} {
				var w writeResult
				f.decode(t, "create_transaction", map[string]any{"date": f.clock.Now().Format("2006-01-02"), "account_id": id,
					"amount": -3.75, "merchant": m, "category_id": f.anyCategory(t), "notes": "cash"}, &w)
				f.decode(t, "set_transaction_tags", map[string]any{"transaction_id": w.Transaction.ID, "tag_ids": []any{f.newTag(t)}}, &setTagsResult{})
			}
			acct := f.accountsWhere(t, false, func(a monarch.Account) bool { return a.DisplayName == "Undo cash" })
			txns := f.txnsOfAccountNamed(t, "Undo cash")
			return map[string]any{"account_id": id}, func() any { return []any{acct(), txns()} }
		}},
	})
}

// TestUndoDeleteSyncedAccount: a synced account comes back as a manual one
// with its name, type, balance, settings and transactions, and the change
// said so before it was made.
func TestUndoDeleteSyncedAccount(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	id := f.anyAccount(t)
	before, ok := f.listedAccount(t, id)
	if !ok {
		t.Fatal("no account")
	}
	var name string
	for _, a := range must(f.client.GetAccounts(t.Context())) {
		if a.ID == id {
			name = a.DisplayName
		}
	}
	txns := f.txnsOfAccountNamed(t, name)
	wantTxns := jsonOf(t, txns())
	var dry deleteAccountResult
	f.decode(t, "delete_account", map[string]any{"account_id": id, "dry_run": true}, &dry)
	if dry.Change == nil || dry.Change.ID != "" || dry.Change.Undo != "partial" || !strings.Contains(dry.Change.Caveat, "not reconnected") {
		t.Fatalf("dry run's change note: %+v", dry.Change)
	}
	var w deleteAccountResult
	f.decode(t, "delete_account", map[string]any{"account_id": id}, &w)
	if !w.Deleted || w.TransactionsDeleted == 0 {
		t.Fatalf("delete: %+v", w)
	}
	u := f.undo(t, w.Change.ID)
	var back accountDetail
	for _, a := range must(f.client.GetAccounts(t.Context())) {
		if a.DisplayName == name {
			back = shapeAccountDetail(a)
		}
	}
	if back.ID == "" || back.ID == id || !back.IsManual || back.Balance != before.Balance || back.TransactionsCount != w.TransactionsDeleted {
		t.Errorf("account after undo: %+v (before %+v); undo %s", back, before, jsonOf(t, u))
	}
	if got := jsonOf(t, txns()); got != wantTxns {
		t.Errorf("transactions after undo differ:\n got  %s\n want %s", got, wantTxns)
	}
}

// TestUndoGoalChangedSince: a contribution is not taken back over a later
// movement of the goal's money unless overwrite is given; then the goal's
// balance by account is what it was before the contribution.
func TestUndoGoalChangedSince(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	id, ally := f.demoGoal(t, "Vacation")
	observe := f.goalsWhere(t, true, goalWithID(id))
	before := jsonOf(t, observe())
	var w goalTransferResult
	f.decode(t, "contribute_to_goal", map[string]any{"goal_id": id, "account_id": ally, "amount": 10}, &w)
	if _, err := f.client.ContributeToGoal(t.Context(), monarch.GoalTransfer{GoalID: id, AccountID: ally, Amount: 5}); err != nil {
		t.Fatal(err)
	}
	var u undoResult
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{w.Change.ID}, "dry_run": false}, &u)
	if u.Skipped != 1 || u.Restored != 0 || !strings.Contains(u.Changes[0].Objects[0].Reason, "changed again since (funds)") {
		t.Fatalf("undo over a later contribution: %s", jsonOf(t, u))
	}
	if g := f.goal(t, "Vacation"); g.Balance != 1315 {
		t.Fatalf("balance %.2f after a skipped undo, want 1315", g.Balance)
	}
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{w.Change.ID}, "dry_run": false, "overwrite": true}, &u)
	if got := jsonOf(t, observe()); u.Restored != 1 || got != before {
		t.Fatalf("overwrite: %s\n got  %s\n want %s", jsonOf(t, u), got, before)
	}
}

// TestUndoCreatedAccountInUse: undo does not delete a created account that
// has had transactions added since, unless overwrite is given.
func TestUndoCreatedAccountInUse(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var c accountResult
	f.decode(t, "create_manual_account", map[string]any{"name": "Undo wallet", "type": "depository", "subtype": "checking"}, &c)
	if _, err := f.client.CreateTransaction(t.Context(), monarch.NewTransaction{Date: f.clock.Now().Format("2006-01-02"), AccountID: c.Account.ID,
		Amount: -2, MerchantName: "Undo Kiosk", CategoryID: f.anyCategory(t)}); err != nil {
		t.Fatal(err)
	}
	var u undoResult
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{c.Change.ID}, "dry_run": false}, &u)
	if u.Skipped != 1 || !strings.Contains(u.Changes[0].Objects[0].Reason, "transactions_count") {
		t.Fatalf("undo of a created account in use: %s", jsonOf(t, u))
	}
	if _, ok := f.listedAccount(t, c.Account.ID); !ok {
		t.Fatal("the account was deleted")
	}
}
