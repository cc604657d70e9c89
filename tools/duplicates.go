package tools

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

const (
	defaultDuplicateDays = 90
	// duplicateScanCap bounds the transactions one call reads.
	duplicateScanCap = 3000
	// maxDuplicatePairs bounds the pairs listed: more means the rules
	// are too loose for the data, not that the user has that many.
	maxDuplicatePairs = 200
	defaultDaysApart  = 3
	maxDaysApart      = 10
)

// Rules a duplicate pair matched.
const (
	ruleSameAccount     = "same_account"
	ruleSameAmount      = "same_amount"
	ruleDatesClose      = "dates_within_days_apart"
	ruleSameMerchant    = "same_merchant"
	ruleSimilarMerchant = "similar_merchant"
	rulePendingPosted   = "pending_and_posted"
)

type duplicatesArgs struct {
	StartDate string `json:"start_date,omitempty"`
	EndDate   string `json:"end_date,omitempty"`
	DaysApart *int   `json:"days_apart,omitempty"`
}

// duplicatesQuery is find_duplicate_transactions' checked arguments.
type duplicatesQuery struct {
	span      dateSpan
	daysApart int
}

func (a duplicatesArgs) parse() (duplicatesQuery, error) {
	span, err := parseSpan(a.StartDate, a.EndDate)
	if err != nil {
		return duplicatesQuery{}, err
	}
	q := duplicatesQuery{span: span, daysApart: defaultDaysApart}
	if a.DaysApart != nil {
		if *a.DaysApart < 0 || *a.DaysApart > maxDaysApart {
			return duplicatesQuery{}, argErrorf("days_apart", fmt.Sprintf("must be 0 to %d (got %d)", maxDaysApart, *a.DaysApart))
		}
		q.daysApart = *a.DaysApart
	}
	return q, nil
}

type duplicatePair struct {
	First     transaction `json:"first" jsonschema:"the earlier transaction"`
	Second    transaction `json:"second" jsonschema:"the later transaction (or the newer of a same-day pair)"`
	DaysApart int         `json:"days_apart"`
	Rules     []string    `json:"rules" jsonschema:"rules the pair matched: same_account, same_amount, dates_within_days_apart, and same_merchant, similar_merchant or pending_and_posted"`
	Reason    string      `json:"reason"`
}

type duplicatesResult struct {
	Pairs []duplicatePair `json:"pairs"`
	list
	StartDate    string `json:"start_date"`
	EndDate      string `json:"end_date"`
	Scanned      int    `json:"scanned" jsonschema:"transactions read"`
	ScanComplete bool   `json:"scan_complete" jsonschema:"false when the range holds more transactions than one call reads"`
	Note         string `json:"note,omitempty"`
}

func findDuplicateTransactions(d *deps) Tool {
	return defineParsed[duplicatesArgs](d, spec{
		name:  "find_duplicate_transactions",
		title: "Find duplicate transactions",
		description: fmt.Sprintf("Find likely duplicate transactions in a date range (default the last %d days): pairs on the same account with the same amount, ", defaultDuplicateDays) +
			"dated at most days_apart days apart, and either the same or a similar merchant or one pending and one posted. Each pair says which rules matched. " +
			"Check with get_transaction_details; remove one with delete_transaction." + untrusted,
		kind: Read,
		params: []mcp.ToolOption{
			dateParam("start_date", fmt.Sprintf("Earliest date (default %d days before end_date)", defaultDuplicateDays)),
			dateParam("end_date", "Latest date (default today)"),
			mcp.WithInteger("days_apart", mcp.Description(fmt.Sprintf("Most days between the two dates of a pair (0-%d, default %d).", maxDaysApart, defaultDaysApart)),
				mcp.Min(0), mcp.Max(maxDaysApart), mcp.DefaultNumber(defaultDaysApart)),
		},
	}, func(ctx context.Context, q duplicatesQuery) (duplicatesResult, error) {
		start, end := defaultRange(q.span.start, q.span.end, d.today(), func(end time.Time) time.Time {
			return end.AddDate(0, 0, -defaultDuplicateDays)
		})
		res := duplicatesResult{StartDate: start.Format(dateLayout), EndDate: end.Format(dateLayout), Pairs: []duplicatePair{}}
		s, err := d.scan(ctx, monarch.TransactionQuery{StartDate: res.StartDate, EndDate: res.EndDate, Order: monarch.OrderNewest}, duplicateScanCap)
		if err != nil {
			return duplicatesResult{}, err
		}
		res.Scanned, res.ScanComplete = len(s.txns), s.complete
		pairs := duplicatePairs(s.txns, q.daysApart)
		total := len(pairs)
		if total > maxDuplicatePairs {
			pairs = pairs[:maxDuplicatePairs]
		}
		res.Pairs = pairs
		res.list = list{Count: len(pairs), TotalCount: total, Truncated: total > len(pairs)}
		var notes []string
		if !s.complete {
			notes = append(notes, fmt.Sprintf("Only the newest %d transactions of the range were read; use a shorter range to check the rest.", duplicateScanCap))
		}
		if res.Truncated {
			notes = append(notes, fmt.Sprintf("Only the newest %d of %d pairs are listed; use a shorter range or a smaller days_apart.", maxDuplicatePairs, total))
		}
		res.Note = strings.Join(notes, " ")
		return res, nil
	})
}

// duplicatePairs returns the likely duplicate pairs among ts, newest
// first. Transactions are grouped by account and amount in cents, so the
// work is linear in len(ts) plus the pairs compared within a group.
func duplicatePairs(ts []monarch.Transaction, daysApart int) []duplicatePair {
	type key struct {
		account string
		cents   int64
	}
	groups := map[key][]monarch.Transaction{}
	var order []key
	for _, t := range ts {
		if t.Account == nil || t.Amount == 0 {
			continue
		}
		k := key{t.Account.ID, int64(math.Round(t.Amount * 100))}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], t)
	}
	var out []duplicatePair
	for _, k := range order {
		g := groups[k] // newest first, as read
		for i := range g {
			for j := i + 1; j < len(g); j++ {
				days, ok := daysBetween(g[j].Date, g[i].Date)
				if !ok || days > daysApart {
					if ok {
						break // older ones are further apart still
					}
					continue
				}
				if p, ok := duplicateOf(g[j], g[i], days, daysApart); ok {
					out = append(out, p)
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b duplicatePair) int { return strings.Compare(b.Second.Date, a.Second.Date) })
	return out
}

// daysBetween is the number of days from a to b (both YYYY-MM-DD).
func daysBetween(a, b string) (int, bool) {
	ta, err1 := time.Parse(dateLayout, a)
	tb, err2 := time.Parse(dateLayout, b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int(math.Abs(tb.Sub(ta).Hours()) / 24), true
}

// duplicateOf judges a pair already on one account with one amount and
// close dates: a duplicate needs the same or a similar merchant, or one
// side pending and the other posted (banks often rename a charge when it
// posts).
func duplicateOf(first, second monarch.Transaction, days, daysApart int) (duplicatePair, bool) {
	rules := []string{ruleSameAccount, ruleSameAmount, ruleDatesClose}
	a, b := merchantName(first), merchantName(second)
	var why []string
	switch {
	case a != "" && strings.EqualFold(a, b):
		rules = append(rules, ruleSameMerchant)
		why = append(why, "same merchant")
	case similarMerchants(a, b):
		rules = append(rules, ruleSimilarMerchant)
		why = append(why, "similar merchants")
	}
	if first.Pending != second.Pending {
		rules = append(rules, rulePendingPosted)
		why = append(why, "one pending and one posted")
	}
	if len(why) == 0 {
		return duplicatePair{}, false
	}
	reason := fmt.Sprintf("same account and amount (%.2f), %d day(s) apart (at most %d), %s", first.Amount, days, daysApart, strings.Join(why, ", "))
	return duplicatePair{First: shapeTransaction(first), Second: shapeTransaction(second), DaysApart: days, Rules: rules, Reason: reason}, true
}

func merchantName(t monarch.Transaction) string {
	if t.Merchant != nil && t.Merchant.Name != "" {
		return t.Merchant.Name
	}
	return t.OriginalStatement
}

// similarMerchants reports whether two merchant names share their first
// significant word or one contains the other, ignoring case and
// punctuation ("AMZN Mktp" and "Amazon" do not match; "Starbucks #123"
// and "Starbucks" do).
func similarMerchants(a, b string) bool {
	wa, wb := merchantWords(a), merchantWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	ja, jb := strings.Join(wa, " "), strings.Join(wb, " ")
	return wa[0] == wb[0] || strings.Contains(ja, jb) || strings.Contains(jb, ja)
}

// merchantWords are a name's lower-case words of letters and digits,
// without payment-processor prefixes and store numbers.
func merchantWords(s string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
	out := words[:0]
	for _, w := range words {
		if w == "sq" || w == "tst" || w == "pp" || w == "the" || strings.Trim(w, "0123456789") == "" {
			continue
		}
		out = append(out, w)
	}
	return out
}
