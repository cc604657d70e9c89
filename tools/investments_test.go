package tools

import (
	"math"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// Tests of get_investments: the sandbox's demo brokerage through the tool,
// and shaping of portfolios the demo household does not have (a security
// held in two accounts, no holdings at all).

func TestGetInvestments(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	now := f.clock.Now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	day := func(t time.Time) string { return t.Format(dateLayout) }

	var res investmentsResult
	f.decode(t, "get_investments", nil, &res)
	if res.Count != 5 || len(res.Holdings) != 5 || res.Note != "" {
		t.Fatalf("holdings: %+v", res)
	}
	var brokerage accountsResult
	f.decode(t, "get_accounts", nil, &brokerage)
	var balance float64
	for _, a := range brokerage.Accounts {
		if a.Subtype == "Brokerage" {
			balance = a.Balance
		}
	}
	// Holding values are rounded to cents one by one, so sums may differ by a few.
	if res.TotalValue != balance || len(res.Accounts) != 1 || math.Abs(res.Accounts[0].Value-balance) > 0.05 || res.Accounts[0].Holdings != 5 {
		t.Errorf("total %v, accounts %+v; brokerage balance %v", res.TotalValue, res.Accounts, balance)
	}
	vti := res.Holdings[0]
	if vti.Ticker != "VTI" || vti.Value == nil || vti.CostBasis == nil || vti.GainLoss == nil || *vti.GainLoss != round2(*vti.Value-*vti.CostBasis) ||
		len(vti.Accounts) != 1 || vti.Accounts[0].AccountID != res.Accounts[0].AccountID {
		t.Errorf("largest holding %+v", vti)
	}
	var sumPct float64
	for i, h := range res.Holdings {
		sumPct += h.PercentOfTotal
		if i > 0 && *h.Value > *res.Holdings[i-1].Value {
			t.Errorf("holdings not largest first: %+v", res.Holdings)
		}
	}
	if math.Abs(sumPct-100) > 0.05 {
		t.Errorf("holdings' shares add up to %v", sumPct)
	}
	for name, alloc := range map[string][]allocationSlice{"type": res.AllocationByType, "asset class": res.AllocationByClass} {
		var pct float64
		for _, a := range alloc {
			pct += a.Percent
		}
		if len(alloc) == 0 || math.Abs(pct-100) > 0.05 {
			t.Errorf("allocation by %s: %+v", name, alloc)
		}
	}
	if res.AllocationByClass[0].Name != "Equity" {
		t.Errorf("allocation by asset class: %+v", res.AllocationByClass)
	}

	tests := []struct {
		name   string
		args   map[string]any
		period string
		start  time.Time
		end    time.Time
	}{
		{"default", nil, "1Y", today.AddDate(-1, 0, 0), today},
		{"1M", map[string]any{"period": "1M"}, "1M", today.AddDate(0, -1, 0), today},
		{"3M", map[string]any{"period": "3M"}, "3M", today.AddDate(0, -3, 0), today},
		{"6M", map[string]any{"period": "6M"}, "6M", today.AddDate(0, -6, 0), today},
		{"YTD", map[string]any{"period": "ytd"}, "YTD", time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC), today},
		{"1Y", map[string]any{"period": "1Y"}, "1Y", today.AddDate(-1, 0, 0), today},
		{"ALL", map[string]any{"period": "ALL"}, "ALL", today.AddDate(-allYears, 0, 0), today},
		{"dates", map[string]any{"start_date": day(today.AddDate(0, -2, 0)), "end_date": day(today.AddDate(0, 0, -7))}, "custom", today.AddDate(0, -2, 0), today.AddDate(0, 0, -7)},
		{"start only", map[string]any{"start_date": day(today.AddDate(0, 0, -10))}, "custom", today.AddDate(0, 0, -10), today},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res investmentsResult
			f.decode(t, "get_investments", tt.args, &res)
			p := res.Performance
			if p.Period != tt.period || p.StartDate != day(tt.start) || p.EndDate != day(tt.end) {
				t.Fatalf("period %s %s..%s, want %s %s..%s", p.Period, p.StartDate, p.EndDate, tt.period, day(tt.start), day(tt.end))
			}
			n := len(p.History)
			if n < 2 || n > maxHistoryPoints || p.StartValue == nil || p.EndValue == nil {
				t.Fatalf("performance %+v", p)
			}
			first, last := p.History[0], p.History[n-1]
			if first.Date < p.StartDate || last.Date != p.EndDate || first.Value != *p.StartValue || last.Value != *p.EndValue || first.ReturnPercent != 0 {
				t.Errorf("history from %+v to %+v in %s..%s", first, last, p.StartDate, p.EndDate)
			}
			if math.Abs(p.ChangeDollars-(*p.EndValue-*p.StartValue)) > 0.011 || p.ReturnPercent != last.ReturnPercent {
				t.Errorf("change %v (%v%%), values %v → %v", p.ChangeDollars, p.ReturnPercent, *p.StartValue, *p.EndValue)
			}
			for i := 1; i < n; i++ {
				if p.History[i].Date <= p.History[i-1].Date {
					t.Errorf("history not oldest first: %+v", p.History)
				}
			}
		})
	}
}

func TestGetInvestmentsBadArgs(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	for _, tt := range []struct {
		name string
		args map[string]any
		want string
	}{
		{"unknown period", map[string]any{"period": "2Y"}, "period must be 1M, 3M, 6M, YTD, 1Y or ALL"},
		{"period and dates", map[string]any{"period": "1M", "start_date": "2026-01-01"}, "either period or start_date/end_date"},
		{"end before start", map[string]any{"start_date": "2026-03-01", "end_date": "2026-02-01"}, "end_date (2026-02-01) is before start_date"},
		{"bad date", map[string]any{"start_date": "2026-13-01"}, "start_date"},
		{"long period", map[string]any{"period": "1YEAR"}, "period"},
	} {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "get_investments", tt.args, tt.want) })
	}
}

// TestShapePortfolio covers portfolios the demo household lacks: one
// security held in two accounts, and none at all.
func TestShapePortfolio(t *testing.T) {
	acct := func(id, name string) *monarch.AccountRef { return &monarch.AccountRef{ID: id, DisplayName: name} }
	f := func(v float64) *float64 { return &v }
	vti := monarch.Holding{
		ID: "agg-vti", Quantity: 15, CostBasis: f(3000), TotalValue: f(4500),
		Security: &monarch.Security{ID: "s-vti", Name: "Vanguard Total Stock Market ETF", Ticker: "VTI", TypeDisplay: "ETF", CurrentPrice: f(300)},
		Holdings: []monarch.HoldingLot{
			{ID: "h1", Quantity: f(10), Value: f(3000), CostBasis: f(2000), Account: acct("a1", "Brokerage")},
			{ID: "h2", Quantity: f(5), Value: f(1500), CostBasis: f(1000), Account: acct("a2", "Roth IRA")},
		},
	}
	cash := monarch.Holding{
		ID: "agg-cash", Quantity: 500, Basis: f(500), TotalValue: f(500), TotalGainLossDollars: f(0), TotalGainLossPercent: f(0),
		Holdings: []monarch.HoldingLot{{ID: "h3", Name: "Cash", Quantity: f(500), Value: f(500), CostBasis: f(500), Account: acct("a2", "Roth IRA")}},
	}
	two := monarch.Portfolio{
		Holdings: []monarch.Holding{cash, vti},
		ByType:   []monarch.AllocationSlice{{Type: "cash", TypeDisplay: "Cash", TotalValue: 500}, {Type: "etf", TypeDisplay: "ETF", TotalValue: 4500}},
		Performance: monarch.PortfolioPerformance{
			TotalValue: 5000, TotalCostBasis: 3500, TotalChangeDollars: 250, TotalChangePercent: 5.26,
			HistoricalChart: []monarch.ChartPoint{{Date: "2026-02-01", Value: 5000, ReturnPercent: 5.26}, {Date: "2026-01-01", Value: 4750}},
		},
	}

	res := shapePortfolio(two)
	if res.Count != 2 || res.Holdings[0].Ticker != "VTI" || res.Holdings[0].Quantity != 15 || *res.Holdings[0].Value != 4500 {
		t.Fatalf("holdings %+v", res.Holdings)
	}
	h := res.Holdings[0]
	if *h.GainLoss != 1500 || *h.GainLossPercent != 50 || h.PercentOfTotal != 90 || len(h.Accounts) != 2 ||
		h.Accounts[1].AccountID != "a2" || *h.Accounts[1].Quantity != 5 || *h.Accounts[1].Value != 1500 {
		t.Errorf("VTI across two accounts: %+v", h)
	}
	if c := res.Holdings[1]; *c.CostBasis != 500 || *c.GainLoss != 0 || c.Name != "Cash" {
		t.Errorf("cash: %+v", c)
	}
	want := []investmentAccount{
		{AccountID: "a1", Name: "Brokerage", Value: 3000, CostBasis: 2000, Holdings: 1},
		{AccountID: "a2", Name: "Roth IRA", Value: 2000, CostBasis: 1500, Holdings: 2},
	}
	if len(res.Accounts) != 2 || res.Accounts[0] != want[0] || res.Accounts[1] != want[1] {
		t.Errorf("accounts %+v, want %+v", res.Accounts, want)
	}
	if res.TotalValue != 5000 || res.TotalGainLoss != 1500 || *res.TotalGainLossPct != 42.86 {
		t.Errorf("totals %v %v %v", res.TotalValue, res.TotalGainLoss, *res.TotalGainLossPct)
	}
	if a := res.AllocationByType; len(a) != 2 || a[0].Name != "ETF" || a[0].Percent != 90 || a[1].Percent != 10 || res.AllocationByClass == nil {
		t.Errorf("allocation %+v %+v", a, res.AllocationByClass)
	}
	if p := res.Performance; len(p.History) != 2 || p.History[0].Date != "2026-01-01" || *p.StartValue != 4750 || *p.EndValue != 5000 || p.ReturnPercent != 5.26 {
		t.Errorf("performance %+v", p)
	}

	empty := shapePortfolio(monarch.Portfolio{})
	if empty.Count != 0 || empty.Holdings == nil || empty.Accounts == nil || empty.AllocationByType == nil || empty.Performance.History == nil ||
		empty.Performance.StartValue != nil || empty.TotalGainLossPct != nil || empty.Note == "" {
		t.Errorf("empty portfolio %+v", empty)
	}

	// A long chart is sampled, first and last days kept.
	var long monarch.Portfolio
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 400 {
		long.Performance.HistoricalChart = append(long.Performance.HistoricalChart, monarch.ChartPoint{Date: start.AddDate(0, 0, i).Format(dateLayout), Value: float64(i)})
	}
	hist := shapePortfolio(long).Performance.History
	if len(hist) != maxHistoryPoints || hist[0].Date != "2025-01-01" || hist[len(hist)-1].Value != 399 {
		t.Errorf("sampled history: %d points, %+v … %+v", len(hist), hist[0], hist[len(hist)-1])
	}
}
