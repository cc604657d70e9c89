package monarch_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

func TestHouseholdReads(t *testing.T) {
	e, ctx, _ := newDemoEnv(t)
	today := e.Clock.Now().Format("2006-01-02")

	all, err := e.Client.GetCreditScoreHistory(ctx, "", "")
	if err != nil || len(all) != 24 {
		t.Fatalf("credit scores: %d, %v; want 12 months × 2 members", len(all), err)
	}
	for i, s := range all {
		if s.User == nil || s.User.ID == "" || s.Score < 300 || s.Score > 850 || s.ReportedDate > today ||
			i > 0 && s.ReportedDate < all[i-1].ReportedDate {
			t.Fatalf("snapshot %d: %+v (want oldest first, a user, a FICO-range score, not after today)", i, s)
		}
	}
	recent, err := e.Client.GetCreditScoreHistory(ctx, all[20].ReportedDate, today)
	if err != nil || len(recent) != 4 || recent[0].ReportedDate != all[20].ReportedDate {
		t.Errorf("last two months: %+v, %v", recent, err)
	}
	if _, err := e.Client.GetCreditScoreHistory(ctx, "2026-13-01", ""); err == nil {
		t.Error("a bad date was sent")
	}

	h, err := e.Client.GetHousehold(ctx)
	if err != nil || len(h.Members) != 2 || h.MeID == "" {
		t.Fatalf("household: %+v, %v", h, err)
	}
	roles := map[string]string{}
	for _, m := range h.Members {
		roles[m.ID] = m.Role
	}
	if roles[h.MeID] != "OWNER" {
		t.Errorf("the signed-in user's role is %q, want OWNER", roles[h.MeID])
	}

	bs, err := e.Client.GetBusinessEntities(ctx)
	if err != nil || len(bs) != 1 || bs[0].Structure != "llc" || bs[0].Name == "" {
		t.Errorf("business entities: %+v, %v", bs, err)
	}
}

func TestTagUpdateAndDelete(t *testing.T) {
	e, ctx, h := newDemoEnv(t)
	tagged := func() int {
		page, err := e.Client.GetTransactions(ctx, monarch.TransactionQuery{TagIDs: []string{h.tag}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return page.TotalCount
	}
	if tagged() == 0 {
		t.Fatal("the demo tag is on no transaction")
	}
	tg, err := e.Client.UpdateTag(ctx, h.tag, " Trips ", "#123456")
	if err != nil || tg.Name != "Trips" || tg.Color != "#123456" || tg.TransactionCount == 0 {
		t.Fatalf("update: %+v, %v", tg, err)
	}
	tags, _ := e.Client.GetTags(ctx)
	if len(tags) < 2 {
		t.Fatal("the demo household has fewer than two tags")
	}
	if _, err := e.Client.UpdateTag(ctx, h.tag, tags[1].Name, "#123456"); err == nil {
		t.Error("renaming a tag to another tag's name succeeded")
	}
	if err := e.Client.DeleteTag(ctx, h.tag); err != nil {
		t.Fatal(err)
	}
	tags, _ = e.Client.GetTags(ctx)
	if slices.ContainsFunc(tags, func(x monarch.Tag) bool { return x.ID == h.tag }) || tagged() != 0 {
		t.Error("the deleted tag is still listed or still on transactions")
	}
	if err := e.Client.DeleteTag(ctx, h.tag); !errors.Is(err, monarch.ErrNotFound) {
		t.Errorf("deleting it again: %v, want ErrNotFound", err)
	}
	if _, err := e.Client.UpdateTag(ctx, h.tag, "x", "#000000"); !errors.Is(err, monarch.ErrNotFound) {
		t.Errorf("updating a deleted tag: %v, want ErrNotFound", err)
	}
}

func TestDeleteCategory(t *testing.T) {
	e, ctx, h := newDemoEnv(t)
	cats, err := e.Client.GetCategories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := map[string]string{}
	for _, c := range cats {
		id[c.Name] = c.ID
	}
	count := func(cat string) int {
		page, err := e.Client.GetTransactions(ctx, monarch.TransactionQuery{CategoryIDs: []string{cat}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return page.TotalCount
	}

	// With a destination, the transactions move there.
	coffee, restaurants := count(id["Coffee Shops"]), count(id["Restaurants & Bars"])
	if coffee == 0 {
		t.Fatal("no coffee transactions in the demo household")
	}
	if err := e.Client.DeleteCategory(ctx, id["Coffee Shops"], id["Restaurants & Bars"]); err != nil {
		t.Fatal(err)
	}
	if got := count(id["Restaurants & Bars"]); got != restaurants+coffee {
		t.Errorf("restaurants now has %d transactions, want %d + %d", got, restaurants, coffee)
	}
	cats, _ = e.Client.GetCategories(ctx)
	if slices.ContainsFunc(cats, func(c monarch.Category) bool { return c.ID == id["Coffee Shops"] }) {
		t.Error("the deleted category is still listed")
	}

	// Without one, they become uncategorized.
	groceries, uncategorized := count(h.category), count(id["Uncategorized"])
	if err := e.Client.DeleteCategory(ctx, h.category, ""); err != nil {
		t.Fatal(err)
	}
	if got := count(id["Uncategorized"]); got != uncategorized+groceries {
		t.Errorf("uncategorized now has %d transactions, want %d + %d", got, uncategorized, groceries)
	}

	for _, tc := range []struct{ name, id, to string }{
		{"unknown category", id["Coffee Shops"], ""},
		{"unknown destination", id["Gas"], "160000000000000000"},
	} {
		if err := e.Client.DeleteCategory(ctx, tc.id, tc.to); !errors.Is(err, monarch.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", tc.name, err)
		}
	}
	if err := e.Client.DeleteCategory(ctx, id["Gas"], id["Gas"]); err == nil {
		t.Error("moving a category's transactions to itself succeeded")
	}
}
