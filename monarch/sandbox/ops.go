package sandbox

// obj is a JSON object in an answer. Answers are built as maps because the
// sandbox returns a superset of the fields the client's queries select.
type obj = map[string]any

// operation answers one GraphQL operation with its data. It runs with the
// Sandbox's lock held. An error is reported as a GraphQL request error.
type operation func(s *Sandbox, v vars) (any, error)

// operations maps operationName to its implementation. It is read-only
// after package initialisation.
var operations = map[string]operation{
	"GetAccounts":                              opGetAccounts,
	"ForceRefreshAccountsQuery":                opRefreshStatus,
	"Common_ForceRefreshAccountsMutation":      opForceRefresh,
	"Web_GetHoldings":                          opHoldings,
	"AccountDetails_getAccount":                opAccountDetails,
	"GetAccountRecentBalances":                 opRecentBalances,
	"GetAggregateSnapshots":                    opAggregateSnapshots,
	"Web_GetInstitutionSettings":               opInstitutions,
	"GetTransactionsList":                      opTransactionsList,
	"GetTransactionsPage":                      opTransactionsSummary,
	"GetTransactionDrawer":                     opTransactionDrawer,
	"Common_CreateTransactionMutation":         opCreateTransaction,
	"Web_TransactionDrawerUpdateTransaction":   opUpdateTransaction,
	"Common_DeleteTransactionMutation":         opDeleteTransaction,
	"Web_SetTransactionTags":                   opSetTransactionTags,
	"GetCategories":                            opCategories,
	"ManageGetCategoryGroups":                  opCategoryGroups,
	"GetHouseholdTransactionTags":              opTags,
	"Common_CreateTransactionTag":              opCreateTag,
	"Common_GetJointPlanningData":              opBudgets,
	"GetJointPlanningData":                     opBudgets, // older libraries' name for the same query
	"Common_UpdateBudgetItem":                  opUpdateBudgetItem,
	"Web_GetCashFlowPage":                      opCashflow,
	"Web_GetUpcomingRecurringTransactionItems": opRecurringItems,
	"Common_GetMe":                             opGetMe,
	"TransactionSplitQuery":                    opTransactionSplits,
	"Common_SplitTransactionMutation":          opSplitTransaction,
	"GetTransactionRules":                      opTransactionRules,
	"Common_CreateTransactionRuleMutationV2":   opCreateTransactionRule,
	"Common_UpdateTransactionRuleMutationV2":   opUpdateTransactionRule,
	"Common_DeleteTransactionRule":             opDeleteTransactionRule,
	"Web_ParseUploadBalanceHistorySession":     opParseBalanceUpload,
	"Web_GetUploadBalanceHistorySession":       opBalanceUploadSession,
	"Web_CreateCategory":                       opCreateCategory,
	"Web_UpdateCategory":                       opUpdateCategory,
	"GetSnapshotsByAccountType":                opSnapshotsByAccountType,
	"Common_GetEditMerchant":                   opGetMerchant,
	"Web_GetMerchantSettingsPage":              opMerchants,
	"Common_UpdateMerchant":                    opUpdateMerchant,
	"Common_GetRecurringStreams":               opRecurringStreams,
	"Web_ReviewStream":                         opReviewStream,
	// Goals, both models.
	"Web_GetGoalsModel":                       opGoalsModel,
	"Web_GetGoalOptions":                      opGoalOptions,
	"Web_GetSavingsGoals":                     opSavingsGoals,
	"Web_GetGoalsV2":                          opGoalsV2,
	"Web_CreateSavingsGoal":                   opCreateSavingsGoal,
	"Web_UpdateSavingsGoal":                   opUpdateSavingsGoal,
	"Web_DeleteSavingsGoal":                   opDeleteSavingsGoal,
	"Web_CreateSavingsGoalContribution":       opGoalContribution,
	"Web_CreateSavingsGoalWithdrawal":         opGoalWithdrawal,
	"Web_CreateGoalV2":                        opCreateGoalV2,
	"Web_UpdateGoalV2":                        opUpdateGoalV2,
	"Web_DeleteGoalV2":                        opDeleteGoalV2,
	"Web_CreateGoalAccountAllocation":         opLinkGoalV2,
	"Web_DeleteGoalAccountAllocation":         opUnlinkGoalV2,
	"Common_GetSpinwheelCreditScoreSnapshots": opCreditScores,
	"GetHouseholdMembers":                     opHouseholdMembers,
	"GetBusinessEntities":                     opBusinessEntities,
	"Common_UpdateTransactionTag":             opUpdateTag,
	"Common_DeleteTransactionTag":             opDeleteTag,
	"Web_DeleteCategory":                      opDeleteCategory,
	// Investments.
	"Web_GetPortfolio": opPortfolio,
	// Manual accounts and bulk transaction edits.
	"GetAccountTypeOptions":                 opAccountTypeOptions,
	"Web_CreateManualAccount":               opCreateManualAccount,
	"Common_UpdateAccount":                  opUpdateAccount,
	"Common_DeleteAccount":                  opDeleteAccount,
	"Common_BulkUpdateTransactionsMutation": opBulkUpdateTransactions,
}

// payloadError is a mutation's in-payload error (PayloadError).
func payloadError(message, code, field string) obj {
	e := obj{"message": message, "code": code, "fieldErrors": []obj{}, "__typename": "PayloadError"}
	if field != "" {
		e["fieldErrors"] = []obj{{"field": field, "messages": []string{message}, "__typename": "FieldErrorType"}}
	}
	return e
}

// nullable returns nil for a nil pointer (JSON null), else its value.
func nullable(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
