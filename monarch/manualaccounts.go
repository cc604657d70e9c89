package monarch

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// Operations on accounts themselves: the account types Monarch accepts,
// and creating, changing and deleting accounts. The root fields are those
// of Monarch's schema (testdata/monarch.graphql).
var (
	opAccountTypeOptions = op("GetAccountTypeOptions")
	// A create re-sent after a lost answer could add the account twice.
	opCreateManualAccount = opAtMostOnce("Web_CreateManualAccount")
	opUpdateAccount       = op("Common_UpdateAccount")
	opDeleteAccount       = op("Common_DeleteAccount")
)

// AccountTypeOption is an account type Monarch accepts, e.g. {Name:
// "depository", Display: "Cash", Group: "asset"}, with the subtypes an
// account of that type may have.
type AccountTypeOption struct {
	Name     string      `json:"name"`
	Display  string      `json:"display"`
	Group    string      `json:"group"`
	Subtypes []NamedType `json:"possibleSubtypes"`
}

// GetAccountTypeOptions returns the account types and subtypes Monarch
// accepts for accounts, one entry per type.
func (c *Client) GetAccountTypeOptions(ctx context.Context) ([]AccountTypeOption, error) {
	var out struct {
		Options *[]struct {
			Type *AccountTypeOption `json:"type"`
		} `json:"accountTypeOptions"`
	}
	if err := c.graphQL(ctx, opAccountTypeOptions, nil, &out); err != nil {
		return nil, err
	}
	if out.Options == nil {
		return nil, &UnexpectedResponseError{Operation: opAccountTypeOptions.name, Reason: "the answer has no accountTypeOptions list"}
	}
	// Monarch lists a type once per subtype option: keep each type once.
	var types []AccountTypeOption
	seen := map[string]bool{}
	for _, o := range *out.Options {
		if o.Type == nil || o.Type.Name == "" {
			return nil, &UnexpectedResponseError{Operation: opAccountTypeOptions.name, Reason: "an accountTypeOptions entry has no type name"}
		}
		if !seen[o.Type.Name] {
			seen[o.Type.Name] = true
			types = append(types, *o.Type)
		}
	}
	return types, nil
}

// NewManualAccount is a manual account to create. Type and Subtype are
// names from GetAccountTypeOptions. Balance is the starting balance
// (liabilities as positive amounts owed, as Monarch's form takes them).
type NewManualAccount struct {
	Name              string
	Type, Subtype     string
	Balance           float64
	IncludeInNetWorth bool
}

// CreateManualAccount creates a manual account and returns it. It is never
// retried once it may have reached Monarch.
func (c *Client) CreateManualAccount(ctx context.Context, a NewManualAccount) (Account, error) {
	name := strings.TrimSpace(a.Name)
	switch {
	case name == "":
		return Account{}, fmt.Errorf("monarch: CreateManualAccount: Name is empty")
	case a.Type == "" || a.Subtype == "":
		return Account{}, fmt.Errorf("monarch: CreateManualAccount: Type and Subtype are required")
	case math.IsNaN(a.Balance) || math.IsInf(a.Balance, 0):
		return Account{}, fmt.Errorf("monarch: CreateManualAccount: Balance is not a number")
	}
	vars := map[string]any{"input": map[string]any{
		"name": name, "type": a.Type, "subtype": a.Subtype,
		"displayBalance": math.Round(a.Balance*100) / 100, "includeInNetWorth": a.IncludeInNetWorth,
	}}
	var out struct {
		Payload *accountPayload `json:"createManualAccount"`
	}
	if err := c.graphQL(ctx, opCreateManualAccount, vars, &out); err != nil {
		return Account{}, err
	}
	return out.Payload.account(opCreateManualAccount, "createManualAccount")
}

// accountPayload is the answer of a mutation that returns an account.
type accountPayload struct {
	Errors  payloadErrors `json:"errors"`
	Account *Account      `json:"account"`
}

func (p *accountPayload) account(o operation, field string) (Account, error) {
	if p == nil {
		return Account{}, &UnexpectedResponseError{Operation: o.name, Reason: "the answer has no " + field}
	}
	if err := p.Errors.err(o); err != nil {
		return Account{}, err
	}
	if p.Account == nil {
		return Account{}, &UnexpectedResponseError{Operation: o.name, Reason: field + " has no account"}
	}
	return *p.Account, nil
}

// AccountUpdate changes fields of an account: nil fields are left as they
// are. Balance sets a manual account's balance; Type and Subtype are names
// from GetAccountTypeOptions.
type AccountUpdate struct {
	ID                          string
	Name                        *string
	Balance                     *float64
	Type, Subtype               *string
	HideFromList                *bool
	IncludeInNetWorth           *bool
	HideTransactionsFromReports *bool
}

// UpdateAccount applies u and returns the account as Monarch now has it.
// An unknown id is an error matching ErrNotFound.
func (c *Client) UpdateAccount(ctx context.Context, u AccountUpdate) (Account, error) {
	if strings.TrimSpace(u.ID) == "" {
		return Account{}, fmt.Errorf("monarch: UpdateAccount: ID is empty")
	}
	in := map[string]any{"id": u.ID}
	if u.Name != nil {
		n := strings.TrimSpace(*u.Name)
		if n == "" {
			return Account{}, fmt.Errorf("monarch: UpdateAccount: Name is empty")
		}
		in["name"] = n
	}
	if u.Balance != nil {
		if math.IsNaN(*u.Balance) || math.IsInf(*u.Balance, 0) {
			return Account{}, fmt.Errorf("monarch: UpdateAccount: Balance is not a number")
		}
		in["displayBalance"] = math.Round(*u.Balance*100) / 100
	}
	for name, v := range map[string]*string{"type": u.Type, "subtype": u.Subtype} {
		if v != nil {
			if *v == "" {
				return Account{}, fmt.Errorf("monarch: UpdateAccount: %s is empty", name)
			}
			in[name] = *v
		}
	}
	for name, v := range map[string]*bool{
		"hideFromList": u.HideFromList, "includeInNetWorth": u.IncludeInNetWorth,
		"hideTransactionsFromReports": u.HideTransactionsFromReports,
	} {
		if v != nil {
			in[name] = *v
		}
	}
	var out struct {
		Payload *accountPayload `json:"updateAccount"`
	}
	if err := c.graphQL(ctx, opUpdateAccount, map[string]any{"input": in}, &out); err != nil {
		return Account{}, notFound("account", u.ID, err)
	}
	a, err := out.Payload.account(opUpdateAccount, "updateAccount")
	return a, notFound("account", u.ID, err)
}

// DeleteAccount deletes an account and, with it, its transactions and
// balance history. An unknown id is an error matching ErrNotFound.
func (c *Client) DeleteAccount(ctx context.Context, id string) error {
	if strings.TrimSpace(id) == "" {
		return fmt.Errorf("monarch: DeleteAccount: id is empty")
	}
	var out struct {
		Delete *struct {
			Deleted *bool         `json:"deleted"`
			Errors  payloadErrors `json:"errors"`
		} `json:"deleteAccount"`
	}
	if err := c.graphQL(ctx, opDeleteAccount, map[string]any{"id": id}, &out); err != nil {
		return notFound("account", id, err)
	}
	if out.Delete == nil {
		return &UnexpectedResponseError{Operation: opDeleteAccount.name, Reason: "the answer has no deleteAccount"}
	}
	if err := out.Delete.Errors.err(opDeleteAccount); err != nil {
		return notFound("account", id, err)
	}
	if out.Delete.Deleted == nil || !*out.Delete.Deleted {
		return &UnexpectedResponseError{Operation: opDeleteAccount.name, Reason: "deleteAccount answered deleted: false without saying why"}
	}
	return nil
}
