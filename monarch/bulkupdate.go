package monarch

import (
	"context"
	"fmt"
	"strings"
)

// opBulkUpdate changes many transactions in one request
// (Mutation.bulkUpdateTransactions). Setting fields to values is
// idempotent, so it may be re-sent.
var opBulkUpdate = op("Common_BulkUpdateTransactionsMutation")

// BulkSelection picks the transactions of a bulk update: either IDs, or
// every transaction matching Filter (its Limit and Offset are ignored).
// Expected is how many transactions the caller expects to change: Monarch
// refuses the whole update, changing nothing, when the selection holds
// another number.
type BulkSelection struct {
	IDs      []string
	Filter   *TransactionQuery
	Expected int
}

// BulkTransactionUpdate is what a bulk update sets on every selected
// transaction: nil fields are left as they are. TagIDs replaces the tags
// (an empty list removes them all); ReviewStatus is ReviewStatusReviewed
// or ReviewStatusNeedsReview; Hide hides from (true) or shows in (false)
// reports and budgets.
type BulkTransactionUpdate struct {
	Notes        *string
	TagIDs       *[]string
	Hide         *bool
	ReviewStatus *string
	CategoryID   *string
}

// IsEmpty reports whether u sets nothing.
func (u BulkTransactionUpdate) IsEmpty() bool {
	return u.Notes == nil && u.TagIDs == nil && u.Hide == nil && u.ReviewStatus == nil && u.CategoryID == nil
}

// params returns Monarch's TransactionUpdateParams for u.
func (u BulkTransactionUpdate) params() (map[string]any, error) {
	p := map[string]any{}
	if u.Notes != nil {
		p["notes"] = *u.Notes
	}
	if u.TagIDs != nil {
		p["tags"] = nonNil(*u.TagIDs)
	}
	if u.Hide != nil {
		p["hide"] = *u.Hide
	}
	if u.ReviewStatus != nil {
		if s := *u.ReviewStatus; s != ReviewStatusReviewed && s != ReviewStatusNeedsReview {
			return nil, fmt.Errorf("monarch: BulkUpdateTransactions: ReviewStatus %q is neither %q nor %q", s, ReviewStatusReviewed, ReviewStatusNeedsReview)
		}
		p["reviewStatus"] = *u.ReviewStatus
	}
	if u.CategoryID != nil {
		if strings.TrimSpace(*u.CategoryID) == "" {
			return nil, fmt.Errorf("monarch: BulkUpdateTransactions: CategoryID is empty")
		}
		p["categoryId"] = *u.CategoryID
	}
	if len(p) == 0 {
		return nil, fmt.Errorf("monarch: BulkUpdateTransactions: the update sets nothing")
	}
	return p, nil
}

// BulkUpdateTransactions applies u to the selected transactions in one
// request and returns how many Monarch changed. When the selection does
// not hold sel.Expected transactions Monarch changes none and answers an
// error.
func (c *Client) BulkUpdateTransactions(ctx context.Context, sel BulkSelection, u BulkTransactionUpdate) (int, error) {
	updates, err := u.params()
	if err != nil {
		return 0, err
	}
	vars := map[string]any{"updates": updates, "expectedAffectedTransactionCount": sel.Expected}
	switch {
	case (len(sel.IDs) > 0) == (sel.Filter != nil):
		return 0, fmt.Errorf("monarch: BulkUpdateTransactions: give IDs or a Filter, not both or neither")
	case sel.Expected < 1:
		return 0, fmt.Errorf("monarch: BulkUpdateTransactions: Expected must be at least 1")
	case sel.Filter != nil:
		f, err := sel.Filter.filters()
		if err != nil {
			return 0, err
		}
		vars["allSelected"], vars["filters"] = true, f
	default:
		vars["allSelected"], vars["selectedTransactionIds"] = false, sel.IDs
	}
	var out struct {
		Update *struct {
			Success       *bool         `json:"success"`
			AffectedCount *int          `json:"affectedCount"`
			Errors        payloadErrors `json:"errors"`
		} `json:"bulkUpdateTransactions"`
	}
	if err := c.graphQL(ctx, opBulkUpdate, vars, &out); err != nil {
		return 0, err
	}
	if out.Update == nil {
		return 0, &UnexpectedResponseError{Operation: opBulkUpdate.name, Reason: "the answer has no bulkUpdateTransactions"}
	}
	if err := out.Update.Errors.err(opBulkUpdate); err != nil {
		return 0, err
	}
	if out.Update.Success == nil || !*out.Update.Success || out.Update.AffectedCount == nil {
		return 0, &UnexpectedResponseError{Operation: opBulkUpdate.name, Reason: "bulkUpdateTransactions answered no success and affectedCount without saying why"}
	}
	return *out.Update.AffectedCount, nil
}
