package monarch_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
)

func TestTransactionDetailsSplitsAndTags(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	e.Login(t)
	h := learn(t, ctx, e.Client)
	id, err := e.Client.CreateTransaction(ctx, monarch.NewTransaction{
		Date: time.Now().Format("2006-01-02"), AccountID: h.checking, Amount: -30, MerchantName: "Split Test Shop", CategoryID: h.category, Notes: "n",
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
