package monarch

import (
	"context"
	"encoding/json"
	"fmt"
)

// NetWorthPoint is the household's net worth (assets minus liabilities) at
// the end of a day.
type NetWorthPoint struct {
	Date    string  `json:"date"`
	Balance float64 `json:"balance"`
}

// UnmarshalJSON checks that date and balance are present.
func (p *NetWorthPoint) UnmarshalJSON(b []byte) error {
	var w struct {
		Date    *string  `json:"date"`
		Balance *float64 `json:"balance"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a net worth snapshot", "date", w.Date == nil, "balance", w.Balance == nil); err != nil {
		return err
	}
	p.Date, p.Balance = *w.Date, *w.Balance
	return nil
}

// GetNetWorthHistory returns the household's daily net worth from start to
// end (YYYY-MM-DD, inclusive; end "" = today), oldest first. accountType
// (e.g. "depository", "brokerage"; "" = all) keeps only accounts of that
// type.
func (c *Client) GetNetWorthHistory(ctx context.Context, start, end, accountType string) ([]NetWorthPoint, error) {
	if err := checkDate("start date", start); err != nil {
		return nil, err
	}
	f := map[string]any{"startDate": start, "endDate": nil, "accountType": nil}
	if end != "" {
		if err := checkDate("end date", end); err != nil {
			return nil, err
		}
		if end < start {
			return nil, fmt.Errorf("monarch: end date %s is before start date %s", end, start)
		}
		f["endDate"] = end
	}
	if accountType != "" {
		f["accountType"] = accountType
	}
	var out struct {
		Snapshots *[]NetWorthPoint `json:"aggregateSnapshots"`
	}
	if err := c.graphQL(ctx, opAggregateSnapshots, map[string]any{"filters": f}, &out); err != nil {
		return nil, err
	}
	if out.Snapshots == nil {
		return nil, &UnexpectedResponseError{Operation: opAggregateSnapshots.name, Reason: "the answer has no aggregateSnapshots list"}
	}
	return *out.Snapshots, nil
}
