package tools

import (
	"slices"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// Undo of the tag, category and merchant writes.

// tagsSeen observes every tag's name and colour, without ids (a tag
// brought back gets a new one), and the tag names each of txns carries.
func (f *fixture) tagsSeen(t *testing.T, txns ...string) func() any {
	t.Helper()
	f.decode(t, "get_transaction_tags", nil, &tagsResult{}) // signs the client in
	return func() any {
		t.Helper()
		ts, err := f.client.GetTags(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var tags []string
		for _, tg := range ts {
			tags = append(tags, tg.Name+" "+tg.Color)
		}
		slices.Sort(tags)
		on := map[string][]string{}
		if len(txns) > 0 {
			p, err := f.client.GetTransactions(t.Context(), monarch.TransactionQuery{IDs: txns, Limit: len(txns)})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range p.Transactions {
				names := []string{}
				for _, tg := range x.Tags {
					names = append(names, tg.Name)
				}
				slices.Sort(names)
				on[x.ID] = names
			}
		}
		return map[string]any{"tags": tags, "on": on}
	}
}

// categoriesSeen observes every category's name, icon and group, without
// ids, and the category name each of txns is in.
func (f *fixture) categoriesSeen(t *testing.T, txns ...string) func() any {
	t.Helper()
	f.decode(t, "get_transaction_categories", nil, &categoriesResult{}) // signs the client in
	return func() any {
		t.Helper()
		cs, err := f.client.GetCategories(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var cats []string
		names := map[string]string{}
		for _, c := range cs {
			cats = append(cats, c.Name+" "+c.Icon+" "+c.Group.ID)
			names[c.ID] = c.Name
		}
		slices.Sort(cats)
		in := map[string]string{}
		if len(txns) > 0 {
			p, err := f.client.GetTransactions(t.Context(), monarch.TransactionQuery{IDs: txns, Limit: len(txns)})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range p.Transactions {
				in[x.ID] = names[x.Category.ID]
			}
		}
		return map[string]any{"categories": cats, "in": in}
	}
}

// merchantSeen observes a merchant's journal fields (no stream id: a
// stream brought back gets a new one).
func (f *fixture) merchantSeen(t *testing.T, id string) func() any {
	return func() any {
		t.Helper()
		m, err := f.client.GetMerchant(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return merchantValues(m)
	}
}

// tagged creates transactions carrying the tags, through the tools.
func (f *fixture) tagged(t *testing.T, n int, tags ...string) []string {
	t.Helper()
	var ids []string
	for range n {
		id := f.newTxnAt(t, "Undo Cafe")
		f.decode(t, "set_transaction_tags", map[string]any{"transaction_id": id, "tag_ids": anySlice(tags)}, &setTagsResult{})
		ids = append(ids, id)
	}
	return ids
}

// inCategory creates transactions in a category, through the tools.
func (f *fixture) inCategory(t *testing.T, n int, cat string) []string {
	t.Helper()
	var ids []string
	for range n {
		id := f.newTxnAt(t, "Undo Cafe")
		f.decode(t, "set_transaction_category", map[string]any{"transaction_id": id, "category_id": cat}, &writeResult{})
		ids = append(ids, id)
	}
	return ids
}

func anySlice(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func TestUndoCategoriesWrites(t *testing.T) {
	runUndoCases(t, []undoCase{
		{tool: "create_tag", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			return map[string]any{"name": "Undo Tag", "color": "#19D2A5"}, f.tagsSeen(t)
		}},
		{tool: "update_tag", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			return map[string]any{"tag_id": f.newTag(t), "name": "Renamed", "color": "#112233"}, f.tagsSeen(t)
		}},
		{tool: "update_tag", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			return map[string]any{"tag_id": f.newTag(t), "color": "#445566"}, f.tagsSeen(t)
		}},
		{tool: "delete_tag", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			gone, kept := f.newTag(t), f.newTag(t)
			txns := append(f.tagged(t, 2, gone), f.tagged(t, 1, gone, kept)...)
			return map[string]any{"tag_id": gone}, f.tagsSeen(t, txns...)
		}},
		{tool: "create_category", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			return map[string]any{"group_id": f.groupNamed(t, "Shopping").ID, "name": "Undo Category", "icon": "🧪"}, f.categoriesSeen(t)
		}},
		{tool: "update_category", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			return map[string]any{"category_id": f.newCategory(t), "name": "Undo Renamed", "icon": "🧾",
				"group_id": f.groupNamed(t, "Food & Dining").ID}, f.categoriesSeen(t)
		}},
		{tool: "delete_category", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			cat := f.newCategory(t)
			txns := f.inCategory(t, 3, cat)
			return map[string]any{"category_id": cat, "move_to_category_id": f.anyCategory(t)}, f.categoriesSeen(t, txns...)
		}},
		{tool: "delete_category", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			cat := f.newCategory(t)
			txns := f.inCategory(t, 2, cat)
			return map[string]any{"category_id": cat}, f.categoriesSeen(t, txns...)
		}},
		{tool: "update_merchant", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id := f.merchantID(t, "Netflix")
			return map[string]any{"merchant_id": id, "name": "Netflix Premium", "amount": -22.99, "is_active": false}, f.merchantSeen(t, id)
		}},
		{tool: "update_merchant", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id := f.merchantID(t, "Netflix")
			return map[string]any{"merchant_id": id, "is_recurring": false}, f.merchantSeen(t, id)
		}},
		{tool: "update_merchant", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			f.newTxnAt(t, "Undo Gym")
			id := f.merchantID(t, "Undo Gym")
			return map[string]any{"merchant_id": id, "is_recurring": true, "frequency": "monthly", "amount": -30,
				"base_date": f.clock.Now().Format("2006-01-02")}, f.merchantSeen(t, id)
		}},
	})
}

// TestUndoCategoriesChangedSince: a tag, category or merchant changed again
// after the write is left alone unless overwrite is given.
func TestUndoCategoriesChangedSince(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	tagID := f.newTag(t)
	var w updateTagResult
	f.decode(t, "update_tag", map[string]any{"tag_id": tagID, "name": "By the assistant"}, &w)
	before, _, err := f.findTagByID(t, tagID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.UpdateTag(t.Context(), tagID, "By the user", before.Color); err != nil {
		t.Fatal(err)
	}
	var u undoResult
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{w.Change.ID}, "dry_run": false}, &u)
	if u.Skipped != 1 || u.Restored != 0 || !strings.Contains(u.Changes[0].Objects[0].Reason, "changed again since (name)") {
		t.Fatalf("undo over a later rename: %s", jsonOf(t, u))
	}
	if tg, _, _ := f.findTagByID(t, tagID); tg.Name != "By the user" {
		t.Fatalf("a skipped undo renamed the tag to %q", tg.Name)
	}
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{w.Change.ID}, "dry_run": false, "overwrite": true}, &u)
	if tg, _, _ := f.findTagByID(t, tagID); u.Restored != 1 || !strings.HasPrefix(tg.Name, "Tag ") {
		t.Fatalf("overwrite: %s; name %q", jsonOf(t, u), tg.Name)
	}
}

// findTagByID reads the tag with the id; an error if there is none.
func (f *fixture) findTagByID(t *testing.T, id string) (monarch.Tag, []monarch.Tag, error) {
	t.Helper()
	ts, err := f.client.GetTags(t.Context())
	if err != nil {
		return monarch.Tag{}, nil, err
	}
	i := slices.IndexFunc(ts, func(x monarch.Tag) bool { return x.ID == id })
	if i < 0 {
		return monarch.Tag{}, nil, monarch.ErrNotFound
	}
	tg := ts[i]
	return tg, slices.Delete(ts, i, i+1), nil
}

// TestUndoDeleteCategoryMovedSince: undoing a category's deletion brings
// back the category and the transactions still where the deletion put
// them; one the user moved since stays where the user put it.
func TestUndoDeleteCategoryMovedSince(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	cat := f.newCategory(t)
	txns := f.inCategory(t, 3, cat)
	var w deleteCategoryResult
	f.decode(t, "delete_category", map[string]any{"category_id": cat, "dry_run": false}, &w)
	if !w.Deleted || w.TransactionsMoved != 3 || w.Change == nil || w.Change.Undo != string(undoPartial) {
		t.Fatalf("delete: %s", jsonOf(t, w))
	}
	elsewhere := f.otherCategory(t, f.anyCategory(t))
	f.decode(t, "set_transaction_category", map[string]any{"transaction_id": txns[0], "category_id": elsewhere}, &writeResult{})
	var u undoResult
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{w.Change.ID}, "dry_run": false}, &u)
	if u.Restored != 3 || u.Skipped != 1 || u.Failed != 0 || u.Changes[0].Status != "partly_undone" {
		t.Fatalf("undo: %s", jsonOf(t, u))
	}
	var newID string
	for _, o := range u.Changes[0].Objects {
		if o.Kind == kindCategory {
			newID = o.NewID
		}
	}
	p, err := f.client.GetTransactions(t.Context(), monarch.TransactionQuery{IDs: txns, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range p.Transactions {
		want := newID
		if x.ID == txns[0] {
			want = elsewhere
		}
		if x.Category == nil || x.Category.ID != want {
			t.Errorf("transaction %s is in %+v, want %s", x.ID, x.Category, want)
		}
	}
}

// TestUndoCreatedInUse: undoing the creation of a tag or category that has
// been put on transactions since fails, and deletes nothing.
func TestUndoCreatedInUse(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var tw createTagResult
	f.decode(t, "create_tag", map[string]any{"name": "In Use"}, &tw)
	f.tagged(t, 1, tw.Tag.ID)
	var cw categoryResult
	f.decode(t, "create_category", map[string]any{"group_id": f.groupNamed(t, "Shopping").ID, "name": "In Use Too"}, &cw)
	f.inCategory(t, 1, cw.Category.ID)
	for _, id := range []string{tw.Change.ID, cw.Change.ID} {
		var u undoResult
		f.decode(t, "undo_changes", map[string]any{"change_ids": []any{id}, "dry_run": false}, &u)
		if u.Failed != 1 || u.Changes[0].Status != "failed" || !strings.Contains(u.Changes[0].Objects[0].Reason, "deleting it would") {
			t.Errorf("undo of %s: %s", id, jsonOf(t, u))
		}
	}
	if _, _, err := f.findTagByID(t, tw.Tag.ID); err != nil {
		t.Errorf("the tag is gone: %v", err)
	}
	cs, err := f.client.GetCategories(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(cs, func(c monarch.Category) bool { return c.ID == cw.Category.ID }) {
		t.Error("the category is gone")
	}
}

// TestCategoriesDryRunsNotJournaled: a dry run records nothing but says
// how far undo would go.
func TestCategoriesDryRunsNotJournaled(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	tagID, catID := f.newTag(t), f.newCategory(t)
	var h historyResult
	f.decode(t, "get_change_history", nil, &h)
	n := h.Count
	for _, c := range []struct {
		tool string
		args map[string]any
		undo undoLevel
	}{
		{"update_tag", map[string]any{"tag_id": tagID, "name": "Dry", "dry_run": true}, undoFull},
		{"delete_tag", map[string]any{"tag_id": tagID, "dry_run": true}, undoPartial},
		{"update_category", map[string]any{"category_id": catID, "name": "Dry", "dry_run": true}, undoFull},
		{"delete_category", map[string]any{"category_id": catID, "dry_run": true}, undoPartial},
		{"update_merchant", map[string]any{"merchant_id": f.merchantID(t, "Netflix"), "name": "Dry", "dry_run": true}, undoPartial},
	} {
		var r struct {
			DryRun bool        `json:"dry_run"`
			Change *changeNote `json:"change"`
		}
		f.decode(t, c.tool, c.args, &r)
		if !r.DryRun || r.Change == nil || r.Change.ID != "" || r.Change.Undo != string(c.undo) || (c.undo == undoPartial && r.Change.Caveat == "") {
			t.Errorf("%s dry run: %s", c.tool, jsonOf(t, r))
		}
	}
	f.decode(t, "get_change_history", nil, &h)
	if h.Count != n {
		t.Errorf("dry runs added %d changes to the journal", h.Count-n)
	}
}
