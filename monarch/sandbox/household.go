package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The demo household's people, its business and their credit scores. None
// of it takes ids from state.newID, so adding it left every other demo id
// as it was.
const (
	demoHouseholdID  = "150000000000000004"
	demoPartnerID    = "150000000000000005"
	demoPartnerName  = "Sam Demo"
	demoBusinessID   = "150000000000000006"
	demoBusinessName = "Demo Design Studio"
)

// householdMember is one person of the demo household: the signed-in demo
// user owns it, and a partner shares it. base is the person's credit score
// a year ago; trend and wobble make a year of monthly scores from it.
type householdMember struct {
	id, name, role string
	base, trend    int
	wobble         [4]int
}

func demoMembers() []householdMember {
	return []householdMember{
		{id: demoUserID, name: demoUserName, role: "OWNER", base: 742, trend: 2, wobble: [4]int{0, 3, -2, 1}},
		{id: demoPartnerID, name: demoPartnerName, role: "MEMBER", base: 701, trend: 3, wobble: [4]int{-1, 2, 0, -3}},
	}
}

func (m householdMember) render(created time.Time) obj {
	return obj{
		"id": m.id, "name": m.name, "displayName": m.name, "householdRole": m.role,
		"createdAt": created.Format(isoTime), "__typename": "User",
	}
}

// opHouseholdMembers answers the signed-in user and the household with its
// two members.
func opHouseholdMembers(s *Sandbox, _ vars) (any, error) {
	created := s.st.today.AddDate(-2, 0, 0).Add(15 * time.Hour)
	users := []obj{}
	for _, m := range demoMembers() {
		users = append(users, m.render(created))
	}
	return obj{
		"me": obj{"id": demoUserID, "__typename": "User"},
		"myHousehold": obj{
			"id": demoHouseholdID, "name": "Demo Household", "users": users, "__typename": "Household",
		},
	}, nil
}

// opCreditScores answers each member's credit score on the first of each
// of the last twelve months (this month's included), oldest first, within
// startDate and endDate when given.
func opCreditScores(s *Sandbox, v vars) (any, error) {
	start, err := parseDate(v.str("startDate"), time.Time{})
	if err != nil {
		return nil, err
	}
	end, err := parseDate(v.str("endDate"), time.Time{})
	if err != nil {
		return nil, err
	}
	created := s.st.today.AddDate(-2, 0, 0).Add(15 * time.Hour)
	out := []obj{}
	for k := range 12 {
		day := time.Date(s.st.today.Year(), s.st.today.Month()-time.Month(11-k), 1, 0, 0, 0, 0, time.UTC)
		if !start.IsZero() && day.Before(start) || !end.IsZero() && day.After(end) {
			continue
		}
		for i, m := range demoMembers() {
			out = append(out, obj{
				"id":           fmt.Sprintf("15000000001%07d", k*10+i),
				"reportedDate": day.Format(isoDate),
				"score":        m.base + m.trend*k + m.wobble[k%4],
				"user":         m.render(created),
				"__typename":   "CreditScoreSnapshot",
			})
		}
	}
	return obj{"creditScoreSnapshots": out}, nil
}

// opBusinessEntities answers the household's one business: a design
// studio with no accounts or transactions assigned to it yet, so that the
// demo shows the shape without changing any personal figure.
func opBusinessEntities(s *Sandbox, _ vars) (any, error) {
	return obj{"businessEntities": []obj{{
		"id": demoBusinessID, "name": demoBusinessName, "description": "Freelance design work", "structure": "llc",
		"color": "#4F7CFF", "icon": "💼", "logoUrl": nil, "notes": nil, "accounts": []obj{}, "accountsCount": 0, "transactionsCount": 0,
		"createdAt": s.st.today.AddDate(-1, 0, 0).Add(15 * time.Hour).Format(isoTime), "updatedAt": nil,
		"__typename": "BusinessEntity",
	}}}, nil
}

// opUpdateTag renames a tag and sets its colour; the input carries both.
func opUpdateTag(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, code, field string) (any, error) {
		return obj{"updateTransactionTag": obj{"tag": nil, "errors": payloadError(msg, code, field), "__typename": "UpdateTransactionTag"}}, nil
	}
	tg := s.st.tagByID[in.str("id")]
	if tg == nil {
		return fail("Tag not found.", "NOT_FOUND", "id")
	}
	name := strings.TrimSpace(in.str("name"))
	switch {
	case name == "":
		return fail("This field may not be blank.", "BAD_USER_INPUT", "name")
	case in.str("color") == "":
		return fail("This field may not be blank.", "BAD_USER_INPUT", "color")
	}
	for _, o := range s.st.tags {
		if o != tg && strings.EqualFold(o.name, name) {
			return fail("A tag with this name already exists.", "BAD_USER_INPUT", "name")
		}
	}
	tg.name, tg.color = name, in.str("color")
	return obj{"updateTransactionTag": obj{"tag": renderTag(tg, s.tagCounts()[tg]), "errors": nil, "__typename": "UpdateTransactionTag"}}, nil
}

// opDeleteTag deletes a tag and takes it off every transaction and rule.
func opDeleteTag(s *Sandbox, v vars) (any, error) {
	tg := s.st.tagByID[v.str("tagId")]
	if tg == nil {
		return obj{"deleteTransactionTag": obj{"errors": payloadError("Tag not found.", "NOT_FOUND", "tagId"), "__typename": "DeleteTransactionTag"}}, nil
	}
	isTag := func(t *tag) bool { return t == tg }
	for _, t := range s.st.txns {
		t.tags = slices.DeleteFunc(t.tags, isTag)
	}
	for _, r := range s.st.rules {
		r.addTags = slices.DeleteFunc(r.addTags, isTag)
	}
	s.st.tags = slices.DeleteFunc(s.st.tags, isTag)
	delete(s.st.tagByID, tg.id)
	return obj{"deleteTransactionTag": obj{"errors": nil, "__typename": "DeleteTransactionTag"}}, nil
}

// opDeleteCategory deletes a category. Everything that pointed at it —
// transactions, split parts, recurring streams and rules — points at
// moveToCategoryId instead, or at Uncategorized without one; a rule that
// matched the category now matches where its transactions went. The
// fallback category itself cannot be deleted without a destination.
func opDeleteCategory(s *Sandbox, v vars) (any, error) {
	fail := func(msg, code, field string) (any, error) {
		return obj{"deleteCategory": obj{"deleted": false, "errors": payloadError(msg, code, field), "__typename": "DeleteCategoryMutation"}}, nil
	}
	c := s.st.catByID[v.str("id")]
	if c == nil {
		return fail("Category not found.", "NOT_FOUND", "id")
	}
	to := s.st.uncategorized()
	if v.has("moveToCategoryId") {
		if to = s.st.catByID[v.str("moveToCategoryId")]; to == nil {
			return fail("Category to move transactions to not found.", "NOT_FOUND", "moveToCategoryId")
		}
	}
	if to == nil {
		return fail("There is no Uncategorized category to move transactions to: give moveToCategoryId.", "BAD_USER_INPUT", "moveToCategoryId")
	}
	if to == c {
		return fail("Transactions cannot be moved to the category being deleted.", "BAD_USER_INPUT", "moveToCategoryId")
	}
	for _, t := range s.st.txns {
		if t.cat == c {
			t.cat, t.updatedAt = to, s.now()
		}
		for _, p := range t.splits {
			if p.cat == c {
				p.cat = to
			}
		}
	}
	for _, st := range s.st.streams {
		if st.cat == c {
			st.cat = to
		}
	}
	for _, r := range s.st.rules {
		if r.setCat == c {
			r.setCat = to
		}
		if i := slices.Index(r.catIDs, c.id); i >= 0 {
			r.catIDs = slices.Delete(r.catIDs, i, i+1)
			if !slices.Contains(r.catIDs, to.id) {
				r.catIDs = append(r.catIDs, to.id)
			}
		}
	}
	s.st.cats = slices.DeleteFunc(s.st.cats, func(o *category) bool { return o == c })
	delete(s.st.catByID, c.id)
	delete(s.st.catByName, c.name)
	return obj{"deleteCategory": obj{"deleted": true, "errors": nil, "__typename": "DeleteCategoryMutation"}}, nil
}

// uncategorized returns Monarch's fallback category, found by its system
// key since the household may rename it, or nil.
func (st *state) uncategorized() *category {
	for _, c := range st.cats {
		if c.system == "uncategorized" {
			return c
		}
	}
	return nil
}
