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

const confirmFirst = " Changes the user's data: confirm with the user before calling."

// --- refresh_accounts -------------------------------------------------------

type refreshArgs struct {
	AccountIDs  []string `json:"account_ids,omitempty"`
	Wait        bool     `json:"wait,omitempty"`
	WaitSeconds *int     `json:"wait_seconds,omitempty"`
}

// How long refresh_accounts may wait for the banks: long enough for most
// syncs, short enough that a client does not give up on the call.
const (
	defaultRefreshWait = 60
	maxRefreshWait     = 300
)

func (a *refreshArgs) validate() error {
	if err := checkIDs("account_ids", a.AccountIDs); err != nil {
		return err
	}
	if a.WaitSeconds != nil {
		if *a.WaitSeconds < 1 || *a.WaitSeconds > maxRefreshWait {
			return argErrorf("wait_seconds", fmt.Sprintf("must be 1 to %d (got %d)", maxRefreshWait, *a.WaitSeconds))
		}
		if !a.Wait {
			return argErrorf("wait_seconds", "needs wait=true")
		}
	}
	return nil
}

type refreshResult struct {
	Requested  int      `json:"requested" jsonschema:"number of accounts asked to refresh"`
	AccountIDs []string `json:"account_ids"`
	Started    bool     `json:"started" jsonschema:"Monarch accepted the request; syncing continues in the background"`
	// The wait's outcome, when wait was true.
	Waited       bool     `json:"waited,omitempty" jsonschema:"the tool waited for the sync to end"`
	Complete     *bool    `json:"complete,omitempty" jsonschema:"with wait: every account finished syncing within the wait"`
	Finished     []string `json:"finished,omitempty" jsonschema:"with wait: ids of the accounts that finished syncing"`
	StillSyncing []string `json:"still_syncing,omitempty" jsonschema:"with wait: ids of the accounts still syncing when the wait ended"`
	WaitedSecs   *float64 `json:"waited_seconds,omitempty" jsonschema:"with wait: seconds spent waiting between status checks"`
	Note         string   `json:"note"`
}

func refreshAccounts(d *deps) Tool {
	return define(d, spec{
		name:  "refresh_accounts",
		title: "Refresh accounts",
		description: "Ask Monarch to sync accounts with their banks now (default: every account that syncs; manual accounts have nothing to sync). Syncing runs in the background and can take minutes; " +
			"with wait=true the tool checks until the sync ends or wait_seconds pass and says which accounts finished. " +
			"It changes no data itself, but it does contact the user's banks.",
		kind:       Write,
		idempotent: true,
		params: []mcp.ToolOption{
			idsParam("account_ids", "Accounts to refresh (ids from get_accounts); default every synced account."),
			mcp.WithBoolean("wait", mcp.Description("Wait for the sync to end before answering (default false)."), mcp.DefaultBool(false)),
			mcp.WithInteger("wait_seconds", mcp.Description(fmt.Sprintf("With wait: longest wait in seconds (1-%d, default %d).", maxRefreshWait, defaultRefreshWait)),
				mcp.Min(1), mcp.Max(maxRefreshWait), mcp.DefaultNumber(defaultRefreshWait)),
		},
	}, func(ctx context.Context, a refreshArgs) (refreshResult, error) {
		ids := a.AccountIDs
		if len(ids) == 0 {
			accts, err := d.c.GetAccounts(ctx)
			if err != nil {
				return refreshResult{}, err
			}
			for _, x := range accts {
				// Manual, paused and closed accounts have no bank to sync
				// with; Monarch refuses a refresh that names them.
				if x.IsManual || x.SyncDisabled || x.DeactivatedAt != nil || x.Credential == nil {
					continue
				}
				ids = append(ids, shapeAccount(x).ID)
			}
		}
		if err := d.c.RefreshAccounts(ctx, ids); err != nil {
			return refreshResult{}, err
		}
		res := refreshResult{
			Requested: len(ids), AccountIDs: ids, Started: true,
			Note: "Refresh requested; new data appears once the banks answer (usually within a few minutes).",
		}
		if !a.Wait {
			return res, nil
		}
		bound := defaultRefreshWait
		if a.WaitSeconds != nil {
			bound = *a.WaitSeconds
		}
		p, err := d.c.WaitForRefresh(ctx, ids, time.Duration(bound)*time.Second)
		if err != nil {
			return refreshResult{}, fmt.Errorf("the refresh was requested, but checking its progress failed: %w", err)
		}
		res.Waited, res.Complete = true, ptr(len(p.Pending) == 0)
		res.Finished, res.StillSyncing = p.Done, p.Pending
		res.WaitedSecs = ptr(p.Waited.Seconds())
		if len(p.Pending) == 0 {
			res.Note = "Every account finished syncing; read balances or transactions again for the new data."
		} else {
			res.Note = fmt.Sprintf("%d of %d accounts were still syncing after %d seconds; they finish in the background. "+
				"Data from the finished ones is ready.", len(p.Pending), len(ids), bound)
		}
		return res, nil
	})
}

// --- create_transaction -----------------------------------------------------

type createTransactionArgs struct {
	Date          string  `json:"date"`
	AccountID     string  `json:"account_id"`
	Amount        float64 `json:"amount"`
	Merchant      string  `json:"merchant"`
	CategoryID    string  `json:"category_id"`
	Notes         string  `json:"notes,omitempty"`
	UpdateBalance bool    `json:"update_balance,omitempty"`
}

func (a *createTransactionArgs) validate() error {
	if a.Date == "" {
		return argErrorf("date", "is required")
	}
	if _, err := parseDate("date", a.Date); err != nil {
		return err
	}
	if err := requireID("account_id", a.AccountID, "get_accounts lists account ids"); err != nil {
		return err
	}
	if err := checkAmount("amount", a.Amount); err != nil {
		return err
	}
	if strings.TrimSpace(a.Merchant) == "" {
		return argErrorf("merchant", "is required (the merchant or payee name)")
	}
	return requireID("category_id", a.CategoryID, "get_transaction_categories lists category ids")
}

func checkAmount(param string, v float64) error {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e12 {
		return argErrorf(param, fmt.Sprintf("must be a non-zero amount, negative for spending and positive for income (got %v)", v))
	}
	return nil
}

type writeResult struct {
	Transaction transaction `json:"transaction"`
	journalNote
}

func createTransaction(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "create_transaction",
		title: "Create transaction",
		description: "Create a manual transaction in an account. amount is negative for spending and positive for income. " +
			"Ids come from get_accounts and get_transaction_categories. Calling twice creates two transactions." + confirmFirst,
		kind: Write,
		params: []mcp.ToolOption{
			dateParam("date", "Transaction date", mcp.Required()),
			idParam("account_id", "Account id from get_accounts.", mcp.Required()),
			mcp.WithNumber("amount", mcp.Required(), mcp.Description("Amount: negative for spending, positive for income.")),
			mcp.WithString("merchant", mcp.Required(), mcp.Description("Merchant or payee name."), mcp.MaxLength(maxNameLen)),
			idParam("category_id", "Category id from get_transaction_categories.", mcp.Required()),
			mcp.WithString("notes", mcp.Description("Notes to attach."), mcp.MaxLength(maxNotes)),
			mcp.WithBoolean("update_balance", mcp.Description("Also adjust the account's balance by the amount (manual accounts; default false)."), mcp.DefaultBool(false)),
		},
	}, journaled[createTransactionArgs, writeResult]{
		undo: undoFull,
		level: func(a createTransactionArgs) (undoLevel, string) {
			if a.UpdateBalance {
				return undoPartial, "undo deletes the transaction; the account balance it adjusted is not set back (update_account sets a manual account's balance)"
			}
			return undoFull, ""
		},
		summary: func(a createTransactionArgs) string {
			return fmt.Sprintf("created a transaction of %.2f at %s", a.Amount, a.Merchant)
		},
		created: func(_ createTransactionArgs, r writeResult) []target { return txTarget([]string{r.Transaction.ID}) },
	}, func(ctx context.Context, a createTransactionArgs) (writeResult, error) {
		id, err := d.c.CreateTransaction(ctx, monarch.NewTransaction{
			Date:          a.Date,
			AccountID:     a.AccountID,
			Amount:        a.Amount,
			MerchantName:  a.Merchant,
			CategoryID:    a.CategoryID,
			Notes:         a.Notes,
			UpdateBalance: a.UpdateBalance,
		})
		if err != nil {
			return writeResult{}, err
		}
		// The mutation answers with the new id only; echo what was sent.
		t := monarch.Transaction{ID: id, Date: a.Date, Amount: a.Amount, Notes: a.Notes,
			Merchant: &monarch.MerchantRef{Name: a.Merchant}, Category: &monarch.CategoryRef{ID: a.CategoryID},
			Account: &monarch.AccountRef{ID: a.AccountID}}
		return writeResult{Transaction: shapeTransaction(t)}, nil
	})
}

// --- update_transaction -----------------------------------------------------

type updateTransactionArgs struct {
	TransactionID   string   `json:"transaction_id"`
	CategoryID      *string  `json:"category_id,omitempty"`
	Merchant        *string  `json:"merchant,omitempty"`
	Notes           *string  `json:"notes,omitempty"`
	Amount          *float64 `json:"amount,omitempty"`
	Date            *string  `json:"date,omitempty"`
	HideFromReports *bool    `json:"hide_from_reports,omitempty"`
	NeedsReview     *bool    `json:"needs_review,omitempty"`
}

func (a *updateTransactionArgs) validate() error {
	if err := requireID("transaction_id", a.TransactionID, "get_transactions lists transaction ids"); err != nil {
		return err
	}
	if a.CategoryID == nil && a.Merchant == nil && a.Notes == nil && a.Amount == nil && a.Date == nil && a.HideFromReports == nil && a.NeedsReview == nil {
		return &ArgError{Msg: "nothing to change: give at least one of category_id, merchant, notes, amount, date, hide_from_reports, needs_review"}
	}
	if a.CategoryID != nil {
		if err := requireID("category_id", *a.CategoryID, "get_transaction_categories lists category ids"); err != nil {
			return err
		}
	}
	if a.Merchant != nil && strings.TrimSpace(*a.Merchant) == "" {
		return argErrorf("merchant", "must not be empty")
	}
	if a.Amount != nil {
		if err := checkAmount("amount", *a.Amount); err != nil {
			return err
		}
	}
	if a.Date != nil {
		if _, err := parseDate("date", *a.Date); err != nil {
			return err
		}
		if *a.Date == "" {
			return argErrorf("date", "must not be empty")
		}
	}
	return nil
}

func updateTransaction(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "update_transaction",
		title: "Update transaction",
		description: "Change a transaction: category, merchant name, notes, amount, date, whether it is hidden from reports, and its review status. " +
			"Only the fields given change; notes=\"\" clears the notes. transaction_id comes from get_transactions." + confirmFirst,
		kind:       Write,
		idempotent: true,
		params: []mcp.ToolOption{
			idParam("transaction_id", "Transaction id from get_transactions.", mcp.Required()),
			idParam("category_id", "New category id from get_transaction_categories."),
			mcp.WithString("merchant", mcp.Description("New merchant name."), mcp.MaxLength(maxNameLen)),
			mcp.WithString("notes", mcp.Description("New notes (\"\" clears them)."), mcp.MaxLength(maxNotes)),
			mcp.WithNumber("amount", mcp.Description("New amount: negative for spending, positive for income.")),
			dateParam("date", "New date"),
			mcp.WithBoolean("hide_from_reports", mcp.Description("Hide the transaction from reports and budgets (true) or show it (false).")),
			mcp.WithBoolean("needs_review", mcp.Description("Mark as needing review (true) or as reviewed (false).")),
		},
	}, journaled[updateTransactionArgs, writeResult]{
		undo:    undoFull,
		summary: func(a updateTransactionArgs) string { return "updated transaction " + a.TransactionID },
		targets: func(_ context.Context, a updateTransactionArgs) ([]target, error) {
			var f []string
			for _, x := range []struct {
				set   bool
				field string
			}{{a.CategoryID != nil, txCategory}, {a.Merchant != nil, txMerchant}, {a.Notes != nil, txNotes}, {a.Amount != nil, txAmount},
				{a.Date != nil, txDate}, {a.HideFromReports != nil, txHidden}, {a.NeedsReview != nil, txReview}} {
				if x.set {
					f = append(f, x.field)
				}
			}
			return txTarget([]string{a.TransactionID}, f...), nil
		},
	}, func(ctx context.Context, a updateTransactionArgs) (writeResult, error) {
		return d.updateTransaction(ctx, monarch.TransactionUpdate{
			ID:              a.TransactionID,
			CategoryID:      a.CategoryID,
			MerchantName:    a.Merchant,
			Notes:           a.Notes,
			Amount:          a.Amount,
			Date:            a.Date,
			HideFromReports: a.HideFromReports,
			NeedsReview:     a.NeedsReview,
		})
	})
}

// updateTransaction applies u and reports the transaction as Monarch now
// has it: what every single-transaction edit tool returns.
func (d *deps) updateTransaction(ctx context.Context, u monarch.TransactionUpdate) (writeResult, error) {
	t, err := d.c.UpdateTransaction(ctx, u)
	if err != nil {
		return writeResult{}, err
	}
	return writeResult{Transaction: shapeTransaction(t)}, nil
}

// categoryUpdate sets a transaction's category, optionally marking it
// reviewed in the same change.
func categoryUpdate(id, categoryID string, markReviewed bool) monarch.TransactionUpdate {
	u := monarch.TransactionUpdate{ID: id, CategoryID: &categoryID}
	if markReviewed {
		u.NeedsReview = ptr(false)
	}
	return u
}

// --- delete_transaction -----------------------------------------------------

type deleteTransactionArgs struct {
	TransactionID string `json:"transaction_id"`
}

func (a *deleteTransactionArgs) validate() error {
	return requireID("transaction_id", a.TransactionID, "get_transactions lists transaction ids")
}

type deleteResult struct {
	TransactionID string `json:"transaction_id"`
	Deleted       bool   `json:"deleted"`
	journalNote
}

func deleteTransaction(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "delete_transaction",
		title: "Delete transaction",
		description: "Delete a transaction permanently. transaction_id comes from get_transactions. Imported bank transactions may reappear on the next sync; " +
			"to keep one out of reports instead, use update_transaction with hide_from_reports=true." + confirmFirst,
		kind:       Destructive,
		idempotent: true,
		params: []mcp.ToolOption{
			idParam("transaction_id", "Transaction id from get_transactions.", mcp.Required()),
		},
	}, journaled[deleteTransactionArgs, deleteResult]{
		undo:    undoPartial,
		caveat:  "undo brings the transaction back as a new transaction with the same fields but a new id; attachments and splits are not restored",
		summary: func(a deleteTransactionArgs) string { return "deleted transaction " + a.TransactionID },
		targets: func(_ context.Context, a deleteTransactionArgs) ([]target, error) {
			return txTarget([]string{a.TransactionID}), nil
		},
	}, func(ctx context.Context, a deleteTransactionArgs) (deleteResult, error) {
		if err := d.c.DeleteTransaction(ctx, a.TransactionID); err != nil {
			return deleteResult{}, err
		}
		return deleteResult{TransactionID: a.TransactionID, Deleted: true}, nil
	})
}
