package tools

import (
	"slices"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// newManualAccount creates a manual account for update/delete to work on.
func (f *fixture) newManualAccount(t *testing.T) string {
	t.Helper()
	var res accountResult
	f.decode(t, "create_manual_account", map[string]any{"name": "Boat " + uniqueName(), "type": "vehicle", "subtype": "boat", "starting_balance": 9000}, &res)
	return res.Account.ID
}

// listedAccount finds an account in get_accounts' result (hidden included).
func (f *fixture) listedAccount(t *testing.T, id string) (account, bool) {
	t.Helper()
	var res accountsResult
	f.decode(t, "get_accounts", map[string]any{"include_hidden": true}, &res)
	i := slices.IndexFunc(res.Accounts, func(a account) bool { return a.ID == id })
	if i < 0 {
		return account{}, false
	}
	return res.Accounts[i], true
}

func TestManualAccountLifecycle(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})

	var created accountResult
	f.decode(t, "create_manual_account", map[string]any{"name": " Our House ", "type": "real_estate", "subtype": "primary_home", "starting_balance": 450000.25}, &created)
	a := created.Account
	if a.Name != "Our House" || !a.IsManual || a.TypeName != "real_estate" || a.SubtypeName != "primary_home" || a.Balance != 450000.25 || !a.IncludeInNetWorth {
		t.Errorf("created %+v", a)
	}
	if got, ok := f.listedAccount(t, a.ID); !ok || got.Balance != 450000.25 {
		t.Errorf("get_accounts after create: %+v, %v", got, ok)
	}

	// A dry run changes nothing and says what would change.
	var dry updateAccountResult
	f.decode(t, "update_account", map[string]any{"account_id": a.ID, "name": "Home", "balance": 460000, "dry_run": true}, &dry)
	if !dry.DryRun || len(dry.Changes) != 2 || dry.Account.Name != "Our House" {
		t.Errorf("dry run %+v", dry)
	}
	var upd updateAccountResult
	f.decode(t, "update_account", map[string]any{"account_id": a.ID, "name": "Home", "balance": 460000, "type": "other_asset",
		"hide_from_list": true, "include_in_net_worth": false, "hide_transactions_from_reports": true}, &upd)
	u := upd.Account
	if upd.DryRun || u.Name != "Home" || u.Balance != 460000 || u.TypeName != "other_asset" || u.SubtypeName != "other" ||
		!u.HideFromList || u.IncludeInNetWorth || !u.HideTransactionsFromReports {
		t.Errorf("updated %+v (changes %v)", u, upd.Changes)
	}
	if got, ok := f.listedAccount(t, a.ID); !ok || got.Name != "Home" || !got.IsHidden {
		t.Errorf("get_accounts after update: %+v, %v", got, ok)
	}

	// Delete: the dry run names the account and its transactions.
	var w writeResult
	f.decode(t, "create_transaction", map[string]any{"date": "2026-01-15", "account_id": a.ID, "amount": -100, "merchant": "Roofer", "category_id": f.anyCategory(t)}, &w)
	var del deleteAccountResult
	f.decode(t, "delete_account", map[string]any{"account_id": a.ID, "dry_run": true}, &del)
	if !del.DryRun || del.Deleted || del.Account.ID != a.ID || del.TransactionsDeleted != 1 {
		t.Errorf("delete dry run %+v", del)
	}
	if _, ok := f.listedAccount(t, a.ID); !ok {
		t.Fatal("dry run deleted the account")
	}
	f.decode(t, "delete_account", map[string]any{"account_id": a.ID}, &del)
	if del.DryRun || !del.Deleted || del.TransactionsDeleted != 1 {
		t.Errorf("delete %+v", del)
	}
	if _, ok := f.listedAccount(t, a.ID); ok {
		t.Error("the deleted account is still listed")
	}
	if n := f.countTransactions(t, map[string]any{"account_ids": []any{a.ID}}); n != 0 {
		t.Errorf("%d transactions of the deleted account remain", n)
	}
	f.wantError(t, "delete_account", map[string]any{"account_id": a.ID}, "account "+a.ID+" not found")
}

func TestManualAccountErrors(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	synced := f.anyAccount(t)
	manual := f.newManualAccount(t)
	for _, tt := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"create_manual_account", map[string]any{"name": "X", "type": "spaceship", "subtype": "rocket"}, "valid types: depository (Cash)"},
		{"create_manual_account", map[string]any{"name": "X", "type": "vehicle", "subtype": "mortgage"}, `"mortgage" is not a subtype of vehicle; valid subtypes: car, motorcycle, boat`},
		{"create_manual_account", map[string]any{"name": " ", "type": "vehicle", "subtype": "car"}, "name is required"},
		{"create_manual_account", map[string]any{"name": "X", "type": "vehicle"}, "subtype is required"},
		{"update_account", map[string]any{"account_id": manual}, "nothing to change"},
		{"update_account", map[string]any{"account_id": synced, "balance": 5}, "only manual accounts take a balance"},
		{"update_account", map[string]any{"account_id": manual, "type": "loan"}, "subtype is required for type loan; valid subtypes: mortgage"},
		{"update_account", map[string]any{"account_id": "no-such-account", "name": "X"}, "get_accounts lists the valid ids"},
		{"delete_account", map[string]any{"account_id": " "}, "account_id is required"},
	} {
		t.Run(tt.tool+" "+tt.want, func(t *testing.T) { f.wantError(t, tt.tool, tt.args, tt.want) })
	}
}

// anyAccount returns the first (synced) demo account's id.
func (f *fixture) anyAccount(t *testing.T) string {
	t.Helper()
	var res accountsResult
	f.decode(t, "get_accounts", nil, &res)
	return res.Accounts[0].ID
}

// anyCategory returns the first category's id.
func (f *fixture) anyCategory(t *testing.T) string {
	t.Helper()
	var res categoriesResult
	f.decode(t, "get_transaction_categories", nil, &res)
	return res.Categories[0].ID
}
