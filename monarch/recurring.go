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

// StreamReview is a recurring stream with its review status ("approved",
// "ignored" or "pending").
type StreamReview struct {
	ID           string   `json:"id"`
	ReviewStatus string   `json:"reviewStatus"`
	Frequency    string   `json:"frequency"`
	Amount       *float64 `json:"amount"`
	Name         string   `json:"name"`
	MerchantID   string   `json:"-"`
}

// GetRecurringStreams returns every recurring stream with its review status.
func (c *Client) GetRecurringStreams(ctx context.Context) ([]StreamReview, error) {
	var out struct {
		Streams *[]struct {
			Stream *struct {
				StreamReview
				ID       *string `json:"id"`
				Merchant *struct {
					ID string `json:"id"`
				} `json:"merchant"`
			} `json:"stream"`
		} `json:"recurringTransactionStreams"`
	}
	if err := c.graphQL(ctx, opRecurringStreams, map[string]any{"includeLiabilities": true}, &out); err != nil {
		return nil, err
	}
	if out.Streams == nil {
		return nil, &UnexpectedResponseError{Operation: opRecurringStreams.name, Reason: "the answer has no recurringTransactionStreams list"}
	}
	res := make([]StreamReview, 0, len(*out.Streams))
	for _, x := range *out.Streams {
		if x.Stream == nil || x.Stream.ID == nil {
			return nil, &UnexpectedResponseError{Operation: opRecurringStreams.name, Reason: "a recurring stream has no id"}
		}
		s := x.Stream.StreamReview
		s.ID = *x.Stream.ID
		if x.Stream.Merchant != nil {
			s.MerchantID = x.Stream.Merchant.ID
		}
		res = append(res, s)
	}
	return res, nil
}

// ReviewRecurringStream sets a stream's review status: "approved" (it is
// recurring), "ignored" (it is not; Monarch stops predicting it) or
// "pending". It returns the status Monarch reports. An unknown id is an
// error matching ErrNotFound.
func (c *Client) ReviewRecurringStream(ctx context.Context, streamID, status string) (string, error) {
	if streamID == "" {
		return "", fmt.Errorf("monarch: ReviewRecurringStream: stream id is empty")
	}
	switch status {
	case "approved", "ignored", "pending":
	default:
		return "", fmt.Errorf("monarch: ReviewRecurringStream: status %q is not approved, ignored or pending", status)
	}
	var out struct {
		Review *struct {
			Stream *struct {
				ReviewStatus *string `json:"reviewStatus"`
			} `json:"stream"`
			Errors payloadErrors `json:"errors"`
		} `json:"reviewRecurringStream"`
	}
	vars := map[string]any{"input": map[string]any{"streamId": streamID, "reviewStatus": status}}
	if err := c.graphQL(ctx, opReviewStream, vars, &out); err != nil {
		return "", notFound("recurring stream", streamID, err)
	}
	if out.Review == nil {
		return "", &UnexpectedResponseError{Operation: opReviewStream.name, Reason: "the answer has no reviewRecurringStream"}
	}
	if err := out.Review.Errors.err(opReviewStream); err != nil {
		return "", notFound("recurring stream", streamID, err)
	}
	if out.Review.Stream == nil || out.Review.Stream.ReviewStatus == nil {
		return "", &UnexpectedResponseError{Operation: opReviewStream.name, Reason: "reviewRecurringStream has no stream.reviewStatus"}
	}
	return *out.Review.Stream.ReviewStatus, nil
}
