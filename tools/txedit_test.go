package tools

import (
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// demo is what the transaction tool tests learn about the sandbox first.
type demo struct {
	f              *fixture
	cats           map[string]string // name → id
	tags           map[string]string // name → id
	account        string
	reviewTxn      string // a transaction that needs review
	plainTxn       string // a posted card charge
	plainTxnAmount float64
}

func learnDemo(t *testing.T, f *fixture) demo {
	t.Helper()
	d := demo{f: f, cats: map[string]string{}, tags: map[string]string{}}
	var cats categoriesResult
	f.decode(t, "get_transaction_categories", nil, &cats)
	for _, c := range cats.Categories {
		d.cats[c.Name] = c.ID
	}
	var tags tagsResult
	f.decode(t, "get_transaction_tags", nil, &tags)
	for _, tg := range tags.Tags {
		d.tags[tg.Name] = tg.ID
	}
	var txns transactionsResult
	f.decode(t, "get_transactions", map[string]any{"limit": 200}, &txns)
	for _, tx := range txns.Transactions {
		if tx.NeedsReview && d.reviewTxn == "" {
			d.reviewTxn = tx.ID
		}
		if !tx.Pending && tx.Amount < -20 && d.plainTxn == "" {
			d.plainTxn, d.plainTxnAmount, d.account = tx.ID, tx.Amount, tx.AccountID
		}
	}
	if d.reviewTxn == "" || d.plainTxn == "" || d.cats["Groceries"] == "" || d.tags["Vacation"] == "" {
		t.Fatalf("demo data not as expected: %+v", d)
	}
	return d
}

func (d demo) details(t *testing.T, id string) transactionDetails {
	t.Helper()
	var r detailsResult
	d.f.decode(t, "get_transaction_details", map[string]any{"transaction_id": id}, &r)
	return r.Transaction
}

// wantError calls a tool that must fail with a text containing want.
func TestSingleTransactionEdits(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	id := d.plainTxn

	// Details.
	det := d.details(t, id)
	if det.ID != id || det.Amount != d.plainTxnAmount || det.AccountID != d.account || det.Account == "" || det.Merchant == "" || det.AccountMask == "" {
		t.Errorf("details %+v", det)
	}

	// Category, then category + reviewed.
	var w writeResult
	f.decode(t, "set_transaction_category", map[string]any{"transaction_id": id, "category_id": d.cats["Shopping"]}, &w)
	if w.Transaction.CategoryID != d.cats["Shopping"] || d.details(t, id).Category != "Shopping" {
		t.Errorf("category not set: %+v", w.Transaction)
	}
	f.decode(t, "set_transaction_category", map[string]any{"transaction_id": d.reviewTxn, "category_id": d.cats["Groceries"], "mark_reviewed": true}, &w)
	if det := d.details(t, d.reviewTxn); det.Category != "Groceries" || det.NeedsReview {
		t.Errorf("category + reviewed: %+v", det)
	}

	// Review flag both ways.
	f.decode(t, "mark_transaction_reviewed", map[string]any{"transaction_id": id, "needs_review": true}, &w)
	if !d.details(t, id).NeedsReview {
		t.Error("needs_review=true not visible")
	}
	f.decode(t, "mark_transaction_reviewed", map[string]any{"transaction_id": id}, &w)
	if d.details(t, id).NeedsReview {
		t.Error("mark reviewed not visible")
	}

	// Notes: set, then clear.
	f.decode(t, "update_transaction_notes", map[string]any{"transaction_id": id, "notes": "receipt in drawer"}, &w)
	if d.details(t, id).Notes != "receipt in drawer" {
		t.Error("notes not set")
	}
	f.decode(t, "update_transaction_notes", map[string]any{"transaction_id": id, "notes": ""}, &w)
	if d.details(t, id).Notes != "" {
		t.Error("notes not cleared")
	}

	// Tags: set two, then clear.
	var tr setTagsResult
	f.decode(t, "set_transaction_tags", map[string]any{"transaction_id": id, "tag_ids": []any{d.tags["Vacation"], d.tags["Kids"]}}, &tr)
	if len(tr.Tags) != 2 || tr.Tags[0].Name == "" {
		t.Errorf("set tags result %+v", tr)
	}
	if got := d.details(t, id).Tags; len(got) != 2 {
		t.Errorf("tags read back %v", got)
	}
	f.decode(t, "set_transaction_tags", map[string]any{"transaction_id": id, "tag_ids": []any{}}, &tr)
	if got := d.details(t, id).Tags; len(got) != 0 || len(tr.Tags) != 0 {
		t.Errorf("tags not cleared: %v", got)
	}

	// A new tag is listed and can be set.
	var ct createTagResult
	f.decode(t, "create_tag", map[string]any{"name": " Work Trip ", "color": "#19D2A5"}, &ct)
	if ct.Tag.ID == "" || ct.Tag.Name != "Work Trip" {
		t.Fatalf("create tag %+v", ct)
	}
	var tags tagsResult
	f.decode(t, "get_transaction_tags", nil, &tags)
	if tags.Tags[len(tags.Tags)-1].ID != ct.Tag.ID {
		t.Errorf("new tag not listed: %+v", tags.Tags)
	}
	f.decode(t, "set_transaction_tags", map[string]any{"transaction_id": id, "tag_ids": []any{ct.Tag.ID}}, &tr)
	if got := d.details(t, id).Tags; len(got) != 1 || got[0] != "Work Trip" {
		t.Errorf("new tag not set: %v", got)
	}
}

func TestSingleTransactionEditFailures(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	d := learnDemo(t, f)
	before := d.details(t, d.plainTxn)
	tests := []struct {
		name, tool string
		args       map[string]any
		want       string
	}{
		{"details no id", "get_transaction_details", map[string]any{"transaction_id": " "}, "transaction_id is required"},
		{"details unknown", "get_transaction_details", map[string]any{"transaction_id": "no-such-txn"}, "no-such-txn"},
		{"category missing", "set_transaction_category", map[string]any{"transaction_id": d.plainTxn}, "category_id is required"},
		{"category unknown txn", "set_transaction_category", map[string]any{"transaction_id": "no-such-txn", "category_id": d.cats["Groceries"]}, "no-such-txn"},
		{"category unknown", "set_transaction_category", map[string]any{"transaction_id": d.plainTxn, "category_id": "no-such-cat"}, "Category not found"},
		{"notes missing", "update_transaction_notes", map[string]any{"transaction_id": d.plainTxn}, "notes is required"},
		{"notes too long", "update_transaction_notes", map[string]any{"transaction_id": d.plainTxn, "notes": strings.Repeat("x", maxNotes+1)}, "at most 10000"},
		{"notes unknown txn", "update_transaction_notes", map[string]any{"transaction_id": "no-such-txn", "notes": "x"}, "no-such-txn"},
		{"reviewed unknown txn", "mark_transaction_reviewed", map[string]any{"transaction_id": "no-such-txn"}, "no-such-txn"},
		{"tags missing", "set_transaction_tags", map[string]any{"transaction_id": d.plainTxn}, "tag_ids is required"},
		{"tags empty id", "set_transaction_tags", map[string]any{"transaction_id": d.plainTxn, "tag_ids": []any{""}}, "empty id"},
		{"tags unknown tag", "set_transaction_tags", map[string]any{"transaction_id": d.plainTxn, "tag_ids": []any{"no-such-tag"}}, "Tag not found"},
		{"tags unknown txn", "set_transaction_tags", map[string]any{"transaction_id": "no-such-txn", "tag_ids": []any{}}, "no-such-txn"},
		{"tag no name", "create_tag", map[string]any{"name": "  "}, "name is required"},
		{"tag bad colour", "create_tag", map[string]any{"name": "x", "color": "green"}, "#RRGGBB"},
		{"tag duplicate", "create_tag", map[string]any{"name": "vacation"}, "already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, tt.tool, tt.args, tt.want) })
	}
	after := d.details(t, d.plainTxn)
	if after.CategoryID != before.CategoryID || after.Notes != before.Notes || len(after.Tags) != len(before.Tags) {
		t.Errorf("failed calls changed the transaction: %+v → %+v", before, after)
	}
}
