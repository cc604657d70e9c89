package monarch

import (
	"context"
	"fmt"
	"strings"
)

// Monarch keeps goals in one of two models, chosen per household by
// migratedToSavingsGoals: savings goals (savingsGoals, with contribution and
// withdrawal events) and the older goals (goalsV2, funded by allocating
// account balances).
var (
	opGoalsModel        = op("Web_GetGoalsModel")
	opGoalOptions       = op("Web_GetGoalOptions")
	opSavingsGoals      = op("Web_GetSavingsGoals")
	opGoalsV2           = op("Web_GetGoalsV2")
	opCreateSavingsGoal = opAtMostOnce("Web_CreateSavingsGoal")
	opUpdateSavingsGoal = op("Web_UpdateSavingsGoal")
	opDeleteSavingsGoal = op("Web_DeleteSavingsGoal")
	// A retried contribution or withdrawal would move the money twice.
	opGoalContribution = opAtMostOnce("Web_CreateSavingsGoalContribution")
	opGoalWithdrawal   = opAtMostOnce("Web_CreateSavingsGoalWithdrawal")
	opCreateGoalV2     = opAtMostOnce("Web_CreateGoalV2")
	opUpdateGoalV2     = op("Web_UpdateGoalV2")
	opDeleteGoalV2     = op("Web_DeleteGoalV2")
	opLinkGoalV2       = op("Web_CreateGoalAccountAllocation")
	opUnlinkGoalV2     = op("Web_DeleteGoalAccountAllocation")
)

// GoalModel is the goals model a household uses.
type GoalModel string

// The two goal models.
const (
	// SavingsGoals is Monarch's current model (savingsGoals): money moves in
	// and out of a goal by contributions and withdrawals from accounts.
	SavingsGoals GoalModel = "savings_goals"
	// GoalsV2 is the older model (goalsV2): a goal is funded by allocating
	// part of linked accounts' balances.
	GoalsV2 GoalModel = "goals_v2"
)

// Goal is a savings goal in either model.
type Goal struct {
	ID    string
	Name  string
	Type  string // Monarch's goal type, e.g. one of GoalOptions' types
	Model GoalModel
	// Status is Monarch's (ahead, at_risk, on_track, completed, archived)
	// for savings goals; for older goals, archived, completed or active.
	Status       string
	TargetAmount *float64
	TargetDate   string // YYYY-MM-DD; "" when none (always for GoalsV2)
	Balance      float64
	// MonthlyContribution is the planned monthly amount, nil when unset.
	MonthlyContribution *float64
	Priority            int
	Accounts            []GoalAccount
}

// GoalAccount is an account linked to a goal and the part of the goal's
// balance that comes from it (nil when Monarch does not say). Linked is
// false for an account no longer linked that money remains from.
type GoalAccount struct {
	ID     string
	Name   string
	Amount *float64
	Linked bool
}

// GoalOption is a kind of goal Monarch offers: Type is what savings goals
// take, Objective what older goals take.
type GoalOption struct {
	Type        string `json:"type"`
	Objective   string `json:"objective"`
	DefaultName string `json:"defaultName"`
}

type accountName struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// savingsGoal is a SavingsGoal as the queries select it.
type savingsGoal struct {
	ID             string         `json:"id"`
	Name           string         `json:"name"`
	Type           string         `json:"type"`
	TargetAmount   *float64       `json:"targetAmount"`
	TargetDate     *string        `json:"targetDate"`
	CurrentBalance float64        `json:"currentBalance"`
	Planned        *float64       `json:"currentMonthPlannedContributionAmount"`
	Status         *string        `json:"status"`
	IsArchived     *bool          `json:"isArchived"`
	ArchivedAt     *string        `json:"archivedAt"`
	CompletedAt    *string        `json:"completedAt"`
	Priority       int            `json:"priority"`
	Linked         []*accountName `json:"linkedAccounts"`
	Allocations    []*struct {
		Account *accountName `json:"account"`
		Total   *float64     `json:"totalAmount"`
	} `json:"allocationAmountsByAccount"`
}

// UnmarshalJSON checks the fields every savings goal must have.
func (g *savingsGoal) UnmarshalJSON(b []byte) error {
	type plain savingsGoal
	return decodeNamed(b, "a savings goal", (*plain)(g))
}

func (g savingsGoal) goal() Goal {
	out := Goal{
		ID: g.ID, Name: g.Name, Type: g.Type, Model: SavingsGoals, TargetAmount: g.TargetAmount,
		TargetDate: deref(g.TargetDate), Balance: g.CurrentBalance, MonthlyContribution: g.Planned,
		Priority: g.Priority, Status: deref(g.Status), Accounts: []GoalAccount{},
	}
	if out.Status == "" {
		out.Status = derivedStatus(deref(g.IsArchived) || g.ArchivedAt != nil, g.CompletedAt != nil)
	}
	amounts := map[string]*float64{}
	for _, a := range g.Allocations {
		if a != nil && a.Account != nil {
			amounts[a.Account.ID] = a.Total
		}
	}
	for _, a := range g.Linked {
		if a != nil {
			out.Accounts = append(out.Accounts, GoalAccount{ID: a.ID, Name: a.DisplayName, Amount: amounts[a.ID], Linked: true})
			delete(amounts, a.ID)
		}
	}
	// Money can remain from an account no longer linked.
	for _, a := range g.Allocations {
		if a != nil && a.Account != nil {
			if _, ok := amounts[a.Account.ID]; ok {
				out.Accounts = append(out.Accounts, GoalAccount{ID: a.Account.ID, Name: a.Account.DisplayName, Amount: a.Total})
			}
		}
	}
	return out
}

// goalV2 is a GoalV2 as the queries select it.
type goalV2 struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Objective     string   `json:"objective"`
	TargetAmount  *float64 `json:"targetAmount"`
	CurrentAmount *float64 `json:"currentAmount"`
	Planned       *float64 `json:"plannedMonthlyContribution"`
	ArchivedAt    *string  `json:"archivedAt"`
	CompletedAt   *string  `json:"completedAt"`
	Priority      int      `json:"priority"`
	Allocations   []struct {
		CurrentAmount *float64     `json:"currentAmount"`
		Account       *accountName `json:"account"`
	} `json:"accountAllocations"`
}

// UnmarshalJSON checks the fields every goal must have.
func (g *goalV2) UnmarshalJSON(b []byte) error {
	type plain goalV2
	return decodeNamed(b, "a goal", (*plain)(g))
}

func (g goalV2) goal() Goal {
	out := Goal{
		ID: g.ID, Name: g.Name, Type: g.Type, Model: GoalsV2, TargetAmount: g.TargetAmount,
		Balance: deref(g.CurrentAmount), MonthlyContribution: g.Planned, Priority: g.Priority,
		Status: derivedStatus(g.ArchivedAt != nil, g.CompletedAt != nil), Accounts: []GoalAccount{},
	}
	for _, a := range g.Allocations {
		if a.Account != nil {
			out.Accounts = append(out.Accounts, GoalAccount{ID: a.Account.ID, Name: a.Account.DisplayName, Amount: a.CurrentAmount, Linked: true})
		}
	}
	return out
}

// derivedStatus is a goal's status when Monarch gives none.
func derivedStatus(archived, completed bool) string {
	switch {
	case archived:
		return "archived"
	case completed:
		return "completed"
	}
	return "active"
}

// GetGoalModel returns the goals model the household uses.
func (c *Client) GetGoalModel(ctx context.Context) (GoalModel, error) {
	var out struct {
		Migrated *bool `json:"migratedToSavingsGoals"`
	}
	if err := c.graphQL(ctx, opGoalsModel, nil, &out); err != nil {
		return "", err
	}
	// Null means the household never migrated.
	if deref(out.Migrated) {
		return SavingsGoals, nil
	}
	return GoalsV2, nil
}

// GetGoalOptions returns the kinds of goal Monarch offers.
func (c *Client) GetGoalOptions(ctx context.Context) ([]GoalOption, error) {
	var out struct {
		Options *[]GoalOption `json:"goalOptions"`
	}
	if err := c.graphQL(ctx, opGoalOptions, nil, &out); err != nil {
		return nil, err
	}
	if out.Options == nil {
		return nil, &UnexpectedResponseError{Operation: opGoalOptions.name, Reason: "the answer has no goalOptions list"}
	}
	return *out.Options, nil
}

// GetGoals returns the household's goals in model m (see GetGoalModel).
func (c *Client) GetGoals(ctx context.Context, m GoalModel) ([]Goal, error) {
	if m == SavingsGoals {
		return goalList[savingsGoal](ctx, c, opSavingsGoals, "savingsGoals")
	}
	return goalList[goalV2](ctx, c, opGoalsV2, "goalsV2")
}

// goalShape is a goal as one model's queries select it.
type goalShape interface{ goal() Goal }

// goalList runs a goals query whose root field is field.
func goalList[T goalShape](ctx context.Context, c *Client, o operation, field string) ([]Goal, error) {
	var out map[string]*[]T
	if err := c.graphQL(ctx, o, nil, &out); err != nil {
		return nil, err
	}
	l := out[field]
	if l == nil {
		return nil, &UnexpectedResponseError{Operation: o.name, Reason: "the answer has no " + field + " list"}
	}
	gs := make([]Goal, 0, len(*l))
	for _, g := range *l {
		gs = append(gs, g.goal())
	}
	return gs, nil
}

// NewGoal is a goal to create. Type is a GoalOption's type; Objective its
// objective, which older goals need instead. TargetDate (YYYY-MM-DD) is for
// savings goals only.
type NewGoal struct {
	Name                string
	Type                string
	Objective           string
	TargetAmount        *float64
	TargetDate          string
	MonthlyContribution *float64
}

// CreateGoal creates a goal in model m and returns it. It is never retried
// once it may have reached Monarch (a retry could create it twice).
func (c *Client) CreateGoal(ctx context.Context, m GoalModel, n NewGoal) (Goal, error) {
	if strings.TrimSpace(n.Name) == "" {
		return Goal{}, fmt.Errorf("monarch: CreateGoal: Name is required")
	}
	in := map[string]any{"name": strings.TrimSpace(n.Name)}
	setOpt(in, "targetAmount", n.TargetAmount)
	setOpt(in, "plannedMonthlyContribution", n.MonthlyContribution)
	if m == SavingsGoals {
		if n.Type == "" {
			return Goal{}, fmt.Errorf("monarch: CreateGoal: Type is required")
		}
		in["type"] = n.Type
		if n.TargetDate != "" {
			in["targetDate"] = n.TargetDate
		}
		return goalMutation[savingsGoal](ctx, c, opCreateSavingsGoal, "createSavingsGoal", in, "")
	}
	if n.Objective == "" {
		return Goal{}, fmt.Errorf("monarch: CreateGoal: Objective is required")
	}
	if n.TargetDate != "" {
		return Goal{}, fmt.Errorf("monarch: CreateGoal: the older goals model has no target date")
	}
	in["objective"] = n.Objective
	return goalMutation[goalV2](ctx, c, opCreateGoalV2, "createGoalV2", in, "")
}

// GoalUpdate changes a goal: nil fields and empty lists are left as they
// are. TargetDate is for savings goals only. The Clear fields unset a
// target amount, a target date or (older goals) a planned monthly
// contribution, as the fields' nullable inputs allow; they win over the
// value given.
type GoalUpdate struct {
	ID                       string
	Name                     *string
	TargetAmount             *float64
	TargetDate               *string
	MonthlyContribution      *float64
	LinkAccountIDs           []string
	UnlinkAccountIDs         []string
	ClearTargetAmount        bool
	ClearTargetDate          bool
	ClearMonthlyContribution bool
}

// UpdateGoal applies u to a goal of model m and returns the goal as Monarch
// now has it. On older goals, linking allocates an account's whole balance
// (Monarch's default when linking) and each link or unlink is a request of
// its own, sent after the goal's own fields. An unknown id is an error
// matching ErrNotFound.
func (c *Client) UpdateGoal(ctx context.Context, m GoalModel, u GoalUpdate) (Goal, error) {
	if strings.TrimSpace(u.ID) == "" {
		return Goal{}, fmt.Errorf("monarch: UpdateGoal: ID is required")
	}
	in := map[string]any{"id": u.ID}
	if u.Name != nil {
		if strings.TrimSpace(*u.Name) == "" {
			return Goal{}, fmt.Errorf("monarch: UpdateGoal: Name is empty")
		}
		in["name"] = strings.TrimSpace(*u.Name)
	}
	setOpt(in, "targetAmount", u.TargetAmount)
	if u.ClearTargetAmount {
		in["targetAmount"] = nil
	}
	if m == SavingsGoals {
		if u.TargetDate != nil {
			in["targetDate"] = *u.TargetDate
		}
		if u.ClearTargetDate {
			in["targetDate"] = nil
		}
		if u.ClearMonthlyContribution {
			return Goal{}, fmt.Errorf("monarch: UpdateGoal: a savings goal's monthly contribution is its budget, set to an amount")
		}
		// The savings model plans contributions as the goal's budget.
		setOpt(in, "budgetToApplyToFutureMonths", u.MonthlyContribution)
		if len(u.LinkAccountIDs) > 0 {
			in["accountIdsToLink"] = u.LinkAccountIDs
		}
		if len(u.UnlinkAccountIDs) > 0 {
			in["accountIdsToUnlink"] = u.UnlinkAccountIDs
		}
		if len(in) == 1 {
			return Goal{}, fmt.Errorf("monarch: UpdateGoal: nothing to change")
		}
		return goalMutation[savingsGoal](ctx, c, opUpdateSavingsGoal, "updateSavingsGoal", in, u.ID)
	}
	if u.TargetDate != nil || u.ClearTargetDate {
		return Goal{}, fmt.Errorf("monarch: UpdateGoal: the older goals model has no target date")
	}
	setOpt(in, "plannedMonthlyContribution", u.MonthlyContribution)
	if u.ClearMonthlyContribution {
		in["plannedMonthlyContribution"] = nil
	}
	if len(in) == 1 && len(u.LinkAccountIDs) == 0 && len(u.UnlinkAccountIDs) == 0 {
		return Goal{}, fmt.Errorf("monarch: UpdateGoal: nothing to change")
	}
	if len(in) > 1 {
		if _, err := goalMutation[goalV2](ctx, c, opUpdateGoalV2, "updateGoalV2", in, u.ID); err != nil {
			return Goal{}, err
		}
	}
	for _, id := range u.LinkAccountIDs {
		vars := map[string]any{"input": map[string]any{"goalId": u.ID, "accountId": id, "useEntireAccountBalance": true}}
		if err := c.goalPayload(ctx, opLinkGoalV2, "createGoalAccountAllocation", vars, "account", id); err != nil {
			return Goal{}, err
		}
	}
	for _, id := range u.UnlinkAccountIDs {
		vars := map[string]any{"input": map[string]any{"goalId": u.ID, "accountId": id}}
		if err := c.goalPayload(ctx, opUnlinkGoalV2, "deleteGoalAccountAllocation", vars, "account", id); err != nil {
			return Goal{}, err
		}
	}
	// Read back: the allocation payloads do not carry the whole goal.
	gs, err := c.GetGoals(ctx, GoalsV2)
	if err != nil {
		return Goal{}, err
	}
	for _, g := range gs {
		if g.ID == u.ID {
			return g, nil
		}
	}
	return Goal{}, fmt.Errorf("goal %s not found: %w", u.ID, ErrNotFound)
}

// DeleteGoal deletes a goal of model m. An unknown id is an error matching
// ErrNotFound.
func (c *Client) DeleteGoal(ctx context.Context, m GoalModel, id string) error {
	if strings.TrimSpace(id) == "" {
		return fmt.Errorf("monarch: DeleteGoal: id is required")
	}
	o, field := opDeleteGoalV2, "deleteGoalV2"
	if m == SavingsGoals {
		o, field = opDeleteSavingsGoal, "deleteSavingsGoal"
	}
	return c.goalPayload(ctx, o, field, map[string]any{"input": map[string]any{"id": id}}, "goal", id)
}

// GoalTransfer moves money between a savings goal and an account. Date is
// YYYY-MM-DD ("" = today, as Monarch defaults it).
type GoalTransfer struct {
	GoalID    string
	AccountID string
	Amount    float64
	Date      string
	Notes     string
}

// ContributeToGoal records a contribution from an account to a savings goal
// and returns the goal after it. Older goals have no contributions. It is
// never retried once it may have reached Monarch.
func (c *Client) ContributeToGoal(ctx context.Context, t GoalTransfer) (Goal, error) {
	return c.goalTransfer(ctx, opGoalContribution, "createSavingsGoalContribution", t)
}

// WithdrawFromGoal records a withdrawal from a savings goal back to an
// account and returns the goal after it. It is never retried once it may
// have reached Monarch.
func (c *Client) WithdrawFromGoal(ctx context.Context, t GoalTransfer) (Goal, error) {
	return c.goalTransfer(ctx, opGoalWithdrawal, "createSavingsGoalWithdrawal", t)
}

func (c *Client) goalTransfer(ctx context.Context, o operation, field string, t GoalTransfer) (Goal, error) {
	switch {
	case strings.TrimSpace(t.GoalID) == "":
		return Goal{}, fmt.Errorf("monarch: %s: GoalID is required", o.name)
	case strings.TrimSpace(t.AccountID) == "":
		return Goal{}, fmt.Errorf("monarch: %s: AccountID is required", o.name)
	case !(t.Amount > 0):
		return Goal{}, fmt.Errorf("monarch: %s: Amount must be more than 0", o.name)
	}
	in := map[string]any{"id": t.GoalID, "accountId": t.AccountID, "amount": t.Amount}
	if t.Date != "" {
		in["date"] = t.Date
	}
	if t.Notes != "" {
		in["notes"] = t.Notes
	}
	var out map[string]*struct {
		Errors payloadErrors `json:"errors"`
		Event  *struct {
			Goal *savingsGoal `json:"goal"`
		} `json:"goalEvent"`
	}
	if err := c.graphQL(ctx, o, map[string]any{"input": in}, &out); err != nil {
		return Goal{}, notFound("goal", t.GoalID, err)
	}
	p := out[field]
	if p == nil {
		return Goal{}, &UnexpectedResponseError{Operation: o.name, Reason: "the answer has no " + field}
	}
	if err := p.Errors.err(o); err != nil {
		return Goal{}, notFound("goal or account", t.GoalID+"/"+t.AccountID, err)
	}
	if p.Event == nil || p.Event.Goal == nil {
		return Goal{}, &UnexpectedResponseError{Operation: o.name, Reason: field + " has no goalEvent with its goal"}
	}
	return p.Event.Goal.goal(), nil
}

// goalMutation sends a create or update of a goal and returns the goal
// from its payload (savingsGoal or goal, by model); id, if set, names the
// goal in a not-found error.
func goalMutation[T goalShape](ctx context.Context, c *Client, o operation, field string, in map[string]any, id string) (Goal, error) {
	var out map[string]*struct {
		Errors  payloadErrors `json:"errors"`
		Savings *T            `json:"savingsGoal"`
		Goal    *T            `json:"goal"`
	}
	if err := c.graphQL(ctx, o, map[string]any{"input": in}, &out); err != nil {
		return Goal{}, notFound("goal", id, err)
	}
	p := out[field]
	if p == nil {
		return Goal{}, &UnexpectedResponseError{Operation: o.name, Reason: "the answer has no " + field}
	}
	if err := p.Errors.err(o); err != nil {
		return Goal{}, notFound("goal", id, err)
	}
	g := p.Goal
	if g == nil {
		g = p.Savings
	}
	if g == nil {
		return Goal{}, &UnexpectedResponseError{Operation: o.name, Reason: field + " has no goal"}
	}
	return (*g).goal(), nil
}

// goalPayload sends a mutation whose payload has only errors (and
// selections the caller does not need), naming what/id in a not-found
// error.
func (c *Client) goalPayload(ctx context.Context, o operation, field string, vars any, what, id string) error {
	var out map[string]*struct {
		Errors payloadErrors `json:"errors"`
	}
	if err := c.graphQL(ctx, o, vars, &out); err != nil {
		return notFound(what, id, err)
	}
	p := out[field]
	if p == nil {
		return &UnexpectedResponseError{Operation: o.name, Reason: "the answer has no " + field}
	}
	return notFound(what, id, p.Errors.err(o))
}

// setOpt sets in[key] to *v when v is not nil.
func setOpt(in map[string]any, key string, v *float64) {
	if v != nil {
		in[key] = *v
	}
}
