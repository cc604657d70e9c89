package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Reasons a transaction may need attention.
const (
	reasonNeedsReview   = "needs_review"
	reasonUncategorized = "uncategorized"
	reasonNoNotes       = "no_notes"
)

var reviewReasons = []string{reasonNeedsReview, reasonUncategorized, reasonNoNotes}

const (
	defaultReviewDays = 30
	maxReviewDays     = 365
	// reviewScanCap bounds the scan: a year of a busy household.
	reviewScanCap = 3000
)

type needingReviewArgs struct {
	Days    *int     `json:"days,omitempty"`
	Include []string `json:"include,omitempty"`
	Limit   *int     `json:"limit,omitempty"`
	Offset  int      `json:"offset,omitempty"`
}

// reviewQuery is get_transactions_needing_review's checked arguments,
// defaults filled in.
type reviewQuery struct {
	days    int
	include []string // sorted, each reason once
	paging
}

func (a needingReviewArgs) parse() (reviewQuery, error) {
	q := reviewQuery{days: defaultReviewDays, include: []string{reasonNeedsReview, reasonUncategorized}}
	if a.Days != nil {
		if *a.Days < 1 || *a.Days > maxReviewDays {
			return reviewQuery{}, argErrorf("days", fmt.Sprintf("must be between 1 and %d (got %d)", maxReviewDays, *a.Days))
		}
		q.days = *a.Days
	}
	// A reason named twice would be listed and counted twice.
	if include := slices.Compact(slices.Sorted(slices.Values(a.Include))); len(include) > 0 {
		for _, r := range include {
			if !slices.Contains(reviewReasons, r) {
				return reviewQuery{}, argErrorf("include", fmt.Sprintf("holds %q; allowed: %s", r, strings.Join(reviewReasons, ", ")))
			}
		}
		q.include = include
	}
	var err error
	q.paging, err = parsePaging(a.Limit, a.Offset)
	return q, err
}

// reasons lists why t needs attention, among the reasons asked for.
func reasons(t monarch.Transaction, include []string) []string {
	var out []string
	for _, r := range include {
		var hit bool
		switch r {
		case reasonNeedsReview:
			hit = t.NeedsReview
		case reasonUncategorized:
			// Monarch's fallback category, or none at all.
			hit = t.Category == nil || strings.EqualFold(t.Category.Name, "Uncategorized")
		case reasonNoNotes:
			hit = strings.TrimSpace(t.Notes) == ""
		}
		if hit {
			out = append(out, r)
		}
	}
	return out
}

type reviewItem struct {
	transaction
	Reasons []string `json:"reasons" jsonschema:"why it is listed: needs_review, uncategorized, no_notes"`
}

type needingReviewResult struct {
	Transactions []reviewItem `json:"transactions"`
	list
	ByReason     map[string]int `json:"by_reason" jsonschema:"number of matching transactions per reason, over all pages"`
	StartDate    string         `json:"start_date"`
	EndDate      string         `json:"end_date"`
	Scanned      int            `json:"scanned" jsonschema:"transactions read in the range"`
	ScanComplete bool           `json:"scan_complete" jsonschema:"false when the range holds more transactions than one call reads"`
	Note         string         `json:"note,omitempty"`
}

func getTransactionsNeedingReview(d *deps) Tool {
	return defineParsed[needingReviewArgs](d, spec{
		name:  "get_transactions_needing_review",
		title: "Get transactions needing review",
		description: fmt.Sprintf("List the last days (default %d, max %d) of transactions that need attention, newest first, each with its reasons: ", defaultReviewDays, maxReviewDays) +
			"needs_review (Monarch flags it), uncategorized, no_notes. include picks the reasons (default needs_review and uncategorized). " +
			"Fix them with set_transaction_category, bulk_categorize_transactions, update_transaction_notes or mark_transaction_reviewed." + untrusted,
		kind: Read,
		params: append([]mcp.ToolOption{
			mcp.WithInteger("days", mcp.Description(fmt.Sprintf("How many days back to look, ending today (1-%d, default %d).", maxReviewDays, defaultReviewDays)),
				mcp.Min(1), mcp.Max(maxReviewDays), mcp.DefaultNumber(defaultReviewDays)),
			mcp.WithArray("include", mcp.Description("Reasons to list: needs_review, uncategorized, no_notes (default needs_review and uncategorized)."),
				mcp.WithStringEnumItems(reviewReasons), mcp.MaxItems(len(reviewReasons))),
		}, limitParams()...),
	}, func(ctx context.Context, q reviewQuery) (needingReviewResult, error) {
		end := d.today()
		start := end.AddDate(0, 0, 1-q.days)
		res := needingReviewResult{StartDate: start.Format(dateLayout), EndDate: end.Format(dateLayout), ByReason: map[string]int{}}
		for _, r := range q.include {
			res.ByReason[r] = 0
		}
		s, err := d.scan(ctx, monarch.TransactionQuery{StartDate: res.StartDate, EndDate: res.EndDate}, reviewScanCap)
		if err != nil {
			return needingReviewResult{}, err
		}
		var all []reviewItem
		for _, t := range s.txns {
			if rs := reasons(t, q.include); len(rs) > 0 {
				all = append(all, reviewItem{transaction: shapeTransaction(t), Reasons: rs})
				for _, r := range rs {
					res.ByReason[r]++
				}
			}
		}
		res.Transactions, res.list = page(all, q.offset, q.limit)
		res.Scanned, res.ScanComplete = len(s.txns), s.complete
		if !s.complete {
			res.Note = fmt.Sprintf("Only the newest %d transactions of the range were read; use fewer days to see the rest.", reviewScanCap)
		}
		return res, nil
	})
}
