package tools

import (
	"context"
	"fmt"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Categories in the change journal. Fields: name, icon, group_id.

const kindCategory = "category"

// Category fields, as the journal names them.
const (
	catName  = "name"
	catIcon  = "icon"
	catGroup = "group_id"
)

func categoryKind(d *deps) *objectKind {
	return &objectKind{
		name:   kindCategory,
		fields: []string{catName, catIcon, catGroup},
		read:   readListed(d.c.GetCategories, func(c monarch.Category) string { return c.ID }, categoryValues),
		set: func(ctx context.Context, id string, v values) error {
			u := monarch.CategoryUpdate{ID: id}
			if s, ok := vString(v, catName); ok && s != "" {
				u.Name = &s
			}
			if s, ok := vString(v, catIcon); ok && s != "" {
				u.Icon = &s
			}
			if s, ok := vString(v, catGroup); ok && s != "" {
				u.GroupID = &s
			}
			_, err := d.c.UpdateCategory(ctx, u)
			return err
		},
		create: func(ctx context.Context, v values) (string, error) {
			var n monarch.NewCategory
			n.Name, _ = vString(v, catName)
			n.Icon, _ = vString(v, catIcon)
			n.GroupID, _ = vString(v, catGroup)
			c, err := d.c.CreateCategory(ctx, n)
			if err != nil {
				return "", err
			}
			return c.ID, nil
		},
		remove: func(ctx context.Context, id string) error {
			// Deleting a category moves its transactions: one given
			// transactions since it was made is left for the user to delete.
			p, err := d.c.GetTransactions(ctx, monarch.TransactionQuery{CategoryIDs: []string{id}, Limit: 1})
			if err != nil {
				return err
			}
			if p.TotalCount > 0 {
				return fmt.Errorf("category %s has %d transactions now, and deleting it would move them; delete_category does that if wanted", id, p.TotalCount)
			}
			return d.c.DeleteCategory(ctx, id, "")
		},
		recreateLoss: "a built-in category comes back as the household's own; its budget amounts and the rules, recurring items and split parts that used it are not restored",
	}
}

// categoryTarget names fields of categories ids.
func categoryTarget(ids []string, fields ...string) target {
	return target{kind: kindCategory, ids: ids, fields: fields}
}

// categoryValues are c's journal fields.
func categoryValues(c monarch.Category) values {
	v := values{catName: c.Name, catIcon: c.Icon, catGroup: ""}
	if c.Group != nil {
		v[catGroup] = c.Group.ID
	}
	return v
}
