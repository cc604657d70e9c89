package tools

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// sameOutputSchema reports whether outputSchema[R] gives clients the same
// JSON as mcp.WithOutputSchema[R].
func sameOutputSchema[R any](t *testing.T, name string) {
	t.Helper()
	var ours, theirs mcp.Tool
	outputSchema[R]()(&ours)
	mcp.WithOutputSchema[R]()(&theirs)
	var a, b any
	for v, tool := range map[*any]mcp.Tool{&a: ours, &b: theirs} {
		raw, err := json.Marshal(tool.OutputSchema)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("%s: output schema differs from mcp.WithOutputSchema's", name)
	}
}

// TestOutputSchemaSameJSON covers every result type.
func TestOutputSchemaSameJSON(t *testing.T) {
	sameOutputSchema[accountsResult](t, "accountsResult")
	sameOutputSchema[holdingsResult](t, "holdingsResult")
	sameOutputSchema[accountHistoryResult](t, "accountHistoryResult")
	sameOutputSchema[spendingResult](t, "spendingResult")
	sameOutputSchema[cashflowByMonthResult](t, "cashflowByMonthResult")
	sameOutputSchema[uploadBalanceResult](t, "uploadBalanceResult")
	sameOutputSchema[batchResult](t, "batchResult")
	sameOutputSchema[setBudgetResult](t, "setBudgetResult")
	sameOutputSchema[budgetsResult](t, "budgetsResult")
	sameOutputSchema[cashflowResult](t, "cashflowResult")
	sameOutputSchema[cashflowSummaryResult](t, "cashflowSummaryResult")
	sameOutputSchema[recurringResult](t, "recurringResult")
	sameOutputSchema[bulkCategorizeResult](t, "bulkCategorizeResult")
	sameOutputSchema[categoriesResult](t, "categoriesResult")
	sameOutputSchema[tagsResult](t, "tagsResult")
	sameOutputSchema[institutionsResult](t, "institutionsResult")
	sameOutputSchema[categoryGroupsResult](t, "categoryGroupsResult")
	sameOutputSchema[categoryResult](t, "categoryResult")
	sameOutputSchema[updateCategoryResult](t, "updateCategoryResult")
	sameOutputSchema[merchantsResult](t, "merchantsResult")
	sameOutputSchema[updateMerchantResult](t, "updateMerchantResult")
	sameOutputSchema[reviewStreamResult](t, "reviewStreamResult")
	sameOutputSchema[netWorthResult](t, "netWorthResult")
	sameOutputSchema[netWorthByTypeResult](t, "netWorthByTypeResult")
	sameOutputSchema[needingReviewResult](t, "needingReviewResult")
	sameOutputSchema[rulesResult](t, "rulesResult")
	sameOutputSchema[ruleResult](t, "ruleResult")
	sameOutputSchema[searchResult](t, "searchResult")
	sameOutputSchema[setupResult](t, "setupResult")
	sameOutputSchema[logoutResult](t, "logoutResult")
	sameOutputSchema[splitsResult](t, "splitsResult")
	sameOutputSchema[splitTransactionResult](t, "splitTransactionResult")
	sameOutputSchema[transactionsResult](t, "transactionsResult")
	sameOutputSchema[detailsResult](t, "detailsResult")
	sameOutputSchema[setTagsResult](t, "setTagsResult")
	sameOutputSchema[createTagResult](t, "createTagResult")
	sameOutputSchema[refreshResult](t, "refreshResult")
	sameOutputSchema[writeResult](t, "writeResult")
	sameOutputSchema[deleteResult](t, "deleteResult")
}
