package sandbox

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// parseDate parses YYYY-MM-DD; "" gives def.
func parseDate(s string, def time.Time) (time.Time, error) {
	if s == "" {
		return def, nil
	}
	d, err := time.Parse(isoDate, s)
	if err != nil {
		return time.Time{}, &requestError{"Variable has an invalid value: \"" + s + "\" is not a valid date (YYYY-MM-DD).", "BAD_USER_INPUT"}
	}
	return d, nil
}

// txnFilter is a TransactionFilterInput.
type txnFilter struct {
	search                                              string
	start, end                                          string // inclusive, YYYY-MM-DD; "" = open
	accounts, categories, tags, merchants, ids          []string
	hasNotes, recurring, pending, review, hidden, split *bool
	attached                                            *bool
	absGte, absLte                                      *float64
}

func newTxnFilter(f vars) (*txnFilter, error) {
	out := &txnFilter{
		search: strings.ToLower(strings.TrimSpace(f.str("search"))), accounts: f.strs("accounts"),
		categories: f.strs("categories"), tags: f.strs("tags"), merchants: f.strs("merchants"), ids: f.strs("ids"),
		hasNotes: f.boolp("hasNotes"), recurring: f.boolp("isRecurring"), pending: f.boolp("isPending"),
		review: f.boolp("needsReview"), hidden: f.boolp("hideFromReports"), split: f.boolp("isSplit"),
		attached: f.boolp("hasAttachments"),
	}
	if v, ok := f.num("absAmountGte"); ok {
		out.absGte = &v
	}
	if v, ok := f.num("absAmountLte"); ok {
		out.absLte = &v
	}
	for _, d := range []struct {
		name string
		dst  *string
	}{{"startDate", &out.start}, {"endDate", &out.end}} {
		t, err := parseDate(f.str(d.name), time.Time{})
		if err != nil {
			return nil, err
		}
		if !t.IsZero() {
			*d.dst = t.Format(isoDate)
		}
	}
	return out, nil
}

func boolMatch(want *bool, got bool) bool { return want == nil || *want == got }

func (f *txnFilter) match(t *txn) bool {
	if f.start != "" && t.date < f.start || f.end != "" && t.date > f.end {
		return false
	}
	if len(f.accounts) > 0 && !slices.Contains(f.accounts, t.acct.id) ||
		len(f.categories) > 0 && !slices.Contains(f.categories, t.cat.id) ||
		len(f.merchants) > 0 && !slices.Contains(f.merchants, t.merch.id) ||
		len(f.ids) > 0 && !slices.Contains(f.ids, t.id) {
		return false
	}
	if len(f.tags) > 0 && !slices.ContainsFunc(t.tags, func(tg *tag) bool { return slices.Contains(f.tags, tg.id) }) {
		return false
	}
	if !boolMatch(f.hasNotes, t.notes != "") || !boolMatch(f.recurring, t.recurring) || !boolMatch(f.pending, t.pending) ||
		!boolMatch(f.review, t.review) || !boolMatch(f.hidden, t.hidden) || !boolMatch(f.attached, len(t.attachments) > 0) {
		return false
	}
	// The sandbox keeps split parts on their transaction, so the
	// transaction stands for its parts here.
	if !boolMatch(f.split, len(t.splits) > 0) {
		return false
	}
	if a := math.Abs(t.amount); f.absGte != nil && a < *f.absGte || f.absLte != nil && a > *f.absLte {
		return false
	}
	if f.search != "" {
		hay := strings.ToLower(t.merch.name + "\n" + t.plaidName + "\n" + t.notes)
		if !strings.Contains(hay, f.search) {
			return false
		}
	}
	return true
}

// filtered returns the transactions matching the filter, newest first.
func (s *Sandbox) filtered(f vars) ([]*txn, error) {
	return s.filteredBy(f, "date")
}

// filteredBy returns the transactions matching the filter in a
// TransactionOrdering: date (newest first), inverse_date, amount (highest
// signed amount first) or inverse_amount; ties keep the newest first.
func (s *Sandbox) filteredBy(f vars, order string) ([]*txn, error) {
	flt, err := newTxnFilter(f)
	if err != nil {
		return nil, err
	}
	var out []*txn
	for _, t := range s.st.sortedTxns() {
		if flt.match(t) {
			out = append(out, t)
		}
	}
	switch order {
	case "", "date":
	case "inverse_date":
		slices.Reverse(out)
	case "amount":
		slices.SortStableFunc(out, func(a, b *txn) int { return cmp.Compare(b.amount, a.amount) })
	case "inverse_amount":
		slices.SortStableFunc(out, func(a, b *txn) int { return cmp.Compare(a.amount, b.amount) })
	default:
		return nil, &requestError{"Variable \"$orderBy\" got invalid value \"" + order + "\"; Value \"" + order + "\" does not exist in \"TransactionOrdering\" enum.", "BAD_USER_INPUT"}
	}
	return out, nil
}

// merchantCounts counts transactions per merchant.
func (s *Sandbox) merchantCounts() map[*merchant]int {
	n := map[*merchant]int{}
	for _, t := range s.st.txns {
		n[t.merch]++
	}
	return n
}

func renderCategoryRef(c *category) obj {
	return obj{
		"id": c.id, "name": c.name, "icon": c.icon, "__typename": "Category",
		"group": obj{"id": c.group.id, "name": c.group.name, "type": c.group.typ, "__typename": "CategoryGroup"},
	}
}

func renderTag(t *tag, count int) obj {
	return obj{"id": t.id, "name": t.name, "color": t.color, "order": t.order, "transactionCount": count, "__typename": "TransactionTag"}
}

func (s *Sandbox) renderTxn(t *txn, counts map[*merchant]int) obj {
	tags := make([]obj, 0, len(t.tags))
	for _, tg := range t.tags {
		tags = append(tags, renderTag(tg, 0))
	}
	var reviewedAt, reviewedBy any
	reviewStatus := any(nil)
	if t.review {
		reviewStatus = "needs_review"
	}
	if t.reviewedAt != nil {
		reviewedAt = t.reviewedAt.Format(isoTime)
		reviewedBy = obj{"id": demoUserID, "name": demoUserName, "__typename": "User"}
		reviewStatus = "reviewed"
	}
	var goal any
	if t.goalID != "" {
		goal = obj{"id": t.goalID, "__typename": "GoalV2"}
	}
	var stream any
	for _, st := range s.st.streams {
		if st.merch == t.merch {
			stream = obj{"id": st.id, "frequency": st.frequency, "amount": st.amount, "__typename": "RecurringTransactionStream"}
		}
	}
	return obj{
		"id": t.id, "amount": t.amount, "pending": t.pending, "date": t.date, "originalDate": t.date,
		"hideFromReports": t.hidden, "plaidName": t.plaidName, "dataProviderDescription": t.plaidName,
		"notes": t.notes, "isRecurring": t.recurring, "reviewStatus": reviewStatus, "needsReview": t.review,
		"reviewedAt": reviewedAt, "reviewedByUser": reviewedBy,
		"attachments": renderAttachments(t), "isSplitTransaction": false, "hasSplitTransactions": len(t.splits) > 0,
		"splitTransactions": s.renderSplits(t), "originalTransaction": nil, "isManual": t.manual,
		"createdAt": t.createdAt.Format(isoTime), "updatedAt": t.updatedAt.Format(isoTime),
		"ownedByUser": nil, "ownershipOverriddenAt": nil, "goal": goal,
		"category": renderCategoryRef(t.cat),
		"merchant": obj{
			"id": t.merch.id, "name": t.merch.name, "logoUrl": nil,
			"transactionsCount": counts[t.merch], "transactionCount": counts[t.merch],
			"recurringTransactionStream": stream, "__typename": "Merchant",
		},
		"account": obj{
			"id": t.acct.id, "displayName": t.acct.name, "mask": t.acct.mask, "logoUrl": nil, "icon": t.acct.subtype,
			"subtype":    obj{"name": t.acct.subtype, "display": t.acct.subtypeDisplay, "__typename": "AccountSubtypeOption"},
			"__typename": "Account",
		},
		"tags":       tags,
		"__typename": "Transaction",
	}
}

// transactionPage answers allTransactions(filters){totalCount results(offset, limit)}.
func (s *Sandbox) transactionPage(filters vars, order string, offset, limit int) (obj, error) {
	all, err := s.filteredBy(filters, order)
	if err != nil {
		return nil, err
	}
	if offset < 0 || limit < 0 {
		return nil, &requestError{"offset and limit must not be negative.", "BAD_USER_INPUT"}
	}
	page := all[min(offset, len(all)):min(offset+limit, len(all))]
	counts := s.merchantCounts()
	results := make([]obj, 0, len(page))
	for _, t := range page {
		results = append(results, s.renderTxn(t, counts))
	}
	return obj{"totalCount": len(all), "results": results, "__typename": "TransactionList"}, nil
}

// defaultLimit is the page size when a query gives none.
const defaultLimit = 100

func opTransactionsList(s *Sandbox, v vars) (any, error) {
	page, err := s.transactionPage(v.obj("filters"), v.str("orderBy"), v.intOr("offset", 0), v.intOr("limit", defaultLimit))
	if err != nil {
		return nil, err
	}
	return obj{"allTransactions": page, "transactionRules": []obj{}}, nil
}

// summarize computes a TransactionsSummary over ts: count/sum/avg/max over
// all of them, income and expense over income- and expense-type categories
// (transfers count in neither), leaving out transactions hidden from reports.
func summarize(ts []*txn) obj {
	var count int
	var sum, income, expense float64
	maxAmt, maxExpense := math.Inf(-1), 0.0
	first, last := "", ""
	for _, t := range ts {
		if t.hidden {
			continue
		}
		count++
		sum += t.amount
		maxAmt = max(maxAmt, t.amount)
		switch t.cat.group.typ {
		case "income":
			income += t.amount
		case "expense":
			expense += t.amount
			maxExpense = min(maxExpense, t.amount)
		}
		if first == "" || t.date < first {
			first = t.date
		}
		if t.date > last {
			last = t.date
		}
	}
	out := obj{
		"count": count, "sum": round2(sum), "sumIncome": round2(income), "sumExpense": round2(expense),
		"avg": 0.0, "max": 0.0, "maxExpense": round2(maxExpense), "first": nil, "last": nil,
		"savings": round2(income + expense), "savingsRate": 0.0, "__typename": "TransactionsSummary",
	}
	if count > 0 {
		out["avg"], out["max"], out["first"], out["last"] = round2(sum/float64(count)), round2(maxAmt), first, last
	}
	if income > 0 {
		out["savingsRate"] = math.Round((income+expense)/income*10000) / 10000
	}
	return out
}

func opTransactionsSummary(s *Sandbox, v vars) (any, error) {
	ts, err := s.filtered(v.obj("filters"))
	if err != nil {
		return nil, err
	}
	// aggregates is a list: one element without groupBy.
	return obj{"aggregates": []obj{{"summary": summarize(ts), "__typename": "AggregateData"}}}, nil
}

func opTransactionDrawer(s *Sandbox, v vars) (any, error) {
	t := s.st.txns[v.str("id")]
	if t == nil {
		return nil, &requestError{"Transaction matching query does not exist.", "NOT_FOUND"}
	}
	return obj{"getTransaction": s.renderTxn(t, s.merchantCounts()), "myHousehold": obj{"users": []obj{}}}, nil
}

func opCreateTransaction(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, field string) (any, error) {
		return obj{"createTransaction": obj{
			"transaction": nil, "errors": payloadError(msg, "BAD_USER_INPUT", field), "__typename": "CreateTransactionMutation",
		}}, nil
	}
	a := s.st.accByID[in.str("accountId")]
	if a == nil {
		return fail("Account not found.", "accountId")
	}
	day, err := time.Parse(isoDate, in.str("date"))
	if err != nil {
		return fail("Enter a valid date.", "date")
	}
	amount, ok := in.num("amount")
	if !ok || math.IsNaN(amount) || math.IsInf(amount, 0) {
		return fail("Enter a valid amount.", "amount")
	}
	name := strings.TrimSpace(in.str("merchantName"))
	if name == "" {
		return fail("This field may not be blank.", "merchantName")
	}
	cat := s.st.catByID[in.str("categoryId")]
	if cat == nil {
		return fail("Category not found.", "categoryId")
	}
	now := s.now()
	t := &txn{
		id: s.st.newID(kindTxn), acct: a, date: day.Format(isoDate), amount: round2(amount),
		merch: s.st.merchant(name), cat: cat, notes: in.str("notes"), createdAt: now, updatedAt: now, manual: true,
	}
	s.st.txns[t.id] = t
	if b := in.boolp("shouldUpdateBalance"); b != nil && *b {
		a.balance = round2(a.balance + t.amount)
	}
	return obj{"createTransaction": obj{
		"transaction": s.renderTxn(t, s.merchantCounts()), "errors": nil, "__typename": "CreateTransactionMutation",
	}}, nil
}

func opUpdateTransaction(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, code, field string) (any, error) {
		return obj{"updateTransaction": obj{
			"transaction": nil, "errors": payloadError(msg, code, field), "__typename": "UpdateTransactionMutation",
		}}, nil
	}
	t := s.st.txns[in.str("id")]
	if t == nil {
		return fail("Transaction not found.", "NOT_FOUND", "id")
	}
	// Validate everything before changing anything.
	var cat *category
	if id := in.str("category"); id != "" {
		if cat = s.st.catByID[id]; cat == nil {
			return fail("Category not found.", "BAD_USER_INPUT", "category")
		}
	}
	var date string
	if in.has("date") {
		d, err := time.Parse(isoDate, in.str("date"))
		if err != nil {
			return fail("Enter a valid date.", "BAD_USER_INPUT", "date")
		}
		date = d.Format(isoDate)
	}
	amount, hasAmount := in.num("amount")
	if in.has("amount") && (!hasAmount || math.IsNaN(amount) || math.IsInf(amount, 0)) {
		return fail("Enter a valid amount.", "BAD_USER_INPUT", "amount")
	}

	if cat != nil {
		t.cat = cat
	}
	if name := strings.TrimSpace(in.str("name")); name != "" {
		t.merch = s.st.merchant(name)
	}
	if date != "" {
		t.date = date
	}
	if hasAmount {
		t.amount = round2(amount)
	}
	if in.has("notes") {
		t.notes = in.str("notes")
	}
	if in.has("goalId") {
		t.goalID = in.str("goalId")
	}
	if b := in.boolp("hideFromReports"); b != nil {
		t.hidden = *b
	}
	now := s.now()
	if b := in.boolp("needsReview"); b != nil {
		t.review = *b
		if *b {
			t.reviewedAt = nil
		}
	}
	if b := in.boolp("reviewed"); b != nil {
		if *b {
			t.review, t.reviewedAt = false, &now
		} else {
			t.reviewedAt = nil
		}
	}
	t.updatedAt = now
	return obj{"updateTransaction": obj{
		"transaction": s.renderTxn(t, s.merchantCounts()), "errors": nil, "__typename": "UpdateTransactionMutation",
	}}, nil
}

func opDeleteTransaction(s *Sandbox, v vars) (any, error) {
	id := v.obj("input").str("transactionId")
	if s.st.txns[id] == nil {
		return obj{"deleteTransaction": obj{
			"deleted": false, "errors": payloadError("Transaction not found.", "NOT_FOUND", "transactionId"),
			"__typename": "DeleteTransactionMutation",
		}}, nil
	}
	delete(s.st.txns, id)
	return obj{"deleteTransaction": obj{"deleted": true, "errors": nil, "__typename": "DeleteTransactionMutation"}}, nil
}

func opSetTransactionTags(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, field string) (any, error) {
		return obj{"setTransactionTags": obj{
			"transaction": nil, "errors": payloadError(msg, "BAD_USER_INPUT", field), "__typename": "SetTransactionTagsMutation",
		}}, nil
	}
	t := s.st.txns[in.str("transactionId")]
	if t == nil {
		return fail("Transaction not found.", "transactionId")
	}
	tags, unknown := s.tagsByIDLocked(in.strs("tagIds"))
	if unknown != "" {
		return fail("Tag not found: "+unknown, "tagIds")
	}
	t.tags, t.updatedAt = tags, s.now()
	return obj{"setTransactionTags": obj{
		"transaction": s.renderTxn(t, s.merchantCounts()), "errors": nil, "__typename": "SetTransactionTagsMutation",
	}}, nil
}

func (s *Sandbox) renderCategory(c *category) obj {
	created := s.st.today.AddDate(-2, 0, 0).Format(isoTime)
	updated := created
	if !c.createdAt.IsZero() { // the household's own category
		created, updated = c.createdAt.Format(isoTime), c.updatedAt.Format(isoTime)
	}
	return obj{
		"id": c.id, "order": c.order, "name": c.name, "icon": c.icon, "systemCategory": nullIfEmpty(c.system),
		"systemCategoryDisplayName": nullIfEmpty(c.systemName),
		"isSystemCategory":          c.system != "", "isDisabled": false, "updatedAt": updated, "createdAt": created,
		"budgetVariability": nullIfEmpty(c.group.variability), "excludeFromBudget": c.group.typ == "transfer",
		"rolloverPeriod": nil,
		"group": obj{
			"id": c.group.id, "name": c.group.name, "type": c.group.typ, "groupLevelBudgetingEnabled": false,
			"__typename": "CategoryGroup",
		},
		"__typename": "Category",
	}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func opCategories(s *Sandbox, _ vars) (any, error) {
	out := make([]obj, 0, len(s.st.cats))
	for _, c := range s.st.cats {
		out = append(out, s.renderCategory(c))
	}
	return obj{"categories": out}, nil
}

func (s *Sandbox) renderGroups() []obj {
	created := s.st.today.AddDate(-2, 0, 0).Format(isoTime)
	out := make([]obj, 0, len(s.st.groups))
	for _, g := range s.st.groups {
		cats := []obj{}
		for _, c := range s.st.cats {
			if c.group == g {
				cats = append(cats, s.renderCategory(c))
			}
		}
		out = append(out, obj{
			"id": g.id, "name": g.name, "order": g.order, "type": g.typ, "budgetVariability": nullIfEmpty(g.variability),
			"groupLevelBudgetingEnabled": false, "rolloverPeriod": nil, "updatedAt": created, "createdAt": created,
			"categories": cats, "__typename": "CategoryGroup",
		})
	}
	return out
}

func opCategoryGroups(s *Sandbox, _ vars) (any, error) {
	return obj{"categoryGroups": s.renderGroups()}, nil
}

func (s *Sandbox) tagCounts() map[*tag]int {
	n := map[*tag]int{}
	for _, t := range s.st.txns {
		for _, tg := range t.tags {
			n[tg]++
		}
	}
	return n
}

func opTags(s *Sandbox, v vars) (any, error) {
	search := strings.ToLower(v.str("search"))
	limit := v.intOr("limit", math.MaxInt)
	counts := s.tagCounts()
	out := []obj{}
	for _, tg := range s.st.tags {
		if len(out) >= limit {
			break
		}
		if search == "" || strings.Contains(strings.ToLower(tg.name), search) {
			out = append(out, renderTag(tg, counts[tg]))
		}
	}
	return obj{"householdTransactionTags": out}, nil
}

func opCreateTag(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	name := strings.TrimSpace(in.str("name"))
	fail := func(msg string) (any, error) {
		return obj{"createTransactionTag": obj{"tag": nil, "errors": payloadError(msg, "BAD_USER_INPUT", "name"), "__typename": "CreateTransactionTagMutation"}}, nil
	}
	if name == "" {
		return fail("This field may not be blank.")
	}
	for _, tg := range s.st.tags {
		if strings.EqualFold(tg.name, name) {
			return fail("A tag with this name already exists.")
		}
	}
	color := in.str("color")
	if color == "" {
		color = "#8C8C8C"
	}
	tg := &tag{id: s.st.newID(kindTag), name: name, color: color, order: len(s.st.tags)}
	s.st.tags = append(s.st.tags, tg)
	s.st.tagByID[tg.id] = tg
	return obj{"createTransactionTag": obj{"tag": renderTag(tg, 0), "errors": nil, "__typename": "CreateTransactionTagMutation"}}, nil
}

// attachment is a file attached to a transaction (a receipt).
type attachment struct {
	id, filename, extension string
	size                    int
}

func renderAttachments(t *txn) []obj {
	out := make([]obj, 0, len(t.attachments))
	for _, a := range t.attachments {
		url := "https://sandbox.invalid/attachments/" + a.id + "." + a.extension
		out = append(out, obj{
			"id": a.id, "filename": a.filename, "extension": a.extension, "sizeBytes": a.size,
			"originalAssetUrl": url, "publicId": "attachments/" + a.id, "thumbnailUrl": url,
			"retailTransaction": nil, "retailUserAttachment": nil, "__typename": "TransactionAttachment",
		})
	}
	return out
}

// tagsByIDLocked resolves tag ids in order, each tag once; unknown is the
// first id no tag has ("" when all are known). s.mu must be held.
func (s *Sandbox) tagsByIDLocked(ids []string) (tags []*tag, unknown string) {
	for _, id := range ids {
		tg := s.st.tagByID[id]
		if tg == nil {
			return nil, id
		}
		if !slices.Contains(tags, tg) {
			tags = append(tags, tg)
		}
	}
	return tags, ""
}
