package tools

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Goals live in one of Monarch's two models (monarch.GoalModel); every goal
// tool asks which one the household uses and routes to it, and refuses
// what that model cannot do.

type goalAccount struct {
	AccountID string   `json:"account_id"`
	Name      string   `json:"name"`
	Amount    *float64 `json:"amount,omitempty" jsonschema:"the part of the goal's balance from this account"`
}

type goalOut struct {
	ID                  string        `json:"id"`
	Name                string        `json:"name"`
	Type                string        `json:"type" jsonschema:"Monarch's goal type, e.g. emergency_fund"`
	Status              string        `json:"status" jsonschema:"savings goals: on_track, ahead, at_risk, completed or archived; older goals: active, completed or archived"`
	TargetAmount        *float64      `json:"target_amount,omitempty"`
	TargetDate          string        `json:"target_date,omitempty" jsonschema:"YYYY-MM-DD"`
	Balance             float64       `json:"balance" jsonschema:"amount saved toward the goal"`
	ProgressPercent     *float64      `json:"progress_percent,omitempty" jsonschema:"balance as a percentage of the target"`
	MonthlyContribution *float64      `json:"monthly_contribution,omitempty" jsonschema:"planned monthly contribution"`
	LinkedAccounts      []goalAccount `json:"linked_accounts"`
}

func shapeGoal(g monarch.Goal) goalOut {
	out := goalOut{
		ID: g.ID, Name: g.Name, Type: g.Type, Status: g.Status, TargetAmount: g.TargetAmount, TargetDate: g.TargetDate,
		Balance: round2(g.Balance), MonthlyContribution: g.MonthlyContribution, LinkedAccounts: []goalAccount{},
	}
	if g.TargetAmount != nil && *g.TargetAmount > 0 {
		out.ProgressPercent = ptr(math.Round(g.Balance / *g.TargetAmount * 1000) / 10)
	}
	for _, a := range g.Accounts {
		out.LinkedAccounts = append(out.LinkedAccounts, goalAccount{AccountID: a.ID, Name: a.Name, Amount: a.Amount})
	}
	return out
}

// modelNote says what the household's goal model means for the caller.
func modelNote(m monarch.GoalModel) string {
	if m == monarch.SavingsGoals {
		return "savings goals: money moves in and out with contribute_to_goal and withdraw_from_goal"
	}
	return "older goals model (goalsV2): linked accounts fund the goal; no target dates, contributions or withdrawals"
}

// goalIn returns the household's goal model and the goal with id, or an
// error matching monarch.ErrNotFound that says where ids come from.
func (d *deps) goalIn(ctx context.Context, id string) (monarch.GoalModel, monarch.Goal, error) {
	m, err := d.c.GetGoalModel(ctx)
	if err != nil {
		return "", monarch.Goal{}, err
	}
	gs, err := d.c.GetGoals(ctx, m)
	if err != nil {
		return "", monarch.Goal{}, err
	}
	i := slices.IndexFunc(gs, func(g monarch.Goal) bool { return g.ID == id })
	if i < 0 {
		return "", monarch.Goal{}, fmt.Errorf("goal %s %w: get_goals lists the valid ids", id, monarch.ErrNotFound)
	}
	return m, gs[i], nil
}

// olderModelRefusal is the error for what only savings goals can do.
func olderModelRefusal(what string) error {
	return &ArgError{Msg: what + " needs Monarch's savings goals, and this household still uses the older goals model (goalsV2), " +
		"where a goal is funded by its linked accounts: use update_goal with link_account_ids instead"}
}

// checkGoalAmount refuses an amount that is not a positive number.
func checkGoalAmount(param string, v float64) error {
	if !(v > 0) || math.IsInf(v, 0) || v >= 1e12 {
		return argErrorf(param, fmt.Sprintf("must be an amount more than 0 (got %v)", v))
	}
	return nil
}

// --- get_goals --------------------------------------------------------------

type goalsResult struct {
	Model string    `json:"model" jsonschema:"savings_goals or goals_v2: which of Monarch's goal models the household uses"`
	Note  string    `json:"note"`
	Goals []goalOut `json:"goals"`
	list
}

func getGoals(d *deps) Tool {
	return define(d, spec{
		name:  "get_goals",
		title: "Get goals",
		description: "List the household's savings goals with target, balance, progress, planned monthly contribution, linked accounts and status. " +
			"Call it first for goal ids and to see which goal model the household uses.",
		kind: Read,
	}, func(ctx context.Context, _ noArgs) (goalsResult, error) {
		m, err := d.c.GetGoalModel(ctx)
		if err != nil {
			return goalsResult{}, err
		}
		gs, err := d.c.GetGoals(ctx, m)
		if err != nil {
			return goalsResult{}, err
		}
		res := goalsResult{Model: string(m), Note: modelNote(m), Goals: make([]goalOut, 0, len(gs))}
		for _, g := range gs {
			res.Goals = append(res.Goals, shapeGoal(g))
		}
		res.list = fullList(len(res.Goals))
		return res, nil
	})
}

// --- create_goal ------------------------------------------------------------

type goalFields struct {
	TargetAmount        *float64 `json:"target_amount,omitempty"`
	TargetDate          *string  `json:"target_date,omitempty"`
	MonthlyContribution *float64 `json:"monthly_contribution,omitempty"`
}

func (a *goalFields) check() error {
	if a.TargetAmount != nil {
		if err := checkGoalAmount("target_amount", *a.TargetAmount); err != nil {
			return err
		}
		a.TargetAmount = ptr(round2(*a.TargetAmount))
	}
	if a.MonthlyContribution != nil {
		v := *a.MonthlyContribution
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v >= 1e12 {
			return argErrorf("monthly_contribution", fmt.Sprintf("must be 0 or more (got %v)", v))
		}
		a.MonthlyContribution = ptr(round2(v))
	}
	if a.TargetDate != nil {
		if *a.TargetDate == "" {
			return argErrorf("target_date", "must be a date in YYYY-MM-DD form")
		}
		if _, err := parseDate("target_date", *a.TargetDate); err != nil {
			return err
		}
	}
	return nil
}

func goalFieldParams() []mcp.ToolOption {
	return []mcp.ToolOption{
		mcp.WithNumber("target_amount", mcp.Description("Amount to save (more than 0).")),
		dateParam("target_date", "Date to reach the target by; savings goals only"),
		mcp.WithNumber("monthly_contribution", mcp.Description("Planned monthly contribution (0 or more).")),
	}
}

type createGoalArgs struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
	goalFields
}

func (a *createGoalArgs) validate() error {
	if err := checkName("name", a.Name); err != nil {
		return err
	}
	a.Name = strings.TrimSpace(a.Name)
	return a.check()
}

type goalResult struct {
	Model string  `json:"model" jsonschema:"savings_goals or goals_v2"`
	Goal  goalOut `json:"goal"`
	journalNote
}

// defaultGoalType is the type of a goal created without one, when Monarch
// offers it: the plain savings goal.
const defaultGoalType = "savings"

func createGoal(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "create_goal",
		title: "Create goal",
		description: "Create a savings goal (name, optional type, target amount, target date, monthly contribution); returns it with its id. " +
			"Calling twice creates two goals." + confirmFirst,
		kind: Write,
		params: append([]mcp.ToolOption{
			mcp.WithString("name", mcp.Required(), mcp.Description("Name of the goal."), mcp.MaxLength(maxNameLen)),
			mcp.WithString("type", mcp.Description("Monarch's goal type, e.g. emergency_fund or vacation (default savings); an unknown type is refused with the list."), mcp.MaxLength(maxWordLen)),
		}, goalFieldParams()...),
	}, journaled[createGoalArgs, goalResult]{
		undo:    undoFull,
		summary: func(a createGoalArgs) string { return fmt.Sprintf("created goal %q", a.Name) },
		created: func(_ createGoalArgs, r goalResult) []target { return goalTargets(r.Goal.ID) },
	}, func(ctx context.Context, a createGoalArgs) (goalResult, error) {
		m, err := d.c.GetGoalModel(ctx)
		if err != nil {
			return goalResult{}, err
		}
		if m == monarch.GoalsV2 && a.TargetDate != nil {
			return goalResult{}, &ArgError{Param: "target_date", Msg: "is not available: this household uses Monarch's older goals model (goalsV2), whose goals have no target date"}
		}
		opts, err := d.c.GetGoalOptions(ctx)
		if err != nil {
			return goalResult{}, err
		}
		typ := a.Type
		if typ == "" {
			typ = defaultGoalType
		}
		i := slices.IndexFunc(opts, func(o monarch.GoalOption) bool { return strings.EqualFold(o.Type, typ) })
		if i < 0 {
			types := make([]string, 0, len(opts))
			for _, o := range opts {
				types = append(types, o.Type)
			}
			return goalResult{}, argErrorf("type", fmt.Sprintf("%q is not one of Monarch's goal types: %s", typ, strings.Join(types, ", ")))
		}
		n := monarch.NewGoal{Name: a.Name, Type: opts[i].Type, Objective: opts[i].Objective, TargetAmount: a.TargetAmount, MonthlyContribution: a.MonthlyContribution}
		if a.TargetDate != nil {
			n.TargetDate = *a.TargetDate
		}
		g, err := d.c.CreateGoal(ctx, m, n)
		if err != nil {
			return goalResult{}, err
		}
		return goalResult{Model: string(m), Goal: shapeGoal(g)}, nil
	})
}

// --- update_goal ------------------------------------------------------------

type updateGoalArgs struct {
	GoalID string  `json:"goal_id"`
	Name   *string `json:"name,omitempty"`
	goalFields
	Link   []string `json:"link_account_ids,omitempty"`
	Unlink []string `json:"unlink_account_ids,omitempty"`
}

func (a *updateGoalArgs) validate() error {
	if err := requireID("goal_id", a.GoalID, "get_goals lists goal ids"); err != nil {
		return err
	}
	if a.Name == nil && a.TargetAmount == nil && a.TargetDate == nil && a.MonthlyContribution == nil && len(a.Link) == 0 && len(a.Unlink) == 0 {
		return &ArgError{Msg: "nothing to change: give at least one of name, target_amount, target_date, monthly_contribution, link_account_ids, unlink_account_ids"}
	}
	if a.Name != nil {
		if err := checkName("name", *a.Name); err != nil {
			return err
		}
		*a.Name = strings.TrimSpace(*a.Name)
	}
	if err := checkIDs("link_account_ids", a.Link); err != nil {
		return err
	}
	if err := checkIDs("unlink_account_ids", a.Unlink); err != nil {
		return err
	}
	for _, id := range a.Link {
		if slices.Contains(a.Unlink, id) {
			return &ArgError{Msg: "account " + id + " is both in link_account_ids and unlink_account_ids"}
		}
	}
	return a.check()
}

func updateGoal(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "update_goal",
		title: "Update goal",
		description: "Change a goal (goal_id from get_goals): name, target, target date, monthly contribution, and which accounts (ids from get_accounts) are linked to it. " +
			"Only the fields given change; returns the goal after the change." + confirmFirst,
		kind:       Write,
		idempotent: true,
		params: append(append([]mcp.ToolOption{
			idParam("goal_id", "Goal id from get_goals.", mcp.Required()),
			mcp.WithString("name", mcp.Description("New name."), mcp.MaxLength(maxNameLen)),
		}, goalFieldParams()...),
			idsParam("link_account_ids", "Account ids from get_accounts to link to the goal."),
			idsParam("unlink_account_ids", "Account ids to unlink from the goal."),
		),
	}, journaled[updateGoalArgs, goalResult]{
		undo:    undoFull,
		caveat:  "on Monarch's older goals model (goalsV2) an account undo links back is allocated its whole balance, as linking there does",
		summary: func(a updateGoalArgs) string { return "updated goal " + a.GoalID },
		targets: func(_ context.Context, a updateGoalArgs) ([]target, error) {
			var f []string
			for _, x := range []struct {
				set   bool
				field string
			}{{a.Name != nil, goalName}, {a.TargetAmount != nil, goalTarget}, {a.TargetDate != nil, goalDate},
				{a.MonthlyContribution != nil, goalMonthly}, {len(a.Link)+len(a.Unlink) > 0, goalAccounts}} {
				if x.set {
					f = append(f, x.field)
				}
			}
			return goalTargets(a.GoalID, f...), nil
		},
	}, func(ctx context.Context, a updateGoalArgs) (goalResult, error) {
		m, _, err := d.goalIn(ctx, a.GoalID)
		if err != nil {
			return goalResult{}, err
		}
		if m == monarch.GoalsV2 && a.TargetDate != nil {
			return goalResult{}, &ArgError{Param: "target_date", Msg: "is not available: this household uses Monarch's older goals model (goalsV2), whose goals have no target date"}
		}
		g, err := d.c.UpdateGoal(ctx, m, monarch.GoalUpdate{
			ID: a.GoalID, Name: a.Name, TargetAmount: a.TargetAmount, TargetDate: a.TargetDate,
			MonthlyContribution: a.MonthlyContribution, LinkAccountIDs: a.Link, UnlinkAccountIDs: a.Unlink,
		})
		if err != nil {
			return goalResult{}, err
		}
		return goalResult{Model: string(m), Goal: shapeGoal(g)}, nil
	})
}

// --- delete_goal ------------------------------------------------------------

type deleteGoalArgs struct {
	GoalID string `json:"goal_id"`
	DryRun bool   `json:"dry_run,omitempty"`
}

func (a *deleteGoalArgs) validate() error {
	return requireID("goal_id", a.GoalID, "get_goals lists goal ids")
}

type deleteGoalResult struct {
	DryRun  bool    `json:"dry_run"`
	Deleted bool    `json:"deleted"`
	What    string  `json:"what" jsonschema:"what was (or would be) deleted"`
	Goal    goalOut `json:"goal" jsonschema:"the goal as it was before"`
	journalNote
}

func deleteGoal(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "delete_goal",
		title: "Delete goal",
		description: "Delete a goal permanently (goal_id from get_goals); its accounts and their balances stay. " +
			"dry_run=true says what would be deleted without deleting." + confirmFirst,
		kind:       Destructive,
		idempotent: true,
		params: []mcp.ToolOption{
			idParam("goal_id", "Goal id from get_goals.", mcp.Required()),
			dryRunParam(),
		},
	}, journaled[deleteGoalArgs, deleteGoalResult]{
		undo: undoPartial,
		caveat: "undo brings the goal back as a new goal (new id) with its settings and linked accounts, and a savings goal's balance contributed " +
			"back from the same accounts today; its contribution history and place in the goal order are not restored",
		summary: func(a deleteGoalArgs) string { return "deleted goal " + a.GoalID },
		targets: func(_ context.Context, a deleteGoalArgs) ([]target, error) { return goalTargets(a.GoalID), nil },
		dryRun:  func(a deleteGoalArgs) bool { return a.DryRun },
	}, func(ctx context.Context, a deleteGoalArgs) (deleteGoalResult, error) {
		m, g, err := d.goalIn(ctx, a.GoalID)
		if err != nil {
			return deleteGoalResult{}, err
		}
		out := shapeGoal(g)
		change := fmt.Sprintf("delete goal %q (balance %.2f", g.Name, out.Balance)
		if g.TargetAmount != nil {
			change += fmt.Sprintf(" of %.2f", *g.TargetAmount)
		}
		change += fmt.Sprintf(", %d linked account(s))", len(g.Accounts))
		res := deleteGoalResult{DryRun: a.DryRun, What: change, Goal: out}
		if a.DryRun {
			return res, nil
		}
		if err := d.c.DeleteGoal(ctx, m, a.GoalID); err != nil {
			return deleteGoalResult{}, err
		}
		res.Deleted = true
		return res, nil
	})
}

// --- contribute_to_goal, withdraw_from_goal ---------------------------------

type goalTransferArgs struct {
	GoalID    string  `json:"goal_id"`
	AccountID string  `json:"account_id"`
	Amount    float64 `json:"amount"`
	Date      string  `json:"date,omitempty"`
	Notes     string  `json:"notes,omitempty"`
}

func (a *goalTransferArgs) validate() error {
	if err := requireID("goal_id", a.GoalID, "get_goals lists goal ids"); err != nil {
		return err
	}
	if err := requireID("account_id", a.AccountID, "get_accounts lists account ids"); err != nil {
		return err
	}
	if err := checkGoalAmount("amount", a.Amount); err != nil {
		return err
	}
	a.Amount = round2(a.Amount)
	_, err := parseDate("date", a.Date)
	return err
}

type goalTransferResult struct {
	Amount   float64 `json:"amount"`
	Date     string  `json:"date" jsonschema:"YYYY-MM-DD"`
	Previous float64 `json:"previous_balance" jsonschema:"the goal's balance before"`
	Goal     goalOut `json:"goal" jsonschema:"the goal after the change"`
	journalNote
}

func goalTransferParams(verb string) []mcp.ToolOption {
	return []mcp.ToolOption{
		idParam("goal_id", "Goal id from get_goals.", mcp.Required()),
		idParam("account_id", "Account id from get_accounts: the account the money "+verb+".", mcp.Required()),
		mcp.WithNumber("amount", mcp.Required(), mcp.Description("Amount (more than 0).")),
		dateParam("date", "Date of the movement (default today)"),
		mcp.WithString("notes", mcp.Description("A note kept with the movement."), mcp.MaxLength(maxNotes)),
	}
}

// goalTransfer runs a contribution or withdrawal on a savings goal, after
// checking the household's model and the goal.
func (d *deps) goalTransfer(ctx context.Context, a goalTransferArgs, what string,
	move func(context.Context, monarch.GoalTransfer) (monarch.Goal, error)) (goalTransferResult, error) {
	m, g, err := d.goalIn(ctx, a.GoalID)
	if err != nil {
		return goalTransferResult{}, err
	}
	if m != monarch.SavingsGoals {
		return goalTransferResult{}, olderModelRefusal(what)
	}
	date := a.Date
	if date == "" {
		date = d.today().Format(dateLayout)
	}
	after, err := move(ctx, monarch.GoalTransfer{GoalID: a.GoalID, AccountID: a.AccountID, Amount: a.Amount, Date: date, Notes: a.Notes})
	if err != nil {
		return goalTransferResult{}, err
	}
	return goalTransferResult{Amount: a.Amount, Date: date, Previous: round2(g.Balance), Goal: shapeGoal(after)}, nil
}

// goalTransferJournal is how a contribution (or withdrawal) is recorded:
// the goal's balance by account and its linked accounts. Undo moves the
// difference back the other way.
func goalTransferJournal(verb, undoes string) journaled[goalTransferArgs, goalTransferResult] {
	return journaled[goalTransferArgs, goalTransferResult]{
		undo:   undoPartial,
		caveat: "undo " + undoes + " today; the " + verb + " and the movement back both stay in the goal's history",
		summary: func(a goalTransferArgs) string {
			return fmt.Sprintf("%s of %.2f: goal %s, account %s", verb, a.Amount, a.GoalID, a.AccountID)
		},
		targets: func(_ context.Context, a goalTransferArgs) ([]target, error) {
			return goalTargets(a.GoalID, goalFunds, goalAccounts), nil
		},
	}
}

func contributeToGoal(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "contribute_to_goal",
		title: "Contribute to goal",
		description: "Put money from an account toward a savings goal (ids from get_goals and get_accounts); returns the goal after it. " +
			"Only households on Monarch's savings goals. Calling twice contributes twice." + confirmFirst,
		kind:   Write,
		params: goalTransferParams("comes from"),
	}, goalTransferJournal("contribution", "withdraws the same amount back to the same account"), func(ctx context.Context, a goalTransferArgs) (goalTransferResult, error) {
		return d.goalTransfer(ctx, a, "contribute_to_goal", d.c.ContributeToGoal)
	})
}

func withdrawFromGoal(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "withdraw_from_goal",
		title: "Withdraw from goal",
		description: "Take money out of a savings goal back to an account (at most what the goal holds from it; ids from get_goals and get_accounts); " +
			"returns the goal after it. Only households on Monarch's savings goals. Calling twice withdraws twice." + confirmFirst,
		kind:   Write,
		params: goalTransferParams("goes back to"),
	}, goalTransferJournal("withdrawal", "contributes the same amount again from the same account"), func(ctx context.Context, a goalTransferArgs) (goalTransferResult, error) {
		return d.goalTransfer(ctx, a, "withdraw_from_goal", d.c.WithdrawFromGoal)
	})
}
