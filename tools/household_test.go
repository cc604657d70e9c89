package tools

import (
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// Tests of the household tools (credit scores, members, businesses) and of
// tag and category deletion against the sandbox.

// newTag creates a tag for a test to change or delete and returns its id.
func (f *fixture) newTag(t *testing.T) string {
	t.Helper()
	var res createTagResult
	f.decode(t, "create_tag", map[string]any{"name": "Tag " + uniqueName()}, &res)
	return res.Tag.ID
}

// newCategory creates a category for a test to delete and returns its id.
func (f *fixture) newCategory(t *testing.T) string {
	t.Helper()
	var res categoryResult
	f.decode(t, "create_category", map[string]any{"group_id": f.groupNamed(t, "Shopping").ID, "name": "Category " + uniqueName()}, &res)
	return res.Category.ID
}

// tagNamed finds a tag in get_transaction_tags' result.
func (f *fixture) tagNamed(t *testing.T, name string) tag {
	t.Helper()
	var res tagsResult
	f.decode(t, "get_transaction_tags", nil, &res)
	for _, tg := range res.Tags {
		if tg.Name == name {
			return tg
		}
	}
	t.Fatalf("no tag %q in %+v", name, res.Tags)
	return tag{}
}

// countTransactions is how many transactions get_transactions finds with
// the filter.
func (f *fixture) countTransactions(t *testing.T, filter map[string]any) int {
	t.Helper()
	args := map[string]any{"limit": 1}
	for k, v := range filter {
		args[k] = v
	}
	var res transactionsResult
	f.decode(t, "get_transactions", args, &res)
	return res.TotalCount
}

func TestGetCreditScoreHistory(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	today := f.clock.Now().Format(dateLayout)
	yearAgo := f.clock.Now().AddDate(-1, 0, 0).Format(dateLayout)

	var res creditScoreResult
	f.decode(t, "get_credit_score_history", nil, &res)
	if res.StartDate != yearAgo || res.EndDate != today || res.Count != 2 || len(res.Members) != 2 || res.Note != "" {
		t.Fatalf("default range: %+v", res)
	}
	for _, m := range res.Members {
		n := len(m.Scores)
		if m.UserID == "" || m.Name == "" || n != 12 || m.Latest != m.Scores[n-1].Score || m.Change != m.Scores[n-1].Score-m.Scores[0].Score {
			t.Errorf("member %+v", m)
		}
		for i := 1; i < n; i++ {
			if m.Scores[i].Date <= m.Scores[i-1].Date || m.Scores[i].Date > today {
				t.Errorf("%s: scores not oldest first within the range: %+v", m.Name, m.Scores)
			}
		}
	}

	// A range holding the latest month only.
	latest := res.Members[0].Scores[11].Date
	f.decode(t, "get_credit_score_history", map[string]any{"start_date": latest}, &res)
	if res.StartDate != latest || res.EndDate != today || len(res.Members) != 2 || len(res.Members[0].Scores) != 1 || res.Members[0].Change != 0 {
		t.Errorf("latest month: %+v", res)
	}
	// A range before any score: empty, with a note.
	f.decode(t, "get_credit_score_history", map[string]any{"start_date": "2001-01-01", "end_date": "2001-12-31"}, &res)
	if len(res.Members) != 0 || res.Count != 0 || res.Note == "" {
		t.Errorf("empty range: %+v", res)
	}

	for _, tt := range []struct {
		name string
		args map[string]any
		want string
	}{
		{"bad date", map[string]any{"start_date": "2026-02-30"}, "start_date must be a date"},
		{"reversed", map[string]any{"start_date": today, "end_date": yearAgo}, "is before start_date"},
		{"unknown parameter", map[string]any{"member": "x"}, "unknown parameter"},
	} {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "get_credit_score_history", tt.args, tt.want) })
	}
}

func TestGetHouseholdMembers(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var res householdResult
	f.decode(t, "get_household_members", nil, &res)
	if res.Household == "" || res.Count != 2 || len(res.Members) != 2 {
		t.Fatalf("household %+v", res)
	}
	you := 0
	for _, m := range res.Members {
		if m.ID == "" || m.Name == "" || m.Role != "owner" && m.Role != "member" {
			t.Errorf("member %+v", m)
		}
		if m.IsYou {
			you++
			if m.Role != "owner" {
				t.Errorf("the signed-in demo user is %s, want owner", m.Role)
			}
		}
	}
	if you != 1 {
		t.Errorf("%d members are the signed-in user, want 1", you)
	}
}

func TestGetBusinessEntities(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var res businessEntitiesResult
	f.decode(t, "get_business_entities", nil, &res)
	if res.Count != 1 || len(res.Entities) != 1 {
		t.Fatalf("entities %+v", res)
	}
	if b := res.Entities[0]; b.ID == "" || b.Name == "" || b.Structure != "llc" || b.AccountsCount != 0 || b.TransactionsCount != 0 {
		t.Errorf("entity %+v", b)
	}
}

func TestUpdateTag(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	vacation, kids := f.tagNamed(t, "Vacation"), f.tagNamed(t, "Kids")
	carrying := f.countTransactions(t, map[string]any{"tag_ids": []any{vacation.ID}})

	var dry updateTagResult
	f.decode(t, "update_tag", map[string]any{"tag_id": vacation.ID, "name": " Trips ", "dry_run": true}, &dry)
	if !dry.DryRun || dry.Tag.Name != "Trips" || dry.Tag.Color != "#19D2A5" || len(dry.Changes) != 1 || dry.Changes[0] != "name: Vacation → Trips" {
		t.Errorf("dry run %+v", dry)
	}
	if f.tagNamed(t, "Vacation").ID != vacation.ID {
		t.Fatal("dry run renamed the tag")
	}

	var res updateTagResult
	f.decode(t, "update_tag", map[string]any{"tag_id": vacation.ID, "name": "Trips", "color": "#123456"}, &res)
	if res.DryRun || res.Tag.ID != vacation.ID || res.Tag.Name != "Trips" || res.Tag.Color != "#123456" ||
		res.Tag.TransactionCount != carrying || len(res.Changes) != 2 {
		t.Errorf("update %+v (want %d transactions)", res, carrying)
	}
	// Later reads see the new name; the transactions keep the tag.
	if f.tagNamed(t, "Trips").ID != vacation.ID {
		t.Error("later reads do not see the new name")
	}
	if n := f.countTransactions(t, map[string]any{"tag_ids": []any{vacation.ID}}); n != carrying {
		t.Errorf("%d transactions carry the renamed tag, want %d", n, carrying)
	}

	for _, tt := range []struct {
		name string
		args map[string]any
		want string
	}{
		{"nothing to change", map[string]any{"tag_id": vacation.ID}, "nothing to change"},
		{"no id", map[string]any{"name": "X"}, "tag_id is required"},
		{"blank name", map[string]any{"tag_id": vacation.ID, "name": "  "}, "name must not be empty"},
		{"long name", map[string]any{"tag_id": vacation.ID, "name": strings.Repeat("x", 101)}, "at most 100"},
		{"bad colour", map[string]any{"tag_id": vacation.ID, "color": "red"}, "#RRGGBB"},
		{"another tag's name", map[string]any{"tag_id": vacation.ID, "name": "kids"}, `"Kids" is already the name of tag ` + kids.ID},
		{"unknown tag", map[string]any{"tag_id": "no-such-tag", "name": "X"}, "tag no-such-tag not found"},
	} {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "update_tag", tt.args, tt.want) })
	}
}

func TestDeleteTag(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	vacation := f.tagNamed(t, "Vacation")
	carrying := f.countTransactions(t, map[string]any{"tag_ids": []any{vacation.ID}})
	if carrying == 0 {
		t.Fatal("no demo transaction carries Vacation")
	}

	var dry deleteTagResult
	f.decode(t, "delete_tag", map[string]any{"tag_id": vacation.ID, "dry_run": true}, &dry)
	if !dry.DryRun || dry.Deleted || dry.Tag.Name != "Vacation" || dry.Tag.TransactionCount != carrying {
		t.Errorf("dry run %+v, want Vacation on %d transactions", dry, carrying)
	}
	if n := f.countTransactions(t, map[string]any{"tag_ids": []any{vacation.ID}}); n != carrying {
		t.Fatal("dry run removed the tag")
	}

	var res deleteTagResult
	f.decode(t, "delete_tag", map[string]any{"tag_id": vacation.ID}, &res)
	if res.DryRun || !res.Deleted || res.Tag.ID != vacation.ID || res.Tag.TransactionCount != carrying {
		t.Errorf("delete %+v", res)
	}
	// Later reads: the tag is gone from the list and from every transaction.
	var tags tagsResult
	f.decode(t, "get_transaction_tags", nil, &tags)
	for _, tg := range tags.Tags {
		if tg.ID == vacation.ID {
			t.Error("the deleted tag is still listed")
		}
	}
	if n := f.countTransactions(t, map[string]any{"tag_ids": []any{vacation.ID}}); n != 0 {
		t.Errorf("%d transactions still carry the deleted tag", n)
	}

	for _, tt := range []struct {
		name string
		args map[string]any
		want string
	}{
		{"deleted already", map[string]any{"tag_id": vacation.ID}, "tag " + vacation.ID + " not found"},
		{"no id", map[string]any{"tag_id": " "}, "tag_id is required"},
		{"dry run of an unknown tag", map[string]any{"tag_id": "no-such-tag", "dry_run": true}, "get_transaction_tags lists the valid ids"},
	} {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "delete_tag", tt.args, tt.want) })
	}
}

func TestDeleteCategory(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	coffee, _ := f.categoryNamed(t, "Coffee Shops")
	restaurants, _ := f.categoryNamed(t, "Restaurants & Bars")
	uncategorized, _ := f.categoryNamed(t, "Uncategorized")
	count := func(c category) int { return f.countTransactions(t, map[string]any{"category_ids": []any{c.ID}}) }
	inCoffee, inRestaurants := count(coffee), count(restaurants)
	if inCoffee == 0 {
		t.Fatal("no demo coffee transactions")
	}

	var dry deleteCategoryResult
	f.decode(t, "delete_category", map[string]any{"category_id": coffee.ID, "move_to_category_id": restaurants.ID, "dry_run": true}, &dry)
	if !dry.DryRun || dry.Deleted || dry.Category.ID != coffee.ID || dry.MovedTo.ID != restaurants.ID || dry.TransactionsMoved != inCoffee {
		t.Errorf("dry run %+v, want %d transactions to move", dry, inCoffee)
	}
	if _, ok := f.categoryNamed(t, "Coffee Shops"); !ok || count(coffee) != inCoffee {
		t.Fatal("dry run deleted the category or moved its transactions")
	}

	var res deleteCategoryResult
	f.decode(t, "delete_category", map[string]any{"category_id": coffee.ID, "move_to_category_id": restaurants.ID}, &res)
	if res.DryRun || !res.Deleted || res.MovedTo.Name != "Restaurants & Bars" || res.TransactionsMoved != inCoffee {
		t.Errorf("delete %+v", res)
	}
	if _, ok := f.categoryNamed(t, "Coffee Shops"); ok {
		t.Error("the deleted category is still listed")
	}
	if n := count(restaurants); n != inRestaurants+inCoffee {
		t.Errorf("restaurants has %d transactions, want %d + %d", n, inRestaurants, inCoffee)
	}

	// Without a destination, the transactions become uncategorized.
	gas, _ := f.categoryNamed(t, "Gas")
	inGas, inUncategorized := count(gas), count(uncategorized)
	f.decode(t, "delete_category", map[string]any{"category_id": gas.ID}, &res)
	if !res.Deleted || res.MovedTo.ID != uncategorized.ID || res.TransactionsMoved != inGas {
		t.Errorf("delete without destination %+v", res)
	}
	if n := count(uncategorized); n != inUncategorized+inGas {
		t.Errorf("uncategorized has %d transactions, want %d + %d", n, inUncategorized, inGas)
	}

	for _, tt := range []struct {
		name string
		args map[string]any
		want string
	}{
		{"deleted already", map[string]any{"category_id": coffee.ID}, "category " + coffee.ID + " not found"},
		{"unknown destination", map[string]any{"category_id": restaurants.ID, "move_to_category_id": "no-such-category"}, "move_to_category_id: category no-such-category not found"},
		{"to itself", map[string]any{"category_id": restaurants.ID, "move_to_category_id": restaurants.ID}, "must be another category"},
		{"no id", map[string]any{}, "category_id is required"},
	} {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "delete_category", tt.args, tt.want) })
	}
	if _, ok := f.categoryNamed(t, "Restaurants & Bars"); !ok {
		t.Error("a refused delete deleted the category")
	}
}
