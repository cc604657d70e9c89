package monarch_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
)

func TestTransactionDetailsSplitsAndTags(t *testing.T) {
	e, ctx, h := newDemoEnv(t)
	id, err := e.Client.CreateTransaction(ctx, monarch.NewTransaction{
		Date: e.Clock.Now().Format("2006-01-02"), AccountID: h.checking, Amount: -30, MerchantName: "Split Test Shop", CategoryID: h.category, Notes: "n",
	})
	if err != nil {
		t.Fatal(err)
	}

	d, err := e.Client.GetTransaction(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != id || d.Amount != -30 || d.Notes != "n" || !d.IsManual || d.HasSplits || d.Account == nil || d.Account.ID != h.checking ||
		d.Merchant == nil || d.Merchant.Name != "Split Test Shop" || d.AccountMask == "" {
		t.Errorf("details %+v", d)
	}

	// Splits: set, read back through both queries, remove.
	parts, err := e.Client.SplitTransaction(ctx, id, []monarch.SplitInput{
		{Amount: -20, MerchantName: "Split Test Shop", CategoryID: h.category},
		{Amount: -10, MerchantName: "Split Test Shop", CategoryID: h.category, Notes: "batteries"},
	})
	if err != nil || len(parts) != 2 || parts[1].Notes != "batteries" {
		t.Fatalf("split: %+v, %v", parts, err)
	}
	s, err := e.Client.GetTransactionSplits(ctx, id)
	if err != nil || s.Amount != -30 || len(s.Splits) != 2 || math.Abs(s.Splits[0].Amount+s.Splits[1].Amount+30) > 0.001 {
		t.Fatalf("splits read back: %+v, %v", s, err)
	}
	if d, err := e.Client.GetTransaction(ctx, id); err != nil || !d.HasSplits || len(d.Splits) != 2 {
		t.Errorf("drawer after split: %+v, %v", d, err)
	}
	// Parts that do not add up are refused by Monarch (and the sandbox).
	if _, err := e.Client.SplitTransaction(ctx, id, []monarch.SplitInput{
		{Amount: -5, MerchantName: "x", CategoryID: h.category}, {Amount: -5, MerchantName: "x", CategoryID: h.category},
	}); err == nil {
		t.Error("mismatched split accepted")
	}
	if parts, err := e.Client.SplitTransaction(ctx, id, nil); err != nil || len(parts) != 0 {
		t.Errorf("remove split: %+v, %v", parts, err)
	}

	// Tags.
	tag, err := e.Client.CreateTag(ctx, "Split Test Tag", "")
	if err != nil || tag.ID == "" || tag.Name != "Split Test Tag" || tag.Color == "" {
		t.Fatalf("create tag: %+v, %v", tag, err)
	}
	if _, err := e.Client.CreateTag(ctx, "split test tag", "#112233"); err == nil {
		t.Error("duplicate tag name accepted")
	}
	ids, err := e.Client.SetTransactionTags(ctx, id, []string{tag.ID, h.tag})
	if err != nil || len(ids) != 2 {
		t.Fatalf("set tags: %v, %v", ids, err)
	}
	if d, _ := e.Client.GetTransaction(ctx, id); len(d.Tags) != 2 {
		t.Errorf("tags read back: %+v", d.Tags)
	}
	if ids, err := e.Client.SetTransactionTags(ctx, id, nil); err != nil || len(ids) != 0 {
		t.Errorf("clear tags: %v, %v", ids, err)
	}

	// Unknown ids match ErrNotFound.
	for name, run := range map[string]func() error{
		"details": func() error { _, err := e.Client.GetTransaction(ctx, "999"); return err },
		"splits":  func() error { _, err := e.Client.GetTransactionSplits(ctx, "999"); return err },
		"split": func() error {
			_, err := e.Client.SplitTransaction(ctx, "999", nil)
			return err
		},
		"tags": func() error { _, err := e.Client.SetTransactionTags(ctx, "999", nil); return err },
	} {
		if err := run(); !errors.Is(err, monarch.ErrNotFound) {
			t.Errorf("%s of unknown id: %v", name, err)
		}
	}
}

func TestTransactionDetailsArgumentChecks(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	e.Login(t)
	before := e.Sandbox.Requests("")
	for name, run := range map[string]func() error{
		"details no id": func() error { _, err := e.Client.GetTransaction(ctx, ""); return err },
		"split zero amount": func() error {
			_, err := e.Client.SplitTransaction(ctx, "1", []monarch.SplitInput{{Amount: 0, MerchantName: "x", CategoryID: "c"}})
			return err
		},
		"split no category": func() error {
			_, err := e.Client.SplitTransaction(ctx, "1", []monarch.SplitInput{{Amount: 1, MerchantName: "x"}})
			return err
		},
		"tags empty id":  func() error { _, err := e.Client.SetTransactionTags(ctx, "1", []string{""}); return err },
		"tag no name":    func() error { _, err := e.Client.CreateTag(ctx, " ", ""); return err },
		"tag bad colour": func() error { _, err := e.Client.CreateTag(ctx, "x", "red"); return err },
	} {
		if err := run(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := e.Sandbox.Requests(""); n != before {
		t.Errorf("bad arguments reached Monarch (%d requests)", n-before)
	}
}

// TestTransactionDetailsAnswerShapes feeds hand-written answers to the new
// methods: unknown shapes fail with ErrUnexpectedResponse, a null
// transaction is ErrNotFound.
func TestTransactionDetailsAnswerShapes(t *testing.T) {
	details := func(ctx context.Context, c *monarch.Client) error { _, err := c.GetTransaction(ctx, "1"); return err }
	splits := func(ctx context.Context, c *monarch.Client) error {
		_, err := c.GetTransactionSplits(ctx, "1")
		return err
	}
	split := func(ctx context.Context, c *monarch.Client) error {
		_, err := c.SplitTransaction(ctx, "1", nil)
		return err
	}
	tags := func(ctx context.Context, c *monarch.Client) error {
		_, err := c.SetTransactionTags(ctx, "1", nil)
		return err
	}
	create := func(ctx context.Context, c *monarch.Client) error { _, err := c.CreateTag(ctx, "x", ""); return err }
	isNotFound := func(err error) bool { return errors.Is(err, monarch.ErrNotFound) }
	ok := func(err error) bool { return err == nil }
	tests := []struct {
		name  string
		body  string
		call  func(context.Context, *monarch.Client) error
		check func(error) bool
	}{
		{"details ok", `{"data":{"getTransaction":{"id":"1","amount":-1,"date":"2026-01-01","splitTransactions":[],"attachments":[]}}}`, details, ok},
		{"details null", `{"data":{"getTransaction":null}}`, details, isNotFound},
		{"details without amount", `{"data":{"getTransaction":{"id":"1","date":"2026-01-01"}}}`, details, unexpected("no amount")},
		{"split part without id", `{"data":{"getTransaction":{"id":"1","amount":-1,"splitTransactions":[{"amount":-1}]}}}`, splits, unexpected("a split has no id")},
		{"splits null", `{"data":{"getTransaction":null}}`, splits, isNotFound},
		{"split without parts", `{"data":{"updateTransactionSplit":{"errors":null,"transaction":{"id":"1"}}}}`, split, unexpected("splitTransactions")},
		{"split refused", `{"data":{"updateTransactionSplit":{"errors":{"message":"Splits must add up","code":"BAD_USER_INPUT","fieldErrors":[]},"transaction":null}}}`, split,
			func(err error) bool { var ge *monarch.GraphQLError; return errors.As(err, &ge) && !isNotFound(err) }},
		{"tags without tags", `{"data":{"setTransactionTags":{"errors":null,"transaction":{"id":"1"}}}}`, tags, unexpected("transaction.tags")},
		{"tag without tag", `{"data":{"createTransactionTag":{"errors":null,"tag":null}}}`, create, unexpected("has no tag")},
		{"tag without name", `{"data":{"createTransactionTag":{"errors":null,"tag":{"id":"1"}}}}`, create, unexpected("a tag has no name")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c, err := monarch.New(monarch.Config{BaseURL: srv.URL, RetryMax: -1})
			if err != nil {
				t.Fatal(err)
			}
			c.Auth().Set(monarch.TokenSession("t"))
			if err := tt.call(context.Background(), c); !tt.check(err) {
				t.Fatalf("unexpected result: %v", err)
			}
		})
	}
}
