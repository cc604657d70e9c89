package monarch_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
)

func TestTransactionRules(t *testing.T) {
	e, ctx, h := newDemoEnv(t)

	rules, err := e.Client.GetTransactionRules(ctx)
	if err != nil || len(rules) != 2 || rules[0].Order != 0 || rules[0].SetCategoryAction == nil || len(rules[0].MerchantCriteria) != 1 {
		t.Fatalf("seeded rules: %+v, %v", rules, err)
	}
	if a := rules[1].AmountCriteria; a == nil || a.Operator != monarch.OpBetween || a.Lower == nil || *a.Upper != 10000 || !a.IsExpense {
		t.Errorf("amount criterion %+v", a)
	}

	amount := 12.5
	id, err := e.Client.CreateTransactionRule(ctx, monarch.RuleInput{
		MerchantCriteria: []monarch.TextCriterion{{Operator: monarch.OpEquals, Value: "Corner Store"}},
		AmountCriteria:   &monarch.AmountCriterion{Operator: monarch.OpEquals, IsExpense: true, Value: &amount},
		AccountIDs:       []string{h.checking},
		SetCategoryID:    h.category, AddTagIDs: []string{h.tag}, HideFromReports: true, ReviewStatus: monarch.ReviewStatusReviewed,
	})
	if err != nil || id == "" {
		t.Fatalf("create: %q, %v", id, err)
	}
	find := func() *monarch.TransactionRule {
		rules, err := e.Client.GetTransactionRules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rules {
			if r.ID == id {
				return &r
			}
		}
		return nil
	}
	r := find()
	if r == nil || r.MerchantCriteria[0].Value != "corner store" || r.AmountCriteria == nil || *r.AmountCriteria.Value != 12.5 ||
		len(r.AccountIDs) != 1 || len(r.Accounts) != 1 || r.SetCategoryAction.ID != h.category || len(r.AddTagsAction) != 1 ||
		!r.SetHideFromReportsAction || r.ReviewStatusAction != monarch.ReviewStatusReviewed {
		t.Fatalf("created rule reads back as %+v", r)
	}

	// Input round-trips: an update from it changes nothing but what is set.
	in := r.Input()
	in.SetMerchantName, in.HideFromReports = "Corner", false
	if err := e.Client.UpdateTransactionRule(ctx, id, in); err != nil {
		t.Fatal(err)
	}
	if r := find(); r.SetMerchantAction == nil || r.SetMerchantAction.Name != "Corner" || r.SetHideFromReportsAction ||
		r.AmountCriteria == nil || len(r.AddTagsAction) != 1 {
		t.Errorf("updated rule %+v", r)
	}

	if err := e.Client.DeleteTransactionRule(ctx, id); err != nil {
		t.Fatal(err)
	}
	if find() != nil {
		t.Error("deleted rule still listed")
	}
	for name, err := range map[string]error{
		"delete again": e.Client.DeleteTransactionRule(ctx, id),
		"update gone":  e.Client.UpdateTransactionRule(ctx, id, in),
	} {
		if !errors.Is(err, monarch.ErrNotFound) || !strings.Contains(err.Error(), id) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestRuleInputChecks(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	e.Login(t)
	crit := []monarch.TextCriterion{{Operator: monarch.OpContains, Value: "x"}}
	bad := map[string]monarch.RuleInput{
		"no criterion":     {SetCategoryID: "1"},
		"no action":        {MerchantCriteria: crit},
		"bad operator":     {MerchantCriteria: []monarch.TextCriterion{{Operator: "like", Value: "x"}}, SetCategoryID: "1"},
		"between no range": {AmountCriteria: &monarch.AmountCriterion{Operator: monarch.OpBetween}, SetCategoryID: "1"},
		"bad review":       {MerchantCriteria: crit, ReviewStatus: "done"},
	}
	before := e.Sandbox.Requests("")
	for name, in := range bad {
		if _, err := e.Client.CreateTransactionRule(ctx, in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := e.Client.DeleteTransactionRule(ctx, ""); err == nil {
		t.Error("empty id: no error")
	}
	if n := e.Sandbox.Requests(""); n != before {
		t.Errorf("bad input reached Monarch (%d requests)", n-before)
	}
	// Monarch's own refusals come back as GraphQL errors.
	_, err := e.Client.CreateTransactionRule(ctx, monarch.RuleInput{MerchantCriteria: crit, SetCategoryID: "999"})
	var ge *monarch.GraphQLError
	if !errors.As(err, &ge) || !strings.Contains(err.Error(), "999") {
		t.Errorf("unknown category: %v", err)
	}
}

func TestUploadBalanceHistory(t *testing.T) {
	e, ctx, h := newDemoEnv(t)
	day := func(n int) string { return e.Clock.Now().AddDate(0, 0, -n).Format("2006-01-02") }

	res, err := e.Client.UploadBalanceHistory(ctx, h.checking, []monarch.BalanceRow{{Date: day(10), Balance: 1234.567}, {Date: day(11), Balance: -5}})
	if err != nil || !res.Completed || res.Status != monarch.UploadStatusCompleted || res.SessionKey == "" {
		t.Fatalf("upload: %+v, %v", res, err)
	}
	points, err := e.Client.GetAccountHistory(ctx, h.checking)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, p := range points {
		got[p.Date] = p.Balance
	}
	if got[day(10)] != 1234.57 || got[day(11)] != -5 {
		t.Errorf("history after upload: %v, %v", got[day(10)], got[day(11)])
	}
	if e.Sandbox.Requests("/account-balance-history/upload/") != 1 {
		t.Errorf("%d uploads", e.Sandbox.Requests("/account-balance-history/upload/"))
	}

	// Unknown account: Monarch's 400 names it.
	_, err = e.Client.UploadBalanceHistory(ctx, "999", []monarch.BalanceRow{{Date: day(1), Balance: 1}})
	var he *monarch.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 400 || !strings.Contains(err.Error(), "999") {
		t.Errorf("unknown account: %v", err)
	}

	// Bad rows never reach Monarch.
	before := e.Sandbox.Requests("")
	for name, rows := range map[string][]monarch.BalanceRow{
		"none":      nil,
		"bad date":  {{Date: "2026-02-30", Balance: 1}},
		"duplicate": {{Date: day(1), Balance: 1}, {Date: day(1), Balance: 2}},
	} {
		if _, err := e.Client.UploadBalanceHistory(ctx, h.checking, rows); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := e.Sandbox.Requests(""); n != before {
		t.Errorf("bad rows reached Monarch (%d requests)", n-before)
	}
}

func TestUploadBalanceHistoryRenewsSession(t *testing.T) {
	e, ctx, h := newDemoEnv(t)
	e.Sandbox.ExpireSessions()
	before := e.Sandbox.Logins()
	_, err := e.Client.UploadBalanceHistory(ctx, h.checking, []monarch.BalanceRow{{Date: e.Clock.Now().Format("2006-01-02"), Balance: 1}})
	if err == nil {
		t.Fatal("upload with a dead session succeeded")
	}
	var he *monarch.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 401 {
		t.Fatalf("dead session: %v", err)
	}
	if e.Sandbox.Logins() != before {
		t.Error("the client logged in by itself; that is WithReauth's job")
	}
}
