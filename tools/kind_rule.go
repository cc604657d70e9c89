package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Transaction rules in the change journal: every criterion and action this
// server reads. A rule's order and application history are not recorded:
// no write of ours sets them.

const kindRule = "transaction_rule"

// Rule fields, as the journal names them.
const (
	ruleMerchants   = "merchant_criteria" // sorted "operator:value"
	ruleOriginal    = "match_original_statement"
	ruleAmountOp    = "amount_operator" // "" without an amount criterion
	ruleAmountExp   = "amount_is_expense"
	ruleAmountValue = "amount_value" // float64 or nil
	ruleAmountMin   = "amount_min"
	ruleAmountMax   = "amount_max"
	ruleCategories  = "category_ids" // sorted
	ruleAccounts    = "account_ids"  // sorted
	ruleSetMerchant = "set_merchant" // the name; "" for none
	ruleSetCategory = "set_category_id"
	ruleAddTags     = "add_tag_ids" // sorted
	ruleHide        = "hide_from_reports"
	ruleReview      = "review_status"
)

var ruleFieldNames = []string{ruleMerchants, ruleOriginal, ruleAmountOp, ruleAmountExp, ruleAmountValue, ruleAmountMin, ruleAmountMax,
	ruleCategories, ruleAccounts, ruleSetMerchant, ruleSetCategory, ruleAddTags, ruleHide, ruleReview}

// ruleRecreateLoss is what a rule brought back by undo does not get back.
const ruleRecreateLoss = "it goes last in the rule order, without its application history or actions only Monarch's app sets (owner, goal, split)"

func ruleKind(d *deps) *objectKind {
	return &objectKind{
		name:   kindRule,
		fields: ruleFieldNames,
		read:   readListed(d.c.GetTransactionRules, func(r monarch.TransactionRule) string { return r.ID }, ruleValues),
		set: func(ctx context.Context, id string, v values) error {
			return setRules(ctx, d, []setItem{{id: id, v: v}})[id]
		},
		setMany: func(ctx context.Context, items []setItem) map[string]error {
			return setRules(ctx, d, items)
		},
		create: func(ctx context.Context, v values) (string, error) {
			id, err := d.c.CreateTransactionRule(ctx, ruleInput(v))
			if err != nil {
				return "", err
			}
			if id == "" {
				return "", fmt.Errorf("the rule was recreated, but its new id could not be told apart: get_transaction_rules lists it")
			}
			return id, nil
		},
		remove: func(ctx context.Context, id string) error {
			return d.c.DeleteTransactionRule(ctx, id)
		},
		recreateLoss: ruleRecreateLoss,
	}
}

// ruleValues are r's journal fields, in canonical form: lists sorted,
// amounts rounded to cents, absent parts as "" or nil.
func ruleValues(r monarch.TransactionRule) values {
	merchants := make([]string, 0, len(r.MerchantCriteria))
	for _, c := range r.MerchantCriteria {
		merchants = append(merchants, c.Operator+":"+c.Value)
	}
	slices.Sort(merchants)
	v := values{
		ruleMerchants: merchants, ruleOriginal: r.MerchantCriteriaUseOriginalStatement,
		ruleAmountOp: "", ruleAmountExp: false, ruleAmountValue: nil, ruleAmountMin: nil, ruleAmountMax: nil,
		ruleCategories: sortedIDs(r.CategoryIDs), ruleAccounts: sortedIDs(r.AccountIDs),
		ruleSetMerchant: "", ruleSetCategory: "", ruleHide: r.SetHideFromReportsAction, ruleReview: r.ReviewStatusAction,
	}
	if a := r.AmountCriteria; a != nil {
		v[ruleAmountOp], v[ruleAmountExp] = a.Operator, a.IsExpense
		for f, x := range map[string]*float64{ruleAmountValue: a.Value, ruleAmountMin: a.Lower, ruleAmountMax: a.Upper} {
			if x != nil {
				v[f] = round2(*x)
			}
		}
	}
	if r.SetMerchantAction != nil {
		v[ruleSetMerchant] = r.SetMerchantAction.Name
	}
	if r.SetCategoryAction != nil {
		v[ruleSetCategory] = r.SetCategoryAction.ID
	}
	v[ruleAddTags] = sortedTagIDs(r.AddTagsAction)
	return v
}

func sortedIDs(ids []string) []string {
	out := slices.Clone(ids)
	if out == nil {
		out = []string{}
	}
	slices.Sort(out)
	return out
}

// ruleInput is the rule v describes (every field), to create or to update
// it with.
func ruleInput(v values) monarch.RuleInput {
	var in monarch.RuleInput
	ms, _ := vStrings(v, ruleMerchants)
	for _, m := range ms {
		op, val, _ := strings.Cut(m, ":")
		in.MerchantCriteria = append(in.MerchantCriteria, monarch.TextCriterion{Operator: op, Value: val})
	}
	in.MatchOriginalStatement, _ = vBool(v, ruleOriginal)
	if op, _ := vString(v, ruleAmountOp); op != "" {
		a := &monarch.AmountCriterion{Operator: op}
		a.IsExpense, _ = vBool(v, ruleAmountExp)
		for f, p := range map[string]**float64{ruleAmountValue: &a.Value, ruleAmountMin: &a.Lower, ruleAmountMax: &a.Upper} {
			if x, ok := vFloat(v, f); ok {
				*p = &x
			}
		}
		in.AmountCriteria = a
	}
	in.CategoryIDs, _ = vStrings(v, ruleCategories)
	in.AccountIDs, _ = vStrings(v, ruleAccounts)
	in.SetMerchantName, _ = vString(v, ruleSetMerchant)
	in.SetCategoryID, _ = vString(v, ruleSetCategory)
	in.AddTagIDs, _ = vStrings(v, ruleAddTags)
	in.HideFromReports, _ = vBool(v, ruleHide)
	in.ReviewStatus, _ = vString(v, ruleReview)
	return in
}

// setRules puts fields back on rules: Monarch replaces a rule whole on
// update, so each rule's current fields are read (one read for all) and
// the restored ones laid over them.
func setRules(ctx context.Context, d *deps, items []setItem) map[string]error {
	errs := map[string]error{}
	rules, err := d.c.GetTransactionRules(ctx)
	if err != nil {
		for _, it := range items {
			errs[it.id] = err
		}
		return errs
	}
	for _, it := range items {
		i := slices.IndexFunc(rules, func(r monarch.TransactionRule) bool { return r.ID == it.id })
		if i < 0 {
			errs[it.id] = ruleNotFound(it.id)
			continue
		}
		if err := d.c.UpdateTransactionRule(ctx, it.id, ruleInput(mergeValues(ruleValues(rules[i]), it.v))); err != nil {
			errs[it.id] = err
		}
	}
	return errs
}

// ruleTarget names rules ids, every field.
func ruleTarget(ids ...string) []target {
	return []target{{kind: kindRule, ids: ids}}
}
