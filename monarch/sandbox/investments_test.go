package sandbox

import (
	"math"
	"testing"
)

// TestPortfolioAggregatesAcrossAccounts gives a second account a holding of
// a security the brokerage holds and checks that the portfolio answers one
// aggregate holding for it, whose lots are the two accounts' holdings, and
// that allocation and performance cover both accounts.
func TestPortfolioAggregatesAcrossAccounts(t *testing.T) {
	sb := start(t, Options{})
	tok := creds{token: sb.IssueToken()}
	sb.lock()
	st := sb.st
	brk := st.acct("brokerage")
	ira := &account{id: st.newID(kindAccount), name: "Roth IRA", typ: "brokerage", subtype: "roth", isAsset: true, cred: brk.cred}
	st.accounts = append(st.accounts, ira)
	st.accByID[ira.id] = ira
	vti := st.holdings[0].sec
	st.holdings = append(st.holdings, &holding{id: st.newID(kindHolding), acct: ira, sec: vti, qty: 10, basis: 2500, syncedAt: brk.cred.lastUpdated})
	st.syncBrokerageBalance(ira)
	want := brk.balance + ira.balance
	today, monthAgo := st.today.Format(isoDate), st.today.AddDate(0, -1, 0).Format(isoDate)
	sb.mu.Unlock()

	p := path(data(t, sb, tok, "Web_GetPortfolio", map[string]any{"portfolioInput": map[string]any{"startDate": monthAgo, "endDate": today}}), "portfolio").(map[string]any)
	edges := path(p, "aggregateHoldings", "edges").([]any)
	if len(edges) != 5 {
		t.Fatalf("%d aggregate holdings, want one per security (5)", len(edges))
	}
	node := path(edges[0], "node")
	if path(node, "security", "ticker") != "VTI" || path(node, "quantity") != 152.5 || path(node, "costBasis") != 33750.0 || len(path(node, "holdings").([]any)) != 2 {
		t.Fatalf("VTI across two accounts: %v", node)
	}
	if path(node, "holdings", 1, "account", "id") != ira.id || path(node, "holdings", 1, "value") != round2(10*vti.price) {
		t.Errorf("second lot %v", path(node, "holdings", 1))
	}
	perf := path(p, "performance")
	if v := path(perf, "totalValue").(float64); math.Abs(v-want) > 0.01 {
		t.Errorf("total value %v, want the two accounts' balances %v", v, want)
	}
	chart := path(perf, "historicalChart").([]any)
	last := chart[len(chart)-1]
	if path(last, "date") != today || math.Abs(path(last, "value").(float64)-want) > 0.01 || path(chart, 0, "returnPercent") != 0.0 {
		t.Errorf("chart ends %v, starts %v", last, chart[0])
	}
	pct := 0.0
	for _, a := range path(p, "byType").([]any) {
		pct += path(a, "allocationPercent").(float64)
	}
	if math.Abs(pct-100) > 0.05 {
		t.Errorf("allocation by type adds up to %v%%", pct)
	}
	// One account's portfolio leaves the other's lot out.
	one := data(t, sb, tok, "Web_GetPortfolio", map[string]any{"portfolioInput": map[string]any{"accountIds": []any{ira.id}}})
	if edges := path(one, "portfolio", "aggregateHoldings", "edges").([]any); len(edges) != 1 || path(edges[0], "node", "quantity") != 10.0 {
		t.Errorf("IRA only: %v", edges)
	}
}
