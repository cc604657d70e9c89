package tools

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// --- get_net_worth ----------------------------------------------------------

type netWorthArgs struct {
	rangeArgs
	AccountType string `json:"account_type,omitempty"`
	Interval    string `json:"interval,omitempty"`
}

// netWorthQuery is get_net_worth's checked arguments, interval defaulted.
type netWorthQuery struct {
	span        dateSpan
	accountType string
	interval    string
}

func (a netWorthArgs) parse() (netWorthQuery, error) {
	span, err := a.rangeArgs.parse()
	if err != nil {
		return netWorthQuery{}, err
	}
	switch a.Interval {
	case "", "day", "week", "month":
	default:
		return netWorthQuery{}, argErrorf("interval", fmt.Sprintf("must be day, week or month (got %q)", a.Interval))
	}
	return netWorthQuery{span: span, accountType: a.AccountType, interval: cmp.Or(a.Interval, "month")}, nil
}

type netWorthPoint struct {
	Date     string  `json:"date"`
	NetWorth float64 `json:"net_worth" jsonschema:"assets minus liabilities at the end of the day"`
}

type netWorthResult struct {
	StartDate   string          `json:"start_date"`
	EndDate     string          `json:"end_date"`
	Interval    string          `json:"interval"`
	AccountType string          `json:"account_type,omitempty"`
	Points      []netWorthPoint `json:"points" jsonschema:"oldest first: the last day of each interval, and always the range's first and last days"`
	Latest      *float64        `json:"latest,omitempty" jsonschema:"net worth on the last day with data"`
	Change      *float64        `json:"change,omitempty" jsonschema:"latest minus the first point"`
	list
}

func getNetWorth(d *deps) Tool {
	return defineParsed[netWorthArgs](d, spec{
		name:  "get_net_worth",
		title: "Get net worth",
		description: "Net worth (assets minus liabilities) over a date range (default: the last 12 months), one point per interval (default month), " +
			"with the latest value and the change over the range, optionally for one account_type.",
		kind: Read,
		params: append(rangeParams("12 months before end_date", "today"),
			mcp.WithString("account_type", mcp.Description("Only accounts of this Monarch account type, e.g. depository, credit, brokerage, loan (see get_net_worth_by_account_type)."), mcp.MaxLength(maxWordLen)),
			mcp.WithString("interval", mcp.Description("Spacing of the points: day, week or month (default month)."), mcp.Enum("day", "week", "month")),
		),
	}, func(ctx context.Context, q netWorthQuery) (netWorthResult, error) {
		s, e := defaultRange(q.span.start, q.span.end, d.today(), func(end time.Time) time.Time { return end.AddDate(-1, 0, 0) })
		ps, err := d.c.GetNetWorthHistory(ctx, s.Format(dateLayout), e.Format(dateLayout), q.accountType)
		if err != nil {
			return netWorthResult{}, err
		}
		res := netWorthResult{StartDate: s.Format(dateLayout), EndDate: e.Format(dateLayout), Interval: q.interval, AccountType: q.accountType}
		res.Points = sampleNetWorth(ps, q.interval)
		if n := len(res.Points); n > 0 {
			res.Latest = ptr(res.Points[n-1].NetWorth)
			res.Change = ptr(round2(res.Points[n-1].NetWorth - res.Points[0].NetWorth))
		}
		res.list = fullList(len(res.Points))
		return res, nil
	})
}

// sampleNetWorth keeps the first point and the last point of each day, ISO
// week or month, oldest first, so a year is 13 points rather than 365.
func sampleNetWorth(ps []monarch.NetWorthPoint, interval string) []netWorthPoint {
	out := []netWorthPoint{}
	bucket := func(date string) string {
		t, err := time.Parse(dateLayout, date)
		if err != nil {
			return date
		}
		switch interval {
		case "week":
			y, w := t.ISOWeek()
			return fmt.Sprintf("%d-W%02d", y, w)
		case "month":
			return t.Format(monthLayout)
		}
		return date
	}
	prev := ""
	for i, p := range ps {
		pt := netWorthPoint{Date: p.Date, NetWorth: round2(p.Balance)}
		b := bucket(p.Date)
		switch {
		case i == 0:
			out = append(out, pt)
		case b == prev && len(out) > 1:
			out[len(out)-1] = pt // a later day of the same interval
		default:
			out = append(out, pt)
		}
		prev = b
	}
	return out
}

// --- get_net_worth_by_account_type ------------------------------------------

type netWorthByTypeArgs struct {
	StartMonth string `json:"start_month,omitempty"`
	Timeframe  string `json:"timeframe,omitempty"`
}

// netWorthByTypeQuery is get_net_worth_by_account_type's checked
// arguments, timeframe defaulted; a zero start was not given.
type netWorthByTypeQuery struct {
	start     time.Time
	timeframe string
}

func (a netWorthByTypeArgs) parse() (netWorthByTypeQuery, error) {
	s, err := parseMonth("start_month", a.StartMonth)
	if err != nil {
		return netWorthByTypeQuery{}, err
	}
	switch a.Timeframe {
	case "", "month", "year":
		return netWorthByTypeQuery{start: s, timeframe: cmp.Or(a.Timeframe, "month")}, nil
	}
	return netWorthByTypeQuery{}, argErrorf("timeframe", fmt.Sprintf("must be month or year (got %q)", a.Timeframe))
}

type typeBalance struct {
	Type    string  `json:"type" jsonschema:"Monarch account type, e.g. depository, credit, brokerage, loan"`
	Group   string  `json:"group,omitempty" jsonschema:"asset or liability"`
	Balance float64 `json:"balance" jsonschema:"total balance; liabilities are negative"`
}

type netWorthPeriod struct {
	Period      string        `json:"period" jsonschema:"YYYY-MM, or YYYY for yearly"`
	NetWorth    float64       `json:"net_worth"`
	Assets      float64       `json:"assets"`
	Liabilities float64       `json:"liabilities" jsonschema:"total owed (negative)"`
	ByType      []typeBalance `json:"by_type"`
}

type netWorthByTypeResult struct {
	StartMonth string           `json:"start_month"`
	Timeframe  string           `json:"timeframe"`
	Periods    []netWorthPeriod `json:"periods" jsonschema:"oldest first; the current period is as of today"`
	list
}

func getNetWorthByAccountType(d *deps) Tool {
	return defineParsed[netWorthByTypeArgs](d, spec{
		name:  "get_net_worth_by_account_type",
		title: "Get net worth by account type",
		description: "Net worth broken down by account type (cash, credit cards, investments, loans...) at the end of each month or year, " +
			"from start_month (default: 11 months ago, so 12 months) to now, with assets and liabilities totals per period.",
		kind: Read,
		params: []mcp.ToolOption{
			monthParam("start_month", "First month (default: 11 months before the current one)"),
			mcp.WithString("timeframe", mcp.Description("month (default) or year."), mcp.Enum("month", "year")),
		},
	}, func(ctx context.Context, q netWorthByTypeQuery) (netWorthByTypeResult, error) {
		s, tf := q.start, q.timeframe
		if s.IsZero() {
			s = startOfMonth(d.today()).AddDate(0, -11, 0)
		}
		nw, err := d.c.GetNetWorthByAccountType(ctx, s.Format(dateLayout), tf)
		if err != nil {
			return netWorthByTypeResult{}, err
		}
		res := netWorthByTypeResult{StartMonth: s.Format(monthLayout), Timeframe: tf, Periods: shapeNetWorthByType(nw, tf)}
		res.list = fullList(len(res.Periods))
		return res, nil
	})
}

func shapeNetWorthByType(nw monarch.NetWorthByType, timeframe string) []netWorthPeriod {
	groups := map[string]string{}
	for _, t := range nw.Types {
		groups[t.Name] = t.Group
	}
	byPeriod := map[string]*netWorthPeriod{}
	var order []string
	for _, b := range nw.Balances {
		key := b.Month
		if timeframe == "year" && len(key) >= 4 {
			key = key[:4]
		}
		p := byPeriod[key]
		if p == nil {
			p = &netWorthPeriod{Period: key, ByType: []typeBalance{}}
			byPeriod[key] = p
			order = append(order, key)
		}
		bal := round2(b.Balance)
		p.ByType = append(p.ByType, typeBalance{Type: b.AccountType, Group: groups[b.AccountType], Balance: bal})
		if groups[b.AccountType] == "liability" || groups[b.AccountType] == "" && bal < 0 {
			p.Liabilities = round2(p.Liabilities + bal)
		} else {
			p.Assets = round2(p.Assets + bal)
		}
		p.NetWorth = round2(p.Assets + p.Liabilities)
	}
	slices.Sort(order)
	out := make([]netWorthPeriod, 0, len(order))
	for _, k := range order {
		out = append(out, *byPeriod[k])
	}
	return out
}
