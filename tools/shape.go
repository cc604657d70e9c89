package tools

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Shaping: Monarch's types → the compact results tools return. Only what an
// assistant needs survives: ids, names, amounts, dates, currency and the
// names of related things; never typenames, logos or colours.

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func ptr[T any](v T) *T { return &v }

func shapeAccount(a monarch.Account) account {
	out := account{
		ID:        a.ID,
		Name:      a.DisplayName,
		Type:      a.Type.Display,
		Subtype:   a.Subtype.Display,
		Currency:  "USD", // Monarch's GetAccounts selects no currency; Monarch households are single-currency
		IsAsset:   a.IsAsset,
		IsHidden:  a.IsHidden,
		Mask:      a.Mask,
		UpdatedAt: a.UpdatedAt,
	}
	switch {
	case a.DisplayBalance != nil:
		out.Balance = round2(*a.DisplayBalance)
	case a.CurrentBalance != nil:
		out.Balance = round2(*a.CurrentBalance)
	}
	if a.Institution != nil {
		out.Institution = a.Institution.Name
	}
	return out
}

func shapeHolding(h monarch.Holding) holding {
	out := holding{ID: h.ID, Name: h.Name(), Ticker: h.Ticker(), Quantity: h.Quantity}
	if h.Security != nil {
		out.Type = h.Security.TypeDisplay
		if h.Security.CurrentPrice != nil {
			out.Price = ptr(*h.Security.CurrentPrice)
		}
	}
	if h.TotalValue != nil {
		out.Value = ptr(round2(*h.TotalValue))
	}
	if h.Basis != nil {
		out.CostBasis = ptr(round2(*h.Basis))
	}
	return out
}

// shapeHistory keeps the points within [start, end] (zero = open), newest
// first.
func shapeHistory(points []monarch.BalancePoint, start, end time.Time) []balancePoint {
	out := make([]balancePoint, 0, len(points))
	for _, p := range points {
		d, err := time.Parse(dateLayout, p.Date)
		if err != nil || (!start.IsZero() && d.Before(start)) || (!end.IsZero() && d.After(end)) {
			continue
		}
		out = append(out, balancePoint{Date: p.Date, Balance: round2(p.Balance)})
	}
	slices.SortStableFunc(out, func(a, b balancePoint) int { return cmp.Compare(b.Date, a.Date) })
	return out
}

func shapeTransaction(t monarch.Transaction) transaction {
	out := transaction{
		ID:              t.ID,
		Date:            t.Date,
		Amount:          round2(t.Amount),
		Statement:       t.OriginalStatement,
		Notes:           t.Notes,
		Pending:         t.Pending,
		HideFromReports: t.HideFromReports,
		NeedsReview:     t.NeedsReview,
		Recurring:       t.IsRecurring,
		Split:           t.IsSplit,
	}
	if t.Merchant != nil {
		out.Merchant = t.Merchant.Name
	}
	if t.Category != nil {
		out.Category, out.CategoryID = t.Category.Name, t.Category.ID
	}
	if t.Account != nil {
		out.Account, out.AccountID = t.Account.DisplayName, t.Account.ID
	}
	for _, tg := range t.Tags {
		out.Tags = append(out.Tags, tg.Name)
	}
	return out
}

func shapeTransactionsSummary(s monarch.TransactionsSummary) transactionsSummary {
	return transactionsSummary{
		Count: s.Count, Sum: round2(s.Sum), Average: round2(s.Avg), Largest: round2(s.Max),
		LargestSpend: round2(s.MaxExpense), Income: round2(s.SumIncome), Expense: round2(s.SumExpense),
		FirstDate: s.First, LastDate: s.Last,
	}
}

func shapeCategory(c monarch.Category) category {
	out := category{ID: c.ID, Name: c.Name, IsSystem: c.IsSystemCategory}
	if c.Group != nil {
		out.Group, out.GroupID, out.GroupType = c.Group.Name, c.Group.ID, c.Group.Type
	}
	return out
}

func shapeTag(t monarch.Tag) tag { return tag{ID: t.ID, Name: t.Name} }

func shapeInstitutions(cs []monarch.Credential) []institution {
	out := make([]institution, 0, len(cs))
	for _, c := range cs {
		in := institution{ID: c.ID, Status: c.DataProvider, LastSync: c.DisplayLastUpdatedAt, NeedsAttention: c.UpdateRequired}
		if c.Institution != nil {
			in.Name = c.Institution.Name
		}
		out = append(out, in)
	}
	return out
}

func shapeBudgets(b monarch.Budgets) budgetsResult {
	res := budgetsResult{Totals: []budgetMonth{}, Lines: []budgetLine{}}
	for _, m := range b.Months {
		res.Totals = append(res.Totals, budgetMonth{
			Month:          monthOf(m.Month),
			PlannedIncome:  ptr(round2(m.Income.Planned)),
			ActualIncome:   ptr(round2(m.Income.Actual)),
			PlannedExpense: ptr(round2(m.Expenses.Planned)),
			ActualExpense:  ptr(round2(m.Expenses.Actual)),
		})
	}
	for _, c := range b.Categories {
		for _, m := range c.Months {
			if m.Planned == 0 && m.Actual == 0 {
				continue
			}
			res.Lines = append(res.Lines, budgetLine{
				Month: monthOf(m.Month), CategoryID: c.CategoryID, Category: c.CategoryName, Group: c.GroupName,
				Planned: ptr(round2(m.Planned)), Actual: ptr(round2(m.Actual)), Remaining: ptr(round2(m.Remaining)),
			})
		}
	}
	return res
}

func monthOf(date string) string {
	if len(date) >= 7 {
		return date[:7]
	}
	return date
}

func shapeCashflow(cf monarch.Cashflow) cashflowResult {
	items := func(in []monarch.CashflowItem) []cashflowItem {
		out := make([]cashflowItem, 0, len(in))
		for _, x := range in {
			out = append(out, cashflowItem{ID: x.ID, Name: x.Name, Group: x.Type, Amount: round2(x.Sum)})
		}
		slices.SortStableFunc(out, func(a, b cashflowItem) int { return cmp.Compare(math.Abs(b.Amount), math.Abs(a.Amount)) })
		return out
	}
	return cashflowResult{
		Summary:    shapeCashflowSummary(cf.Summary),
		Categories: items(cf.ByCategory),
		Groups:     items(cf.ByGroup),
		Merchants:  items(cf.ByMerchant),
	}
}

func shapeCashflowSummary(s monarch.CashflowSummary) cashflowSummary {
	out := cashflowSummary{Income: round2(s.SumIncome), Expense: round2(s.SumExpense), Savings: round2(s.Savings)}
	if s.SumIncome != 0 {
		out.SavingsRate = ptr(math.Round(s.SavingsRate*1000) / 1000)
	}
	return out
}

func shapeRecurring(items []monarch.RecurringItem) []recurringItem {
	out := make([]recurringItem, 0, len(items))
	for _, r := range items {
		it := recurringItem{Date: r.Date, Frequency: r.Stream.Frequency, IsPast: r.IsPast, Paid: r.TransactionID != ""}
		if r.Stream.Merchant != nil {
			it.Merchant = r.Stream.Merchant.Name
		}
		if r.Amount != nil {
			it.Amount = ptr(round2(*r.Amount))
		}
		if r.Category != nil {
			it.Category = r.Category.Name
		}
		if r.Account != nil {
			it.Account, it.AccountID = r.Account.DisplayName, r.Account.ID
		}
		out = append(out, it)
	}
	return out
}
