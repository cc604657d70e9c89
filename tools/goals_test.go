package tools

import (
	"fmt"
	"slices"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// goal returns the demo goal named name, as get_goals lists it.
func (f *fixture) goal(t *testing.T, name string) goalOut {
	t.Helper()
	var r goalsResult
	f.decode(t, "get_goals", nil, &r)
	for _, g := range r.Goals {
		if g.Name == name {
			return g
		}
	}
	t.Fatalf("no goal named %s in %+v", name, r.Goals)
	return goalOut{}
}

// newGoal creates a goal for delete_goal to remove and returns its id.
func (f *fixture) newGoal(t *testing.T) string {
	t.Helper()
	var r goalResult
	f.decode(t, "create_goal", map[string]any{"name": "Goal " + uniqueName()}, &r)
	return r.Goal.ID
}

// goalTransferArgs moves amount between the named goal and the account
// that already funds it.
func (f *fixture) goalTransferArgs(t *testing.T, name string, amount float64) map[string]any {
	t.Helper()
	g := f.goal(t, name)
	return map[string]any{"goal_id": g.ID, "account_id": g.LinkedAccounts[0].AccountID, "amount": amount}
}

func goalNames(r goalsResult) []string {
	var names []string
	for _, g := range r.Goals {
		names = append(names, g.Name)
	}
	return names
}

// TestGoalsBothModels runs every goal tool on a household of each goal
// model: reads, writes visible in later reads, and what only savings goals
// can do refused clearly on the older model.
func TestGoalsBothModels(t *testing.T) {
	for _, tc := range []struct {
		model    string
		migrated bool
	}{{"savings_goals", true}, {"goals_v2", false}} {
		t.Run(tc.model, func(t *testing.T) {
			f := newFixture(t, Options{}, sandbox.Options{})
			f.sb.SetSavingsGoals(tc.migrated)
			var r goalsResult
			f.decode(t, "get_goals", nil, &r)
			if r.Model != tc.model || r.Count != 2 || !slices.Equal(goalNames(r), []string{"Emergency fund", "Vacation"}) {
				t.Fatalf("get_goals: %+v", r)
			}
			ef := r.Goals[0]
			if ef.TargetAmount == nil || *ef.TargetAmount != 20000 || ef.Balance != 14500 || ef.ProgressPercent == nil || *ef.ProgressPercent != 72.5 ||
				ef.MonthlyContribution == nil || *ef.MonthlyContribution != 500 || len(ef.LinkedAccounts) != 1 ||
				ef.LinkedAccounts[0].Name != "Ally Online Savings" || ef.Status == "" {
				t.Errorf("Emergency fund: %+v", ef)
			}
			ally := ef.LinkedAccounts[0].AccountID
			var accts accountsResult
			f.decode(t, "get_accounts", nil, &accts)
			checking := accts.Accounts[0].ID

			// Create, then change it: both visible in get_goals.
			var c goalResult
			f.decode(t, "create_goal", map[string]any{"name": " Car ", "type": "vacation", "target_amount": 3000, "monthly_contribution": 100}, &c)
			// Older goals take an objective, not a type: only savings goals keep it.
			if c.Model != tc.model || c.Goal.Name != "Car" || (tc.migrated && c.Goal.Type != "vacation") || *c.Goal.TargetAmount != 3000 {
				t.Errorf("create_goal: %+v", c)
			}
			var u goalResult
			f.decode(t, "update_goal", map[string]any{"goal_id": c.Goal.ID, "name": "New car", "target_amount": 3500, "link_account_ids": []any{checking}}, &u)
			if u.Goal.Name != "New car" || *u.Goal.TargetAmount != 3500 || len(u.Goal.LinkedAccounts) != 1 || u.Goal.LinkedAccounts[0].AccountID != checking {
				t.Errorf("update_goal: %+v", u.Goal)
			}
			if g := f.goal(t, "New car"); len(g.LinkedAccounts) != 1 {
				t.Errorf("update not visible: %+v", g)
			}

			// Delete: the dry run changes nothing.
			var dr deleteGoalResult
			f.decode(t, "delete_goal", map[string]any{"goal_id": c.Goal.ID, "dry_run": true}, &dr)
			// Linking funds an older goal with the account's balance; a savings
			// goal only from contributions.
			want := fmt.Sprintf(`delete goal "New car" (balance %.2f of 3500.00, 1 linked account(s))`, u.Goal.Balance)
			if !dr.DryRun || dr.Deleted || dr.What != want || (tc.migrated && u.Goal.Balance != 0) {
				t.Errorf("dry run: %+v", dr)
			}
			f.decode(t, "get_goals", nil, &r)
			if r.Count != 3 {
				t.Fatalf("dry run deleted the goal: %v", goalNames(r))
			}
			f.decode(t, "delete_goal", map[string]any{"goal_id": c.Goal.ID}, &dr)
			f.decode(t, "get_goals", nil, &r)
			if !dr.Deleted || r.Count != 2 {
				t.Errorf("delete: %+v, goals %v", dr, goalNames(r))
			}

			args := map[string]any{"goal_id": ef.ID, "account_id": ally, "amount": 100}
			if !tc.migrated {
				f.wantError(t, "contribute_to_goal", args, "older goals model")
				f.wantError(t, "withdraw_from_goal", args, "older goals model")
				f.wantError(t, "create_goal", map[string]any{"name": "Trip", "target_date": "2027-01-01"}, "no target date")
				f.wantError(t, "update_goal", map[string]any{"goal_id": ef.ID, "target_date": "2027-01-01"}, "no target date")
				return
			}
			var tr goalTransferResult
			f.decode(t, "contribute_to_goal", args, &tr)
			today := f.clock.Now().Format(dateLayout)
			if tr.Previous != 14500 || tr.Goal.Balance != 14600 || tr.Date != today {
				t.Errorf("contribute_to_goal: %+v (today %s)", tr, today)
			}
			args["amount"], args["date"] = 50.5, "2026-01-02"
			f.decode(t, "withdraw_from_goal", args, &tr)
			if tr.Previous != 14600 || tr.Goal.Balance != 14549.5 || tr.Date != "2026-01-02" {
				t.Errorf("withdraw_from_goal: %+v", tr)
			}
			if g := f.goal(t, "Emergency fund"); g.Balance != 14549.5 {
				t.Errorf("movements not visible in get_goals: %+v", g)
			}
			f.wantError(t, "withdraw_from_goal", map[string]any{"goal_id": ef.ID, "account_id": checking, "amount": 1}, "cannot withdraw more")
			var target goalResult
			f.decode(t, "update_goal", map[string]any{"goal_id": ef.ID, "target_date": "2027-06-30", "monthly_contribution": 0}, &target)
			if target.Goal.TargetDate != "2027-06-30" || *target.Goal.MonthlyContribution != 0 {
				t.Errorf("update target date: %+v", target.Goal)
			}
		})
	}
}

// TestGoalArgErrors checks that bad arguments are refused with a clear
// error, before or by Monarch.
func TestGoalArgErrors(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	ef := f.goal(t, "Emergency fund")
	ally := ef.LinkedAccounts[0].AccountID
	move := func(amount any, extra ...any) map[string]any {
		m := map[string]any{"goal_id": ef.ID, "account_id": ally, "amount": amount}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i].(string)] = extra[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"create_goal", map[string]any{"name": "  "}, "name must not be empty"},
		{"create_goal", map[string]any{"name": "Car", "type": "yacht"}, `"yacht" is not one of Monarch's goal types: emergency_fund, vacation`},
		{"create_goal", map[string]any{"name": "Car", "target_amount": 0}, "target_amount must be an amount more than 0"},
		{"create_goal", map[string]any{"name": "Car", "target_amount": -5}, "more than 0"},
		{"create_goal", map[string]any{"name": "Car", "monthly_contribution": -1}, "monthly_contribution must be 0 or more"},
		{"create_goal", map[string]any{"name": "Car", "target_date": "2027-13-01"}, "YYYY-MM-DD"},
		{"update_goal", map[string]any{"goal_id": ef.ID}, "nothing to change"},
		{"update_goal", map[string]any{"goal_id": "", "name": "x"}, "goal_id"},
		{"update_goal", map[string]any{"goal_id": "999", "name": "x"}, "get_goals lists the valid ids"},
		{"update_goal", map[string]any{"goal_id": ef.ID, "link_account_ids": []any{ally}, "unlink_account_ids": []any{ally}}, "both in link_account_ids and unlink_account_ids"},
		{"update_goal", map[string]any{"goal_id": ef.ID, "link_account_ids": []any{"999"}}, "Account not found"},
		{"update_goal", map[string]any{"goal_id": fmt.Sprint(make([]byte, 70)), "name": "x"}, "goal_id"},
		{"delete_goal", map[string]any{"goal_id": "999"}, "get_goals lists the valid ids"},
		{"contribute_to_goal", move(0), "amount must be an amount more than 0"},
		{"contribute_to_goal", move(-10), "more than 0"},
		{"contribute_to_goal", move(10, "date", "02/01/2026"), "YYYY-MM-DD"},
		{"contribute_to_goal", move(10, "account_id", " "), "account_id"},
		{"contribute_to_goal", move(10, "account_id", "999"), "Account not found"},
		{"withdraw_from_goal", move(10, "goal_id", "999"), "get_goals lists the valid ids"},
		{"withdraw_from_goal", move(1e6), "cannot withdraw more"},
	} {
		f.wantError(t, tc.tool, tc.args, tc.want)
	}
}
