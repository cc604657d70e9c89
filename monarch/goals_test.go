package monarch_test

import (
	"context"
	"errors"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// exerciseGoals sends every goal operation, with every optional field, in
// both goal models (for TestVariablesMatchQueries).
func exerciseGoals(t *testing.T, ctx context.Context, c *monarch.Client, sb *sandbox.Sandbox, account, today string) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	target, monthly, name := 5000.0, 200.0, "Renamed"
	for _, migrated := range []bool{true, false} {
		sb.SetSavingsGoals(migrated)
		m, err := c.GetGoalModel(ctx)
		must(err)
		opts, err := c.GetGoalOptions(ctx)
		must(err)
		_, err = c.GetGoals(ctx, m)
		must(err)
		n := monarch.NewGoal{Name: "Variables Test", Type: opts[0].Type, Objective: opts[0].Objective, TargetAmount: &target, MonthlyContribution: &monthly}
		u := monarch.GoalUpdate{Name: &name, TargetAmount: &target, MonthlyContribution: &monthly, LinkAccountIDs: []string{account}}
		if m == monarch.SavingsGoals {
			n.TargetDate, u.TargetDate = today, &today
		}
		g, err := c.CreateGoal(ctx, m, n)
		must(err)
		u.ID = g.ID
		_, err = c.UpdateGoal(ctx, m, u)
		must(err)
		_, err = c.UpdateGoal(ctx, m, monarch.GoalUpdate{ID: g.ID, UnlinkAccountIDs: []string{account}})
		must(err)
		clear := monarch.GoalUpdate{ID: g.ID, ClearTargetAmount: true}
		if m == monarch.SavingsGoals {
			clear.ClearTargetDate = true
		} else {
			clear.ClearMonthlyContribution = true
		}
		_, err = c.UpdateGoal(ctx, m, clear)
		must(err)
		if m == monarch.SavingsGoals {
			_, err = c.ContributeToGoal(ctx, monarch.GoalTransfer{GoalID: g.ID, AccountID: account, Amount: 20, Date: today, Notes: "n"})
			must(err)
			_, err = c.WithdrawFromGoal(ctx, monarch.GoalTransfer{GoalID: g.ID, AccountID: account, Amount: 10})
			must(err)
		}
		must(c.DeleteGoal(ctx, m, g.ID))
	}
	sb.SetSavingsGoals(true)
}

// TestGoalsBothModels checks the goal calls of each model against the
// sandbox: detection, reads after writes and refusals.
func TestGoalsBothModels(t *testing.T) {
	for _, migrated := range []bool{true, false} {
		e, ctx, _ := newDemoEnv(t)
		c := e.Client
		e.Sandbox.SetSavingsGoals(migrated)
		m, err := c.GetGoalModel(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[bool]monarch.GoalModel{true: monarch.SavingsGoals, false: monarch.GoalsV2}[migrated]
		if m != want {
			t.Fatalf("model %s, want %s", m, want)
		}
		gs, err := c.GetGoals(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		if len(gs) != 2 || gs[0].Name != "Emergency fund" || gs[0].Model != m || len(gs[0].Accounts) != 1 || gs[0].Accounts[0].Amount == nil {
			t.Fatalf("%s: demo goals %+v", m, gs)
		}
		if err := c.DeleteGoal(ctx, m, "999"); !errors.Is(err, monarch.ErrNotFound) {
			t.Errorf("%s: delete of an unknown goal: %v, want ErrNotFound", m, err)
		}
		if err := c.DeleteGoal(ctx, m, gs[1].ID); err != nil {
			t.Fatal(err)
		}
		if gs, _ = c.GetGoals(ctx, m); len(gs) != 1 {
			t.Errorf("%s: %d goals after delete, want 1", m, len(gs))
		}
	}
}

// TestGoalUnsetAndLinks: an update unsets a target amount and date (older
// goals: a planned contribution), and a savings goal tells a linked account
// from one money remains from after it was unlinked.
func TestGoalUnsetAndLinks(t *testing.T) {
	for _, tc := range []struct {
		migrated bool
		clear    monarch.GoalUpdate
		check    func(monarch.Goal) bool
	}{
		{true, monarch.GoalUpdate{ClearTargetAmount: true, ClearTargetDate: true},
			func(g monarch.Goal) bool { return g.TargetAmount == nil && g.TargetDate == "" }},
		{false, monarch.GoalUpdate{ClearTargetAmount: true, ClearMonthlyContribution: true},
			func(g monarch.Goal) bool { return g.TargetAmount == nil && g.MonthlyContribution == nil }},
	} {
		e, ctx, _ := newDemoEnv(t)
		c := e.Client
		e.Sandbox.SetSavingsGoals(tc.migrated)
		m, err := c.GetGoalModel(ctx)
		if err != nil {
			t.Fatal(err)
		}
		gs, err := c.GetGoals(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		vacation := gs[1]
		u := tc.clear
		u.ID = vacation.ID
		g, err := c.UpdateGoal(ctx, m, u)
		if err != nil {
			t.Fatal(err)
		}
		if !tc.check(g) {
			t.Errorf("%s: after unsetting: %+v", m, g)
		}
		if _, err := c.UpdateGoal(ctx, m, monarch.GoalUpdate{ID: vacation.ID, ClearTargetDate: true}); m == monarch.GoalsV2 && err == nil {
			t.Errorf("%s: unsetting a target date the model has not was sent", m)
		}
		if m != monarch.SavingsGoals {
			continue
		}
		if _, err := c.UpdateGoal(ctx, m, monarch.GoalUpdate{ID: vacation.ID, ClearMonthlyContribution: true}); err == nil {
			t.Error("unsetting a savings goal's budget was sent")
		}
		acct := vacation.Accounts[0]
		g, err = c.UpdateGoal(ctx, m, monarch.GoalUpdate{ID: vacation.ID, UnlinkAccountIDs: []string{acct.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Accounts) != 1 || g.Accounts[0].ID != acct.ID || g.Accounts[0].Linked || g.Accounts[0].Amount == nil {
			t.Errorf("after unlinking a funding account: %+v", g.Accounts)
		}
	}
}
