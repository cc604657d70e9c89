package tools

import (
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// Extreme paging and ranges are answered, bounded, and never crash.
func TestAnalysisBounds(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var sp spendingResult
	f.decode(t, "get_spending_summary", map[string]any{"offset": 1 << 53}, &sp)
	if len(sp.Items) != 0 || sp.Truncated {
		t.Errorf("offset past the end: %+v", sp)
	}
	before := f.sb.Requests("")
	f.wantError(t, "get_cashflow_by_month", map[string]any{"start_month": "2000-01"}, "at most 24")
	if n := f.sb.Requests("") - before; n != 0 {
		t.Errorf("%d requests for a refused range", n)
	}
	var cf cashflowByMonthResult
	f.decode(t, "get_cashflow_by_month", map[string]any{"start_month": "2026-01", "end_month": "2026-03"}, &cf)
	if len(cf.Months) != 3 {
		t.Errorf("%d months", len(cf.Months))
	}
}
