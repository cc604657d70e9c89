package tools

import (
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
