package monarch

import (
	"context"
	"fmt"
	"math"
	"time"
)

// BudgetAmounts are one month's budget figures for a category or group.
// Month is the first day of the month (YYYY-MM-01).
type BudgetAmounts struct {
	Month     string  `json:"month"`
	Planned   float64 `json:"plannedCashFlowAmount"`
	SetAside  float64 `json:"plannedSetAsideAmount"`
	Actual    float64 `json:"actualAmount"`
	Remaining float64 `json:"remainingAmount"`
	// Rollover is the amount carried over from the previous month, if any.
	Rollover     *float64 `json:"previousMonthRolloverAmount"`
	RolloverType string   `json:"rolloverType"`
}

// BudgetTotal is a month's total for income or one kind of expense.
type BudgetTotal struct {
	Planned   float64  `json:"plannedAmount"`
	Actual    float64  `json:"actualAmount"`
	Remaining float64  `json:"remainingAmount"`
	Rollover  *float64 `json:"previousMonthRolloverAmount"`
}

// BudgetMonth holds a month's totals.
type BudgetMonth struct {
	Month              string      `json:"month"`
	Income             BudgetTotal `json:"totalIncome"`
	Expenses           BudgetTotal `json:"totalExpenses"`
	FixedExpenses      BudgetTotal `json:"totalFixedExpenses"`
	NonMonthlyExpenses BudgetTotal `json:"totalNonMonthlyExpenses"`
	FlexibleExpenses   BudgetTotal `json:"totalFlexibleExpenses"`
}

// CategoryBudget is a category's budget by month, with its names joined in.
type CategoryBudget struct {
	CategoryID, CategoryName string
	GroupID, GroupName       string
	// GroupType is "income", "expense" or "transfer".
	GroupType         string
	ExcludeFromBudget bool
	Months            []BudgetAmounts
}

// GroupBudget is a category group's budget by month.
type GroupBudget struct {
	GroupID, GroupName, GroupType string
	Months                        []BudgetAmounts
}

// Budgets is the budget for a range of months.
type Budgets struct {
	// System is "groups_and_categories" or "fixed_and_flex".
	System string
	// Months are the totals by month.
	Months []BudgetMonth
	// Categories and Groups are the budget lines.
	Categories []CategoryBudget
	Groups     []GroupBudget
	// FlexExpense is the flexible-expense budget of "fixed_and_flex"
	// households (nil otherwise).
	FlexExpense []BudgetAmounts
}

// budgetAnswer is the Common_GetJointPlanningData answer.
type budgetAnswer struct {
	BudgetSystem *string `json:"budgetSystem"`
	BudgetData   *struct {
		ByCategory []struct {
			Category *struct {
				ID string `json:"id"`
			} `json:"category"`
			MonthlyAmounts []BudgetAmounts `json:"monthlyAmounts"`
		} `json:"monthlyAmountsByCategory"`
		ByGroup []struct {
			CategoryGroup *struct {
				ID string `json:"id"`
			} `json:"categoryGroup"`
			MonthlyAmounts []BudgetAmounts `json:"monthlyAmounts"`
		} `json:"monthlyAmountsByCategoryGroup"`
		Flex *struct {
			MonthlyAmounts []BudgetAmounts `json:"monthlyAmounts"`
		} `json:"monthlyAmountsForFlexExpense"`
		TotalsByMonth *[]BudgetMonth `json:"totalsByMonth"`
	} `json:"budgetData"`
	CategoryGroups *[]struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		Type       string `json:"type"`
		Categories []struct {
			ID                string `json:"id"`
			Name              string `json:"name"`
			ExcludeFromBudget bool   `json:"excludeFromBudget"`
		} `json:"categories"`
	} `json:"categoryGroups"`
}

func (a *budgetAnswer) validate() error {
	if a.BudgetData == nil || a.BudgetData.TotalsByMonth == nil || a.CategoryGroups == nil {
		return fmt.Errorf("the answer has no budgetData.totalsByMonth or categoryGroups")
	}
	for _, m := range *a.BudgetData.TotalsByMonth {
		if m.Month == "" {
			return fmt.Errorf("a month of totalsByMonth has no month")
		}
	}
	for _, c := range a.BudgetData.ByCategory {
		if c.Category == nil || c.Category.ID == "" {
			return fmt.Errorf("a line of monthlyAmountsByCategory has no category.id")
		}
	}
	return nil
}

// GetBudgets returns the budget from the month of start to the month of end
// (inclusive). Both are YYYY-MM or YYYY-MM-DD.
func (c *Client) GetBudgets(ctx context.Context, start, end string) (Budgets, error) {
	s, err := parseMonth("start", start)
	if err != nil {
		return Budgets{}, err
	}
	e, err := parseMonth("end", end)
	if err != nil {
		return Budgets{}, err
	}
	if e.Before(s) {
		return Budgets{}, fmt.Errorf("monarch: GetBudgets: end month %s is before start month %s", e.Format("2006-01"), s.Format("2006-01"))
	}
	vars := map[string]any{
		"startDate": s.Format(dateLayout),
		"endDate":   e.AddDate(0, 1, -1).Format(dateLayout), // last day of the end month
	}
	var a budgetAnswer
	if err := c.graphQL(ctx, opBudgets, vars, &a); err != nil {
		return Budgets{}, err
	}
	type catInfo struct {
		name, groupID, groupName, groupType string
		exclude                             bool
	}
	cats := map[string]catInfo{}
	groups := map[string][2]string{}
	for _, g := range *a.CategoryGroups {
		groups[g.ID] = [2]string{g.Name, g.Type}
		for _, c := range g.Categories {
			cats[c.ID] = catInfo{c.Name, g.ID, g.Name, g.Type, c.ExcludeFromBudget}
		}
	}
	b := Budgets{System: deref(a.BudgetSystem), Months: *a.BudgetData.TotalsByMonth}
	for _, l := range a.BudgetData.ByCategory {
		ci := cats[l.Category.ID]
		b.Categories = append(b.Categories, CategoryBudget{
			CategoryID: l.Category.ID, CategoryName: ci.name, GroupID: ci.groupID, GroupName: ci.groupName,
			GroupType: ci.groupType, ExcludeFromBudget: ci.exclude, Months: l.MonthlyAmounts,
		})
	}
	for _, l := range a.BudgetData.ByGroup {
		if l.CategoryGroup == nil {
			continue
		}
		g := groups[l.CategoryGroup.ID]
		b.Groups = append(b.Groups, GroupBudget{GroupID: l.CategoryGroup.ID, GroupName: g[0], GroupType: g[1], Months: l.MonthlyAmounts})
	}
	if a.BudgetData.Flex != nil {
		b.FlexExpense = a.BudgetData.Flex.MonthlyAmounts
	}
	return b, nil
}

// parseMonth returns the first day of the month of a YYYY-MM or YYYY-MM-DD
// string.
func parseMonth(name, s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		t, err = time.Parse(dateLayout, s)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("monarch: %s month %q is not of the form YYYY-MM", name, s)
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), nil
}

// BudgetUpdate sets a month's budget for one category or one category group
// (exactly one of CategoryID and GroupID). Month is YYYY-MM or YYYY-MM-DD.
// Amount 0 clears the budget. ApplyToFuture also sets every later month.
type BudgetUpdate struct {
	CategoryID, GroupID string
	Month               string
	Amount              float64
	ApplyToFuture       bool
}

// SetBudgetAmount applies u. An unknown category or group is an error
// matching ErrNotFound.
func (c *Client) SetBudgetAmount(ctx context.Context, u BudgetUpdate) error {
	if (u.CategoryID == "") == (u.GroupID == "") {
		return fmt.Errorf("monarch: SetBudgetAmount: give exactly one of CategoryID and GroupID")
	}
	m, err := parseMonth("budget", u.Month)
	if err != nil {
		return err
	}
	if math.IsNaN(u.Amount) || math.IsInf(u.Amount, 0) {
		return fmt.Errorf("monarch: SetBudgetAmount: Amount is not a number")
	}
	in := map[string]any{
		"startDate": m.Format(dateLayout), "timeframe": "month", // Monarch's only timeframe
		"categoryId": nil, "categoryGroupId": nil,
		"amount": math.Round(u.Amount*100) / 100, "applyToFuture": u.ApplyToFuture,
	}
	what, id := "category", u.CategoryID
	if u.CategoryID != "" {
		in["categoryId"] = u.CategoryID
	} else {
		in["categoryGroupId"] = u.GroupID
		what, id = "category group", u.GroupID
	}
	var out struct {
		Update *struct {
			Item *struct {
				ID *string `json:"id"`
			} `json:"budgetItem"`
		} `json:"updateOrCreateBudgetItem"`
	}
	if err := c.graphQL(ctx, opSetBudget, map[string]any{"input": in}, &out); err != nil {
		return notFound(what, id, err)
	}
	if out.Update == nil || out.Update.Item == nil || out.Update.Item.ID == nil {
		return &UnexpectedResponseError{Operation: opSetBudget.name, Reason: "the answer has no updateOrCreateBudgetItem.budgetItem.id"}
	}
	return nil
}
