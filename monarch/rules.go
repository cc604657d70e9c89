package monarch

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// Operators of rule criteria as Monarch's web app sends them.
const (
	// OpContains matches text containing the value (merchant criteria).
	OpContains = "contains"
	// OpEquals matches text or an amount exactly.
	OpEquals = "equals"
	// OpBetween matches an amount within [Lower, Upper].
	OpBetween = "between"
)

// Review statuses a rule can set.
const (
	ReviewStatusReviewed    = "reviewed"
	ReviewStatusNeedsReview = "needs_review"
)

// TextCriterion matches text (e.g. a merchant name) with an operator.
type TextCriterion struct {
	Operator string `json:"operator"`
	Value    string `json:"value"`
}

// AmountCriterion matches a transaction's amount. Value is used by
// OpEquals, Lower and Upper by OpBetween. Amounts are positive; IsExpense
// says whether spending (true) or income (false) matches.
type AmountCriterion struct {
	Operator  string
	IsExpense bool
	Value     *float64
	Lower     *float64
	Upper     *float64
}

type amountCriterionJSON struct {
	Operator   string   `json:"operator"`
	IsExpense  bool     `json:"isExpense"`
	Value      *float64 `json:"value"`
	ValueRange *struct {
		Lower *float64 `json:"lower"`
		Upper *float64 `json:"upper"`
	} `json:"valueRange"`
}

// UnmarshalJSON reads Monarch's {operator isExpense value valueRange}.
func (a *AmountCriterion) UnmarshalJSON(b []byte) error {
	var w amountCriterionJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = AmountCriterion{Operator: w.Operator, IsExpense: w.IsExpense, Value: w.Value}
	if w.ValueRange != nil {
		a.Lower, a.Upper = w.ValueRange.Lower, w.ValueRange.Upper
	}
	return nil
}

// input is the criterion as CreateTransactionRuleInput takes it.
func (a *AmountCriterion) input() map[string]any {
	m := map[string]any{"operator": a.Operator, "isExpense": a.IsExpense, "value": nil, "valueRange": nil}
	if a.Value != nil {
		m["value"] = math.Round(*a.Value*100) / 100
	}
	if a.Operator == OpBetween {
		r := map[string]any{"lower": nil, "upper": nil}
		if a.Lower != nil {
			r["lower"] = math.Round(*a.Lower*100) / 100
		}
		if a.Upper != nil {
			r["upper"] = math.Round(*a.Upper*100) / 100
		}
		m["valueRange"] = r
	}
	return m
}

// TransactionRule is one of the household's rules: criteria a transaction
// must meet and the actions applied to it. Rules run in Order (0 first).
type TransactionRule struct {
	ID    string `json:"id"`
	Order int    `json:"order"`
	// MerchantCriteriaUseOriginalStatement makes MerchantCriteria match the
	// bank's original statement instead of the merchant name.
	MerchantCriteriaUseOriginalStatement bool             `json:"merchantCriteriaUseOriginalStatement"`
	MerchantCriteria                     []TextCriterion  `json:"merchantCriteria"`
	AmountCriteria                       *AmountCriterion `json:"amountCriteria"`
	// CategoryIDs and AccountIDs restrict the rule to transactions in
	// those categories or accounts; Categories and Accounts name them.
	CategoryIDs []string      `json:"categoryIds"`
	AccountIDs  []string      `json:"accountIds"`
	Categories  []CategoryRef `json:"categories"`
	Accounts    []AccountRef  `json:"accounts"`
	// Actions; nil or empty when unset.
	SetMerchantAction        *MerchantRef `json:"setMerchantAction"`
	SetCategoryAction        *CategoryRef `json:"setCategoryAction"`
	AddTagsAction            []Tag        `json:"addTagsAction"`
	SetHideFromReportsAction bool         `json:"setHideFromReportsAction"`
	ReviewStatusAction       string       `json:"reviewStatusAction"`
	// RecentApplicationCount is how many transactions the rule changed
	// lately; LastAppliedAt when it last did ("" if never).
	RecentApplicationCount int    `json:"recentApplicationCount"`
	LastAppliedAt          string `json:"lastAppliedAt"`
}

// UnmarshalJSON checks the fields every rule must have and reads nulls as
// zero values.
func (r *TransactionRule) UnmarshalJSON(b []byte) error {
	type plain TransactionRule
	var w struct {
		plain
		ID                       *string `json:"id"`
		Order                    *int    `json:"order"`
		SetHideFromReportsAction *bool   `json:"setHideFromReportsAction"`
		ReviewStatusAction       *string `json:"reviewStatusAction"`
		RecentApplicationCount   *int    `json:"recentApplicationCount"`
		LastAppliedAt            *string `json:"lastAppliedAt"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a transaction rule", "id", w.ID == nil || *w.ID == ""); err != nil {
		return err
	}
	*r = TransactionRule(w.plain)
	r.ID = *w.ID
	if w.Order != nil {
		r.Order = *w.Order
	}
	if w.SetHideFromReportsAction != nil {
		r.SetHideFromReportsAction = *w.SetHideFromReportsAction
	}
	if w.ReviewStatusAction != nil {
		r.ReviewStatusAction = *w.ReviewStatusAction
	}
	if w.RecentApplicationCount != nil {
		r.RecentApplicationCount = *w.RecentApplicationCount
	}
	if w.LastAppliedAt != nil {
		r.LastAppliedAt = *w.LastAppliedAt
	}
	return nil
}

// Input returns the rule as a [RuleInput] with the same criteria and
// actions, so that an update can change some fields and keep the others.
func (r TransactionRule) Input() RuleInput {
	in := RuleInput{
		MerchantCriteria:       slices.Clone(r.MerchantCriteria),
		MatchOriginalStatement: r.MerchantCriteriaUseOriginalStatement,
		CategoryIDs:            slices.Clone(r.CategoryIDs),
		AccountIDs:             slices.Clone(r.AccountIDs),
		HideFromReports:        r.SetHideFromReportsAction,
		ReviewStatus:           r.ReviewStatusAction,
	}
	if r.AmountCriteria != nil {
		a := *r.AmountCriteria
		in.AmountCriteria = &a
	}
	if r.SetMerchantAction != nil {
		in.SetMerchantName = r.SetMerchantAction.Name
	}
	if r.SetCategoryAction != nil {
		in.SetCategoryID = r.SetCategoryAction.ID
	}
	for _, t := range r.AddTagsAction {
		in.AddTagIDs = append(in.AddTagIDs, t.ID)
	}
	return in
}

// RuleInput is a rule to create, or the whole new content of a rule to
// update (Monarch replaces a rule's criteria and actions on update). A rule
// needs at least one criterion and one action.
type RuleInput struct {
	// Criteria.
	MerchantCriteria       []TextCriterion
	MatchOriginalStatement bool
	AmountCriteria         *AmountCriterion
	CategoryIDs            []string
	AccountIDs             []string
	// Actions: "" / nil / false leave that part of a transaction alone.
	SetMerchantName string
	SetCategoryID   string
	AddTagIDs       []string
	HideFromReports bool
	ReviewStatus    string
	// ApplyToExistingTransactions also applies the rule to matching
	// transactions already in Monarch, not only to future ones.
	ApplyToExistingTransactions bool
}

// check refuses a rule Monarch would refuse or that would do nothing.
func (in RuleInput) check(op string) error {
	if len(in.MerchantCriteria) == 0 && in.AmountCriteria == nil && len(in.CategoryIDs) == 0 && len(in.AccountIDs) == 0 {
		return fmt.Errorf("monarch: %s: a rule needs at least one criterion (merchant, amount, category or account)", op)
	}
	if in.SetMerchantName == "" && in.SetCategoryID == "" && len(in.AddTagIDs) == 0 && !in.HideFromReports && in.ReviewStatus == "" {
		return fmt.Errorf("monarch: %s: a rule needs at least one action", op)
	}
	for _, c := range in.MerchantCriteria {
		if c.Value == "" || (c.Operator != OpContains && c.Operator != OpEquals) {
			return fmt.Errorf("monarch: %s: merchant criteria need a value and operator %q or %q", op, OpContains, OpEquals)
		}
	}
	if a := in.AmountCriteria; a != nil {
		switch {
		case a.Operator == OpEquals && a.Value != nil && finite(*a.Value) && *a.Value >= 0:
		case a.Operator == OpBetween && a.Lower != nil && a.Upper != nil && finite(*a.Lower) && finite(*a.Upper) && 0 <= *a.Lower && *a.Lower <= *a.Upper:
		default:
			// Amounts are positive: IsExpense carries the sign, and a
			// negative value would never match.
			return fmt.Errorf("monarch: %s: amount criterion needs %q with a value or %q with lower <= upper, all 0 or more", op, OpEquals, OpBetween)
		}
	}
	switch in.ReviewStatus {
	case "", ReviewStatusReviewed, ReviewStatusNeedsReview:
	default:
		return fmt.Errorf("monarch: %s: review status must be %q or %q", op, ReviewStatusReviewed, ReviewStatusNeedsReview)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// vars returns CreateTransactionRuleInput / UpdateTransactionRuleInput.
// Unset actions are sent as null so that an update clears them.
func (in RuleInput) vars() map[string]any {
	m := map[string]any{
		"merchantCriteriaUseOriginalStatement": in.MatchOriginalStatement,
		"merchantCriteria":                     nonNilCriteria(in.MerchantCriteria),
		"amountCriteria":                       nil,
		"categoryIds":                          nonNil(in.CategoryIDs),
		"accountIds":                           nonNil(in.AccountIDs),
		"setMerchantAction":                    nil,
		"setCategoryAction":                    nil,
		"addTagsAction":                        nil,
		"setHideFromReportsAction":             in.HideFromReports,
		"reviewStatusAction":                   nil,
		"applyToExistingTransactions":          in.ApplyToExistingTransactions,
	}
	if in.AmountCriteria != nil {
		m["amountCriteria"] = in.AmountCriteria.input()
	}
	if in.SetMerchantName != "" {
		m["setMerchantAction"] = in.SetMerchantName
	}
	if in.SetCategoryID != "" {
		m["setCategoryAction"] = in.SetCategoryID
	}
	if len(in.AddTagIDs) > 0 {
		m["addTagsAction"] = in.AddTagIDs
	}
	if in.ReviewStatus != "" {
		m["reviewStatusAction"] = in.ReviewStatus
	}
	return m
}

func nonNilCriteria(c []TextCriterion) []TextCriterion {
	if c == nil {
		return []TextCriterion{}
	}
	return c
}

// GetTransactionRules returns the household's rules in the order they run.
func (c *Client) GetTransactionRules(ctx context.Context) ([]TransactionRule, error) {
	var out struct {
		Rules *[]TransactionRule `json:"transactionRules"`
	}
	if err := c.graphQL(ctx, opRules, nil, &out); err != nil {
		return nil, err
	}
	if out.Rules == nil {
		return nil, &UnexpectedResponseError{Operation: opRules.name, Reason: "the answer has no transactionRules list"}
	}
	rules := *out.Rules
	slices.SortStableFunc(rules, func(a, b TransactionRule) int { return a.Order - b.Order })
	return rules, nil
}

// rulePayload is the payload of the create and update mutations.
// rulePayload is the answer to the rule mutations: errors only. (Public
// clients disagree on whether Monarch's payload names the rule; the web
// app's own query selects only errors, so that is all we ask for.)
type rulePayload struct {
	Errors payloadErrors `json:"errors"`
}

// CreateTransactionRule creates a rule and returns its id. It is never
// retried once it may have reached Monarch (a retry could create it twice).
// Monarch's answer does not name the new rule, so its id is found by
// comparing the rule list before and after: the id is "" (with a nil
// error: the rule was created) when that cannot tell — the second read
// failed, or another client added a rule at the same moment.
func (c *Client) CreateTransactionRule(ctx context.Context, in RuleInput) (string, error) {
	if err := in.check("CreateTransactionRule"); err != nil {
		return "", err
	}
	before, err := c.GetTransactionRules(ctx)
	if err != nil {
		return "", err
	}
	var out struct {
		Create *rulePayload `json:"createTransactionRuleV2"`
	}
	if err := c.graphQL(ctx, opCreateRule, map[string]any{"input": in.vars()}, &out); err != nil {
		return "", err
	}
	if out.Create == nil {
		return "", &UnexpectedResponseError{Operation: opCreateRule.name, Reason: "the answer has no createTransactionRuleV2"}
	}
	if err := out.Create.Errors.err(opCreateRule); err != nil {
		return "", err
	}
	after, err := c.GetTransactionRules(ctx)
	if err != nil {
		return "", nil
	}
	known := make(map[string]bool, len(before))
	for _, r := range before {
		known[r.ID] = true
	}
	id := ""
	for _, r := range after {
		if !known[r.ID] {
			if id != "" {
				return "", nil // two new rules: which is ours is unknowable
			}
			id = r.ID
		}
	}
	return id, nil
}

// UpdateTransactionRule replaces rule id's criteria and actions with in.
// To change some fields only, start from the rule's [TransactionRule.Input].
// An unknown id is an error matching ErrNotFound.
func (c *Client) UpdateTransactionRule(ctx context.Context, id string, in RuleInput) error {
	if id == "" {
		return fmt.Errorf("monarch: UpdateTransactionRule: id is empty")
	}
	if err := in.check("UpdateTransactionRule"); err != nil {
		return err
	}
	v := in.vars()
	v["id"] = id
	var out struct {
		Update *rulePayload `json:"updateTransactionRuleV2"`
	}
	if err := c.graphQL(ctx, opUpdateRule, map[string]any{"input": v}, &out); err != nil {
		return notFound("transaction rule", id, err)
	}
	if out.Update == nil {
		return &UnexpectedResponseError{Operation: opUpdateRule.name, Reason: "the answer has no updateTransactionRuleV2"}
	}
	if err := out.Update.Errors.err(opUpdateRule); err != nil {
		return notFound("transaction rule", id, err)
	}
	return nil
}

// DeleteTransactionRule deletes a rule. An unknown id is an error matching
// ErrNotFound.
func (c *Client) DeleteTransactionRule(ctx context.Context, id string) error {
	if id == "" {
		return fmt.Errorf("monarch: DeleteTransactionRule: id is empty")
	}
	var out struct {
		Delete *struct {
			Deleted *bool         `json:"deleted"`
			Errors  payloadErrors `json:"errors"`
		} `json:"deleteTransactionRule"`
	}
	if err := c.graphQL(ctx, opDeleteRule, map[string]any{"id": id}, &out); err != nil {
		return notFound("transaction rule", id, err)
	}
	if out.Delete == nil {
		return &UnexpectedResponseError{Operation: opDeleteRule.name, Reason: "the answer has no deleteTransactionRule"}
	}
	// Monarch has answered deleted:false without errors for a rule it did
	// delete; only payload errors count as failure.
	return notFound("transaction rule", id, out.Delete.Errors.err(opDeleteRule))
}
