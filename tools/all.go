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
}

// deps is what tool handlers use.
type deps struct {
	c      *monarch.Client
	status Status
	// now is the clock for default date ranges.
	now func() time.Time
}

// All returns every tool, in the order they are listed.
func All(c *monarch.Client, st Status, logger *slog.Logger) []Tool {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := env[*monarch.Session]{auth: c.Auth(), logger: logger}
	d := &deps{c: c, status: st, now: time.Now}
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
	}
}

// today returns the local calendar date (as midnight UTC, for date
// arithmetic): Monarch dates are the household's local dates.
func (d *deps) today() time.Time {
	n := d.now()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}
