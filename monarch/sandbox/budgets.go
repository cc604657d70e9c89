package sandbox

import (
	"sort"
	"strings"
	"time"
)

// maxMonths bounds a budget query's range.
const maxMonths = 36

// months lists the first days of the months from start's to end's.
func months(start, end time.Time) ([]time.Time, error) {
	first := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	var out []time.Time
	for m := first; !m.After(end); m = m.AddDate(0, 1, 0) {
		if len(out) == maxMonths {
			return nil, &requestError{"The date range is too long.", "BAD_USER_INPUT"}
		}
		out = append(out, m)
	}
	return out, nil
}

// planned is the category's budget for month (YYYY-MM-01).
func (st *state) planned(c *category, month string) float64 {
	if v, ok := st.budgets[month+"|"+c.id]; ok {
		return v
	}
	return c.planned
}

// amounts is one BudgetMonthlyAmounts entry.
func amounts(month string, planned, actual float64) obj {
	return obj{
		"month": month, "plannedCashFlowAmount": round2(planned), "plannedSetAsideAmount": 0.0,
		"actualAmount": round2(actual), "remainingAmount": round2(planned - actual),
		"previousMonthRolloverAmount": nil, "rolloverType": nil, "cumulativeActualAmount": 0.0, "rolloverTargetAmount": nil,
		"__typename": "BudgetMonthlyAmounts",
	}
}

func total(planned, actual float64) obj {
	return obj{
		"plannedAmount": round2(planned), "actualAmount": round2(actual), "remainingAmount": round2(planned - actual),
		"previousMonthRolloverAmount": 0.0, "__typename": "BudgetTotals",
	}
}

// opBudgets answers budgetData for the months between startDate and endDate.
// Amounts are positive for both income and spending, as Monarch shows them.
func opBudgets(s *Sandbox, v vars) (any, error) {
	start, end, err := requiredRange(v)
	if err != nil {
		return nil, err
	}
	ms, err := months(start, end)
	if err != nil {
		return nil, err
	}

	// actual[month][category] from the transactions.
	actual := map[string]map[*category]float64{}
	for _, t := range s.st.txns {
		if t.hidden || t.cat.group.typ == "transfer" {
			continue
		}
		m := t.date[:8] + "01"
		if actual[m] == nil {
			actual[m] = map[*category]float64{}
		}
		if t.cat.group.typ == "income" {
			actual[m][t.cat] += t.amount
		} else {
			actual[m][t.cat] -= t.amount
		}
	}

	byCat, byGroup, totals := []obj{}, []obj{}, []obj{}
	type sums struct{ planned, actual float64 }
	groupSums := map[*catGroup][]sums{}
	flex := make([]sums, len(ms))
	for _, c := range s.st.cats {
		if c.group.typ == "transfer" {
			continue
		}
		var list []obj
		if groupSums[c.group] == nil {
			groupSums[c.group] = make([]sums, len(ms))
		}
		for i, m := range ms {
			key := m.Format(isoDate)
			p, a := s.st.planned(c, key), actual[key][c]
			list = append(list, amounts(key, p, a))
			groupSums[c.group][i].planned += p
			groupSums[c.group][i].actual += a
			if c.group.variability == "flexible" {
				flex[i].planned += p
				flex[i].actual += a
			}
		}
		byCat = append(byCat, obj{
			"category": obj{"id": c.id, "__typename": "Category"}, "monthlyAmounts": list,
			"__typename": "BudgetCategoryMonthlyAmounts",
		})
	}
	for _, g := range s.st.groups {
		gs := groupSums[g]
		if gs == nil {
			continue
		}
		var list []obj
		for i, m := range ms {
			list = append(list, amounts(m.Format(isoDate), gs[i].planned, gs[i].actual))
		}
		byGroup = append(byGroup, obj{
			"categoryGroup": obj{"id": g.id, "__typename": "CategoryGroup"}, "monthlyAmounts": list,
			"__typename": "BudgetCategoryGroupMonthlyAmounts",
		})
	}
	var flexList []obj
	for i, m := range ms {
		flexList = append(flexList, amounts(m.Format(isoDate), flex[i].planned, flex[i].actual))
		var inc, exp, fixed, nonMonthly, flexible sums
		for g, gs := range groupSums {
			x := gs[i]
			switch {
			case g.typ == "income":
				inc.planned += x.planned
				inc.actual += x.actual
				continue
			case g.variability == "fixed":
				fixed.planned += x.planned
				fixed.actual += x.actual
			case g.variability == "non_monthly":
				nonMonthly.planned += x.planned
				nonMonthly.actual += x.actual
			default:
				flexible.planned += x.planned
				flexible.actual += x.actual
			}
			exp.planned += x.planned
			exp.actual += x.actual
		}
		totals = append(totals, obj{
			"month": m.Format(isoDate), "totalIncome": total(inc.planned, inc.actual),
			"totalExpenses": total(exp.planned, exp.actual), "totalFixedExpenses": total(fixed.planned, fixed.actual),
			"totalNonMonthlyExpenses": total(nonMonthly.planned, nonMonthly.actual),
			"totalFlexibleExpenses":   total(flexible.planned, flexible.actual),
			"__typename":              "BudgetTotalsByMonth",
		})
	}
	return obj{
		"budgetSystem": "fixed_and_flex",
		"budgetData": obj{
			"monthlyAmountsByCategory":      byCat,
			"monthlyAmountsByCategoryGroup": byGroup,
			"monthlyAmountsForFlexExpense": obj{
				"budgetVariability": "flexible", "monthlyAmounts": flexList, "__typename": "BudgetFlexMonthlyAmounts",
			},
			"totalsByMonth": totals,
			"__typename":    "BudgetData",
		},
		"categoryGroups": s.renderGroups(),
		"goalsV2":        []obj{},
	}, nil
}

// opUpdateBudgetItem sets a category's (or each category of a group's)
// budget for a month, and optionally the months after it that the sandbox
// can be asked about.
func opUpdateBudgetItem(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	start, err := parseDate(in.str("startDate"), time.Time{})
	if err != nil || start.IsZero() {
		return nil, &requestError{"Variable \"input.startDate\" must be a date (YYYY-MM-DD).", "BAD_USER_INPUT"}
	}
	amount, ok := in.num("amount")
	if !ok {
		return nil, &requestError{"Variable \"input.amount\" must be a number.", "BAD_USER_INPUT"}
	}
	var cats []*category
	if id := in.str("categoryId"); id != "" {
		c := s.st.catByID[id]
		if c == nil {
			return nil, &requestError{"Category matching query does not exist.", "NOT_FOUND"}
		}
		cats = append(cats, c)
	} else if id := in.str("categoryGroupId"); id != "" {
		for _, c := range s.st.cats {
			if c.group.id == id {
				cats = append(cats, c)
			}
		}
		if len(cats) == 0 {
			return nil, &requestError{"CategoryGroup matching query does not exist.", "NOT_FOUND"}
		}
	} else {
		return nil, &requestError{"Either categoryId or categoryGroupId is required.", "BAD_USER_INPUT"}
	}
	month := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := month
	if b := in.boolp("applyToFuture"); b != nil && *b {
		last = s.st.today.AddDate(maxMonths/12, 0, 0)
	}
	share := amount / float64(len(cats))
	for m := month; !m.After(last); m = m.AddDate(0, 1, 0) {
		for _, c := range cats {
			s.st.budgets[m.Format(isoDate)+"|"+c.id] = round2(share)
		}
	}
	return obj{"updateOrCreateBudgetItem": obj{
		"budgetItem": obj{"id": s.st.newID(kindCategory), "budgetAmount": round2(amount), "__typename": "BudgetItem"},
		"__typename": "UpdateOrCreateBudgetItemMutation",
	}}, nil
}

// opCashflow answers all four aggregates of Web_GetCashFlowPage (the
// summary-only variant shares the operation name and reads a subset).
// Grouped lists leave out transfers and transactions hidden from reports,
// as Monarch's cash flow page does; largest amounts first.
func opCashflow(s *Sandbox, v vars) (any, error) {
	ts, err := s.filtered(v.obj("filters"))
	if err != nil {
		return nil, err
	}
	byCat := map[*category][]*txn{}
	byGroup := map[*catGroup][]*txn{}
	byMerch := map[*merchant][]*txn{}
	for _, t := range ts {
		if t.hidden || t.cat.group.typ == "transfer" {
			continue
		}
		byCat[t.cat] = append(byCat[t.cat], t)
		byGroup[t.cat.group] = append(byGroup[t.cat.group], t)
		byMerch[t.merch] = append(byMerch[t.merch], t)
	}
	cats := []obj{}
	for c, list := range byCat {
		cats = append(cats, obj{"groupBy": obj{"category": renderCategoryRef(c), "__typename": "AggregateGroupBy"}, "summary": summarize(list), "__typename": "AggregateData"})
	}
	groups := []obj{}
	for g, list := range byGroup {
		groups = append(groups, obj{
			"groupBy": obj{"categoryGroup": obj{"id": g.id, "name": g.name, "type": g.typ, "__typename": "CategoryGroup"}, "__typename": "AggregateGroupBy"},
			"summary": summarize(list), "__typename": "AggregateData",
		})
	}
	merchs := []obj{}
	for m, list := range byMerch {
		merchs = append(merchs, obj{
			"groupBy": obj{"merchant": obj{"id": m.id, "name": m.name, "logoUrl": nil, "__typename": "Merchant"}, "__typename": "AggregateGroupBy"},
			"summary": summarize(list), "__typename": "AggregateData",
		})
	}
	bySize := func(xs []obj) {
		sort.Slice(xs, func(i, j int) bool {
			a, b := xs[i]["summary"].(obj)["sum"].(float64), xs[j]["summary"].(obj)["sum"].(float64)
			if abs(a) != abs(b) {
				return abs(a) > abs(b)
			}
			return strings.Compare(groupKey(xs[i]), groupKey(xs[j])) < 0
		})
	}
	bySize(cats)
	bySize(groups)
	bySize(merchs)
	return obj{
		"byCategory":      cats,
		"byCategoryGroup": groups,
		"byMerchant":      merchs,
		"summary":         []obj{{"summary": summarize(ts), "__typename": "AggregateData"}},
	}, nil
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// groupKey is a stable tie-breaker for grouped aggregates.
func groupKey(x obj) string {
	for _, v := range x["groupBy"].(obj) {
		if o, ok := v.(obj); ok {
			return o["id"].(string)
		}
	}
	return ""
}

// maxRecurringDays bounds a recurring items query's range.
const maxRecurringDays = 2 * 366

// opRecurringItems answers recurringTransactionItems: each occurrence of
// each recurring stream between startDate and endDate, with the transaction
// that paid it when there is one.
func opRecurringItems(s *Sandbox, v vars) (any, error) {
	start, end, err := requiredRange(v)
	if err != nil {
		return nil, err
	}
	if end.Sub(start) > maxRecurringDays*24*time.Hour {
		return nil, &requestError{"The date range is too long.", "BAD_USER_INPUT"}
	}
	paid := map[string]*txn{} // stream merchant id + date → transaction
	for _, t := range s.st.txns {
		paid[t.merch.id+"|"+t.acct.id+"|"+t.date] = t
	}
	items := []obj{}
	for day := start; !day.After(end); day = day.AddDate(0, 0, 1) {
		for _, st := range s.st.streams {
			if st.inactive || st.review == "ignored" || !st.occursOn(day) {
				continue
			}
			d := day.Format(isoDate)
			var txID, diff any
			amount := st.amount
			if t := paid[st.merch.id+"|"+st.acct.id+"|"+d]; t != nil {
				txID, amount, diff = t.id, t.amount, round2(t.amount-st.amount)
			}
			items = append(items, obj{
				"stream": obj{
					"id": st.id, "frequency": st.frequency, "amount": st.amount, "isApproximate": st.approx,
					"merchant":   obj{"id": st.merch.id, "name": st.merch.name, "logoUrl": nil, "__typename": "Merchant"},
					"__typename": "RecurringTransactionStream",
				},
				"date": d, "isPast": day.Before(s.st.today), "transactionId": txID, "amount": amount, "amountDiff": diff,
				"category":   obj{"id": st.cat.id, "name": st.cat.name, "icon": st.cat.icon, "__typename": "Category"},
				"account":    obj{"id": st.acct.id, "displayName": st.acct.name, "logoUrl": nil, "__typename": "Account"},
				"__typename": "RecurringTransactionCalendarItem",
			})
		}
	}
	return obj{"recurringTransactionItems": items}, nil
}

// requiredRange reads the startDate and endDate variables, both required.
func requiredRange(v vars) (start, end time.Time, err error) {
	if start, err = parseDate(v.str("startDate"), time.Time{}); err != nil {
		return start, end, err
	}
	if end, err = parseDate(v.str("endDate"), time.Time{}); err != nil {
		return start, end, err
	}
	if start.IsZero() || end.IsZero() {
		return start, end, &requestError{"Variables startDate and endDate are required.", "BAD_USER_INPUT"}
	}
	return start, end, nil
}
