package monarch

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// MerchantStream is a merchant's recurring stream as the merchant settings
// show it. Amount is signed (negative for bills).
type MerchantStream struct {
	ID        string   `json:"id"`
	Frequency string   `json:"frequency"`
	Amount    *float64 `json:"amount"`
	BaseDate  string   `json:"baseDate"`
	IsActive  bool     `json:"isActive"`
}

// Merchant is a merchant with its counts and recurring stream (nil if it
// is not recurring). Counts are set by the operations that select them.
type Merchant struct {
	ID                        string          `json:"id"`
	Name                      string          `json:"name"`
	TransactionCount          int             `json:"transactionCount"`
	RuleCount                 int             `json:"ruleCount"`
	CanBeDeleted              bool            `json:"canBeDeleted"`
	HasActiveRecurringStreams bool            `json:"hasActiveRecurringStreams"`
	Stream                    *MerchantStream `json:"recurringTransactionStream"`
}

// UnmarshalJSON checks the fields every merchant must have.
func (m *Merchant) UnmarshalJSON(b []byte) error {
	type plain Merchant
	return decodeNamed(b, "a merchant", (*plain)(m))
}

// GetMerchant returns a merchant by id. An unknown id is an error matching
// ErrNotFound.
func (c *Client) GetMerchant(ctx context.Context, id string) (Merchant, error) {
	if strings.TrimSpace(id) == "" {
		return Merchant{}, fmt.Errorf("monarch: GetMerchant: id is empty")
	}
	var out struct {
		Merchant *Merchant `json:"merchant"`
	}
	if err := c.graphQL(ctx, opGetMerchant, map[string]any{"merchantId": id}, &out); err != nil {
		return Merchant{}, notFound("merchant", id, err)
	}
	if out.Merchant == nil {
		return Merchant{}, nullNotFound(opGetMerchant, "merchant", id)
	}
	return *out.Merchant, nil
}

// MerchantPage is one page of merchants.
type MerchantPage struct {
	// TotalCount is Monarch's merchantCount: all the household's
	// merchants, whatever the search (the field takes no search argument).
	TotalCount int
	Merchants  []Merchant
}

// SearchMerchants returns the merchants whose name contains search ("" =
// all), by name, limit at a time from offset.
func (c *Client) SearchMerchants(ctx context.Context, search string, offset, limit int) (MerchantPage, error) {
	if limit <= 0 {
		limit = 100
	}
	vars := map[string]any{"offset": max(offset, 0), "limit": limit, "orderBy": "NAME", "search": search}
	var out struct {
		Merchants *[]Merchant `json:"merchants"`
		Count     *int        `json:"merchantCount"`
	}
	if err := c.graphQL(ctx, opMerchants, vars, &out); err != nil {
		return MerchantPage{}, err
	}
	if out.Merchants == nil || out.Count == nil {
		return MerchantPage{}, &UnexpectedResponseError{Operation: opMerchants.name, Reason: "the answer has no merchants list or merchantCount"}
	}
	return MerchantPage{TotalCount: *out.Count, Merchants: *out.Merchants}, nil
}

// MerchantUpdate changes a merchant. Name is required by Monarch (pass the
// current one to keep it). The recurrence fields are nil to leave them:
// IsRecurring false stops treating the merchant as recurring; a merchant
// becoming recurring needs Frequency, Amount and BaseDate. Monarch's
// recurrence input requires IsRecurring with any of the others (true to
// keep a recurring merchant recurring).
type MerchantUpdate struct {
	ID          string
	Name        string
	IsRecurring *bool
	Frequency   *string
	Amount      *float64
	BaseDate    *string
	IsActive    *bool
}

// UpdateMerchant applies u and returns the merchant as Monarch now has it.
func (c *Client) UpdateMerchant(ctx context.Context, u MerchantUpdate) (Merchant, error) {
	if strings.TrimSpace(u.ID) == "" || strings.TrimSpace(u.Name) == "" {
		return Merchant{}, fmt.Errorf("monarch: UpdateMerchant: ID and Name are required")
	}
	in := map[string]any{"merchantId": u.ID, "name": strings.TrimSpace(u.Name)}
	rec := map[string]any{}
	if u.IsRecurring != nil {
		rec["isRecurring"] = *u.IsRecurring
	}
	if u.Frequency != nil {
		rec["frequency"] = *u.Frequency
	}
	if u.Amount != nil {
		if math.IsNaN(*u.Amount) || math.IsInf(*u.Amount, 0) {
			return Merchant{}, fmt.Errorf("monarch: UpdateMerchant: Amount is not a number")
		}
		rec["amount"] = math.Round(*u.Amount*100) / 100
	}
	if u.BaseDate != nil {
		if err := checkDate("BaseDate", *u.BaseDate); err != nil {
			return Merchant{}, err
		}
		rec["baseDate"] = *u.BaseDate
	}
	if u.IsActive != nil {
		rec["isActive"] = *u.IsActive
	}
	if len(rec) > 0 {
		if u.IsRecurring == nil {
			return Merchant{}, fmt.Errorf("monarch: UpdateMerchant: IsRecurring is required with Frequency, Amount, BaseDate or IsActive")
		}
		in["recurrence"] = rec
	}
	var out struct {
		Update *struct {
			Merchant *Merchant     `json:"merchant"`
			Errors   payloadErrors `json:"errors"`
		} `json:"updateMerchant"`
	}
	if err := c.graphQL(ctx, opUpdateMerchant, map[string]any{"input": in}, &out); err != nil {
		return Merchant{}, notFound("merchant", u.ID, err)
	}
	if out.Update == nil {
		return Merchant{}, &UnexpectedResponseError{Operation: opUpdateMerchant.name, Reason: "the answer has no updateMerchant"}
	}
	if err := out.Update.Errors.err(opUpdateMerchant); err != nil {
		return Merchant{}, notFound("merchant", u.ID, err)
	}
	if out.Update.Merchant == nil {
		return Merchant{}, &UnexpectedResponseError{Operation: opUpdateMerchant.name, Reason: "updateMerchant has no merchant"}
	}
	return *out.Update.Merchant, nil
}
