package tools

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// --- set_budget_amount ------------------------------------------------------

type setBudgetArgs struct {
	Amount        float64 `json:"amount"`
	CategoryID    string  `json:"category_id,omitempty"`
	GroupID       string  `json:"category_group_id,omitempty"`
	Month         string  `json:"month,omitempty"`
	ApplyToFuture bool    `json:"apply_to_future,omitempty"`
	DryRun        bool    `json:"dry_run,omitempty"`
}

// budgetSetting is set_budget_amount's checked arguments: the arguments
// with the amount in cents, so what is sent is what the result shows, and
// the month parsed (zero: not given).
type budgetSetting struct {
	setBudgetArgs
	month time.Time
}

func (a setBudgetArgs) parse() (budgetSetting, error) {
	if (a.CategoryID == "") == (a.GroupID == "") {
		return budgetSetting{}, &ArgError{Msg: "give exactly one of category_id (from get_transaction_categories) and category_group_id (from get_category_groups)"}
	}
	if strings.TrimSpace(a.CategoryID+a.GroupID) == "" {
		return budgetSetting{}, &ArgError{Msg: "category_id or category_group_id is blank"}
	}
	if math.IsNaN(a.Amount) || math.IsInf(a.Amount, 0) || math.Abs(a.Amount) >= 1e12 {
		return budgetSetting{}, argErrorf("amount", fmt.Sprintf("must be a number (got %v)", a.Amount))
	}
	if a.Amount < 0 {
		return budgetSetting{}, argErrorf("amount", fmt.Sprintf("must be 0 or more (got %v): a budget is the amount planned, for income and expense alike", a.Amount))
	}
	a.Amount = round2(a.Amount)
	m, err := parseMonth("month", a.Month)
	return budgetSetting{setBudgetArgs: a, month: m}, err
}

type setBudgetResult struct {
	DryRun        bool     `json:"dry_run"`
	Month         string   `json:"month" jsonschema:"YYYY-MM"`
	CategoryID    string   `json:"category_id,omitempty"`
	GroupID       string   `json:"category_group_id,omitempty"`
	Name          string   `json:"name,omitempty" jsonschema:"the category's or group's name"`
	Previous      *float64 `json:"previous_amount,omitempty" jsonschema:"the month's budget before the change"`
	Amount        float64  `json:"amount" jsonschema:"the month's new budget (0 = no budget)"`
	ApplyToFuture bool     `json:"apply_to_future" jsonschema:"later months were (or would be) set too"`
	journalNote
}

// monthOf is the month a setting is for: the one given, or the current one.
func (d *deps) monthOf(a budgetSetting) time.Time {
	if a.month.IsZero() {
		return startOfMonth(d.today())
	}
	return a.month
}

// budgetTargets names the budget months a setting changes: its month, and
// with apply_to_future the later ones a budget read covers; for a group,
// its categories' months too, as the group's amount is spread over them.
func (d *deps) budgetTargets(ctx context.Context, a budgetSetting) ([]target, error) {
	m := d.monthOf(a)
	n := 1
	if a.ApplyToFuture {
		n = budgetUndoMonths
	}
	lines := []string{a.CategoryID}
	if a.GroupID != "" {
		b, err := d.c.GetBudgets(ctx, m.Format(dateLayout), m.Format(dateLayout))
		if err != nil {
			return nil, err
		}
		lines = []string{a.GroupID}
		for _, l := range b.Categories {
			if l.GroupID == a.GroupID {
				lines = append(lines, l.CategoryID)
			}
		}
	}
	var ids []string
	for _, line := range lines {
		for i := range n {
			ids = append(ids, budgetID(line, m.AddDate(0, i, 0)))
		}
	}
	return []target{{kind: kindBudget, ids: ids, fields: []string{budgetAmount}}}, nil
}

func setBudgetAmount(d *deps) Tool {
	return defineParsedWrite[setBudgetArgs](d, spec{
		name:  "set_budget_amount",
		title: "Set budget amount",
		description: "Set the monthly budget of one category (category_id) or one category group (category_group_id) for a month " +
			"(default: the current month), optionally for every later month too (apply_to_future). amount 0 clears the budget. " +
			"The result shows the previous amount; dry_run=true shows it without changing anything." + confirmFirst,
		kind:       Write,
		idempotent: true,
		params: []mcp.ToolOption{
			mcp.WithNumber("amount", mcp.Required(), mcp.Description("Monthly budget amount (0 clears it).")),
			idParam("category_id", "Category id from get_transaction_categories (or give category_group_id)."),
			idParam("category_group_id", "Category group id from get_category_groups (or give category_id)."),
			monthParam("month", "Month to set (default: the current month)"),
			mcp.WithBoolean("apply_to_future", mcp.Description("Also set every month after it (default false)."), mcp.DefaultBool(false)),
			dryRunParam(),
		},
	}, journaled[budgetSetting, setBudgetResult]{
		level: func(a budgetSetting) (undoLevel, string) {
			if !a.ApplyToFuture {
				return undoFull, ""
			}
			m := d.monthOf(a)
			return undoPartial, fmt.Sprintf("undo restores %s through %s; months after that keep the new amount",
				m.Format(monthLayout), m.AddDate(0, budgetUndoMonths-1, 0).Format(monthLayout))
		},
		summary: func(a budgetSetting) string {
			what := "category " + a.CategoryID
			if a.GroupID != "" {
				what = "category group " + a.GroupID
			}
			s := fmt.Sprintf("set the %s budget of %s to %.2f", d.monthOf(a).Format(monthLayout), what, a.Amount)
			if a.ApplyToFuture {
				s += " and every later month"
			}
			return s
		},
		targets: d.budgetTargets,
		dryRun:  func(a budgetSetting) bool { return a.DryRun },
	}, func(ctx context.Context, a budgetSetting) (setBudgetResult, error) {
		m := d.monthOf(a)
		res := setBudgetResult{
			DryRun: a.DryRun, Month: m.Format(monthLayout), CategoryID: a.CategoryID, GroupID: a.GroupID,
			Amount: round2(a.Amount), ApplyToFuture: a.ApplyToFuture,
		}
		// Read the month's budget first: it names the line, gives the
		// previous amount and refuses an unknown id before any change.
		b, err := d.c.GetBudgets(ctx, m.Format(dateLayout), m.Format(dateLayout))
		if err != nil {
			return setBudgetResult{}, err
		}
		found := false
		for _, l := range b.Categories {
			if a.CategoryID != "" && l.CategoryID == a.CategoryID {
				res.Name, res.Previous, found = l.CategoryName, plannedIn(l.Months), true
			}
		}
		for _, l := range b.Groups {
			if a.GroupID != "" && l.GroupID == a.GroupID {
				res.Name, res.Previous, found = l.GroupName, plannedIn(l.Months), true
			}
		}
		if !found {
			what, id := "category", a.CategoryID
			if a.GroupID != "" {
				what, id = "category group", a.GroupID
			}
			return setBudgetResult{}, fmt.Errorf("%s %s has no budget line (unknown id, or a transfer category, which cannot be budgeted): %w", what, id, monarch.ErrNotFound)
		}
		if a.DryRun {
			return res, nil
		}
		err = d.c.SetBudgetAmount(ctx, monarch.BudgetUpdate{
			CategoryID: a.CategoryID, GroupID: a.GroupID, Month: m.Format(dateLayout), Amount: a.Amount, ApplyToFuture: a.ApplyToFuture,
		})
		if err != nil {
			return setBudgetResult{}, err
		}
		return res, nil
	})
}

// plannedIn returns the planned amount of the first month, if any.
func plannedIn(ms []monarch.BudgetAmounts) *float64 {
	if len(ms) == 0 {
		return nil
	}
	return ptr(round2(ms[0].Planned))
}
