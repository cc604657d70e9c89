package tools

import (
	"cmp"
	"context"
	"slices"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// --- get_category_groups ----------------------------------------------------

type categoryGroupCategory struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type categoryGroup struct {
	ID         string                  `json:"id"`
	Name       string                  `json:"name"`
	Type       string                  `json:"type" jsonschema:"income, expense or transfer"`
	Categories []categoryGroupCategory `json:"categories" jsonschema:"the group's categories, with their ids"`
}

type categoryGroupsResult struct {
	Groups []categoryGroup `json:"groups"`
	list
}

func getCategoryGroups(e env[*monarch.Session], d *deps) Tool {
	return define(e, spec{
		name:  "get_category_groups",
		title: "Get category groups",
		description: "List the household's category groups (e.g. Food & Dining) with their type (income, expense, transfer) and the categories in each. " +
			"Use a group id with create_category or set_budget_amount.",
		kind: Read,
	}, func(ctx context.Context, _ noArgs) (categoryGroupsResult, error) {
		gs, err := d.c.GetCategoryGroups(ctx)
		if err != nil {
			return categoryGroupsResult{}, err
		}
		// The groups query lists no categories; join them from the
		// categories list, which names each category's group.
		cs, err := d.c.GetCategories(ctx)
		if err != nil {
			return categoryGroupsResult{}, err
		}
		return shapeCategoryGroups(gs, cs), nil
	})
}

// shapeCategoryGroups lists groups in Monarch's order, each with its
// categories in theirs.
func shapeCategoryGroups(gs []monarch.CategoryGroup, cs []monarch.Category) categoryGroupsResult {
	gs = slices.Clone(gs)
	slices.SortStableFunc(gs, func(a, b monarch.CategoryGroup) int { return cmp.Compare(a.Order, b.Order) })
	cs = slices.Clone(cs)
	slices.SortStableFunc(cs, func(a, b monarch.Category) int { return cmp.Compare(a.Order, b.Order) })
	byGroup := map[string][]categoryGroupCategory{}
	for _, c := range cs {
		if c.Group != nil {
			byGroup[c.Group.ID] = append(byGroup[c.Group.ID], categoryGroupCategory{ID: c.ID, Name: c.Name})
		}
	}
	res := categoryGroupsResult{Groups: make([]categoryGroup, 0, len(gs))}
	for _, g := range gs {
		cats := byGroup[g.ID]
		if cats == nil {
			cats = []categoryGroupCategory{}
		}
		res.Groups = append(res.Groups, categoryGroup{ID: g.ID, Name: g.Name, Type: g.Type, Categories: cats})
	}
	res.list = fullList(len(res.Groups))
	return res
}
