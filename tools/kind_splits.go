package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// A transaction's split parts in the change journal, keyed by the parent
// transaction's id. Each part is recorded without its id: putting parts
// back makes new ones, and new ids must not read as a later change.

const kindSplits = "transaction_splits"

// splitsParts is the one field: the parts, each as the JSON of a
// splitValue, sorted; empty when the transaction is not split.
const splitsParts = "splits"

// splitValue is one part as the journal records it.
type splitValue struct {
	Amount     float64 `json:"amount"`
	Merchant   string  `json:"merchant"`
	CategoryID string  `json:"category_id"`
	Notes      string  `json:"notes"`
}

func splitsKind(d *deps) *objectKind {
	return &objectKind{
		name:   kindSplits,
		fields: []string{splitsParts},
		read: func(ctx context.Context, ids []string) (map[string]values, error) {
			out := make(map[string]values, len(ids))
			for _, id := range ids {
				s, err := d.c.GetTransactionSplits(ctx, id)
				if errors.Is(err, monarch.ErrNotFound) {
					continue
				}
				if err != nil {
					return nil, err
				}
				parts, err := splitValues(s.Splits)
				if err != nil {
					return nil, err
				}
				out[id] = values{splitsParts: parts}
			}
			return out, nil
		},
		set: func(ctx context.Context, id string, v values) error {
			parts, ok := vStrings(v, splitsParts)
			if !ok {
				return nil
			}
			in := make([]monarch.SplitInput, 0, len(parts))
			for _, p := range parts {
				var sv splitValue
				if err := json.Unmarshal([]byte(p), &sv); err != nil {
					return fmt.Errorf("a recorded split part cannot be read: %w", err)
				}
				in = append(in, monarch.SplitInput{Amount: sv.Amount, MerchantName: sv.Merchant, CategoryID: sv.CategoryID, Notes: sv.Notes})
			}
			_, err := d.c.SplitTransaction(ctx, id, in)
			return err
		},
	}
}

// splitValues are parts as the journal records them: sorted, ids left out.
func splitValues(parts []monarch.TransactionSplit) ([]string, error) {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		sv := splitValue{Amount: round2(p.Amount), Notes: p.Notes}
		if p.Merchant != nil {
			sv.Merchant = p.Merchant.Name
		}
		if p.Category != nil {
			sv.CategoryID = p.Category.ID
		}
		b, err := json.Marshal(sv)
		if err != nil {
			return nil, err
		}
		out = append(out, string(b))
	}
	slices.Sort(out)
	return out, nil
}
