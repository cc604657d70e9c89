package monarch

import (
	"context"
	"encoding/json"
	"fmt"
)

// RecurringStream is a recurring bill or income (e.g. a subscription).
type RecurringStream struct {
	ID            string       `json:"id"`
	Frequency     string       `json:"frequency"`
	Amount        *float64     `json:"amount"`
	IsApproximate bool         `json:"isApproximate"`
	Merchant      *MerchantRef `json:"merchant"`
}

// RecurringItem is one occurrence of a recurring stream. TransactionID is set
// once it has posted (IsPast).
type RecurringItem struct {
	Stream        RecurringStream `json:"stream"`
	Date          string          `json:"date"`
	IsPast        bool            `json:"isPast"`
	TransactionID string          `json:"transactionId"`
	Amount        *float64        `json:"amount"`
	AmountDiff    *float64        `json:"amountDiff"`
	Category      *CategoryRef    `json:"category"`
	Account       *AccountRef     `json:"account"`
}

// UnmarshalJSON checks the fields every item must have.
func (r *RecurringItem) UnmarshalJSON(b []byte) error {
	type plain RecurringItem
	var w struct {
		plain
		Stream        *RecurringStream `json:"stream"`
		Date          *string          `json:"date"`
		TransactionID *string          `json:"transactionId"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a recurring item", "stream", w.Stream == nil, "date", w.Date == nil); err != nil {
		return err
	}
	*r = RecurringItem(w.plain)
	r.Stream, r.Date, r.TransactionID = *w.Stream, *w.Date, deref(w.TransactionID)
	return nil
}

// GetRecurringTransactions returns the recurring items due from start to end
// (YYYY-MM-DD, inclusive), past and upcoming.
func (c *Client) GetRecurringTransactions(ctx context.Context, start, end string) ([]RecurringItem, error) {
	if err := checkDate("start date", start); err != nil {
		return nil, err
	}
	if err := checkDate("end date", end); err != nil {
		return nil, err
	}
	if end < start {
		return nil, fmt.Errorf("monarch: end date %s is before start date %s", end, start)
	}
	var out struct {
		Items *[]RecurringItem `json:"recurringTransactionItems"`
	}
	if err := c.graphQL(ctx, opRecurring, map[string]any{"startDate": start, "endDate": end}, &out); err != nil {
		return nil, err
	}
	if out.Items == nil {
		return nil, &UnexpectedResponseError{Operation: opRecurring.name, Reason: "the answer has no recurringTransactionItems list"}
	}
	return *out.Items, nil
}
