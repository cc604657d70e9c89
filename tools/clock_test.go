package tools

import (
	"strings"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
)

// TestDatesAtAwkwardInstants runs every tool that picks a default date or
// month at instants where calendars trip: the first of a month, the turn
// of the year (also while the server runs across it), a leap day, both DST
// changes, and evenings or early mornings whose local date is not the UTC
// one. Each row says which date the tools must call today, so a tool or
// the sandbox reading the date in the wrong zone fails here.
func TestDatesAtAwkwardInstants(t *testing.T) {
	newYork, london, tokyo := testenv.Zone(t, "America/New_York"), testenv.Zone(t, "Europe/London"), testenv.Zone(t, "Asia/Tokyo")
	tests := []struct {
		name string
		at   time.Time
		// advance moves the clock after the sandbox has built its data: a
		// server still running when the date changes.
		advance time.Duration
		// today is the date the tools must report; dataDay is the demo
		// household's last day (the date when the sandbox started).
		today, dataDay string
	}{
		{"mid-month", time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC), 0, "2026-06-15", "2026-06-15"},
		{"first of the month, just after midnight", time.Date(2026, 12, 1, 0, 30, 0, 0, time.UTC), 0, "2026-12-01", "2026-12-01"},
		{"first of the month in Tokyo, still the 30th in UTC", time.Date(2026, 12, 1, 8, 0, 0, 0, tokyo), 0, "2026-12-01", "2026-12-01"},
		{"new year's eve, a minute to midnight", time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), 0, "2026-12-31", "2026-12-31"},
		{"new year's day, just after midnight", time.Date(2027, 1, 1, 0, 0, 30, 0, time.UTC), 0, "2027-01-01", "2027-01-01"},
		{"running across midnight into the new year", time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), 2 * time.Minute, "2027-01-01", "2026-12-31"},
		{"new year's eve in New York, already 1 January in UTC", time.Date(2026, 12, 31, 23, 30, 0, 0, newYork), 0, "2026-12-31", "2026-12-31"},
		{"leap day", time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC), 0, "2028-02-29", "2028-02-29"},
		{"leap day evening in New York, 1 March in UTC", time.Date(2028, 2, 29, 21, 0, 0, 0, newYork), 0, "2028-02-29", "2028-02-29"},
		{"DST starts in New York, just after the lost hour", time.Date(2026, 3, 8, 3, 30, 0, 0, newYork), 0, "2026-03-08", "2026-03-08"},
		{"DST start day in New York, late evening (9 March in UTC)", time.Date(2026, 3, 8, 23, 30, 0, 0, newYork), 0, "2026-03-08", "2026-03-08"},
		{"DST ends in London, inside the repeated hour", time.Date(2026, 10, 25, 1, 30, 0, 0, london), 0, "2026-10-25", "2026-10-25"},
		{"DST end day in London, just after midnight (24 October in UTC)", time.Date(2026, 10, 25, 0, 30, 0, 0, london), 0, "2026-10-25", "2026-10-25"},
		{"running across the London DST change", time.Date(2026, 10, 25, 0, 30, 0, 0, london), 2 * time.Hour, "2026-10-25", "2026-10-25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixtureAt(t, tt.at)
			f.clock.Advance(tt.advance)
			checkToolDates(t, f, tt.today, tt.dataDay)
		})
	}
}

// checkToolDates calls the date-defaulting tools without dates and checks
// the ranges they report against today, and their numbers against the
// demo household, whose data ends on dataDay.
func checkToolDates(t *testing.T, f *fixture, today, dataDay string) {
	day, err := time.Parse(time.DateOnly, today)
	if err != nil {
		t.Fatal(err)
	}
	date := func(years, months, days int) string { return day.AddDate(years, months, days).Format(time.DateOnly) }
	month := today[:7]
	monthStart := month + "-01"
	monthsBefore := func(n int) string {
		return time.Date(day.Year(), day.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
	}
	ordered := func(what, start, end string) {
		t.Helper()
		if start == "" || end == "" || end < start {
			t.Errorf("%s: range %q to %q", what, start, end)
		}
	}

	// The month so far.
	var sum cashflowSummaryResult
	f.decode(t, "get_cashflow_summary", nil, &sum)
	if sum.StartDate != monthStart || sum.EndDate != today || sum.Income < 0 || sum.Expense > 0 {
		t.Errorf("get_cashflow_summary: %+v, want %s to %s", sum, monthStart, today)
	}
	var cf cashflowResult
	f.decode(t, "get_cashflow", nil, &cf)
	if cf.StartDate != monthStart || cf.EndDate != today || cf.Summary.Income != sum.Income || cf.Summary.Expense != sum.Expense {
		t.Errorf("get_cashflow: %s to %s, %+v; get_cashflow_summary says %+v", cf.StartDate, cf.EndDate, cf.Summary, sum.cashflowSummary)
	}
	var sp spendingResult
	f.decode(t, "get_spending_summary", nil, &sp)
	if sp.StartDate != monthStart || sp.EndDate != today || sp.TotalSpending < 0 || abs(sp.TotalSpending+sum.Expense) > 0.005 {
		t.Errorf("get_spending_summary: %s to %s, spending %v; cash flow expense %v", sp.StartDate, sp.EndDate, sp.TotalSpending, sum.Expense)
	}

	// Months: the current one and the ones before it.
	var byMonth cashflowByMonthResult
	f.decode(t, "get_cashflow_by_month", nil, &byMonth)
	if byMonth.EndMonth != month || byMonth.StartMonth != monthsBefore(5) || len(byMonth.Months) != 6 {
		t.Fatalf("get_cashflow_by_month: %s to %s, %d months; want %s to %s", byMonth.StartMonth, byMonth.EndMonth, len(byMonth.Months), monthsBefore(5), month)
	}
	for i, m := range byMonth.Months {
		if want := monthsBefore(5 - i); m.Month != want {
			t.Errorf("get_cashflow_by_month: month %d is %s, want %s", i, m.Month, want)
		}
		// A month that ended before the household's last day has its
		// paychecks and bills; the current one may not have them yet.
		complete := m.Month < dataDay[:7]
		if m.Income < 0 || m.Expense > 0 || (complete && (m.Income <= 0 || m.Expense >= 0)) {
			t.Errorf("get_cashflow_by_month: %s implausible: %+v", m.Month, m.cashflowSummary)
		}
	}
	var budgets budgetsResult
	f.decode(t, "get_budgets", nil, &budgets)
	if budgets.StartMonth != month || budgets.EndMonth != month || len(budgets.Lines) == 0 {
		t.Errorf("get_budgets: %s to %s with %d lines, want %s", budgets.StartMonth, budgets.EndMonth, len(budgets.Lines), month)
	}
	groceries, _ := f.categoryNamed(t, "Groceries")
	var setBudget setBudgetResult
	f.decode(t, "set_budget_amount", map[string]any{"category_id": groceries.ID, "amount": 1, "dry_run": true}, &setBudget)
	if setBudget.Month != month || setBudget.Previous == nil {
		t.Errorf("set_budget_amount: %+v, want month %s", setBudget, month)
	}

	// Net worth: a year to today, by month.
	var nw netWorthResult
	f.decode(t, "get_net_worth", nil, &nw)
	ordered("get_net_worth", nw.StartDate, nw.EndDate)
	start, _ := time.Parse(time.DateOnly, nw.StartDate)
	if span := day.Sub(start).Hours() / 24; nw.EndDate != today || span < 365 || span > 366 {
		t.Errorf("get_net_worth: %s to %s, want a year ending %s", nw.StartDate, nw.EndDate, today)
	}
	if n := len(nw.Points); n < 12 || n > 14 || nw.Points[n-1].Date != dataDay || nw.Latest == nil || *nw.Latest == 0 {
		t.Errorf("get_net_worth: %d points, last %+v, want one on %s", n, nw.Points[max(n-1, 0):], dataDay)
	}
	for i := 1; i < len(nw.Points); i++ {
		if nw.Points[i].Date <= nw.Points[i-1].Date {
			t.Errorf("get_net_worth: points out of order: %+v", nw.Points[i-1:i+1])
		}
	}
	var byType netWorthByTypeResult
	f.decode(t, "get_net_worth_by_account_type", nil, &byType)
	if n := len(byType.Periods); byType.StartMonth != monthsBefore(11) || n == 0 || byType.Periods[0].Period != monthsBefore(11) || byType.Periods[n-1].Period != dataDay[:7] {
		t.Errorf("get_net_worth_by_account_type: from %s, periods %d, want %s to %s", byType.StartMonth, n, monthsBefore(11), dataDay[:7])
	}

	// Ranges around today.
	var rec recurringResult
	f.decode(t, "get_recurring_transactions", nil, &rec)
	if rec.StartDate != today || rec.EndDate != date(0, 0, 30) || len(rec.Items) == 0 {
		t.Errorf("get_recurring_transactions: %s to %s with %d items, want %s to %s", rec.StartDate, rec.EndDate, len(rec.Items), today, date(0, 0, 30))
	}
	for _, it := range rec.Items {
		if it.Date < rec.StartDate || it.Date > rec.EndDate {
			t.Errorf("get_recurring_transactions: item on %s outside %s to %s", it.Date, rec.StartDate, rec.EndDate)
		}
	}
	var review needingReviewResult
	f.decode(t, "get_transactions_needing_review", nil, &review)
	if review.StartDate != date(0, 0, -29) || review.EndDate != today {
		t.Errorf("get_transactions_needing_review: %s to %s, want %s to %s", review.StartDate, review.EndDate, date(0, 0, -29), today)
	}
	var search searchResult
	f.decode(t, "search_transactions", map[string]any{"query": "no merchant is called this"}, &search)
	if search.Mode != "local_scan" || search.StartDate != date(0, 0, -90) || search.EndDate != today {
		t.Errorf("search_transactions: %s over %s to %s, want local_scan over %s to %s", search.Mode, search.StartDate, search.EndDate, date(0, 0, -90), today)
	}

	// Transactions: with only start_date the range runs to today, and
	// nothing the household did is dated after its last day.
	var txns transactionsResult
	f.decode(t, "get_transactions", map[string]any{"start_date": date(0, 0, -6), "limit": 1000}, &txns)
	if len(txns.Transactions) == 0 {
		t.Errorf("get_transactions: nothing from %s to today", date(0, 0, -6))
	}
	for _, tx := range txns.Transactions {
		if tx.Date < date(0, 0, -6) || tx.Date > today || tx.Date > dataDay {
			t.Errorf("get_transactions from %s: one on %s (today %s)", date(0, 0, -6), tx.Date, today)
		}
	}
	chk := f.checkingID(t)
	var hist accountHistoryResult
	f.decode(t, "get_account_history", map[string]any{"account_id": chk, "limit": 1}, &hist)
	if len(hist.Balances) != 1 || hist.Balances[0].Date != dataDay {
		t.Errorf("get_account_history: newest %+v, want %s", hist.Balances, dataDay)
	}

	// Balance uploads: today is allowed, tomorrow is not.
	var up uploadBalanceResult
	f.decode(t, "upload_account_balance_history", map[string]any{"account_id": chk, "csv": date(0, 0, -1) + ",100\n" + today + ",100\n", "dry_run": true}, &up)
	if up.FirstDate != date(0, 0, -1) || up.LastDate != today || up.Uploaded {
		t.Errorf("upload_account_balance_history up to today: %+v", up)
	}
	res := callTool(t, f.mcp, "upload_account_balance_history", map[string]any{"account_id": chk, "csv": date(0, 0, 1) + ",100\n", "dry_run": true})
	if !res.IsError || !strings.Contains(textOf(res), "dates after today ("+today+")") {
		t.Errorf("upload_account_balance_history for tomorrow: %s", textOf(res))
	}
}
