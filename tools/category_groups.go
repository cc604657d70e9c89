package tools

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

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

func getCategoryGroups(d *deps) Tool {
	return define(d, spec{
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
	if strings.TrimSpace(name) == "" {
		return argErrorf(param, "must not be empty")
	}
	return checkLen(param, strings.TrimSpace(name), maxNameLen)
}

// checkLen bounds a text in characters, as the schemas' maxLength counts
// (not bytes: an accented name must not be refused early).
func checkLen(param, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return argErrorf(param, fmt.Sprintf("is %d characters long; at most %d", n, max))
	}
	return nil
}

type categoryResult struct {
	Category category `json:"category"`
	journalNote
}

func createCategory(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "create_category",
		title: "Create category",
		description: "Create a transaction category in a category group (group ids from get_category_groups). " +
			"Names must be unique: Monarch refuses a name already in use. Calling twice tries to create it twice." + confirmFirst,
		kind: Write,
		params: []mcp.ToolOption{
			idParam("group_id", "Category group id from get_category_groups.", mcp.Required()),
			mcp.WithString("name", mcp.Required(), mcp.Description("Name of the new category."), mcp.MaxLength(maxNameLen)),
			mcp.WithString("icon", mcp.Description("An emoji for the category (default ❓)."), mcp.MaxLength(maxIconLen)),
		},
	}, journaled[createCategoryArgs, categoryResult]{
		undo:    undoFull,
		summary: func(a createCategoryArgs) string { return "created category " + a.Name },
		created: func(_ createCategoryArgs, r categoryResult) []target {
			return []target{categoryTarget([]string{r.Category.ID})}
		},
	}, func(ctx context.Context, a createCategoryArgs) (categoryResult, error) {
		c, err := d.c.CreateCategory(ctx, monarch.NewCategory{GroupID: a.GroupID, Name: a.Name, Icon: a.Icon})
		if err != nil {
			return categoryResult{}, err
		}
		return categoryResult{Category: shapeCategory(c)}, nil
	})
}

// --- update_category --------------------------------------------------------

type updateCategoryArgs struct {
	CategoryID string  `json:"category_id"`
	Name       *string `json:"name,omitempty"`
	Icon       *string `json:"icon,omitempty"`
	GroupID    *string `json:"group_id,omitempty"`
	DryRun     bool    `json:"dry_run,omitempty"`
}

func (a *updateCategoryArgs) validate() error {
	if err := requireID("category_id", a.CategoryID, "get_transaction_categories lists category ids"); err != nil {
		return err
	}
	if a.Name == nil && a.Icon == nil && a.GroupID == nil {
		return &ArgError{Msg: "nothing to change: give at least one of name, icon, group_id"}
	}
	if a.Name != nil {
		if err := checkName("name", *a.Name); err != nil {
			return err
		}
		// Trimmed here, so what is sent is what the result shows.
		*a.Name = strings.TrimSpace(*a.Name)
	}
	if a.Icon != nil && strings.TrimSpace(*a.Icon) == "" {
		return argErrorf("icon", "must not be empty")
	}
	if a.GroupID != nil {
		return requireID("group_id", *a.GroupID, "get_category_groups lists group ids")
	}
	return nil
}

type updateCategoryResult struct {
	DryRun   bool     `json:"dry_run"`
	Category category `json:"category" jsonschema:"the category after the change (in a dry run: as it would be)"`
	Changes  []string `json:"changes" jsonschema:"what changed (or would change), e.g. name: Coffee Shops → Cafés; empty when nothing differs"`
	journalNote
}

func updateCategory(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "update_category",
		title: "Update category",
		description: "Rename a transaction category, change its icon, or move it to another category group. Only the fields given change; " +
			"every transaction in the category follows it. Ids come from get_transaction_categories and get_category_groups. " +
			"dry_run=true shows the change without making it." + confirmFirst,
		kind:       Write,
		idempotent: true,
		params: []mcp.ToolOption{
			idParam("category_id", "Category id from get_transaction_categories.", mcp.Required()),
			mcp.WithString("name", mcp.Description("New name (must not be used by another category)."), mcp.MaxLength(maxNameLen)),
			mcp.WithString("icon", mcp.Description("New icon: an emoji."), mcp.MaxLength(maxIconLen)),
			idParam("group_id", "Id of the category group to move it to, from get_category_groups."),
			dryRunParam(),
		},
	}, journaled[updateCategoryArgs, updateCategoryResult]{
		undo:    undoFull,
		caveat:  "a category moved back to its former group may not regain its place in the group's order",
		summary: func(a updateCategoryArgs) string { return "updated category " + a.CategoryID },
		targets: func(_ context.Context, a updateCategoryArgs) ([]target, error) {
			var f []string
			for _, x := range []struct {
				set   bool
				field string
			}{{a.Name != nil, catName}, {a.Icon != nil, catIcon}, {a.GroupID != nil, catGroup}} {
				if x.set {
					f = append(f, x.field)
				}
			}
			return []target{categoryTarget([]string{a.CategoryID}, f...)}, nil
		},
		dryRun: func(a updateCategoryArgs) bool { return a.DryRun },
	}, func(ctx context.Context, a updateCategoryArgs) (updateCategoryResult, error) {
		// Read the category first: the result says what changes, and a dry
		// run needs it anyway.
		cs, err := d.c.GetCategories(ctx)
		if err != nil {
			return updateCategoryResult{}, err
		}
		i := slices.IndexFunc(cs, func(c monarch.Category) bool { return c.ID == a.CategoryID })
		if i < 0 {
			return updateCategoryResult{}, fmt.Errorf("category %s: %w", a.CategoryID, monarch.ErrNotFound)
		}
		before := shapeCategory(cs[i])
		after, changes := before, []string{}
		if a.Name != nil && *a.Name != before.Name {
			after.Name = *a.Name
			changes = append(changes, "name: "+before.Name+" → "+after.Name)
		}
		if a.Icon != nil && *a.Icon != cs[i].Icon {
			changes = append(changes, "icon: "+cs[i].Icon+" → "+*a.Icon)
		}
		if a.GroupID != nil && *a.GroupID != before.GroupID {
			after.GroupID, after.Group, after.GroupType = *a.GroupID, "", ""
			changes = append(changes, "group: "+before.Group+" → "+*a.GroupID)
		}
		if a.DryRun {
			return updateCategoryResult{DryRun: true, Category: after, Changes: changes}, nil
		}
		c, err := d.c.UpdateCategory(ctx, monarch.CategoryUpdate{ID: a.CategoryID, Name: a.Name, Icon: a.Icon, GroupID: a.GroupID})
		if err != nil {
			return updateCategoryResult{}, err
		}
		out := shapeCategory(c)
		if out.GroupType == "" && out.GroupID == before.GroupID {
			out.GroupType = before.GroupType // the mutation selects no group type
		}
		return updateCategoryResult{Category: out, Changes: changes}, nil
	})
}
