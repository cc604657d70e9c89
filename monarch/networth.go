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

// AccountTypeBalance is the total balance of one account type at the end
// of a period. Month is YYYY-MM (for yearly snapshots, a month of the year).
type AccountTypeBalance struct {
	AccountType string  `json:"accountType"`
	Month       string  `json:"month"`
	Balance     float64 `json:"balance"`
}

// AccountTypeGroup says whether an account type is an "asset" or a
// "liability".
type AccountTypeGroup struct {
	Name  string `json:"name"`
	Group string `json:"group"`
}

// NetWorthByType is net worth broken down by account type, per period.
type NetWorthByType struct {
	Balances []AccountTypeBalance
	Types    []AccountTypeGroup
}

// GetNetWorthByAccountType returns each account type's total balance per
// month (timeframe "month") or per year ("year") from the period of start
// (YYYY-MM-DD) to now.
func (c *Client) GetNetWorthByAccountType(ctx context.Context, start, timeframe string) (NetWorthByType, error) {
	if err := checkDate("start date", start); err != nil {
		return NetWorthByType{}, err
	}
	if timeframe != "month" && timeframe != "year" {
		return NetWorthByType{}, fmt.Errorf("monarch: timeframe %q is not month or year", timeframe)
	}
	var out struct {
		Snapshots *[]struct {
			AccountType *string  `json:"accountType"`
			Month       *string  `json:"month"`
			Balance     *float64 `json:"balance"`
		} `json:"snapshotsByAccountType"`
		Types *[]AccountTypeGroup `json:"accountTypes"`
	}
	if err := c.graphQL(ctx, opSnapshotsByType, map[string]any{"startDate": start, "timeframe": timeframe}, &out); err != nil {
		return NetWorthByType{}, err
	}
	if out.Snapshots == nil || out.Types == nil {
		return NetWorthByType{}, &UnexpectedResponseError{Operation: opSnapshotsByType.name, Reason: "the answer has no snapshotsByAccountType or accountTypes list"}
	}
	res := NetWorthByType{Types: *out.Types}
	for _, s := range *out.Snapshots {
		if s.AccountType == nil || s.Month == nil || s.Balance == nil {
			return NetWorthByType{}, &UnexpectedResponseError{Operation: opSnapshotsByType.name, Reason: "a snapshot has no accountType, month or balance"}
		}
		res.Balances = append(res.Balances, AccountTypeBalance{AccountType: *s.AccountType, Month: *s.Month, Balance: *s.Balance})
	}
	return res, nil
}
