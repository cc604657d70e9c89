package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestSelectionChecker(t *testing.T) {
	doc, err := parseDoc(`query Q($a: Int) { x: list(a: $a) @include(if: true) { id ...F ... on T { y } } }
	fragment F on T { name }`)
	if err != nil {
		t.Fatal(err)
	}
	good := map[string]any{"x": []any{map[string]any{"id": "1", "name": "n", "y": nil}}}
	if miss := doc.missingFields(good, doc.sel, "data"); len(miss) != 0 {
		t.Errorf("complete answer: missing %v", miss)
	}
	bad := map[string]any{"x": []any{map[string]any{"id": "1", "y": 2}}}
	if miss := doc.missingFields(bad, doc.sel, "data"); fmt.Sprint(miss) != "[data.x[0].name]" {
		t.Errorf("missing = %v, want [data.x[0].name]", miss)
	}
}

func TestDemoHousehold(t *testing.T) {
	c := newClock()
	sb := start(t, Options{Now: c.Now})
	tok := creds{token: sb.IssueToken()}

	accts := path(data(t, sb, tok, "GetAccounts", nil), "accounts").([]any)
	subtypes := map[string]float64{}
	for _, a := range accts {
		subtypes[path(a, "subtype", "name").(string)] = path(a, "currentBalance").(float64)
	}
	for _, want := range []string{"checking", "savings", "credit_card", "brokerage", "mortgage"} {
		if _, ok := subtypes[want]; !ok {
			t.Errorf("no %s account in %v", want, subtypes)
		}
	}
	if subtypes["credit_card"] >= 0 || subtypes["mortgage"] >= 0 || subtypes["checking"] <= 0 {
		t.Errorf("balances not signed like Monarch's: %v", subtypes)
	}

	today := c.Now().Format(isoDate)
	last30 := map[string]any{"filters": map[string]any{"startDate": c.Now().AddDate(0, 0, -30).Format(isoDate), "endDate": today}, "limit": 1000}
	page := path(data(t, sb, tok, "GetTransactionsList", last30), "allTransactions")
	n := int(path(page, "totalCount").(float64))
	if n < 50 {
		t.Errorf("last 30 days: %d transactions, want plenty", n)
	}
	all := path(data(t, sb, tok, "GetTransactionsList", map[string]any{"limit": 1}), "allTransactions", "totalCount").(float64)
	if all < 600 {
		t.Errorf("a year of data has %v transactions", all)
	}
	if first := path(page, "results", 0, "date"); first != today {
		t.Errorf("newest transaction %v, want today %s", first, today)
	}
	sum := path(data(t, sb, tok, "GetTransactionsPage", nil), "aggregates", 0, "summary")
	if path(sum, "sumIncome").(float64) <= 0 || path(sum, "sumExpense").(float64) >= 0 || path(sum, "count").(float64) != all {
		t.Errorf("summary %v", sum)
	}
	snaps := path(data(t, sb, tok, "AccountDetails_getAccount", map[string]any{"id": path(accts[0], "id")}), "snapshots").([]any)
	if len(snaps) != historyDays || path(snaps[len(snaps)-1], "signedBalance") != path(accts[0], "currentBalance") {
		t.Errorf("%d snapshots, last %v, balance %v", len(snaps), snaps[len(snaps)-1], path(accts[0], "currentBalance"))
	}
	// Each recurring bill shows up in the next month.
	items := path(data(t, sb, tok, "Web_GetUpcomingRecurringTransactionItems", map[string]any{
		"startDate": today, "endDate": c.Now().AddDate(0, 1, 0).Format(isoDate)}), "recurringTransactionItems").([]any)
	merchants := map[string]bool{}
	for _, it := range items {
		merchants[path(it, "stream", "merchant", "name").(string)] = true
	}
	for _, m := range []string{"Acme Corp Payroll", "Wells Fargo Home Mortgage", "Netflix", "Comcast Xfinity"} {
		if !merchants[m] {
			t.Errorf("no upcoming %s in %v", m, merchants)
		}
	}
	// Budgets have planned and actual amounts for the current month.
	b := data(t, sb, tok, "Common_GetJointPlanningData", map[string]any{"startDate": c.Now().AddDate(0, 0, 1-c.Now().Day()).Format(isoDate), "endDate": today})
	tot := path(b, "budgetData", "totalsByMonth", 0, "totalExpenses")
	if path(tot, "plannedAmount").(float64) <= 0 || path(tot, "actualAmount").(float64) <= 0 {
		t.Errorf("expense totals %v", tot)
	}
	// Cash flow: the summary is a one-element list; groups are sorted by size.
	cf := data(t, sb, tok, "Web_GetCashFlowPage", last30)
	if path(cf, "summary", 0, "summary", "savingsRate") == nil || len(path(cf, "byCategory").([]any)) < 5 {
		t.Errorf("cash flow %v", cf["summary"])
	}
	// Holdings value adds up to the brokerage balance.
	total := 0.0
	for _, e := range path(data(t, sb, tok, "Web_GetHoldings", map[string]any{"input": map[string]any{"accountIds": []any{}}}), "portfolio", "aggregateHoldings", "edges").([]any) {
		total += path(e, "node", "totalValue").(float64)
	}
	if d := total - subtypes["brokerage"]; d > 0.05 || d < -0.05 {
		t.Errorf("holdings total %v, brokerage balance %v", total, subtypes["brokerage"])
	}
}

func TestDeterministic(t *testing.T) {
	c := newClock()
	var outs []string
	for i := 0; i < 2; i++ {
		sb := start(t, Options{Now: c.Now})
		tok := creds{token: sb.IssueToken()}
		d := data(t, sb, tok, "GetTransactionsList", map[string]any{"limit": 2000})
		raw, _ := json.Marshal(d)
		acc, _ := json.Marshal(data(t, sb, tok, "GetAccounts", nil))
		outs = append(outs, string(raw)+string(acc))
	}
	if outs[0] != outs[1] {
		t.Error("two sandboxes with the same clock differ")
	}
}

func TestTransactionFilters(t *testing.T) {
	c := newClock()
	sb := start(t, Options{Now: c.Now})
	tok := creds{token: sb.IssueToken()}
	sb.lock()
	chk, groceries, vacation := sb.st.acct("checking").id, sb.st.catByName["Groceries"].id, sb.st.tagNamed("Vacation").id
	sb.mu.Unlock()
	list := func(v map[string]any) (int, []any) {
		p := path(data(t, sb, tok, "GetTransactionsList", v), "allTransactions")
		return int(path(p, "totalCount").(float64)), path(p, "results").([]any)
	}
	allN, _ := list(map[string]any{"limit": 1})
	tests := []struct {
		name    string
		filters map[string]any
		check   func(tx any) bool
	}{
		{"search merchant", map[string]any{"search": "netflix"}, func(tx any) bool { return path(tx, "merchant", "name") == "Netflix" }},
		{"date range", map[string]any{"startDate": "2026-03-01", "endDate": "2026-03-31"}, func(tx any) bool {
			d := path(tx, "date").(string)
			return d >= "2026-03-01" && d <= "2026-03-31"
		}},
		{"account", map[string]any{"accounts": []any{chk}}, func(tx any) bool { return path(tx, "account", "id") == chk }},
		{"category", map[string]any{"categories": []any{groceries}}, func(tx any) bool { return path(tx, "category", "id") == groceries }},
		{"tag", map[string]any{"tags": []any{vacation}}, func(tx any) bool { return path(tx, "tags", 0, "id") == vacation }},
		{"recurring", map[string]any{"isRecurring": true}, func(tx any) bool { return path(tx, "isRecurring") == true }},
		{"has notes", map[string]any{"hasNotes": true}, func(tx any) bool { return path(tx, "notes") != "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, res := list(map[string]any{"filters": tt.filters, "limit": 1000})
			if n == 0 || n >= allN || len(res) != n {
				t.Fatalf("totalCount %d of %d, %d results", n, allN, len(res))
			}
			for _, tx := range res {
				if !tt.check(tx) {
					t.Fatalf("non-matching transaction %v", tx)
				}
			}
		})
	}
	t.Run("paging", func(t *testing.T) {
		n, first := list(map[string]any{"offset": 0, "limit": 10})
		n2, second := list(map[string]any{"offset": 5, "limit": 10})
		_, tail := list(map[string]any{"offset": allN - 3, "limit": 10})
		if n != allN || n2 != allN || len(first) != 10 || len(tail) != 3 || path(first[5], "id") != path(second[0], "id") {
			t.Errorf("paging: totals %d/%d, lens %d/%d", n, n2, len(first), len(tail))
		}
	})
	t.Run("bad date", func(t *testing.T) {
		r := gql(context.Background(), sb, tok, "GetTransactionsList", map[string]any{"filters": map[string]any{"startDate": "03/01/2026", "endDate": "2026-03-31"}})
		if r.status != 200 || path(r.body, "errors", 0, "message") == nil || r.body["data"] != nil {
			t.Errorf("status %d body %s", r.status, r.raw)
		}
	})
}

func TestMutationsVisibleInReads(t *testing.T) {
	c := newClock()
	sb := start(t, Options{Now: c.Now})
	tok := creds{token: sb.IssueToken()}
	sb.lock()
	chk := sb.st.acct("checking")
	chkID, balance := chk.id, chk.balance
	groceries, dining, tagID := sb.st.catByName["Groceries"].id, sb.st.catByName["Restaurants & Bars"].id, sb.st.tags[1].id
	sb.mu.Unlock()
	search := func(q string) (int, any) {
		p := path(data(t, sb, tok, "GetTransactionsList", map[string]any{"filters": map[string]any{"search": q}}), "allTransactions")
		return int(path(p, "totalCount").(float64)), path(p, "results", 0)
	}

	// Create, with the balance updated.
	d := data(t, sb, tok, "Common_CreateTransactionMutation", map[string]any{"input": map[string]any{
		"date": "2026-05-19", "accountId": chkID, "amount": -12.345, "merchantName": "Sandbox Corner Store",
		"categoryId": groceries, "notes": "", "shouldUpdateBalance": true}})
	if path(d, "createTransaction", "errors") != nil {
		t.Fatalf("create errors: %v", d)
	}
	id := path(d, "createTransaction", "transaction", "id").(string)
	n, tx := search("sandbox corner")
	if n != 1 || path(tx, "id") != id || path(tx, "amount") != -12.35 || path(tx, "category", "id") != groceries {
		t.Fatalf("created transaction not listed: %d %v", n, tx)
	}
	acc := path(data(t, sb, tok, "AccountDetails_getAccount", map[string]any{"id": chkID}), "account", "currentBalance").(float64)
	if acc != round2(balance-12.35) {
		t.Errorf("balance %v, want %v", acc, round2(balance-12.35))
	}

	// Update.
	d = data(t, sb, tok, "Web_TransactionDrawerUpdateTransaction", map[string]any{"input": map[string]any{
		"id": id, "category": dining, "name": "", "notes": "lunch", "amount": -20, "reviewed": true}})
	if path(d, "updateTransaction", "errors") != nil || path(d, "updateTransaction", "transaction", "reviewedAt") == nil {
		t.Fatalf("update: %v", d)
	}
	_, tx = search("sandbox corner")
	if path(tx, "notes") != "lunch" || path(tx, "category", "id") != dining || path(tx, "amount") != -20.0 || path(tx, "merchant", "name") != "Sandbox Corner Store" {
		t.Errorf("update not visible: %v", tx)
	}

	// Tags.
	data(t, sb, tok, "Web_SetTransactionTags", map[string]any{"input": map[string]any{"transactionId": id, "tagIds": []any{tagID}}})
	drawer := path(data(t, sb, tok, "GetTransactionDrawer", map[string]any{"id": id}), "getTransaction")
	if path(drawer, "tags", 0, "id") != tagID || path(drawer, "isManual") != true {
		t.Errorf("drawer after set tags: %v", drawer)
	}

	// Delete.
	d = data(t, sb, tok, "Common_DeleteTransactionMutation", map[string]any{"input": map[string]any{"transactionId": id}})
	if path(d, "deleteTransaction", "deleted") != true {
		t.Fatalf("delete: %v", d)
	}
	if n, _ := search("sandbox corner"); n != 0 {
		t.Errorf("deleted transaction still listed")
	}

	// Budget amount.
	data(t, sb, tok, "Common_UpdateBudgetItem", map[string]any{"input": map[string]any{
		"startDate": "2026-05-01", "timeframe": "month", "categoryId": groceries, "amount": 432.0, "applyToFuture": true}})
	b := data(t, sb, tok, "Common_GetJointPlanningData", map[string]any{"startDate": "2026-04-01", "endDate": "2026-06-30"})
	for _, m := range path(b, "budgetData", "monthlyAmountsByCategory").([]any) {
		if path(m, "category", "id") == groceries {
			got := []any{path(m, "monthlyAmounts", 0, "plannedCashFlowAmount"), path(m, "monthlyAmounts", 1, "plannedCashFlowAmount"), path(m, "monthlyAmounts", 2, "plannedCashFlowAmount")}
			if fmt.Sprint(got) != "[750 432 432]" {
				t.Errorf("groceries planned April..June = %v, want [750 432 432]", got)
			}
		}
	}

	// New tag.
	d = data(t, sb, tok, "Common_CreateTransactionTag", map[string]any{"input": map[string]any{"name": "Work", "color": "#19D2A5"}})
	if path(d, "createTransactionTag", "tag", "name") != "Work" {
		t.Errorf("create tag: %v", d)
	}
	tags := path(data(t, sb, tok, "GetHouseholdTransactionTags", nil), "householdTransactionTags").([]any)
	if path(tags[len(tags)-1], "name") != "Work" {
		t.Errorf("new tag not listed: %v", tags)
	}

	// Refresh: in progress for one status poll, then done.
	data(t, sb, tok, "Common_ForceRefreshAccountsMutation", map[string]any{"input": map[string]any{"accountIds": []any{chkID}}})
	syncing := func() bool {
		for _, a := range path(data(t, sb, tok, "ForceRefreshAccountsQuery", nil), "accounts").([]any) {
			if path(a, "id") == chkID {
				return path(a, "hasSyncInProgress").(bool)
			}
		}
		t.Fatal("account missing from status")
		return false
	}
	if !syncing() || syncing() {
		t.Error("refresh status should be in progress once, then done")
	}
}

func TestMutationPayloadErrors(t *testing.T) {
	c := newClock()
	sb := start(t, Options{Now: c.Now})
	tok := creds{token: sb.IssueToken()}
	sb.lock()
	chk, cat := sb.st.acct("checking").id, sb.st.cats[0].id
	sb.mu.Unlock()
	create := func(in map[string]any) map[string]any {
		base := map[string]any{"date": "2026-05-01", "accountId": chk, "amount": -1.0, "merchantName": "X", "categoryId": cat}
		for k, v := range in {
			base[k] = v
		}
		return map[string]any{"input": base}
	}
	tests := []struct {
		name, op  string
		vars      map[string]any
		root      string
		wantField string
	}{
		{"create unknown account", "Common_CreateTransactionMutation", create(map[string]any{"accountId": "1"}), "createTransaction", "accountId"},
		{"create bad date", "Common_CreateTransactionMutation", create(map[string]any{"date": "May 1"}), "createTransaction", "date"},
		{"create unknown category", "Common_CreateTransactionMutation", create(map[string]any{"categoryId": "2"}), "createTransaction", "categoryId"},
		{"create blank merchant", "Common_CreateTransactionMutation", create(map[string]any{"merchantName": " "}), "createTransaction", "merchantName"},
		{"create no amount", "Common_CreateTransactionMutation", create(map[string]any{"amount": nil}), "createTransaction", "amount"},
		{"update unknown id", "Web_TransactionDrawerUpdateTransaction", map[string]any{"input": map[string]any{"id": "404"}}, "updateTransaction", "id"},
		{"delete unknown id", "Common_DeleteTransactionMutation", map[string]any{"input": map[string]any{"transactionId": "404"}}, "deleteTransaction", "transactionId"},
		{"refresh unknown account", "Common_ForceRefreshAccountsMutation", map[string]any{"input": map[string]any{"accountIds": []any{"404"}}}, "forceRefreshAccounts", "accountIds"},
		{"tags unknown transaction", "Web_SetTransactionTags", map[string]any{"input": map[string]any{"transactionId": "404", "tagIds": []any{}}}, "setTransactionTags", "transactionId"},
	}
	before := path(data(t, sb, tok, "GetTransactionsList", map[string]any{"limit": 1}), "allTransactions", "totalCount")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := data(t, sb, tok, tt.op, tt.vars)
			payload := path(d, tt.root)
			if path(payload, "errors", "message") == nil || path(payload, "errors", "fieldErrors", 0, "field") != tt.wantField {
				t.Errorf("payload %v", payload)
			}
			if v, ok := payload.(map[string]any)["deleted"]; ok && v != false {
				t.Errorf("deleted = %v", v)
			}
			if v, ok := payload.(map[string]any)["success"]; ok && v != false {
				t.Errorf("success = %v", v)
			}
		})
	}
	if after := path(data(t, sb, tok, "GetTransactionsList", map[string]any{"limit": 1}), "allTransactions", "totalCount"); after != before {
		t.Errorf("failed mutations changed the data: %v → %v", before, after)
	}
}

func TestConcurrentUse(t *testing.T) {
	c := newClock()
	sb := start(t, Options{NoMFA: true, Now: c.Now})
	sb.lock()
	chk, cat := sb.st.acct("checking").id, sb.st.cats[3].id
	sb.mu.Unlock()
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*10)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			res, err := tryLogin(sb, goodBody(c), true)
			if err != nil || res.status != 200 {
				errs <- fmt.Errorf("login: %v %d", err, res.status)
				return
			}
			tok := creds{token: fmt.Sprint(res.body["token"])}
			for i := 0; i < 5; i++ {
				ops := []struct {
					op string
					v  map[string]any
				}{
					{"GetAccounts", nil},
					{"GetTransactionsList", map[string]any{"limit": 50}},
					{"Common_CreateTransactionMutation", map[string]any{"input": map[string]any{
						"date": "2026-05-01", "accountId": chk, "amount": -1.0, "merchantName": fmt.Sprintf("W%d", w), "categoryId": cat}}},
					{"Web_GetCashFlowPage", map[string]any{"filters": map[string]any{}}},
				}
				for _, o := range ops {
					if r := gql(context.Background(), sb, tok, o.op, o.v); r.err != nil || r.status != 200 {
						errs <- fmt.Errorf("%s: %v %d", o.op, r.err, r.status)
					}
				}
			}
			sb.Logins()
			sb.Requests("")
		}(w)
	}
	go func() {
		for i := 0; i < 20; i++ {
			c.Advance(time.Second)
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if sb.Logins() != workers || sb.Requests("Common_CreateTransactionMutation") != workers*5 {
		t.Errorf("Logins %d, creates %d", sb.Logins(), sb.Requests("Common_CreateTransactionMutation"))
	}
	tok := creds{token: sb.IssueToken()}
	for w := 0; w < workers; w++ {
		p := path(data(t, sb, tok, "GetTransactionsList", map[string]any{"filters": map[string]any{"search": fmt.Sprintf("W%d", w)}}), "allTransactions", "totalCount")
		if p != 5.0 {
			t.Errorf("worker %d: %v transactions, want 5", w, p)
		}
	}
}

// TestHouseholdEndsOnClockLocalDate checks that the demo data ends on the
// clock's date in the clock's location, which is the date the client and
// tools call today, also where the UTC date differs.
func TestHouseholdEndsOnClockLocalDate(t *testing.T) {
	tokyo := time.FixedZone("UTC+9", 9*60*60)
	newYork := time.FixedZone("UTC-5", -5*60*60)
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"UTC", time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC), "2026-06-15"},
		{"east of UTC, the day before in UTC", time.Date(2026, 12, 1, 8, 0, 0, 0, tokyo), "2026-12-01"},
		{"west of UTC, the day after in UTC", time.Date(2026, 12, 31, 23, 30, 0, 0, newYork), "2026-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newState(tt.at)
			if got := st.today.Format(isoDate); got != tt.want {
				t.Errorf("last day %s, want %s", got, tt.want)
			}
			for _, tx := range st.txns {
				if tx.date > tt.want {
					t.Fatalf("a transaction on %s, after the last day %s", tx.date, tt.want)
				}
			}
		})
	}
}
