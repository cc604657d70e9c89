package monarch

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

//go:embed queries/*.graphql
var queryFiles embed.FS

// operation is one GraphQL operation the client sends.
type operation struct {
	// name is the operationName; file is the query file's base name (two
	// files may hold the same operation name with different selections).
	name, file string
	// unsafeRetry marks operations that must not be re-sent once they may
	// have reached the server (creates).
	unsafeRetry bool
}

func op(name string) operation { return operation{name: name, file: name} }

// The operations of this package. Names and root fields are Monarch's web
// app's (see /work/notes/monarch-shapes.md for sources and shapes).
var (
	opGetAccounts       = op("GetAccounts")
	opHoldings          = op("Web_GetHoldings")
	opAccountDetails    = op("AccountDetails_getAccount")
	opInstitutions      = op("Web_GetInstitutionSettings")
	opForceRefresh      = op("Common_ForceRefreshAccountsMutation")
	opRefreshStatus     = op("ForceRefreshAccountsQuery")
	opTransactions      = op("GetTransactionsList")
	opTransactionsPage  = op("GetTransactionsPage")
	opCreateTransaction = operation{name: "Common_CreateTransactionMutation", file: "Common_CreateTransactionMutation", unsafeRetry: true}
	opUpdateTransaction = op("Web_TransactionDrawerUpdateTransaction")
	opDeleteTransaction = op("Common_DeleteTransactionMutation")
	opCategories        = op("GetCategories")
	opTags              = op("GetHouseholdTransactionTags")
	opBudgets           = op("Common_GetJointPlanningData")
	opCashflow          = op("Web_GetCashFlowPage")
	opCashflowSummary   = operation{name: "Web_GetCashFlowPage", file: "Web_GetCashFlowPage_Summary"}
	opRecurring         = op("Web_GetUpcomingRecurringTransactionItems")
	opMe                = op("Common_GetMe")
	opTransactionDrawer = op("GetTransactionDrawer")
	opTransactionSplits = op("TransactionSplitQuery")
	opSplitTransaction  = op("Common_SplitTransactionMutation")
	opSetTags           = op("Web_SetTransactionTags")
	// A retried create could make the tag twice (or fail as a duplicate).
	opCreateTag   = operation{name: "Common_CreateTransactionTag", file: "Common_CreateTransactionTag", unsafeRetry: true}
	allOperations = []operation{opGetAccounts, opHoldings, opAccountDetails, opInstitutions, opForceRefresh, opRefreshStatus, opTransactions, opTransactionsPage, opCreateTransaction, opUpdateTransaction, opDeleteTransaction, opCategories, opTags, opBudgets, opCashflow, opCashflowSummary, opRecurring, opMe, opTransactionDrawer, opTransactionSplits, opSplitTransaction, opSetTags, opCreateTag}
)

// Rules and balance-history upload.
var (
	opRules      = op("GetTransactionRules")
	opCreateRule = operation{name: "Common_CreateTransactionRuleMutationV2", file: "Common_CreateTransactionRuleMutationV2", unsafeRetry: true}
	opUpdateRule = op("Common_UpdateTransactionRuleMutationV2")
	opDeleteRule = op("Common_DeleteTransactionRule")
	// Parsing applies the uploaded balances: not re-sent once it may have
	// reached Monarch.
	opParseBalanceUpload = operation{name: "Web_ParseUploadBalanceHistorySession", file: "Web_ParseUploadBalanceHistorySession", unsafeRetry: true}
	opBalanceUploadState = op("Web_GetUploadBalanceHistorySession")
	rulesOperations      = []operation{opRules, opCreateRule, opUpdateRule, opDeleteRule, opParseBalanceUpload, opBalanceUploadState}
)

// Operations of the category, budget, net worth, merchant and recurring
// tools.
var (
	opCategoryGroups     = op("ManageGetCategoryGroups")
	opCreateCategory     = operation{name: "Web_CreateCategory", file: "Web_CreateCategory", unsafeRetry: true}
	opUpdateCategory     = op("Web_UpdateCategory")
	opSetBudget          = op("Common_UpdateBudgetItem")
	opAggregateSnapshots = op("GetAggregateSnapshots")
	opSnapshotsByType    = op("GetSnapshotsByAccountType")
	opGetMerchant        = op("Common_GetEditMerchant")
	opMerchants          = op("Web_GetMerchantSettingsPage")
	opUpdateMerchant     = op("Common_UpdateMerchant")
	opRecurringStreams   = op("Common_GetRecurringStreams")
	opReviewStream       = op("Web_ReviewStream")
	catOperations        = []operation{opCategoryGroups, opCreateCategory, opUpdateCategory, opSetBudget, opAggregateSnapshots, opSnapshotsByType, opGetMerchant, opMerchants, opUpdateMerchant, opRecurringStreams, opReviewStream}
)

// loadQueries reads the query text of every operation, so that a missing
// file fails New rather than a call.
func loadQueries() (map[string]string, error) {
	ops := slices.Concat(allOperations, rulesOperations, catOperations, goalOperations)
	m := make(map[string]string, len(ops))
	for _, o := range ops {
		b, err := queryFiles.ReadFile("queries/" + o.file + ".graphql")
		if err != nil {
			return nil, fmt.Errorf("monarch: query %s is missing: %w", o.file, err)
		}
		m[o.file] = string(b)
	}
	return m, nil
}

// gqlRequest is the body of POST /graphql.
type gqlRequest struct {
	OperationName string `json:"operationName"`
	Query         string `json:"query"`
	Variables     any    `json:"variables"`
}

// gqlError is one element of a GraphQL answer's errors.
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// gqlResponse is a GraphQL answer before its data is decoded.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	// Detail is DRF's error body on HTTP errors.
	Detail any `json:"detail"`
}

// graphQL runs o with vars against the current session and decodes the
// answer's data into out, whose UnmarshalJSON (or fields') checks required
// fields. Errors: wrapping reauth.ErrUnauthorized for a refused session,
// *HTTPError, *GraphQLError, or *UnexpectedResponseError.
func (c *Client) graphQL(ctx context.Context, o operation, vars any, out any) error {
	if vars == nil {
		vars = struct{}{}
	}
	query, ok := c.queries[o.file]
	if !ok {
		// An operation missing from the lists loadQueries reads: a bug,
		// caught here rather than sent as an empty query.
		return fmt.Errorf("monarch %s: no query text for %s", o.name, o.file)
	}
	body, err := json.Marshal(gqlRequest{OperationName: o.name, Query: query, Variables: vars})
	if err != nil {
		return fmt.Errorf("monarch %s: encode request: %w", o.name, err)
	}
	x, err := c.post(ctx, o.name, "/graphql", body, o.unsafeRetry, nil)
	if err != nil {
		return err
	}
	resp, raw, attempts := x.resp, x.raw, x.attempts
	var gr gqlResponse
	jsonErr := json.Unmarshal(raw, &gr)
	if resp.StatusCode != http.StatusOK && (jsonErr != nil || len(gr.Errors) == 0) {
		he := &HTTPError{Operation: o.name, StatusCode: resp.StatusCode, RetryAfter: retryAfter(resp), Attempts: attempts}
		if jsonErr == nil {
			he.Detail = detailText(gr.Detail)
		}
		return he // matches reauth.ErrUnauthorized itself for 401 and CSRF 403
	}
	if jsonErr != nil {
		return &UnexpectedResponseError{Operation: o.name, Reason: "the answer is not valid JSON (" + jsonReason(jsonErr) + ")"}
	}
	if len(gr.Errors) > 0 {
		return c.requestError(o, gr.Errors)
	}
	if len(gr.Data) == 0 || bytes.Equal(gr.Data, []byte("null")) {
		return &UnexpectedResponseError{Operation: o.name, Reason: "the answer has no data"}
	}
	if err := json.Unmarshal(gr.Data, out); err != nil {
		return &UnexpectedResponseError{Operation: o.name, Reason: jsonReason(err)}
	}
	if v, ok := out.(validator); ok {
		if err := v.validate(); err != nil {
			return &UnexpectedResponseError{Operation: o.name, Reason: err.Error()}
		}
	}
	return nil
}

// exchange is one request to Monarch and its whole answer.
type exchange struct {
	resp     *http.Response // body already read into raw
	raw      []byte
	attempts int
}

// post sends body to path with the current session's headers (edit, if
// set, adjusts them), retrying as the client's policy says — never once it
// may have reached Monarch when unsafe — and reads the whole answer. The
// errors: no session yet (wrapping reauth.ErrUnauthorized), ctx's error,
// Monarch unreachable, or an answer that could not be read.
func (c *Client) post(ctx context.Context, name, path string, body []byte, unsafe bool, edit func(http.Header)) (exchange, error) {
	s, _, ok := c.auth.Current()
	if !ok || s == nil {
		return exchange{}, fmt.Errorf("monarch %s: no session yet (call through reauth.WithReauth or log in first): %w", name, reauth.ErrUnauthorized)
	}
	if unsafe {
		ctx = context.WithValue(ctx, retryPolicyKey{}, noRetryAfterSend)
	}
	x := exchange{}
	req, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, attemptsKey{}, &x.attempts), http.MethodPost, c.base+path, body)
	if err != nil {
		return exchange{}, fmt.Errorf("monarch %s: %w", name, err)
	}
	c.setHeaders(req.Header, s.DeviceID, s)
	if edit != nil {
		edit(req.Header)
	}
	start := time.Now()
	x.resp, err = c.retry.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return exchange{}, fmt.Errorf("monarch %s: %w", name, ctxErr)
		}
		return exchange{}, fmt.Errorf("monarch %s: %w", name, err)
	}
	x.raw, err = readBody(x.resp.Body, c.cfg.MaxResponseBytes)
	c.logger.Debug("monarch: request", "operation", name, "status", x.resp.StatusCode, "attempts", x.attempts,
		"bytes", len(x.raw), "duration", time.Since(start).Round(time.Millisecond))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return exchange{}, fmt.Errorf("monarch %s: %w", name, ctxErr)
		}
		return exchange{}, &UnexpectedResponseError{Operation: name, Reason: "reading the answer failed: " + err.Error()}
	}
	return x, nil
}

// attemptsKey carries a *int that countAttempts sets to the number of
// attempts made for a request.
type attemptsKey struct{}

// countAttempts is the retrying client's RequestLogHook. Do runs it on the
// caller's goroutine, so the counter needs no lock.
func countAttempts(_ retryablehttp.Logger, r *http.Request, attempt int) {
	if p, ok := r.Context().Value(attemptsKey{}).(*int); ok {
		*p = attempt + 1
	}
}

// requestError turns GraphQL errors into an auth error or a *GraphQLError.
func (c *Client) requestError(o operation, errs []gqlError) error {
	ge := &GraphQLError{Operation: o.name}
	for _, e := range errs {
		code := strings.ToUpper(e.Extensions.Code)
		l := strings.ToLower(e.Message)
		if code == "UNAUTHENTICATED" || code == "UNAUTHORIZED" || code == "FORBIDDEN" && strings.Contains(l, "authenticat") ||
			strings.Contains(l, "unauthenticated") || strings.Contains(l, "not authenticated") || strings.Contains(l, "must be authenticated") ||
			strings.Contains(l, "unauthorized") || strings.Contains(l, "authentication credentials") {
			return fmt.Errorf("Monarch says the session is not signed in (operation %s): %w", o.name, reauth.ErrUnauthorized)
		}
		if e.Message != "" {
			ge.Messages = append(ge.Messages, e.Message)
		}
		if e.Extensions.Code != "" {
			ge.Codes = append(ge.Codes, e.Extensions.Code)
		}
	}
	return ge
}

// jsonReason describes a decoding error without quoting the answer.
func jsonReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var miss *missingError
	switch {
	case errors.As(err, &miss):
		return miss.Error()
	case errors.As(err, &typ):
		f := typ.Field
		if f == "" {
			f = "a value"
		}
		return fmt.Sprintf("%s is a JSON %s, expected %s", f, typ.Value, jsonKind(typ.Type))
	case errors.As(err, &syn):
		return "malformed JSON"
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		return "truncated JSON"
	}
	return "undecodable JSON"
}

// decodeNamed decodes b into dst (a pointer to a type without a
// json.Unmarshaler of its own) after checking that the object has an id
// and a name, which every named Monarch object has.
func decodeNamed(b []byte, what string, dst any) error {
	var w struct {
		ID   *string `json:"id"`
		Name *string `json:"name"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require(what, "id", w.ID == nil, "name", w.Name == nil); err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

// jsonKind names the JSON kind a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "a number"
}

// validator is implemented by answer types with checks beyond required
// fields (e.g. a list that must have one element).
type validator interface{ validate() error }

// missingError names a required field the answer lacks (or has as null).
type missingError struct{ what, field string }

func (e *missingError) Error() string {
	return fmt.Sprintf("%s has no %s", e.what, e.field)
}

// require returns a *missingError for the first (name, missing) pair whose
// missing is true.
func require(what string, pairs ...any) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if missing, _ := pairs[i+1].(bool); missing {
			return &missingError{what: what, field: pairs[i].(string)}
		}
	}
	return nil
}

// payloadErrors is a mutation payload's errors: null, one object, or a list.
type payloadErrors []payloadError

type payloadError struct {
	Message     *string `json:"message"`
	Code        *string `json:"code"`
	FieldErrors []struct {
		Field    string   `json:"field"`
		Messages []string `json:"messages"`
	} `json:"fieldErrors"`
}

// UnmarshalJSON accepts null, an object or a list of objects.
func (p *payloadErrors) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*p = nil
		return nil
	case len(b) > 0 && b[0] == '[':
		var l []payloadError
		if err := json.Unmarshal(b, &l); err != nil {
			return err
		}
		*p = l
		return nil
	}
	var one payloadError
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*p = payloadErrors{one}
	return nil
}

// err returns a *GraphQLError if the payload reports a failure: a message or
// a field error. An object whose fields are all empty means success.
func (p payloadErrors) err(o operation) error {
	ge := &GraphQLError{Operation: o.name}
	for _, e := range p {
		inFields := false
		for _, fe := range e.FieldErrors {
			ge.Messages = append(ge.Messages, fe.Field+": "+strings.Join(fe.Messages, ", "))
			for _, m := range fe.Messages {
				inFields = inFields || e.Message != nil && m == *e.Message
			}
		}
		if e.Message != nil && *e.Message != "" && !inFields {
			ge.Messages = append(ge.Messages, *e.Message)
		}
		if e.Code != nil && *e.Code != "" {
			ge.Codes = append(ge.Codes, *e.Code)
		}
	}
	if len(ge.Messages) == 0 {
		return nil
	}
	return ge
}
