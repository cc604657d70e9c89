package tools

import (
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// Tests of the category, budget, net worth, merchant and recurring-review
// tools against the sandbox.

// groupNamed finds a group in get_category_groups' result.
func (f *fixture) groupNamed(t *testing.T, name string) categoryGroup {
	t.Helper()
	var res categoryGroupsResult
	f.decode(t, "get_category_groups", nil, &res)
	for _, g := range res.Groups {
		if g.Name == name {
			return g
		}
	}
	t.Fatalf("no group %q in %+v", name, res.Groups)
	return categoryGroup{}
}

func TestGetCategoryGroups(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var res categoryGroupsResult
	f.decode(t, "get_category_groups", nil, &res)
	if res.Count != 11 || res.TotalCount != 11 || res.Truncated || len(res.Groups) != 11 {
		t.Fatalf("list %+v with %d groups", res.list, len(res.Groups))
	}
	if g := res.Groups[0]; g.Name != "Income" || g.Type != "income" || len(g.Categories) != 3 || g.Categories[0].Name != "Paychecks" {
		t.Errorf("first group %+v", g)
	}
	food := f.groupNamed(t, "Food & Dining")
	if food.Type != "expense" || len(food.Categories) != 3 || food.Categories[0].Name != "Groceries" || food.Categories[0].ID == "" {
		t.Errorf("Food & Dining %+v", food)
	}
}

// uniqueName returns a name no demo category or merchant has, for tests
// that create one.
func uniqueName() string { return rand.Text()[:10] }

func TestCreateCategory(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	food := f.groupNamed(t, "Food & Dining")
	var res categoryResult
	f.decode(t, "create_category", map[string]any{"group_id": food.ID, "name": "  Snacks ", "icon": "🍪"}, &res)
	if res.Category.ID == "" || res.Category.Name != "Snacks" || res.Category.GroupID != food.ID || res.Category.IsSystem {
		t.Fatalf("created %+v", res.Category)
	}
	// Later reads see it, in its group.
	food = f.groupNamed(t, "Food & Dining")
	if last := food.Categories[len(food.Categories)-1]; last.ID != res.Category.ID || last.Name != "Snacks" {
		t.Errorf("group after create: %+v", food.Categories)
	}
	var cats categoriesResult
	f.decode(t, "get_transaction_categories", nil, &cats)
	if cats.Count != 24 {
		t.Errorf("%d categories after create, want 24", cats.Count)
	}

	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"duplicate name", map[string]any{"group_id": food.ID, "name": "snacks"}, "already exists"},
		{"duplicate demo name", map[string]any{"group_id": food.ID, "name": "Groceries"}, "already exists"},
		{"unknown group", map[string]any{"group_id": "no-such-group", "name": "X"}, "no-such-group"},
		{"blank name", map[string]any{"group_id": food.ID, "name": "  "}, "name must not be empty"},
		{"long name", map[string]any{"group_id": food.ID, "name": strings.Repeat("x", 101)}, "at most 100"},
		{"no group", map[string]any{"name": "X"}, "group_id is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "create_category", tt.args, tt.want) })
	}
	f.decode(t, "get_transaction_categories", nil, &cats)
	if cats.Count != 24 {
		t.Errorf("%d categories after refused creates, want 24", cats.Count)
	}
}

// categoryNamed finds a category in get_transaction_categories' result.
func (f *fixture) categoryNamed(t *testing.T, name string) (category, bool) {
	t.Helper()
	var cats categoriesResult
	f.decode(t, "get_transaction_categories", nil, &cats)
	for _, c := range cats.Categories {
		if c.Name == name {
			return c, true
		}
	}
	return category{}, false
}

func TestUpdateCategory(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	coffee, _ := f.categoryNamed(t, "Coffee Shops")
	lifestyle := f.groupNamed(t, "Lifestyle")

	// Dry run: says what would change, changes nothing.
	var dry updateCategoryResult
	f.decode(t, "update_category", map[string]any{"category_id": coffee.ID, "name": "Cafés", "dry_run": true}, &dry)
	if !dry.DryRun || dry.Category.Name != "Cafés" || len(dry.Changes) != 1 || dry.Changes[0] != "name: Coffee Shops → Cafés" {
		t.Errorf("dry run %+v", dry)
	}
	if _, ok := f.categoryNamed(t, "Coffee Shops"); !ok {
		t.Fatal("dry run renamed the category")
	}

	var res updateCategoryResult
	f.decode(t, "update_category", map[string]any{"category_id": coffee.ID, "name": "Cafés", "group_id": lifestyle.ID}, &res)
	if res.DryRun || res.Category.ID != coffee.ID || res.Category.Name != "Cafés" || res.Category.GroupID != lifestyle.ID || len(res.Changes) != 2 {
		t.Errorf("update %+v", res)
	}
	if c, ok := f.categoryNamed(t, "Cafés"); !ok || c.GroupID != lifestyle.ID || c.Group != "Lifestyle" {
		t.Errorf("renamed category reads back as %+v (found %v)", c, ok)
	}
	// Transactions follow the category.
	var txns transactionsResult
	f.decode(t, "get_transactions", map[string]any{"category_ids": []any{coffee.ID}, "limit": 1}, &txns)
	if txns.Count != 1 || txns.Transactions[0].Category != "Cafés" {
		t.Errorf("transactions after rename: %+v", txns.Transactions)
	}

	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"name taken", map[string]any{"category_id": coffee.ID, "name": "groceries"}, "already exists"},
		{"unknown category", map[string]any{"category_id": "no-such-category", "name": "X"}, "no-such-category"},
		{"unknown group", map[string]any{"category_id": coffee.ID, "group_id": "no-such-group"}, "not found"},
		{"nothing to change", map[string]any{"category_id": coffee.ID}, "nothing to change"},
		{"blank name", map[string]any{"category_id": coffee.ID, "name": ""}, "name must not be empty"},
		{"blank icon", map[string]any{"category_id": coffee.ID, "icon": " "}, "icon must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "update_category", tt.args, tt.want) })
	}
	if c, ok := f.categoryNamed(t, "Cafés"); !ok || c.GroupID != lifestyle.ID {
		t.Errorf("refused updates changed the category: %+v", c)
	}
}

// planned returns a category's planned budget for a month from get_budgets.
func (f *fixture) planned(t *testing.T, categoryID, month string) float64 {
	t.Helper()
	var b budgetsResult
	f.decode(t, "get_budgets", map[string]any{"start_month": month}, &b)
	for _, l := range b.Lines {
		if l.CategoryID == categoryID && l.Planned != nil {
			return *l.Planned
		}
	}
	return 0
}

func TestSetBudgetAmount(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	groceries, _ := f.categoryNamed(t, "Groceries")
	transfer, _ := f.categoryNamed(t, "Transfer")
	month := f.clock.Now().Format("2006-01")
	next := f.clock.Now().AddDate(0, 1, 0).Format("2006-01")

	var dry setBudgetResult
	f.decode(t, "set_budget_amount", map[string]any{"category_id": groceries.ID, "amount": 600, "dry_run": true}, &dry)
	if !dry.DryRun || dry.Month != month || dry.Name != "Groceries" || dry.Previous == nil || *dry.Previous != 750 || dry.Amount != 600 {
		t.Errorf("dry run %+v", dry)
	}
	if got := f.planned(t, groceries.ID, month); got != 750 {
		t.Fatalf("dry run changed the budget to %v", got)
	}

	// One month only.
	var res setBudgetResult
	f.decode(t, "set_budget_amount", map[string]any{"category_id": groceries.ID, "amount": 600.004, "month": month}, &res)
	if res.DryRun || res.Amount != 600 || *res.Previous != 750 {
		t.Errorf("set %+v", res)
	}
	if a, b := f.planned(t, groceries.ID, month), f.planned(t, groceries.ID, next); a != 600 || b != 750 {
		t.Errorf("after one month: %v, %v; want 600, 750", a, b)
	}
	// And every later month.
	f.decode(t, "set_budget_amount", map[string]any{"category_id": groceries.ID, "amount": 0, "month": next, "apply_to_future": true}, &res)
	later := f.clock.Now().AddDate(0, 5, 0).Format("2006-01")
	if a, b, c := f.planned(t, groceries.ID, month), f.planned(t, groceries.ID, next), f.planned(t, groceries.ID, later); a != 600 || b != 0 || c != 0 {
		t.Errorf("after apply_to_future: %v, %v, %v; want 600, 0, 0", a, b, c)
	}
	// A group.
	food := f.groupNamed(t, "Food & Dining")
	f.decode(t, "set_budget_amount", map[string]any{"category_group_id": food.ID, "amount": 900}, &res)
	if res.Name != "Food & Dining" || res.Previous == nil || res.GroupID != food.ID {
		t.Errorf("group %+v", res)
	}

	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"both ids", map[string]any{"category_id": groceries.ID, "category_group_id": food.ID, "amount": 1}, "exactly one of category_id"},
		{"no id", map[string]any{"amount": 1}, "exactly one of category_id"},
		{"blank id", map[string]any{"category_id": " ", "amount": 1}, "blank"},
		{"bad month", map[string]any{"category_id": groceries.ID, "amount": 1, "month": "2026-13"}, "month must be a month in YYYY-MM form"},
		{"unknown category", map[string]any{"category_id": "no-such-category", "amount": 1}, "no-such-category"},
		{"transfer category", map[string]any{"category_id": transfer.ID, "amount": 1}, "cannot be budgeted"},
		{"no amount", map[string]any{"category_id": groceries.ID}, "amount is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "set_budget_amount", tt.args, tt.want) })
	}
}

func TestGetSpendingSummary(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	end := f.clock.Now()
	start := end.AddDate(0, -3, 0)
	rng := map[string]any{"start_date": start.Format("2006-01-02"), "end_date": end.Format("2006-01-02")}
	with := func(kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range rng {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	var all spendingResult
	f.decode(t, "get_spending_summary", with("limit", 100), &all)
	if all.GroupBy != "category" || all.TotalSpending <= 0 || all.TotalIncome <= 0 || all.Truncated || all.Count == 0 {
		t.Fatalf("summary %+v", all)
	}
	sum, share := 0.0, 0.0
	for i, it := range all.Items {
		if it.Amount <= 0 || (i > 0 && it.Amount > all.Items[i-1].Amount) {
			t.Errorf("item %d %+v out of order or not spending", i, it)
		}
		if it.Name == "Transfer" || it.Name == "Credit Card Payment" || it.Name == "Paychecks" {
			t.Errorf("%s counted as spending", it.Name)
		}
		sum += it.Amount
		share += it.Share
	}
	if d := sum - all.TotalSpending; d > 0.05 || d < -0.05 {
		t.Errorf("categories sum to %.2f, total_spending %.2f", sum, all.TotalSpending)
	}
	if share < 99.5 || share > 100.5 {
		t.Errorf("shares sum to %.2f%%", share)
	}
	// The cash flow tool agrees on the total.
	var cf cashflowResult
	f.decode(t, "get_cashflow", rng, &cf)
	if cf.Summary.Expense != -all.TotalSpending {
		t.Errorf("get_cashflow expense %v, total_spending %v", cf.Summary.Expense, all.TotalSpending)
	}

	// Paging through the top items.
	var top spendingResult
	f.decode(t, "get_spending_summary", with("limit", 2), &top)
	if top.Count != 2 || !top.Truncated || top.NextOffset == nil || *top.NextOffset != 2 || top.Items[0] != all.Items[0] {
		t.Errorf("top 2: %+v", top)
	}
	var next spendingResult
	f.decode(t, "get_spending_summary", with("limit", 2, "offset", 2), &next)
	if next.Items[0] != all.Items[2] {
		t.Errorf("second page starts with %+v, want %+v", next.Items[0], all.Items[2])
	}
	for _, by := range []string{"group", "merchant"} {
		var r spendingResult
		f.decode(t, "get_spending_summary", with("group_by", by, "limit", 100), &r)
		if r.GroupBy != by || r.Count == 0 || r.TotalSpending != all.TotalSpending {
			t.Errorf("group_by %s: %+v", by, r)
		}
	}

	tests := []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"group_by": "day"}, "group_by must be category, group or merchant"},
		{map[string]any{"limit": 0}, "limit must be between 1 and 100"},
		{map[string]any{"offset": -1}, "offset must be 0 or more"},
		{map[string]any{"start_date": "2026-02-01", "end_date": "2026-01-01"}, "end_date (2026-01-01) is before start_date"},
		{map[string]any{"start_date": "2026/01/01"}, "start_date must be a date"},
	}
	for _, tt := range tests {
		f.wantError(t, "get_spending_summary", tt.args, tt.want)
	}
}

func TestGetCashflowByMonth(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	now := f.clock.Now()
	var def cashflowByMonthResult
	f.decode(t, "get_cashflow_by_month", nil, &def)
	if def.Count != 6 || len(def.Months) != 6 || def.EndMonth != now.Format("2006-01") || def.Months[5].Month != def.EndMonth || def.Months[0].Month != def.StartMonth {
		t.Fatalf("default range %+v", def)
	}
	// Each month matches get_cashflow_summary for that month; the total is the sum.
	inc, exp := 0.0, 0.0
	for _, m := range def.Months {
		first, _ := time.Parse("2006-01", m.Month)
		var s cashflowSummaryResult
		f.decode(t, "get_cashflow_summary", map[string]any{"start_date": first.Format("2006-01-02"), "end_date": first.AddDate(0, 1, -1).Format("2006-01-02")}, &s)
		if s.cashflowSummary.Income != m.Income || s.cashflowSummary.Expense != m.Expense {
			t.Errorf("%s: %+v, get_cashflow_summary says %+v", m.Month, m.cashflowSummary, s.cashflowSummary)
		}
		if m.Income <= 0 || m.Expense >= 0 {
			t.Errorf("%s: implausible %+v", m.Month, m.cashflowSummary)
		}
		inc += m.Income
		exp += m.Expense
	}
	if round2(inc) != def.Total.Income || round2(exp) != def.Total.Expense || def.Total.SavingsRate == nil {
		t.Errorf("total %+v, months sum to %.2f / %.2f", def.Total, inc, exp)
	}

	var one cashflowByMonthResult
	f.decode(t, "get_cashflow_by_month", map[string]any{"start_month": def.Months[2].Month, "end_month": def.Months[2].Month}, &one)
	if one.Count != 1 || one.Months[0].Month != def.Months[2].Month || one.Months[0].Income != def.Months[2].Income || one.Months[0].Expense != def.Months[2].Expense {
		t.Errorf("one month %+v, want %+v", one.Months, def.Months[2])
	}

	tests := []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"start_month": "2026-5"}, "start_month must be a month in YYYY-MM form"},
		{map[string]any{"start_month": "2026-05", "end_month": "2026-01"}, "end_month (2026-01) is before start_month"},
		{map[string]any{"start_month": "2020-01", "end_month": "2026-01"}, "at most 24"},
	}
	for _, tt := range tests {
		f.wantError(t, "get_cashflow_by_month", tt.args, tt.want)
	}
}

func TestGetNetWorth(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var accts accountsResult
	f.decode(t, "get_accounts", nil, &accts)
	today := f.clock.Now().Format("2006-01-02")

	var def netWorthResult
	f.decode(t, "get_net_worth", nil, &def)
	if def.Interval != "month" || def.EndDate != today || def.Count < 12 || def.Count > 14 || def.Latest == nil || def.Change == nil {
		t.Fatalf("default %+v", def)
	}
	last := def.Points[len(def.Points)-1]
	// Liabilities are negative balances in Monarch's data, so the sum of
	// signed balances is the net worth.
	want := 0.0
	for _, a := range accts.Accounts {
		if a.IsAsset {
			want += a.Balance
		} else {
			want -= abs(a.Balance)
		}
	}
	if last.Date != today || abs(last.NetWorth-round2(want)) > 0.05 {
		t.Errorf("today's net worth %+v, accounts say %.2f", last, want)
	}

	var daily netWorthResult
	start := f.clock.Now().AddDate(0, 0, -9).Format("2006-01-02")
	f.decode(t, "get_net_worth", map[string]any{"start_date": start, "interval": "day"}, &daily)
	if daily.Count != 10 || daily.Points[0].Date != start || daily.Points[9].Date != today || *daily.Latest != last.NetWorth {
		t.Errorf("daily %+v", daily)
	}
	var weekly netWorthResult
	f.decode(t, "get_net_worth", map[string]any{"start_date": f.clock.Now().AddDate(0, 0, -60).Format("2006-01-02"), "interval": "week"}, &weekly)
	if weekly.Count < 9 || weekly.Count > 11 {
		t.Errorf("weekly: %d points", weekly.Count)
	}
	var loans netWorthResult
	f.decode(t, "get_net_worth", map[string]any{"account_type": "loan", "start_date": start}, &loans)
	if loans.Latest == nil || *loans.Latest >= 0 || *loans.Latest < -400000 {
		t.Errorf("loans only: %+v", loans)
	}

	tests := []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"interval": "year"}, "interval must be day, week or month"},
		{map[string]any{"start_date": "2026-02-01", "end_date": "2026-01-01"}, "end_date (2026-01-01) is before start_date"},
		{map[string]any{"end_date": "tomorrow"}, "end_date must be a date"},
	}
	for _, tt := range tests {
		f.wantError(t, "get_net_worth", tt.args, tt.want)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestGetNetWorthByAccountType(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var res netWorthByTypeResult
	f.decode(t, "get_net_worth_by_account_type", nil, &res)
	if res.Timeframe != "month" || res.Count != 12 || res.Periods[11].Period != f.clock.Now().Format("2006-01") {
		t.Fatalf("default %+v", res.list)
	}
	// The current period agrees with get_net_worth's latest value.
	var nw netWorthResult
	f.decode(t, "get_net_worth", map[string]any{"start_date": f.clock.Now().Format("2006-01-02")}, &nw)
	cur := res.Periods[11]
	if abs(cur.NetWorth-*nw.Latest) > 0.05 || cur.Assets <= 0 || cur.Liabilities >= 0 || len(cur.ByType) != 4 {
		t.Errorf("current period %+v, net worth %v", cur, *nw.Latest)
	}
	for _, tb := range cur.ByType {
		if (tb.Type == "loan" || tb.Type == "credit") != (tb.Group == "liability") {
			t.Errorf("type %+v", tb)
		}
	}
	var yearly netWorthByTypeResult
	f.decode(t, "get_net_worth_by_account_type", map[string]any{"timeframe": "year", "start_month": f.clock.Now().AddDate(-1, 0, 0).Format("2006-01")}, &yearly)
	if yearly.Count != 2 || yearly.Periods[1].Period != f.clock.Now().Format("2006") || abs(yearly.Periods[1].NetWorth-cur.NetWorth) > 0.05 {
		t.Errorf("yearly %+v", yearly)
	}
	f.wantError(t, "get_net_worth_by_account_type", map[string]any{"timeframe": "week"}, "timeframe must be month or year")
	f.wantError(t, "get_net_worth_by_account_type", map[string]any{"start_month": "last year"}, "start_month must be a month")
}

// merchantFromTransactions returns the merchant id of a transaction whose
// merchant name contains name.
func (f *fixture) merchantID(t *testing.T, search string) string {
	t.Helper()
	var res merchantsResult
	f.decode(t, "get_merchant", map[string]any{"search": search}, &res)
	if res.Count == 0 {
		t.Fatalf("no merchant matches %q", search)
	}
	return res.Merchants[0].ID
}

func TestGetMerchant(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var found merchantsResult
	f.decode(t, "get_merchant", map[string]any{"search": "netf"}, &found)
	if found.Count != 1 || found.TotalCount != 1 || found.Merchants[0].Name != "Netflix" || found.Merchants[0].Recurring == nil {
		t.Fatalf("search: %+v", found)
	}
	var one merchantsResult
	f.decode(t, "get_merchant", map[string]any{"merchant_id": found.Merchants[0].ID}, &one)
	m := one.Merchants[0]
	if one.Count != 1 || m.Name != "Netflix" || m.TransactionCount < 11 || m.RuleCount == nil ||
		m.Recurring.Frequency != "monthly" || *m.Recurring.Amount != -15.49 || !m.Recurring.IsActive {
		t.Errorf("by id: %+v %+v", m, m.Recurring)
	}
	var page merchantsResult
	f.decode(t, "get_merchant", map[string]any{"search": "a", "limit": 3}, &page)
	if page.Count != 3 || !page.Truncated || *page.NextOffset != 3 || page.TotalCount <= 3 {
		t.Errorf("paging %+v", page.list)
	}
	f.wantError(t, "get_merchant", map[string]any{"merchant_id": "no-such-merchant"}, "no-such-merchant")
	f.wantError(t, "get_merchant", map[string]any{}, "exactly one of merchant_id and search")
	f.wantError(t, "get_merchant", map[string]any{"merchant_id": "1", "search": "x"}, "exactly one of merchant_id and search")
	f.wantError(t, "get_merchant", map[string]any{"search": "x", "limit": 0}, "limit must be between")
}

func TestUpdateMerchant(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	id := f.merchantID(t, "netflix")
	var dry updateMerchantResult
	f.decode(t, "update_merchant", map[string]any{"merchant_id": id, "name": "Netflix.com", "amount": -17.99, "dry_run": true}, &dry)
	if !dry.DryRun || dry.Merchant.Name != "Netflix" || len(dry.Changes) != 2 || dry.Changes[0] != "name: Netflix → Netflix.com" {
		t.Errorf("dry run %+v", dry)
	}
	var res updateMerchantResult
	f.decode(t, "update_merchant", map[string]any{"merchant_id": id, "name": "Netflix.com", "amount": -17.99}, &res)
	if res.Merchant.Name != "Netflix.com" || *res.Merchant.Recurring.Amount != -17.99 || res.Before.Name != "Netflix" {
		t.Errorf("update %+v", res)
	}
	// Transactions and recurring items follow the merchant.
	var txns transactionsResult
	f.decode(t, "get_transactions", map[string]any{"search": "netflix.com", "limit": 1}, &txns)
	if txns.TotalCount < 11 || txns.Transactions[0].Merchant != "Netflix.com" {
		t.Errorf("transactions after rename: %d %+v", txns.TotalCount, txns.Transactions)
	}
	// Pausing removes its upcoming items; not recurring removes the stream.
	upcoming := func() int {
		var r recurringResult
		f.decode(t, "get_recurring_transactions", map[string]any{"end_date": f.clock.Now().AddDate(0, 2, 0).Format("2006-01-02")}, &r)
		n := 0
		for _, it := range r.Items {
			if it.Merchant == "Netflix.com" {
				n++
			}
		}
		return n
	}
	if upcoming() == 0 {
		t.Fatal("no upcoming Netflix items")
	}
	f.decode(t, "update_merchant", map[string]any{"merchant_id": id, "is_active": false}, &res)
	if upcoming() != 0 || res.Merchant.Recurring.IsActive {
		t.Errorf("paused stream still upcoming: %+v", res.Merchant.Recurring)
	}
	res = updateMerchantResult{}
	f.decode(t, "update_merchant", map[string]any{"merchant_id": id, "is_recurring": false}, &res)
	if res.Merchant.Recurring != nil || res.Merchant.Name != "Netflix.com" {
		t.Errorf("not recurring: %+v", res.Merchant)
	}
	// And back, with a schedule.
	f.decode(t, "update_merchant", map[string]any{"merchant_id": id, "is_recurring": true, "frequency": "monthly", "amount": -17.99, "base_date": "2026-01-05"}, &res)
	if res.Merchant.Recurring == nil || upcoming() == 0 {
		t.Errorf("recurring again: %+v", res.Merchant)
	}

	tests := []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"merchant_id": "no-such-merchant", "name": "X"}, "no-such-merchant"},
		{map[string]any{"merchant_id": id, "name": "Spotify"}, "already exists"},
		{map[string]any{"merchant_id": id}, "nothing to change"},
		{map[string]any{"merchant_id": id, "name": " "}, "name must not be empty"},
		{map[string]any{"merchant_id": id, "base_date": "5th"}, "base_date must be a date"},
		{map[string]any{"merchant_id": id, "amount": 0}, "amount must be a non-zero amount"},
		{map[string]any{"merchant_id": f.merchantID(t, "starbucks"), "is_recurring": true}, "required"},
		{map[string]any{"merchant_id": f.merchantID(t, "starbucks"), "amount": -4.5}, "is_recurring must be true"},
	}
	for _, tt := range tests {
		f.wantError(t, "update_merchant", tt.args, tt.want)
	}
}

// streamID returns the recurring stream id of the merchant matching search.
func (f *fixture) streamID(t *testing.T, search string) string {
	t.Helper()
	var res merchantsResult
	f.decode(t, "get_merchant", map[string]any{"search": search}, &res)
	if res.Count == 0 || res.Merchants[0].Recurring == nil {
		t.Fatalf("no recurring merchant matches %q", search)
	}
	return res.Merchants[0].Recurring.ID
}

func TestReviewRecurringStream(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	id := f.streamID(t, "comcast")
	var res reviewStreamResult
	f.decode(t, "review_recurring_stream", map[string]any{"stream_id": id, "review_status": "ignored"}, &res)
	if res.StreamID != id || res.Name != "Comcast Xfinity" || res.PreviousStatus != "approved" || res.ReviewStatus != "ignored" {
		t.Errorf("review %+v", res)
	}
	// An ignored stream is no longer predicted.
	var r recurringResult
	f.decode(t, "get_recurring_transactions", map[string]any{"end_date": f.clock.Now().AddDate(0, 2, 0).Format("2006-01-02")}, &r)
	for _, it := range r.Items {
		if it.Merchant == "Comcast Xfinity" {
			t.Errorf("ignored stream still upcoming: %+v", it)
		}
	}
	f.decode(t, "review_recurring_stream", map[string]any{"stream_id": id, "review_status": "approved"}, &res)
	if res.PreviousStatus != "ignored" || res.ReviewStatus != "approved" {
		t.Errorf("second review %+v", res)
	}
	f.wantError(t, "review_recurring_stream", map[string]any{"stream_id": "no-such-stream", "review_status": "approved"}, "no-such-stream")
	f.wantError(t, "review_recurring_stream", map[string]any{"stream_id": id, "review_status": "yes"}, "review_status must be approved, ignored or pending")
	f.wantError(t, "review_recurring_stream", map[string]any{"review_status": "approved"}, "stream_id is required")
}
