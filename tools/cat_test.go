package tools

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// Tests of the category, budget, net worth, merchant and recurring-review
// tools (issue 8, part B) against the sandbox.

// wantError calls a tool that must fail and checks its text.
func (f *fixture) wantError(t *testing.T, name string, args map[string]any, want string) {
	t.Helper()
	res := callTool(t, f.mcp, name, args)
	if !res.IsError || !strings.Contains(textOf(res), want) {
		t.Errorf("%s %v: got isError=%v %q, want an error containing %q", name, args, res.IsError, textOf(res), want)
	}
}

// groupNamed finds a group in get_category_groups' result.
func (f *fixture) groupNamed(t *testing.T, name string) categoryGroup {
	t.Helper()
	var res categoryGroupsResult
	f.decode(t, "get_category_groups", nil, &res)
	for _, g := range res.Groups {
		if g.Name == name {
			return g
		}
	}
	t.Fatalf("no group %q in %+v", name, res.Groups)
	return categoryGroup{}
}

func TestGetCategoryGroups(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var res categoryGroupsResult
	f.decode(t, "get_category_groups", nil, &res)
	if res.Count != 10 || res.TotalCount != 10 || res.Truncated || len(res.Groups) != 10 {
		t.Fatalf("list %+v with %d groups", res.list, len(res.Groups))
	}
	if g := res.Groups[0]; g.Name != "Income" || g.Type != "income" || len(g.Categories) != 3 || g.Categories[0].Name != "Paychecks" {
		t.Errorf("first group %+v", g)
	}
	food := f.groupNamed(t, "Food & Dining")
	if food.Type != "expense" || len(food.Categories) != 3 || food.Categories[0].Name != "Groceries" || food.Categories[0].ID == "" {
		t.Errorf("Food & Dining %+v", food)
	}
}

// uniqueName returns a name no demo category or merchant has, for tests
// that create one.
func uniqueName() string { return rand.Text()[:10] }

func TestCreateCategory(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	food := f.groupNamed(t, "Food & Dining")
	var res categoryResult
	f.decode(t, "create_category", map[string]any{"group_id": food.ID, "name": "  Snacks ", "icon": "🍪"}, &res)
	if res.Category.ID == "" || res.Category.Name != "Snacks" || res.Category.GroupID != food.ID || res.Category.IsSystem {
		t.Fatalf("created %+v", res.Category)
	}
	// Later reads see it, in its group.
	food = f.groupNamed(t, "Food & Dining")
	if last := food.Categories[len(food.Categories)-1]; last.ID != res.Category.ID || last.Name != "Snacks" {
		t.Errorf("group after create: %+v", food.Categories)
	}
	var cats categoriesResult
	f.decode(t, "get_transaction_categories", nil, &cats)
	if cats.Count != 23 {
		t.Errorf("%d categories after create, want 23", cats.Count)
	}

	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"duplicate name", map[string]any{"group_id": food.ID, "name": "snacks"}, "already exists"},
		{"duplicate demo name", map[string]any{"group_id": food.ID, "name": "Groceries"}, "already exists"},
		{"unknown group", map[string]any{"group_id": "no-such-group", "name": "X"}, "no-such-group"},
		{"blank name", map[string]any{"group_id": food.ID, "name": "  "}, "name must not be empty"},
		{"long name", map[string]any{"group_id": food.ID, "name": strings.Repeat("x", 101)}, "at most 100"},
		{"no group", map[string]any{"name": "X"}, "group_id is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "create_category", tt.args, tt.want) })
	}
	f.decode(t, "get_transaction_categories", nil, &cats)
	if cats.Count != 23 {
		t.Errorf("%d categories after refused creates, want 23", cats.Count)
	}
}

// categoryNamed finds a category in get_transaction_categories' result.
func (f *fixture) categoryNamed(t *testing.T, name string) (category, bool) {
	t.Helper()
	var cats categoriesResult
	f.decode(t, "get_transaction_categories", nil, &cats)
	for _, c := range cats.Categories {
		if c.Name == name {
			return c, true
		}
	}
	return category{}, false
}

func TestUpdateCategory(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	coffee, _ := f.categoryNamed(t, "Coffee Shops")
	lifestyle := f.groupNamed(t, "Lifestyle")

	// Dry run: says what would change, changes nothing.
	var dry updateCategoryResult
	f.decode(t, "update_category", map[string]any{"category_id": coffee.ID, "name": "Cafés", "dry_run": true}, &dry)
	if !dry.DryRun || dry.Category.Name != "Cafés" || len(dry.Changes) != 1 || dry.Changes[0] != "name: Coffee Shops → Cafés" {
		t.Errorf("dry run %+v", dry)
	}
	if _, ok := f.categoryNamed(t, "Coffee Shops"); !ok {
		t.Fatal("dry run renamed the category")
	}

	var res updateCategoryResult
	f.decode(t, "update_category", map[string]any{"category_id": coffee.ID, "name": "Cafés", "group_id": lifestyle.ID}, &res)
	if res.DryRun || res.Category.ID != coffee.ID || res.Category.Name != "Cafés" || res.Category.GroupID != lifestyle.ID || len(res.Changes) != 2 {
		t.Errorf("update %+v", res)
	}
	if c, ok := f.categoryNamed(t, "Cafés"); !ok || c.GroupID != lifestyle.ID || c.Group != "Lifestyle" {
		t.Errorf("renamed category reads back as %+v (found %v)", c, ok)
	}
	// Transactions follow the category.
	var txns transactionsResult
	f.decode(t, "get_transactions", map[string]any{"category_ids": []any{coffee.ID}, "limit": 1}, &txns)
	if txns.Count != 1 || txns.Transactions[0].Category != "Cafés" {
		t.Errorf("transactions after rename: %+v", txns.Transactions)
	}

	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"name taken", map[string]any{"category_id": coffee.ID, "name": "groceries"}, "already exists"},
		{"unknown category", map[string]any{"category_id": "no-such-category", "name": "X"}, "no-such-category"},
		{"unknown group", map[string]any{"category_id": coffee.ID, "group_id": "no-such-group"}, "not found"},
		{"nothing to change", map[string]any{"category_id": coffee.ID}, "nothing to change"},
		{"blank name", map[string]any{"category_id": coffee.ID, "name": ""}, "name must not be empty"},
		{"blank icon", map[string]any{"category_id": coffee.ID, "icon": " "}, "icon must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.wantError(t, "update_category", tt.args, tt.want) })
	}
	if c, ok := f.categoryNamed(t, "Cafés"); !ok || c.GroupID != lifestyle.ID {
		t.Errorf("refused updates changed the category: %+v", c)
	}
}
