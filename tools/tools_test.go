package tools

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/journal"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// contractNames are the tool names clients rely on: they never change.
var contractNames = []string{
	"get_accounts", "get_account_holdings", "get_account_history", "get_transactions", "get_transactions_summary",
	"get_transaction_categories", "get_transaction_tags", "get_budgets", "get_cashflow", "get_cashflow_summary",
	"get_recurring_transactions", "get_institutions", "check_auth_status",
	"refresh_accounts", "create_transaction", "update_transaction", "delete_transaction",
	// Single transactions, splits, bulk edits, search, review.
	"get_transaction_details", "set_transaction_category", "update_transaction_notes", "mark_transaction_reviewed",
	"set_transaction_tags", "create_tag", "get_transaction_splits", "split_transaction",
	"bulk_categorize_transactions", "search_transactions", "get_transactions_needing_review",
	// Categories, budgets, analysis, merchants, recurring.
	"get_category_groups", "create_category", "update_category", "set_budget_amount",
	"get_spending_summary", "get_cashflow_by_month", "get_net_worth",
	"get_net_worth_by_account_type", "get_merchant", "update_merchant",
	"review_recurring_stream",
	// Goals.
	"get_goals", "create_goal", "update_goal", "delete_goal", "contribute_to_goal", "withdraw_from_goal",
	// Household: credit scores, members, businesses, tag and category deletion.
	"get_credit_score_history", "get_household_members", "get_business_entities", "update_tag", "delete_tag", "delete_category",
	// Investments.
	"get_investments",
	// Manual accounts and bulk transaction edits.
	"create_manual_account", "update_account", "delete_account", "bulk_update_transactions",
	// Transaction hygiene.
	"find_duplicate_transactions",
	// The change journal.
	"get_change_history", "undo_changes",
}

// notIdempotentNames are the tools that create something each call.
var notIdempotentNames = []string{"create_transaction", "create_tag", "create_category", "create_goal", "contribute_to_goal", "withdraw_from_goal",
	"create_manual_account"}

// rulesNames are the rules, balance-history and session tools.
var rulesNames = []string{
	"get_transaction_rules", "create_transaction_rule", "update_transaction_rule", "delete_transaction_rule",
	"upload_account_balance_history", "setup_authentication", "logout",
}

// destructiveNames are the tools that remove or overwrite data: they must
// carry destructiveHint.
var destructiveNames = []string{"delete_transaction", "split_transaction", "delete_transaction_rule", "upload_account_balance_history",
	"delete_goal", "delete_tag", "delete_category",
	"delete_account"}

type fixture struct {
	sb     *sandbox.Sandbox
	client *monarch.Client
	tools  []Tool
	mcp    *client.Client
	// clock is the sandbox's, the client's and so the tools' clock: tests
	// compute expected dates from it, never from the wall clock.
	clock *testenv.Clock
}

func newFixture(t *testing.T, opts Options, sbOpts sandbox.Options) *fixture {
	t.Helper()
	return newFixtureWith(t, opts, sbOpts, Status{}, nil)
}

// newFixtureAt is newFixture with the clock starting at now.
func newFixtureAt(t *testing.T, now time.Time) *fixture {
	t.Helper()
	return startFixture(t, now, Options{}, sandbox.Options{}, Status{}, nil)
}

// newFixtureWith is startFixture at testenv.DefaultNow.
func newFixtureWith(t *testing.T, opts Options, sbOpts sandbox.Options, st Status, edit func(*monarch.Config)) *fixture {
	t.Helper()
	return startFixture(t, testenv.DefaultNow(), opts, sbOpts, st, edit)
}

// startFixture starts a sandbox and serves every tool for a client of it:
// the demo credentials unless edit changes them, and a clock starting at
// now shared by the sandbox, the client and the TOTP source. The tools'
// dates follow it, and a login needing a fresh code "waits" by moving it
// instead of sleeping up to 30 seconds.
func startFixture(t *testing.T, now time.Time, opts Options, sbOpts sandbox.Options, st Status, edit func(*monarch.Config)) *fixture {
	t.Helper()
	clk := testenv.NewClock(now)
	if sbOpts.Now == nil {
		sbOpts.Now = clk.Now
	}
	sb, err := sandbox.Start(sbOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	totp, err := reauth.NewTOTP(sandbox.DemoMFASecret)
	if err != nil {
		t.Fatal(err)
	}
	totp.Now, totp.Sleep = clk.Now, clk.Sleep
	if st.Journal == nil {
		st.Journal = journal.Memory(journal.Options{Now: clk.Now})
	}
	cfg := monarch.Config{BaseURL: sb.URL(), Email: sandbox.DemoEmail, Password: sandbox.DemoPassword, TOTP: totp, Now: clk.Now, Sleep: clk.Sleep}
	if edit != nil {
		edit(&cfg)
	}
	c, err := monarch.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tools := All(c, st, slog.New(slog.DiscardHandler))
	return &fixture{sb: sb, client: c, tools: tools, mcp: connect(t, tools, opts), clock: clk}
}

// wantError calls a tool that must fail and checks its text.
func (f *fixture) wantError(t *testing.T, name string, args map[string]any, want string) {
	t.Helper()
	res := callTool(t, f.mcp, name, args)
	if !res.IsError || !strings.Contains(textOf(res), want) {
		t.Errorf("%s %v: got isError=%v %q, want an error containing %q", name, args, res.IsError, textOf(res), want)
	}
}

// decode calls a tool that must succeed and decodes its JSON text.
func (f *fixture) decode(t *testing.T, name string, args map[string]any, into any) {
	t.Helper()
	res := callTool(t, f.mcp, name, args)
	if res.IsError {
		t.Fatalf("%s: %s", name, textOf(res))
	}
	if err := json.Unmarshal([]byte(textOf(res)), into); err != nil {
		t.Fatalf("%s: %v in %s", name, err, textOf(res))
	}
}

// validArgs returns arguments that succeed against the sandbox's demo data
// for every tool, writes included.
func (f *fixture) validArgs(t *testing.T) map[string]func() map[string]any {
	t.Helper()
	var accts accountsResult
	f.decode(t, "get_accounts", nil, &accts)
	var cats categoriesResult
	f.decode(t, "get_transaction_categories", nil, &cats)
	if len(accts.Accounts) == 0 || len(cats.Categories) == 0 {
		t.Fatal("sandbox has no accounts or categories")
	}
	acct, invest := accts.Accounts[0].ID, accts.Accounts[0].ID
	for _, a := range accts.Accounts {
		if strings.Contains(strings.ToLower(a.Type+a.Subtype), "brokerage") || strings.Contains(strings.ToLower(a.Type), "invest") {
			invest = a.ID
		}
	}
	create := func() map[string]any {
		return map[string]any{"date": "2026-01-15", "account_id": acct, "amount": -12.5, "merchant": "Test Cafe", "category_id": cats.Categories[0].ID}
	}
	tagN := 0 // create_tag needs a new name each call
	// newTxn makes a transaction for update/delete to work on.
	newTxn := func() string {
		var w writeResult
		f.decode(t, "create_transaction", create(), &w)
		return w.Transaction.ID
	}
	// newRule makes a rule for update/delete to work on.
	newRule := func() string {
		var r ruleResult
		f.decode(t, "create_transaction_rule", map[string]any{"merchant": "Test Cafe", "set_category_id": cats.Categories[0].ID}, &r)
		return r.Rule.ID
	}
	return map[string]func() map[string]any{
		"get_accounts":               func() map[string]any { return nil },
		"get_account_holdings":       func() map[string]any { return map[string]any{"account_id": invest} },
		"get_account_history":        func() map[string]any { return map[string]any{"account_id": acct, "limit": 5} },
		"get_transactions":           func() map[string]any { return map[string]any{"limit": 5} },
		"get_transactions_summary":   func() map[string]any { return nil },
		"get_transaction_categories": func() map[string]any { return nil },
		"get_transaction_tags":       func() map[string]any { return nil },
		"get_budgets":                func() map[string]any { return nil },
		"get_cashflow":               func() map[string]any { return nil },
		"get_cashflow_summary":       func() map[string]any { return nil },
		"get_recurring_transactions": func() map[string]any { return nil },
		"get_institutions":           func() map[string]any { return nil },
		"check_auth_status":          func() map[string]any { return nil },
		"refresh_accounts":           func() map[string]any { return map[string]any{"account_ids": []any{acct}} },
		"create_transaction":         create,
		"update_transaction":         func() map[string]any { return map[string]any{"transaction_id": newTxn(), "notes": "checked"} },
		"delete_transaction":         func() map[string]any { return map[string]any{"transaction_id": newTxn()} },
		// Single transactions, splits, bulk edits, search, review.
		"get_transaction_details": func() map[string]any { return map[string]any{"transaction_id": newTxn()} },
		"set_transaction_category": func() map[string]any {
			return map[string]any{"transaction_id": newTxn(), "category_id": cats.Categories[1].ID, "mark_reviewed": true}
		},
		"update_transaction_notes":        func() map[string]any { return map[string]any{"transaction_id": newTxn(), "notes": "n"} },
		"mark_transaction_reviewed":       func() map[string]any { return map[string]any{"transaction_id": newTxn()} },
		"set_transaction_tags":            func() map[string]any { return map[string]any{"transaction_id": newTxn(), "tag_ids": []any{}} },
		"create_tag":                      func() map[string]any { tagN++; return map[string]any{"name": fmt.Sprintf("Tag %d", tagN)} },
		"get_transactions_needing_review": func() map[string]any { return map[string]any{"days": 7, "include": []any{"needs_review"}} },
		"find_duplicate_transactions":     func() map[string]any { return map[string]any{"days_apart": 2} },
		"search_transactions":             func() map[string]any { return map[string]any{"query": "coffee", "min_amount": 1, "limit": 5} },
		"bulk_categorize_transactions": func() map[string]any {
			return map[string]any{"transaction_ids": []any{newTxn(), newTxn()}, "category_id": cats.Categories[2].ID}
		},
		"get_transaction_splits": func() map[string]any { return map[string]any{"transaction_id": newTxn()} },
		"split_transaction": func() map[string]any {
			c := cats.Categories[0].ID
			return map[string]any{"transaction_id": newTxn(), "splits": []any{
				map[string]any{"amount": -10, "category_id": c}, map[string]any{"amount": -2.5, "category_id": c, "notes": "tip"}}}
		},
		"get_transaction_rules": func() map[string]any { return nil },
		"create_transaction_rule": func() map[string]any {
			return map[string]any{"merchant": "Corner Deli", "set_category_id": cats.Categories[0].ID}
		},
		"update_transaction_rule": func() map[string]any { return map[string]any{"rule_id": newRule(), "set_merchant_name": "Cafe"} },
		"delete_transaction_rule": func() map[string]any { return map[string]any{"rule_ids": []any{newRule()}} },
		"setup_authentication":    func() map[string]any { return nil },
		"logout":                  func() map[string]any { return nil },
		"upload_account_balance_history": func() map[string]any {
			return map[string]any{"account_id": acct, "csv": "date,balance\n" + f.clock.Now().AddDate(0, 0, -2).Format("2006-01-02") + ",100.25\n"}
		},
		"get_category_groups": func() map[string]any { return nil },
		"create_category": func() map[string]any {
			return map[string]any{"group_id": cats.Categories[0].GroupID, "name": "New " + uniqueName()}
		},
		"update_category": func() map[string]any { return map[string]any{"category_id": cats.Categories[0].ID, "icon": "💼"} },
		"set_budget_amount": func() map[string]any {
			return map[string]any{"category_id": cats.Categories[0].ID, "amount": 8000, "apply_to_future": true}
		},
		"get_spending_summary":          func() map[string]any { return map[string]any{"group_by": "merchant", "limit": 3} },
		"get_cashflow_by_month":         func() map[string]any { return nil },
		"get_net_worth":                 func() map[string]any { return nil },
		"get_net_worth_by_account_type": func() map[string]any { return map[string]any{"timeframe": "year"} },
		"get_merchant":                  func() map[string]any { return map[string]any{"search": "net"} },
		"update_merchant": func() map[string]any {
			return map[string]any{"merchant_id": f.merchantID(t, "spotify"), "amount": -12.99}
		},
		"review_recurring_stream": func() map[string]any {
			return map[string]any{"stream_id": f.streamID(t, "verizon"), "review_status": "approved"}
		},
		"get_goals":   func() map[string]any { return nil },
		"create_goal": func() map[string]any { return map[string]any{"name": "Car", "target_amount": 9000} },
		"update_goal": func() map[string]any {
			return map[string]any{"goal_id": f.goal(t, "Vacation").ID, "target_amount": 4500}
		},
		"delete_goal":        func() map[string]any { return map[string]any{"goal_id": f.newGoal(t)} },
		"contribute_to_goal": func() map[string]any { return f.goalTransferArgs(t, "Vacation", 10) },
		"withdraw_from_goal": func() map[string]any { return f.goalTransferArgs(t, "Vacation", 1) },
		// Household: credit scores, members, businesses, tag and category deletion.
		"get_credit_score_history": func() map[string]any { return nil },
		"get_household_members":    func() map[string]any { return nil },
		"get_business_entities":    func() map[string]any { return nil },
		"update_tag":               func() map[string]any { return map[string]any{"tag_id": f.newTag(t), "color": "#123456"} },
		"delete_tag":               func() map[string]any { return map[string]any{"tag_id": f.newTag(t)} },
		"delete_category":          func() map[string]any { return map[string]any{"category_id": f.newCategory(t)} },
		// Investments.
		"get_investments": func() map[string]any { return map[string]any{"period": "3M"} },
		// Manual accounts and bulk transaction edits.
		"create_manual_account": func() map[string]any {
			return map[string]any{"name": "Car", "type": "vehicle", "subtype": "car", "starting_balance": 18000}
		},
		"update_account":     func() map[string]any { return map[string]any{"account_id": f.newManualAccount(t), "balance": 17500} },
		"delete_account":     func() map[string]any { return map[string]any{"account_id": f.newManualAccount(t)} },
		"get_change_history": func() map[string]any { newTxn(); return map[string]any{"limit": 3} },
		"undo_changes":       func() map[string]any { newTxn(); return map[string]any{"last": 1} },
		"bulk_update_transactions": func() map[string]any {
			return map[string]any{"transaction_ids": []any{newTxn(), newTxn()}, "set_notes": "checked", "set_reviewed": true, "dry_run": false}
		},
	}
}

// TestEveryToolReauthenticates lists the server's tools and proves that
// each one, called on an expired session, logs in exactly once and
// succeeds.
func TestEveryToolReauthenticates(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	args := f.validArgs(t)
	list, err := f.mcp.ListTools(t.Context(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) != len(contractNames)+len(rulesNames) {
		t.Errorf("%d tools listed, want %d", len(list.Tools), len(contractNames)+len(rulesNames))
	}
	// A tool that never talks to Monarch is exactly one not marked openWorld.
	local := map[string]bool{}
	for _, tool := range f.tools {
		local[tool.Name()] = !*tool.Definition().Annotations.OpenWorldHint
	}
	for _, tool := range list.Tools {
		mk, ok := args[tool.Name]
		if !ok {
			t.Errorf("%s: no valid arguments known; add them to validArgs", tool.Name)
			continue
		}
		a := mk() // may itself call tools: do it before expiring
		f.sb.ExpireSessions()
		before := f.sb.Logins()
		res := callTool(t, f.mcp, tool.Name, a)
		if res.IsError {
			t.Errorf("%s after expiry: %s", tool.Name, textOf(res))
		}
		// Tools that never talk to Monarch must not sign in at all.
		want := 1
		if local[tool.Name] {
			want = 0
		}
		if got := f.sb.Logins() - before; got != want {
			t.Errorf("%s: %d logins after expiry, want exactly %d", tool.Name, got, want)
		}
	}
}

func TestToolNamesAndAnnotations(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	args := f.validArgs(t)
	var names []string
	for _, tool := range f.tools {
		names = append(names, tool.Name())
		def := tool.Definition()
		a := def.Annotations
		if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
			t.Errorf("%s: a hint is unset", tool.Name())
			continue
		}
		isRead := strings.HasPrefix(tool.Name(), "get_") || tool.Name() == "check_auth_status" || tool.Name() == "search_transactions" ||
			tool.Name() == "setup_authentication" || tool.Name() == "find_duplicate_transactions"
		if *a.ReadOnlyHint != isRead || (isRead && (*a.DestructiveHint || !*a.IdempotentHint)) {
			t.Errorf("%s: readOnly=%v destructive=%v idempotent=%v", tool.Name(), *a.ReadOnlyHint, *a.DestructiveHint, *a.IdempotentHint)
		}
		if *a.DestructiveHint != slices.Contains(destructiveNames, tool.Name()) {
			t.Errorf("%s: destructive=%v", tool.Name(), *a.DestructiveHint)
		}
		if slices.Contains(notIdempotentNames, tool.Name()) && *a.IdempotentHint {
			t.Errorf("%s marked idempotent", tool.Name())
		}
		if *a.OpenWorldHint != tool.NeedsSignIn() || def.Title == "" || def.Description == "" || !isObjectSchema(t, outputSchemaJSON(t, def)) {
			t.Errorf("%s: openWorld/title/description/output schema missing", tool.Name())
		}
		// The input schema's properties are exactly the argument struct's
		// fields, which a call with an unknown parameter lists.
		props := schemaParams(def)
		if fields := f.argFields(t, tool.Name(), args[tool.Name()]); !slices.Equal(props, fields) {
			t.Errorf("%s: schema properties %v, argument fields %v", tool.Name(), props, fields)
		}
	}
	slices.Sort(names)
	want := slices.Concat(contractNames, rulesNames)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("tools %v, want %v", names, want)
	}
}

// schemaParams lists a tool's parameters as its input schema names them, sorted.
func schemaParams(def mcp.Tool) []string {
	props := make([]string, 0, len(def.InputSchema.Properties))
	for p := range def.InputSchema.Properties {
		props = append(props, p)
	}
	slices.Sort(props)
	return props
}

// argFields lists the fields of a tool's argument struct, sorted, as the
// refusal of an unknown parameter names them. mk gives valid arguments, so
// that nothing but the unknown parameter is refused.
func (f *fixture) argFields(t *testing.T, name string, mk func() map[string]any) []string {
	t.Helper()
	args := map[string]any{}
	if mk != nil {
		maps.Copy(args, mk())
	}
	args["not_a_parameter"] = true
	text := textOf(callTool(t, f.mcp, name, args))
	_, list, ok := strings.Cut(text, "this tool takes:")
	if !ok {
		t.Errorf("%s: an unknown parameter was not refused: %s", name, text)
		return nil
	}
	list, _, _ = strings.Cut(list, ". Fix the arguments")
	if list = strings.TrimSpace(list); list == "" {
		return []string{}
	}
	return strings.Split(list, ", ")
}

func TestDescriptionsFlagBankText(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	for _, tool := range f.tools {
		switch tool.Name() {
		case "get_transactions", "get_cashflow", "get_recurring_transactions",
			"get_transaction_details", "search_transactions", "get_transactions_needing_review", "get_transaction_splits",
			"get_spending_summary", "get_merchant", "find_duplicate_transactions":
			if !strings.Contains(tool.Definition().Description, "not instructions") {
				t.Errorf("%s: description does not say bank text is data", tool.Name())
			}
		}
	}
}

// TestToolSnapshots pins every tool's public shape; UPDATE_TOOLSNAPS=1
// rewrites the snapshots.
func TestToolSnapshots(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	dir := "__toolsnaps__"
	update := os.Getenv("UPDATE_TOOLSNAPS") == "1"
	seen := map[string]bool{}
	for _, tool := range f.tools {
		b, err := json.MarshalIndent(tool.Definition(), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, '\n')
		path := filepath.Join(dir, tool.Name()+".json")
		seen[tool.Name()+".json"] = true
		if update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: no snapshot (run UPDATE_TOOLSNAPS=1 go test ./tools/): %v", tool.Name(), err)
			continue
		}
		if string(want) != string(b) {
			t.Errorf("%s changed its public shape; if deliberate run UPDATE_TOOLSNAPS=1 go test ./tools/\ngot:\n%s", tool.Name(), b)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !seen[e.Name()] {
			t.Errorf("snapshot %s has no tool; delete it", e.Name())
		}
	}
}

func TestArgumentValidation(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	tests := []struct {
		tool string
		args map[string]any
		want string
	}{
		{"get_transactions", map[string]any{"start_date": "2026-13-01"}, "start_date must be a date in YYYY-MM-DD form"},
		{"get_transactions", map[string]any{"start_date": "01/02/2026"}, "start_date must be a date"},
		{"get_transactions", map[string]any{"start_date": "2026-02-01", "end_date": "2026-01-01"}, "end_date (2026-01-01) is before start_date (2026-02-01)"},
		{"get_transactions", map[string]any{"limit": 0}, "limit must be between 1 and 1000 (got 0)"},
		{"get_transactions", map[string]any{"limit": 1001}, "limit must be between 1 and 1000"},
		{"get_transactions", map[string]any{"offset": -1}, "offset must be 0 or more"},
		{"get_transactions", map[string]any{"account_ids": []any{""}}, "account_ids has an empty id"},
		{"get_transactions", map[string]any{"account_ids": "abc"}, "account_ids must be an array of strings"},
		{"get_budgets", map[string]any{"start_month": "2026-7"}, "start_month must be a month in YYYY-MM form"},
		{"get_budgets", map[string]any{"start_month": "2026-05", "end_month": "2026-01"}, "end_month (2026-01) is before start_month"},
		{"get_budgets", map[string]any{"start_month": "2020-01", "end_month": "2026-01"}, "at most 24"},
		{"get_cashflow", map[string]any{"start_date": "2026-02-30"}, "start_date must be a date"},
		{"get_account_holdings", map[string]any{}, "account_id is required"},
		{"get_account_history", map[string]any{"account_id": " "}, "account_id is required"},
		{"update_transaction", map[string]any{"transaction_id": "x"}, "nothing to change"},
		{"update_transaction", map[string]any{"transaction_id": "x", "amount": 0}, "amount must be a non-zero amount"},
		{"create_transaction", map[string]any{"date": "2026-01-01", "account_id": "a", "amount": -1, "merchant": " ", "category_id": "c"}, "merchant is required"},
		{"delete_transaction", map[string]any{"transaction_id": ""}, "transaction_id is required"},
		{"get_accounts", map[string]any{"include_hidden": "yes"}, "include_hidden must be true or false"},
	}
	before := f.sb.LoginAttempts()
	for _, tt := range tests {
		res := callTool(t, f.mcp, tt.tool, tt.args)
		if !res.IsError || !strings.Contains(textOf(res), tt.want) {
			t.Errorf("%s %v: got %q, want error containing %q", tt.tool, tt.args, textOf(res), tt.want)
		}
	}
	if f.sb.LoginAttempts() != before {
		t.Error("invalid arguments caused a login")
	}
}

func TestUnknownIDs(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	for _, tt := range []struct {
		tool string
		args map[string]any
	}{
		{"get_account_holdings", map[string]any{"account_id": "no-such-account"}},
		{"get_account_history", map[string]any{"account_id": "no-such-account"}},
		{"update_transaction", map[string]any{"transaction_id": "no-such-txn", "notes": "x"}},
		{"delete_transaction", map[string]any{"transaction_id": "no-such-txn"}},
	} {
		res := callTool(t, f.mcp, tt.tool, tt.args)
		if !res.IsError || !strings.Contains(textOf(res), "no-such-") {
			t.Errorf("%s: got isError=%v %q, want an error naming the id", tt.tool, res.IsError, textOf(res))
		}
	}
}

func TestGetTransactionsPaging(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var first transactionsResult
	f.decode(t, "get_transactions", map[string]any{"limit": 2}, &first)
	if first.Count != 2 || first.TotalCount <= 2 || !first.Truncated || first.NextOffset == nil || *first.NextOffset != 2 {
		t.Fatalf("first page %+v", first.list)
	}
	var second transactionsResult
	f.decode(t, "get_transactions", map[string]any{"limit": 2, "offset": *first.NextOffset}, &second)
	if second.Count == 0 || second.Transactions[0].ID == first.Transactions[0].ID {
		t.Errorf("second page %+v repeats the first", second.list)
	}
	var all transactionsResult
	f.decode(t, "get_transactions", map[string]any{"limit": 1000}, &all)
	if all.Truncated || all.NextOffset != nil || all.Count != all.TotalCount {
		t.Errorf("full page %+v", all.list)
	}
}

func TestReadOnlyHidesWrites(t *testing.T) {
	f := newFixture(t, Options{ReadOnly: true}, sandbox.Options{})
	list, err := f.mcp.ListTools(t.Context(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range list.Tools {
		if !*tool.Annotations.ReadOnlyHint {
			t.Errorf("%s listed in read-only mode", tool.Name)
		}
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = "delete_transaction"
	req.Params.Arguments = map[string]any{"transaction_id": "x"}
	if _, err := f.mcp.CallTool(t.Context(), req); err == nil {
		t.Error("a hidden write tool could still be called")
	}
}

func TestCheckAuthStatus(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var st authStatus
	f.decode(t, "check_auth_status", nil, &st)
	if !st.OK || !st.SessionHeld || st.AuthStyle == "" || !st.CanReloginUnattended || st.LoginsThisRun != 1 {
		t.Errorf("status %+v", st)
	}
	res := callTool(t, f.mcp, "check_auth_status", nil)
	for _, secret := range []string{sandbox.DemoPassword, sandbox.DemoMFASecret} {
		if strings.Contains(textOf(res), secret) {
			t.Error("check_auth_status shows a secret")
		}
	}
	s, _, _ := f.client.Auth().Current()
	if s.Token != "" && strings.Contains(textOf(res), s.Token) {
		t.Error("check_auth_status shows the token")
	}

	// Refused login: still a status, flagged as an error, with a next step.
	f2 := newFixture(t, Options{}, sandbox.Options{})
	f2.sb.SetLoginOutcome(sandbox.LoginBadCredentials)
	res = callTool(t, f2.mcp, "check_auth_status", nil)
	if !res.IsError || !strings.Contains(textOf(res), `"ok":false`) || !strings.Contains(textOf(res), "login-setup") {
		t.Errorf("refused login status: %s", textOf(res))
	}
}

// isObjectSchema reports whether raw is a JSON schema of type object.
func isObjectSchema(t *testing.T, raw []byte) bool {
	t.Helper()
	var s struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	return s.Type == "object"
}
