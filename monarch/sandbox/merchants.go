package sandbox

import (
	"slices"
	"strings"
	"time"
)

// merchantByID returns the merchant with the id, or nil.
func (st *state) merchantByID(id string) *merchant {
	for _, m := range st.merchants {
		if m.id == id {
			return m
		}
	}
	return nil
}

// streamOf returns the merchant's recurring stream, or nil.
func (st *state) streamOf(m *merchant) *stream {
	for _, s := range st.streams {
		if s.merch == m {
			return s
		}
	}
	return nil
}

// baseDate is a stream's reference occurrence (YYYY-MM-DD).
func (s *stream) baseDate(today time.Time) string {
	if s.frequency == "biweekly" {
		return s.anchor.Format(isoDate)
	}
	return time.Date(today.Year(), today.Month(), min(s.day, 28), 0, 0, 0, 0, time.UTC).Format(isoDate)
}

func (s *stream) reviewStatus() string {
	if s.review == "" {
		return "approved"
	}
	return s.review
}

func (sb *Sandbox) renderStream(s *stream) obj {
	if s == nil {
		return nil
	}
	return obj{
		"id": s.id, "frequency": s.frequency, "amount": s.amount, "baseDate": s.baseDate(sb.st.today),
		"isActive": !s.inactive, "reviewStatus": s.reviewStatus(), "__typename": "RecurringTransactionStream",
	}
}

func (sb *Sandbox) renderMerchant(m *merchant, counts map[*merchant]int) obj {
	st := sb.st.streamOf(m)
	return obj{
		"id": m.id, "name": m.name, "logoUrl": nil, "transactionCount": counts[m], "transactionsCount": counts[m],
		"ruleCount": 0, "canBeDeleted": counts[m] == 0, "hasActiveRecurringStreams": st != nil && !st.inactive,
		"createdAt":                  sb.st.today.AddDate(-1, 0, 0).Format(isoTime),
		"recurringTransactionStream": sb.renderStream(st), "__typename": "Merchant",
	}
}

func opGetMerchant(s *Sandbox, v vars) (any, error) {
	m := s.st.merchantByID(v.str("merchantId"))
	if m == nil {
		return nil, &requestError{"Merchant matching query does not exist.", "NOT_FOUND"}
	}
	return obj{"merchant": s.renderMerchant(m, s.merchantCounts())}, nil
}

// opMerchants lists merchants whose name contains search, by name (or by
// transaction count with orderBy "TRANSACTION_COUNT"), paged.
func opMerchants(s *Sandbox, v vars) (any, error) {
	search := strings.ToLower(strings.TrimSpace(v.str("search")))
	counts := s.merchantCounts()
	var ms []*merchant
	for _, m := range s.st.merchants {
		if search == "" || strings.Contains(strings.ToLower(m.name), search) {
			ms = append(ms, m)
		}
	}
	slices.SortFunc(ms, func(a, b *merchant) int {
		if strings.EqualFold(v.str("orderBy"), "TRANSACTION_COUNT") && counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
	})
	offset, limit := v.intOr("offset", 0), v.intOr("limit", defaultLimit)
	if offset < 0 || limit < 0 {
		return nil, &requestError{"offset and limit must not be negative.", "BAD_USER_INPUT"}
	}
	out := []obj{}
	for _, m := range ms[min(offset, len(ms)):min(offset+limit, len(ms))] {
		out = append(out, s.renderMerchant(m, counts))
	}
	// merchantCount takes no search: like Monarch, it counts them all.
	return obj{"merchants": out, "merchantCount": len(s.st.merchants)}, nil
}

// opUpdateMerchant renames a merchant (every transaction follows) and
// changes its recurring stream: isRecurring false removes it; frequency,
// amount, baseDate and isActive change it, or create one when the
// merchant has none (frequency, amount and baseDate are then required).
func opUpdateMerchant(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, code, field string) (any, error) {
		return obj{"updateMerchant": obj{"merchant": nil, "errors": payloadError(msg, code, field), "__typename": "UpdateMerchantMutation"}}, nil
	}
	m := s.st.merchantByID(in.str("merchantId"))
	if m == nil {
		return fail("Merchant not found.", "NOT_FOUND", "merchantId")
	}
	name := strings.TrimSpace(in.str("name"))
	if name == "" {
		return fail("This field may not be blank.", "BAD_USER_INPUT", "name")
	}
	if other := s.st.merchants[strings.ToLower(name)]; other != nil && other != m {
		return fail("A merchant with this name already exists.", "BAD_USER_INPUT", "name")
	}
	st := s.st.streamOf(m)
	rec := in.obj("recurrence")
	freq := rec.str("frequency")
	if rec.has("frequency") && freq != "monthly" && freq != "biweekly" {
		return fail("Unsupported frequency.", "BAD_USER_INPUT", "frequency")
	}
	var base time.Time
	if rec.has("baseDate") {
		d, err := time.Parse(isoDate, rec.str("baseDate"))
		if err != nil {
			return fail("Enter a valid date.", "BAD_USER_INPUT", "baseDate")
		}
		base = d
	}
	amount, hasAmount := rec.num("amount")
	isRec := rec.boolp("isRecurring")
	if st == nil && isRec != nil && *isRec && (freq == "" || !hasAmount || base.IsZero()) {
		return fail("frequency, amount and baseDate are required for a new recurring merchant.", "BAD_USER_INPUT", "recurrence")
	}

	delete(s.st.merchants, strings.ToLower(m.name))
	m.name = name
	s.st.merchants[strings.ToLower(name)] = m
	switch {
	case isRec != nil && !*isRec:
		s.st.streams = slices.DeleteFunc(s.st.streams, func(x *stream) bool { return x.merch == m })
		st = nil
	case st == nil && isRec != nil && *isRec:
		st = &stream{id: s.st.newID(kindStream), merch: m, frequency: freq, cat: s.st.catByName["Shopping"], acct: s.st.acct("checking")}
		for _, t := range s.st.sortedTxns() {
			if t.merch == m {
				st.cat, st.acct = t.cat, t.acct
				break
			}
		}
		s.st.streams = append(s.st.streams, st)
	}
	if st != nil {
		if freq != "" {
			st.frequency = freq
		}
		if hasAmount {
			st.amount = round2(amount)
		}
		if !base.IsZero() {
			st.day, st.anchor = base.Day(), base
		}
		if b := rec.boolp("isActive"); b != nil {
			st.inactive = !*b
		}
	}
	return obj{"updateMerchant": obj{"merchant": s.renderMerchant(m, s.merchantCounts()), "errors": nil, "__typename": "UpdateMerchantMutation"}}, nil
}

// opRecurringStreams lists every recurring stream with its review status.
func opRecurringStreams(s *Sandbox, _ vars) (any, error) {
	out := []obj{}
	for _, st := range s.st.streams {
		r := s.renderStream(st)
		r["dayOfTheMonth"], r["isApproximate"], r["name"] = st.day, st.approx, st.merch.name
		r["recurringType"] = "expense"
		if st.amount > 0 {
			r["recurringType"] = "income"
		}
		r["merchant"] = obj{"id": st.merch.id, "name": st.merch.name, "__typename": "Merchant"}
		out = append(out, obj{"stream": r, "__typename": "RecurringTransactionCalendarItem"})
	}
	return obj{"recurringTransactionStreams": out}, nil
}

// opReviewStream sets a stream's review status: approved, ignored (no
// more upcoming items) or pending.
func opReviewStream(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, code, field string) (any, error) {
		return obj{"reviewRecurringStream": obj{"stream": nil, "errors": payloadError(msg, code, field), "__typename": "ReviewRecurringStreamMutation"}}, nil
	}
	var st *stream
	for _, x := range s.st.streams {
		if x.id == in.str("streamId") {
			st = x
		}
	}
	if st == nil {
		return fail("Stream not found", "NOT_FOUND", "streamId")
	}
	status := in.str("reviewStatus")
	if status != "approved" && status != "ignored" && status != "pending" {
		return fail("Invalid review status.", "BAD_USER_INPUT", "reviewStatus")
	}
	st.review = status
	return obj{"reviewRecurringStream": obj{"stream": s.renderStream(st), "errors": nil, "__typename": "ReviewRecurringStreamMutation"}}, nil
}
