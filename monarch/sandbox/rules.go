package sandbox

import (
	"math"
	"slices"
	"strings"
	"time"
)

// rule is a transaction rule: criteria and actions, as Monarch's
// TransactionRuleV2.
type rule struct {
	id          string
	order       int
	useOriginal bool // merchant criteria match the original statement
	merchant    []textCrit
	amount      *amountCrit
	catIDs      []string
	acctIDs     []string
	setMerchant *merchant
	setCat      *category
	addTags     []*tag
	hide        bool
	review      string // "" | reviewed | needs_review
	applied     int    // recentApplicationCount
	lastApplied *time.Time
}

type textCrit struct{ op, value string }

type amountCrit struct {
	op                  string // equals | between
	isExpense           bool
	value, lower, upper *float64
}

// seedRules gives the household two rules, as a user who has used Monarch
// for a while would have.
func (st *state) seedRules() {
	st.rules = append(st.rules,
		&rule{id: st.newID(kindRule), order: 0, merchant: []textCrit{{"contains", "starbucks"}}, setCat: st.catByName["Coffee Shops"], applied: 3},
		&rule{id: st.newID(kindRule), order: 1, merchant: []textCrit{{"contains", "amazon"}}, setCat: st.catByName["Shopping"],
			review: "needs_review", amount: &amountCrit{op: "between", isExpense: true, lower: ptr(100), upper: ptr(10000)}},
	)
}

func (s *Sandbox) ruleByID(id string) *rule {
	for _, r := range s.st.rules {
		if r.id == id {
			return r
		}
	}
	return nil
}

func (s *Sandbox) renderRule(r *rule) obj {
	crit := make([]obj, 0, len(r.merchant))
	for _, c := range r.merchant {
		crit = append(crit, obj{"operator": c.op, "value": c.value, "__typename": "MerchantCriterion"})
	}
	var amount any
	if a := r.amount; a != nil {
		var rng any
		if a.op == "between" {
			rng = obj{"lower": nullable(a.lower), "upper": nullable(a.upper), "__typename": "AmountCriterionValueRange"}
		}
		amount = obj{"operator": a.op, "isExpense": a.isExpense, "value": nullable(a.value), "valueRange": rng, "__typename": "AmountCriterion"}
	}
	cats := []obj{}
	for _, id := range r.catIDs {
		if c := s.st.catByID[id]; c != nil {
			cats = append(cats, obj{"id": c.id, "name": c.name, "icon": c.icon, "__typename": "Category"})
		}
	}
	accts := []obj{}
	for _, id := range r.acctIDs {
		if a := s.st.accByID[id]; a != nil {
			accts = append(accts, obj{"id": a.id, "displayName": a.name, "icon": a.subtype, "logoUrl": nil, "__typename": "Account"})
		}
	}
	var setMerchant, setCat, review, last any
	if r.setMerchant != nil {
		setMerchant = obj{"id": r.setMerchant.id, "name": r.setMerchant.name, "__typename": "Merchant"}
	}
	if r.setCat != nil {
		setCat = obj{"id": r.setCat.id, "name": r.setCat.name, "icon": r.setCat.icon, "__typename": "Category"}
	}
	var tags any
	if len(r.addTags) > 0 {
		ts := []obj{}
		for _, t := range r.addTags {
			ts = append(ts, obj{"id": t.id, "name": t.name, "color": t.color, "__typename": "TransactionTag"})
		}
		tags = ts
	}
	if r.review != "" {
		review = r.review
	}
	if r.lastApplied != nil {
		last = r.lastApplied.Format(isoTime)
	}
	return obj{
		"id": r.id, "order": r.order, "merchantCriteriaUseOriginalStatement": r.useOriginal,
		"merchantCriteria": crit, "originalStatementCriteria": nil, "merchantNameCriteria": nil,
		"amountCriteria": amount, "categoryIds": nonNilStrs(r.catIDs), "accountIds": nonNilStrs(r.acctIDs),
		"categories": cats, "accounts": accts,
		"setMerchantAction": setMerchant, "setCategoryAction": setCat, "addTagsAction": tags,
		"setHideFromReportsAction": r.hide, "reviewStatusAction": review,
		"recentApplicationCount": r.applied, "lastAppliedAt": last,
		"__typename": "TransactionRuleV2",
	}
}

func nonNilStrs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func opTransactionRules(s *Sandbox, _ vars) (any, error) {
	rules := slices.Clone(s.st.rules)
	slices.SortStableFunc(rules, func(a, b *rule) int { return a.order - b.order })
	out := make([]obj, 0, len(rules))
	for _, r := range rules {
		out = append(out, s.renderRule(r))
	}
	return obj{"transactionRules": out}, nil
}

// ruleFromInput fills r from a Create/UpdateTransactionRuleInput, or
// returns a payload error (field, message) without changing r.
func (s *Sandbox) ruleFromInput(in vars, r *rule) (field, msg string) {
	next := *r
	next.merchant = nil
	if xs, ok := in["merchantCriteria"].([]any); ok {
		for _, x := range xs {
			c := vars(asMap(x))
			op, val := c.str("operator"), strings.TrimSpace(c.str("value"))
			if (op != "contains" && op != "equals") || val == "" {
				return "merchantCriteria", "Each merchant criterion needs an operator (contains or equals) and a value."
			}
			// Monarch lowercases merchant criterion values when saving.
			next.merchant = append(next.merchant, textCrit{op, strings.ToLower(val)})
		}
	}
	next.useOriginal = in.boolp("merchantCriteriaUseOriginalStatement") != nil && *in.boolp("merchantCriteriaUseOriginalStatement")
	next.amount = nil
	if in.has("amountCriteria") {
		a := in.obj("amountCriteria")
		ac := &amountCrit{op: a.str("operator"), isExpense: a.boolp("isExpense") != nil && *a.boolp("isExpense")}
		if v, ok := a.num("value"); ok {
			ac.value = ptr(v)
		}
		rg := a.obj("valueRange")
		if v, ok := rg.num("lower"); ok {
			ac.lower = ptr(v)
		}
		if v, ok := rg.num("upper"); ok {
			ac.upper = ptr(v)
		}
		switch {
		case ac.op == "equals" && ac.value != nil:
		case ac.op == "between" && ac.lower != nil && ac.upper != nil && *ac.lower <= *ac.upper:
		default:
			return "amountCriteria", "Amount criteria need operator equals with a value, or between with a valueRange (lower <= upper)."
		}
		next.amount = ac
	}
	next.catIDs, next.acctIDs = in.strs("categoryIds"), in.strs("accountIds")
	for _, id := range next.catIDs {
		if s.st.catByID[id] == nil {
			return "categoryIds", "Category not found: " + id
		}
	}
	for _, id := range next.acctIDs {
		if s.st.accByID[id] == nil {
			return "accountIds", "Account not found: " + id
		}
	}
	next.setMerchant, next.setCat, next.addTags, next.review = nil, nil, nil, ""
	// The merchant is created only once the rule is accepted (below): a
	// refused rule must leave no merchant behind.
	setMerchant := strings.TrimSpace(in.str("setMerchantAction"))
	if setMerchant != "" {
		next.setMerchant = &merchant{} // placeholder for the action check
	}
	if id := in.str("setCategoryAction"); id != "" {
		if next.setCat = s.st.catByID[id]; next.setCat == nil {
			return "setCategoryAction", "Category not found: " + id
		}
	}
	for _, id := range in.strs("addTagsAction") {
		t := s.st.tagByID[id]
		if t == nil {
			return "addTagsAction", "Tag not found: " + id
		}
		next.addTags = append(next.addTags, t)
	}
	next.hide = in.boolp("setHideFromReportsAction") != nil && *in.boolp("setHideFromReportsAction")
	switch rs := in.str("reviewStatusAction"); rs {
	case "", "reviewed", "needs_review":
		next.review = rs
	default:
		return "reviewStatusAction", "Unknown review status: " + rs
	}
	if len(next.merchant) == 0 && next.amount == nil && len(next.catIDs) == 0 && len(next.acctIDs) == 0 {
		return "merchantCriteria", "A rule needs at least one criterion."
	}
	if next.setMerchant == nil && next.setCat == nil && len(next.addTags) == 0 && !next.hide && next.review == "" {
		return "setCategoryAction", "A rule needs at least one action."
	}
	if setMerchant != "" {
		next.setMerchant = s.st.merchant(setMerchant)
	}
	*r = next
	return "", ""
}

func asMap(x any) map[string]any {
	m, _ := x.(map[string]any)
	return m
}

// matches reports whether t meets r's criteria.
func (r *rule) matches(t *txn) bool {
	for _, c := range r.merchant {
		text := strings.ToLower(t.merch.name)
		if r.useOriginal {
			text = strings.ToLower(t.plaidName)
		}
		if c.op == "contains" && !strings.Contains(text, c.value) || c.op == "equals" && text != c.value {
			return false
		}
	}
	if a := r.amount; a != nil {
		if a.isExpense != (t.amount < 0) {
			return false
		}
		v := math.Abs(t.amount)
		if a.op == "equals" && round2(v) != round2(*a.value) || a.op == "between" && (v < *a.lower || v > *a.upper) {
			return false
		}
	}
	if len(r.catIDs) > 0 && !slices.Contains(r.catIDs, t.cat.id) || len(r.acctIDs) > 0 && !slices.Contains(r.acctIDs, t.acct.id) {
		return false
	}
	return true
}

// apply runs r's actions on every matching transaction.
func (s *Sandbox) apply(r *rule) {
	now := s.now()
	for _, t := range s.st.txns {
		if !r.matches(t) {
			continue
		}
		if r.setMerchant != nil {
			t.merch = r.setMerchant
		}
		if r.setCat != nil {
			t.cat = r.setCat
		}
		for _, tg := range r.addTags {
			if !slices.Contains(t.tags, tg) {
				t.tags = append(t.tags, tg)
			}
		}
		if r.hide {
			t.hidden = true
		}
		switch r.review {
		case "reviewed":
			t.review, t.reviewedAt = false, &now
		case "needs_review":
			t.review, t.reviewedAt = true, nil
		}
		t.updatedAt = now
		r.applied++
		r.lastApplied = &now
	}
}

func rulePayload(root, typename string, r obj, field, msg, code string) obj {
	p := obj{"transactionRule": r, "errors": nil, "__typename": typename}
	if msg != "" {
		p["errors"] = payloadError(msg, code, field)
	}
	return obj{root: p}
}

func opCreateTransactionRule(s *Sandbox, v vars) (any, error) {
	const root, typ = "createTransactionRuleV2", "CreateTransactionRuleV2Mutation"
	in := v.obj("input")
	r := &rule{order: len(s.st.rules)}
	if field, msg := s.ruleFromInput(in, r); msg != "" {
		return rulePayload(root, typ, nil, field, msg, "BAD_USER_INPUT"), nil
	}
	r.id = s.st.newID(kindRule)
	s.st.rules = append(s.st.rules, r)
	if b := in.boolp("applyToExistingTransactions"); b != nil && *b {
		s.apply(r)
	}
	return rulePayload(root, typ, s.renderRule(r), "", "", ""), nil
}

func opUpdateTransactionRule(s *Sandbox, v vars) (any, error) {
	const root, typ = "updateTransactionRuleV2", "UpdateTransactionRuleV2Mutation"
	in := v.obj("input")
	r := s.ruleByID(in.str("id"))
	if r == nil {
		return rulePayload(root, typ, nil, "id", "Transaction rule not found.", "NOT_FOUND"), nil
	}
	if field, msg := s.ruleFromInput(in, r); msg != "" {
		return rulePayload(root, typ, nil, field, msg, "BAD_USER_INPUT"), nil
	}
	if b := in.boolp("applyToExistingTransactions"); b != nil && *b {
		s.apply(r)
	}
	return rulePayload(root, typ, s.renderRule(r), "", "", ""), nil
}

func opDeleteTransactionRule(s *Sandbox, v vars) (any, error) {
	id := v.str("id")
	i := slices.IndexFunc(s.st.rules, func(r *rule) bool { return r.id == id })
	if i < 0 {
		return obj{"deleteTransactionRule": obj{
			"deleted": false, "errors": payloadError("Transaction rule not found.", "NOT_FOUND", "id"), "__typename": "DeleteTransactionRule",
		}}, nil
	}
	s.st.rules = slices.Delete(s.st.rules, i, i+1)
	// Later rules move up, as in Monarch's list.
	for j, r := range s.st.rules {
		r.order = j
	}
	return obj{"deleteTransactionRule": obj{"deleted": true, "errors": nil, "__typename": "DeleteTransactionRule"}}, nil
}
