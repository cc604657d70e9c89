package monarch_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// TestVariablesMatchQueries sends every operation through a recorder in
// front of the sandbox and checks each request as sent — query text,
// operation name and variables — against Monarch's schema: the sandbox
// answers what Monarch would refuse.
func TestVariablesMatchQueries(t *testing.T) {
	clk := testenv.NewClock(testenv.DefaultNow())
	sb := sandbox.New(sandbox.Options{Now: clk.Now})
	var mu sync.Mutex
	var problems []string
	sent := map[string]bool{} // query texts
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/graphql" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var req struct {
				OperationName string         `json:"operationName"`
				Query         string         `json:"query"`
				Variables     map[string]any `json:"variables"`
			}
			if err := json.Unmarshal(body, &req); err != nil {
				t.Errorf("request body: %v", err)
			}
			err := checkAgainstSchema(req.Query, req.OperationName, req.Variables)
			mu.Lock()
			sent[req.Query] = true
			if err != nil {
				problems = append(problems, err.Error())
			}
			mu.Unlock()
		}
		sb.ServeHTTP(w, r)
	}))
	defer srv.Close()
	totp, err := reauth.NewTOTP(sandbox.DemoMFASecret)
	if err != nil {
		t.Fatal(err)
	}
	totp.Now, totp.Sleep = clk.Now, clk.Sleep
	c, err := monarch.New(monarch.Config{BaseURL: srv.URL, Email: sandbox.DemoEmail, Password: sandbox.DemoPassword, TOTP: totp, Now: clk.Now, Sleep: clk.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Auth().Renew(ctx, 0); err != nil {
		t.Fatal(err)
	}
	h := learn(t, ctx, c)
	today := clk.Now().Format("2006-01-02")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.GetAccountHoldings(ctx, h.brokerage)
	must(err)
	_, err = c.GetAccountHistory(ctx, h.checking)
	must(err)
	_, err = c.GetInstitutions(ctx)
	must(err)
	must(c.RefreshAccounts(ctx, []string{h.checking}))
	_, err = c.GetRefreshStatus(ctx)
	must(err)
	_, err = c.GetTransactions(ctx, monarch.TransactionQuery{StartDate: today, EndDate: today, Search: "x", TagIDs: []string{h.tag}})
	must(err)
	yes, no, amt := true, false, 40.0
	for _, o := range []monarch.TransactionOrder{monarch.OrderNewest, monarch.OrderOldest, monarch.OrderAmountDesc, monarch.OrderAmountAsc} {
		_, err = c.GetTransactions(ctx, monarch.TransactionQuery{
			MinAbsAmount: &amt, MaxAbsAmount: &amt, Order: o, Limit: 1,
			Flags: monarch.TransactionFlags{HasAttachments: &yes, HasNotes: &no, HideFromReports: &yes, IsSplit: &no, IsRecurring: &yes, IsPending: &no, NeedsReview: &yes},
		})
		must(err)
	}
	must(c.RefreshAccounts(ctx, []string{h.checking}))
	_, err = c.WaitForRefresh(ctx, []string{h.checking}, time.Minute)
	must(err)
	_, err = c.GetTransactionsSummary(ctx)
	must(err)
	_, err = c.GetBudgets(ctx, today, today)
	must(err)
	_, err = c.GetCashflow(ctx, today, today)
	must(err)
	_, err = c.GetCashflowSummary(ctx, today, today)
	must(err)
	_, err = c.GetRecurringTransactions(ctx, today, today)
	must(err)
	must(c.Ping(ctx))
	id, err := c.CreateTransaction(ctx, monarch.NewTransaction{Date: today, AccountID: h.checking, Amount: -1, MerchantName: "x", CategoryID: h.category})
	must(err)
	n := "n"
	_, err = c.UpdateTransaction(ctx, monarch.TransactionUpdate{ID: id, Notes: &n})
	must(err)
	_, err = c.GetTransaction(ctx, id)
	must(err)
	_, err = c.GetTransactionSplits(ctx, id)
	must(err)
	_, err = c.SplitTransaction(ctx, id, []monarch.SplitInput{{Amount: -0.5, MerchantName: "x", CategoryID: h.category}, {Amount: -0.5, MerchantName: "y", CategoryID: h.category, Notes: "n"}})
	must(err)
	_, err = c.SetTransactionTags(ctx, id, []string{h.tag})
	must(err)
	_, err = c.CreateTag(ctx, "Variables Test", "")
	must(err)
	must(c.DeleteTransaction(ctx, id))
	// Rules and balance history.
	rules, err := c.GetTransactionRules(ctx)
	must(err)
	ruleID, err := c.CreateTransactionRule(ctx, monarch.RuleInput{MerchantCriteria: []monarch.TextCriterion{{Operator: monarch.OpContains, Value: "x"}}, SetCategoryID: h.category})
	must(err)
	must(c.UpdateTransactionRule(ctx, ruleID, rules[0].Input()))
	must(c.DeleteTransactionRule(ctx, ruleID))
	_, err = c.UploadBalanceHistory(ctx, h.checking, []monarch.BalanceRow{{Date: today, Balance: 1}})
	must(err)
	// Categories, budgets, net worth, merchants, recurring streams.
	groups, err := c.GetCategoryGroups(ctx)
	must(err)
	cat, err := c.CreateCategory(ctx, monarch.NewCategory{GroupID: groups[1].ID, Name: "Variables Test"})
	must(err)
	name := "Variables Test 2"
	_, err = c.UpdateCategory(ctx, monarch.CategoryUpdate{ID: cat.ID, Name: &name})
	must(err)
	must(c.SetBudgetAmount(ctx, monarch.BudgetUpdate{CategoryID: h.category, Month: today[:8] + "01", Amount: 10}))
	_, err = c.GetNetWorthHistory(ctx, today, today, "")
	must(err)
	_, err = c.GetNetWorthByAccountType(ctx, today[:8]+"01", "month")
	must(err)
	ms, err := c.SearchMerchants(ctx, "", 0, 1)
	must(err)
	m, err := c.GetMerchant(ctx, ms.Merchants[0].ID)
	must(err)
	_, err = c.UpdateMerchant(ctx, monarch.MerchantUpdate{ID: m.ID, Name: m.Name})
	must(err)
	streams, err := c.GetRecurringStreams(ctx)
	must(err)
	_, err = c.ReviewRecurringStream(ctx, streams[0].ID, "approved")
	must(err)
	// Household: credit scores, members, businesses, tag and category deletion.
	_, err = c.GetCreditScoreHistory(ctx, today[:8]+"01", today)
	must(err)
	_, err = c.GetHousehold(ctx)
	must(err)
	_, err = c.GetBusinessEntities(ctx)
	must(err)
	doomed, err := c.CreateTag(ctx, "Variables Test Doomed", "")
	must(err)
	_, err = c.UpdateTag(ctx, doomed.ID, "Variables Test Doomed 2", "#FF8800")
	must(err)
	must(c.DeleteTag(ctx, doomed.ID))
	must(c.DeleteCategory(ctx, cat.ID, h.category))

	exerciseGoals(t, ctx, c, sb, h.checking, today)
	exerciseAccountsAndBulk(t, ctx, c, h.category, h.tag, today)

	// Investments: the whole portfolio with performance over a range.
	_, err = c.GetPortfolio(ctx, today[:8]+"01", today)
	must(err)

	// Each optional field and branch of the variables, so every shape the
	// client can send is checked, not only the first one above.
	yes, no, icon, amount, month := true, false, "🧪", -9.99, today[:8]+"01"
	lower, upper, exact := 1.0, 20.0, 5.0
	for _, v := range []struct {
		name string
		call func() error
	}{
		{"transactions by account and category, no dates", func() error {
			_, err := c.GetTransactions(ctx, monarch.TransactionQuery{AccountIDs: []string{h.checking}, CategoryIDs: []string{h.category}, Limit: 5, Offset: 5})
			return err
		}},
		{"create transaction with notes and balance update", func() error {
			id, err := c.CreateTransaction(ctx, monarch.NewTransaction{Date: today, AccountID: h.checking, Amount: -1, MerchantName: "x", CategoryID: h.category, Notes: "n", UpdateBalance: true})
			if err != nil {
				return err
			}
			_, err = c.UpdateTransaction(ctx, monarch.TransactionUpdate{ID: id, CategoryID: &h.category, MerchantName: &name, Notes: &n, Amount: &amount, Date: &today, HideFromReports: &yes, NeedsReview: &no})
			return err
		}},
		{"rule with every criterion and action", func() error {
			id, err := c.CreateTransactionRule(ctx, monarch.RuleInput{
				MerchantCriteria: []monarch.TextCriterion{{Operator: monarch.OpEquals, Value: "x"}}, MatchOriginalStatement: true,
				AmountCriteria: &monarch.AmountCriterion{Operator: monarch.OpBetween, IsExpense: true, Lower: &lower, Upper: &upper},
				CategoryIDs:    []string{h.category}, AccountIDs: []string{h.checking},
				SetMerchantName: "y", SetCategoryID: h.category, AddTagIDs: []string{h.tag}, HideFromReports: true,
				ReviewStatus: monarch.ReviewStatusNeedsReview, ApplyToExistingTransactions: true,
			})
			if err != nil {
				return err
			}
			return c.UpdateTransactionRule(ctx, id, monarch.RuleInput{
				AmountCriteria: &monarch.AmountCriterion{Operator: monarch.OpEquals, Value: &exact},
				ReviewStatus:   monarch.ReviewStatusReviewed,
			})
		}},
		{"category with icon, moved to another group", func() error {
			cat, err := c.CreateCategory(ctx, monarch.NewCategory{GroupID: groups[1].ID, Name: "Variables Test 3", Icon: icon})
			if err != nil {
				return err
			}
			_, err = c.UpdateCategory(ctx, monarch.CategoryUpdate{ID: cat.ID, Icon: &icon, GroupID: &groups[0].ID})
			return err
		}},
		{"group budget for the months ahead", func() error {
			return c.SetBudgetAmount(ctx, monarch.BudgetUpdate{GroupID: groups[1].ID, Month: month, Amount: 10, ApplyToFuture: true})
		}},
		{"net worth to a date for one account type", func() error {
			_, err := c.GetNetWorthHistory(ctx, month, today, "depository")
			return err
		}},
		{"net worth by account type per year", func() error {
			_, err := c.GetNetWorthByAccountType(ctx, month, "year")
			return err
		}},
		{"stream ignored and pending", func() error {
			if _, err := c.ReviewRecurringStream(ctx, streams[0].ID, "ignored"); err != nil {
				return err
			}
			_, err := c.ReviewRecurringStream(ctx, streams[0].ID, "pending")
			return err
		}},
		{"merchant search", func() error {
			_, err := c.SearchMerchants(ctx, "net", 1, 5)
			return err
		}},
		{"merchant paused", func() error {
			_, err := c.UpdateMerchant(ctx, monarch.MerchantUpdate{ID: m.ID, Name: m.Name, IsRecurring: &yes, IsActive: &no})
			return err
		}},
		{"merchant rescheduled", func() error {
			freq := "monthly"
			_, err := c.UpdateMerchant(ctx, monarch.MerchantUpdate{ID: m.ID, Name: m.Name, IsRecurring: &yes, Frequency: &freq, Amount: &amount, BaseDate: &month, IsActive: &yes})
			return err
		}},
		{"merchant not recurring", func() error {
			_, err := c.UpdateMerchant(ctx, monarch.MerchantUpdate{ID: m.ID, Name: m.Name, IsRecurring: &no})
			return err
		}},
		{"tag with a colour", func() error {
			_, err := c.CreateTag(ctx, "Variables Test Colour", "#FF8800")
			return err
		}},
		{"credit scores without dates", func() error {
			_, err := c.GetCreditScoreHistory(ctx, "", "")
			return err
		}},
		{"category deleted without a destination", func() error {
			cat, err := c.CreateCategory(ctx, monarch.NewCategory{GroupID: groups[1].ID, Name: "Variables Test Doomed"})
			if err != nil {
				return err
			}
			return c.DeleteCategory(ctx, cat.ID, "")
		}},
	} {
		if err := v.call(); err != nil {
			t.Errorf("%s: %v", v.name, err)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
	for file, text := range monarch.Queries(c) {
		if !sent[text] {
			t.Errorf("query file %s not sent: call its method above", file)
		}
	}
}
