package monarch_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// household is what the read tests learn about the demo data first.
type household struct {
	checking, brokerage string
	category, tag       string
}

// newDemoEnv is a sandbox and a signed-in client, with the demo
// household's ids.
func newDemoEnv(t *testing.T) (*testenv.Env, context.Context, household) {
	t.Helper()
	e := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	e.Login(t)
	return e, ctx, learn(t, ctx, e.Client)
}

func learn(t *testing.T, ctx context.Context, c *monarch.Client) household {
	t.Helper()
	var h household
	accts, err := c.GetAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accts {
		switch a.Subtype.Name {
		case "checking":
			h.checking = a.ID
		case "brokerage":
			h.brokerage = a.ID
		}
	}
	cats, err := c.GetCategories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, cat := range cats {
		if cat.Name == "Groceries" {
			h.category = cat.ID
		}
	}
	tags, err := c.GetTags(ctx)
	if err != nil || len(tags) == 0 {
		t.Fatalf("tags: %v, %d", err, len(tags))
	}
	h.tag = tags[0].ID
	if h.checking == "" || h.brokerage == "" || h.category == "" {
		t.Fatalf("demo household not as expected: %+v", h)
	}
	return h
}

func TestOperationsDecode(t *testing.T) {
	now := testenv.DefaultNow()
	today := now.Format("2006-01-02")
	monthAgo := now.AddDate(0, -1, 0).Format("2006-01-02")
	monthAhead := now.AddDate(0, 1, 0).Format("2006-01-02")
	ops := []struct {
		name string
		run  func(ctx context.Context, c *monarch.Client, h household) error
	}{
		{"GetAccounts", func(ctx context.Context, c *monarch.Client, h household) error {
			as, err := c.GetAccounts(ctx)
			if err == nil && (len(as) < 5 || as[0].DisplayBalance == nil || as[0].Type.Display == "" || as[0].Institution == nil) {
				err = errors.New("accounts incomplete")
			}
			return err
		}},
		{"GetAccountHoldings", func(ctx context.Context, c *monarch.Client, h household) error {
			hs, err := c.GetAccountHoldings(ctx, h.brokerage)
			if err == nil && (len(hs) == 0 || hs[0].Name() == "" || hs[0].TotalValue == nil) {
				err = errors.New("holdings incomplete")
			}
			return err
		}},
		{"GetAccountHistory", func(ctx context.Context, c *monarch.Client, h household) error {
			ps, err := c.GetAccountHistory(ctx, h.checking)
			if err == nil && (len(ps) < 300 || ps[0].Date == "") {
				err = errors.New("history incomplete")
			}
			return err
		}},
		{"GetTransactions", func(ctx context.Context, c *monarch.Client, h household) error {
			p, err := c.GetTransactions(ctx, monarch.TransactionQuery{Limit: 10})
			if err == nil && (len(p.Transactions) != 10 || p.TotalCount < 100 || p.Transactions[0].Account == nil) {
				err = errors.New("page incomplete")
			}
			return err
		}},
		{"GetTransactions filtered", func(ctx context.Context, c *monarch.Client, h household) error {
			p, err := c.GetTransactions(ctx, monarch.TransactionQuery{StartDate: monthAgo, EndDate: today, CategoryIDs: []string{h.category}, Limit: 5, Offset: 1})
			if err != nil {
				return err
			}
			for _, tx := range p.Transactions {
				if tx.Category == nil || tx.Category.ID != h.category || tx.Date < monthAgo || tx.Date > today {
					return errors.New("filter not applied")
				}
			}
			if p.TotalCount == 0 {
				return errors.New("no groceries in a month")
			}
			return nil
		}},
		{"GetTransactionsSummary", func(ctx context.Context, c *monarch.Client, h household) error {
			s, err := c.GetTransactionsSummary(ctx)
			if err == nil && (s.Count == 0 || s.First == "" || s.SumExpense >= 0) {
				err = errors.New("summary incomplete")
			}
			return err
		}},
		{"GetCategories", func(ctx context.Context, c *monarch.Client, h household) error {
			cs, err := c.GetCategories(ctx)
			if err == nil && (len(cs) == 0 || cs[0].Group == nil) {
				err = errors.New("categories incomplete")
			}
			return err
		}},
		{"GetBudgets", func(ctx context.Context, c *monarch.Client, h household) error {
			b, err := c.GetBudgets(ctx, monthAgo[:7], today[:7])
			if err != nil {
				return err
			}
			if len(b.Months) != 2 || len(b.Categories) == 0 || b.Categories[0].CategoryName == "" || b.Categories[0].GroupName == "" {
				return errors.New("budgets incomplete")
			}
			return nil
		}},
		{"GetCashflow", func(ctx context.Context, c *monarch.Client, h household) error {
			cf, err := c.GetCashflow(ctx, monthAgo, today)
			if err == nil && (len(cf.ByCategory) == 0 || len(cf.ByGroup) == 0 || len(cf.ByMerchant) == 0 || cf.Summary.SumIncome <= 0) {
				err = errors.New("cash flow incomplete")
			}
			return err
		}},
		{"GetCashflowSummary", func(ctx context.Context, c *monarch.Client, h household) error {
			s, err := c.GetCashflowSummary(ctx, monthAgo, today)
			if err == nil && s.SumExpense >= 0 {
				err = errors.New("summary incomplete")
			}
			return err
		}},
		{"GetRecurringTransactions", func(ctx context.Context, c *monarch.Client, h household) error {
			rs, err := c.GetRecurringTransactions(ctx, today, monthAhead)
			if err == nil && (len(rs) == 0 || rs[0].Stream.Merchant == nil || rs[0].Stream.Frequency == "") {
				err = errors.New("recurring incomplete")
			}
			return err
		}},
		{"GetInstitutions", func(ctx context.Context, c *monarch.Client, h household) error {
			cs, err := c.GetInstitutions(ctx)
			if err == nil && (len(cs) == 0 || cs[0].Institution == nil || len(cs[0].Accounts) == 0) {
				err = errors.New("institutions incomplete")
			}
			return err
		}},
		{"RefreshAccounts+GetRefreshStatus", func(ctx context.Context, c *monarch.Client, h household) error {
			if err := c.RefreshAccounts(ctx, []string{h.checking}); err != nil {
				return err
			}
			st, err := c.GetRefreshStatus(ctx)
			if err == nil && len(st) == 0 {
				err = errors.New("no status")
			}
			return err
		}},
		{"Ping", func(ctx context.Context, c *monarch.Client, h household) error { return c.Ping(ctx) }},
	}
	for _, style := range []struct {
		name string
		s    sandbox.AuthStyle
	}{{"token", sandbox.StyleToken}, {"cookie", sandbox.StyleCookie}} {
		t.Run(style.name, func(t *testing.T) {
			e := testenv.New(t, testenv.Options{Now: now, Sandbox: sandbox.Options{Style: style.s}})
			ctx := context.Background()
			e.Login(t)
			h := learn(t, ctx, e.Client)
			for _, op := range ops {
				t.Run(op.name, func(t *testing.T) {
					if err := op.run(ctx, e.Client, h); err != nil {
						t.Fatal(err)
					}
				})
			}
			if e.Sandbox.Logins() != 1 {
				t.Errorf("%d logins, want 1", e.Sandbox.Logins())
			}
		})
	}
}

func TestTransactionMutations(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	e.Login(t)
	h := learn(t, ctx, e.Client)
	date := e.Clock.Now().AddDate(0, 0, -3).Format("2006-01-02")

	id, err := e.Client.CreateTransaction(ctx, monarch.NewTransaction{
		Date: date, AccountID: h.checking, Amount: -12.345, MerchantName: "Corner Store Test", CategoryID: h.category, Notes: "first",
	})
	if err != nil || id == "" {
		t.Fatalf("create: %q, %v", id, err)
	}
	find := func() *monarch.Transaction {
		p, err := e.Client.GetTransactions(ctx, monarch.TransactionQuery{Search: "Corner Store Test"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range p.Transactions {
			if tx.ID == id {
				return &tx
			}
		}
		return nil
	}
	tx := find()
	if tx == nil || tx.Amount != -12.35 || tx.Notes != "first" || tx.Date != date {
		t.Fatalf("created transaction reads back as %+v", tx)
	}

	notes, amount, hide := "second", -20.0, true
	up, err := e.Client.UpdateTransaction(ctx, monarch.TransactionUpdate{ID: id, Notes: &notes, Amount: &amount, HideFromReports: &hide})
	if err != nil {
		t.Fatal(err)
	}
	if up.ID != id || up.Notes != "second" || up.Amount != -20 || !up.HideFromReports {
		t.Errorf("update returned %+v", up)
	}
	if tx := find(); tx == nil || tx.Notes != "second" {
		t.Errorf("update not visible: %+v", tx)
	}

	if err := e.Client.DeleteTransaction(ctx, id); err != nil {
		t.Fatal(err)
	}
	if find() != nil {
		t.Error("deleted transaction still listed")
	}
	// Deleting again: Monarch reports it in the payload.
	err = e.Client.DeleteTransaction(ctx, id)
	var ge *monarch.GraphQLError
	if !errors.As(err, &ge) || !errors.Is(err, monarch.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func TestMutationPayloadErrors(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	e.Login(t)
	h := learn(t, ctx, e.Client)
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"create in unknown account", func() error {
			_, err := e.Client.CreateTransaction(ctx, monarch.NewTransaction{Date: "2026-01-02", AccountID: "999", Amount: -1, MerchantName: "x", CategoryID: h.category})
			return err
		}, "accountId"},
		{"update unknown transaction", func() error {
			n := "x"
			_, err := e.Client.UpdateTransaction(ctx, monarch.TransactionUpdate{ID: "999", Notes: &n})
			return err
		}, "Monarch refused the request"},
		{"refresh unknown account", func() error { return e.Client.RefreshAccounts(ctx, []string{"999"}) }, "999"},
		{"history of unknown account", func() error { _, err := e.Client.GetAccountHistory(ctx, "999"); return err }, "999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if !errors.Is(err, monarch.ErrNotFound) && !strings.Contains(tt.name, "create") {
				t.Errorf("not ErrNotFound: %v", err)
			}
		})
	}
}

func TestArgumentChecks(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	e.Login(t)
	tests := []struct {
		name string
		run  func() error
	}{
		{"one date only", func() error {
			_, err := e.Client.GetTransactions(ctx, monarch.TransactionQuery{StartDate: "2026-01-01"})
			return err
		}},
		{"bad date", func() error { _, err := e.Client.GetCashflow(ctx, "2026-13-01", "2026-12-31"); return err }},
		{"bad month", func() error { _, err := e.Client.GetBudgets(ctx, "January", "2026-02"); return err }},
		{"months reversed", func() error { _, err := e.Client.GetBudgets(ctx, "2026-03", "2026-02"); return err }},
		{"empty id", func() error { return e.Client.DeleteTransaction(ctx, "") }},
		{"no category", func() error {
			_, err := e.Client.CreateTransaction(ctx, monarch.NewTransaction{Date: "2026-01-01", AccountID: "1", MerchantName: "x"})
			return err
		}},
	}
	before := e.Sandbox.Requests("")
	for _, tt := range tests {
		if err := tt.run(); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	if n := e.Sandbox.Requests(""); n != before {
		t.Errorf("bad arguments reached Monarch (%d requests)", n-before)
	}
}
