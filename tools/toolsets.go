package tools

import (
	"fmt"
	"slices"
	"strings"
)

// Toolset is a named group of tools that a user enables or leaves out as a
// whole (--toolsets, MONARCH_TOOLSETS). Every tool belongs to exactly one.
type Toolset struct {
	Name string
	// Summary says what the toolset is for, for --help and `tools`.
	Summary string
	// Default toolsets are served when none are chosen: what a chat
	// assistant needs, within a small model-facing footprint.
	Default bool
	// Always toolsets are served whatever is chosen: without them a
	// sign-in problem could not be diagnosed or fixed.
	Always bool
	// Tools are the members' names.
	Tools []string
}

// AllToolsets is the word that chooses every toolset.
const AllToolsets = "all"

// Toolsets returns every toolset, in the order they are shown. This is the
// one place a tool's toolset is declared; a tool not listed here is refused
// by a test.
func Toolsets() []Toolset {
	return []Toolset{
		{Name: "session", Always: true, Summary: "sign-in status, setup and logout (always on)",
			Tools: []string{"check_auth_status", "setup_authentication", "logout"}},
		{Name: "accounts", Default: true, Summary: "accounts, balances and their history, net worth, institutions, refresh",
			Tools: []string{"get_accounts", "get_account_history", "get_institutions", "refresh_accounts",
				"get_net_worth", "get_net_worth_by_account_type"}},
		{Name: "transactions", Default: true, Summary: "list, search, read, create, edit and delete transactions; category and tag ids",
			Tools: []string{"get_transactions", "search_transactions", "get_transaction_details", "get_transactions_summary",
				"get_transaction_categories", "get_transaction_tags", "create_transaction", "update_transaction",
				"delete_transaction", "set_transaction_tags"}},
		{Name: "budgets", Default: true, Summary: "budgets and budget amounts",
			Tools: []string{"get_budgets", "set_budget_amount"}},
		{Name: "cashflow", Default: true, Summary: "income, spending and savings over time",
			Tools: []string{"get_cashflow", "get_cashflow_summary", "get_spending_summary", "get_cashflow_by_month"}},
		{Name: "recurring", Default: true, Summary: "recurring transactions and their review",
			Tools: []string{"get_recurring_transactions", "review_recurring_stream"}},
		{Name: "changes", Default: true, Summary: "the change journal: what the write tools changed, and undoing it",
			Tools: []string{"get_change_history", "undo_changes"}},
		{Name: "goals", Summary: "savings goals, contributions and withdrawals",
			Tools: []string{"get_goals", "create_goal", "update_goal", "delete_goal", "contribute_to_goal", "withdraw_from_goal"}},
		{Name: "review", Summary: "reviewing and cleaning up transactions: review queue, quick edits, bulk edits, duplicates, splits",
			Tools: []string{"get_transactions_needing_review", "mark_transaction_reviewed", "set_transaction_category",
				"update_transaction_notes", "bulk_categorize_transactions", "bulk_update_transactions",
				"find_duplicate_transactions", "get_transaction_splits", "split_transaction"}},
		{Name: "categories", Summary: "managing categories, category groups, tags and merchants",
			Tools: []string{"get_category_groups", "create_category", "update_category", "delete_category",
				"create_tag", "update_tag", "delete_tag", "get_merchant", "update_merchant"}},
		{Name: "rules", Summary: "transaction rules",
			Tools: []string{"get_transaction_rules", "create_transaction_rule", "update_transaction_rule", "delete_transaction_rule"}},
		{Name: "investments", Summary: "holdings and portfolio performance",
			Tools: []string{"get_account_holdings", "get_investments"}},
		{Name: "manual_accounts", Summary: "creating, editing and deleting accounts; uploading balance history",
			Tools: []string{"create_manual_account", "update_account", "delete_account", "upload_account_balance_history"}},
		{Name: "household", Summary: "household members, businesses and credit scores",
			Tools: []string{"get_household_members", "get_business_entities", "get_credit_score_history"}},
	}
}

// Membership maps every tool's name to its toolset's. Build it once where
// many tools are looked up: each call rebuilds the table.
func Membership() map[string]string {
	m := map[string]string{}
	for _, ts := range Toolsets() {
		for _, tool := range ts.Tools {
			m[tool] = ts.Name
		}
	}
	return m
}

// ToolsetOf returns the toolset tool belongs to, "" if none.
func ToolsetOf(tool string) string { return Membership()[tool] }

// DefaultToolsets names the toolsets served when none are chosen.
func DefaultToolsets() []string {
	var out []string
	for _, ts := range Toolsets() {
		if ts.Default || ts.Always {
			out = append(out, ts.Name)
		}
	}
	return out
}

// ToolsetNames names every toolset.
func ToolsetNames() []string {
	var out []string
	for _, ts := range Toolsets() {
		out = append(out, ts.Name)
	}
	return out
}

// ParseToolsets reads a comma-separated choice of toolsets ("" for the
// default, "all" for every one) and returns the toolsets to serve, always
// including the always-on ones, in [Toolsets] order. Unknown names are an
// error listing the valid ones.
func ParseToolsets(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultToolsets(), nil
	}
	chosen := map[string]bool{}
	var unknown []string
	for _, part := range strings.Split(s, ",") {
		name := strings.ToLower(strings.TrimSpace(part))
		switch {
		case name == "":
		case name == AllToolsets:
			return ToolsetNames(), nil
		case slices.Contains(ToolsetNames(), name):
			chosen[name] = true
		default:
			unknown = append(unknown, fmt.Sprintf("%q", strings.TrimSpace(part)))
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown toolset %s; choose from %s, or %s",
			strings.Join(unknown, ", "), strings.Join(ToolsetNames(), ", "), AllToolsets)
	}
	var out []string
	for _, ts := range Toolsets() {
		if chosen[ts.Name] || ts.Always {
			out = append(out, ts.Name)
		}
	}
	return out, nil
}

// InToolsets returns the tools that belong to one of the named toolsets.
func InToolsets(tools []Tool, toolsets []string) []Tool {
	member := Membership()
	out := make([]Tool, 0, len(tools))
	for _, t := range tools {
		if slices.Contains(toolsets, member[t.Name()]) {
			out = append(out, t)
		}
	}
	return out
}
