package tools

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

const uploadPath = "/account-balance-history/upload/"

func (f *fixture) checkingID(t *testing.T) string {
	t.Helper()
	var accts accountsResult
	f.decode(t, "get_accounts", nil, &accts)
	for _, a := range accts.Accounts {
		if strings.Contains(a.Name, "Checking") {
			return a.ID
		}
	}
	t.Fatal("no checking account")
	return ""
}

func (f *fixture) balanceOn(t *testing.T, acct, date string) float64 {
	t.Helper()
	var h accountHistoryResult
	f.decode(t, "get_account_history", map[string]any{"account_id": acct, "start_date": date, "end_date": date}, &h)
	if len(h.Balances) != 1 {
		t.Fatalf("history on %s: %+v", date, h)
	}
	return h.Balances[0].Balance
}

func TestUploadBalanceHistoryValidation(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	day := func(n int) string { return f.clock.Now().AddDate(0, 0, -n).Format("2006-01-02") }
	many := strings.Repeat("x", maxCSVBytes+1)
	var rows strings.Builder
	for i := range maxBalanceRows + 1 {
		fmt.Fprintf(&rows, "%s,1\n", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02"))
	}
	tests := []struct {
		name, csv string
		want      []string
	}{
		{"empty", " \n", []string{"csv is required"}},
		{"header only", "date,balance\n", []string{"no balance lines"}},
		{"bad date", "date,balance\n" + day(3) + ",1\n2026-02-30,5\n", []string{"line 3: date \"2026-02-30\" is not a date"}},
		{"bad number", day(3) + ",12abc\n", []string{"line 1: balance \"12abc\" is not a number"}},
		{"NaN", day(3) + ",NaN\n", []string{"line 1: balance \"NaN\""}},
		{"currency sign", day(3) + ",$5\n", []string{"line 1: balance \"$5\""}},
		{"three values", day(3) + ",1,2\n", []string{"line 1 has 3 values"}},
		{"duplicate", day(3) + ",1\n\n" + day(3) + ",2\n", []string{"line 3: date " + day(3) + " is already on line 1"}},
		{"all problems at once", "x,1\n" + day(4) + ",y\n" + day(5) + "\n", []string{"has 3 bad line(s)", "line 1:", "line 2:", "line 3 has 1 values", "nothing was uploaded"}},
		{"too large", many, []string{"csv is 262145 characters long; at most 262144"}},
		{"too many rows", rows.String(), []string{"has 4001 balance lines; at most 4000"}},
	}
	before := f.sb.LoginAttempts()
	acct := "any-account"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := callTool(t, f.mcp, "upload_account_balance_history", map[string]any{"account_id": acct, "csv": tt.csv})
			for _, w := range tt.want {
				if !res.IsError || !strings.Contains(textOf(res), w) {
					t.Errorf("got %q, want an error containing %q", textOf(res), w)
				}
			}
		})
	}
	if f.sb.LoginAttempts() != before {
		t.Error("invalid CSV caused a login")
	}

	// Checks that need the clock or Monarch: future dates, unknown account.
	chk := f.checkingID(t)
	res := callTool(t, f.mcp, "upload_account_balance_history", map[string]any{"account_id": chk, "csv": day(1) + ",1\n" + f.clock.Now().AddDate(0, 0, 3).Format("2006-01-02") + ",2\n"})
	if !res.IsError || !strings.Contains(textOf(res), "dates after today") || !strings.Contains(textOf(res), "line 2") {
		t.Errorf("future date: %s", textOf(res))
	}
	res = callTool(t, f.mcp, "upload_account_balance_history", map[string]any{"account_id": "no-such-account", "csv": day(1) + ",1\n"})
	if !res.IsError || !strings.Contains(textOf(res), "no-such-account") {
		t.Errorf("unknown account: %s", textOf(res))
	}
	if n := f.sb.Requests(uploadPath); n != 0 {
		t.Errorf("%d uploads after failures", n)
	}
}

func TestUploadBalanceHistory(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	chk := f.checkingID(t)
	d1, d2 := f.clock.Now().AddDate(0, 0, -5).Format("2006-01-02"), f.clock.Now().AddDate(0, 0, -6).Format("2006-01-02")
	old1, old2 := f.balanceOn(t, chk, d1), f.balanceOn(t, chk, d2)
	csv := fmt.Sprintf("Date,Balance\r\n%s,%.2f\r\n%s,%.2f\r\n", d1, old1+100, d2, old2) // d2 unchanged

	var dry uploadBalanceResult
	f.decode(t, "upload_account_balance_history", map[string]any{"account_id": chk, "csv": csv, "dry_run": true}, &dry)
	if !dry.DryRun || dry.Uploaded || dry.Rows != 2 || dry.Changed != 1 || dry.Unchanged != 1 || dry.Count != 1 ||
		dry.Changes[0].Date != d1 || dry.Changes[0].Current == nil || *dry.Changes[0].Current != old1 || dry.Changes[0].New != round2(old1+100) ||
		dry.FirstDate != d2 || dry.LastDate != d1 {
		t.Fatalf("dry run %+v", dry)
	}
	if f.sb.Requests(uploadPath) != 0 || f.balanceOn(t, chk, d1) != old1 {
		t.Fatal("dry run changed something")
	}

	var up uploadBalanceResult
	f.decode(t, "upload_account_balance_history", map[string]any{"account_id": chk, "csv": csv}, &up)
	if up.DryRun || !up.Uploaded || !up.Completed || up.Status != "completed" || up.Changed != 1 {
		t.Fatalf("upload %+v", up)
	}
	if got := f.balanceOn(t, chk, d1); got != round2(old1+100) {
		t.Errorf("balance on %s after upload: %v, want %v", d1, got, round2(old1+100))
	}
	if got := f.balanceOn(t, chk, d2); got != old2 {
		t.Errorf("unchanged date moved: %v", got)
	}
}
