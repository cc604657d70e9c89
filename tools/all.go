package tools

import (
	"log/slog"
	"slices"
	"time"

	"github.com/monarch-mcp/monarch-mcp/journal"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// Status is what check_auth_status reports besides the session manager's
// own state: facts from the configuration. It holds no secret.
type Status struct {
	ReadOnly    bool
	SessionFile string // "" when sessions are not saved
	Demo        bool
	// SetVariables names the MONARCH_* settings that have a value (from the
	// environment, a *_FILE, the keychain or .env), for
	// setup_authentication. Names only: never a value.
	SetVariables []string
	// CredentialsFrom says where the email, password and authenticator
	// secret came from (e.g. "keychain", "environment and .env"); "" when
	// none is set. Source names only.
	CredentialsFrom string
	// EnvFile is the .env file read at start-up, "" if none.
	EnvFile string
	// Journal records every change the write tools make, so that
	// undo_changes can take it back; nil: changes are not recorded.
	Journal *journal.Journal
}

// deps is what every tool uses: the registry to wrap and log its handler,
// the handler to do its work.
type deps struct {
	c *monarch.Client
	// auth is c's session manager, and the one way this package reaches
	// it: the registry wraps handlers with it, and the tools that read or
	// change the session (check_auth_status, setup_authentication, logout,
	// the batches' per-item renewal) use it too.
	auth   *reauth.Manager[*monarch.Session]
	status Status
	// now is c.Now: the tools read the date (and the session manager's
	// instants) on the client's clock, never a separate one.
	now    func() time.Time
	logger *slog.Logger
	// configured returns ErrNotConfigured when no call can sign in; nil
	// means always configured.
	configured func() error
	// outline, if set, names the tools that will not be served: they are
	// built as outlines (see AllIn).
	outline func(name string) bool
	// journal is st.Journal; kinds are the objects it can read and put
	// back, by name.
	journal *journal.Journal
	kinds   map[string]*objectKind
	// reflectSchemas makes every tool derive its output schema from its
	// result type instead of taking the generated one
	// (outputschemas_gen.go): the test that keeps that file current
	// compares the two.
	reflectSchemas bool
}

// All returns every tool, in the order they are listed. Default dates
// ("today", "the current month") come from c.Now, so a test or a caller
// choosing the date sets monarch.Config.Now and nothing else.
func All(c *monarch.Client, st Status, logger *slog.Logger) []Tool {
	return AllIn(c, st, logger, nil)
}

// AllIn is All for a server that will serve only the given toolsets (nil:
// all of them). Only those tools are built in full (schemas, handler
// chain); the rest carry just their name, kind and annotations, enough to
// say which toolset would enable them.
func AllIn(c *monarch.Client, st Status, logger *slog.Logger, toolsets []string) []Tool {
	return newDeps(c, st, logger, toolsets).all()
}

// newDeps is what AllIn's tools share.
func newDeps(c *monarch.Client, st Status, logger *slog.Logger, toolsets []string) *deps {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	d := &deps{c: c, auth: c.Auth(), status: st, now: c.Now, logger: logger, configured: func() error { return Configured(c) },
		journal: st.Journal}
	d.kinds = kindsFor(d)
	if toolsets != nil {
		member := Membership()
		d.outline = func(name string) bool { return !slices.Contains(toolsets, member[name]) }
	}
	return d
}

// all builds every tool, in the order they are listed.
func (d *deps) all() []Tool {
	return []Tool{
		getAccounts(d),
		getAccountHoldings(d),
		getAccountHistory(d),
		getTransactions(d),
		getTransactionsSummary(d),
		getTransactionCategories(d),
		getTransactionTags(d),
		getBudgets(d),
		getCashflow(d),
		getCashflowSummary(d),
		getRecurringTransactions(d),
		getInstitutions(d),
		checkAuthStatus(d),
		refreshAccounts(d),
		createTransaction(d),
		updateTransaction(d),
		deleteTransaction(d),
		getTransactionDetails(d),
		setTransactionCategory(d),
		updateTransactionNotes(d),
		markTransactionReviewed(d),
		setTransactionTags(d),
		createTag(d),
		getTransactionSplits(d),
		splitTransaction(d),
		bulkCategorizeTransactions(d),
		searchTransactions(d),
		getTransactionsNeedingReview(d),
		// Rules, balance history, session.
		getTransactionRules(d),
		createTransactionRule(d),
		updateTransactionRule(d),
		deleteTransactionRule(d),
		uploadAccountBalanceHistory(d),
		setupAuthentication(d),
		logout(d),
		getCategoryGroups(d),
		createCategory(d),
		updateCategory(d),
		setBudgetAmount(d),
		getSpendingSummary(d),
		getCashflowByMonth(d),
		getNetWorth(d),
		getNetWorthByAccountType(d),
		getMerchant(d),
		updateMerchant(d),
		reviewRecurringStream(d),
		// Goals, in either of Monarch's goal models.
		getGoals(d),
		createGoal(d),
		updateGoal(d),
		deleteGoal(d),
		contributeToGoal(d),
		withdrawFromGoal(d),
		// Household: credit scores, members, businesses, tag and category deletion.
		getCreditScoreHistory(d),
		getHouseholdMembers(d),
		getBusinessEntities(d),
		updateTag(d),
		deleteTag(d),
		deleteCategory(d),
		// Investments: the whole portfolio.
		getInvestments(d),
		// Manual accounts and bulk transaction edits.
		createManualAccount(d),
		updateAccount(d),
		deleteAccount(d),
		bulkUpdateTransactions(d),
		// Transaction hygiene.
		findDuplicateTransactions(d),
		// The change journal.
		getChangeHistory(d),
		undoChanges(d),
	}
}

// today returns the calendar date of the client's clock, read in the
// clock's location (as midnight UTC, for date arithmetic): Monarch dates
// are the household's local dates.
func (d *deps) today() time.Time {
	n := d.now()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}
