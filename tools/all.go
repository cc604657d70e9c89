package tools

import (
	"log/slog"
	"time"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Status is what check_auth_status reports besides the session manager's
// own state: facts from the configuration. It holds no secret.
type Status struct {
	ReadOnly    bool
	SessionFile string // "" when sessions are not saved
	Demo        bool
	// SetVariables names the MONARCH_* settings that have a value (from the
	// environment, .env or a *_FILE), for setup_authentication. Names only:
	// never a value.
	SetVariables []string
	// EnvFile is the .env file read at start-up, "" if none.
	EnvFile string
}

// deps is what tool handlers use.
type deps struct {
	c      *monarch.Client
	status Status
	// now is c.Now: the tools read the date (and the session manager's
	// instants) on the client's clock, never a separate one.
	now func() time.Time
}

// All returns every tool, in the order they are listed. Default dates
// ("today", "the current month") come from c.Now, so a test or a caller
// choosing the date sets monarch.Config.Now and nothing else.
func All(c *monarch.Client, st Status, logger *slog.Logger) []Tool {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := env[*monarch.Session]{auth: c.Auth(), logger: logger, configured: func() error { return Configured(c) }}
	d := &deps{c: c, status: st, now: c.Now}
	return []Tool{
		getAccounts(e, d),
		getAccountHoldings(e, d),
		getAccountHistory(e, d),
		getTransactions(e, d),
		getTransactionsSummary(e, d),
		getTransactionCategories(e, d),
		getTransactionTags(e, d),
		getBudgets(e, d),
		getCashflow(e, d),
		getCashflowSummary(e, d),
		getRecurringTransactions(e, d),
		getInstitutions(e, d),
		checkAuthStatus(e, d),
		refreshAccounts(e, d),
		createTransaction(e, d),
		updateTransaction(e, d),
		deleteTransaction(e, d),
		getTransactionDetails(e, d),
		setTransactionCategory(e, d),
		updateTransactionNotes(e, d),
		markTransactionReviewed(e, d),
		setTransactionTags(e, d),
		createTag(e, d),
		getTransactionSplits(e, d),
		splitTransaction(e, d),
		bulkCategorizeTransactions(e, d),
		searchTransactions(e, d),
		getTransactionsNeedingReview(e, d),
		// Rules, balance history, session.
		getTransactionRules(e, d),
		createTransactionRule(e, d),
		updateTransactionRule(e, d),
		deleteTransactionRule(e, d),
		uploadAccountBalanceHistory(e, d),
		setupAuthentication(e, d),
		logout(e, d),
		getCategoryGroups(e, d),
		createCategory(e, d),
		updateCategory(e, d),
		setBudgetAmount(e, d),
		getSpendingSummary(e, d),
		getCashflowByMonth(e, d),
		getNetWorth(e, d),
		getNetWorthByAccountType(e, d),
		getMerchant(e, d),
		updateMerchant(e, d),
		reviewRecurringStream(e, d),
		// Household: credit scores, members, businesses, tag and category deletion.
		getCreditScoreHistory(e, d),
		getHouseholdMembers(e, d),
		getBusinessEntities(e, d),
		updateTag(e, d),
		deleteTag(e, d),
		deleteCategory(e, d),
	}
}

// today returns the calendar date of the client's clock, read in the
// clock's location (as midnight UTC, for date arithmetic): Monarch dates
// are the household's local dates.
func (d *deps) today() time.Time {
	n := d.now()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}
