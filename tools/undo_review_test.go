package tools

import (
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// TestUndoSkippedChangeStaysUndoable: when one undo takes back several
// changes and leaves one of them wholly alone (its object was changed
// again since), that change is not recorded as undone: it can still be
// undone by id, with overwrite.
func TestUndoSkippedChangeStaysUndoable(t *testing.T) {
	for _, tt := range []struct {
		name string
		// userEdits says which of the two changes' objects the user
		// changes again: 0 the older, 1 the newer.
		userEdits int
	}{
		{"older change left alone", 0},
		{"newer change left alone", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{}, sandbox.Options{})
			ids := []string{f.newTxnAt(t, "Undo Cafe"), f.newTxnAt(t, "Undo Cafe")}
			changes := make([]string, 2)
			for i, id := range ids {
				var w writeResult
				f.decode(t, "update_transaction_notes", map[string]any{"transaction_id": id, "notes": "by the assistant"}, &w)
				changes[i] = w.Change.ID
			}
			mine := "by the user"
			if _, err := f.client.UpdateTransaction(t.Context(), monarch.TransactionUpdate{ID: ids[tt.userEdits], Notes: &mine}); err != nil {
				t.Fatal(err)
			}
			var u undoResult
			f.decode(t, "undo_changes", map[string]any{"last": 2, "dry_run": false}, &u)
			if u.Restored != 1 || u.Skipped != 1 || f.notesOf(t, ids[1-tt.userEdits]) != "first" || f.notesOf(t, ids[tt.userEdits]) != mine {
				t.Fatalf("undo last 2: %s", jsonOf(t, u))
			}
			skipped := changes[tt.userEdits]
			var h historyResult
			f.decode(t, "get_change_history", map[string]any{"change_id": skipped}, &h)
			if h.Changes[0].UndoneBy != "" {
				t.Errorf("change %s, which the undo left alone, is listed as undone by %s", skipped, h.Changes[0].UndoneBy)
			}
			f.decode(t, "get_change_history", map[string]any{"change_id": changes[1-tt.userEdits]}, &h)
			if h.Changes[0].UndoneBy != u.Change.ID {
				t.Errorf("the change undone is listed as undone by %q, want %s", h.Changes[0].UndoneBy, u.Change.ID)
			}
			res := callTool(t, f.mcp, "undo_changes", map[string]any{"change_ids": []any{skipped}, "overwrite": true, "dry_run": false})
			if res.IsError || f.notesOf(t, ids[tt.userEdits]) != "first" {
				t.Errorf("undoing the skipped change with overwrite: %s", textOf(res))
			}
		})
	}
}

// TestUndoOverwriteDeletedSinceFromPartialRecord: an edit recorded only the
// fields it changed; when the object has been deleted since, overwrite
// cannot bring it back from those alone, and does not make a new object
// out of them.
func TestUndoOverwriteDeletedSinceFromPartialRecord(t *testing.T) {
	for _, tt := range []struct {
		name string
		// edit makes the journaled edit and returns its change id and the
		// id of the object it edited.
		edit func(t *testing.T, f *fixture) (change, id string)
		// remove deletes the object outside the journal.
		remove func(t *testing.T, f *fixture, id string)
		// count counts the objects of the kind.
		count func(t *testing.T, f *fixture) int
	}{
		{
			name: "tag renamed, then deleted",
			edit: func(t *testing.T, f *fixture) (string, string) {
				id := f.newTag(t)
				var w updateTagResult
				f.decode(t, "update_tag", map[string]any{"tag_id": id, "name": "Renamed " + uniqueName()}, &w)
				return w.Change.ID, id
			},
			remove: func(t *testing.T, f *fixture, id string) {
				if err := f.client.DeleteTag(t.Context(), id); err != nil {
					t.Fatal(err)
				}
			},
			count: func(t *testing.T, f *fixture) int { return len(must(f.client.GetTags(t.Context()))) },
		},
		{
			name: "transaction's notes edited, then deleted",
			edit: func(t *testing.T, f *fixture) (string, string) {
				id := f.newTxnAt(t, "Undo Cafe")
				var w writeResult
				f.decode(t, "update_transaction_notes", map[string]any{"transaction_id": id, "notes": "second"}, &w)
				return w.Change.ID, id
			},
			remove: func(t *testing.T, f *fixture, id string) {
				if err := f.client.DeleteTransaction(t.Context(), id); err != nil {
					t.Fatal(err)
				}
			},
			count: func(t *testing.T, f *fixture) int {
				return must(f.client.GetTransactions(t.Context(), monarch.TransactionQuery{Limit: 1})).TotalCount
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{}, sandbox.Options{})
			change, id := tt.edit(t, f)
			tt.remove(t, f, id)
			n := tt.count(t, f)
			var u undoResult
			f.decode(t, "undo_changes", map[string]any{"change_ids": []any{change}, "overwrite": true, "dry_run": false}, &u)
			if got := tt.count(t, f); got != n {
				t.Errorf("undo made %d new objects from a partial record: %s", got-n, jsonOf(t, u))
			}
			if u.Restored != 0 || u.Skipped != 1 {
				t.Errorf("undo: %s", jsonOf(t, u))
			}
		})
	}
}

// TestUndoRecordsItsFailures: an object an undo failed to put back is
// recorded in the undo's own change as failed, with the reason, not as
// unchanged.
func TestUndoRecordsItsFailures(t *testing.T) {
	for _, tt := range []struct {
		name string
		// prepare makes a change whose undo fails for object id.
		prepare func(t *testing.T, f *fixture) (change, id string)
	}{
		{
			name:    "deleted tag's name taken since: its transaction cannot get it back",
			prepare: func(t *testing.T, f *fixture) (string, string) { return f.deleteTagThenTakeItsName(t) },
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{}, sandbox.Options{})
			change, id := tt.prepare(t, f)
			var u undoResult
			f.decode(t, "undo_changes", map[string]any{"change_ids": []any{change}, "dry_run": false}, &u)
			if u.Failed == 0 || u.Change == nil {
				t.Fatalf("undo: %s", jsonOf(t, u))
			}
			var h historyResult
			f.decode(t, "get_change_history", map[string]any{"change_id": u.Change.ID}, &h)
			for _, o := range h.Changes[0].Details {
				if o.ID == id && (o.Outcome != "failed" || o.Error == "") {
					t.Errorf("the undo recorded %s as %s (%q), want failed with its reason", id, o.Outcome, o.Error)
				}
			}
		})
	}
}

// TestFailedUndoLeavesChangeInEffect: when every step of one chosen change
// fails while another change is taken back, only the latter counts as
// undone; the failed one can be undone again later.
func TestFailedUndoLeavesChangeInEffect(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	del, _ := f.deleteTagThenTakeItsName(t)
	y := f.newTxnAt(t, "Undo Deli")
	var notes writeResult
	f.decode(t, "update_transaction_notes", map[string]any{"transaction_id": y, "notes": "later"}, &notes)

	var u undoResult
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{del, notes.Change.ID}, "dry_run": false}, &u)
	if u.Change == nil || u.Failed == 0 {
		t.Fatalf("undo: %s", jsonOf(t, u))
	}
	var h historyResult
	f.decode(t, "get_change_history", map[string]any{"limit": 20}, &h)
	by := map[string]changeSummary{}
	for _, c := range h.Changes {
		by[c.ID] = c
	}
	if by[notes.Change.ID].UndoneBy != u.Change.ID {
		t.Errorf("the notes change is not marked undone: %+v", by[notes.Change.ID])
	}
	if got := by[del].UndoneBy; got != "" {
		t.Errorf("the delete whose undo failed is marked undone by %s", got)
	}
	if got := by[u.Change.ID].Undoes; len(got) != 1 || got[0] != notes.Change.ID {
		t.Errorf("the undo lists %v as undone, want only %s", got, notes.Change.ID)
	}
}

// deleteTagThenTakeItsName deletes a tag that is on a transaction, then
// gives its name to a new tag, so that undo cannot bring it back (the name
// is taken) nor put it back on the transaction. It returns the deletion's
// change id and the transaction's id.
func (f *fixture) deleteTagThenTakeItsName(t *testing.T) (change, txID string) {
	t.Helper()
	x := f.newTxnAt(t, "Undo Cafe")
	tag := f.newTag(t)
	f.decode(t, "set_transaction_tags", map[string]any{"transaction_id": x, "tag_ids": []any{tag}}, &setTagsResult{})
	tg, _, err := f.findTagByID(t, tag)
	if err != nil {
		t.Fatal(err)
	}
	var w deleteTagResult
	f.decode(t, "delete_tag", map[string]any{"tag_id": tag}, &w)
	if _, err := f.client.CreateTag(t.Context(), tg.Name, tg.Color); err != nil {
		t.Fatal(err)
	}
	return w.Change.ID, x
}
