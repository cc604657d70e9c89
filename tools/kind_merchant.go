package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Merchants in the change journal. Fields: name and the recurrence as
// update_merchant sets it: is_recurring, frequency, amount (nil when not
// recurring or unknown), base_date, is_active. A merchant that is not
// recurring reads as is_recurring false with empty schedule fields.

const kindMerchant = "merchant"

// Merchant fields, as the journal names them.
const (
	merchName      = "name"
	merchRecurring = "is_recurring"
	merchFrequency = "frequency"
	merchAmount    = "amount"
	merchBaseDate  = "base_date"
	merchActive    = "is_active"
)

// merchRecurrence are the fields of a merchant's recurring stream.
var merchRecurrence = []string{merchRecurring, merchFrequency, merchAmount, merchBaseDate, merchActive}

func merchantKind(d *deps) *objectKind {
	read := func(ctx context.Context, ids []string) (map[string]values, error) {
		out := make(map[string]values, len(ids))
		for _, id := range ids {
			m, err := d.c.GetMerchant(ctx, id)
			if errors.Is(err, monarch.ErrNotFound) {
				continue // gone: absent from the map
			}
			if err != nil {
				return nil, err
			}
			out[id] = merchantValues(m)
		}
		return out, nil
	}
	return &objectKind{
		name:   kindMerchant,
		fields: append([]string{merchName}, merchRecurrence...),
		read:   read,
		set: func(ctx context.Context, id string, v values) error {
			// Monarch's input needs the name, and a schedule needs
			// is_recurring: the current merchant supplies what is not
			// restored, and a recurrence is sent whole.
			cur, err := read(ctx, []string{id})
			if err != nil {
				return err
			}
			if _, ok := cur[id]; !ok {
				return fmt.Errorf("merchant %s: %w", id, monarch.ErrNotFound)
			}
			full := mergeValues(cur[id], v)
			u := monarch.MerchantUpdate{ID: id}
			u.Name, _ = vString(full, merchName)
			if slices.ContainsFunc(merchRecurrence, func(f string) bool { _, ok := v[f]; return ok }) {
				rec, _ := vBool(full, merchRecurring)
				u.IsRecurring = &rec
				if rec {
					if s, _ := vString(full, merchFrequency); s != "" {
						u.Frequency = &s
					}
					if x, ok := vFloat(full, merchAmount); ok {
						u.Amount = &x
					}
					if s, _ := vString(full, merchBaseDate); s != "" {
						u.BaseDate = &s
					}
					if b, ok := vBool(full, merchActive); ok {
						u.IsActive = &b
					}
				}
			}
			_, err = d.c.UpdateMerchant(ctx, u)
			return err
		},
	}
}

// merchantValues are m's journal fields.
func merchantValues(m monarch.Merchant) values {
	v := values{merchName: m.Name, merchRecurring: m.Stream != nil, merchFrequency: "", merchAmount: nil, merchBaseDate: "", merchActive: false}
	if s := m.Stream; s != nil {
		v[merchFrequency], v[merchBaseDate], v[merchActive] = s.Frequency, s.BaseDate, s.IsActive
		if s.Amount != nil {
			v[merchAmount] = round2(*s.Amount)
		}
	}
	return v
}

// merchantTarget names fields of merchants ids.
func merchantTarget(ids []string, fields ...string) target {
	return target{kind: kindMerchant, ids: ids, fields: fields}
}
