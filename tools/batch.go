package tools

import (
	"context"
	"errors"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// maxBatch caps how many items one bulk or destructive call may touch, so a
// model's mistake changes at most this many records.
const maxBatch = 100

// dryRunParam is the dry_run argument every bulk or destructive tool takes.
func dryRunParam() mcp.ToolOption {
	return mcp.WithBoolean("dry_run", mcp.Description(
		"When true, change nothing: report exactly what would change. Use it first for anything you are unsure of."),
		mcp.DefaultBool(false))
}

// itemOutcome is what happened to one item of a batch.
type itemOutcome struct {
	ID string `json:"id"`
	// Status is "changed", "unchanged" (already so), "would_change"
	// (dry run) or "failed".
	Status string `json:"status" jsonschema:"changed, unchanged, would_change (dry run) or failed"`
	// Change says what was (or would be) changed, e.g. "category: Dining → Groceries".
	Change string `json:"change,omitempty"`
	// Error says why the item failed and what to do.
	Error string `json:"error,omitempty"`
}

// batchResult reports a batch item by item, so a partial failure says which
// items changed and which did not.
type batchResult struct {
	DryRun  bool          `json:"dry_run"`
	Changed int           `json:"changed" jsonschema:"items changed (or, in a dry run, that would change)"`
	Failed  int           `json:"failed"`
	Items   []itemOutcome `json:"items"`
}

// add records one outcome and keeps the counters in step.
func (b *batchResult) add(o itemOutcome) {
	switch o.Status {
	case "changed", "would_change":
		b.Changed++
	case "failed":
		b.Failed++
	}
	b.Items = append(b.Items, o)
}

// checkBatch refuses an empty batch or one larger than maxBatch.
func checkBatch(name string, n int) error {
	switch {
	case n == 0:
		return &ArgError{Param: name, Msg: "must hold at least one item"}
	case n > maxBatch:
		return &ArgError{Param: name, Msg: fmt.Sprintf("holds %d items; at most %d per call: split the work into several calls", n, maxBatch)}
	}
	return nil
}

// itemFailed is the outcome for an item whose API call failed. Auth errors
// are not item failures: the caller returns them so that WithReauth can sign
// in again and retry the (idempotent) batch once.
func itemFailed(id string, err error) (itemOutcome, error) {
	if errors.Is(err, reauth.ErrUnauthorized) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return itemOutcome{}, err
	}
	return itemOutcome{ID: id, Status: "failed", Error: explain(err)}, nil
}
