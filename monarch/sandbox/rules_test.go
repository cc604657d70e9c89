package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

func TestRulesState(t *testing.T) {
	c := newClock()
	sb := start(t, Options{Now: c.Now})
	tok := creds{token: sb.IssueToken()}
	sb.lock()
	groceries, tag, netflix := sb.st.catByName["Groceries"].id, sb.st.tags[0].id, 0
	for _, tx := range sb.st.txns {
		if tx.merch.name == "Netflix" {
			netflix++
		}
	}
	sb.mu.Unlock()
	list := func() []any {
		rules, _ := data(t, sb, tok, "GetTransactionRules", nil)["transactionRules"].([]any)
		return rules
	}
	if n := len(list()); n != 2 {
		t.Fatalf("%d seeded rules", n)
	}

	d := data(t, sb, tok, "Common_CreateTransactionRuleMutationV2", map[string]any{"input": map[string]any{
		"merchantCriteria":  []any{map[string]any{"operator": "contains", "value": "NETFLIX"}},
		"setCategoryAction": groceries, "addTagsAction": []any{tag}, "applyToExistingTransactions": true,
	}})
	id, _ := path(d, "createTransactionRuleV2", "transactionRule", "id").(string)
	if id == "" || path(d, "createTransactionRuleV2", "errors") != nil {
		t.Fatalf("create: %v", d)
	}
	rules := list()
	if len(rules) != 3 || path(rules, 2, "id") != id || path(rules, 2, "merchantCriteria", 0, "value") != "netflix" ||
		path(rules, 2, "recentApplicationCount") != float64(netflix) {
		t.Errorf("after create: %v", rules[2])
	}
	sb.lock()
	for _, tx := range sb.st.txns {
		if tx.merch.name == "Netflix" && (tx.cat.name != "Groceries" || len(tx.tags) != 1) {
			t.Errorf("rule not applied to %s", tx.id)
			break
		}
	}
	sb.mu.Unlock()

	// Update replaces the rule; an unknown id or a rule without actions is a payload error.
	d = data(t, sb, tok, "Common_UpdateTransactionRuleMutationV2", map[string]any{"input": map[string]any{
		"id": id, "amountCriteria": map[string]any{"operator": "equals", "isExpense": true, "value": 15.49}, "setHideFromReportsAction": true,
	}})
	if r := path(list(), 2); path(r, "amountCriteria", "value") != 15.49 || path(r, "setCategoryAction") != nil || path(r, "setHideFromReportsAction") != true {
		t.Errorf("after update: %v (%v)", r, d)
	}
	for _, in := range []map[string]any{
		{"id": "999", "setHideFromReportsAction": true, "categoryIds": []any{groceries}},
		{"id": id, "categoryIds": []any{groceries}},
		{"id": id, "setCategoryAction": "999", "categoryIds": []any{groceries}},
	} {
		d := data(t, sb, tok, "Common_UpdateTransactionRuleMutationV2", map[string]any{"input": in})
		if path(d, "updateTransactionRuleV2", "errors", "message") == nil {
			t.Errorf("update %v: no payload error: %v", in, d)
		}
	}

	d = data(t, sb, tok, "Common_DeleteTransactionRule", map[string]any{"id": id})
	if path(d, "deleteTransactionRule", "deleted") != true || len(list()) != 2 {
		t.Errorf("delete: %v", d)
	}
	d = data(t, sb, tok, "Common_DeleteTransactionRule", map[string]any{"id": id})
	if path(d, "deleteTransactionRule", "errors", "code") != "NOT_FOUND" {
		t.Errorf("second delete: %v", d)
	}
}

// postUpload sends a balance-history upload as Monarch's web app does.
func postUpload(t *testing.T, sb *Sandbox, c creds, accountID, csv, contentType string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("files", "upload.csv")
	_, _ = io.WriteString(fw, csv)
	mapping, _ := json.Marshal(map[string]string{"upload.csv": accountID})
	_ = mw.WriteField("account_files_mapping", string(mapping))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, sb.URL()+"/account-balance-history/upload/", &body)
	if contentType == "" {
		contentType = mw.FormDataContentType()
	}
	req.Header.Set("Content-Type", contentType)
	c.apply(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestBalanceUpload(t *testing.T) {
	c := newClock()
	sb := start(t, Options{Now: c.Now})
	tok := creds{token: sb.IssueToken()}
	sb.lock()
	chk := sb.st.acct("checking").id
	day := sb.st.today.AddDate(0, 0, -3).Format(isoDate)
	sb.mu.Unlock()

	for _, tt := range []struct {
		name, acct, csv, ct string
		c                   creds
		status              int
		detail              string
	}{
		{"no credentials", chk, "Date,Amount\n" + day + ",1\n", "", creds{}, 401, "credentials"},
		{"json body", chk, "x", "application/json", tok, 415, "Unsupported media type"},
		{"no header", chk, day + ",1\n", "", tok, 400, "Date and Amount"},
		{"bad date", chk, "Date,Amount\n2026-02-30,1\n", "", tok, 400, "Row 2"},
		{"bad amount", chk, "Date,Amount\n" + day + ",1\n" + day + ",abc\n", "", tok, 400, "Row 3"},
		{"unknown account", "999", "Date,Amount\n" + day + ",1\n", "", tok, 400, "999"},
	} {
		status, body := postUpload(t, sb, tt.c, tt.acct, tt.csv, tt.ct)
		if status != tt.status || !strings.Contains(body["detail"].(string), tt.detail) {
			t.Errorf("%s: %d %v", tt.name, status, body)
		}
	}

	status, body := postUpload(t, sb, tok, chk, "Date,Amount,Account Name\n"+day+",4321.5,\n", "")
	key, _ := body["session_key"].(string)
	if status != 200 || key == "" {
		t.Fatalf("upload: %d %v", status, body)
	}
	snapshot := func() any {
		snaps := data(t, sb, tok, "AccountDetails_getAccount", map[string]any{"id": chk})["snapshots"].([]any)
		for _, s := range snaps {
			if path(s, "date") == day {
				return path(s, "signedBalance")
			}
		}
		return nil
	}
	if snapshot() == 4321.5 {
		t.Fatal("balance applied before parsing")
	}
	d := data(t, sb, tok, "Web_ParseUploadBalanceHistorySession", map[string]any{"input": map[string]any{"sessionKey": key}})
	if path(d, "parseBalanceHistory", "uploadBalanceHistorySession", "status") != "processing" {
		t.Errorf("parse: %v", d)
	}
	d = data(t, sb, tok, "Web_GetUploadBalanceHistorySession", map[string]any{"sessionKey": key})
	if path(d, "uploadBalanceHistorySession", "status") != "completed" || snapshot() != 4321.5 {
		t.Errorf("status: %v, snapshot %v", d, snapshot())
	}
	r := gql(t.Context(), sb, tok, "Web_GetUploadBalanceHistorySession", map[string]any{"sessionKey": "nope"})
	if path(r.body, "errors", 0, "extensions", "code") != "NOT_FOUND" {
		t.Errorf("unknown session: %s", r.raw)
	}
}
