package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/journal"
)

// --- get_change_history -----------------------------------------------------

const (
	defaultHistory = 10
	maxHistory     = 100
)

type historyArgs struct {
	Limit    *int   `json:"limit,omitempty"`
	ChangeID string `json:"change_id,omitempty"`
}

func (a *historyArgs) validate() error {
	if a.Limit != nil && (*a.Limit < 1 || *a.Limit > maxHistory) {
		return argErrorf("limit", fmt.Sprintf("must be 1 to %d (got %d)", maxHistory, *a.Limit))
	}
	if a.ChangeID != "" {
		return checkLen("change_id", a.ChangeID, maxIDLen)
	}
	return nil
}

type changeSummary struct {
	ID      string `json:"id"`
	Time    string `json:"time" jsonschema:"when the change was made (RFC 3339)"`
	Tool    string `json:"tool"`
	Summary string `json:"summary,omitempty"`
	// Counts of objects by outcome.
	Objects int    `json:"objects" jsonschema:"objects the change touched"`
	Changed int    `json:"changed" jsonschema:"objects that changed"`
	Failed  int    `json:"failed,omitempty" jsonschema:"objects the write failed on (left as they were)"`
	Unknown int    `json:"unknown,omitempty" jsonschema:"objects whose outcome was not recorded"`
	Undo    string `json:"undo" jsonschema:"how completely undo_changes can take it back: full, partial, none, or nothing (nothing changed)"`
	Caveat  string `json:"caveat,omitempty" jsonschema:"what undo cannot restore"`
	// Links between changes.
	Undoes   []string `json:"undoes,omitempty" jsonschema:"changes this one took back"`
	UndoneBy string   `json:"undone_by,omitempty" jsonschema:"the change that took this one back"`
	// Details, for one change.
	Args    map[string]any  `json:"args,omitempty" jsonschema:"the tool's arguments (with change_id)"`
	Details []objectHistory `json:"details,omitempty" jsonschema:"each object's recorded state before and after (with change_id)"`
}

type objectHistory struct {
	Kind    string         `json:"kind"`
	ID      string         `json:"id"`
	Outcome string         `json:"outcome"`
	Before  map[string]any `json:"before,omitempty" jsonschema:"the fields before the change; absent when the object did not exist"`
	After   map[string]any `json:"after,omitempty" jsonschema:"the fields after the change; absent when the object no longer existed"`
	Error   string         `json:"error,omitempty"`
}

type historyResult struct {
	Changes  []changeSummary `json:"changes" jsonschema:"newest first"`
	Count    int             `json:"count"`
	Total    int             `json:"total_count" jsonschema:"changes in the journal"`
	Journal  string          `json:"journal" jsonschema:"where changes are recorded: a file, memory, or off"`
	Warnings []string        `json:"warnings,omitempty" jsonschema:"damaged journal lines that were skipped"`
}

func getChangeHistory(d *deps) Tool {
	return define(d, spec{
		name:  "get_change_history",
		title: "Get change history",
		description: "Changes made by this server's write tools, newest first, with ids for undo_changes and how fully each can be undone. " +
			"change_id: one change in detail.",
		kind:  Read,
		local: true,
		params: []mcp.ToolOption{
			mcp.WithInteger("limit", mcp.Description(fmt.Sprintf("How many changes (1-%d, default %d).", maxHistory, defaultHistory)),
				mcp.Min(1), mcp.Max(maxHistory), mcp.DefaultNumber(defaultHistory)),
			idParam("change_id", "One change, with each object's before and after."),
		},
	}, func(ctx context.Context, a historyArgs) (historyResult, error) {
		res := historyResult{Changes: []changeSummary{}, Journal: journalWhere(d.journal)}
		if d.journal == nil {
			return res, nil
		}
		entries, damaged, err := d.journal.Entries()
		if err != nil {
			return historyResult{}, err
		}
		res.Warnings = d.damagedWarnings(ctx, damaged)
		undoneBy := undoneBy(entries)
		res.Total = len(entries)
		limit := defaultHistory
		if a.Limit != nil {
			limit = *a.Limit
		}
		for i := len(entries) - 1; i >= 0 && len(res.Changes) < limit; i-- {
			e := entries[i]
			if a.ChangeID != "" && e.ID != a.ChangeID {
				continue
			}
			res.Changes = append(res.Changes, summarize(e, undoneBy[e.ID], a.ChangeID != "", d))
		}
		if a.ChangeID != "" && len(res.Changes) == 0 {
			return historyResult{}, argErrorf("change_id", fmt.Sprintf("no change has id %q; get_change_history lists them", a.ChangeID))
		}
		res.Count = len(res.Changes)
		return res, nil
	})
}

func journalWhere(j *journal.Journal) string {
	switch {
	case j == nil:
		return "off"
	case j.Path() == "":
		return "memory (this process only)"
	}
	return j.Path()
}

// damagedWarnings reports skipped journal lines to the caller and to the
// log, where the user looking after the file sees them.
func (d *deps) damagedWarnings(ctx context.Context, ds []journal.Damaged) []string {
	var out []string
	for _, dm := range ds {
		out = append(out, dm.String())
		d.logger.WarnContext(ctx, "change journal: a damaged line was skipped", "file", dm.File, "line", dm.Line)
	}
	return out
}

// undoneBy maps each change taken back to the undo that took it back. An
// undo that is itself undone puts its changes back in effect.
func undoneBy(entries []journal.Entry) map[string]string {
	byID := make(map[string]journal.Entry, len(entries))
	out := map[string]string{}
	for _, e := range entries {
		byID[e.ID] = e
		if len(e.Undoes) == 0 || !anyChanged(e) {
			continue
		}
		for _, id := range e.Undoes {
			out[id] = e.ID
			for _, back := range byID[id].Undoes {
				delete(out, back)
			}
		}
	}
	return out
}

func anyChanged(e journal.Entry) bool {
	for _, o := range e.Objects {
		if o.MayHaveChanged() {
			return true
		}
	}
	return false
}

func summarize(e journal.Entry, undoneBy string, details bool, d *deps) changeSummary {
	s := changeSummary{ID: e.ID, Time: e.Time.Format(time.RFC3339), Tool: e.Tool, Summary: e.Summary, Objects: len(e.Objects),
		Undo: e.Undo, Caveat: e.Caveat, Undoes: e.Undoes, UndoneBy: undoneBy}
	for _, o := range e.Objects {
		switch o.Outcome {
		case journal.Changed:
			s.Changed++
		case journal.Failed, journal.NotAttempted:
			s.Failed++
		case journal.Unknown:
			s.Unknown++
		}
	}
	if s.Changed+s.Unknown == 0 {
		s.Undo = "nothing"
	} else if lvl := d.undoLevelOf(e); lvl != "" {
		s.Undo = string(lvl)
	}
	if details {
		s.Args = argsMap(e.Args)
		for _, o := range e.Objects {
			h := objectHistory{Kind: o.Kind, ID: o.ID, Outcome: string(o.Outcome), Error: o.Error}
			if o.Before != nil && o.Before.Exists {
				h.Before = o.Before.Values
			}
			if o.After != nil && o.After.Exists {
				h.After = o.After.Values
			}
			s.Details = append(s.Details, h)
		}
	}
	return s
}

// undoLevelOf is how completely e can be undone: the level its tool said,
// lowered to partial when bringing an object back gives it a new id.
func (d *deps) undoLevelOf(e journal.Entry) undoLevel {
	lvl := undoLevel(e.Undo)
	if lvl == undoNone {
		return undoNone
	}
	for _, o := range e.Objects {
		k, ok := d.kinds[o.Kind]
		if !ok {
			return undoNone
		}
		if !o.MayHaveChanged() {
			continue
		}
		deleted := o.Before != nil && o.Before.Exists && o.After != nil && !o.After.Exists
		if deleted && k.create == nil {
			return undoNone
		}
		if deleted {
			lvl = undoPartial
		}
	}
	if lvl == "" {
		lvl = undoFull
	}
	return lvl
}

// --- undo_changes -----------------------------------------------------------

type undoArgs struct {
	ChangeIDs []string `json:"change_ids,omitempty"`
	Last      *int     `json:"last,omitempty"`
	Overwrite bool     `json:"overwrite,omitempty"`
	DryRun    *bool    `json:"dry_run,omitempty"`
}

// maxUndo bounds how many changes one call takes back.
const maxUndo = 20

func (a *undoArgs) validate() error {
	switch {
	case len(a.ChangeIDs) > 0 && a.Last != nil:
		return &ArgError{Msg: "give change_ids or last, not both"}
	case len(a.ChangeIDs) == 0 && a.Last == nil:
		return &ArgError{Msg: "say what to undo: change_ids (from get_change_history) or last=N for the newest N changes"}
	case a.Last != nil && (*a.Last < 1 || *a.Last > maxUndo):
		return argErrorf("last", fmt.Sprintf("must be 1 to %d (got %d)", maxUndo, *a.Last))
	case len(a.ChangeIDs) > maxUndo:
		return argErrorf("change_ids", fmt.Sprintf("holds %d ids; at most %d", len(a.ChangeIDs), maxUndo))
	}
	return checkIDs("change_ids", a.ChangeIDs)
}

type undoResult struct {
	DryRun  bool         `json:"dry_run"`
	Changes []undoneItem `json:"changes" jsonschema:"each change taken back, newest first"`
	// Totals over every object.
	Restored int      `json:"restored" jsonschema:"objects put back (or that would be, in a dry run)"`
	Skipped  int      `json:"skipped" jsonschema:"objects left alone: changed again since, already as before, or not restorable"`
	Failed   int      `json:"failed"`
	Note     string   `json:"note"`
	Warnings []string `json:"warnings,omitempty" jsonschema:"damaged journal lines that were skipped"`
	journalNote
}

type undoneItem struct {
	ChangeID string        `json:"change_id"`
	Tool     string        `json:"tool"`
	Summary  string        `json:"summary,omitempty"`
	Status   string        `json:"status" jsonschema:"undone, would_undo, partly_undone, skipped or failed"`
	Reason   string        `json:"reason,omitempty"`
	Objects  []undoneThing `json:"objects"`
}

type undoneThing struct {
	Kind   string   `json:"kind"`
	ID     string   `json:"id"`
	Action string   `json:"action" jsonschema:"restore, recreate, remove (done, or planned in a dry run), or skip"`
	Status string   `json:"status" jsonschema:"done, would_do, skipped or failed"`
	Fields []string `json:"fields,omitempty" jsonschema:"fields put back"`
	NewID  string   `json:"new_id,omitempty" jsonschema:"the id of an object brought back (it cannot keep its old id)"`
	Reason string   `json:"reason,omitempty"`
}

func undoChanges(d *deps) Tool {
	return define(d, spec{
		name:  "undo_changes",
		title: "Undo changes",
		description: "Undo changes (ids from get_change_history, or last=N): puts back each object's recorded fields, skipping objects changed since unless overwrite=true. " +
			"Dry run unless dry_run=false. An undo can itself be undone." + confirmFirst,
		kind: Write,
		params: []mcp.ToolOption{
			idsParam("change_ids", "Changes to undo.", mcp.MaxItems(maxUndo)),
			mcp.WithInteger("last", mcp.Description("Or: the newest N changes not yet undone."), mcp.Min(1), mcp.Max(maxUndo)),
			mcp.WithBoolean("overwrite", mcp.Description("Also restore objects changed since."), mcp.DefaultBool(false)),
			mcp.WithBoolean("dry_run", mcp.Description("Default true: only report. false applies."), mcp.DefaultBool(true)),
		},
	}, func(ctx context.Context, a undoArgs) (undoResult, error) {
		if d.journal == nil {
			return undoResult{}, fmt.Errorf("%w: the change journal is off (MONARCH_JOURNAL_FILE=off), so there is nothing to undo", ErrNothingToUndo)
		}
		return d.undo(ctx, a)
	})
}

func argsMap(raw json.RawMessage) map[string]any {
	if len(raw) == 0 {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}
