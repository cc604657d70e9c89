package tools

import (
	"context"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
)

// --- bulk_categorize_transactions -------------------------------------------

type bulkCategorizeArgs struct {
	TransactionIDs []string `json:"transaction_ids"`
	CategoryID     string   `json:"category_id"`
	MarkReviewed   bool     `json:"mark_reviewed,omitempty"`
	DryRun         bool     `json:"dry_run,omitempty"`
}

func (a *bulkCategorizeArgs) validate() error {
	if err := checkBatch("transaction_ids", len(a.TransactionIDs)); err != nil {
		return err
	}
	if err := checkIDs("transaction_ids", a.TransactionIDs); err != nil {
		return err
	}
	// A repeated id would be reported twice and changed once: drop repeats.
	seen := make(map[string]bool, len(a.TransactionIDs))
	ids := a.TransactionIDs[:0]
	for _, id := range a.TransactionIDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	a.TransactionIDs = ids
	return requireID("category_id", a.CategoryID, "get_transaction_categories lists category ids")
}

type bulkCategorizeResult struct {
	Category   string `json:"category"`
	CategoryID string `json:"category_id"`
	batchResult
	journalNote
}

func bulkCategorizeTransactions(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "bulk_categorize_transactions",
		title: "Bulk categorize transactions",
		description: fmt.Sprintf("Set the same category on up to %d transactions, optionally marking them reviewed. ", maxBatch) +
			"Reports each transaction's outcome (changed, unchanged, would_change, failed) with the old and new category; " +
			"a failure on one transaction does not stop the others, so read the items to see which changed. " +
			"Use dry_run=true first to see exactly what would change." + confirmFirst,
		kind:       Write,
		idempotent: true,
		params: []mcp.ToolOption{
			idsParam("transaction_ids", fmt.Sprintf("Transactions to categorize (1-%d ids from get_transactions or search_transactions).", maxBatch),
				mcp.Required(), mcp.MinItems(1)),
			idParam("category_id", "Category id from get_transaction_categories.", mcp.Required()),
			markReviewedParam(),
			dryRunParam(),
		},
	}, journaled[bulkCategorizeArgs, bulkCategorizeResult]{
		undo: undoFull,
		summary: func(a bulkCategorizeArgs) string {
			return fmt.Sprintf("set the category of %d transactions", len(a.TransactionIDs))
		},
		targets: func(_ context.Context, a bulkCategorizeArgs) ([]target, error) {
			return txTarget(a.TransactionIDs, txCategory, txReview), nil
		},
		dryRun: func(a bulkCategorizeArgs) bool { return a.DryRun },
	}, func(ctx context.Context, a bulkCategorizeArgs) (bulkCategorizeResult, error) {
		names, err := d.categoryNames(ctx)
		if err != nil {
			return bulkCategorizeResult{}, err
		}
		to, ok := names[a.CategoryID]
		if !ok {
			return bulkCategorizeResult{}, argErrorf("category_id",
				fmt.Sprintf("%q is not a category; get_transaction_categories lists category ids. Nothing was changed.", a.CategoryID))
		}
		res := bulkCategorizeResult{Category: to, CategoryID: a.CategoryID, batchResult: batchResult{DryRun: a.DryRun, Items: []itemOutcome{}}}
		d.runItems(ctx, &res.batchResult, a.TransactionIDs, func(ctx context.Context, id string) (itemOutcome, error) {
			return d.categorizeOne(ctx, id, a, to)
		})
		return res, nil
	})
}

// categorizeOne reads one transaction, then changes it unless it already
// has the category (and review state) or this is a dry run. Errors are
// returned as they are: runItems decides what they mean for the batch.
func (d *deps) categorizeOne(ctx context.Context, id string, a bulkCategorizeArgs, to string) (itemOutcome, error) {
	cur, err := d.c.GetTransaction(ctx, id)
	if err != nil {
		return itemOutcome{}, err
	}
	from, fromID := "(none)", ""
	if cur.Category != nil {
		from, fromID = cur.Category.Name, cur.Category.ID
	}
	change := ""
	if fromID != a.CategoryID {
		change = "category: " + from + " → " + to
	}
	if a.MarkReviewed && cur.NeedsReview {
		if change != "" {
			change += "; "
		}
		change += "marked reviewed"
	}
	if change == "" {
		return itemOutcome{ID: id, Status: "unchanged", Change: "already " + to}, nil
	}
	if a.DryRun {
		return itemOutcome{ID: id, Status: "would_change", Change: change}, nil
	}
	if _, err := d.c.UpdateTransaction(ctx, categoryUpdate(id, a.CategoryID, a.MarkReviewed)); err != nil {
		return itemOutcome{}, err
	}
	return itemOutcome{ID: id, Status: "changed", Change: change}, nil
}
