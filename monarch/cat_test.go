package monarch_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Tests of the category, budget, net worth, merchant and recurring-stream
// methods against the sandbox.

func TestGetCategoryGroups(t *testing.T) {
	e, ctx, _ := newDemoEnv(t)
	gs, err := e.Client.GetCategoryGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 11 || gs[0].ID == "" || gs[0].Name == "" || gs[0].Type == "" {
		t.Fatalf("groups %+v", gs)
	}
}

func TestCreateCategory(t *testing.T) {
	e, ctx, _ := newDemoEnv(t)
	gs, err := e.Client.GetCategoryGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Client.CreateCategory(ctx, monarch.NewCategory{GroupID: gs[1].ID, Name: "Pets"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == "" || c.Name != "Pets" || c.IsSystemCategory || c.Group == nil || c.Group.ID != gs[1].ID {
		t.Errorf("created %+v", c)
	}
	cs, err := e.Client.GetCategories(ctx)
	if err != nil || cs[len(cs)-1].ID != c.ID {
		t.Errorf("new category not listed (%v)", err)
	}
	_, err = e.Client.CreateCategory(ctx, monarch.NewCategory{GroupID: gs[1].ID, Name: "PETS"})
	var ge *monarch.GraphQLError
	if !errors.As(err, &ge) || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("duplicate: %v", err)
	}
	_, err = e.Client.CreateCategory(ctx, monarch.NewCategory{GroupID: "999", Name: "Other"})
	if !errors.Is(err, monarch.ErrNotFound) || !strings.Contains(err.Error(), "999") {
		t.Errorf("unknown group: %v", err)
	}
	before := e.Sandbox.Requests("")
	if _, err := e.Client.CreateCategory(ctx, monarch.NewCategory{GroupID: gs[1].ID, Name: " "}); err == nil {
		t.Error("blank name accepted")
	}
	if e.Sandbox.Requests("") != before {
		t.Error("a blank name reached Monarch")
	}
}

func TestUpdateCategory(t *testing.T) {
	e, ctx, h := newDemoEnv(t)
	name, icon := "Food", "🥕"
	c, err := e.Client.UpdateCategory(ctx, monarch.CategoryUpdate{ID: h.category, Name: &name, Icon: &icon})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != h.category || c.Name != "Food" || c.Icon != "🥕" || c.Group == nil || c.Group.Name != "Food & Dining" {
		t.Errorf("updated %+v", c)
	}
	_, err = e.Client.UpdateCategory(ctx, monarch.CategoryUpdate{ID: "999", Name: &name})
	if !errors.Is(err, monarch.ErrNotFound) || !strings.Contains(err.Error(), "999") {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := e.Client.UpdateCategory(ctx, monarch.CategoryUpdate{ID: h.category}); err == nil {
		t.Error("an empty update was sent")
	}
}

func TestSetBudgetAmount(t *testing.T) {
	e, ctx, h := newDemoEnv(t)
	month := e.Clock.Now().Format("2006-01")
	if err := e.Client.SetBudgetAmount(ctx, monarch.BudgetUpdate{CategoryID: h.category, Month: month, Amount: 123.456}); err != nil {
		t.Fatal(err)
	}
	b, err := e.Client.GetBudgets(ctx, month, month)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range b.Categories {
		if l.CategoryID == h.category {
			found = true
			if l.Months[0].Planned != 123.46 {
				t.Errorf("planned %v, want 123.46", l.Months[0].Planned)
			}
		}
	}
	if !found {
		t.Error("the category has no budget line after setting its budget")
	}
	err = e.Client.SetBudgetAmount(ctx, monarch.BudgetUpdate{GroupID: "999", Month: month, Amount: 1})
	if !errors.Is(err, monarch.ErrNotFound) || !strings.Contains(err.Error(), "999") {
		t.Errorf("unknown group: %v", err)
	}
	before := e.Sandbox.Requests("")
	for _, u := range []monarch.BudgetUpdate{
		{Month: month, Amount: 1},
		{CategoryID: h.category, GroupID: "1", Month: month},
		{CategoryID: h.category, Month: "May"},
	} {
		if err := e.Client.SetBudgetAmount(ctx, u); err == nil {
			t.Errorf("%+v accepted", u)
		}
	}
	if e.Sandbox.Requests("") != before {
		t.Error("bad updates reached Monarch")
	}
}

func TestGetNetWorthHistory(t *testing.T) {
	e, ctx, _ := newDemoEnv(t)
	start := e.Clock.Now().AddDate(0, 0, -30).Format("2006-01-02")
	ps, err := e.Client.GetNetWorthHistory(ctx, start, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 31 || ps[0].Date != start || ps[30].Balance == 0 {
		t.Errorf("%d points from %+v", len(ps), ps[:1])
	}
	bank, err := e.Client.GetNetWorthHistory(ctx, start, e.Clock.Now().AddDate(0, 0, -1).Format("2006-01-02"), "depository")
	if err != nil || len(bank) != 30 || bank[29].Balance <= 0 || bank[29].Balance >= ps[29].Balance+400000 {
		t.Errorf("depository: %d points, %v", len(bank), err)
	}
	if _, err := e.Client.GetNetWorthHistory(ctx, "2026-02-01", "2026-01-01", ""); err == nil {
		t.Error("reversed range accepted")
	}
}

func TestGetNetWorthByAccountType(t *testing.T) {
	e, ctx, _ := newDemoEnv(t)
	nw, err := e.Client.GetNetWorthByAccountType(ctx, e.Clock.Now().AddDate(0, -2, 0).Format("2006-01-02"), "month")
	if err != nil {
		t.Fatal(err)
	}
	if len(nw.Types) != 4 || len(nw.Balances) != 3*4 || nw.Balances[0].Month == "" || nw.Balances[0].AccountType == "" {
		t.Errorf("%+v", nw)
	}
	if _, err := e.Client.GetNetWorthByAccountType(ctx, "2026-01-01", "week"); err == nil {
		t.Error("timeframe week accepted")
	}
}

// Monarch's recurrence input requires isRecurring with any other
// recurrence field, so a schedule change without it is refused here.
func TestUpdateMerchantNeedsIsRecurring(t *testing.T) {
	e, ctx, _ := newDemoEnv(t)
	ms, err := e.Client.SearchMerchants(ctx, "", 0, 1)
	if err != nil || len(ms.Merchants) == 0 {
		t.Fatalf("merchants: %v", err)
	}
	m := ms.Merchants[0]
	before := e.Sandbox.Requests("")
	active := false
	_, err = e.Client.UpdateMerchant(ctx, monarch.MerchantUpdate{ID: m.ID, Name: m.Name, IsActive: &active})
	if err == nil || !strings.Contains(err.Error(), "IsRecurring is required") {
		t.Errorf("schedule change without IsRecurring: %v", err)
	}
	if e.Sandbox.Requests("") != before {
		t.Error("it reached Monarch")
	}
}
