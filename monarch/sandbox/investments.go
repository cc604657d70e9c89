package sandbox

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// The portfolio: holdings aggregated by security across accounts, as
// Monarch's Portfolio.aggregateHoldings, allocationSimple and performance
// answer them.

// heldIn reports whether h is in one of ids (none = every account).
func heldIn(h *holding, ids []string) bool {
	return len(ids) == 0 || slices.Contains(ids, h.acct.id)
}

// aggregateHoldings is an AggregateHoldingConnection: one node per
// security, its lots the holdings of the given accounts (none = all), in
// the order the securities were first held.
func (s *Sandbox) aggregateHoldings(ids []string) obj {
	var order []*security
	lots := map[*security][]*holding{}
	for _, h := range s.st.holdings {
		if !heldIn(h, ids) {
			continue
		}
		if lots[h.sec] == nil {
			order = append(order, h.sec)
		}
		lots[h.sec] = append(lots[h.sec], h)
	}
	priced := s.st.today.Add(-4 * time.Hour).Format(isoTime) // last close
	edges := []obj{}
	for _, sec := range order {
		change := sec.price - sec.prevClose
		pct := 0.0
		if sec.prevClose != 0 {
			pct = round2(change / sec.prevClose * 100)
		}
		var qty, basis float64
		var synced time.Time
		hs := []obj{}
		for _, h := range lots[sec] {
			qty += h.qty
			basis += h.basis
			if h.syncedAt.After(synced) {
				synced = h.syncedAt
			}
			hs = append(hs, obj{
				"id": h.id, "type": sec.typ, "typeDisplay": sec.typDisplay, "name": sec.name, "ticker": sec.ticker,
				"closingPrice": sec.price, "isManual": h.manual, "closingPriceUpdatedAt": priced,
				"quantity": h.qty, "value": round2(h.qty * sec.price), "costBasis": h.basis,
				"account":    obj{"id": h.acct.id, "displayName": h.acct.name, "__typename": "Account"},
				"__typename": "Holding",
			})
		}
		value := round2(qty * sec.price)
		gain, gainPct := round2(value-basis), 0.0
		if basis != 0 {
			gainPct = round2((value - basis) / basis * 100)
		}
		edges = append(edges, obj{"node": obj{
			"id": lots[sec][0].id + "-agg", "quantity": qty, "basis": round2(basis), "costBasis": round2(basis), "totalValue": value,
			"totalGainLossDollars": gain, "totalGainLossPercent": gainPct,
			"securityPriceChangeDollars": round2(change * qty), "securityPriceChangePercent": pct,
			"lastSyncedAt": synced.Format(isoDate),
			"holdings":     hs,
			"security": obj{
				"id": sec.id, "name": sec.name, "type": sec.typ, "ticker": sec.ticker, "typeDisplay": sec.typDisplay,
				"currentPrice": sec.price, "currentPriceUpdatedAt": priced, "closingPrice": sec.price,
				"closingPriceUpdatedAt": priced, "oneDayChangePercent": pct, "oneDayChangeDollars": round2(change),
				"__typename": "Security",
			},
			"__typename": "AggregateHolding",
		}, "__typename": "AggregateHoldingEdge"})
	}
	return obj{"edges": edges, "__typename": "AggregateHoldingConnection"}
}

// allocation is a list of SimplePortfolioAliquot: the holdings' value
// grouped by key, largest first.
func (s *Sandbox) allocation(ids []string, key func(*security) (typ, display string)) []obj {
	var total float64
	values := map[string]float64{}
	displays := map[string]string{}
	for _, h := range s.st.holdings {
		if !heldIn(h, ids) {
			continue
		}
		typ, display := key(h.sec)
		values[typ] += h.qty * h.sec.price
		displays[typ] = display
		total += h.qty * h.sec.price
	}
	out := []obj{}
	for typ, v := range values {
		pct := 0.0
		if total != 0 {
			pct = round2(v / total * 100)
		}
		out = append(out, obj{"type": typ, "typeDisplay": displays[typ], "allocationPercent": pct, "totalValue": round2(v), "__typename": "SimplePortfolioAliquot"})
	}
	slices.SortFunc(out, func(a, b obj) int {
		return cmp.Or(cmp.Compare(b["totalValue"].(float64), a["totalValue"].(float64)), cmp.Compare(a["type"].(string), b["type"].(string)))
	})
	return out
}

// performance is a PortfolioPerformance from start to end: the chart is
// the sum of the holding accounts' balance history, so it agrees with
// get_account_history; changes are over the chart's range.
func (s *Sandbox) performance(ids []string, start, end time.Time) obj {
	var value, basis, dayChange float64
	accts := map[*account]bool{}
	for _, h := range s.st.holdings {
		if !heldIn(h, ids) {
			continue
		}
		accts[h.acct] = true
		value += h.qty * h.sec.price
		basis += h.basis
		dayChange += h.qty * (h.sec.price - h.sec.prevClose)
	}
	sums := map[string]float64{}
	var dates []string
	for _, a := range s.st.accounts { // accounts in order, so the sum is deterministic
		if !accts[a] {
			continue
		}
		for _, snap := range s.balanceHistory(a) {
			d := snap["date"].(string)
			if day, _ := time.Parse(isoDate, d); day.Before(start) || day.After(end) {
				continue
			}
			if _, ok := sums[d]; !ok {
				dates = append(dates, d)
			}
			sums[d] += snap["signedBalance"].(float64)
		}
	}
	slices.Sort(dates)
	chart := []obj{}
	var changeDollars, changePercent float64
	for _, d := range dates {
		first := sums[dates[0]]
		ret := 0.0
		if first != 0 {
			ret = round2((sums[d]/first - 1) * 100)
		}
		chart = append(chart, obj{"date": d, "value": round2(sums[d]), "returnPercent": ret, "__typename": "SecurityPerformanceChartDatum"})
		changeDollars, changePercent = round2(sums[d]-first), ret
	}
	dayPct := 0.0
	if prev := value - dayChange; prev != 0 {
		dayPct = round2(dayChange / prev * 100)
	}
	return obj{
		"totalValue": round2(value), "totalBasis": round2(basis), "totalCostBasis": round2(basis),
		"totalChangeDollars": changeDollars, "totalChangePercent": changePercent,
		"oneDayChangeDollars": round2(dayChange), "oneDayChangePercent": dayPct,
		"historicalChart": chart, "benchmarks": []obj{}, "topMovers": []obj{},
		"__typename": "PortfolioPerformance",
	}
}

// opPortfolio answers the portfolio page. Its allocations are served under
// the aliases the client's query gives allocationSimple: byType
// (SECURITY_TYPE) and byAssetClass (CATEGORY_GROUP).
func opPortfolio(s *Sandbox, v vars) (any, error) {
	in := v.obj("portfolioInput")
	end, err := parseDate(in.str("endDate"), s.st.today)
	if err != nil {
		return nil, err
	}
	start, err := parseDate(in.str("startDate"), end.AddDate(0, 0, -90))
	if err != nil {
		return nil, err
	}
	if end.Before(start) {
		return nil, &requestError{"startDate must be on or before endDate.", "BAD_USER_INPUT"}
	}
	ids := in.strs("accountIds")
	return obj{"portfolio": obj{
		"aggregateHoldings": s.aggregateHoldings(ids),
		"byType":            s.allocation(ids, func(sec *security) (string, string) { return sec.typ, sec.typDisplay }),
		"byAssetClass": s.allocation(ids, func(sec *security) (string, string) {
			return strings.ReplaceAll(strings.ToLower(sec.class), " ", "_"), sec.class
		}),
		"performance": s.performance(ids, start, end),
		"__typename":  "Portfolio",
	}}, nil
}
