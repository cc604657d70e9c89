package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// bulkPreview is how many of the selected transactions a result lists.
const bulkPreview = 20

type bulkUpdateArgs struct {
	TransactionIDs []string `json:"transaction_ids,omitempty"`
	// The filter.
	StartDate   string   `json:"start_date,omitempty"`
	EndDate     string   `json:"end_date,omitempty"`
	AccountIDs  []string `json:"account_ids,omitempty"`
	CategoryIDs []string `json:"category_ids,omitempty"`
	MerchantIDs []string `json:"merchant_ids,omitempty"`
	TagIDs      []string `json:"tag_ids,omitempty"`
	Search      string   `json:"search,omitempty"`
	// The changes.
	SetNotes      *string   `json:"set_notes,omitempty"`
	SetTagIDs     *[]string `json:"set_tag_ids,omitempty"`
	SetHidden     *bool     `json:"set_hidden,omitempty"`
	SetReviewed   *bool     `json:"set_reviewed,omitempty"`
	SetCategoryID *string   `json:"set_category_id,omitempty"`

	ExpectedCount *int  `json:"expected_count,omitempty"`
	DryRun        *bool `json:"dry_run,omitempty"`
}

// bulkUpdate is bulk_update_transactions' checked arguments: a selection
// by ids or by filter (query), and what to set.
type bulkUpdate struct {
	ids      []string
	filter   *txnFilter
	merchant []string
	set      monarch.BulkTransactionUpdate
	changes  []string // what is set, in words, before names are looked up
	expected *int
	dryRun   bool
}

func (a bulkUpdateArgs) parse() (bulkUpdate, error) {
	u := bulkUpdate{dryRun: a.DryRun == nil || *a.DryRun, expected: a.ExpectedCount}
	search := strings.TrimSpace(a.Search)
	if err := checkLen("search", search, maxSearchLen); err != nil {
		return bulkUpdate{}, err
	}
	byFilter := a.StartDate != "" || a.EndDate != "" || len(a.AccountIDs) > 0 || len(a.CategoryIDs) > 0 ||
		len(a.MerchantIDs) > 0 || len(a.TagIDs) > 0 || search != ""
	switch {
	case len(a.TransactionIDs) > 0 && byFilter:
		return bulkUpdate{}, &ArgError{Msg: "give transaction_ids or filter arguments (start_date, end_date, account_ids, category_ids, merchant_ids, tag_ids, search), not both"}
	case len(a.TransactionIDs) > 0:
		if err := checkBatch("transaction_ids", len(a.TransactionIDs)); err != nil {
			return bulkUpdate{}, err
		}
		if err := checkIDs("transaction_ids", a.TransactionIDs); err != nil {
			return bulkUpdate{}, err
		}
		u.ids = slices.Compact(slices.Sorted(slices.Values(a.TransactionIDs)))
	case byFilter:
		if err := checkIDs("merchant_ids", a.MerchantIDs); err != nil {
			return bulkUpdate{}, err
		}
		f, err := parseTxnFilter(search, a.StartDate, a.EndDate, a.AccountIDs, a.CategoryIDs, a.TagIDs, nil, 0)
		if err != nil {
			return bulkUpdate{}, err
		}
		u.filter, u.merchant = &f, a.MerchantIDs
	default:
		return bulkUpdate{}, &ArgError{Msg: "select transactions: give transaction_ids, or at least one filter argument (start_date, end_date, account_ids, category_ids, merchant_ids, tag_ids, search)"}
	}
	if a.ExpectedCount != nil && *a.ExpectedCount < 1 {
		return bulkUpdate{}, argErrorf("expected_count", "must be the count a dry run reported (1 or more)")
	}

	s := &u.set
	if a.SetNotes != nil {
		if err := checkLen("set_notes", *a.SetNotes, maxNotes); err != nil {
			return bulkUpdate{}, err
		}
		s.Notes = a.SetNotes
		u.changes = append(u.changes, fmt.Sprintf("notes set to %q", *a.SetNotes))
	}
	if a.SetTagIDs != nil {
		if len(*a.SetTagIDs) > maxIDs {
			return bulkUpdate{}, argErrorf("set_tag_ids", fmt.Sprintf("holds %d ids; at most %d", len(*a.SetTagIDs), maxIDs))
		}
		if err := checkIDs("set_tag_ids", *a.SetTagIDs); err != nil {
			return bulkUpdate{}, err
		}
		s.TagIDs = a.SetTagIDs
	}
	if a.SetHidden != nil {
		s.Hide = a.SetHidden
		u.changes = append(u.changes, map[bool]string{true: "hidden from reports", false: "shown in reports"}[*a.SetHidden])
	}
	if a.SetReviewed != nil {
		st, words := monarch.ReviewStatusReviewed, "marked reviewed"
		if !*a.SetReviewed {
			st, words = monarch.ReviewStatusNeedsReview, "marked as needing review"
		}
		s.ReviewStatus = &st
		u.changes = append(u.changes, words)
	}
	if a.SetCategoryID != nil {
		if err := requireID("set_category_id", *a.SetCategoryID, "get_transaction_categories lists category ids"); err != nil {
			return bulkUpdate{}, err
		}
		s.CategoryID = a.SetCategoryID
	}
	if s.IsEmpty() {
		return bulkUpdate{}, &ArgError{Msg: "nothing to set: give at least one of set_notes, set_tag_ids, set_hidden, set_reviewed, set_category_id"}
	}
	return u, nil
}

type bulkUpdateResult struct {
	DryRun        bool          `json:"dry_run"`
	SelectedBy    string        `json:"selected_by" jsonschema:"ids or filter"`
	Count         int           `json:"count" jsonschema:"transactions that would change (dry run) or changed"`
	ExpectedCount int           `json:"expected_count" jsonschema:"pass this as expected_count with dry_run=false to apply a filter selection"`
	Changes       []string      `json:"changes" jsonschema:"what is set on every selected transaction"`
	Transactions  []transaction `json:"transactions" jsonschema:"the first selected transactions, as they were before the change"`
	Truncated     bool          `json:"truncated" jsonschema:"true when more transactions are selected than listed"`
	Note          string        `json:"note,omitempty"`
	journalNote
}

func bulkUpdateTransactions(d *deps) Tool {
	return defineParsedWrite[bulkUpdateArgs](d, spec{
		name:  "bulk_update_transactions",
		title: "Bulk update transactions",
		description: "Set notes, tags, hidden, review status or category on many transactions at once, chosen by transaction_ids or by a filter (dates, accounts, categories, merchants, tags, search). " +
			"Safe by default: without dry_run=false it only reports how many and which would change, and expected_count. " +
			"To apply a filter, call again with dry_run=false and that expected_count: Monarch refuses, changing nothing, if the filter now matches a different number." + confirmFirst + untrusted,
		kind:       Write,
		idempotent: true,
		params: []mcp.ToolOption{
			idsParam("transaction_ids", fmt.Sprintf("Transactions to change (1-%d ids from get_transactions or search_transactions); or use the filter arguments instead.", maxBatch)),
			dateParam("start_date", "Filter: earliest transaction date"),
			dateParam("end_date", "Filter: latest transaction date"),
			idsParam("account_ids", "Filter: only these accounts (ids from get_accounts)."),
			idsParam("category_ids", "Filter: only these categories (ids from get_transaction_categories)."),
			idsParam("merchant_ids", "Filter: only these merchants (ids from get_merchant or transactions)."),
			idsParam("tag_ids", "Filter: only transactions with any of these tags (ids from get_transaction_tags)."),
			searchParam("search", "Filter: text in merchant names, descriptions and notes."),
			mcp.WithString("set_notes", mcp.Description("Replace the notes with this text (empty clears them)."), mcp.MaxLength(maxNotes)),
			idsParam("set_tag_ids", "Replace the tags with these (ids from get_transaction_tags; an empty list removes all tags)."),
			mcp.WithBoolean("set_hidden", mcp.Description("Hide from reports and budgets (true) or show again (false).")),
			mcp.WithBoolean("set_reviewed", mcp.Description("Mark reviewed (true) or as needing review (false).")),
			idParam("set_category_id", "Set this category (id from get_transaction_categories)."),
			mcp.WithInteger("expected_count", mcp.Description("With a filter and dry_run=false: the expected_count the dry run reported."), mcp.Min(1)),
			mcp.WithBoolean("dry_run", mcp.Description("Default true: change nothing, report what would change. Set false to apply."), mcp.DefaultBool(true)),
		},
	}, journaled[bulkUpdate, bulkUpdateResult]{
		undo: undoFull,
		summary: func(u bulkUpdate) string {
			if u.filter != nil {
				return "bulk update of the transactions a filter selects"
			}
			return fmt.Sprintf("bulk update of %d transactions", len(u.ids))
		},
		targets: func(ctx context.Context, u bulkUpdate) ([]target, error) {
			var fields []string
			for _, x := range []struct {
				set   bool
				field string
			}{{u.set.Notes != nil, txNotes}, {u.set.TagIDs != nil, txTags}, {u.set.Hide != nil, txHidden},
				{u.set.ReviewStatus != nil, txReview}, {u.set.CategoryID != nil, txCategory}} {
				if x.set {
					fields = append(fields, x.field)
				}
			}
			ids := u.ids
			if u.filter != nil {
				q := u.filter.query(d.today())
				q.MerchantIDs = u.merchant
				var err error
				if ids, err = d.matchingIDs(ctx, q, maxJournaledBulk); err != nil {
					return nil, err
				}
			}
			return txTarget(ids, fields...), nil
		},
		dryRun: func(u bulkUpdate) bool { return u.dryRun },
	}, func(ctx context.Context, u bulkUpdate) (bulkUpdateResult, error) {
		changes, err := d.describeBulkChanges(ctx, u)
		if err != nil {
			return bulkUpdateResult{}, err
		}
		q := monarch.TransactionQuery{IDs: u.ids, Limit: max(bulkPreview, len(u.ids))}
		res := bulkUpdateResult{DryRun: u.dryRun, SelectedBy: "ids", Changes: changes}
		if u.filter != nil {
			q = u.filter.query(d.today())
			q.MerchantIDs, q.Limit = u.merchant, bulkPreview
			res.SelectedBy = "filter"
		}
		p, err := d.c.GetTransactions(ctx, q)
		if err != nil {
			return bulkUpdateResult{}, err
		}
		if u.ids != nil && p.TotalCount != len(u.ids) {
			found := map[string]bool{}
			for _, t := range p.Transactions {
				found[t.ID] = true
			}
			missing := slices.DeleteFunc(slices.Clone(u.ids), func(id string) bool { return found[id] })
			return bulkUpdateResult{}, argErrorf("transaction_ids", fmt.Sprintf("no transaction has id %s; nothing was changed", strings.Join(missing, ", ")))
		}
		if p.TotalCount == 0 {
			return bulkUpdateResult{}, &ArgError{Msg: "no transactions match the filter; nothing to change"}
		}
		res.Count, res.ExpectedCount = p.TotalCount, p.TotalCount
		res.Transactions = shapeAll(p.Transactions[:min(bulkPreview, len(p.Transactions))])
		res.Truncated = p.TotalCount > len(res.Transactions)
		if u.dryRun {
			res.Note = "Nothing was changed. Call again with dry_run=false to apply"
			if u.filter != nil {
				res.Note += fmt.Sprintf(" and expected_count=%d", res.ExpectedCount)
			}
			res.Note += "."
			return res, nil
		}
		if u.filter != nil {
			switch {
			case u.expected == nil:
				return bulkUpdateResult{}, argErrorf("expected_count",
					fmt.Sprintf("is required to apply a filter: run with dry_run=true first and pass its expected_count (the filter matches %d now); nothing was changed", p.TotalCount))
			case *u.expected != p.TotalCount:
				return bulkUpdateResult{}, argErrorf("expected_count",
					fmt.Sprintf("is %d but the filter now matches %d transactions; nothing was changed: run a dry run again and check what it selects", *u.expected, p.TotalCount))
			}
		}
		sel := monarch.BulkSelection{IDs: u.ids, Expected: p.TotalCount}
		if u.filter != nil {
			sel.IDs, sel.Filter = nil, &q
		}
		n, err := d.c.BulkUpdateTransactions(ctx, sel, u.set)
		if err != nil {
			return bulkUpdateResult{}, err
		}
		res.Count = n
		return res, nil
	})
}

// describeBulkChanges checks that the category and tags to set exist and
// says in words what the update sets.
func (d *deps) describeBulkChanges(ctx context.Context, u bulkUpdate) ([]string, error) {
	changes := slices.Clone(u.changes)
	if id := u.set.CategoryID; id != nil {
		names, err := d.categoryNames(ctx)
		if err != nil {
			return nil, err
		}
		name, ok := names[*id]
		if !ok {
			return nil, argErrorf("set_category_id", fmt.Sprintf("%q is not a category; get_transaction_categories lists category ids. Nothing was changed.", *id))
		}
		changes = append(changes, "category set to "+name)
	}
	if ids := u.set.TagIDs; ids != nil {
		if len(*ids) == 0 {
			return append(changes, "all tags removed"), nil
		}
		tags, err := d.c.GetTags(ctx)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, id := range *ids {
			i := slices.IndexFunc(tags, func(t monarch.Tag) bool { return t.ID == id })
			if i < 0 {
				return nil, argErrorf("set_tag_ids", fmt.Sprintf("%q is not a tag; get_transaction_tags lists tag ids. Nothing was changed.", id))
			}
			names = append(names, tags[i].Name)
		}
		changes = append(changes, "tags replaced with "+strings.Join(names, ", "))
	}
	return changes, nil
}
