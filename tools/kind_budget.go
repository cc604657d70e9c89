package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Budget amounts in the change journal: one object per budget line and
// month, id "<category or group id>|<YYYY-MM>", with the month's planned
// amount.

const kindBudget = "budget_amount"

// budgetAmount is the one field: the month's planned amount.
const budgetAmount = "amount"

// budgetUndoMonths is how many months, the first included, a change of a
// budget "for every later month" records: as many as one budget read
// returns. Later months are not recorded, so undo leaves them as they are.
const budgetUndoMonths = maxMonths

func budgetKind(d *deps) *objectKind {
	return &objectKind{
		name:   kindBudget,
		fields: []string{budgetAmount},
		read: func(ctx context.Context, ids []string) (map[string]values, error) {
			return readBudgetAmounts(ctx, d, ids)
		},
		set: func(ctx context.Context, id string, v values) error {
			return setBudgetAmounts(ctx, d, []setItem{{id: id, v: v}})[id]
		},
		setMany: func(ctx context.Context, items []setItem) map[string]error {
			return setBudgetAmounts(ctx, d, items)
		},
	}
}

// budgetID is the journal id of a budget line's month.
func budgetID(lineID string, month time.Time) string {
	return lineID + "|" + month.Format(monthLayout)
}

// parseBudgetID splits a journal id into the line's id and its month.
func parseBudgetID(id string) (string, time.Time, error) {
	line, m, ok := strings.Cut(id, "|")
	month, err := time.Parse(monthLayout, m)
	if !ok || line == "" || err != nil {
		return "", time.Time{}, fmt.Errorf("%q is not a budget amount's id (<category or group id>|YYYY-MM)", id)
	}
	return line, month, nil
}

// readBudgetAmounts reads the months the ids name, consecutive months in
// one request each (of at most maxMonths).
func readBudgetAmounts(ctx context.Context, d *deps, ids []string) (map[string]values, error) {
	want := make(map[string]bool, len(ids))
	var ms []time.Time
	for _, id := range ids {
		_, m, err := parseBudgetID(id)
		if err != nil {
			return nil, err
		}
		want[id] = true
		if !slices.ContainsFunc(ms, m.Equal) {
			ms = append(ms, m)
		}
	}
	slices.SortFunc(ms, func(a, b time.Time) int { return a.Compare(b) })
	out := make(map[string]values, len(ids))
	keep := func(lineID string, amounts []monarch.BudgetAmounts) {
		for _, a := range amounts {
			m, err := time.Parse(dateLayout, a.Month)
			if err != nil {
				continue
			}
			if id := budgetID(lineID, m); want[id] {
				out[id] = values{budgetAmount: round2(a.Planned)}
			}
		}
	}
	for len(ms) > 0 {
		n := 1
		for n < len(ms) && n < maxMonths && ms[n].Equal(ms[n-1].AddDate(0, 1, 0)) {
			n++
		}
		b, err := d.c.GetBudgets(ctx, ms[0].Format(dateLayout), ms[n-1].Format(dateLayout))
		if err != nil {
			return nil, err
		}
		for _, l := range b.Categories {
			keep(l.CategoryID, l.Months)
		}
		for _, l := range b.Groups {
			keep(l.GroupID, l.Months)
		}
		ms = ms[n:]
	}
	return out, nil
}

// setBudgetAmounts puts months' amounts back, restoreWorkers at a time:
// groups first, since setting a group's amount spreads it over its
// categories, whose own amounts are then put back after it.
func setBudgetAmounts(ctx context.Context, d *deps, items []setItem) map[string]error {
	errs := map[string]error{}
	var mu sync.Mutex
	fail := func(id string, err error) {
		mu.Lock()
		errs[id] = err
		mu.Unlock()
	}
	groups := map[string]bool{}
	if len(items) > 0 {
		_, m, err := parseBudgetID(items[0].id)
		if err == nil {
			var b monarch.Budgets
			if b, err = d.c.GetBudgets(ctx, m.Format(dateLayout), m.Format(dateLayout)); err == nil {
				for _, g := range b.Groups {
					groups[g.GroupID] = true
				}
			}
		}
		if err != nil {
			for _, it := range items {
				errs[it.id] = err
			}
			return errs
		}
	}
	isGroup := func(it setItem) bool {
		line, _, _ := strings.Cut(it.id, "|")
		return groups[line]
	}
	for _, phase := range [][]setItem{
		slices.DeleteFunc(slices.Clone(items), func(it setItem) bool { return !isGroup(it) }),
		slices.DeleteFunc(slices.Clone(items), isGroup),
	} {
		var wg sync.WaitGroup
		sem := make(chan struct{}, restoreWorkers)
		for _, it := range phase {
			amount, ok := vFloat(it.v, budgetAmount)
			if !ok {
				continue
			}
			line, m, err := parseBudgetID(it.id)
			if err != nil {
				fail(it.id, err)
				continue
			}
			u := monarch.BudgetUpdate{CategoryID: line, Month: m.Format(dateLayout), Amount: amount}
			if groups[line] {
				u.CategoryID, u.GroupID = "", line
			}
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				if err := d.c.SetBudgetAmount(ctx, u); err != nil {
					fail(it.id, err)
				}
			})
		}
		wg.Wait()
	}
	return errs
}
