package tools

import (
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// txnFlagArgs are the yes/no filters and the order get_transactions and
// search_transactions share; Monarch applies all of them, so they reach
// the whole history.
type txnFlagArgs struct {
	HasAttachments *bool  `json:"has_attachments,omitempty"`
	HasNotes       *bool  `json:"has_notes,omitempty"`
	Hidden         *bool  `json:"hidden,omitempty"`
	IsSplit        *bool  `json:"is_split,omitempty"`
	IsRecurring    *bool  `json:"is_recurring,omitempty"`
	IsPending      *bool  `json:"is_pending,omitempty"`
	NeedsReview    *bool  `json:"needs_review,omitempty"`
	Sort           string `json:"sort,omitempty"`
}

// sortOrder maps the sort argument to Monarch's ordering.
func sortOrder(s string) (monarch.TransactionOrder, bool) {
	switch s {
	case "", "newest":
		return monarch.OrderNewest, true
	case "oldest":
		return monarch.OrderOldest, true
	case "amount_desc":
		return monarch.OrderAmountDesc, true
	case "amount_asc":
		return monarch.OrderAmountAsc, true
	}
	return "", false
}

// txnFlags is txnFlagArgs checked.
type txnFlags struct {
	flags monarch.TransactionFlags
	order monarch.TransactionOrder
}

func (a txnFlagArgs) parse() (txnFlags, error) {
	order, ok := sortOrder(a.Sort)
	if !ok {
		return txnFlags{}, argErrorf("sort", fmt.Sprintf("must be newest, oldest, amount_desc or amount_asc (got %q)", a.Sort))
	}
	return txnFlags{order: order, flags: monarch.TransactionFlags{
		HasAttachments: a.HasAttachments, HasNotes: a.HasNotes, HideFromReports: a.Hidden, IsSplit: a.IsSplit,
		IsRecurring: a.IsRecurring, IsPending: a.IsPending, NeedsReview: a.NeedsReview,
	}}, nil
}

// apply adds the flags and order to a query.
func (f txnFlags) apply(q *monarch.TransactionQuery) {
	q.Flags, q.Order = f.flags, f.order
}

// flagParams are txnFlagArgs' parameters.
func flagParams() []mcp.ToolOption {
	flag := func(name, desc string) mcp.ToolOption {
		return mcp.WithBoolean(name, mcp.Description(desc+"; omit for either."))
	}
	return []mcp.ToolOption{
		flag("has_attachments", "true: only transactions with attached files (receipts); false: only without"),
		flag("has_notes", "true: only transactions with notes; false: only without"),
		flag("hidden", "true: only transactions hidden from reports; false: only shown ones"),
		flag("is_split", "true: only split transactions; false: only unsplit ones"),
		flag("is_recurring", "true: only recurring bills and income; false: only one-off ones"),
		flag("is_pending", "true: only pending (not yet posted) transactions; false: only posted ones"),
		flag("needs_review", "true: only transactions marked for review; false: only reviewed or unmarked ones"),
		mcp.WithString("sort", mcp.Description("Order: newest (default), oldest, amount_desc (amount high to low) or amount_asc."),
			mcp.Enum("newest", "oldest", "amount_desc", "amount_asc"), mcp.MaxLength(len("amount_desc"))),
	}
}
