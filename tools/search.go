package tools

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

const (
	// scanCap bounds how many transactions one local scan reads, so a
	// search never pages through a whole history (a few requests at most).
	scanCap = 1000
	// scanPage is the page size of a scan.
	scanPage = 250
	// scanDays is how far back a local search looks when no dates are given.
	scanDays = 90
)

// scanned is the outcome of a bounded scan.
type scanned struct {
	txns []monarch.Transaction
	// complete is false when more transactions matched than the cap let us read.
	complete bool
}

// scan reads the transactions matching q, newest first, at most limit of them.
func (d *deps) scan(ctx context.Context, q monarch.TransactionQuery, limit int) (scanned, error) {
	var out scanned
	for {
		q.Limit, q.Offset = min(scanPage, limit-len(out.txns)), len(out.txns)
		p, err := d.c.GetTransactions(ctx, q)
		if err != nil {
			return scanned{}, err
		}
		out.txns = append(out.txns, p.Transactions...)
		switch {
		case len(out.txns) >= p.TotalCount || len(p.Transactions) == 0:
			out.complete = true
			return out, nil
		case len(out.txns) >= limit:
			return out, nil
		}
	}
}

// --- search_transactions ----------------------------------------------------

type searchArgs struct {
	Query       string   `json:"query,omitempty"`
	MinAmount   *float64 `json:"min_amount,omitempty"`
	MaxAmount   *float64 `json:"max_amount,omitempty"`
	StartDate   string   `json:"start_date,omitempty"`
	EndDate     string   `json:"end_date,omitempty"`
	AccountIDs  []string `json:"account_ids,omitempty"`
	CategoryIDs []string `json:"category_ids,omitempty"`
	TagIDs      []string `json:"tag_ids,omitempty"`
	Limit       *int     `json:"limit,omitempty"`
	Offset      int      `json:"offset,omitempty"`
	txnFlagArgs
}

// searchQuery is search_transactions' checked arguments: the shared
// filters (their search text is the trimmed query) and the amount range.
type searchQuery struct {
	txnFilter
	minAmount, maxAmount *float64
}

func (a searchArgs) parse() (searchQuery, error) {
	query := strings.TrimSpace(a.Query)
	if err := checkLen("query", query, maxSearchLen); err != nil {
		return searchQuery{}, err
	}
	for _, m := range []struct {
		name string
		v    *float64
	}{{"min_amount", a.MinAmount}, {"max_amount", a.MaxAmount}} {
		if m.v != nil && (*m.v < 0 || math.IsNaN(*m.v) || math.IsInf(*m.v, 0)) {
			return searchQuery{}, argErrorf(m.name, fmt.Sprintf("must be 0 or more: amounts are compared without their sign (got %v)", *m.v))
		}
	}
	if a.MinAmount != nil && a.MaxAmount != nil && *a.MaxAmount < *a.MinAmount {
		return searchQuery{}, &ArgError{Msg: fmt.Sprintf("max_amount (%v) is less than min_amount (%v)", *a.MaxAmount, *a.MinAmount)}
	}
	f, err := parseTxnFilter(query, a.StartDate, a.EndDate, a.AccountIDs, a.CategoryIDs, a.TagIDs, a.Limit, a.Offset)
	if err != nil {
		return searchQuery{}, err
	}
	f.txnFlags, err = a.txnFlagArgs.parse()
	return searchQuery{txnFilter: f, minAmount: a.MinAmount, maxAmount: a.MaxAmount}, err
}

// query is the transaction query for q, without its page: Monarch applies
// the amount range too, so it reaches the whole history.
func (q searchQuery) query(today time.Time) monarch.TransactionQuery {
	out := q.txnFilter.query(today)
	out.MinAbsAmount, out.MaxAbsAmount = q.minAmount, q.maxAmount
	return out
}

// localMatch reports whether every word of the query appears in one of the
// transaction's texts: merchant, statement, notes, category, account, tags.
func localMatch(t monarch.Transaction, words []string) bool {
	var b strings.Builder
	b.WriteString(t.OriginalStatement + "\n" + t.Notes + "\n")
	if t.Merchant != nil {
		b.WriteString(t.Merchant.Name + "\n")
	}
	if t.Category != nil {
		b.WriteString(t.Category.Name + "\n")
	}
	if t.Account != nil {
		b.WriteString(t.Account.DisplayName + "\n")
	}
	for _, tg := range t.Tags {
		b.WriteString(tg.Name + "\n")
	}
	hay := strings.ToLower(b.String())
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

type searchResult struct {
	Transactions []transaction `json:"transactions"`
	list
	Mode string `json:"mode" jsonschema:"monarch_search: Monarch's own search answered; local_scan: Monarch's search found nothing, so recent transactions were matched on merchant, statement, notes, category, account and tags"`
	// Scanned and ScanComplete describe the bounded local search, so the
	// model knows whether older matches may exist.
	Scanned      int    `json:"scanned,omitempty" jsonschema:"transactions read to filter locally"`
	ScanComplete *bool  `json:"scan_complete,omitempty" jsonschema:"false when the scan stopped at its cap and older matches may exist"`
	StartDate    string `json:"start_date,omitempty" jsonschema:"first date searched, when limited"`
	EndDate      string `json:"end_date,omitempty" jsonschema:"last date searched, when limited"`
	Note         string `json:"note,omitempty"`
}

func searchTransactions(d *deps) Tool {
	return defineParsed[searchArgs](d, spec{
		name:  "search_transactions",
		title: "Search transactions",
		description: "Find transactions by text (merchant, bank statement, notes), by amount range (min_amount/max_amount compare the amount without its sign, " +
			"so 40-60 finds a $50 charge or refund), by dates, accounts, categories, tags and the yes/no filters of get_transactions, over the whole history. " +
			"When Monarch's own search finds nothing for the text, " +
			fmt.Sprintf("the tool scans recent transactions (the date range, else the last %d days; at most %d) and matches every word of the query against ", scanDays, scanCap) +
			"merchant, original statement, notes, category, account and tag names; mode says which happened. Paged like get_transactions." + untrusted,
		kind: Read,
		params: append([]mcp.ToolOption{
			mcp.WithString("query", mcp.Description("Text to find, e.g. a merchant, part of a bank description, a note, or a category, account or tag name."), mcp.MaxLength(maxSearchLen)),
			mcp.WithNumber("min_amount", mcp.Description("Smallest amount, compared without sign (e.g. 40)."), mcp.Min(0)),
			mcp.WithNumber("max_amount", mcp.Description("Largest amount, compared without sign (e.g. 60)."), mcp.Min(0)),
			dateParam("start_date", "Earliest transaction date"),
			dateParam("end_date", "Latest transaction date"),
			idsParam("account_ids", "Only these accounts (ids from get_accounts)."),
			idsParam("category_ids", "Only these categories (ids from get_transaction_categories)."),
			idsParam("tag_ids", "Only transactions with any of these tags (ids from get_transaction_tags)."),
		}, append(flagParams(), limitParams()...)...),
	}, func(ctx context.Context, sq searchQuery) (searchResult, error) {
		q := sq.query(d.today())
		res := searchResult{Mode: "monarch_search"}
		q.Limit, q.Offset = sq.limit, sq.offset
		p, err := d.c.GetTransactions(ctx, q)
		if err != nil {
			return searchResult{}, err
		}
		if p.TotalCount > 0 || sq.search == "" {
			res.Transactions = shapeAll(p.Transactions)
			res.list = pageList(len(res.Transactions), p.TotalCount, sq.offset)
			return res, nil
		}

		// Monarch's search found nothing for the text: match it here over
		// recent transactions, on more fields than Monarch searches.
		res.Mode = "local_scan"
		q.Search = ""
		if q.StartDate == "" {
			today := d.today()
			q.StartDate, q.EndDate = today.AddDate(0, 0, -scanDays).Format(dateLayout), today.Format(dateLayout)
		}
		res.StartDate, res.EndDate = q.StartDate, q.EndDate
		s, err := d.scan(ctx, q, scanCap)
		if err != nil {
			return searchResult{}, err
		}
		words := strings.Fields(strings.ToLower(sq.search))
		hits := filterTxns(s.txns, func(t monarch.Transaction) bool { return localMatch(t, words) })
		return scanResult(res, hits, s, sq.paging), nil
	})
}

// scanResult pages locally filtered hits and says how far the scan went.
func scanResult(res searchResult, hits []monarch.Transaction, s scanned, pg paging) searchResult {
	var p []monarch.Transaction
	p, res.list = page(hits, pg.offset, pg.limit)
	res.Transactions = shapeAll(p)
	res.Scanned = len(s.txns)
	res.ScanComplete = ptr(s.complete)
	if !s.complete {
		res.Note = fmt.Sprintf("Only the first %d transactions of the range (in the requested order) were scanned; narrow start_date/end_date to search the rest.", scanCap)
	}
	return res
}

func shapeAll(ts []monarch.Transaction) []transaction {
	out := make([]transaction, 0, len(ts))
	for _, t := range ts {
		out = append(out, shapeTransaction(t))
	}
	return out
}

// filterTxns returns the transactions keep accepts, in order.
func filterTxns(ts []monarch.Transaction, keep func(monarch.Transaction) bool) []monarch.Transaction {
	var out []monarch.Transaction
	for _, t := range ts {
		if keep(t) {
			out = append(out, t)
		}
	}
	return out
}
