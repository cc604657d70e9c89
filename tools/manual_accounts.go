package tools

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// accountDetail is an account with the settings the account tools change.
type accountDetail struct {
	account
	TypeName                    string `json:"type_name" jsonschema:"Monarch's name of the type, e.g. depository"`
	SubtypeName                 string `json:"subtype_name" jsonschema:"Monarch's name of the subtype, e.g. checking"`
	IsManual                    bool   `json:"is_manual" jsonschema:"true for an account kept by hand, false for one synced from an institution"`
	IncludeInNetWorth           bool   `json:"include_in_net_worth"`
	HideFromList                bool   `json:"hide_from_list"`
	HideTransactionsFromReports bool   `json:"hide_transactions_from_reports"`
	TransactionsCount           int    `json:"transactions_count"`
}

func shapeAccountDetail(a monarch.Account) accountDetail {
	return accountDetail{
		account: shapeAccount(a), TypeName: a.Type.Name, SubtypeName: a.Subtype.Name, IsManual: a.IsManual,
		IncludeInNetWorth: a.IncludeInNetWorth, HideFromList: a.HideFromList,
		HideTransactionsFromReports: a.HideTransactionsFromReports, TransactionsCount: a.TransactionsCount,
	}
}

// findAccount returns the account with the id.
func (d *deps) findAccount(ctx context.Context, id string) (monarch.Account, error) {
	accts, err := d.c.GetAccounts(ctx)
	if err != nil {
		return monarch.Account{}, err
	}
	i := slices.IndexFunc(accts, func(a monarch.Account) bool { return a.ID == id })
	if i < 0 {
		return monarch.Account{}, fmt.Errorf("account %s %w: get_accounts lists the valid ids (include_hidden=true for hidden ones)", id, monarch.ErrNotFound)
	}
	return accts[i], nil
}

// checkAccountType checks a type and subtype against the ones Monarch
// accepts, naming the valid values when one is not. An empty subtype is
// refused unless keep, a subtype the type allows, or the type's only
// subtype can stand in.
func (d *deps) checkAccountType(ctx context.Context, typ, sub, keep string) (monarch.AccountTypeOption, monarch.NamedType, error) {
	opts, err := d.c.GetAccountTypeOptions(ctx)
	if err != nil {
		return monarch.AccountTypeOption{}, monarch.NamedType{}, err
	}
	i := slices.IndexFunc(opts, func(o monarch.AccountTypeOption) bool { return o.Name == typ })
	if i < 0 {
		names := make([]string, 0, len(opts))
		for _, o := range opts {
			names = append(names, o.Name+" ("+o.Display+")")
		}
		return monarch.AccountTypeOption{}, monarch.NamedType{}, argErrorf("type",
			fmt.Sprintf("%q is not an account type Monarch accepts; valid types: %s", typ, strings.Join(names, ", ")))
	}
	t := opts[i]
	subs := make([]string, 0, len(t.Subtypes))
	for _, s := range t.Subtypes {
		subs = append(subs, s.Name)
	}
	if sub == "" {
		switch {
		case slices.Contains(subs, keep):
			sub = keep
		case len(subs) == 1:
			sub = subs[0]
		default:
			return t, monarch.NamedType{}, argErrorf("subtype", fmt.Sprintf("is required for type %s; valid subtypes: %s", typ, strings.Join(subs, ", ")))
		}
	}
	j := slices.IndexFunc(t.Subtypes, func(s monarch.NamedType) bool { return s.Name == sub })
	if j < 0 {
		return t, monarch.NamedType{}, argErrorf("subtype", fmt.Sprintf("%q is not a subtype of %s; valid subtypes: %s", sub, typ, strings.Join(subs, ", ")))
	}
	return t, t.Subtypes[j], nil
}

// checkBalance refuses a balance that is no amount of money.
func checkBalance(param string, v *float64) error {
	if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0) || math.Abs(*v) >= 1e12) {
		return argErrorf(param, fmt.Sprintf("must be an amount of money (got %v)", *v))
	}
	return nil
}

func accountTypeParams(required bool) []mcp.ToolOption {
	var req []mcp.PropertyOption
	if required {
		req = append(req, mcp.Required())
	}
	return []mcp.ToolOption{
		mcp.WithString("type", append(req, mcp.Description("Monarch's account type name, e.g. depository, real_estate, vehicle, loan, other_asset; an unknown one is refused with the valid list."), mcp.MaxLength(maxWordLen))...),
		mcp.WithString("subtype", append(req, mcp.Description("Subtype of that type, e.g. checking, primary_home, car, mortgage; an unknown one is refused with the valid list."), mcp.MaxLength(maxWordLen))...),
	}
}

// --- create_manual_account --------------------------------------------------

type createManualAccountArgs struct {
	Name              string   `json:"name"`
	Type              string   `json:"type"`
	Subtype           string   `json:"subtype"`
	StartingBalance   *float64 `json:"starting_balance,omitempty"`
	IncludeInNetWorth *bool    `json:"include_in_net_worth,omitempty"`
}

func (a *createManualAccountArgs) validate() error {
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" {
		return argErrorf("name", "is required")
	}
	if err := checkLen("name", a.Name, maxNameLen); err != nil {
		return err
	}
	if a.Type == "" || a.Subtype == "" {
		return &ArgError{Msg: "type and subtype are both required; a wrong one is answered with the valid list"}
	}
	return checkBalance("starting_balance", a.StartingBalance)
}

type accountResult struct {
	Account accountDetail `json:"account"`
	journalNote
}

func createManualAccount(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "create_manual_account",
		title: "Create manual account",
		description: "Create an account kept by hand (a house, car, loan, cash...) with a type and subtype Monarch accepts and a starting balance; " +
			"returns the new account." + confirmFirst,
		kind: Write,
		params: append([]mcp.ToolOption{
			mcp.WithString("name", mcp.Required(), mcp.Description("Name of the account."), mcp.MaxLength(maxNameLen)),
		}, append(accountTypeParams(true),
			mcp.WithNumber("starting_balance", mcp.Description("Balance today (default 0); for a loan or other liability, the amount owed as a positive number.")),
			mcp.WithBoolean("include_in_net_worth", mcp.Description("Count the account in net worth (default true)."), mcp.DefaultBool(true)),
		)...),
	}, journaled[createManualAccountArgs, accountResult]{
		undo:    undoFull,
		summary: func(a createManualAccountArgs) string { return fmt.Sprintf("created manual account %q", a.Name) },
		created: func(_ createManualAccountArgs, r accountResult) []target { return accountTargets(r.Account.ID) },
	}, func(ctx context.Context, a createManualAccountArgs) (accountResult, error) {
		if _, _, err := d.checkAccountType(ctx, a.Type, a.Subtype, ""); err != nil {
			return accountResult{}, err
		}
		acct, err := d.c.CreateManualAccount(ctx, monarch.NewManualAccount{
			Name: a.Name, Type: a.Type, Subtype: a.Subtype, Balance: deref(a.StartingBalance),
			IncludeInNetWorth: a.IncludeInNetWorth == nil || *a.IncludeInNetWorth,
		})
		if err != nil {
			return accountResult{}, err
		}
		return accountResult{Account: shapeAccountDetail(acct)}, nil
	})
}

// --- update_account ---------------------------------------------------------

type updateAccountArgs struct {
	AccountID                   string   `json:"account_id"`
	Name                        *string  `json:"name,omitempty"`
	Balance                     *float64 `json:"balance,omitempty"`
	Type                        *string  `json:"type,omitempty"`
	Subtype                     *string  `json:"subtype,omitempty"`
	HideFromList                *bool    `json:"hide_from_list,omitempty"`
	IncludeInNetWorth           *bool    `json:"include_in_net_worth,omitempty"`
	HideTransactionsFromReports *bool    `json:"hide_transactions_from_reports,omitempty"`
	DryRun                      bool     `json:"dry_run,omitempty"`
}

func (a *updateAccountArgs) validate() error {
	if err := requireID("account_id", a.AccountID, "get_accounts lists account ids"); err != nil {
		return err
	}
	if a.Name == nil && a.Balance == nil && a.Type == nil && a.Subtype == nil && a.HideFromList == nil &&
		a.IncludeInNetWorth == nil && a.HideTransactionsFromReports == nil {
		return &ArgError{Msg: "nothing to change: give at least one of name, balance, type, subtype, hide_from_list, include_in_net_worth, hide_transactions_from_reports"}
	}
	if a.Name != nil {
		*a.Name = strings.TrimSpace(*a.Name)
		if *a.Name == "" {
			return argErrorf("name", "must not be empty")
		}
		if err := checkLen("name", *a.Name, maxNameLen); err != nil {
			return err
		}
	}
	for _, p := range []struct {
		name string
		v    *string
	}{{"type", a.Type}, {"subtype", a.Subtype}} {
		if p.v != nil && strings.TrimSpace(*p.v) == "" {
			return argErrorf(p.name, "must not be empty")
		}
	}
	return checkBalance("balance", a.Balance)
}

type updateAccountResult struct {
	DryRun  bool          `json:"dry_run"`
	Account accountDetail `json:"account" jsonschema:"the account after the change (in a dry run: as it is now)"`
	Changes []string      `json:"changes" jsonschema:"what changed (or would change), e.g. name: Car → Honda; empty when nothing differs"`
	journalNote
}

func updateAccount(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "update_account",
		title: "Update account",
		description: "Change an account's name, type and subtype, visibility, net-worth and reports settings, or (manual accounts only) its balance; only the fields given change. " +
			"account_id comes from get_accounts. dry_run=true lists the changes without making them." + confirmFirst,
		kind:       Write,
		idempotent: true,
		params: append(append([]mcp.ToolOption{
			idParam("account_id", "Account id from get_accounts.", mcp.Required()),
			mcp.WithString("name", mcp.Description("New name."), mcp.MaxLength(maxNameLen)),
			mcp.WithNumber("balance", mcp.Description("New balance of a manual account; for a liability, the amount owed as a positive number.")),
		}, accountTypeParams(false)...),
			mcp.WithBoolean("hide_from_list", mcp.Description("Hide the account from account lists (true) or show it (false).")),
			mcp.WithBoolean("include_in_net_worth", mcp.Description("Count the account in net worth.")),
			mcp.WithBoolean("hide_transactions_from_reports", mcp.Description("Leave the account's transactions out of budgets and reports.")),
			dryRunParam(),
		),
	}, journaled[updateAccountArgs, updateAccountResult]{
		undo:    undoFull,
		summary: func(a updateAccountArgs) string { return "updated account " + a.AccountID },
		targets: func(_ context.Context, a updateAccountArgs) ([]target, error) {
			var f []string
			for _, x := range []struct {
				set   bool
				field string
			}{{a.Name != nil, acctName}, {a.Balance != nil, acctBalance}, {a.Type != nil || a.Subtype != nil, acctType},
				{a.Type != nil || a.Subtype != nil, acctSubtype}, {a.HideFromList != nil, acctHidden},
				{a.IncludeInNetWorth != nil, acctNetWorth}, {a.HideTransactionsFromReports != nil, acctHideTxns}} {
				if x.set {
					f = append(f, x.field)
				}
			}
			return accountTargets(a.AccountID, f...), nil
		},
		dryRun: func(a updateAccountArgs) bool { return a.DryRun },
	}, func(ctx context.Context, a updateAccountArgs) (updateAccountResult, error) {
		cur, err := d.findAccount(ctx, a.AccountID)
		if err != nil {
			return updateAccountResult{}, err
		}
		if a.Balance != nil && !cur.IsManual {
			return updateAccountResult{}, argErrorf("balance", fmt.Sprintf("account %s (%s) is synced from its institution, which sets its balance; only manual accounts take a balance", cur.ID, cur.DisplayName))
		}
		u := monarch.AccountUpdate{ID: a.AccountID, Name: a.Name, Balance: a.Balance, HideFromList: a.HideFromList,
			IncludeInNetWorth: a.IncludeInNetWorth, HideTransactionsFromReports: a.HideTransactionsFromReports}
		changes := []string{}
		note := func(what string, from, to any) {
			if from != to {
				changes = append(changes, fmt.Sprintf("%s: %v → %v", what, from, to))
			}
		}
		if a.Type != nil || a.Subtype != nil {
			typ := cmp.Or(deref(a.Type), cur.Type.Name)
			t, sub, err := d.checkAccountType(ctx, typ, deref(a.Subtype), cur.Subtype.Name)
			if err != nil {
				return updateAccountResult{}, err
			}
			u.Type, u.Subtype = &t.Name, &sub.Name
			note("type", cur.Type.Name+"/"+cur.Subtype.Name, t.Name+"/"+sub.Name)
		}
		if a.Name != nil {
			note("name", cur.DisplayName, *a.Name)
		}
		if a.Balance != nil {
			note("balance", shapeAccount(cur).Balance, round2(*a.Balance))
		}
		for _, f := range []struct {
			name string
			cur  bool
			want *bool
		}{
			{"hide_from_list", cur.HideFromList, a.HideFromList},
			{"include_in_net_worth", cur.IncludeInNetWorth, a.IncludeInNetWorth},
			{"hide_transactions_from_reports", cur.HideTransactionsFromReports, a.HideTransactionsFromReports},
		} {
			if f.want != nil {
				note(f.name, f.cur, *f.want)
			}
		}
		if a.DryRun {
			return updateAccountResult{DryRun: true, Account: shapeAccountDetail(cur), Changes: changes}, nil
		}
		after, err := d.c.UpdateAccount(ctx, u)
		if err != nil {
			return updateAccountResult{}, err
		}
		return updateAccountResult{Account: shapeAccountDetail(after), Changes: changes}, nil
	})
}

// --- delete_account ---------------------------------------------------------

type deleteAccountArgs struct {
	AccountID string `json:"account_id"`
	DryRun    bool   `json:"dry_run,omitempty"`
}

func (a *deleteAccountArgs) validate() error {
	return requireID("account_id", a.AccountID, "get_accounts lists account ids")
}

type deleteAccountResult struct {
	DryRun              bool          `json:"dry_run"`
	Deleted             bool          `json:"deleted"`
	Account             accountDetail `json:"account" jsonschema:"the account deleted (in a dry run: that would be)"`
	TransactionsDeleted int           `json:"transactions_deleted" jsonschema:"its transactions, deleted with it (in a dry run: that would be)"`
	journalNote
}

// deleteAccountCaveat says what undoing delete_account brings back.
var deleteAccountCaveat = fmt.Sprintf("undo brings the account back as a new manual account (new id) with its name, type, balance and settings, "+
	"and its transactions as new ones with the same date, amount, merchant, category, notes and tags (not their attachments, splits or bank "+
	"statement text; only when it had at most %d); its balance history and goal links are not restored, and a synced account is not "+
	"reconnected to its institution", maxJournaledBulk)

func deleteAccount(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "delete_account",
		title: "Delete account",
		description: "Delete an account permanently, with all its transactions and balance history. account_id comes from get_accounts. " +
			"dry_run=true names the account and how many transactions would go with it." + confirmFirst,
		kind:       Destructive,
		idempotent: true,
		params: []mcp.ToolOption{
			idParam("account_id", "Id of the account to delete, from get_accounts.", mcp.Required()),
			dryRunParam(),
		},
	}, journaled[deleteAccountArgs, deleteAccountResult]{
		undo:    undoPartial,
		caveat:  deleteAccountCaveat,
		summary: func(a deleteAccountArgs) string { return "deleted account " + a.AccountID },
		targets: d.deleteAccountTargets,
		dryRun:  func(a deleteAccountArgs) bool { return a.DryRun },
	}, func(ctx context.Context, a deleteAccountArgs) (deleteAccountResult, error) {
		cur, err := d.findAccount(ctx, a.AccountID)
		if err != nil {
			return deleteAccountResult{}, err
		}
		res := deleteAccountResult{DryRun: a.DryRun, Account: shapeAccountDetail(cur), TransactionsDeleted: cur.TransactionsCount}
		if a.DryRun {
			return res, nil
		}
		if err := d.c.DeleteAccount(ctx, a.AccountID); err != nil {
			return deleteAccountResult{}, err
		}
		res.Deleted = true
		return res, nil
	})
}

// deleteAccountTargets are the account and, when there are at most
// maxJournaledBulk, its transactions: recorded so that undo can make them
// again on the account it brings back. The account comes last, so that
// undo, which takes a change's objects back last first, recreates it
// before them.
func (d *deps) deleteAccountTargets(ctx context.Context, a deleteAccountArgs) ([]target, error) {
	acct, err := d.findAccount(ctx, a.AccountID)
	if err != nil {
		return nil, err
	}
	var out []target
	if acct.TransactionsCount <= maxJournaledBulk {
		ids, err := d.matchingIDs(ctx, monarch.TransactionQuery{AccountIDs: []string{a.AccountID}}, maxJournaledBulk)
		var tooMany *ArgError
		switch {
		case errors.As(err, &tooMany):
			// More than the count said: the account alone is recorded, as
			// the caveat says.
		case err != nil:
			return nil, err
		case len(ids) > 0:
			out = append(out, txTarget(ids)...)
		}
	}
	return append(out, accountTargets(a.AccountID)...), nil
}
