package tools

import (
	"context"
	"fmt"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Tags in the change journal. Fields: name, color.

const kindTag = "tag"

// Tag fields, as the journal names them.
const (
	tagName  = "name"
	tagColor = "color"
)

func tagKind(d *deps) *objectKind {
	return &objectKind{
		name:   kindTag,
		fields: []string{tagName, tagColor},
		read: readListed(d.c.GetTags, func(t monarch.Tag) string { return t.ID },
			func(t monarch.Tag) values { return values{tagName: t.Name, tagColor: t.Color} }),
		set: func(ctx context.Context, id string, v values) error {
			// Monarch's input needs both name and colour: the current tag
			// supplies the one not restored.
			name, okName := vString(v, tagName)
			color, okColor := vString(v, tagColor)
			if !okName || !okColor {
				cur, _, err := d.findTag(ctx, id)
				if err != nil {
					return err
				}
				if !okName {
					name = cur.Name
				}
				if !okColor {
					color = cur.Color
				}
			}
			_, err := d.c.UpdateTag(ctx, id, name, color)
			return err
		},
		create: func(ctx context.Context, v values) (string, error) {
			name, _ := vString(v, tagName)
			color, _ := vString(v, tagColor)
			t, err := d.c.CreateTag(ctx, name, color)
			if err != nil {
				return "", err
			}
			return t.ID, nil
		},
		remove: func(ctx context.Context, id string) error {
			// Deleting a tag takes it off every transaction: one put on
			// transactions since it was made is left for the user to delete.
			t, _, err := d.findTag(ctx, id)
			if err != nil {
				return err
			}
			if t.TransactionCount > 0 {
				return fmt.Errorf("tag %q is on %d transactions now, and deleting it would take it off them; delete_tag does that if wanted", t.Name, t.TransactionCount)
			}
			return d.c.DeleteTag(ctx, id)
		},
		recreateLoss: "rules that added it do not get it back",
	}
}

// tagTarget names fields of tags ids.
func tagTarget(ids []string, fields ...string) target {
	return target{kind: kindTag, ids: ids, fields: fields}
}
