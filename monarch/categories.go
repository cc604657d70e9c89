package monarch

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// CategoryGroupRef names a category group. Type is "income", "expense" or
// "transfer".
type CategoryGroupRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// Category is a transaction category.
type Category struct {
	ID    string `json:"id"`
	Order int    `json:"order"`
	Name  string `json:"name"`
	// Icon is an emoji (set only by operations that select it).
	Icon string `json:"icon"`
	// SystemCategory is Monarch's key for built-in categories ("" for the
	// household's own).
	SystemCategory   string            `json:"systemCategory"`
	IsSystemCategory bool              `json:"isSystemCategory"`
	IsDisabled       bool              `json:"isDisabled"`
	UpdatedAt        string            `json:"updatedAt"`
	CreatedAt        string            `json:"createdAt"`
	Group            *CategoryGroupRef `json:"group"`
}

// UnmarshalJSON checks the fields every category must have.
func (c *Category) UnmarshalJSON(b []byte) error {
	type plain Category
	var w struct {
		plain
		ID             *string `json:"id"`
		Name           *string `json:"name"`
		SystemCategory *string `json:"systemCategory"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a category", "id", w.ID == nil, "name", w.Name == nil); err != nil {
		return err
	}
	*c = Category(w.plain)
	c.ID, c.Name, c.SystemCategory = *w.ID, *w.Name, deref(w.SystemCategory)
	return nil
}

// GetCategories returns the household's transaction categories.
func (c *Client) GetCategories(ctx context.Context) ([]Category, error) {
	var out struct {
		Categories *[]Category `json:"categories"`
	}
	if err := c.graphQL(ctx, opCategories, nil, &out); err != nil {
		return nil, err
	}
	if out.Categories == nil {
		return nil, &UnexpectedResponseError{Operation: opCategories.name, Reason: "the answer has no categories list"}
	}
	return *out.Categories, nil
}

// Tag is a transaction tag. Color is "#RRGGBB".
type Tag struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	Color            string `json:"color"`
	Order            int    `json:"order"`
	TransactionCount int    `json:"transactionCount"`
}

// UnmarshalJSON checks the fields every tag must have.
func (t *Tag) UnmarshalJSON(b []byte) error {
	type plain Tag
	return decodeNamed(b, "a tag", (*plain)(t))
}

// GetTags returns the household's transaction tags.
func (c *Client) GetTags(ctx context.Context) ([]Tag, error) {
	var out struct {
		Tags *[]Tag `json:"householdTransactionTags"`
	}
	if err := c.graphQL(ctx, opTags, nil, &out); err != nil {
		return nil, err
	}
	if out.Tags == nil {
		return nil, &UnexpectedResponseError{Operation: opTags.name, Reason: "the answer has no householdTransactionTags list"}
	}
	return *out.Tags, nil
}

// CategoryGroup is a group of categories (e.g. "Food & Dining"). Type is
// "income", "expense" or "transfer".
type CategoryGroup struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Order     int    `json:"order"`
	Type      string `json:"type"`
	UpdatedAt string `json:"updatedAt"`
	CreatedAt string `json:"createdAt"`
}

// UnmarshalJSON checks the fields every category group must have.
func (g *CategoryGroup) UnmarshalJSON(b []byte) error {
	type plain CategoryGroup
	return decodeNamed(b, "a category group", (*plain)(g))
}

// GetCategoryGroups returns the household's category groups.
func (c *Client) GetCategoryGroups(ctx context.Context) ([]CategoryGroup, error) {
	var out struct {
		Groups *[]CategoryGroup `json:"categoryGroups"`
	}
	if err := c.graphQL(ctx, opCategoryGroups, nil, &out); err != nil {
		return nil, err
	}
	if out.Groups == nil {
		return nil, &UnexpectedResponseError{Operation: opCategoryGroups.name, Reason: "the answer has no categoryGroups list"}
	}
	return *out.Groups, nil
}

// NewCategory is a category to create in a group. Icon is an emoji
// (default "❓", as Monarch's app uses).
type NewCategory struct {
	GroupID string
	Name    string
	Icon    string
}

// CreateCategory creates a household category and returns it. Monarch
// refuses a name already in use. It is never retried once it may have
// reached Monarch (a retry could create it twice).
func (c *Client) CreateCategory(ctx context.Context, n NewCategory) (Category, error) {
	switch {
	case strings.TrimSpace(n.GroupID) == "":
		return Category{}, fmt.Errorf("monarch: CreateCategory: GroupID is required")
	case strings.TrimSpace(n.Name) == "":
		return Category{}, fmt.Errorf("monarch: CreateCategory: Name is required")
	}
	icon := n.Icon
	if icon == "" {
		icon = "❓"
	}
	now := c.Now()
	vars := map[string]any{"input": map[string]any{
		"group": n.GroupID, "name": strings.TrimSpace(n.Name), "icon": icon,
		// Monarch's input carries rollover settings; these are its app's
		// defaults for a new category (no rollover).
		"rolloverEnabled": false, "rolloverType": "monthly",
		"rolloverStartMonth": time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).Format(dateLayout),
	}}
	var out struct {
		Create *struct {
			Errors   payloadErrors `json:"errors"`
			Category *Category     `json:"category"`
		} `json:"createCategory"`
	}
	if err := c.graphQL(ctx, opCreateCategory, vars, &out); err != nil {
		return Category{}, err
	}
	if out.Create == nil {
		return Category{}, &UnexpectedResponseError{Operation: opCreateCategory.name, Reason: "the answer has no createCategory"}
	}
	if err := out.Create.Errors.err(opCreateCategory); err != nil {
		return Category{}, notFound("category group", n.GroupID, err)
	}
	if out.Create.Category == nil {
		return Category{}, &UnexpectedResponseError{Operation: opCreateCategory.name, Reason: "createCategory has no category"}
	}
	return *out.Create.Category, nil
}

// CategoryUpdate changes a category: nil fields are left as they are.
// GroupID moves it to another group.
type CategoryUpdate struct {
	ID      string
	Name    *string
	Icon    *string
	GroupID *string
}

// UpdateCategory applies u and returns the category as Monarch now has it
// (id, name, icon and group). An unknown id is an error matching
// ErrNotFound.
func (c *Client) UpdateCategory(ctx context.Context, u CategoryUpdate) (Category, error) {
	if strings.TrimSpace(u.ID) == "" {
		return Category{}, fmt.Errorf("monarch: UpdateCategory: ID is required")
	}
	in := map[string]any{"id": u.ID}
	if u.Name != nil {
		if strings.TrimSpace(*u.Name) == "" {
			return Category{}, fmt.Errorf("monarch: UpdateCategory: Name is empty")
		}
		in["name"] = strings.TrimSpace(*u.Name)
	}
	if u.Icon != nil {
		in["icon"] = *u.Icon
	}
	if u.GroupID != nil {
		if strings.TrimSpace(*u.GroupID) == "" {
			return Category{}, fmt.Errorf("monarch: UpdateCategory: GroupID is empty")
		}
		in["group"] = *u.GroupID
	}
	if len(in) == 1 {
		return Category{}, fmt.Errorf("monarch: UpdateCategory: nothing to change")
	}
	var out struct {
		Update *struct {
			Errors   payloadErrors `json:"errors"`
			Category *Category     `json:"category"`
		} `json:"updateCategory"`
	}
	if err := c.graphQL(ctx, opUpdateCategory, map[string]any{"input": in}, &out); err != nil {
		return Category{}, notFound("category", u.ID, err)
	}
	if out.Update == nil {
		return Category{}, &UnexpectedResponseError{Operation: opUpdateCategory.name, Reason: "the answer has no updateCategory"}
	}
	if err := out.Update.Errors.err(opUpdateCategory); err != nil {
		return Category{}, notFound("category", u.ID, err)
	}
	if out.Update.Category == nil {
		return Category{}, &UnexpectedResponseError{Operation: opUpdateCategory.name, Reason: "updateCategory has no category"}
	}
	return *out.Update.Category, nil
}
