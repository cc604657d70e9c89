package monarch_test

import (
	"context"
	"errors"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// exerciseAccountsAndBulk sends every manual-account and bulk-update
// operation, with each optional field, for TestVariablesMatchQueries, and
// checks the sandbox's state follows.
func exerciseAccountsAndBulk(t *testing.T, ctx context.Context, c *monarch.Client, category, tag, today string) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	types, err := c.GetAccountTypeOptions(ctx)
	must(err)
	if len(types) == 0 || len(types[0].Subtypes) == 0 {
		t.Fatalf("account types %+v: want types with subtypes", types)
	}
	a, err := c.CreateManualAccount(ctx, monarch.NewManualAccount{Name: " House ", Type: "real_estate", Subtype: "primary_home", Balance: 450000.004, IncludeInNetWorth: true})
	must(err)
	if !a.IsManual || a.DisplayName != "House" || a.CurrentBalance == nil || *a.CurrentBalance != 450000 || !a.IncludeInNetWorth {
		t.Errorf("created %+v", a)
	}
	name, bal, typ, sub, yes, no := "Home", 460000.0, "other_asset", "other", true, false
	a, err = c.UpdateAccount(ctx, monarch.AccountUpdate{ID: a.ID, Name: &name, Balance: &bal, Type: &typ, Subtype: &sub,
		HideFromList: &yes, IncludeInNetWorth: &no, HideTransactionsFromReports: &yes})
	must(err)
	if a.DisplayName != "Home" || a.Type.Name != "other_asset" || !a.HideFromList || a.IncludeInNetWorth || !a.HideTransactionsFromReports {
		t.Errorf("updated %+v", a)
	}
	_, err = c.UpdateAccount(ctx, monarch.AccountUpdate{ID: a.ID, Name: &name})
	must(err)
	must(c.DeleteAccount(ctx, a.ID))
	if err := c.DeleteAccount(ctx, a.ID); !errors.Is(err, monarch.ErrNotFound) {
		t.Errorf("deleting again: %v, want ErrNotFound", err)
	}

	page, err := c.GetTransactions(ctx, monarch.TransactionQuery{StartDate: today, EndDate: today, Limit: 2})
	must(err)
	if len(page.Transactions) == 0 {
		t.Fatal("no transactions today")
	}
	byID, err := c.GetTransactions(ctx, monarch.TransactionQuery{IDs: []string{page.Transactions[0].ID}})
	must(err)
	if byID.TotalCount != 1 {
		t.Errorf("transactions by id: %d, want 1", byID.TotalCount)
	}
	notes, tags, status := "bulk", []string{tag}, monarch.ReviewStatusReviewed
	n, err := c.BulkUpdateTransactions(ctx, monarch.BulkSelection{IDs: []string{page.Transactions[0].ID}, Expected: 1},
		monarch.BulkTransactionUpdate{Notes: &notes, TagIDs: &tags, Hide: &no, ReviewStatus: &status, CategoryID: &category})
	must(err)
	if n != 1 {
		t.Errorf("affected %d, want 1", n)
	}
	filter := monarch.TransactionQuery{StartDate: today, EndDate: today, MerchantIDs: []string{page.Transactions[0].Merchant.ID}, Search: ""}
	matching, err := c.GetTransactions(ctx, filter)
	must(err)
	status = monarch.ReviewStatusNeedsReview
	_, err = c.BulkUpdateTransactions(ctx, monarch.BulkSelection{Filter: &filter, Expected: matching.TotalCount + 1}, monarch.BulkTransactionUpdate{ReviewStatus: &status})
	if err == nil {
		t.Error("bulk update with a wrong expected count succeeded")
	}
	n, err = c.BulkUpdateTransactions(ctx, monarch.BulkSelection{Filter: &filter, Expected: matching.TotalCount}, monarch.BulkTransactionUpdate{ReviewStatus: &status})
	must(err)
	if n != matching.TotalCount {
		t.Errorf("affected %d, want %d", n, matching.TotalCount)
	}
}
