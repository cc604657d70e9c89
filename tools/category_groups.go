package tools

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

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

// --- create_category --------------------------------------------------------

type createCategoryArgs struct {
	GroupID string `json:"group_id"`
	Name    string `json:"name"`
	Icon    string `json:"icon,omitempty"`
}

// maxNameLen bounds names of categories and merchants: Monarch's own limit
// is not published, and longer names are surely mistakes.
const maxNameLen = 100

func (a *createCategoryArgs) validate() error {
	if err := requireID("group_id", a.GroupID, "get_category_groups lists group ids"); err != nil {
		return err
	}
	return checkName("name", a.Name)
}

// checkName refuses a blank or overlong name.
func checkName(param, name string) error {
	switch n := len([]rune(strings.TrimSpace(name))); {
	case n == 0:
		return argErrorf(param, "must not be empty")
	case n > maxNameLen:
		return argErrorf(param, fmt.Sprintf("is %d characters long; at most %d", n, maxNameLen))
	}
	return nil
}

type categoryResult struct {
	Category category `json:"category"`
}

func createCategory(e env[*monarch.Session], d *deps) Tool {
	return define(e, spec{
		name:  "create_category",
		title: "Create category",
		description: "Create a transaction category in a category group (group ids from get_category_groups). " +
			"Names must be unique: Monarch refuses a name already in use. Calling twice tries to create it twice." + confirmFirst,
		kind: Write,
		params: []mcp.ToolOption{
			mcp.WithString("group_id", mcp.Required(), mcp.Description("Category group id from get_category_groups.")),
			mcp.WithString("name", mcp.Required(), mcp.Description("Name of the new category."), mcp.MaxLength(maxNameLen)),
			mcp.WithString("icon", mcp.Description("An emoji for the category (default ❓).")),
		},
	}, func(ctx context.Context, a createCategoryArgs) (categoryResult, error) {
		c, err := d.c.CreateCategory(ctx, monarch.NewCategory{GroupID: a.GroupID, Name: a.Name, Icon: a.Icon})
		if err != nil {
			return categoryResult{}, err
		}
		return categoryResult{Category: shapeCategory(c)}, nil
	})
}
