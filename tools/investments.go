package tools

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// --- get_investments --------------------------------------------------------

// Periods get_investments accepts, each a start date for an end date.
var investmentPeriods = map[string]func(end time.Time) time.Time{
	"1M":  func(end time.Time) time.Time { return end.AddDate(0, -1, 0) },
	"3M":  func(end time.Time) time.Time { return end.AddDate(0, -3, 0) },
	"6M":  func(end time.Time) time.Time { return end.AddDate(0, -6, 0) },
	"YTD": func(end time.Time) time.Time { return time.Date(end.Year(), 1, 1, 0, 0, 0, 0, time.UTC) },
	"1Y":  func(end time.Time) time.Time { return end.AddDate(-1, 0, 0) },
	// Monarch has no "since the beginning" range and defaults a missing
	// start to 90 days ago, so ALL asks from well before any account's
	// history; the chart starts at the first day Monarch has.
	"ALL": func(end time.Time) time.Time { return end.AddDate(-allYears, 0, 0) },
}

const (
	defaultPeriod = "1Y"
	allYears      = 50
	// maxHistoryPoints bounds the value history returned: enough to see the
	// shape of a year (about one point a fortnight) without a point a day.
	maxHistoryPoints = 27
)

type investmentsArgs struct {
	Period string `json:"period,omitempty"`
	rangeArgs
}

// investmentsQuery is get_investments' checked arguments: a period name,
// or "custom" with span.
type investmentsQuery struct {
	period string
	span   dateSpan
}

func (a investmentsArgs) parse() (investmentsQuery, error) {
	span, err := a.rangeArgs.parse()
	if err != nil {
		return investmentsQuery{}, err
	}
	if a.Period == "" {
		if span.start.IsZero() && span.end.IsZero() {
			return investmentsQuery{period: defaultPeriod}, nil
		}
		return investmentsQuery{period: "custom", span: span}, nil
	}
	p := strings.ToUpper(strings.TrimSpace(a.Period))
	if _, ok := investmentPeriods[p]; !ok {
		return investmentsQuery{}, argErrorf("period", fmt.Sprintf("must be 1M, 3M, 6M, YTD, 1Y or ALL (got %q); for other ranges give start_date and end_date instead", a.Period))
	}
	if !span.start.IsZero() || !span.end.IsZero() {
		return investmentsQuery{}, argErrorf("period", "give either period or start_date/end_date, not both")
	}
	return investmentsQuery{period: p}, nil
}

// dates resolves the query to a start and end date, given today.
func (q investmentsQuery) dates(today time.Time) (time.Time, time.Time) {
	if f, ok := investmentPeriods[q.period]; ok {
		return f(today), today
	}
	return defaultRange(q.span.start, q.span.end, today, investmentPeriods[defaultPeriod])
}

type holdingAccount struct {
	AccountID string   `json:"account_id"`
	Name      string   `json:"name"`
	Quantity  *float64 `json:"quantity,omitempty"`
	Value     *float64 `json:"value,omitempty"`
}

type investmentHolding struct {
	holding
	GainLoss        *float64         `json:"gain_loss,omitempty" jsonschema:"value minus cost basis"`
	GainLossPercent *float64         `json:"gain_loss_percent,omitempty" jsonschema:"gain_loss as a percent of cost basis"`
	PercentOfTotal  float64          `json:"percent_of_total" jsonschema:"share of the portfolio's value"`
	Accounts        []holdingAccount `json:"accounts" jsonschema:"the accounts holding this security"`
}

type allocationSlice struct {
	Name    string  `json:"name"`
	Value   float64 `json:"value"`
	Percent float64 `json:"percent" jsonschema:"share of the portfolio's value"`
}

type investmentAccount struct {
	AccountID string  `json:"account_id"`
	Name      string  `json:"name"`
	Value     float64 `json:"value"`
	CostBasis float64 `json:"cost_basis"`
	Holdings  int     `json:"holdings" jsonschema:"number of securities held"`
}

type valuePoint struct {
	Date          string  `json:"date"`
	Value         float64 `json:"value"`
	ReturnPercent float64 `json:"return_percent" jsonschema:"return since the start of the period"`
}

type investmentPerformance struct {
	Period              string       `json:"period" jsonschema:"1M, 3M, 6M, YTD, 1Y, ALL or custom"`
	StartDate           string       `json:"start_date"`
	EndDate             string       `json:"end_date"`
	StartValue          *float64     `json:"start_value,omitempty" jsonschema:"value on the first day Monarch has in the period"`
	EndValue            *float64     `json:"end_value,omitempty" jsonschema:"value on the last day Monarch has in the period"`
	ChangeDollars       float64      `json:"change_dollars" jsonschema:"value change over the period (Monarch's figure)"`
	ReturnPercent       float64      `json:"return_percent" jsonschema:"return over the period in percent (Monarch's figure)"`
	OneDayChangeDollars float64      `json:"one_day_change_dollars"`
	OneDayChangePercent float64      `json:"one_day_change_percent"`
	History             []valuePoint `json:"history" jsonschema:"portfolio value over the period, oldest first, sampled evenly; first and last days included"`
}

type investmentsResult struct {
	TotalValue       float64             `json:"total_value"`
	TotalCostBasis   float64             `json:"total_cost_basis"`
	TotalGainLoss    float64             `json:"total_gain_loss"`
	TotalGainLossPct *float64            `json:"total_gain_loss_percent,omitempty"`
	Holdings         []investmentHolding `json:"holdings" jsonschema:"one entry per security across all accounts, largest value first"`
	list
	AllocationByType  []allocationSlice     `json:"allocation_by_type" jsonschema:"by security type (stock, ETF, fund, cash...)"`
	AllocationByClass []allocationSlice     `json:"allocation_by_asset_class" jsonschema:"by asset class (equity, fixed income, cash...)"`
	Accounts          []investmentAccount   `json:"accounts" jsonschema:"per-account totals, largest value first"`
	Performance       investmentPerformance `json:"performance"`
	Note              string                `json:"note,omitempty"`
}

func getInvestments(d *deps) Tool {
	return defineParsed[investmentsArgs](d, spec{
		name:  "get_investments",
		title: "Get investments",
		description: "The whole investment portfolio across accounts: holdings by security (value, cost basis, gain/loss, accounts holding it), " +
			"allocation by security type and asset class, per-account totals, and value change and return over period (default 1Y) or start_date/end_date. " +
			"For one account's holdings use get_account_holdings.",
		kind: Read,
		params: append([]mcp.ToolOption{
			mcp.WithString("period", mcp.Description("Performance period: 1M, 3M, 6M, YTD, 1Y (default) or ALL. Leave out when giving dates."),
				mcp.Enum("1M", "3M", "6M", "YTD", "1Y", "ALL"), mcp.MaxLength(3)),
		}, rangeParams("12 months before end_date", "today")...),
	}, func(ctx context.Context, q investmentsQuery) (investmentsResult, error) {
		start, end := q.dates(d.today())
		p, err := d.c.GetPortfolio(ctx, start.Format(dateLayout), end.Format(dateLayout))
		if err != nil {
			return investmentsResult{}, err
		}
		res := shapePortfolio(p)
		res.Performance.Period, res.Performance.StartDate, res.Performance.EndDate = q.period, start.Format(dateLayout), end.Format(dateLayout)
		return res, nil
	})
}

// shapePortfolio turns Monarch's portfolio into get_investments' result,
// less the period, which the caller knows.
func shapePortfolio(p monarch.Portfolio) investmentsResult {
	perf := p.Performance
	res := investmentsResult{
		TotalValue:        round2(perf.TotalValue),
		TotalCostBasis:    round2(perf.TotalCostBasis),
		TotalGainLoss:     round2(perf.TotalValue - perf.TotalCostBasis),
		Holdings:          make([]investmentHolding, 0, len(p.Holdings)),
		AllocationByType:  shapeAllocation(p.ByType),
		AllocationByClass: shapeAllocation(p.ByAssetClass),
		Accounts:          []investmentAccount{},
	}
	if perf.TotalCostBasis != 0 {
		res.TotalGainLossPct = ptr(round2((perf.TotalValue - perf.TotalCostBasis) / perf.TotalCostBasis * 100))
	}
	var sum float64
	for _, h := range p.Holdings {
		if h.TotalValue != nil {
			sum += *h.TotalValue
		}
	}
	accounts := map[string]*investmentAccount{}
	for _, h := range p.Holdings {
		ih := investmentHolding{holding: shapeHolding(h), Accounts: []holdingAccount{}}
		ih.GainLoss, ih.GainLossPercent = gainLoss(h)
		if h.TotalValue != nil && sum != 0 {
			ih.PercentOfTotal = round2(*h.TotalValue / sum * 100)
		}
		seen := map[string]bool{}
		for _, lot := range h.Holdings {
			var id, name string
			if lot.Account != nil {
				id, name = lot.Account.ID, lot.Account.DisplayName
			}
			ha := holdingAccount{AccountID: id, Name: name, Quantity: lot.Quantity}
			if lot.Value != nil {
				ha.Value = ptr(round2(*lot.Value))
			}
			ih.Accounts = append(ih.Accounts, ha)
			a := accounts[id]
			if a == nil {
				a = &investmentAccount{AccountID: id, Name: name}
				accounts[id] = a
			}
			if lot.Value != nil {
				a.Value += *lot.Value
			}
			if lot.CostBasis != nil {
				a.CostBasis += *lot.CostBasis
			}
			if !seen[id] {
				seen[id] = true
				a.Holdings++
			}
		}
		res.Holdings = append(res.Holdings, ih)
	}
	slices.SortStableFunc(res.Holdings, func(a, b investmentHolding) int {
		return cmp.Compare(deref(b.Value), deref(a.Value))
	})
	for _, a := range accounts {
		a.Value, a.CostBasis = round2(a.Value), round2(a.CostBasis)
		res.Accounts = append(res.Accounts, *a)
	}
	slices.SortFunc(res.Accounts, func(a, b investmentAccount) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Name, b.Name), cmp.Compare(a.AccountID, b.AccountID))
	})
	res.list = fullList(len(res.Holdings))
	res.Performance = shapePerformance(perf)
	if len(res.Holdings) == 0 {
		res.Note = "No investment holdings. Holdings come from investment accounts (get_accounts lists them); a newly linked account may need refresh_accounts."
	}
	return res
}

// gainLoss is Monarch's gain or loss on a holding, or value minus cost
// where Monarch does not say.
func gainLoss(h monarch.Holding) (*float64, *float64) {
	cost := h.Cost()
	dollars, pct := h.TotalGainLossDollars, h.TotalGainLossPercent
	if dollars == nil && h.TotalValue != nil && cost != nil {
		dollars = ptr(*h.TotalValue - *cost)
	}
	if pct == nil && dollars != nil && cost != nil && *cost != 0 {
		pct = ptr(*dollars / *cost * 100)
	}
	if dollars != nil {
		dollars = ptr(round2(*dollars))
	}
	if pct != nil {
		pct = ptr(round2(*pct))
	}
	return dollars, pct
}

// shapeAllocation lists an allocation largest first, each slice's percent
// of the slices' total value.
func shapeAllocation(in []monarch.AllocationSlice) []allocationSlice {
	var total float64
	for _, s := range in {
		total += s.TotalValue
	}
	out := make([]allocationSlice, 0, len(in))
	for _, s := range in {
		a := allocationSlice{Name: cmp.Or(s.TypeDisplay, s.Type), Value: round2(s.TotalValue)}
		if total != 0 {
			a.Percent = round2(s.TotalValue / total * 100)
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b allocationSlice) int { return cmp.Compare(b.Value, a.Value) })
	return out
}

// shapePerformance keeps Monarch's figures for the period and samples its
// daily chart down to maxHistoryPoints, keeping the first and last days.
func shapePerformance(perf monarch.PortfolioPerformance) investmentPerformance {
	out := investmentPerformance{
		ChangeDollars:       round2(perf.TotalChangeDollars),
		ReturnPercent:       round2(perf.TotalChangePercent),
		OneDayChangeDollars: round2(perf.OneDayChangeDollars),
		OneDayChangePercent: round2(perf.OneDayChangePercent),
		History:             []valuePoint{},
	}
	chart := slices.Clone(perf.HistoricalChart)
	slices.SortStableFunc(chart, func(a, b monarch.ChartPoint) int { return cmp.Compare(a.Date, b.Date) })
	n := len(chart)
	if n == 0 {
		return out
	}
	out.StartValue, out.EndValue = ptr(round2(chart[0].Value)), ptr(round2(chart[n-1].Value))
	k := min(n, maxHistoryPoints)
	for i := range k {
		j := i
		if k > 1 {
			j = i * (n - 1) / (k - 1)
		}
		c := chart[j]
		out.History = append(out.History, valuePoint{Date: c.Date, Value: round2(c.Value), ReturnPercent: round2(c.ReturnPercent)})
	}
	return out
}
