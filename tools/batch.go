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
	// (dry run), "failed", or "not_attempted" (the batch stopped first).
	Status string `json:"status" jsonschema:"changed, unchanged, would_change (dry run), failed, or not_attempted (the batch stopped before it; call again for these)"`
	// Change says what was (or would be) changed, e.g. "category: Dining → Groceries".
	Change string `json:"change,omitempty"`
	// Error says why the item failed and what to do.
	Error string `json:"error,omitempty"`
}

// batchResult reports a batch item by item, so a partial failure says which
// items changed and which did not.
type batchResult struct {
	DryRun       bool          `json:"dry_run"`
	Changed      int           `json:"changed" jsonschema:"items changed (or, in a dry run, that would change)"`
	Failed       int           `json:"failed"`
	NotAttempted int           `json:"not_attempted,omitempty" jsonschema:"items not tried because the batch stopped (sign-in failed or the call was cancelled)"`
	Items        []itemOutcome `json:"items"`
}

// add records one outcome and keeps the counters in step.
func (b *batchResult) add(o itemOutcome) {
	switch o.Status {
	case "changed", "would_change":
		b.Changed++
	case "failed":
		b.Failed++
	case "not_attempted":
		b.NotAttempted++
	}
	b.Items = append(b.Items, o)
}

// runItems runs one for each id, in order, each call under its own
// WithReauth: a session can die mid-batch, and renewing per item retries
// just the item at hand. The whole batch is never rerun — a rerun would
// report the items it had already changed as unchanged or missing. When a
// call fails for a reason that ends the batch (sign-in impossible,
// cancelled), that item fails with the reason, the rest are reported
// not_attempted, and the result is returned all the same: it says exactly
// what changed. Other errors are the item's failure and the batch goes on.
//
// A batch tool's handler is still wrapped by the registry like any other:
// that wrap signs in before the first call and renews for the reads made
// before the items. Since runItems never returns an error, the outer wrap
// cannot rerun the items.
func (d *deps) runItems(ctx context.Context, res *batchResult, ids []string, one func(ctx context.Context, id string) (itemOutcome, error)) {
	call := reauth.WithReauth(d.auth, one)
	for i, id := range ids {
		o, err := call(ctx, id)
		if err == nil {
			res.add(o)
			continue
		}
		res.add(itemOutcome{ID: id, Status: "failed", Error: explain(err)})
		if stopsBatch(ctx, err) {
			for _, rest := range ids[i+1:] {
				res.add(itemOutcome{ID: rest, Status: "not_attempted"})
			}
			return
		}
	}
}

// stopsBatch reports whether err would fail every later item too.
func stopsBatch(ctx context.Context, err error) bool {
	var cd *reauth.CooldownError
	return ctx.Err() != nil || errors.Is(err, reauth.ErrUnauthorized) || errors.Is(err, reauth.ErrBadCredentials) ||
		errors.Is(err, reauth.ErrRateLimited) || errors.As(err, &cd) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
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
