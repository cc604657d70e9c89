package tools

import (
	"context"
	"errors"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// An account's balance history in the change journal: one object per
// account, a field per date ("YYYY-MM-DD") holding that day's balance. A
// write records the dates it uploads, so the history shows each one's
// balance before and after. Nothing of it can be put back: an upload can
// only set balances, never take a date's balance away, and Monarch has no
// other way to change them.

const kindBalanceHistory = "account_balance_history"

func balanceHistoryKind(d *deps) *objectKind {
	return &objectKind{
		name: kindBalanceHistory,
		read: func(ctx context.Context, ids []string) (map[string]values, error) {
			out := make(map[string]values, len(ids))
			for _, id := range ids {
				points, err := d.c.GetAccountHistory(ctx, id)
				if errors.Is(err, monarch.ErrNotFound) {
					continue
				}
				if err != nil {
					return nil, err
				}
				v := make(values, len(points))
				for _, p := range points {
					v[p.Date] = round2(p.Balance)
				}
				out[id] = v
			}
			return out, nil
		},
	}
}
