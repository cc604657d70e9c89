package sandbox

import (
	"fmt"
	"math"
	"strings"
)

// split is one part of a split transaction. The sandbox keeps parts on
// their transaction instead of listing them as transactions of their own
// (as Monarch does), so that totals, budgets and balance history never
// count an amount twice.
type split struct {
	id     string
	amount float64
	merch  *merchant
	cat    *category
	notes  string
}

func (s *Sandbox) renderSplits(t *txn) []obj {
	out := make([]obj, 0, len(t.splits))
	for _, p := range t.splits {
		out = append(out, obj{
			"id": p.id, "amount": p.amount, "notes": p.notes,
			"merchant":   obj{"id": p.merch.id, "name": p.merch.name, "__typename": "Merchant"},
			"category":   renderCategoryRef(p.cat),
			"__typename": "Transaction",
		})
	}
	return out
}

func opTransactionSplits(s *Sandbox, v vars) (any, error) {
	t := s.st.txns[v.str("id")]
	if t == nil {
		return nil, &requestError{"Transaction matching query does not exist.", "NOT_FOUND"}
	}
	return obj{"getTransaction": s.renderTxn(t, s.merchantCounts())}, nil
}

// opSplitTransaction replaces a transaction's parts. Like Monarch it refuses
// parts that do not add up to the transaction's amount; an empty splitData
// removes the split.
func opSplitTransaction(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, code, field string) (any, error) {
		return obj{"updateTransactionSplit": obj{
			"transaction": nil, "errors": payloadError(msg, code, field), "__typename": "UpdateTransactionSplitMutation",
		}}, nil
	}
	t := s.st.txns[in.str("transactionId")]
	if t == nil {
		return fail("Transaction not found.", "NOT_FOUND", "transactionId")
	}
	raw, _ := in["splitData"].([]any)
	type part struct {
		amount float64
		name   string
		cat    *category
		notes  string
	}
	parts := make([]part, 0, len(raw))
	var cents int64
	for i, r := range raw {
		m, _ := r.(map[string]any)
		p := vars(m)
		amount, ok := p.num("amount")
		if !ok || math.IsNaN(amount) || math.IsInf(amount, 0) || amount == 0 {
			return fail(fmt.Sprintf("Split %d: enter a valid amount.", i+1), "BAD_USER_INPUT", "splitData")
		}
		cat := s.st.catByID[p.str("categoryId")]
		if cat == nil {
			return fail(fmt.Sprintf("Split %d: category not found.", i+1), "BAD_USER_INPUT", "splitData")
		}
		name := strings.TrimSpace(p.str("merchantName"))
		if name == "" {
			name = t.merch.name
		}
		parts = append(parts, part{round2(amount), name, cat, p.str("notes")})
		cents += int64(math.Round(amount * 100))
	}
	if len(parts) == 1 {
		return fail("A split needs at least two parts.", "BAD_USER_INPUT", "splitData")
	}
	if len(parts) > 0 && cents != int64(math.Round(t.amount*100)) {
		return fail(fmt.Sprintf("The splits add up to %.2f, not the transaction's amount %.2f.", float64(cents)/100, t.amount),
			"BAD_USER_INPUT", "splitData")
	}
	t.splits = nil
	for _, p := range parts {
		t.splits = append(t.splits, &split{id: s.st.newID(kindSplit), amount: p.amount, merch: s.st.merchant(p.name), cat: p.cat, notes: p.notes})
	}
	t.updatedAt = s.now()
	return obj{"updateTransactionSplit": obj{
		"transaction": s.renderTxn(t, s.merchantCounts()), "errors": nil, "__typename": "UpdateTransactionSplitMutation",
	}}, nil
}
