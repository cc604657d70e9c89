package monarch

import (
	"context"
	"encoding/json"
	"fmt"
)

// opPortfolio is the web app's portfolio page: holdings aggregated by
// security across accounts, allocation and performance over a date range
// (Monarch's Portfolio type in testdata/monarch.graphql).
var opPortfolio = op("Web_GetPortfolio")

// ChartPoint is one day of a portfolio's value history. ReturnPercent is
// Monarch's return since the start of the range.
type ChartPoint struct {
	Date          string  `json:"date"`
	Value         float64 `json:"value"`
	ReturnPercent float64 `json:"returnPercent"`
}

// UnmarshalJSON checks the fields every point must have.
func (p *ChartPoint) UnmarshalJSON(b []byte) error {
	var w struct {
		Date          *string  `json:"date"`
		Value         *float64 `json:"value"`
		ReturnPercent *float64 `json:"returnPercent"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a portfolio chart point", "date", w.Date == nil, "value", w.Value == nil, "returnPercent", w.ReturnPercent == nil); err != nil {
		return err
	}
	*p = ChartPoint{Date: *w.Date, Value: *w.Value, ReturnPercent: *w.ReturnPercent}
	return nil
}

// PortfolioPerformance is the portfolio's value and change over the
// requested range. Percentages are Monarch's, in percent.
type PortfolioPerformance struct {
	TotalValue          float64      `json:"totalValue"`
	TotalCostBasis      float64      `json:"totalCostBasis"`
	TotalChangeDollars  float64      `json:"totalChangeDollars"`
	TotalChangePercent  float64      `json:"totalChangePercent"`
	OneDayChangeDollars float64      `json:"oneDayChangeDollars"`
	OneDayChangePercent float64      `json:"oneDayChangePercent"`
	HistoricalChart     []ChartPoint `json:"historicalChart"`
}

// AllocationSlice is one group of a portfolio allocation: Type is
// Monarch's key, TypeDisplay its label.
type AllocationSlice struct {
	Type              string  `json:"type"`
	TypeDisplay       string  `json:"typeDisplay"`
	AllocationPercent float64 `json:"allocationPercent"`
	TotalValue        float64 `json:"totalValue"`
}

// Portfolio is the household's investments across accounts: one Holding
// per security (its lots are the accounts' holdings of it), allocation by
// security type and by asset class, and performance.
type Portfolio struct {
	Holdings     []Holding
	ByType       []AllocationSlice
	ByAssetClass []AllocationSlice
	Performance  PortfolioPerformance
}

// GetPortfolio returns the portfolio of every account, with performance
// from start to end (YYYY-MM-DD, inclusive). Hidden holdings are left out,
// as in Monarch's own totals.
func (c *Client) GetPortfolio(ctx context.Context, start, end string) (Portfolio, error) {
	for name, d := range map[string]string{"startDate": start, "endDate": end} {
		if err := checkDate(name, d); err != nil {
			return Portfolio{}, err
		}
	}
	if end < start {
		return Portfolio{}, fmt.Errorf("monarch: GetPortfolio: end %s is before start %s", end, start)
	}
	vars := map[string]any{"portfolioInput": map[string]any{"startDate": start, "endDate": end}}
	var out struct {
		Portfolio *struct {
			Performance       *PortfolioPerformance `json:"performance"`
			ByType            []AllocationSlice     `json:"byType"`
			ByAssetClass      []AllocationSlice     `json:"byAssetClass"`
			AggregateHoldings *holdingConnection    `json:"aggregateHoldings"`
		} `json:"portfolio"`
	}
	if err := c.graphQL(ctx, opPortfolio, vars, &out); err != nil {
		return Portfolio{}, err
	}
	if out.Portfolio == nil || out.Portfolio.Performance == nil {
		return Portfolio{}, &UnexpectedResponseError{Operation: opPortfolio.name, Reason: "the answer has no portfolio.performance"}
	}
	hs, err := out.Portfolio.AggregateHoldings.holdings(opPortfolio.name)
	if err != nil {
		return Portfolio{}, err
	}
	return Portfolio{
		Holdings: hs, ByType: out.Portfolio.ByType, ByAssetClass: out.Portfolio.ByAssetClass,
		Performance: *out.Portfolio.Performance,
	}, nil
}
