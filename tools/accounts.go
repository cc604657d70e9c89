package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/mcp"
)

// --- get_accounts -----------------------------------------------------------

type getAccountsArgs struct {
	IncludeHidden bool `json:"include_hidden,omitempty"`
}

type account struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Type        string  `json:"type,omitempty"`
	Subtype     string  `json:"subtype,omitempty"`
	Balance     float64 `json:"balance" jsonschema:"current balance in the account's currency; liabilities are positive amounts owed"`
	Currency    string  `json:"currency,omitempty"`
	IsAsset     bool    `json:"is_asset"`
	IsHidden    bool    `json:"is_hidden,omitempty"`
	Institution string  `json:"institution,omitempty"`
	Mask        string  `json:"mask,omitempty" jsonschema:"last digits of the account number"`
	UpdatedAt   string  `json:"updated_at,omitempty"`
}

type accountsResult struct {
	Accounts []account `json:"accounts"`
	list
	// AssetsTotal and LiabilitiesTotal sum the listed accounts' balances.
	AssetsTotal      float64 `json:"assets_total"`
	LiabilitiesTotal float64 `json:"liabilities_total"`
}

func getAccounts(d *deps) Tool {
	return define(d, spec{
		name:  "get_accounts",
		title: "Get accounts",
		description: "List the household's accounts (bank, credit card, investment, loan, property...) with id, name, type, current balance, " +
			"institution and last update. Use the ids with get_account_holdings, get_account_history and get_transactions. Hidden accounts are left out unless include_hidden is true.",
		kind: Read,
		params: []mcp.ToolOption{
			mcp.WithBoolean("include_hidden", mcp.Description("Also list accounts hidden in Monarch (default false)."), mcp.DefaultBool(false)),
		},
	}, func(ctx context.Context, a getAccountsArgs) (accountsResult, error) {
		accts, err := d.c.GetAccounts(ctx)
		if err != nil {
			return accountsResult{}, err
		}
		res := accountsResult{Accounts: []account{}}
		for _, x := range accts {
			ac := shapeAccount(x)
			if ac.IsHidden && !a.IncludeHidden {
				continue
			}
			res.Accounts = append(res.Accounts, ac)
			if ac.IsAsset {
				res.AssetsTotal += ac.Balance
			} else {
				res.LiabilitiesTotal += ac.Balance
			}
		}
		res.list = fullList(len(res.Accounts))
		res.AssetsTotal, res.LiabilitiesTotal = round2(res.AssetsTotal), round2(res.LiabilitiesTotal)
		return res, nil
	})
}

// --- get_account_holdings ---------------------------------------------------

type accountIDArgs struct {
	AccountID string `json:"account_id"`
}

func (a *accountIDArgs) validate() error {
	return requireID("account_id", a.AccountID, "get_accounts lists account ids")
}

type holding struct {
	ID        string   `json:"id,omitempty"`
	Name      string   `json:"name"`
	Ticker    string   `json:"ticker,omitempty"`
	Type      string   `json:"type,omitempty"`
	Quantity  float64  `json:"quantity"`
	Price     *float64 `json:"price,omitempty"`
	Value     *float64 `json:"value,omitempty"`
	CostBasis *float64 `json:"cost_basis,omitempty"`
}

type holdingsResult struct {
	AccountID string    `json:"account_id"`
	Holdings  []holding `json:"holdings"`
	list
	TotalValue float64 `json:"total_value"`
}

func getAccountHoldings(d *deps) Tool {
	return define(d, spec{
		name:  "get_account_holdings",
		title: "Get account holdings",
		description: "List the investment holdings (securities, funds, cash positions) of one account: name, ticker, quantity, price, value and cost basis. " +
			"account_id comes from get_accounts; non-investment accounts have no holdings.",
		kind: Read,
		params: []mcp.ToolOption{
			idParam("account_id", "Account id from get_accounts.", mcp.Required()),
		},
	}, func(ctx context.Context, a accountIDArgs) (holdingsResult, error) {
		hs, err := d.c.GetAccountHoldings(ctx, a.AccountID)
		if err != nil {
			return holdingsResult{}, err
		}
		if len(hs) == 0 {
			// Monarch answers an unknown account with no holdings; tell the two apart.
			if err := d.requireAccount(ctx, a.AccountID); err != nil {
				return holdingsResult{}, err
			}
		}
		res := holdingsResult{AccountID: a.AccountID, Holdings: make([]holding, 0, len(hs))}
		for _, h := range hs {
			sh := shapeHolding(h)
			if sh.Value != nil {
				res.TotalValue += *sh.Value
			}
			res.Holdings = append(res.Holdings, sh)
		}
		res.TotalValue = round2(res.TotalValue)
		res.list = fullList(len(res.Holdings))
		return res, nil
	})
}

// --- get_account_history ----------------------------------------------------

type accountHistoryArgs struct {
	AccountID string `json:"account_id"`
	StartDate string `json:"start_date,omitempty"`
	EndDate   string `json:"end_date,omitempty"`
	Limit     *int   `json:"limit,omitempty"`
	Offset    int    `json:"offset,omitempty"`
}

// historyQuery is get_account_history's checked arguments.
type historyQuery struct {
	accountID string
	span      dateSpan
	paging
}

func (a accountHistoryArgs) parse() (historyQuery, error) {
	if err := requireID("account_id", a.AccountID, "get_accounts lists account ids"); err != nil {
		return historyQuery{}, err
	}
	span, err := parseSpan(a.StartDate, a.EndDate)
	if err != nil {
		return historyQuery{}, err
	}
	p, err := parsePaging(a.Limit, a.Offset)
	return historyQuery{accountID: a.AccountID, span: span, paging: p}, err
}

type balancePoint struct {
	Date    string  `json:"date"`
	Balance float64 `json:"balance"`
}

type accountHistoryResult struct {
	AccountID string         `json:"account_id"`
	Balances  []balancePoint `json:"balances" jsonschema:"balances by date, newest first"`
	list
}

func getAccountHistory(d *deps) Tool {
	return defineParsed[accountHistoryArgs](d, spec{
		name:  "get_account_history",
		title: "Get account balance history",
		description: "Daily balance history of one account, newest first, optionally limited to a date range. " +
			"account_id comes from get_accounts. Paged: see truncated and next_offset.",
		kind: Read,
		params: append([]mcp.ToolOption{
			idParam("account_id", "Account id from get_accounts.", mcp.Required()),
			dateParam("start_date", "Earliest date to include"),
			dateParam("end_date", "Latest date to include"),
		}, limitParams()...),
	}, func(ctx context.Context, q historyQuery) (accountHistoryResult, error) {
		points, err := d.c.GetAccountHistory(ctx, q.accountID)
		if err != nil {
			return accountHistoryResult{}, err
		}
		all := shapeHistory(points, q.span.start, q.span.end)
		res := accountHistoryResult{AccountID: q.accountID}
		res.Balances, res.list = page(all, q.offset, q.limit)
		return res, nil
	})
}

// page cuts one page out of items.
func page[T any](items []T, offset, limit int) ([]T, list) {
	total := len(items)
	if offset > total {
		offset = total
	}
	end := min(offset+limit, total)
	out := make([]T, end-offset)
	copy(out, items[offset:end])
	return out, pageList(len(out), total, offset)
}

// requireAccount returns an error naming id when no account has it.
func (d *deps) requireAccount(ctx context.Context, id string) error {
	_, err := d.findAccount(ctx, id)
	return err
}
