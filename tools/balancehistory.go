package tools

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

const (
	// maxCSVBytes and maxBalanceRows cap one upload: ten years of daily
	// balances fit, and a mistaken paste cannot rewrite more.
	maxCSVBytes    = 256 << 10
	maxBalanceRows = 4000
	// maxCSVProblems is how many bad lines one error lists.
	maxCSVProblems = 10
	// maxChangesShown bounds the per-date changes a result lists.
	maxChangesShown = 100
)

// --- upload_account_balance_history -----------------------------------------

type uploadBalanceArgs struct {
	AccountID string `json:"account_id"`
	CSV       string `json:"csv"`
	DryRun    bool   `json:"dry_run,omitempty"`
}

// balanceUpload is upload_account_balance_history's checked arguments,
// the CSV read into rows.
type balanceUpload struct {
	accountID string
	rows      []monarch.BalanceRow
	lines     []int // each row's line number
	dryRun    bool
}

func (a uploadBalanceArgs) parse() (balanceUpload, error) {
	if err := requireID("account_id", a.AccountID, "get_accounts lists account ids"); err != nil {
		return balanceUpload{}, err
	}
	rows, lines, err := parseBalanceCSV(a.CSV)
	return balanceUpload{accountID: a.AccountID, rows: rows, lines: lines, dryRun: a.DryRun}, err
}

// parseBalanceCSV reads "date,balance" lines (an optional header first;
// blank lines ignored) and checks all of them, reporting every bad line by
// number (up to maxCSVProblems) so that one call can fix them all.
func parseBalanceCSV(text string) ([]monarch.BalanceRow, []int, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil, argErrorf("csv", "is required: lines of date,balance such as 2026-01-31,1234.56")
	}
	if len(text) > maxCSVBytes {
		return nil, nil, argErrorf("csv", fmt.Sprintf("is %d bytes; at most %d per call: split the history into several uploads", len(text), maxCSVBytes))
	}
	var (
		rows     []monarch.BalanceRow
		lines    []int
		problems []string
		firstAt  = map[string]int{} // date → line it first appeared on
		dataSeen bool
	)
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" {
			continue
		}
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d is not valid CSV", n))
			continue
		}
		for j := range rec {
			rec[j] = strings.TrimSpace(rec[j])
		}
		if !dataSeen && isBalanceHeader(rec) {
			dataSeen = true
			continue
		}
		dataSeen = true
		if len(rec) != 2 {
			problems = append(problems, fmt.Sprintf("line %d has %d values; expected 2 (date,balance)", n, len(rec)))
			continue
		}
		date, err := time.Parse(dateLayout, rec[0])
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: date %q is not a date in YYYY-MM-DD form", n, rec[0]))
			continue
		}
		bal, ok := parseBalance(rec[1])
		if !ok {
			problems = append(problems, fmt.Sprintf("line %d: balance %q is not a number (write e.g. -1234.56, no currency sign or thousands separator)", n, rec[1]))
			continue
		}
		d := date.Format(dateLayout)
		if first, dup := firstAt[d]; dup {
			problems = append(problems, fmt.Sprintf("line %d: date %s is already on line %d", n, d, first))
			continue
		}
		firstAt[d] = n
		rows = append(rows, monarch.BalanceRow{Date: d, Balance: bal})
		lines = append(lines, n)
	}
	if len(problems) > 0 {
		msg := strings.Join(problems[:min(len(problems), maxCSVProblems)], "; ")
		if len(problems) > maxCSVProblems {
			msg += fmt.Sprintf("; and %d more", len(problems)-maxCSVProblems)
		}
		return nil, nil, argErrorf("csv", fmt.Sprintf("has %d bad line(s), nothing was uploaded: %s", len(problems), msg))
	}
	switch {
	case len(rows) == 0:
		return nil, nil, argErrorf("csv", "has no balance lines: give lines of date,balance such as 2026-01-31,1234.56")
	case len(rows) > maxBalanceRows:
		return nil, nil, argErrorf("csv", fmt.Sprintf("has %d balance lines; at most %d per call: split the history into several uploads", len(rows), maxBalanceRows))
	}
	return rows, lines, nil
}

// isBalanceHeader recognises a "date,balance" (or "date,amount") header.
func isBalanceHeader(rec []string) bool {
	return len(rec) == 2 && strings.EqualFold(rec[0], "date") &&
		(strings.EqualFold(rec[1], "balance") || strings.EqualFold(rec[1], "amount"))
}

// parseBalance reads a plain decimal number. "NaN", "Inf" and exponents
// are refused: they are never meant as a balance.
func parseBalance(s string) (float64, bool) {
	if s == "" || strings.ContainsAny(s, "eEnNiI") {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.Abs(v) >= 1e12 {
		return 0, false
	}
	return math.Round(v*100) / 100, true
}

type balanceChange struct {
	Date    string   `json:"date"`
	Current *float64 `json:"current_balance,omitempty" jsonschema:"Monarch's balance for the date now; absent if it has none"`
	New     float64  `json:"new_balance"`
}

type uploadBalanceResult struct {
	DryRun    bool   `json:"dry_run"`
	AccountID string `json:"account_id"`
	Rows      int    `json:"rows" jsonschema:"balance lines in the CSV"`
	FirstDate string `json:"first_date"`
	LastDate  string `json:"last_date"`
	Changed   int    `json:"changed" jsonschema:"dates whose balance differs from Monarch's current one (in a dry run: would differ)"`
	Unchanged int    `json:"unchanged" jsonschema:"dates that already have this balance"`
	// Changes lists the changing dates, oldest first, at most 100.
	Changes   []balanceChange `json:"changes" jsonschema:"dates whose balance changes, oldest first (the list fields say if it is cut)"`
	Uploaded  bool            `json:"uploaded"`
	Completed bool            `json:"completed" jsonschema:"Monarch finished applying the upload"`
	Status    string          `json:"status,omitempty" jsonschema:"Monarch's upload status"`
	Note      string          `json:"note"`
	list
	journalNote
}

func uploadAccountBalanceHistory(d *deps) Tool {
	return defineParsedWrite[uploadBalanceArgs](d, spec{
		name:  "upload_account_balance_history",
		title: "Upload account balance history",
		description: "Set an account's balance on past dates from CSV text: one line per date, \"date,balance\" (YYYY-MM-DD, plain number, negative for debts), " +
			fmt.Sprintf("an optional \"date,balance\" header, at most %d lines. ", maxBalanceRows) +
			"Every line is checked before anything is sent (dates, numbers, duplicate dates, future dates); errors name the line numbers. " +
			"The uploaded balances replace Monarch's for those dates. Use dry_run=true first to see each date's current and new balance." + confirmFirst,
		kind:       Destructive,
		idempotent: true,
		params: []mcp.ToolOption{
			idParam("account_id", "Account id from get_accounts.", mcp.Required()),
			mcp.WithString("csv", mcp.Required(), mcp.MaxLength(maxCSVBytes),
				mcp.Description("Lines of date,balance, e.g. \"date,balance\\n2026-01-31,1234.56\\n2026-02-28,1301.10\".")),
			dryRunParam(),
		},
	}, journaled[balanceUpload, uploadBalanceResult]{
		undo:   undoNone,
		caveat: "a balance-history upload cannot be taken back",
		summary: func(a balanceUpload) string {
			return fmt.Sprintf("uploaded %d balances of account %s", len(a.rows), a.accountID)
		},
		targets: func(_ context.Context, a balanceUpload) ([]target, error) {
			dates := make([]string, len(a.rows))
			for i, r := range a.rows {
				dates[i] = r.Date
			}
			return []target{{kind: kindBalanceHistory, ids: []string{a.accountID}, fields: dates}}, nil
		},
		dryRun: func(a balanceUpload) bool { return a.dryRun },
	}, func(ctx context.Context, a balanceUpload) (uploadBalanceResult, error) {
		today := d.today().Format(dateLayout)
		var future []string
		for i, r := range a.rows {
			if r.Date > today {
				future = append(future, fmt.Sprintf("line %d (%s)", a.lines[i], r.Date))
			}
		}
		if len(future) > 0 {
			return uploadBalanceResult{}, argErrorf("csv", fmt.Sprintf("has dates after today (%s), nothing was uploaded: %s", today, strings.Join(future[:min(len(future), maxCSVProblems)], ", ")))
		}
		// The current history names an unknown account before any upload
		// and gives each date's balance now.
		points, err := d.c.GetAccountHistory(ctx, a.accountID)
		if err != nil {
			return uploadBalanceResult{}, err
		}
		current := make(map[string]float64, len(points))
		for _, p := range points {
			current[p.Date] = p.Balance
		}
		res := uploadBalanceResult{DryRun: a.dryRun, AccountID: a.accountID, Rows: len(a.rows), FirstDate: a.rows[0].Date, LastDate: a.rows[0].Date}
		var changes []balanceChange
		for _, r := range a.rows {
			res.FirstDate, res.LastDate = min(res.FirstDate, r.Date), max(res.LastDate, r.Date)
			c := balanceChange{Date: r.Date, New: r.Balance}
			if v, ok := current[r.Date]; ok {
				if math.Abs(v-r.Balance) < 0.005 {
					res.Unchanged++
					continue
				}
				c.Current = ptr(round2(v))
			}
			changes = append(changes, c)
		}
		res.Changed = len(changes)
		slices.SortFunc(changes, func(x, y balanceChange) int { return strings.Compare(x.Date, y.Date) })
		res.Changes, res.list = page(changes, 0, maxChangesShown)
		// There is no offset parameter: the list is a preview, not a page.
		res.NextOffset = nil
		if a.dryRun {
			res.Note = "Dry run: nothing was uploaded. Call again with dry_run=false to apply these balances."
			return res, nil
		}
		up, err := d.c.UploadBalanceHistory(ctx, a.accountID, a.rows)
		if err != nil {
			return uploadBalanceResult{}, err
		}
		res.Uploaded, res.Completed, res.Status = true, up.Completed, up.Status
		res.Note = "Uploaded and applied: get_account_history shows the new balances."
		if !up.Completed {
			res.Note = "Uploaded; Monarch is still processing it. Read get_account_history again in a minute; do not upload again."
		}
		return res, nil
	})
}
