package tools

import (
	"context"
	"fmt"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Accounts in the change journal. Fields: name, type, subtype (Monarch's
// names), balance (the display balance: a liability's amount owed as
// Monarch's form takes it), include_in_net_worth, hide_from_list,
// hide_transactions_from_reports, and transactions_count, which nothing
// sets back: it is recorded so that an undo deleting a created account
// sees transactions added to it since and leaves it alone.

const kindAccount = "account"

// Account fields, as the journal names them.
const (
	acctName      = "name"
	acctType      = "type"
	acctSubtype   = "subtype"
	acctBalance   = "balance"
	acctNetWorth  = "include_in_net_worth"
	acctHidden    = "hide_from_list"
	acctHideTxns  = "hide_transactions_from_reports"
	acctTxnsCount = "transactions_count"
)

func accountKind(d *deps) *objectKind {
	return &objectKind{
		name:   kindAccount,
		fields: []string{acctName, acctType, acctSubtype, acctBalance, acctNetWorth, acctHidden, acctHideTxns, acctTxnsCount},
		read:   readListed(d.c.GetAccounts, func(a monarch.Account) string { return a.ID }, accountValues),
		set: func(ctx context.Context, id string, v values) error {
			u, ok := accountUpdateFor(id, v)
			if !ok {
				return nil
			}
			_, err := d.c.UpdateAccount(ctx, u)
			return err
		},
		create: func(ctx context.Context, v values) (string, error) {
			n := monarch.NewManualAccount{IncludeInNetWorth: true}
			n.Name, _ = vString(v, acctName)
			n.Type, _ = vString(v, acctType)
			n.Subtype, _ = vString(v, acctSubtype)
			n.Balance, _ = vFloat(v, acctBalance)
			if b, ok := vBool(v, acctNetWorth); ok {
				n.IncludeInNetWorth = b
			}
			a, err := d.c.CreateManualAccount(ctx, n)
			if err != nil {
				return "", err
			}
			// What creating cannot set is set after it.
			rest := values{}
			for _, f := range []string{acctHidden, acctHideTxns} {
				if b, _ := vBool(v, f); b {
					rest[f] = true
				}
			}
			if u, ok := accountUpdateFor(a.ID, rest); ok {
				if _, err := d.c.UpdateAccount(ctx, u); err != nil {
					return a.ID, fmt.Errorf("the account was recreated as %s, but setting its other fields failed: %w", a.ID, err)
				}
			}
			return a.ID, nil
		},
		remove: func(ctx context.Context, id string) error {
			return d.c.DeleteAccount(ctx, id)
		},
		recreateLoss: "it comes back as a manual account, without its balance history",
	}
}

// accountValues are a's journal fields.
func accountValues(a monarch.Account) values {
	return values{
		acctName: a.DisplayName, acctType: a.Type.Name, acctSubtype: a.Subtype.Name, acctBalance: shapeAccount(a).Balance,
		acctNetWorth: a.IncludeInNetWorth, acctHidden: a.HideFromList, acctHideTxns: a.HideTransactionsFromReports,
		acctTxnsCount: float64(a.TransactionsCount),
	}
}

// accountUpdateFor is the update setting v's fields on account id; ok is
// false when v holds none that an update sets.
func accountUpdateFor(id string, v values) (monarch.AccountUpdate, bool) {
	u := monarch.AccountUpdate{ID: id}
	ok := false
	if s, has := vString(v, acctName); has && s != "" {
		u.Name, ok = &s, true
	}
	if s, has := vString(v, acctType); has && s != "" {
		u.Type, ok = &s, true
	}
	if s, has := vString(v, acctSubtype); has && s != "" {
		u.Subtype, ok = &s, true
	}
	if x, has := vFloat(v, acctBalance); has {
		u.Balance, ok = &x, true
	}
	for f, dst := range map[string]**bool{acctNetWorth: &u.IncludeInNetWorth, acctHidden: &u.HideFromList, acctHideTxns: &u.HideTransactionsFromReports} {
		if b, has := vBool(v, f); has {
			*dst, ok = &b, true
		}
	}
	return u, ok
}

// accountTargets names fields of account id.
func accountTargets(id string, fields ...string) []target {
	return []target{{kind: kindAccount, ids: []string{id}, fields: fields}}
}
