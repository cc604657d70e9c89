package monarch

import (
	"context"
	"fmt"
)

// CashflowSummary is income and spending over a period. SumExpense is
// negative; SavingsRate is a fraction (0.25 = 25%).
type CashflowSummary struct {
	SumIncome   float64 `json:"sumIncome"`
	SumExpense  float64 `json:"sumExpense"`
	Savings     float64 `json:"savings"`
	SavingsRate float64 `json:"savingsRate"`
}

// CashflowItem is the total of one category, category group or merchant.
// ID and Name are empty for uncategorized transactions.
type CashflowItem struct {
	ID, Name string
	// GroupID is the category's group (categories only).
	GroupID string
	// Type is "income", "expense" or "transfer" (categories and groups).
	Type string
	// Sum is the signed total; for merchants SumIncome + SumExpense.
	Sum float64
	// SumIncome and SumExpense are set for merchants only.
	SumIncome, SumExpense float64
}

// Cashflow is income and spending over a period, in total and broken down.
type Cashflow struct {
	Summary    CashflowSummary
	ByCategory []CashflowItem
	ByGroup    []CashflowItem
	ByMerchant []CashflowItem
}

type cashflowAnswer struct {
	ByCategory *[]struct {
		GroupBy struct {
			Category *struct {
				ID    string `json:"id"`
				Name  string `json:"name"`
				Group *struct {
					ID   string `json:"id"`
					Type string `json:"type"`
				} `json:"group"`
			} `json:"category"`
		} `json:"groupBy"`
		Summary *struct {
			Sum *float64 `json:"sum"`
		} `json:"summary"`
	} `json:"byCategory"`
	ByCategoryGroup *[]struct {
		GroupBy struct {
			CategoryGroup *struct {
				ID   string `json:"id"`
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"categoryGroup"`
		} `json:"groupBy"`
		Summary *struct {
			Sum *float64 `json:"sum"`
		} `json:"summary"`
	} `json:"byCategoryGroup"`
	ByMerchant *[]struct {
		GroupBy struct {
			Merchant *struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"merchant"`
		} `json:"groupBy"`
		Summary *struct {
			SumIncome  *float64 `json:"sumIncome"`
			SumExpense *float64 `json:"sumExpense"`
		} `json:"summary"`
	} `json:"byMerchant"`
	Summary *aggregateList[CashflowSummary] `json:"summary"`
}

func (a *cashflowAnswer) validate() error {
	if a.ByCategory == nil || a.ByCategoryGroup == nil || a.ByMerchant == nil {
		return fmt.Errorf("the answer has no byCategory, byCategoryGroup or byMerchant list")
	}
	for _, x := range *a.ByCategory {
		if x.Summary == nil || x.Summary.Sum == nil {
			return fmt.Errorf("a byCategory line has no summary.sum")
		}
	}
	for _, x := range *a.ByCategoryGroup {
		if x.Summary == nil || x.Summary.Sum == nil {
			return fmt.Errorf("a byCategoryGroup line has no summary.sum")
		}
	}
	for _, x := range *a.ByMerchant {
		if x.Summary == nil || x.Summary.SumIncome == nil || x.Summary.SumExpense == nil {
			return fmt.Errorf("a byMerchant line has no summary.sumIncome/sumExpense")
		}
	}
	return nil
}

// cashflowFilters returns the filters for a period of YYYY-MM-DD dates.
func cashflowFilters(start, end string) (map[string]any, error) {
	if err := checkDate("start date", start); err != nil {
		return nil, err
	}
	if err := checkDate("end date", end); err != nil {
		return nil, err
	}
	return map[string]any{"filters": map[string]any{
		"search": "", "categories": []string{}, "accounts": []string{}, "tags": []string{},
		"startDate": start, "endDate": end,
	}}, nil
}

// GetCashflow returns income and spending from start to end (YYYY-MM-DD,
// inclusive), in total and by category, category group and merchant.
func (c *Client) GetCashflow(ctx context.Context, start, end string) (Cashflow, error) {
	vars, err := cashflowFilters(start, end)
	if err != nil {
		return Cashflow{}, err
	}
	var a cashflowAnswer
	if err := c.graphQL(ctx, opCashflow, vars, &a); err != nil {
		return Cashflow{}, err
	}
	sum, err := a.Summary.first(opCashflow, "summary")
	if err != nil {
		return Cashflow{}, err
	}
	cf := Cashflow{Summary: sum}
	for _, x := range *a.ByCategory {
		it := CashflowItem{Sum: *x.Summary.Sum}
		if cat := x.GroupBy.Category; cat != nil {
			it.ID, it.Name = cat.ID, cat.Name
			if cat.Group != nil {
				it.GroupID, it.Type = cat.Group.ID, cat.Group.Type
			}
		}
		cf.ByCategory = append(cf.ByCategory, it)
	}
	for _, x := range *a.ByCategoryGroup {
		it := CashflowItem{Sum: *x.Summary.Sum}
		if g := x.GroupBy.CategoryGroup; g != nil {
			it.ID, it.Name, it.Type = g.ID, g.Name, g.Type
		}
		cf.ByGroup = append(cf.ByGroup, it)
	}
	for _, x := range *a.ByMerchant {
		it := CashflowItem{SumIncome: *x.Summary.SumIncome, SumExpense: *x.Summary.SumExpense}
		it.Sum = it.SumIncome + it.SumExpense
		if m := x.GroupBy.Merchant; m != nil {
			it.ID, it.Name = m.ID, m.Name
		}
		cf.ByMerchant = append(cf.ByMerchant, it)
	}
	return cf, nil
}

// GetCashflowSummary returns total income, spending, savings and savings
// rate from start to end (YYYY-MM-DD, inclusive).
func (c *Client) GetCashflowSummary(ctx context.Context, start, end string) (CashflowSummary, error) {
	vars, err := cashflowFilters(start, end)
	if err != nil {
		return CashflowSummary{}, err
	}
	var a struct {
		Summary *aggregateList[CashflowSummary] `json:"summary"`
	}
	if err := c.graphQL(ctx, opCashflowSummary, vars, &a); err != nil {
		return CashflowSummary{}, err
	}
	return a.Summary.first(opCashflowSummary, "summary")
}
