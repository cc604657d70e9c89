package monarch

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

//go:embed queries/*.graphql
var queryFiles embed.FS

// operation is one GraphQL operation the client sends: the query file
// queries/<file>.graphql, which New reads and checks.
type operation struct {
	// file is the query file's base name: the operation name, then
	// optionally "." and a variant when one operation is sent with two
	// selections (Web_GetCashFlowPage.summary).
	file string
	// name is the operation name the file declares.
	name string
	// delivery is atMostOnce for operations that must not be re-sent once
	// they may have reached Monarch: a second copy could act twice.
	delivery delivery
}

// op is an operation that may be re-sent after an attempt that failed:
// reads, and writes that set a state, where two copies act as one.
func op(file string) operation {
	name, _, _ := strings.Cut(file, ".")
	return operation{file: file, name: name}
}

// opAtMostOnce is an operation that is never re-sent once it may have
// reached Monarch, such as a create.
func opAtMostOnce(file string) operation {
	o := op(file)
	o.delivery = atMostOnce
	return o
}

// The operations of this package, by the query files they send. Names and
// root fields are those of Monarch's web app.
var (
	opGetAccounts        = op("GetAccounts")
	opHoldings           = op("Web_GetHoldings")
	opAccountDetails     = op("AccountDetails_getAccount")
	opInstitutions       = op("Web_GetInstitutionSettings")
	opForceRefresh       = op("Common_ForceRefreshAccountsMutation")
	opRefreshStatus      = op("ForceRefreshAccountsQuery")
	opTransactions       = op("GetTransactionsList")
	opTransactionsPage   = op("GetTransactionsPage")
	opCreateTransaction  = opAtMostOnce("Common_CreateTransactionMutation")
	opUpdateTransaction  = op("Web_TransactionDrawerUpdateTransaction")
	opDeleteTransaction  = op("Common_DeleteTransactionMutation")
	opTransactionDrawer  = op("GetTransactionDrawer")
	opTransactionSplits  = op("TransactionSplitQuery")
	opSplitTransaction   = op("Common_SplitTransactionMutation")
	opSetTags            = op("Web_SetTransactionTags")
	opCreateTag          = opAtMostOnce("Common_CreateTransactionTag")
	opCategories         = op("GetCategories")
	opTags               = op("GetHouseholdTransactionTags")
	opCategoryGroups     = op("ManageGetCategoryGroups")
	opCreateCategory     = opAtMostOnce("Web_CreateCategory")
	opUpdateCategory     = op("Web_UpdateCategory")
	opBudgets            = op("Common_GetJointPlanningData")
	opSetBudget          = op("Common_UpdateBudgetItem")
	opCashflow           = op("Web_GetCashFlowPage")
	opCashflowSummary    = op("Web_GetCashFlowPage.summary")
	opRecurring          = op("Web_GetUpcomingRecurringTransactionItems")
	opRecurringStreams   = op("Common_GetRecurringStreams")
	opReviewStream       = op("Web_ReviewStream")
	opAggregateSnapshots = op("GetAggregateSnapshots")
	opSnapshotsByType    = op("GetSnapshotsByAccountType")
	opGetMerchant        = op("Common_GetEditMerchant")
	opMerchants          = op("Web_GetMerchantSettingsPage")
	opUpdateMerchant     = op("Common_UpdateMerchant")
	opRules              = op("GetTransactionRules")
	opCreateRule         = opAtMostOnce("Common_CreateTransactionRuleMutationV2")
	opUpdateRule         = op("Common_UpdateTransactionRuleMutationV2")
	opDeleteRule         = op("Common_DeleteTransactionRule")
	// Parsing an upload applies its balances.
	opParseBalanceUpload = opAtMostOnce("Web_ParseUploadBalanceHistorySession")
	opBalanceUploadState = op("Web_GetUploadBalanceHistorySession")
	opMe                 = op("Common_GetMe")
)

// declaration finds the operation a query file declares.
var declaration = regexp.MustCompile(`^\s*(?:query|mutation)\s+(\w+)`)

// loadQueries reads every embedded query file, keyed by base name, and
// checks that each declares the operation its name says, so that a file
// that would send the wrong operationName fails New rather than a call.
func loadQueries() (map[string]string, error) {
	files, err := fs.Glob(queryFiles, "queries/*.graphql")
	if err != nil {
		return nil, fmt.Errorf("monarch: list queries: %w", err)
	}
	m := make(map[string]string, len(files))
	for _, f := range files {
		b, err := queryFiles.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("monarch: read query: %w", err)
		}
		file := strings.TrimSuffix(strings.TrimPrefix(f, "queries/"), ".graphql")
		d := declaration.FindStringSubmatch(string(b))
		if d == nil || d[1] != op(file).name {
			return nil, fmt.Errorf("monarch: %s does not declare query or mutation %s", f, op(file).name)
		}
		m[file] = string(b)
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
		// A file missing from queries/: a bug (TestOperationFilesExist),
		// caught here rather than sent as an empty query.
		return fmt.Errorf("monarch %s: no query file %s", o.name, o.file)
	}
	body, err := json.Marshal(gqlRequest{OperationName: o.name, Query: query, Variables: vars})
	if err != nil {
		return fmt.Errorf("monarch %s: encode request: %w", o.name, err)
	}
	x, err := c.post(ctx, o.name, "/graphql", body, o.delivery, nil)
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
// set, adjusts them), retrying as the client's policy and d say, and reads
// the whole answer. The
// errors: no session yet (wrapping reauth.ErrUnauthorized), ctx's error,
// Monarch unreachable, or an answer that could not be read.
func (c *Client) post(ctx context.Context, name, path string, body []byte, d delivery, edit func(http.Header)) (exchange, error) {
	s, _, ok := c.auth.Current()
	if !ok || s == nil {
		return exchange{}, fmt.Errorf("monarch %s: no session yet (call through reauth.WithReauth or log in first): %w", name, reauth.ErrUnauthorized)
	}
	x := exchange{}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, c.base+path, body)
	if err != nil {
		return exchange{}, fmt.Errorf("monarch %s: %w", name, err)
	}
	c.setHeaders(req.Header, s.DeviceID, s)
	if edit != nil {
		edit(req.Header)
	}
	start := time.Now()
	x.resp, err = c.retrying(d, &x.attempts).Do(req)
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
		return fmt.Sprintf("%s is a JSON %s, expected %s", f, typ.Value, JSONKind(typ.Type))
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

// JSONKind names the JSON value a Go type decodes from, as an error
// message says it: "a string", "an integer", "true or false", "an array of
// strings", "an object". Both Monarch's answers and a tool's arguments are
// described with it.
func JSONKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		elem := JSONKind(t.Elem())
		elem = strings.TrimPrefix(strings.TrimPrefix(elem, "a "), "an ")
		return "an array of " + elem + "s"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return JSONKind(t.Elem())
	}
	return "a " + t.Kind().String()
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
