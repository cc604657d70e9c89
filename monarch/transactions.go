package monarch

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// dateLayout is Monarch's date format.
const dateLayout = "2006-01-02"

// CategoryRef names a category.
type CategoryRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// MerchantRef names a merchant.
type MerchantRef struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	TransactionsCount int    `json:"transactionsCount"`
}

// AccountRef names an account.
type AccountRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// Transaction is one transaction. Amount is signed: expenses are negative.
// Category and Merchant are nil when unset. Transactions returned by
// UpdateTransaction carry only the fields that mutation selects (no account
// or tags, category id only).
type Transaction struct {
	ID              string  `json:"id"`
	Amount          float64 `json:"amount"`
	Pending         bool    `json:"pending"`
	Date            string  `json:"date"`
	HideFromReports bool    `json:"hideFromReports"`
	// OriginalStatement is the institution's description (Monarch's plaidName).
	OriginalStatement string       `json:"plaidName"`
	Notes             string       `json:"notes"`
	IsRecurring       bool         `json:"isRecurring"`
	ReviewStatus      string       `json:"reviewStatus"`
	NeedsReview       bool         `json:"needsReview"`
	ReviewedAt        string       `json:"reviewedAt"`
	IsSplit           bool         `json:"isSplitTransaction"`
	CreatedAt         string       `json:"createdAt"`
	UpdatedAt         string       `json:"updatedAt"`
	Category          *CategoryRef `json:"category"`
	Merchant          *MerchantRef `json:"merchant"`
	Account           *AccountRef  `json:"account"`
	Tags              []Tag        `json:"tags"`
}

// UnmarshalJSON checks the fields every transaction must have.
func (t *Transaction) UnmarshalJSON(b []byte) error {
	type plain Transaction
	var w struct {
		plain
		ID     *string  `json:"id"`
		Amount *float64 `json:"amount"`
		Date   *string  `json:"date"`
		Notes  *string  `json:"notes"` // null when empty
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a transaction", "id", w.ID == nil, "amount", w.Amount == nil, "date", w.Date == nil); err != nil {
		return err
	}
	*t = Transaction(w.plain)
	t.ID, t.Amount, t.Date = *w.ID, *w.Amount, *w.Date
	if w.Notes != nil {
		t.Notes = *w.Notes
	}
	return nil
}

// TransactionQuery selects transactions. Zero fields do not filter.
// StartDate and EndDate (YYYY-MM-DD) must be given together.
type TransactionQuery struct {
	StartDate, EndDate string
	// Search matches merchant, statement and notes text.
	Search string
	// AccountIDs, CategoryIDs and TagIDs keep transactions matching any of
	// the ids in each list.
	AccountIDs, CategoryIDs, TagIDs []string
	// MerchantIDs keeps transactions of any of these merchants; IDs keeps
	// only the transactions with these ids.
	MerchantIDs, IDs []string
	// MinAbsAmount and MaxAbsAmount bound the amount without its sign
	// (Monarch's absAmountGte/absAmountLte), so a range finds both charges
	// and refunds of that size.
	MinAbsAmount, MaxAbsAmount *float64
	// Flags keep transactions whose property equals the value; nil fields
	// do not filter.
	Flags TransactionFlags
	// Order is the listing order; "" is OrderNewest.
	Order TransactionOrder
	// Limit is the page size (default 100); Offset skips that many.
	Limit, Offset int
}

// TransactionFlags are TransactionFilterInput's yes/no filters.
type TransactionFlags struct {
	HasAttachments  *bool
	HasNotes        *bool
	HideFromReports *bool
	IsSplit         *bool
	IsRecurring     *bool
	IsPending       *bool
	NeedsReview     *bool
}

// TransactionOrder is a value of Monarch's TransactionOrdering enum.
type TransactionOrder string

// Monarch's orderings. Its web app labels the amount orders "high to
// low" and "low to high".
const (
	OrderNewest     TransactionOrder = "date"
	OrderOldest     TransactionOrder = "inverse_date"
	OrderAmountDesc TransactionOrder = "amount"
	OrderAmountAsc  TransactionOrder = "inverse_amount"
)

// set adds the flags that are given to a filter input.
func (fl TransactionFlags) set(f map[string]any) {
	for _, x := range []struct {
		name string
		v    *bool
	}{
		{"hasAttachments", fl.HasAttachments}, {"hasNotes", fl.HasNotes}, {"hideFromReports", fl.HideFromReports},
		{"isSplit", fl.IsSplit}, {"isRecurring", fl.IsRecurring}, {"isPending", fl.IsPending}, {"needsReview", fl.NeedsReview},
	} {
		if x.v != nil {
			f[x.name] = *x.v
		}
	}
}

// filters returns the TransactionFilterInput for q.
func (q TransactionQuery) filters() (map[string]any, error) {
	f := map[string]any{
		"search":     q.Search,
		"accounts":   nonNil(q.AccountIDs),
		"categories": nonNil(q.CategoryIDs),
		"tags":       nonNil(q.TagIDs),
	}
	if len(q.MerchantIDs) > 0 {
		f["merchants"] = q.MerchantIDs
	}
	if len(q.IDs) > 0 {
		f["ids"] = q.IDs
	}
	if (q.StartDate == "") != (q.EndDate == "") {
		return nil, fmt.Errorf("monarch: give both StartDate and EndDate, or neither")
	}
	if q.StartDate != "" {
		if err := checkDate("StartDate", q.StartDate); err != nil {
			return nil, err
		}
		if err := checkDate("EndDate", q.EndDate); err != nil {
			return nil, err
		}
		f["startDate"], f["endDate"] = q.StartDate, q.EndDate
	}
	for _, a := range []struct {
		key, name string
		v         *float64
	}{{"absAmountGte", "MinAbsAmount", q.MinAbsAmount}, {"absAmountLte", "MaxAbsAmount", q.MaxAbsAmount}} {
		if a.v == nil {
			continue
		}
		if *a.v < 0 || math.IsNaN(*a.v) || math.IsInf(*a.v, 0) {
			return nil, fmt.Errorf("monarch: %s must be a number 0 or more (got %v)", a.name, *a.v)
		}
		f[a.key] = *a.v
	}
	q.Flags.set(f)
	return f, nil
}

// orderBy returns the TransactionOrdering for q.
func (q TransactionQuery) orderBy() (TransactionOrder, error) {
	switch q.Order {
	case "":
		return OrderNewest, nil
	case OrderNewest, OrderOldest, OrderAmountDesc, OrderAmountAsc:
		return q.Order, nil
	}
	return "", fmt.Errorf("monarch: unknown transaction order %q", q.Order)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// checkDate refuses a date Monarch would not parse.
func checkDate(name, d string) error {
	if _, err := time.Parse(dateLayout, d); err != nil {
		return fmt.Errorf("monarch: %s %q is not a date of the form YYYY-MM-DD", name, d)
	}
	return nil
}

// TransactionPage is one page of transactions, newest first.
type TransactionPage struct {
	// TotalCount is how many transactions match, across all pages.
	TotalCount   int
	Transactions []Transaction
}

// GetTransactions returns the transactions matching q, newest first.
func (c *Client) GetTransactions(ctx context.Context, q TransactionQuery) (TransactionPage, error) {
	f, err := q.filters()
	if err != nil {
		return TransactionPage{}, err
	}
	order, err := q.orderBy()
	if err != nil {
		return TransactionPage{}, err
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	vars := map[string]any{"offset": max(q.Offset, 0), "limit": q.Limit, "orderBy": string(order), "filters": f}
	var out struct {
		All *struct {
			TotalCount *int           `json:"totalCount"`
			Results    *[]Transaction `json:"results"`
		} `json:"allTransactions"`
	}
	if err := c.graphQL(ctx, opTransactions, vars, &out); err != nil {
		return TransactionPage{}, err
	}
	if out.All == nil || out.All.TotalCount == nil || out.All.Results == nil {
		return TransactionPage{}, &UnexpectedResponseError{Operation: opTransactions.name, Reason: "the answer has no allTransactions.totalCount and results"}
	}
	return TransactionPage{TotalCount: *out.All.TotalCount, Transactions: *out.All.Results}, nil
}

// TransactionsSummary aggregates all transactions. First and Last are the
// dates of the oldest and newest ("" if there are none).
type TransactionsSummary struct {
	Count      int     `json:"count"`
	Sum        float64 `json:"sum"`
	Avg        float64 `json:"avg"`
	Max        float64 `json:"max"`
	MaxExpense float64 `json:"maxExpense"`
	SumIncome  float64 `json:"sumIncome"`
	SumExpense float64 `json:"sumExpense"`
	First      string  `json:"first"`
	Last       string  `json:"last"`
}

// UnmarshalJSON requires count; the sums may be null when there are no
// transactions.
func (s *TransactionsSummary) UnmarshalJSON(b []byte) error {
	var w struct {
		Count                                            *int
		Sum, Avg, Max, MaxExpense, SumIncome, SumExpense *float64
		First, Last                                      *string
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("the summary", "count", w.Count == nil); err != nil {
		return err
	}
	*s = TransactionsSummary{Count: *w.Count, Sum: deref(w.Sum), Avg: deref(w.Avg), Max: deref(w.Max),
		MaxExpense: deref(w.MaxExpense), SumIncome: deref(w.SumIncome), SumExpense: deref(w.SumExpense),
		First: deref(w.First), Last: deref(w.Last)}
	return nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// aggregateList is Monarch's `aggregates` answer: a list of AggregateData.
type aggregateList[T any] []struct {
	Summary *T `json:"summary"`
}

// first returns the first element's summary.
func (a *aggregateList[T]) first(o operation, field string) (T, error) {
	var zero T
	if a == nil || len(*a) == 0 || (*a)[0].Summary == nil {
		return zero, &UnexpectedResponseError{Operation: o.name, Reason: "the answer has no " + field + "[0].summary"}
	}
	return *(*a)[0].Summary, nil
}

// GetTransactionsSummary returns totals over all transactions.
func (c *Client) GetTransactionsSummary(ctx context.Context) (TransactionsSummary, error) {
	var out struct {
		Aggregates *aggregateList[TransactionsSummary] `json:"aggregates"`
	}
	if err := c.graphQL(ctx, opTransactionsPage, nil, &out); err != nil {
		return TransactionsSummary{}, err
	}
	return out.Aggregates.first(opTransactionsPage, "aggregates")
}

// NewTransaction is a manual transaction to create. CategoryID is required
// by Monarch. Amount is signed (negative for an expense) and rounded to
// cents. UpdateBalance also adjusts the account's balance.
type NewTransaction struct {
	Date          string
	AccountID     string
	Amount        float64
	MerchantName  string
	CategoryID    string
	Notes         string
	UpdateBalance bool
}

// CreateTransaction creates a manual transaction and returns its id. It is
// never retried once it may have reached Monarch (a retry could create it
// twice).
func (c *Client) CreateTransaction(ctx context.Context, t NewTransaction) (string, error) {
	if err := checkDate("Date", t.Date); err != nil {
		return "", err
	}
	switch {
	case t.AccountID == "":
		return "", fmt.Errorf("monarch: CreateTransaction: AccountID is required")
	case t.CategoryID == "":
		return "", fmt.Errorf("monarch: CreateTransaction: CategoryID is required")
	case t.MerchantName == "":
		return "", fmt.Errorf("monarch: CreateTransaction: MerchantName is required")
	case math.IsNaN(t.Amount) || math.IsInf(t.Amount, 0):
		return "", fmt.Errorf("monarch: CreateTransaction: Amount is not a number")
	}
	vars := map[string]any{"input": map[string]any{
		"date": t.Date, "accountId": t.AccountID, "amount": math.Round(t.Amount*100) / 100,
		"merchantName": t.MerchantName, "categoryId": t.CategoryID, "notes": t.Notes,
		"shouldUpdateBalance": t.UpdateBalance,
	}}
	var out struct {
		Create *struct {
			Errors      payloadErrors `json:"errors"`
			Transaction *struct {
				ID *string `json:"id"`
			} `json:"transaction"`
		} `json:"createTransaction"`
	}
	if err := c.graphQL(ctx, opCreateTransaction, vars, &out); err != nil {
		return "", err
	}
	if out.Create == nil {
		return "", &UnexpectedResponseError{Operation: opCreateTransaction.name, Reason: "the answer has no createTransaction"}
	}
	if err := out.Create.Errors.err(opCreateTransaction); err != nil {
		return "", err
	}
	if out.Create.Transaction == nil || out.Create.Transaction.ID == nil || *out.Create.Transaction.ID == "" {
		return "", &UnexpectedResponseError{Operation: opCreateTransaction.name, Reason: "createTransaction has no transaction.id"}
	}
	return *out.Create.Transaction.ID, nil
}

// TransactionUpdate changes fields of a transaction: nil fields are left
// as they are. An empty Notes clears the notes.
type TransactionUpdate struct {
	ID              string
	CategoryID      *string
	MerchantName    *string
	Notes           *string
	Amount          *float64
	Date            *string
	HideFromReports *bool
	NeedsReview     *bool
}

// UpdateTransaction applies u and returns the transaction as Monarch now
// has it (with the fields the mutation selects).
func (c *Client) UpdateTransaction(ctx context.Context, u TransactionUpdate) (Transaction, error) {
	if u.ID == "" {
		return Transaction{}, fmt.Errorf("monarch: UpdateTransaction: ID is required")
	}
	in := map[string]any{"id": u.ID}
	// Monarch's input names: the category id goes in "category", the
	// merchant name in "name"; it ignores empty ones, so refuse them.
	if u.CategoryID != nil {
		if *u.CategoryID == "" {
			return Transaction{}, fmt.Errorf("monarch: UpdateTransaction: CategoryID is empty")
		}
		in["category"] = *u.CategoryID
	}
	if u.MerchantName != nil {
		if *u.MerchantName == "" {
			return Transaction{}, fmt.Errorf("monarch: UpdateTransaction: MerchantName is empty")
		}
		in["name"] = *u.MerchantName
	}
	if u.Notes != nil {
		in["notes"] = *u.Notes
	}
	if u.Amount != nil {
		if math.IsNaN(*u.Amount) || math.IsInf(*u.Amount, 0) {
			return Transaction{}, fmt.Errorf("monarch: UpdateTransaction: Amount is not a number")
		}
		in["amount"] = math.Round(*u.Amount*100) / 100
	}
	if u.Date != nil {
		if err := checkDate("Date", *u.Date); err != nil {
			return Transaction{}, err
		}
		in["date"] = *u.Date
	}
	if u.HideFromReports != nil {
		in["hideFromReports"] = *u.HideFromReports
	}
	if u.NeedsReview != nil {
		in["needsReview"] = *u.NeedsReview
	}
	var out struct {
		Update *struct {
			Errors      payloadErrors   `json:"errors"`
			Transaction json.RawMessage `json:"transaction"`
		} `json:"updateTransaction"`
	}
	if err := c.graphQL(ctx, opUpdateTransaction, map[string]any{"input": in}, &out); err != nil {
		return Transaction{}, notFound("transaction", u.ID, err)
	}
	if out.Update == nil {
		return Transaction{}, &UnexpectedResponseError{Operation: opUpdateTransaction.name, Reason: "the answer has no updateTransaction"}
	}
	if err := out.Update.Errors.err(opUpdateTransaction); err != nil {
		return Transaction{}, notFound("transaction", u.ID, err)
	}
	if len(out.Update.Transaction) == 0 || string(out.Update.Transaction) == "null" {
		return Transaction{}, &UnexpectedResponseError{Operation: opUpdateTransaction.name, Reason: "updateTransaction has no transaction"}
	}
	var t Transaction
	if err := json.Unmarshal(out.Update.Transaction, &t); err != nil {
		return Transaction{}, &UnexpectedResponseError{Operation: opUpdateTransaction.name, Reason: jsonReason(err)}
	}
	return t, nil
}

// DeleteTransaction deletes a transaction.
func (c *Client) DeleteTransaction(ctx context.Context, id string) error {
	if id == "" {
		return fmt.Errorf("monarch: DeleteTransaction: id is empty")
	}
	var out struct {
		Delete *struct {
			Deleted *bool         `json:"deleted"`
			Errors  payloadErrors `json:"errors"`
		} `json:"deleteTransaction"`
	}
	if err := c.graphQL(ctx, opDeleteTransaction, map[string]any{"input": map[string]any{"transactionId": id}}, &out); err != nil {
		return notFound("transaction", id, err)
	}
	if out.Delete == nil {
		return &UnexpectedResponseError{Operation: opDeleteTransaction.name, Reason: "the answer has no deleteTransaction"}
	}
	if err := out.Delete.Errors.err(opDeleteTransaction); err != nil {
		return notFound("transaction", id, err)
	}
	if out.Delete.Deleted == nil {
		return &UnexpectedResponseError{Operation: opDeleteTransaction.name, Reason: "deleteTransaction has no deleted flag"}
	}
	if !*out.Delete.Deleted {
		return &GraphQLError{Operation: opDeleteTransaction.name, Messages: []string{"Monarch did not delete transaction " + id}}
	}
	return nil
}
