package tools

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Goals in the change journal, in whichever model the household uses.
// Fields: name, type, target_amount (nil when none), target_date ("" when
// none), monthly_contribution (nil when none), account_ids (the linked
// accounts, sorted) and funds: the goal's balance by account, as sorted
// "account id=amount" strings, so that one value says where every part of
// the balance came from.

const kindGoal = "goal"

// Goal fields, as the journal names them.
const (
	goalName     = "name"
	goalType     = "type"
	goalTarget   = "target_amount"
	goalDate     = "target_date"
	goalMonthly  = "monthly_contribution"
	goalAccounts = "account_ids"
	goalFunds    = "funds"
)

// undoTransferNote is the note on a contribution or withdrawal an undo
// makes, so the goal's history says why the money moved.
const undoTransferNote = "undo_changes: puts back the goal's earlier balance from this account"

func goalKind(d *deps) *objectKind {
	return &objectKind{
		name:   kindGoal,
		fields: []string{goalName, goalType, goalTarget, goalDate, goalMonthly, goalAccounts, goalFunds},
		read: readListed(func(ctx context.Context) ([]monarch.Goal, error) {
			_, gs, err := d.goals(ctx)
			return gs, err
		}, func(g monarch.Goal) string { return g.ID }, goalValues),
		set: func(ctx context.Context, id string, v values) error {
			m, err := d.c.GetGoalModel(ctx)
			if err != nil {
				return err
			}
			g, err := d.goalByID(ctx, m, id)
			if err != nil {
				return err
			}
			return d.setGoal(ctx, m, g, v)
		},
		create: func(ctx context.Context, v values) (string, error) {
			return d.recreateGoal(ctx, v)
		},
		remove: func(ctx context.Context, id string) error {
			m, err := d.c.GetGoalModel(ctx)
			if err != nil {
				return err
			}
			return d.c.DeleteGoal(ctx, m, id)
		},
		recreateLoss: "its contribution history and place in the goal order are not restored",
	}
}

// goals returns the household's goal model and its goals.
func (d *deps) goals(ctx context.Context) (monarch.GoalModel, []monarch.Goal, error) {
	m, err := d.c.GetGoalModel(ctx)
	if err != nil {
		return "", nil, err
	}
	gs, err := d.c.GetGoals(ctx, m)
	return m, gs, err
}

// goalValues are g's journal fields.
func goalValues(g monarch.Goal) values {
	v := values{goalName: g.Name, goalType: g.Type, goalDate: g.TargetDate, goalTarget: nil, goalMonthly: nil}
	if g.TargetAmount != nil {
		v[goalTarget] = round2(*g.TargetAmount)
	}
	if g.MonthlyContribution != nil {
		v[goalMonthly] = round2(*g.MonthlyContribution)
	}
	linked := []string{}
	funds := map[string]float64{}
	for _, a := range g.Accounts {
		if a.Linked {
			linked = append(linked, a.ID)
		}
		if a.Amount != nil {
			funds[a.ID] += *a.Amount
		}
	}
	slices.Sort(linked)
	v[goalAccounts] = slices.Compact(linked)
	v[goalFunds] = formatFunds(funds)
	return v
}

// formatFunds writes a goal's balance by account in its journal form: one
// "id=amount" per account holding money, sorted.
func formatFunds(funds map[string]float64) []string {
	out := []string{}
	for id, amt := range funds {
		if amt = round2(amt); amt != 0 {
			out = append(out, id+"="+strconv.FormatFloat(amt, 'f', 2, 64))
		}
	}
	slices.Sort(out)
	return out
}

// parseFunds reads funds back into amounts by account id.
func parseFunds(list []string) (map[string]float64, error) {
	out := make(map[string]float64, len(list))
	for _, s := range list {
		id, amt, ok := strings.Cut(s, "=")
		x, err := strconv.ParseFloat(amt, 64)
		if !ok || id == "" || err != nil {
			return nil, fmt.Errorf("goal funds %q are not in the form account=amount", s)
		}
		out[id] += x
	}
	return out, nil
}

// setGoal puts v's fields back on g: its own fields and newly linked
// accounts first, then the money moved back (so an account is linked
// while money moves through it), then the accounts to unlink.
func (d *deps) setGoal(ctx context.Context, m monarch.GoalModel, g monarch.Goal, v values) error {
	cur := goalValues(g)
	u := monarch.GoalUpdate{ID: g.ID}
	changed := false
	if s, ok := vString(v, goalName); ok && s != g.Name {
		u.Name, changed = &s, true
	}
	if _, ok := v[goalTarget]; ok {
		if x, ok := vFloat(v, goalTarget); ok {
			u.TargetAmount = &x
		} else {
			u.ClearTargetAmount = true
		}
		changed = true
	}
	if s, ok := vString(v, goalDate); ok && s != g.TargetDate {
		if s == "" {
			u.ClearTargetDate = true
		} else {
			u.TargetDate = &s
		}
		changed = true
	}
	if _, ok := v[goalMonthly]; ok {
		if x, ok := vFloat(v, goalMonthly); ok {
			u.MonthlyContribution = &x
		} else if m == monarch.SavingsGoals {
			// A savings goal's planned contribution is its budget, which
			// has no "none": no budget is 0.
			u.MonthlyContribution = new(float64)
		} else {
			u.ClearMonthlyContribution = true
		}
		changed = true
	}
	wantLinked, setLinks := vStrings(v, goalAccounts)
	if setLinks {
		have, _ := vStrings(cur, goalAccounts)
		for _, id := range wantLinked {
			if !slices.Contains(have, id) {
				u.LinkAccountIDs, changed = append(u.LinkAccountIDs, id), true
			}
		}
	}
	if changed {
		var err error
		if g, err = d.c.UpdateGoal(ctx, m, u); err != nil {
			return err
		}
	}
	if want, ok := vStrings(v, goalFunds); ok {
		have, _ := vStrings(cur, goalFunds)
		moved, err := d.moveGoalFunds(ctx, m, g.ID, have, want)
		if err != nil {
			return err
		}
		// A contribution may link its account: see what is linked now.
		if moved && setLinks {
			if g, err = d.goalByID(ctx, m, g.ID); err != nil {
				return err
			}
		}
	}
	if setLinks {
		have, _ := vStrings(goalValues(g), goalAccounts)
		var unlink []string
		for _, id := range have {
			if !slices.Contains(wantLinked, id) {
				unlink = append(unlink, id)
			}
		}
		if len(unlink) > 0 {
			if _, err := d.c.UpdateGoal(ctx, m, monarch.GoalUpdate{ID: g.ID, UnlinkAccountIDs: unlink}); err != nil {
				return err
			}
		}
	}
	return nil
}

// goalByID returns the goal with id in model m.
func (d *deps) goalByID(ctx context.Context, m monarch.GoalModel, id string) (monarch.Goal, error) {
	gs, err := d.c.GetGoals(ctx, m)
	if err != nil {
		return monarch.Goal{}, err
	}
	i := slices.IndexFunc(gs, func(g monarch.Goal) bool { return g.ID == id })
	if i < 0 {
		return monarch.Goal{}, fmt.Errorf("goal %s %w", id, monarch.ErrNotFound)
	}
	return gs[i], nil
}

// moveGoalFunds brings a savings goal's balance by account from have to
// want: the difference from each account is contributed or withdrawn.
// Withdrawals go first, so no account is asked for more than it holds. It
// reports whether any money moved.
func (d *deps) moveGoalFunds(ctx context.Context, m monarch.GoalModel, id string, have, want []string) (bool, error) {
	h, err := parseFunds(have)
	if err != nil {
		return false, err
	}
	w, err := parseFunds(want)
	if err != nil {
		return false, err
	}
	type move struct {
		acct string
		diff float64
	}
	var moves []move
	for _, acct := range slices.Sorted(func(yield func(string) bool) {
		for a := range h {
			if !yield(a) {
				return
			}
		}
		for a := range w {
			if _, dup := h[a]; !dup && !yield(a) {
				return
			}
		}
	}) {
		if diff := round2(w[acct] - h[acct]); diff != 0 {
			moves = append(moves, move{acct, diff})
		}
	}
	if len(moves) == 0 {
		return false, nil
	}
	if m != monarch.SavingsGoals {
		return false, fmt.Errorf("the goal's balance cannot be moved back: this household uses Monarch's older goals model (goalsV2), which has no contributions or withdrawals")
	}
	slices.SortStableFunc(moves, func(a, b move) int {
		switch {
		case a.diff < 0 && b.diff > 0:
			return -1
		case a.diff > 0 && b.diff < 0:
			return 1
		}
		return 0
	})
	date := d.today().Format(dateLayout)
	for _, mv := range moves {
		t := monarch.GoalTransfer{GoalID: id, AccountID: mv.acct, Amount: mv.diff, Date: date, Notes: undoTransferNote}
		var err error
		if mv.diff > 0 {
			_, err = d.c.ContributeToGoal(ctx, t)
		} else {
			t.Amount = -mv.diff
			_, err = d.c.WithdrawFromGoal(ctx, t)
		}
		if err != nil {
			return true, fmt.Errorf("moving %.2f for account %s: %w", mv.diff, mv.acct, err)
		}
	}
	return true, nil
}

// recreateGoal makes a goal with v's fields in the household's model, then
// links its accounts and (savings goals) contributes its balance back
// from each account. On the older model linking funds the goal with each
// account's balance, as linking does there.
func (d *deps) recreateGoal(ctx context.Context, v values) (string, error) {
	m, err := d.c.GetGoalModel(ctx)
	if err != nil {
		return "", err
	}
	opts, err := d.c.GetGoalOptions(ctx)
	if err != nil {
		return "", err
	}
	typ, _ := vString(v, goalType)
	n := monarch.NewGoal{Type: typ}
	n.Name, _ = vString(v, goalName)
	if m == monarch.SavingsGoals {
		n.TargetDate, _ = vString(v, goalDate)
	}
	if x, ok := vFloat(v, goalTarget); ok {
		n.TargetAmount = &x
	}
	if x, ok := vFloat(v, goalMonthly); ok {
		n.MonthlyContribution = &x
	}
	// Older goals are made from an objective: the type's, or the type
	// itself when it is one.
	for _, o := range opts {
		if strings.EqualFold(o.Type, typ) || (n.Objective == "" && o.Objective == typ) {
			n.Objective = o.Objective
		}
	}
	g, err := d.c.CreateGoal(ctx, m, n)
	if err != nil {
		return "", err
	}
	rest := values{}
	if ids, ok := vStrings(v, goalAccounts); ok {
		rest[goalAccounts] = ids
	}
	if funds, ok := vStrings(v, goalFunds); ok && len(funds) > 0 && m == monarch.SavingsGoals {
		rest[goalFunds] = funds
	}
	if len(rest) > 0 {
		if err := d.setGoal(ctx, m, g, rest); err != nil {
			return g.ID, fmt.Errorf("the goal was recreated as %s, but linking its accounts or putting back its balance failed: %w", g.ID, err)
		}
	}
	return g.ID, nil
}

// goalTargets names fields of goal id.
func goalTargets(id string, fields ...string) []target {
	return []target{{kind: kindGoal, ids: []string{id}, fields: fields}}
}
