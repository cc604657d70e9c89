package tools

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// The criteria and actions create_transaction_rule and
// update_transaction_rule take, how they are checked, and how they are
// merged into a rule.

// ruleFields are the criteria and actions a rule tool may set. Pointers:
// nil means "not given" (create: unset; update: keep).
type ruleFields struct {
	Merchant               *string   `json:"merchant,omitempty"`
	MerchantOperator       *string   `json:"merchant_operator,omitempty"`
	MatchOriginalStatement *bool     `json:"match_original_statement,omitempty"`
	AmountOperator         *string   `json:"amount_operator,omitempty"`
	Amount                 *float64  `json:"amount,omitempty"`
	AmountMin              *float64  `json:"amount_min,omitempty"`
	AmountMax              *float64  `json:"amount_max,omitempty"`
	AmountType             *string   `json:"amount_type,omitempty"`
	CategoryIDs            *[]string `json:"category_ids,omitempty"`
	AccountIDs             *[]string `json:"account_ids,omitempty"`
	SetCategoryID          *string   `json:"set_category_id,omitempty"`
	SetMerchantName        *string   `json:"set_merchant_name,omitempty"`
	AddTagIDs              *[]string `json:"add_tag_ids,omitempty"`
	HideFromReports        *bool     `json:"hide_from_reports,omitempty"`
	ReviewStatus           *string   `json:"review_status,omitempty"`
	ApplyToExisting        bool      `json:"apply_to_existing,omitempty"`
}

// empty reports whether no criterion or action is given.
func (f *ruleFields) empty() bool {
	return f.Merchant == nil && f.MerchantOperator == nil && f.MatchOriginalStatement == nil && f.AmountOperator == nil &&
		f.Amount == nil && f.AmountMin == nil && f.AmountMax == nil && f.AmountType == nil && f.CategoryIDs == nil &&
		f.AccountIDs == nil && f.SetCategoryID == nil && f.SetMerchantName == nil && f.AddTagIDs == nil &&
		f.HideFromReports == nil && f.ReviewStatus == nil
}

// check validates each given field on its own.
func (f *ruleFields) check() error {
	if f.MerchantOperator != nil && *f.MerchantOperator != monarch.OpContains && *f.MerchantOperator != monarch.OpEquals {
		return argErrorf("merchant_operator", fmt.Sprintf("must be %q or %q (got %q)", monarch.OpContains, monarch.OpEquals, *f.MerchantOperator))
	}
	if f.AmountOperator != nil && *f.AmountOperator != "" && *f.AmountOperator != monarch.OpEquals && *f.AmountOperator != monarch.OpBetween {
		return argErrorf("amount_operator", fmt.Sprintf("must be %q or %q, or \"\" to remove the amount criterion (got %q)", monarch.OpEquals, monarch.OpBetween, *f.AmountOperator))
	}
	if f.AmountType != nil && *f.AmountType != "expense" && *f.AmountType != "income" {
		return argErrorf("amount_type", fmt.Sprintf("must be \"expense\" or \"income\" (got %q)", *f.AmountType))
	}
	for name, v := range map[string]*float64{"amount": f.Amount, "amount_min": f.AmountMin, "amount_max": f.AmountMax} {
		if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0 || *v >= 1e12) {
			return argErrorf(name, fmt.Sprintf("must be a positive amount; say spending or income with amount_type (got %v)", *v))
		}
	}
	if err := checkAmountRange(f.AmountMin, f.AmountMax); err != nil {
		return err
	}
	for name, ids := range map[string]*[]string{"category_ids": f.CategoryIDs, "account_ids": f.AccountIDs, "add_tag_ids": f.AddTagIDs} {
		if ids != nil {
			if err := checkIDs(name, *ids); err != nil {
				return err
			}
		}
	}
	if f.ReviewStatus != nil && *f.ReviewStatus != "" && *f.ReviewStatus != monarch.ReviewStatusReviewed && *f.ReviewStatus != monarch.ReviewStatusNeedsReview {
		return argErrorf("review_status", fmt.Sprintf("must be %q or %q, or \"\" for none (got %q)", monarch.ReviewStatusReviewed, monarch.ReviewStatusNeedsReview, *f.ReviewStatus))
	}
	return nil
}

// checkAmountRange refuses amount_min above amount_max. check applies it to
// the arguments, so that a call is refused before any request; merge to the
// rule they make, whose other bound may be the rule's own.
func checkAmountRange(lo, hi *float64) error {
	if lo != nil && hi != nil && *lo > *hi {
		return &ArgError{Msg: fmt.Sprintf("amount_min (%v) is more than amount_max (%v)", *lo, *hi)}
	}
	return nil
}

// merge applies the given fields to in, then checks that the result is a
// rule Monarch accepts: at least one criterion and one action.
func (f *ruleFields) merge(in *monarch.RuleInput) error {
	if f.Merchant != nil || f.MerchantOperator != nil {
		if len(in.MerchantCriteria) > 1 {
			// One merchant field cannot say which criterion it replaces.
			return &ArgError{Msg: fmt.Sprintf("this rule matches %d merchant texts; merchant and merchant_operator would replace them all with one. "+
				"Delete the rule and create it anew to change them", len(in.MerchantCriteria))}
		}
		op, val := monarch.OpContains, ""
		if len(in.MerchantCriteria) > 0 {
			op, val = in.MerchantCriteria[0].Operator, in.MerchantCriteria[0].Value
		}
		if f.MerchantOperator != nil {
			op = *f.MerchantOperator
		}
		if f.Merchant != nil {
			val = strings.TrimSpace(*f.Merchant)
		}
		in.MerchantCriteria = nil
		if val != "" {
			in.MerchantCriteria = []monarch.TextCriterion{{Operator: op, Value: val}}
		} else if f.Merchant == nil {
			return argErrorf("merchant", "is required with merchant_operator (the text to match)")
		}
	}
	if f.MatchOriginalStatement != nil {
		in.MatchOriginalStatement = *f.MatchOriginalStatement
	}
	if f.AmountOperator != nil || f.Amount != nil || f.AmountMin != nil || f.AmountMax != nil || f.AmountType != nil {
		a := monarch.AmountCriterion{IsExpense: true}
		if in.AmountCriteria != nil {
			a = *in.AmountCriteria
		}
		if f.AmountOperator != nil {
			a.Operator = *f.AmountOperator
		}
		if f.AmountType != nil {
			a.IsExpense = *f.AmountType == "expense"
		}
		if f.Amount != nil {
			a.Value = f.Amount
		}
		if f.AmountMin != nil {
			a.Lower = f.AmountMin
		}
		if f.AmountMax != nil {
			a.Upper = f.AmountMax
		}
		switch {
		case a.Operator == monarch.OpEquals && (f.AmountMin != nil || f.AmountMax != nil):
			return &ArgError{Msg: "amount_min and amount_max go with amount_operator \"between\"; with \"equals\" give amount"}
		case a.Operator == monarch.OpBetween && f.Amount != nil:
			return argErrorf("amount", "goes with amount_operator \"equals\"; with \"between\" give amount_min and amount_max")
		}
		switch a.Operator {
		case "":
			if f.AmountOperator == nil {
				return argErrorf("amount_operator", "is required with amount, amount_min, amount_max or amount_type (\"equals\" or \"between\")")
			}
			in.AmountCriteria = nil
		case monarch.OpEquals:
			if a.Value == nil {
				return argErrorf("amount", "is required when amount_operator is \"equals\"")
			}
			a.Lower, a.Upper = nil, nil
			in.AmountCriteria = &a
		case monarch.OpBetween:
			if a.Lower == nil || a.Upper == nil {
				return &ArgError{Msg: "amount_min and amount_max are required when amount_operator is \"between\""}
			}
			if err := checkAmountRange(a.Lower, a.Upper); err != nil {
				return err
			}
			a.Value = nil
			in.AmountCriteria = &a
		default:
			// A rule made in Monarch's app with another operator: its
			// values cannot be changed here without losing their meaning.
			return argErrorf("amount_operator", fmt.Sprintf("this rule compares amounts with %q; set amount_operator to \"equals\" or \"between\" to replace it", a.Operator))
		}
	}
	if f.CategoryIDs != nil {
		in.CategoryIDs = slices.Clone(*f.CategoryIDs)
	}
	if f.AccountIDs != nil {
		in.AccountIDs = slices.Clone(*f.AccountIDs)
	}
	if f.SetCategoryID != nil {
		in.SetCategoryID = strings.TrimSpace(*f.SetCategoryID)
	}
	if f.SetMerchantName != nil {
		in.SetMerchantName = strings.TrimSpace(*f.SetMerchantName)
	}
	if f.AddTagIDs != nil {
		in.AddTagIDs = slices.Clone(*f.AddTagIDs)
	}
	if f.HideFromReports != nil {
		in.HideFromReports = *f.HideFromReports
	}
	if f.ReviewStatus != nil {
		in.ReviewStatus = *f.ReviewStatus
	}
	in.ApplyToExistingTransactions = f.ApplyToExisting
	if len(in.MerchantCriteria) == 0 && in.AmountCriteria == nil && len(in.CategoryIDs) == 0 && len(in.AccountIDs) == 0 {
		return &ArgError{Msg: "the rule needs at least one criterion: merchant, amount_operator, category_ids or account_ids"}
	}
	if in.SetCategoryID == "" && in.SetMerchantName == "" && len(in.AddTagIDs) == 0 && !in.HideFromReports && in.ReviewStatus == "" {
		return &ArgError{Msg: "the rule needs at least one action: set_category_id, set_merchant_name, add_tag_ids, hide_from_reports or review_status"}
	}
	return nil
}

// ruleParams describes ruleFields.
func ruleParams() []mcp.ToolOption {
	return []mcp.ToolOption{
		mcp.WithString("merchant", mcp.Description("Criterion: text the merchant name must contain (or equal, see merchant_operator). Monarch stores it lower-cased."), mcp.MaxLength(maxNameLen)),
		mcp.WithString("merchant_operator", mcp.Enum(monarch.OpContains, monarch.OpEquals), mcp.Description("How merchant matches: contains (default) or equals.")),
		mcp.WithBoolean("match_original_statement", mcp.Description("Match merchant against the bank's original statement text instead of the merchant name.")),
		mcp.WithString("amount_operator", mcp.Enum(monarch.OpEquals, monarch.OpBetween, ""), mcp.Description("Criterion on the amount: equals (give amount) or between (give amount_min and amount_max).")),
		mcp.WithNumber("amount", mcp.Min(0), mcp.Description("For amount_operator=equals: the amount, positive.")),
		mcp.WithNumber("amount_min", mcp.Min(0), mcp.Description("For amount_operator=between: lowest amount, positive.")),
		mcp.WithNumber("amount_max", mcp.Min(0), mcp.Description("For amount_operator=between: highest amount, positive.")),
		mcp.WithString("amount_type", mcp.Enum("expense", "income"), mcp.Description("Whether the amount criterion matches spending (expense, default) or income.")),
		idsParam("category_ids", "Criterion: only transactions in these categories (ids from get_transaction_categories)."),
		idsParam("account_ids", "Criterion: only transactions in these accounts (ids from get_accounts)."),
		idParam("set_category_id", "Action: set this category (id from get_transaction_categories)."),
		mcp.WithString("set_merchant_name", mcp.Description("Action: rename the merchant to this name."), mcp.MaxLength(maxNameLen)),
		idsParam("add_tag_ids", "Action: add these tags (ids from get_transaction_tags)."),
		mcp.WithBoolean("hide_from_reports", mcp.Description("Action: hide matching transactions from reports and budgets.")),
		mcp.WithString("review_status", mcp.Enum(monarch.ReviewStatusReviewed, monarch.ReviewStatusNeedsReview, ""), mcp.Description("Action: mark matching transactions reviewed or needs_review.")),
		mcp.WithBoolean("apply_to_existing", mcp.Description("Also apply the rule now to matching transactions already in Monarch (default false: only future transactions)."), mcp.DefaultBool(false)),
	}
}
