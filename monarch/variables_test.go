package monarch_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

var declaredVar = regexp.MustCompile(`\$(\w+)\s*:`)

// TestVariablesMatchQueries sends every operation through a recorder in
// front of the sandbox and checks that each request sends only variables its
// query declares (GraphQL servers refuse undeclared ones) and every declared
// non-null (!) one.
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
			header, _, _ := strings.Cut(req.Query, "{")
			var declared []string
			for _, m := range declaredVar.FindAllStringSubmatch(header, -1) {
				declared = append(declared, m[1])
			}
			mu.Lock()
			sent[req.Query] = true
			if !strings.Contains(header, req.OperationName) {
				problems = append(problems, req.OperationName+": query text names another operation")
			}
			for k := range req.Variables {
				if !slices.Contains(declared, k) {
					problems = append(problems, req.OperationName+": sends undeclared $"+k)
				}
			}
			for _, m := range regexp.MustCompile(`\$(\w+)\s*:\s*[\w\[\]!]+!`).FindAllStringSubmatch(header, -1) {
				if req.Variables[m[1]] == nil {
					problems = append(problems, req.OperationName+": omits required $"+m[1])
				}
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
	c, err := monarch.New(monarch.Config{BaseURL: srv.URL, Email: sandbox.DemoEmail, Password: sandbox.DemoPassword, TOTP: totp, Now: clk.Now})
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
