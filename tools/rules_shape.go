package tools

import "github.com/monarch-mcp/monarch-mcp/monarch"

// How tools show a transaction rule.

// named is an id with its name.
type named struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

type ruleCriterion struct {
	Operator string `json:"operator" jsonschema:"contains or equals"`
	Value    string `json:"value"`
}

type ruleAmount struct {
	Operator string   `json:"operator" jsonschema:"equals or between"`
	Type     string   `json:"type" jsonschema:"expense or income"`
	Value    *float64 `json:"value,omitempty" jsonschema:"for equals: the amount (positive)"`
	Min      *float64 `json:"min,omitempty" jsonschema:"for between: lowest amount (positive)"`
	Max      *float64 `json:"max,omitempty" jsonschema:"for between: highest amount (positive)"`
}

// transactionRule is a rule as tools show it.
type transactionRule struct {
	ID    string `json:"id"`
	Order int    `json:"order" jsonschema:"rules run in this order, 0 first"`
	// Summary is the rule in words, e.g. for confirming a change with the user.
	Summary                string          `json:"summary" jsonschema:"the rule in words"`
	Merchant               []ruleCriterion `json:"merchant,omitempty" jsonschema:"merchant text criteria (all must match)"`
	MatchOriginalStatement bool            `json:"match_original_statement,omitempty" jsonschema:"merchant criteria match the bank's original statement instead of the merchant name"`
	Amount                 *ruleAmount     `json:"amount,omitempty"`
	Categories             []named         `json:"categories,omitempty" jsonschema:"only transactions in these categories match"`
	Accounts               []named         `json:"accounts,omitempty" jsonschema:"only transactions in these accounts match"`
	SetMerchant            string          `json:"set_merchant,omitempty" jsonschema:"action: rename the merchant"`
	SetCategory            *named          `json:"set_category,omitempty" jsonschema:"action: set the category"`
	AddTags                []named         `json:"add_tags,omitempty" jsonschema:"action: add these tags"`
	HideFromReports        bool            `json:"hide_from_reports,omitempty" jsonschema:"action: hide from reports and budgets"`
	ReviewStatus           string          `json:"review_status,omitempty" jsonschema:"action: mark reviewed or needs_review"`
	RecentApplications     int             `json:"recent_applications" jsonschema:"transactions the rule changed recently"`
	LastAppliedAt          string          `json:"last_applied_at,omitempty"`
}

func shapeRule(r monarch.TransactionRule) transactionRule {
	out := transactionRule{
		ID: r.ID, Order: r.Order, MatchOriginalStatement: r.MerchantCriteriaUseOriginalStatement,
		HideFromReports: r.SetHideFromReportsAction, ReviewStatus: r.ReviewStatusAction,
		RecentApplications: r.RecentApplicationCount, LastAppliedAt: r.LastAppliedAt,
	}
	for _, c := range r.MerchantCriteria {
		out.Merchant = append(out.Merchant, ruleCriterion(c))
	}
	if a := r.AmountCriteria; a != nil {
		out.Amount = &ruleAmount{Operator: a.Operator, Type: "income", Value: a.Value, Min: a.Lower, Max: a.Upper}
		if a.IsExpense {
			out.Amount.Type = "expense"
		}
	}
	names := map[string]string{}
	for _, c := range r.Categories {
		names[c.ID] = c.Name
	}
	for _, id := range r.CategoryIDs {
		out.Categories = append(out.Categories, named{ID: id, Name: names[id]})
	}
	for _, a := range r.Accounts {
		names[a.ID] = a.DisplayName
	}
	for _, id := range r.AccountIDs {
		out.Accounts = append(out.Accounts, named{ID: id, Name: names[id]})
	}
	if r.SetMerchantAction != nil {
		out.SetMerchant = r.SetMerchantAction.Name
	}
	if r.SetCategoryAction != nil {
		out.SetCategory = &named{ID: r.SetCategoryAction.ID, Name: r.SetCategoryAction.Name}
	}
	for _, t := range r.AddTagsAction {
		out.AddTags = append(out.AddTags, named{ID: t.ID, Name: t.Name})
	}
	out.Summary = out.summary()
	return out
}
