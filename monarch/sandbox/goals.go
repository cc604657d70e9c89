package sandbox

import (
	"fmt"
	"strings"
	"time"
)

// Goals: Monarch has two models, savings goals (savingsGoals) and the
// older goals (goalsV2); migratedToSavingsGoals says which one a household
// uses. The sandbox keeps one list of goals and renders it in either shape,
// so a test can switch the household between models (SetSavingsGoals) and
// see the same goals; writes of either model change that list.

// Kinds of the goal ids, apart from the kinds in data.go.
const (
	kindGoal      = 40
	kindGoalEvent = 41
)

type (
	goalBook struct {
		migrated bool // migratedToSavingsGoals
		list     []*goal
	}
	goal struct {
		id, name, typ, objective string
		target                   *float64
		targetDate               string // YYYY-MM-DD or ""
		planned                  *float64
		priority                 int
		linked                   []*account
		amounts                  map[string]float64 // account id → the goal's balance from it
		events                   []*goalEvent
		createdAt                time.Time
	}
	goalEvent struct {
		id, typ string // typ: contribution | withdrawal
		acct    *account
		amount  float64
		date    string
		notes   string
		created time.Time
	}
)

// goalOptions are the demo household's kinds of goal (goalOptions): the
// same few the Monarch app offers first.
var goalOptions = []struct{ typ, objective, name string }{
	{"emergency_fund", "savings", "Emergency fund"},
	{"vacation", "savings", "Vacation"},
	{"home", "savings", "Home down payment"},
	{"savings", "savings", "Savings"},
}

// SetSavingsGoals switches the demo household between Monarch's goal
// models: true (the default) answers migratedToSavingsGoals true, false
// makes it a household on the older goals model.
func (s *Sandbox) SetSavingsGoals(migrated bool) {
	s.lock()
	defer s.mu.Unlock()
	s.st.goals.migrated = migrated
}

// seedGoals adds the demo goals, funded from the Ally savings account.
func (st *state) seedGoals() {
	st.goals = &goalBook{migrated: true}
	ally := st.acct("savings")
	add := func(name, typ string, target, planned float64, targetDate string, deposits ...float64) {
		g := &goal{
			id: st.newID(kindGoal), name: name, typ: typ, objective: "savings", target: ptr(target), planned: ptr(planned),
			targetDate: targetDate, priority: len(st.goals.list), linked: []*account{ally}, amounts: map[string]float64{},
			createdAt: st.today.AddDate(-1, 0, 0).Add(10 * time.Hour),
		}
		for i, amt := range deposits {
			day := st.today.AddDate(0, -len(deposits)+i, 0)
			g.events = append(g.events, &goalEvent{id: st.newID(kindGoalEvent), typ: "contribution", acct: ally, amount: amt, date: day.Format(isoDate), created: day})
			g.amounts[ally.id] += amt
		}
		st.goals.list = append(st.goals.list, g)
	}
	add("Emergency fund", "emergency_fund", 20000, 500, "", 12000, 1500, 500, 500)
	firstOfMonth := st.today.AddDate(0, 8, 1-st.today.Day())
	add("Vacation", "vacation", 4000, 250, firstOfMonth.Format(isoDate), 800, 250, 250)
}

func (g *goal) balance() float64 {
	sum := 0.0
	for _, v := range g.amounts {
		sum += v
	}
	return round2(sum)
}

func (g *goal) isLinked(a *account) bool {
	for _, l := range g.linked {
		if l == a {
			return true
		}
	}
	return false
}

func (g *goal) link(a *account) {
	if !g.isLinked(a) {
		g.linked = append(g.linked, a)
	}
}

func (g *goal) unlink(a *account) {
	for i, l := range g.linked {
		if l == a {
			g.linked = append(g.linked[:i], g.linked[i+1:]...)
			return
		}
	}
}

func (st *state) goalByID(id string) *goal {
	for _, g := range st.goals.list {
		if g.id == id {
			return g
		}
	}
	return nil
}

func accountRef(a *account) obj {
	return obj{"id": a.id, "displayName": a.name, "__typename": "Account"}
}

func (s *Sandbox) renderSavingsGoal(g *goal) obj {
	bal := g.balance()
	status := "on_track"
	if g.target != nil && bal >= *g.target {
		status = "completed"
	}
	var contributed, withdrawn float64
	for _, e := range g.events {
		if e.typ == "withdrawal" {
			withdrawn += e.amount
		} else {
			contributed += e.amount
		}
	}
	progress := 0.0
	if g.target != nil && *g.target > 0 {
		progress = min(bal / *g.target, 1)
	}
	linked := make([]obj, 0, len(g.linked))
	allocs := make([]obj, 0, len(g.amounts))
	for _, a := range g.linked {
		linked = append(linked, accountRef(a))
	}
	for _, a := range s.st.accounts {
		if v, ok := g.amounts[a.id]; ok {
			allocs = append(allocs, obj{
				"account": accountRef(a), "goalId": g.id, "totalAmount": round2(v), "contributionsAmount": nil,
				"withdrawalsAmount": nil, "adjustmentAmount": nil, "spendingAmount": nil, "__typename": "GoalAccountCurrentContributionAmounts",
			})
		}
	}
	targetDate := any(nil)
	if g.targetDate != "" {
		targetDate = g.targetDate
	}
	planned := 0.0
	if g.planned != nil {
		planned = *g.planned
	}
	return obj{
		"id": g.id, "name": g.name, "type": g.typ, "targetAmount": nullable(g.target), "targetDate": targetDate,
		"currentBalance": bal, "currentMonthPlannedContributionAmount": planned, "plannedMonthlyContribution": nullable(g.planned),
		"status": status, "isArchived": false, "archivedAt": nil, "completedAt": nil, "priority": g.priority,
		"isSinkingFund": false, "progress": progress, "contributionTotal": round2(contributed), "withdrawalTotal": round2(withdrawn),
		"createdAt": g.createdAt.Format(isoTime), "linkedAccounts": linked, "allocationAmountsByAccount": allocs,
		"__typename": "SavingsGoal",
	}
}

func (s *Sandbox) renderGoalV2(g *goal) obj {
	allocs := make([]obj, 0, len(g.linked))
	for _, a := range g.linked {
		amt := round2(g.amounts[a.id])
		allocs = append(allocs, obj{
			"id": g.id + a.id[len(a.id)-6:], "amount": amt, "currentAmount": amt, "useEntireAccountBalance": false,
			"account": accountRef(a), "__typename": "GoalAccountAllocation",
		})
	}
	bal := g.balance()
	pct := any(nil)
	if g.target != nil && *g.target > 0 {
		pct = round2(bal / *g.target * 100)
	}
	return obj{
		"id": g.id, "name": g.name, "type": g.typ, "objective": g.objective, "targetAmount": nullable(g.target),
		"currentAmount": bal, "completionPercent": pct, "plannedMonthlyContribution": nullable(g.planned),
		"archivedAt": nil, "completedAt": nil, "priority": g.priority, "accountAllocations": allocs,
		"__typename": "GoalV2",
	}
}

func opGoalsModel(s *Sandbox, _ vars) (any, error) {
	return obj{"migratedToSavingsGoals": s.st.goals.migrated}, nil
}

func opGoalOptions(_ *Sandbox, _ vars) (any, error) {
	out := make([]obj, 0, len(goalOptions))
	for _, o := range goalOptions {
		out = append(out, obj{
			"type": o.typ, "objective": o.objective, "defaultName": o.name, "description": o.name, "allowMultiSelect": false,
			"defaultImageStorageProvider": "unsplash", "defaultImageStorageProviderId": o.typ, "__typename": "GoalOption",
		})
	}
	return obj{"goalOptions": out}, nil
}

func opSavingsGoals(s *Sandbox, _ vars) (any, error) {
	out := make([]obj, 0, len(s.st.goals.list))
	for _, g := range s.st.goals.list {
		out = append(out, s.renderSavingsGoal(g))
	}
	return obj{"savingsGoals": out}, nil
}

func opGoalsV2(s *Sandbox, _ vars) (any, error) {
	out := make([]obj, 0, len(s.st.goals.list))
	for _, g := range s.st.goals.list {
		out = append(out, s.renderGoalV2(g))
	}
	return obj{"goalsV2": out}, nil
}

// goalFail is a goal mutation's payload with an error and a null result.
func goalFail(field, result, typename, msg, code, param string) (any, error) {
	return obj{field: obj{result: nil, "errors": payloadError(msg, code, param), "__typename": typename}}, nil
}

// applyGoalFields sets the fields savings and older goals share from in,
// checking them first; it returns a payload error message and field, or "".
func (s *Sandbox) applyGoalFields(g *goal, in vars, plannedKey string) (string, string) {
	name := g.name
	if in.has("name") {
		if name = strings.TrimSpace(in.str("name")); name == "" {
			return "This field may not be blank.", "name"
		}
	}
	if t, ok := in.num("targetAmount"); ok && t < 0 {
		return "Ensure this value is greater than or equal to 0.", "targetAmount"
	}
	if in.has("targetDate") {
		if _, err := time.Parse(isoDate, in.str("targetDate")); err != nil {
			return "Enter a valid date.", "targetDate"
		}
		g.targetDate = in.str("targetDate")
	}
	g.name = name
	if t, ok := in.num("targetAmount"); ok {
		g.target = ptr(t)
	}
	if p, ok := in.num(plannedKey); ok {
		g.planned = ptr(p)
	}
	// An explicit null unsets what the input's nullable field holds.
	for key, unset := range map[string]func(){
		"targetAmount": func() { g.target = nil },
		"targetDate":   func() { g.targetDate = "" },
		plannedKey:     func() { g.planned = nil },
	} {
		if x, ok := in[key]; ok && x == nil {
			unset()
		}
	}
	return "", ""
}

// addGoal creates a goal from a create input (name required), or returns
// a payload error message and field.
func (s *Sandbox) addGoal(in vars, typ, objective string) (*goal, string, string) {
	g := &goal{id: s.st.newID(kindGoal), typ: typ, objective: objective, priority: len(s.st.goals.list), amounts: map[string]float64{}, createdAt: s.now()}
	if msg, field := s.applyGoalFields(g, vars{"name": ""}.merge(in), "plannedMonthlyContribution"); msg != "" {
		return nil, msg, field
	}
	s.st.goals.list = append(s.st.goals.list, g)
	return g, "", ""
}

// editGoal applies an update input to g, all or nothing.
func (s *Sandbox) editGoal(g *goal, in vars, plannedKey string) (string, string) {
	edited := *g
	if msg, field := s.applyGoalFields(&edited, in, plannedKey); msg != "" {
		return msg, field
	}
	*g = edited
	return "", ""
}

func opCreateSavingsGoal(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	if strings.TrimSpace(in.str("type")) == "" {
		return goalFail("createSavingsGoal", "savingsGoal", "CreateSavingsGoal", "This field may not be blank.", "BAD_USER_INPUT", "type")
	}
	g, msg, field := s.addGoal(in, in.str("type"), "savings")
	if g == nil {
		return goalFail("createSavingsGoal", "savingsGoal", "CreateSavingsGoal", msg, "BAD_USER_INPUT", field)
	}
	return obj{"createSavingsGoal": obj{"savingsGoal": s.renderSavingsGoal(g), "errors": nil, "__typename": "CreateSavingsGoal"}}, nil
}

func opUpdateSavingsGoal(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, code, field string) (any, error) {
		return goalFail("updateSavingsGoal", "savingsGoal", "UpdateSavingsGoal", msg, code, field)
	}
	g := s.st.goalByID(in.str("id"))
	if g == nil {
		return fail("Goal not found.", "NOT_FOUND", "id")
	}
	var link, unlink []*account
	for _, id := range in.strs("accountIdsToLink") {
		a := s.st.accByID[id]
		if a == nil {
			return fail("Account not found.", "NOT_FOUND", "accountIdsToLink")
		}
		link = append(link, a)
	}
	for _, id := range in.strs("accountIdsToUnlink") {
		a := s.st.accByID[id]
		if a == nil {
			return fail("Account not found.", "NOT_FOUND", "accountIdsToUnlink")
		}
		unlink = append(unlink, a)
	}
	if msg, field := s.editGoal(g, in, "budgetToApplyToFutureMonths"); msg != "" {
		return fail(msg, "BAD_USER_INPUT", field)
	}
	for _, a := range link {
		g.link(a)
	}
	for _, a := range unlink {
		g.unlink(a)
	}
	return obj{"updateSavingsGoal": obj{"savingsGoal": s.renderSavingsGoal(g), "errors": nil, "__typename": "UpdateSavingsGoal"}}, nil
}

// deleteGoal removes the goal named by the input's id.
func (s *Sandbox) deleteGoal(v vars, field, typename string) (any, error) {
	id := v.obj("input").str("id")
	for i, g := range s.st.goals.list {
		if g.id == id {
			s.st.goals.list = append(s.st.goals.list[:i], s.st.goals.list[i+1:]...)
			return obj{field: obj{"success": true, "errors": nil, "__typename": typename}}, nil
		}
	}
	return obj{field: obj{"success": false, "errors": payloadError("Goal not found.", "NOT_FOUND", "id"), "__typename": typename}}, nil
}

func opDeleteSavingsGoal(s *Sandbox, v vars) (any, error) {
	return s.deleteGoal(v, "deleteSavingsGoal", "DeleteSavingsGoal")
}

func opDeleteGoalV2(s *Sandbox, v vars) (any, error) {
	return s.deleteGoal(v, "deleteGoalV2", "DeleteGoal")
}

// goalEventOp records a contribution or withdrawal: a withdrawal may not
// take more than the goal holds from the account.
func (s *Sandbox) goalEventOp(v vars, field, typename, typ string) (any, error) {
	in := v.obj("input")
	fail := func(msg, code, param string) (any, error) {
		return goalFail(field, "goalEvent", typename, msg, code, param)
	}
	g := s.st.goalByID(in.str("id"))
	if g == nil {
		return fail("Goal not found.", "NOT_FOUND", "id")
	}
	a := s.st.accByID[in.str("accountId")]
	if a == nil {
		return fail("Account not found.", "NOT_FOUND", "accountId")
	}
	amt, ok := in.num("amount")
	if !ok || amt <= 0 {
		return fail("Amount must be greater than 0.", "BAD_USER_INPUT", "amount")
	}
	date := s.st.today.Format(isoDate)
	if in.has("date") {
		d, err := time.Parse(isoDate, in.str("date"))
		if err != nil {
			return fail("Enter a valid date.", "BAD_USER_INPUT", "date")
		}
		date = d.Format(isoDate)
	}
	if typ == "withdrawal" {
		if have := round2(g.amounts[a.id]); amt > have {
			return fail(fmt.Sprintf("The goal holds %.2f from this account; you cannot withdraw more.", have), "BAD_USER_INPUT", "amount")
		}
		g.amounts[a.id] = round2(g.amounts[a.id] - amt)
	} else {
		g.amounts[a.id] = round2(g.amounts[a.id] + amt)
		g.link(a)
	}
	e := &goalEvent{id: s.st.newID(kindGoalEvent), typ: typ, acct: a, amount: amt, date: date, notes: in.str("notes"), created: s.now()}
	g.events = append(g.events, e)
	d, _ := time.Parse(isoDate, date)
	ev := obj{
		"id": e.id, "type": typ, "amount": amt, "date": d.Format(isoTime), "notes": e.notes, "createdAt": e.created.Format(isoTime),
		"canDelete": true, "includeInBudget": true, "account": accountRef(a), "goal": s.renderSavingsGoal(g), "__typename": "GoalEvent",
	}
	out := obj{"goalEvent": ev, "errors": nil, "__typename": typename}
	if typ == "contribution" {
		out["userNotice"] = nil
	}
	return obj{field: out}, nil
}

func opGoalContribution(s *Sandbox, v vars) (any, error) {
	return s.goalEventOp(v, "createSavingsGoalContribution", "CreateSavingsGoalContribution", "contribution")
}

func opGoalWithdrawal(s *Sandbox, v vars) (any, error) {
	return s.goalEventOp(v, "createSavingsGoalWithdrawal", "CreateSavingsGoalWithdrawal", "withdrawal")
}

func opCreateGoalV2(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	objective := strings.TrimSpace(in.str("objective"))
	if objective == "" {
		return goalFail("createGoalV2", "goal", "CreateGoal", "This field may not be blank.", "BAD_USER_INPUT", "objective")
	}
	g, msg, field := s.addGoal(in, objective, objective)
	if g == nil {
		return goalFail("createGoalV2", "goal", "CreateGoal", msg, "BAD_USER_INPUT", field)
	}
	return obj{"createGoalV2": obj{"goal": s.renderGoalV2(g), "errors": nil, "__typename": "CreateGoal"}}, nil
}

func opUpdateGoalV2(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	g := s.st.goalByID(in.str("id"))
	if g == nil {
		return goalFail("updateGoalV2", "goal", "UpdateGoal", "Goal not found.", "NOT_FOUND", "id")
	}
	if msg, field := s.editGoal(g, in, "plannedMonthlyContribution"); msg != "" {
		return goalFail("updateGoalV2", "goal", "UpdateGoal", msg, "BAD_USER_INPUT", field)
	}
	return obj{"updateGoalV2": obj{"goal": s.renderGoalV2(g), "errors": nil, "__typename": "UpdateGoal"}}, nil
}

// opLinkGoalV2 allocates an account to an older goal: its whole balance,
// or the amount given.
func opLinkGoalV2(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	const field, typename = "createGoalAccountAllocation", "CreateGoalAccountAllocation"
	g := s.st.goalByID(in.str("goalId"))
	if g == nil {
		return goalFail(field, "goalAccountAllocation", typename, "Goal not found.", "NOT_FOUND", "goalId")
	}
	a := s.st.accByID[in.str("accountId")]
	if a == nil {
		return goalFail(field, "goalAccountAllocation", typename, "Account not found.", "NOT_FOUND", "accountId")
	}
	amt, _ := in.num("amount")
	if b := in.boolp("useEntireAccountBalance"); b != nil && *b {
		amt = a.balance
	}
	g.link(a)
	g.amounts[a.id] = round2(amt)
	r := s.renderGoalV2(g)
	var alloc obj
	for _, al := range r["accountAllocations"].([]obj) {
		if al["account"].(obj)["id"] == a.id {
			alloc = al
		}
	}
	return obj{field: obj{"goalAccountAllocation": alloc, "goal": r, "errors": nil, "__typename": typename}}, nil
}

func opUnlinkGoalV2(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	const field, typename = "deleteGoalAccountAllocation", "DeleteGoalAccountAllocation"
	g := s.st.goalByID(in.str("goalId"))
	a := s.st.accByID[in.str("accountId")]
	if g == nil || a == nil || !g.isLinked(a) {
		return obj{field: obj{"success": false, "goal": nil, "account": nil, "errors": payloadError("Goal account allocation not found.", "NOT_FOUND", ""), "__typename": typename}}, nil
	}
	g.unlink(a)
	delete(g.amounts, a.id)
	return obj{field: obj{"success": true, "goal": s.renderGoalV2(g), "account": accountRef(a), "errors": nil, "__typename": typename}}, nil
}

// merge returns v with other's entries added (other wins).
func (v vars) merge(other vars) vars {
	out := vars{}
	for k, x := range v {
		out[k] = x
	}
	for k, x := range other {
		out[k] = x
	}
	return out
}
