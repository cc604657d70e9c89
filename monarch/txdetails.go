package monarch

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"
)

// TransactionSplit is one part of a split transaction. Amount is signed
// like the transaction's.
type TransactionSplit struct {
	ID       string       `json:"id"`
	Amount   float64      `json:"amount"`
	Notes    string       `json:"notes"`
	Merchant *MerchantRef `json:"merchant"`
	Category *CategoryRef `json:"category"`
}

// UnmarshalJSON checks the fields every split must have.
func (s *TransactionSplit) UnmarshalJSON(b []byte) error {
	type plain TransactionSplit
	var w struct {
		plain
		ID     *string  `json:"id"`
		Amount *float64 `json:"amount"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a split", "id", w.ID == nil, "amount", w.Amount == nil); err != nil {
		return err
	}
	*s = TransactionSplit(w.plain)
	s.ID, s.Amount = *w.ID, *w.Amount
	return nil
}

// SplitParent is the transaction a split part was split from.
type SplitParent struct {
	ID       string       `json:"id"`
	Date     string       `json:"date"`
	Amount   float64      `json:"amount"`
	Merchant *MerchantRef `json:"merchant"`
}

// TransactionDetails is one transaction with everything Monarch's
// transaction drawer shows.
type TransactionDetails struct {
	Transaction
	OriginalDate string
	IsManual     bool
	// HasSplits is true when the transaction has been split into Splits.
	HasSplits bool
	Splits    []TransactionSplit
	// Parent is set when this transaction is itself a split part.
	Parent      *SplitParent
	AccountMask string
	Attachments int
}

// UnmarshalJSON decodes the common fields through Transaction's checks and
// the drawer's own fields beside them (an embedded UnmarshalJSON would
// otherwise swallow them).
func (d *TransactionDetails) UnmarshalJSON(b []byte) error {
	var t Transaction
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	var w struct {
		OriginalDate string             `json:"originalDate"`
		IsManual     bool               `json:"isManual"`
		HasSplits    bool               `json:"hasSplitTransactions"`
		Splits       []TransactionSplit `json:"splitTransactions"`
		Parent       *SplitParent       `json:"originalTransaction"`
		Account      *struct {
			Mask string `json:"mask"`
		} `json:"account"`
		Attachments []json.RawMessage `json:"attachments"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = TransactionDetails{Transaction: t, OriginalDate: w.OriginalDate, IsManual: w.IsManual, HasSplits: w.HasSplits,
		Splits: w.Splits, Parent: w.Parent, Attachments: len(w.Attachments)}
	if w.Account != nil {
		d.AccountMask = w.Account.Mask
	}
	return nil
}

// GetTransaction returns one transaction in full. An unknown id gives an
// error matching ErrNotFound.
func (c *Client) GetTransaction(ctx context.Context, id string) (TransactionDetails, error) {
	if id == "" {
		return TransactionDetails{}, fmt.Errorf("monarch: GetTransaction: id is empty")
	}
	var out struct {
		Txn *TransactionDetails `json:"getTransaction"`
	}
	if err := c.graphQL(ctx, opTransactionDrawer, map[string]any{"id": id, "redirectPosted": true}, &out); err != nil {
		return TransactionDetails{}, notFound("transaction", id, err)
	}
	if out.Txn == nil {
		return TransactionDetails{}, nullNotFound(opTransactionDrawer, "transaction", id)
	}
	return *out.Txn, nil
}

// TransactionSplits is a transaction's amount, merchant and category with
// its split parts (none when it is not split).
type TransactionSplits struct {
	ID       string
	Amount   float64
	Merchant *MerchantRef
	Category *CategoryRef
	Splits   []TransactionSplit
}

// UnmarshalJSON checks the fields the split query must return.
func (s *TransactionSplits) UnmarshalJSON(b []byte) error {
	var w struct {
		ID       *string            `json:"id"`
		Amount   *float64           `json:"amount"`
		Merchant *MerchantRef       `json:"merchant"`
		Category *CategoryRef       `json:"category"`
		Splits   []TransactionSplit `json:"splitTransactions"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a transaction", "id", w.ID == nil, "amount", w.Amount == nil); err != nil {
		return err
	}
	*s = TransactionSplits{ID: *w.ID, Amount: *w.Amount, Merchant: w.Merchant, Category: w.Category, Splits: w.Splits}
	return nil
}

// GetTransactionSplits returns a transaction with its split parts.
func (c *Client) GetTransactionSplits(ctx context.Context, id string) (TransactionSplits, error) {
	if id == "" {
		return TransactionSplits{}, fmt.Errorf("monarch: GetTransactionSplits: id is empty")
	}
	var out struct {
		Txn *TransactionSplits `json:"getTransaction"`
	}
	if err := c.graphQL(ctx, opTransactionSplits, map[string]any{"id": id}, &out); err != nil {
		return TransactionSplits{}, notFound("transaction", id, err)
	}
	if out.Txn == nil {
		return TransactionSplits{}, nullNotFound(opTransactionSplits, "transaction", id)
	}
	return *out.Txn, nil
}

// SplitInput is one part to split a transaction into. Amount is signed like
// the transaction's and rounded to cents; MerchantName and CategoryID are
// required; Notes is optional.
type SplitInput struct {
	Amount       float64
	MerchantName string
	CategoryID   string
	Notes        string
}

// SplitTransaction replaces the split parts of transaction id with splits
// (none removes the split) and returns the parts Monarch now has. Monarch
// refuses parts that do not add up to the transaction's amount; callers
// should check that first (GetTransactionSplits gives the amount).
func (c *Client) SplitTransaction(ctx context.Context, id string, splits []SplitInput) ([]TransactionSplit, error) {
	if id == "" {
		return nil, fmt.Errorf("monarch: SplitTransaction: id is empty")
	}
	data := make([]map[string]any, 0, len(splits))
	for i, s := range splits {
		switch {
		case math.IsNaN(s.Amount) || math.IsInf(s.Amount, 0) || s.Amount == 0:
			return nil, fmt.Errorf("monarch: SplitTransaction: split %d: Amount must be a non-zero number", i)
		case s.CategoryID == "":
			return nil, fmt.Errorf("monarch: SplitTransaction: split %d: CategoryID is required", i)
		case strings.TrimSpace(s.MerchantName) == "":
			return nil, fmt.Errorf("monarch: SplitTransaction: split %d: MerchantName is required", i)
		}
		d := map[string]any{"amount": math.Round(s.Amount*100) / 100, "merchantName": s.MerchantName, "categoryId": s.CategoryID}
		if s.Notes != "" {
			d["notes"] = s.Notes
		}
		data = append(data, d)
	}
	var out struct {
		Split *struct {
			Errors      payloadErrors `json:"errors"`
			Transaction *struct {
				Splits *[]TransactionSplit `json:"splitTransactions"`
			} `json:"transaction"`
		} `json:"updateTransactionSplit"`
	}
	vars := map[string]any{"input": map[string]any{"transactionId": id, "splitData": data}}
	if err := c.graphQL(ctx, opSplitTransaction, vars, &out); err != nil {
		return nil, notFound("transaction", id, err)
	}
	if out.Split == nil {
		return nil, &UnexpectedResponseError{Operation: opSplitTransaction.name, Reason: "the answer has no updateTransactionSplit"}
	}
	if err := out.Split.Errors.err(opSplitTransaction); err != nil {
		return nil, notFound("transaction", id, err)
	}
	if out.Split.Transaction == nil || out.Split.Transaction.Splits == nil {
		return nil, &UnexpectedResponseError{Operation: opSplitTransaction.name, Reason: "updateTransactionSplit has no transaction.splitTransactions"}
	}
	return *out.Split.Transaction.Splits, nil
}

// SetTransactionTags replaces the tags of transaction id with tagIDs (none
// removes them all) and returns the tag ids the transaction now has.
func (c *Client) SetTransactionTags(ctx context.Context, id string, tagIDs []string) ([]string, error) {
	if id == "" {
		return nil, fmt.Errorf("monarch: SetTransactionTags: id is empty")
	}
	for i, t := range tagIDs {
		if t == "" {
			return nil, fmt.Errorf("monarch: SetTransactionTags: tag id %d is empty", i)
		}
	}
	var out struct {
		Set *struct {
			Errors      payloadErrors `json:"errors"`
			Transaction *struct {
				Tags *[]struct {
					ID string `json:"id"`
				} `json:"tags"`
			} `json:"transaction"`
		} `json:"setTransactionTags"`
	}
	vars := map[string]any{"input": map[string]any{"transactionId": id, "tagIds": nonNil(tagIDs)}}
	if err := c.graphQL(ctx, opSetTags, vars, &out); err != nil {
		return nil, notFound("transaction", id, err)
	}
	if out.Set == nil {
		return nil, &UnexpectedResponseError{Operation: opSetTags.name, Reason: "the answer has no setTransactionTags"}
	}
	if err := out.Set.Errors.err(opSetTags); err != nil {
		return nil, notFound("transaction", id, err)
	}
	if out.Set.Transaction == nil || out.Set.Transaction.Tags == nil {
		return nil, &UnexpectedResponseError{Operation: opSetTags.name, Reason: "setTransactionTags has no transaction.tags"}
	}
	ids := make([]string, 0, len(*out.Set.Transaction.Tags))
	for _, t := range *out.Set.Transaction.Tags {
		ids = append(ids, t.ID)
	}
	return ids, nil
}

// hexColor is the colour form Monarch stores for tags.
var hexColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// defaultTagColor is sent when the caller picks no colour: Monarch's input
// expects one.
const defaultTagColor = "#8C8C8C"

// CreateTag creates a transaction tag. Color is "#RRGGBB" ("" gives grey).
// It is never retried once it may have reached Monarch.
func (c *Client) CreateTag(ctx context.Context, name, color string) (Tag, error) {
	if strings.TrimSpace(name) == "" {
		return Tag{}, fmt.Errorf("monarch: CreateTag: name is empty")
	}
	if color != "" && !hexColor.MatchString(color) {
		return Tag{}, fmt.Errorf("monarch: CreateTag: color %q is not of the form #RRGGBB", color)
	}
	if color == "" {
		color = defaultTagColor
	}
	in := map[string]any{"name": name, "color": color}
	var out struct {
		Create *struct {
			Errors payloadErrors `json:"errors"`
			Tag    *Tag          `json:"tag"`
		} `json:"createTransactionTag"`
	}
	if err := c.graphQL(ctx, opCreateTag, map[string]any{"input": in}, &out); err != nil {
		return Tag{}, err
	}
	if out.Create == nil {
		return Tag{}, &UnexpectedResponseError{Operation: opCreateTag.name, Reason: "the answer has no createTransactionTag"}
	}
	if err := out.Create.Errors.err(opCreateTag); err != nil {
		return Tag{}, err
	}
	if out.Create.Tag == nil {
		return Tag{}, &UnexpectedResponseError{Operation: opCreateTag.name, Reason: "createTransactionTag has no tag"}
	}
	return *out.Create.Tag, nil
}
