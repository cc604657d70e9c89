package monarch

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// NamedType is an account type or subtype, e.g. {Name: "depository",
// Display: "Cash"}.
type NamedType struct {
	Name    string `json:"name"`
	Display string `json:"display"`
}

// Institution is a bank or broker.
type Institution struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	URL    string `json:"url,omitempty"`
	Status string `json:"status,omitempty"`
}

// AccountCredential is the connection an account syncs through.
type AccountCredential struct {
	ID                             string       `json:"id"`
	UpdateRequired                 bool         `json:"updateRequired"`
	DisconnectedFromDataProviderAt *string      `json:"disconnectedFromDataProviderAt"`
	DataProvider                   string       `json:"dataProvider"`
	Institution                    *Institution `json:"institution"`
}

// Account is one of the household's accounts. Balances are signed:
// liabilities are negative.
type Account struct {
	ID                          string             `json:"id"`
	DisplayName                 string             `json:"displayName"`
	SyncDisabled                bool               `json:"syncDisabled"`
	DeactivatedAt               *string            `json:"deactivatedAt"`
	IsHidden                    bool               `json:"isHidden"`
	IsAsset                     bool               `json:"isAsset"`
	Mask                        string             `json:"mask"`
	CreatedAt                   string             `json:"createdAt"`
	UpdatedAt                   string             `json:"updatedAt"`
	DisplayLastUpdatedAt        string             `json:"displayLastUpdatedAt"`
	CurrentBalance              *float64           `json:"currentBalance"`
	DisplayBalance              *float64           `json:"displayBalance"`
	IncludeInNetWorth           bool               `json:"includeInNetWorth"`
	HideFromList                bool               `json:"hideFromList"`
	HideTransactionsFromReports bool               `json:"hideTransactionsFromReports"`
	DataProvider                string             `json:"dataProvider"`
	IsManual                    bool               `json:"isManual"`
	TransactionsCount           int                `json:"transactionsCount"`
	HoldingsCount               int                `json:"holdingsCount"`
	Order                       int                `json:"order"`
	Type                        NamedType          `json:"type"`
	Subtype                     NamedType          `json:"subtype"`
	Credential                  *AccountCredential `json:"credential"`
	Institution                 *Institution       `json:"institution"`
}

// UnmarshalJSON checks the fields every account must have.
func (a *Account) UnmarshalJSON(b []byte) error {
	type plain Account
	var w struct {
		plain
		ID          *string `json:"id"`
		DisplayName *string `json:"displayName"`
		IsAsset     *bool   `json:"isAsset"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("an account", "id", w.ID == nil, "displayName", w.DisplayName == nil, "isAsset", w.IsAsset == nil); err != nil {
		return err
	}
	*a = Account(w.plain)
	a.ID, a.DisplayName, a.IsAsset = *w.ID, *w.DisplayName, *w.IsAsset
	return nil
}

// GetAccounts returns all accounts of the household.
func (c *Client) GetAccounts(ctx context.Context) ([]Account, error) {
	var out struct {
		Accounts *[]Account `json:"accounts"`
	}
	if err := c.graphQL(ctx, opGetAccounts, nil, &out); err != nil {
		return nil, err
	}
	if out.Accounts == nil {
		return nil, &UnexpectedResponseError{Operation: opGetAccounts.name, Reason: "the answer has no accounts list"}
	}
	return *out.Accounts, nil
}

// Security is a traded instrument.
type Security struct {
	ID                    string   `json:"id"`
	Name                  string   `json:"name"`
	Type                  string   `json:"type"`
	Ticker                string   `json:"ticker"`
	TypeDisplay           string   `json:"typeDisplay"`
	CurrentPrice          *float64 `json:"currentPrice"`
	CurrentPriceUpdatedAt string   `json:"currentPriceUpdatedAt"`
	ClosingPrice          *float64 `json:"closingPrice"`
	ClosingPriceUpdatedAt string   `json:"closingPriceUpdatedAt"`
	OneDayChangePercent   *float64 `json:"oneDayChangePercent"`
	OneDayChangeDollars   *float64 `json:"oneDayChangeDollars"`
}

// HoldingLot is one underlying holding of an aggregate [Holding].
type HoldingLot struct {
	ID                    string   `json:"id"`
	Type                  *string  `json:"type"`
	TypeDisplay           string   `json:"typeDisplay"`
	Name                  string   `json:"name"`
	Ticker                string   `json:"ticker"`
	ClosingPrice          *float64 `json:"closingPrice"`
	IsManual              bool     `json:"isManual"`
	ClosingPriceUpdatedAt string   `json:"closingPriceUpdatedAt"`
	// Quantity, Value, CostBasis and Account are selected by the portfolio
	// query only (nil from GetAccountHoldings).
	Quantity  *float64    `json:"quantity"`
	Value     *float64    `json:"value"`
	CostBasis *float64    `json:"costBasis"`
	Account   *AccountRef `json:"account"`
}

// Holding is a position in one security (Monarch's aggregate holding).
// Security is nil for cash and some manual holdings.
type Holding struct {
	ID                         string       `json:"id"`
	Quantity                   float64      `json:"quantity"`
	Basis                      *float64     `json:"basis"`
	CostBasis                  *float64     `json:"costBasis"`
	TotalGainLossDollars       *float64     `json:"totalGainLossDollars"`
	TotalGainLossPercent       *float64     `json:"totalGainLossPercent"`
	TotalValue                 *float64     `json:"totalValue"`
	SecurityPriceChangeDollars *float64     `json:"securityPriceChangeDollars"`
	SecurityPriceChangePercent *float64     `json:"securityPriceChangePercent"`
	LastSyncedAt               string       `json:"lastSyncedAt"`
	Holdings                   []HoldingLot `json:"holdings"`
	Security                   *Security    `json:"security"`
}

// Cost is the cost basis: costBasis where the query selects it, else the
// older basis field (nil when Monarch has neither).
func (h Holding) Cost() *float64 {
	if h.CostBasis != nil {
		return h.CostBasis
	}
	return h.Basis
}

// Name is the security's name, or the first lot's.
func (h Holding) Name() string {
	if h.Security != nil && h.Security.Name != "" {
		return h.Security.Name
	}
	if len(h.Holdings) > 0 {
		return h.Holdings[0].Name
	}
	return ""
}

// Ticker is the security's ticker, or the first lot's ("" for cash).
func (h Holding) Ticker() string {
	if h.Security != nil && h.Security.Ticker != "" {
		return h.Security.Ticker
	}
	if len(h.Holdings) > 0 {
		return h.Holdings[0].Ticker
	}
	return ""
}

// UnmarshalJSON checks the fields every holding must have.
func (h *Holding) UnmarshalJSON(b []byte) error {
	type plain Holding
	var w struct {
		plain
		ID       *string  `json:"id"`
		Quantity *float64 `json:"quantity"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a holding", "id", w.ID == nil, "quantity", w.Quantity == nil); err != nil {
		return err
	}
	*h = Holding(w.plain)
	h.ID, h.Quantity = *w.ID, *w.Quantity
	return nil
}

// GetAccountHoldings returns the holdings of one (investment) account.
func (c *Client) GetAccountHoldings(ctx context.Context, accountID string) ([]Holding, error) {
	if accountID == "" {
		return nil, fmt.Errorf("monarch: GetAccountHoldings: account id is empty")
	}
	today := c.Now().Format(dateLayout)
	vars := map[string]any{"input": map[string]any{
		"accountIds": []string{accountID}, "startDate": today, "endDate": today, "includeHiddenHoldings": true,
	}}
	var out struct {
		Portfolio *struct {
			AggregateHoldings *holdingConnection `json:"aggregateHoldings"`
		} `json:"portfolio"`
	}
	if err := c.graphQL(ctx, opHoldings, vars, &out); err != nil {
		return nil, notFound("account", accountID, err)
	}
	if out.Portfolio == nil {
		return nil, &UnexpectedResponseError{Operation: opHoldings.name, Reason: "the answer has no portfolio"}
	}
	return out.Portfolio.AggregateHoldings.holdings(opHoldings.name)
}

// holdingConnection is Monarch's AggregateHoldingConnection.
type holdingConnection struct {
	Edges []struct {
		Node *Holding `json:"node"`
	} `json:"edges"`
}

// holdings unwraps the connection's nodes; a missing connection or node is
// an unexpected answer of operation.
func (hc *holdingConnection) holdings(operation string) ([]Holding, error) {
	if hc == nil {
		return nil, &UnexpectedResponseError{Operation: operation, Reason: "the answer has no portfolio.aggregateHoldings"}
	}
	hs := make([]Holding, 0, len(hc.Edges))
	for _, e := range hc.Edges {
		if e.Node == nil {
			return nil, &UnexpectedResponseError{Operation: operation, Reason: "a holdings edge has no node"}
		}
		hs = append(hs, *e.Node)
	}
	return hs, nil
}

// BalancePoint is an account's balance at the end of a day. Balance is
// signed (negative for liabilities).
type BalancePoint struct {
	Date    string  `json:"date"`
	Balance float64 `json:"signedBalance"`
}

// UnmarshalJSON checks that date and balance are present.
func (p *BalancePoint) UnmarshalJSON(b []byte) error {
	var w struct {
		Date    *string  `json:"date"`
		Balance *float64 `json:"signedBalance"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a balance snapshot", "date", w.Date == nil, "signedBalance", w.Balance == nil); err != nil {
		return err
	}
	p.Date, p.Balance = *w.Date, *w.Balance
	return nil
}

// GetAccountHistory returns an account's daily balances, as Monarch orders
// them (oldest first). Monarch has no date or paging arguments for it. An
// unknown account id is an error matching ErrNotFound.
func (c *Client) GetAccountHistory(ctx context.Context, accountID string) ([]BalancePoint, error) {
	if accountID == "" {
		return nil, fmt.Errorf("monarch: GetAccountHistory: account id is empty")
	}
	var out struct {
		Account   *json.RawMessage `json:"account"`
		Snapshots *[]BalancePoint  `json:"snapshots"`
	}
	if err := c.graphQL(ctx, opAccountDetails, map[string]any{"id": accountID}, &out); err != nil {
		return nil, notFound("account", accountID, err)
	}
	if out.Account == nil || string(*out.Account) == "null" {
		return nil, fmt.Errorf("account %s: %w", accountID, ErrNotFound)
	}
	if out.Snapshots == nil {
		return nil, &UnexpectedResponseError{Operation: opAccountDetails.name, Reason: "the answer has no snapshots list"}
	}
	return *out.Snapshots, nil
}

// Credential is a connection to an institution (Monarch's "credential"),
// with the accounts that sync through it.
type Credential struct {
	ID                             string  `json:"id"`
	UpdateRequired                 bool    `json:"updateRequired"`
	DisconnectedFromDataProviderAt *string `json:"disconnectedFromDataProviderAt"`
	DisplayLastUpdatedAt           string  `json:"displayLastUpdatedAt"`
	DataProvider                   string  `json:"dataProvider"`
	Institution                    *struct {
		ID                       string `json:"id"`
		Name                     string `json:"name"`
		URL                      string `json:"url"`
		Status                   string `json:"status"`
		BalanceStatus            string `json:"balanceStatus"`
		TransactionsStatus       string `json:"transactionsStatus"`
		HasIssuesReported        bool   `json:"hasIssuesReported"`
		HasIssuesReportedMessage string `json:"hasIssuesReportedMessage"`
	} `json:"institution"`
	// Accounts are the accounts using this credential (joined by the client).
	Accounts []CredentialAccount `json:"accounts"`
}

// CredentialAccount is an account as listed under its credential.
type CredentialAccount struct {
	ID          string    `json:"id"`
	DisplayName string    `json:"displayName"`
	Subtype     NamedType `json:"subtype"`
	Mask        string    `json:"mask"`
	DeletedAt   *string   `json:"deletedAt"`
}

// GetInstitutions returns the household's institution connections, each
// with its accounts (deleted accounts included, with DeletedAt set).
func (c *Client) GetInstitutions(ctx context.Context) ([]Credential, error) {
	var out struct {
		Credentials *[]Credential `json:"credentials"`
		Accounts    *[]struct {
			CredentialAccount
			ID         *string `json:"id"`
			Credential *struct {
				ID string `json:"id"`
			} `json:"credential"`
		} `json:"accounts"`
	}
	if err := c.graphQL(ctx, opInstitutions, nil, &out); err != nil {
		return nil, err
	}
	if out.Credentials == nil || out.Accounts == nil {
		return nil, &UnexpectedResponseError{Operation: opInstitutions.name, Reason: "the answer has no credentials or accounts list"}
	}
	creds := *out.Credentials
	byID := make(map[string]int, len(creds))
	for i, cr := range creds {
		if cr.ID == "" {
			return nil, &UnexpectedResponseError{Operation: opInstitutions.name, Reason: "a credential has no id"}
		}
		byID[cr.ID] = i
	}
	for _, a := range *out.Accounts {
		if a.ID == nil {
			return nil, &UnexpectedResponseError{Operation: opInstitutions.name, Reason: "an account has no id"}
		}
		if a.Credential == nil {
			continue // manual account
		}
		if i, ok := byID[a.Credential.ID]; ok {
			ca := a.CredentialAccount
			ca.ID = *a.ID
			creds[i].Accounts = append(creds[i].Accounts, ca)
		}
	}
	return creds, nil
}

// RefreshAccounts asks Monarch to sync the given accounts with their
// institutions. It returns once the request is accepted; poll
// GetRefreshStatus to see when syncing ends.
func (c *Client) RefreshAccounts(ctx context.Context, accountIDs []string) error {
	if len(accountIDs) == 0 {
		return fmt.Errorf("monarch: RefreshAccounts: no account ids")
	}
	var out struct {
		Force *struct {
			Success *bool         `json:"success"`
			Errors  payloadErrors `json:"errors"`
		} `json:"forceRefreshAccounts"`
	}
	if err := c.graphQL(ctx, opForceRefresh, map[string]any{"input": map[string]any{"accountIds": accountIDs}}, &out); err != nil {
		return err
	}
	if out.Force == nil {
		return &UnexpectedResponseError{Operation: opForceRefresh.name, Reason: "the answer has no forceRefreshAccounts"}
	}
	if err := out.Force.Errors.err(opForceRefresh); err != nil {
		return notFound("account", strings.Join(accountIDs, ", "), err)
	}
	if out.Force.Success == nil {
		return &UnexpectedResponseError{Operation: opForceRefresh.name, Reason: "forceRefreshAccounts has no success flag"}
	}
	if !*out.Force.Success {
		return &GraphQLError{Operation: opForceRefresh.name, Messages: []string{"Monarch did not start the refresh"}}
	}
	return nil
}

// RefreshStatus is whether an account is syncing.
type RefreshStatus struct {
	AccountID         string `json:"id"`
	HasSyncInProgress bool   `json:"hasSyncInProgress"`
}

// UnmarshalJSON checks that both fields are present.
func (r *RefreshStatus) UnmarshalJSON(b []byte) error {
	var w struct {
		ID   *string `json:"id"`
		Sync *bool   `json:"hasSyncInProgress"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("an account", "id", w.ID == nil, "hasSyncInProgress", w.Sync == nil); err != nil {
		return err
	}
	r.AccountID, r.HasSyncInProgress = *w.ID, *w.Sync
	return nil
}

// GetRefreshStatus returns, for every account, whether a sync is in
// progress. A refresh is over when none of the requested accounts is.
func (c *Client) GetRefreshStatus(ctx context.Context) ([]RefreshStatus, error) {
	var out struct {
		Accounts *[]RefreshStatus `json:"accounts"`
	}
	if err := c.graphQL(ctx, opRefreshStatus, nil, &out); err != nil {
		return nil, err
	}
	if out.Accounts == nil {
		return nil, &UnexpectedResponseError{Operation: opRefreshStatus.name, Reason: "the answer has no accounts list"}
	}
	return *out.Accounts, nil
}

// Ping makes the cheapest authenticated request (the signed-in user's id),
// to check that the session works.
func (c *Client) Ping(ctx context.Context) error {
	var out struct {
		Me *struct {
			ID *string `json:"id"`
		} `json:"me"`
	}
	if err := c.graphQL(ctx, opMe, nil, &out); err != nil {
		return err
	}
	if out.Me == nil || out.Me.ID == nil {
		return &UnexpectedResponseError{Operation: opMe.name, Reason: "the answer has no me.id"}
	}
	return nil
}
