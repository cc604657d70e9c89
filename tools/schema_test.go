package tools

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// TestOutputSchemaSameJSON checks, for every tool, that outputSchema gives
// clients the same JSON as mcp.WithOutputSchema, whose JSON round trip it
// skips, apart from how nullable values are written (TestSchemasPortable). The result types are named here, by tool, since a Tool keeps only
// its definition.
func TestOutputSchemaSameJSON(t *testing.T) {
	theirSchema := map[string]mcp.ToolOption{
		"bulk_categorize_transactions":    mcp.WithOutputSchema[bulkCategorizeResult](),
		"get_change_history":              mcp.WithOutputSchema[historyResult](),
		"undo_changes":                    mcp.WithOutputSchema[undoResult](),
		"check_auth_status":               mcp.WithOutputSchema[authStatus](),
		"delete_category":                 mcp.WithOutputSchema[deleteCategoryResult](),
		"create_manual_account":           mcp.WithOutputSchema[accountResult](),
		"update_account":                  mcp.WithOutputSchema[updateAccountResult](),
		"delete_account":                  mcp.WithOutputSchema[deleteAccountResult](),
		"bulk_update_transactions":        mcp.WithOutputSchema[bulkUpdateResult](),
		"delete_tag":                      mcp.WithOutputSchema[deleteTagResult](),
		"get_business_entities":           mcp.WithOutputSchema[businessEntitiesResult](),
		"get_credit_score_history":        mcp.WithOutputSchema[creditScoreResult](),
		"get_household_members":           mcp.WithOutputSchema[householdResult](),
		"get_investments":                 mcp.WithOutputSchema[investmentsResult](),
		"update_tag":                      mcp.WithOutputSchema[updateTagResult](),
		"contribute_to_goal":              mcp.WithOutputSchema[goalTransferResult](),
		"create_goal":                     mcp.WithOutputSchema[goalResult](),
		"delete_goal":                     mcp.WithOutputSchema[deleteGoalResult](),
		"get_goals":                       mcp.WithOutputSchema[goalsResult](),
		"update_goal":                     mcp.WithOutputSchema[goalResult](),
		"withdraw_from_goal":              mcp.WithOutputSchema[goalTransferResult](),
		"create_category":                 mcp.WithOutputSchema[categoryResult](),
		"create_tag":                      mcp.WithOutputSchema[createTagResult](),
		"create_transaction":              mcp.WithOutputSchema[writeResult](),
		"create_transaction_rule":         mcp.WithOutputSchema[ruleResult](),
		"delete_transaction":              mcp.WithOutputSchema[deleteResult](),
		"delete_transaction_rule":         mcp.WithOutputSchema[deleteRulesResult](),
		"get_account_history":             mcp.WithOutputSchema[accountHistoryResult](),
		"get_account_holdings":            mcp.WithOutputSchema[holdingsResult](),
		"get_accounts":                    mcp.WithOutputSchema[accountsResult](),
		"get_budgets":                     mcp.WithOutputSchema[budgetsResult](),
		"get_cashflow":                    mcp.WithOutputSchema[cashflowResult](),
		"get_cashflow_by_month":           mcp.WithOutputSchema[cashflowByMonthResult](),
		"get_cashflow_summary":            mcp.WithOutputSchema[cashflowSummaryResult](),
		"get_category_groups":             mcp.WithOutputSchema[categoryGroupsResult](),
		"get_institutions":                mcp.WithOutputSchema[institutionsResult](),
		"get_merchant":                    mcp.WithOutputSchema[merchantsResult](),
		"get_net_worth":                   mcp.WithOutputSchema[netWorthResult](),
		"get_net_worth_by_account_type":   mcp.WithOutputSchema[netWorthByTypeResult](),
		"get_recurring_transactions":      mcp.WithOutputSchema[recurringResult](),
		"get_spending_summary":            mcp.WithOutputSchema[spendingResult](),
		"get_transaction_categories":      mcp.WithOutputSchema[categoriesResult](),
		"get_transaction_details":         mcp.WithOutputSchema[detailsResult](),
		"get_transaction_rules":           mcp.WithOutputSchema[rulesResult](),
		"get_transaction_splits":          mcp.WithOutputSchema[splitsResult](),
		"get_transaction_tags":            mcp.WithOutputSchema[tagsResult](),
		"get_transactions":                mcp.WithOutputSchema[transactionsResult](),
		"get_transactions_needing_review": mcp.WithOutputSchema[needingReviewResult](),
		"get_transactions_summary":        mcp.WithOutputSchema[transactionsSummary](),
		"logout":                          mcp.WithOutputSchema[logoutResult](),
		"mark_transaction_reviewed":       mcp.WithOutputSchema[writeResult](),
		"refresh_accounts":                mcp.WithOutputSchema[refreshResult](),
		"review_recurring_stream":         mcp.WithOutputSchema[reviewStreamResult](),
		"search_transactions":             mcp.WithOutputSchema[searchResult](),
		"set_budget_amount":               mcp.WithOutputSchema[setBudgetResult](),
		"set_transaction_category":        mcp.WithOutputSchema[writeResult](),
		"set_transaction_tags":            mcp.WithOutputSchema[setTagsResult](),
		"setup_authentication":            mcp.WithOutputSchema[setupResult](),
		"split_transaction":               mcp.WithOutputSchema[splitTransactionResult](),
		"update_category":                 mcp.WithOutputSchema[updateCategoryResult](),
		"update_merchant":                 mcp.WithOutputSchema[updateMerchantResult](),
		"update_transaction":              mcp.WithOutputSchema[writeResult](),
		"update_transaction_notes":        mcp.WithOutputSchema[writeResult](),
		"update_transaction_rule":         mcp.WithOutputSchema[ruleResult](),
		"upload_account_balance_history":  mcp.WithOutputSchema[uploadBalanceResult](),
		"find_duplicate_transactions":     mcp.WithOutputSchema[duplicatesResult](),
	}
	c, err := monarch.New(monarch.Config{BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	// The schemas as derived at run time; TestGeneratedOutputSchemas checks
	// that the generated ones are the same.
	d := newDeps(c, Status{}, nil, nil)
	d.reflectSchemas = true
	for _, tool := range d.all() {
		opt, ok := theirSchema[tool.Name()]
		if !ok {
			t.Errorf("%s: add its result type to theirSchema", tool.Name())
			continue
		}
		var theirs mcp.Tool
		opt(&theirs)
		var a, b any
		for v, schema := range map[*any]mcp.ToolOutputSchema{&a: tool.Definition().OutputSchema, &b: theirs.OutputSchema} {
			raw, err := json.Marshal(schema)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, v); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(withoutNull(a), withoutNull(b)) {
			t.Errorf("%s: output schema differs from mcp.WithOutputSchema's", tool.Name())
		}
	}
}
