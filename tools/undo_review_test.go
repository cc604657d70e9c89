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
