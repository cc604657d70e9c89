package tools

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/journal"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// undoCase is one write tool's round trip through the change journal: the
// write, its undo, and the undo's undo.
type undoCase struct {
	tool string
	// prepare makes what the write works on (its own changes are journaled
	// too, before the write's) and returns the write's arguments and
	// observe, which reads the state the write changes. observe leaves out
	// ids that an undo cannot keep (an object brought back gets a new one).
	prepare func(t *testing.T, f *fixture) (args map[string]any, observe func() any)
	// partial: the undo restores what the tool said it would, which
	// observe reflects; kept for the report.
	partial bool
}

// runUndoCases checks, for each case: the write changes what observe sees;
// undoing it brings back exactly the state before; undoing the undo brings
// back the state after the write.
func runUndoCases(t *testing.T, cases []undoCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.tool, func(t *testing.T) {
			t.Parallel() // each case has its own sandbox
			f := newFixture(t, Options{}, sandbox.Options{})
			args, observe := c.prepare(t, f)
			before := jsonOf(t, observe())
			var w struct {
				Change *changeNote `json:"change"`
			}
			f.decode(t, c.tool, args, &w)
			if w.Change == nil || w.Change.ID == "" {
				t.Fatalf("%s: result has no change id", c.tool)
			}
			wantLevel := undoFull
			if c.partial {
				wantLevel = undoPartial
			}
			if w.Change.Undo != string(wantLevel) {
				t.Errorf("%s says undo=%s, want %s", c.tool, w.Change.Undo, wantLevel)
			}
			changed := jsonOf(t, observe())
			if changed == before {
				t.Fatalf("%s changed nothing observable: %s", c.tool, before)
			}
			u := f.undo(t, w.Change.ID)
			if got := jsonOf(t, observe()); got != before {
				t.Errorf("after undo:\n got  %s\n want %s\nundo: %+v", got, before, u)
			}
			f.undo(t, u.Change.ID)
			if got := jsonOf(t, observe()); got != changed {
				t.Errorf("after undoing the undo:\n got  %s\n want %s", got, changed)
			}
		})
	}
}

// undo applies undo_changes to one change and checks it reports success.
func (f *fixture) undo(t *testing.T, id string) undoResult {
	t.Helper()
	var u undoResult
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{id}, "dry_run": false}, &u)
	if u.Failed > 0 || len(u.Changes) != 1 || (u.Changes[0].Status != "undone" && u.Changes[0].Status != "partly_undone") || u.Change == nil {
		t.Fatalf("undo %s: %s", id, jsonOf(t, u))
	}
	return u
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// txnsNamed observes the transactions of a merchant, without their ids,
// in a stable order.
func (f *fixture) txnsNamed(t *testing.T, merchant string) func() any {
	return func() any {
		t.Helper()
		p, err := f.client.GetTransactions(t.Context(), monarch.TransactionQuery{Search: merchant, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range p.Transactions {
			s := shapeTransaction(x)
			s.ID = ""
			slices.Sort(s.Tags)
			out = append(out, jsonOf(t, s))
		}
		slices.Sort(out)
		return out
	}
}

// txnsByID observes transactions by id, ids included.
func (f *fixture) txnsByID(t *testing.T, ids ...string) func() any {
	return func() any {
		t.Helper()
		p, err := f.client.GetTransactions(t.Context(), monarch.TransactionQuery{IDs: ids, Limit: len(ids)})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]transaction{}
		for _, x := range p.Transactions {
			s := shapeTransaction(x)
			slices.Sort(s.Tags)
			out[x.ID] = s
		}
		return out
	}
}

// newTxnAt creates a transaction at merchant through the tool (so it is in
// the journal, as users' own are) and returns its id.
func (f *fixture) newTxnAt(t *testing.T, merchant string) string {
	t.Helper()
	var w writeResult
	f.decode(t, "create_transaction", map[string]any{"date": f.clock.Now().Format("2006-01-02"), "account_id": f.anyAccount(t),
		"amount": -12.5, "merchant": merchant, "category_id": f.anyCategory(t), "notes": "first"}, &w)
	return w.Transaction.ID
}

// otherCategory returns the id of a category other than not.
func (f *fixture) otherCategory(t *testing.T, not string) string {
	t.Helper()
	var cats categoriesResult
	f.decode(t, "get_transaction_categories", nil, &cats)
	return otherID(t, cats.Categories, func(c category) string { return c.ID }, not)
}

// otherID returns the id of the first item whose id is not not.
func otherID[T any](t *testing.T, items []T, id func(T) string, not string) string {
	t.Helper()
	for _, x := range items {
		if id(x) != not {
			return id(x)
		}
	}
	t.Fatalf("no %T other than %s", *new(T), not)
	return ""
}

func TestUndoTransactionWrites(t *testing.T) {
	one := func(tool string, args func(f *fixture, id string) map[string]any) undoCase {
		return undoCase{tool: tool, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id := f.newTxnAt(t, "Undo Cafe")
			return args(f, id), f.txnsByID(t, id)
		}}
	}
	runUndoCases(t, []undoCase{
		{tool: "create_transaction", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			return map[string]any{"date": f.clock.Now().Format("2006-01-02"), "account_id": f.anyAccount(t), "amount": -7.25,
				"merchant": "Undo Bakery", "category_id": f.anyCategory(t), "notes": "bread"}, f.txnsNamed(t, "Undo Bakery")
		}},
		one("update_transaction", func(f *fixture, id string) map[string]any {
			return map[string]any{"transaction_id": id, "notes": "second", "amount": -99.5, "merchant": "Other Cafe",
				"hide_from_reports": true, "needs_review": false, "category_id": f.otherCategory(t, f.anyCategory(t))}
		}),
		one("set_transaction_category", func(f *fixture, id string) map[string]any {
			return map[string]any{"transaction_id": id, "category_id": f.otherCategory(t, f.anyCategory(t)), "mark_reviewed": true}
		}),
		one("update_transaction_notes", func(f *fixture, id string) map[string]any {
			return map[string]any{"transaction_id": id, "notes": ""}
		}),
		one("mark_transaction_reviewed", func(f *fixture, id string) map[string]any {
			return map[string]any{"transaction_id": id, "needs_review": true}
		}),
		one("set_transaction_tags", func(f *fixture, id string) map[string]any {
			return map[string]any{"transaction_id": id, "tag_ids": []any{f.newTag(t), f.newTag(t)}}
		}),
		{tool: "delete_transaction", partial: true, prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			id := f.newTxnAt(t, "Undo Deli")
			f.decode(t, "set_transaction_tags", map[string]any{"transaction_id": id, "tag_ids": []any{f.newTag(t)}}, &setTagsResult{})
			return map[string]any{"transaction_id": id}, f.txnsNamed(t, "Undo Deli")
		}},
		{tool: "bulk_categorize_transactions", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			a, b := f.newTxnAt(t, "Undo Cafe"), f.newTxnAt(t, "Undo Cafe")
			return map[string]any{"transaction_ids": []any{a, b}, "category_id": f.otherCategory(t, f.anyCategory(t)), "mark_reviewed": true},
				f.txnsByID(t, a, b)
		}},
		{tool: "bulk_update_transactions", prepare: func(t *testing.T, f *fixture) (map[string]any, func() any) {
			a, b := f.newTxnAt(t, "Undo Cafe"), f.newTxnAt(t, "Undo Cafe")
			return map[string]any{"transaction_ids": []any{a, b}, "set_notes": "bulk", "set_hidden": true, "set_reviewed": true,
				"set_tag_ids": []any{f.newTag(t)}, "dry_run": false}, f.txnsByID(t, a, b)
		}},
	})
}

// TestUndoBulkOfHundred: a bulk change of 100 transactions is undone by one
// undo_changes call, in few requests, and each is restored.
func TestUndoBulkOfHundred(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	cats := []string{f.anyCategory(t), f.otherCategory(t, f.anyCategory(t))}
	var ids []any
	var plain []string
	for i := range 100 {
		id, err := f.client.CreateTransaction(t.Context(), monarch.NewTransaction{Date: f.clock.Now().Format("2006-01-02"), AccountID: f.anyAccount(t),
			Amount: -float64(i + 1), MerchantName: "Hundred", CategoryID: cats[i%2], Notes: fmt.Sprint("note ", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids, plain = append(ids, id), append(plain, id)
	}
	observe := f.txnsByID(t, plain...)
	before := jsonOf(t, observe())
	var w bulkUpdateResult
	f.decode(t, "bulk_update_transactions", map[string]any{"transaction_ids": ids, "set_hidden": true,
		"set_category_id": f.newCategory(t), "dry_run": false}, &w)
	if w.Count != 100 || w.Change == nil {
		t.Fatalf("bulk update: %+v", w)
	}
	reqs := f.sb.Requests("")
	u := f.undo(t, w.Change.ID)
	// One read of the current state, two bulk updates (one per category
	// the transactions had, with hidden=false), one read after.
	if n := f.sb.Requests("") - reqs; n != 4 {
		t.Errorf("undo of 100 took %d requests, want 4", n)
	}
	if u.Restored != 100 || u.Skipped != 0 {
		t.Errorf("undo restored %d, skipped %d; want 100, 0", u.Restored, u.Skipped)
	}
	if got := jsonOf(t, observe()); got != before {
		t.Errorf("after undo the transactions differ from before")
	}
	if strings.Count(jsonOf(t, u), `"status":"done"`) != 100 {
		t.Errorf("undo does not report each transaction done")
	}
}

// notJournaled are the write tools that record no change: refresh_accounts
// and logout change nothing in the user's data, and undo_changes records
// its own.
var notJournaled = []string{"refresh_accounts", "logout", "undo_changes"}

// TestEveryWriteIsJournaled: every tool that changes data is defined with
// defineWrite, and says in its result (change) how it can be undone.
func TestEveryWriteIsJournaled(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	for _, tool := range f.tools {
		name := tool.Name()
		if tool.Kind() == Read || slices.Contains(notJournaled, name) {
			continue
		}
		if !tool.journaled {
			t.Errorf("%s changes data but is not journaled: define it with defineWrite", name)
		}
		var out struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(outputSchemaJSON(t, tool.Definition()), &out); err != nil {
			t.Fatal(err)
		}
		if _, ok := out.Properties["change"]; !ok {
			t.Errorf("%s: its result type does not embed journalNote", name)
		}
	}
}

// TestUndoSkipsChangedSince: an object changed again after the change is
// left alone (and said so) unless overwrite is given.
func TestUndoSkipsChangedSince(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	id := f.newTxnAt(t, "Undo Cafe")
	var w writeResult
	f.decode(t, "update_transaction_notes", map[string]any{"transaction_id": id, "notes": "by the assistant"}, &w)
	notes := "by the user"
	if _, err := f.client.UpdateTransaction(t.Context(), monarch.TransactionUpdate{ID: id, Notes: &notes}); err != nil {
		t.Fatal(err)
	}
	var u undoResult
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{w.Change.ID}, "dry_run": false}, &u)
	if u.Skipped != 1 || u.Restored != 0 || u.Changes[0].Status != "skipped" || !strings.Contains(u.Changes[0].Objects[0].Reason, "changed again since (notes)") {
		t.Fatalf("undo over a later change: %s", jsonOf(t, u))
	}
	if got := f.notesOf(t, id); got != notes {
		t.Fatalf("notes %q after a skipped undo", got)
	}
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{w.Change.ID}, "dry_run": false, "overwrite": true}, &u)
	if u.Restored != 1 || f.notesOf(t, id) != "first" {
		t.Fatalf("overwrite: %s, notes %q", jsonOf(t, u), f.notesOf(t, id))
	}
}

func (f *fixture) notesOf(t *testing.T, id string) string {
	t.Helper()
	var d detailsResult
	f.decode(t, "get_transaction_details", map[string]any{"transaction_id": id}, &d)
	return d.Transaction.Notes
}

// TestUndoLastInOrder: undoing the last N changes goes newest first, so
// two edits of one field end at the value before both; a dry run changes
// nothing; already-undone changes are not taken twice.
func TestUndoLastInOrder(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	id := f.newTxnAt(t, "Undo Cafe")
	for _, n := range []string{"second", "third"} {
		f.decode(t, "update_transaction_notes", map[string]any{"transaction_id": id, "notes": n}, &writeResult{})
	}
	var u undoResult
	f.decode(t, "undo_changes", map[string]any{"last": 2}, &u)
	if !u.DryRun || u.Restored != 2 || f.notesOf(t, id) != "third" {
		t.Fatalf("dry run: %s; notes %q", jsonOf(t, u), f.notesOf(t, id))
	}
	f.decode(t, "undo_changes", map[string]any{"last": 2, "dry_run": false}, &u)
	if u.Restored != 2 || f.notesOf(t, id) != "first" {
		t.Fatalf("undo last 2: %s; notes %q", jsonOf(t, u), f.notesOf(t, id))
	}
	// The newest change not yet undone is now that undo itself: last=1
	// redoes both edits.
	f.decode(t, "undo_changes", map[string]any{"last": 1, "dry_run": false}, &u)
	if f.notesOf(t, id) != "third" {
		t.Fatalf("undo of the undo: notes %q", f.notesOf(t, id))
	}
	var h historyResult
	f.decode(t, "get_change_history", map[string]any{"limit": 10}, &h)
	if h.Count != 5 || h.Changes[0].Tool != "undo_changes" || h.Changes[1].UndoneBy != h.Changes[0].ID || h.Changes[2].UndoneBy != "" {
		t.Errorf("history: %s", jsonOf(t, h))
	}
}

// TestJournalFailures: a write whose record cannot be written is not made;
// with the journal off writes say so and undo has nothing to work with; a
// damaged line is a warning.
func TestJournalFailures(t *testing.T) {
	t.Run("unwritable journal refuses the write", func(t *testing.T) {
		dir := t.TempDir() // the journal's path is a directory: no append can succeed
		f := newFixtureWith(t, Options{}, sandbox.Options{}, Status{Journal: journal.Open(dir, journal.Options{})}, nil)
		id, err := f.client.CreateTransaction(t.Context(), monarch.NewTransaction{Date: "2026-01-02", AccountID: f.anyAccount(t), Amount: -1,
			MerchantName: "Undo Cafe", CategoryID: f.anyCategory(t), Notes: "first"})
		if err != nil {
			t.Fatal(err)
		}
		f.wantError(t, "update_transaction_notes", map[string]any{"transaction_id": id, "notes": "x"}, "nothing was changed")
		if got := f.notesOf(t, id); got != "first" {
			t.Errorf("notes %q: the write went ahead without its record", got)
		}
	})
	t.Run("journal off", func(t *testing.T) {
		f := newFixture(t, Options{}, sandbox.Options{})
		off := connect(t, All(f.client, Status{}, slog.New(slog.DiscardHandler)), Options{})
		id := f.newTxnAt(t, "Undo Cafe")
		res := callTool(t, off, "update_transaction_notes", map[string]any{"transaction_id": id, "notes": "x"})
		if res.IsError || !strings.Contains(textOf(res), `"journal":"off: the change is not recorded and cannot be undone"`) {
			t.Errorf("write with the journal off: %s", textOf(res))
		}
		res = callTool(t, off, "undo_changes", map[string]any{"last": 1})
		if !res.IsError || !strings.Contains(textOf(res), "MONARCH_JOURNAL_FILE=off") {
			t.Errorf("undo with the journal off: %s", textOf(res))
		}
	})
	t.Run("damaged line", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "changes.jsonl")
		f := newFixtureWith(t, Options{}, sandbox.Options{}, Status{Journal: journal.Open(path, journal.Options{})}, nil)
		f.newTxnAt(t, "Undo Cafe")
		if err := os.WriteFile(path, append(must(os.ReadFile(path)), "garbage\n"...), 0o600); err != nil {
			t.Fatal(err)
		}
		f.newTxnAt(t, "Undo Cafe")
		var h historyResult
		f.decode(t, "get_change_history", nil, &h)
		if h.Count != 2 || len(h.Warnings) != 1 || !strings.Contains(h.Warnings[0], "line 3 is damaged") {
			t.Errorf("history over a damaged line: %s", jsonOf(t, h))
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestJournalHoldsNoSecret: writes, a renewal and an undo leave no
// password, authenticator secret or session token in the journal file.
func TestJournalHoldsNoSecret(t *testing.T) {
	path := filepath.Join(t.TempDir(), "changes.jsonl")
	f := newFixtureWith(t, Options{}, sandbox.Options{}, Status{Journal: journal.Open(path, journal.Options{})}, nil)
	id := f.newTxnAt(t, "Undo Cafe")
	f.sb.ExpireSessions()
	f.decode(t, "update_transaction_notes", map[string]any{"transaction_id": id, "notes": "x"}, &writeResult{})
	f.decode(t, "undo_changes", map[string]any{"last": 1, "dry_run": false}, &undoResult{})
	s, _, _ := f.client.Auth().Current()
	if s == nil || s.Token == "" {
		t.Fatal("no session token to look for")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{sandbox.DemoPassword, sandbox.DemoMFASecret, s.Token} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the journal holds a secret (%d bytes)", len(secret))
		}
	}
	if !strings.Contains(string(b), id) {
		t.Error("the journal does not hold the change")
	}
}

// TestBatchItemOutcomes: an item a batch tool reports failed is recorded
// as failed, with its reason, not as unchanged; undo leaves it alone.
func TestBatchItemOutcomes(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	good := f.newTxnAt(t, "Undo Cafe")
	var w bulkCategorizeResult
	f.decode(t, "bulk_categorize_transactions", map[string]any{"transaction_ids": []any{good, "160010999999999999"},
		"category_id": f.otherCategory(t, f.anyCategory(t))}, &w)
	if w.Changed != 1 || w.Failed != 1 || w.Change == nil {
		t.Fatalf("bulk categorize: %s", jsonOf(t, w))
	}
	var h historyResult
	f.decode(t, "get_change_history", map[string]any{"change_id": w.Change.ID}, &h)
	got := map[string]string{}
	for _, o := range h.Changes[0].Details {
		got[o.ID] = o.Outcome
		if o.Outcome == "failed" && o.Error == "" {
			t.Errorf("failed object without its reason: %+v", o)
		}
	}
	if got[good] != "changed" || got["160010999999999999"] != "failed" || h.Changes[0].Failed != 1 {
		t.Errorf("outcomes %v (%s)", got, jsonOf(t, h))
	}
	var u undoResult
	f.decode(t, "undo_changes", map[string]any{"change_ids": []any{w.Change.ID}, "dry_run": false}, &u)
	if u.Restored != 1 || u.Skipped != 1 {
		t.Errorf("undo: %s", jsonOf(t, u))
	}
}

// TestCreateWithBalanceIsPartial: a transaction that also adjusted its
// account's balance says, before anything else, that undo will not set the
// balance back.
func TestCreateWithBalanceIsPartial(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	for _, tt := range []struct {
		update bool
		want   undoLevel
	}{{false, undoFull}, {true, undoPartial}} {
		var w writeResult
		f.decode(t, "create_transaction", map[string]any{"date": f.clock.Now().Format("2006-01-02"), "account_id": f.anyAccount(t),
			"amount": -3.0, "merchant": "Undo Cafe", "category_id": f.anyCategory(t), "update_balance": tt.update}, &w)
		if w.Change == nil || w.Change.Undo != string(tt.want) || (tt.update && !strings.Contains(w.Change.Caveat, "balance")) {
			t.Errorf("update_balance=%v: change %+v, want undo %s", tt.update, w.Change, tt.want)
		}
	}
}

// TestEveryWriteHasUndoCase: every journaled tool has a round-trip case
// (write, undo, undo the undo) in the undo tests, found by its case line.
// upload_account_balance_history cannot be undone; its own test checks that
// undo refuses it and changes nothing.
func TestEveryWriteHasUndoCase(t *testing.T) {
	files, err := filepath.Glob("undo*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("undo tests: %v", err)
	}
	var src strings.Builder
	for _, name := range files {
		src.Write(must(os.ReadFile(name)))
	}
	f := newFixture(t, Options{}, sandbox.Options{})
	for _, tool := range f.tools {
		name := tool.Name()
		if !tool.journaled || name == "upload_account_balance_history" {
			continue
		}
		if !strings.Contains(src.String(), `tool: "`+name+`"`) && !strings.Contains(src.String(), `one("`+name+`"`) {
			t.Errorf("%s has no runUndoCases case", name)
		}
	}
}
