package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Transactions in the change journal. Fields: account_id, date, amount,
// merchant (name), category_id, notes, hide_from_reports, needs_review,
// tag_ids (sorted).

const kindTransaction = "transaction"

// Transaction fields, as the journal names them.
const (
	txAccount  = "account_id"
	txDate     = "date"
	txAmount   = "amount"
	txMerchant = "merchant"
	txCategory = "category_id"
	txNotes    = "notes"
	txHidden   = "hide_from_reports"
	txReview   = "needs_review"
	txTags     = "tag_ids"
)

// txReadPage is how many transactions one read asks for by id.
const txReadPage = 100

func transactionKind(d *deps) *objectKind {
	return &objectKind{
		name:   kindTransaction,
		fields: []string{txAccount, txDate, txAmount, txMerchant, txCategory, txNotes, txHidden, txReview, txTags},
		read: func(ctx context.Context, ids []string) (map[string]values, error) {
			out := make(map[string]values, len(ids))
			for chunk := range slices.Chunk(ids, txReadPage) {
				p, err := d.c.GetTransactions(ctx, monarch.TransactionQuery{IDs: chunk, Limit: len(chunk)})
				if err != nil {
					return nil, err
				}
				for _, t := range p.Transactions {
					out[t.ID] = transactionValues(t)
				}
			}
			return out, nil
		},
		set: func(ctx context.Context, id string, v values) error {
			return setTransaction(ctx, d, id, v)
		},
		setMany: func(ctx context.Context, items []setItem) map[string]error {
			return setTransactions(ctx, d, items)
		},
		create: func(ctx context.Context, v values) (string, error) {
			n := monarch.NewTransaction{}
			n.AccountID, _ = vString(v, txAccount)
			n.Date, _ = vString(v, txDate)
			n.Amount, _ = vFloat(v, txAmount)
			n.MerchantName, _ = vString(v, txMerchant)
			n.CategoryID, _ = vString(v, txCategory)
			n.Notes, _ = vString(v, txNotes)
			id, err := d.c.CreateTransaction(ctx, n)
			if err != nil {
				return "", err
			}
			// What creating cannot set is set after it.
			rest := values{}
			for _, f := range []string{txHidden, txReview, txTags} {
				if x, ok := v[f]; ok {
					rest[f] = x
				}
			}
			if hidden, _ := vBool(rest, txHidden); !hidden {
				delete(rest, txHidden)
			}
			if tags, _ := vStrings(rest, txTags); len(tags) == 0 {
				delete(rest, txTags)
			}
			if len(rest) > 0 {
				if err := setTransaction(ctx, d, id, rest); err != nil {
					return id, fmt.Errorf("the transaction was recreated as %s, but setting its other fields failed: %w", id, err)
				}
			}
			return id, nil
		},
		remove: func(ctx context.Context, id string) error {
			return d.c.DeleteTransaction(ctx, id)
		},
		recreateLoss: "attachments and splits are not restored",
	}
}

// transactionValues are t's journal fields.
func transactionValues(t monarch.Transaction) values {
	v := values{txDate: t.Date, txAmount: t.Amount, txNotes: t.Notes, txHidden: t.HideFromReports, txReview: t.NeedsReview,
		txAccount: "", txMerchant: "", txCategory: ""}
	if t.Account != nil {
		v[txAccount] = t.Account.ID
	}
	if t.Merchant != nil {
		v[txMerchant] = t.Merchant.Name
	}
	if t.Category != nil {
		v[txCategory] = t.Category.ID
	}
	v[txTags] = sortedTagIDs(t.Tags)
	return v
}

// sortedTagIDs are the tags' ids in order, never nil: the journal's
// canonical form of a tag list.
func sortedTagIDs(tags []monarch.Tag) []string {
	ids := make([]string, 0, len(tags))
	for _, t := range tags {
		ids = append(ids, t.ID)
	}
	slices.Sort(ids)
	return ids
}

// setTransaction puts v's fields back on one transaction: tags with their
// own mutation, the rest with one update.
func setTransaction(ctx context.Context, d *deps, id string, v values) error {
	u := monarch.TransactionUpdate{ID: id}
	update := false
	if s, ok := vString(v, txCategory); ok && s != "" {
		u.CategoryID, update = &s, true
	}
	if s, ok := vString(v, txMerchant); ok && s != "" {
		u.MerchantName, update = &s, true
	}
	if s, ok := vString(v, txNotes); ok {
		u.Notes, update = &s, true
	}
	if x, ok := vFloat(v, txAmount); ok {
		u.Amount, update = &x, true
	}
	if s, ok := vString(v, txDate); ok && s != "" {
		u.Date, update = &s, true
	}
	if b, ok := vBool(v, txHidden); ok {
		u.HideFromReports, update = &b, true
	}
	if b, ok := vBool(v, txReview); ok {
		u.NeedsReview, update = &b, true
	}
	if update {
		if _, err := d.c.UpdateTransaction(ctx, u); err != nil {
			return err
		}
	}
	if tags, ok := vStrings(v, txTags); ok {
		if _, err := d.c.SetTransactionTags(ctx, id, tags); err != nil {
			return err
		}
	}
	return nil
}

// bulkFields are the fields Monarch's bulk update sets exactly (tags are
// left out: whether its tags replace or add is not certain).
var bulkFields = []string{txCategory, txNotes, txHidden, txReview}

// restoreWorkers bounds the requests an undo of many transactions has in
// flight: enough to undo a hundred in seconds rather than half a minute,
// few enough to stay well within what the web app itself sends.
const restoreWorkers = 4

// setTransactions puts many transactions back: those whose restored fields
// Monarch's bulk update can set are grouped by the values they get, one
// bulk call per group (notes that differ per transaction make one group
// each); the rest are set one by one. Requests run restoreWorkers at a
// time.
func setTransactions(ctx context.Context, d *deps, items []setItem) map[string]error {
	type job struct {
		ids []string
		run func() error
	}
	var jobs []job
	groups := map[string]int{} // values → index in jobs
	var bulk []struct {
		u   monarch.BulkTransactionUpdate
		ids []string
	}
	for _, it := range items {
		u, ok := bulkUpdateFor(it.v)
		if !ok {
			jobs = append(jobs, job{ids: []string{it.id}, run: func() error { return setTransaction(ctx, d, it.id, it.v) }})
			continue
		}
		key, _ := json.Marshal(it.v)
		g, ok := groups[string(key)]
		if !ok {
			g = len(bulk)
			groups[string(key)] = g
			bulk = append(bulk, struct {
				u   monarch.BulkTransactionUpdate
				ids []string
			}{u: u})
		}
		bulk[g].ids = append(bulk[g].ids, it.id)
	}
	for _, b := range bulk {
		for chunk := range slices.Chunk(b.ids, maxBatch) {
			u := b.u
			jobs = append(jobs, job{ids: chunk, run: func() error {
				_, err := d.c.BulkUpdateTransactions(ctx, monarch.BulkSelection{IDs: chunk, Expected: len(chunk)}, u)
				return err
			}})
		}
	}
	var (
		mu   sync.Mutex
		errs = map[string]error{}
		wg   sync.WaitGroup
		sem  = make(chan struct{}, restoreWorkers)
	)
	for _, j := range jobs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := j.run(); err != nil {
				mu.Lock()
				for _, id := range j.ids {
					errs[id] = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errs
}

// bulkUpdateFor returns the bulk update setting v, if every field of v is
// one the bulk update sets.
func bulkUpdateFor(v values) (monarch.BulkTransactionUpdate, bool) {
	var u monarch.BulkTransactionUpdate
	for f := range v {
		if !slices.Contains(bulkFields, f) {
			return u, false
		}
	}
	if s, ok := vString(v, txCategory); ok {
		if s == "" {
			return u, false
		}
		u.CategoryID = &s
	}
	if s, ok := vString(v, txNotes); ok {
		u.Notes = &s
	}
	if b, ok := vBool(v, txHidden); ok {
		u.Hide = &b
	}
	if b, ok := vBool(v, txReview); ok {
		status := monarch.ReviewStatusReviewed
		if b {
			status = monarch.ReviewStatusNeedsReview
		}
		u.ReviewStatus = &status
	}
	return u, !u.IsEmpty()
}

// txTarget names fields of transactions ids.
func txTarget(ids []string, fields ...string) []target {
	return []target{{kind: kindTransaction, ids: ids, fields: fields}}
}

// maxJournaledBulk bounds how many transactions a filtered bulk update may
// change: each is recorded in the change journal first.
const maxJournaledBulk = 5000

// matchingIDs lists the ids of every transaction q selects, refusing more
// than limit.
func (d *deps) matchingIDs(ctx context.Context, q monarch.TransactionQuery, limit int) ([]string, error) {
	const page = 500
	var ids []string
	q.Limit, q.Offset = page, 0
	for {
		p, err := d.c.GetTransactions(ctx, q)
		if err != nil {
			return nil, err
		}
		if p.TotalCount > limit {
			return nil, &ArgError{Msg: fmt.Sprintf("the filter selects %d transactions; one change may touch at most %d, so that it can be recorded and undone. "+
				"Narrow the filter (e.g. a shorter date range) and apply it in parts; nothing was changed", p.TotalCount, limit)}
		}
		for _, t := range p.Transactions {
			ids = append(ids, t.ID)
		}
		if len(p.Transactions) < page || len(ids) >= p.TotalCount {
			return ids, nil
		}
		q.Offset += page
	}
}
