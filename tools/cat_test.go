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
