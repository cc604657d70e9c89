package monarch_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// TestAnswerShapes feeds hand-written answers to the client: unknown shapes
// must fail with ErrUnexpectedResponse, never decode to zero values.
func TestAnswerShapes(t *testing.T) {
	type call func(context.Context, *monarch.Client) error
	accounts := func(ctx context.Context, c *monarch.Client) error { _, err := c.GetAccounts(ctx); return err }
	txns := func(ctx context.Context, c *monarch.Client) error {
		_, err := c.GetTransactions(ctx, monarch.TransactionQuery{})
		return err
	}
	summary := func(ctx context.Context, c *monarch.Client) error {
		_, err := c.GetTransactionsSummary(ctx)
		return err
	}
	del := func(ctx context.Context, c *monarch.Client) error { return c.DeleteTransaction(ctx, "1") }
	tests := []struct {
		name   string
		status int
		body   string
		call   call
		check  func(error) bool
	}{
		{"accounts ok", 200, `{"data":{"accounts":[{"id":"1","displayName":"A","isAsset":true,"displayBalance":null}]}}`, accounts,
			func(err error) bool { return err == nil }},
		{"accounts missing", 200, `{"data":{}}`, accounts, unexpected("no accounts list")},
		{"accounts null", 200, `{"data":{"accounts":null}}`, accounts, unexpected("no accounts list")},
		{"account without id", 200, `{"data":{"accounts":[{"displayName":"A","isAsset":true}]}}`, accounts, unexpected("an account has no id")},
		{"account id of wrong type", 200, `{"data":{"accounts":[{"id":5,"displayName":"A","isAsset":true}]}}`, accounts, unexpected("accounts.id is a JSON number, expected a string")},
		{"data null", 200, `{"data":null}`, accounts, unexpected("no data")},
		{"not JSON", 200, `<html>`, accounts, unexpected("not valid JSON")},
		{"transaction without amount", 200, `{"data":{"allTransactions":{"totalCount":1,"results":[{"id":"1","date":"2026-01-01"}]}}}`, txns,
			unexpected("a transaction has no amount")},
		{"transactions without totalCount", 200, `{"data":{"allTransactions":{"results":[]}}}`, txns, unexpected("totalCount")},
		{"summary not a list", 200, `{"data":{"aggregates":{"summary":{"count":1}}}}`, summary, unexpected("")},
		{"summary empty list", 200, `{"data":{"aggregates":[]}}`, summary, unexpected("aggregates[0].summary")},
		{"delete without deleted", 200, `{"data":{"deleteTransaction":{"errors":null}}}`, del, unexpected("no deleted flag")},
		{"delete with empty errors object succeeds", 200, `{"data":{"deleteTransaction":{"deleted":true,"errors":{"message":null,"code":null,"fieldErrors":[]}}}}`, del,
			func(err error) bool { return err == nil }},
		{"delete with errors list", 200, `{"data":{"deleteTransaction":{"deleted":false,"errors":[{"message":"Nope","fieldErrors":[]}]}}}`, del,
			func(err error) bool {
				var ge *monarch.GraphQLError
				return errors.As(err, &ge) && strings.Contains(err.Error(), "Nope")
			}},
		{"GraphQL error", 200, `{"data":null,"errors":[{"message":"Something bad","extensions":{"code":"BAD_USER_INPUT"}}]}`, accounts,
			func(err error) bool {
				var ge *monarch.GraphQLError
				return errors.As(err, &ge) && ge.Messages[0] == "Something bad" && !errors.Is(err, reauth.ErrUnauthorized)
			}},
		{"GraphQL unauthenticated by message", 200, `{"errors":[{"message":"User is not authenticated"}]}`, accounts,
			func(err error) bool { return errors.Is(err, reauth.ErrUnauthorized) }},
		{"HTTP 400 with GraphQL errors", 400, `{"errors":[{"message":"Unknown operation"}]}`, accounts,
			func(err error) bool { var ge *monarch.GraphQLError; return errors.As(err, &ge) }},
		{"403 update the app is not an auth error", 403, `{"detail":"Please update to the latest version of the app."}`, accounts,
			func(err error) bool {
				return !errors.Is(err, reauth.ErrUnauthorized) && strings.Contains(err.Error(), "MONARCH_CLIENT_VERSION")
			}},
		{"403 CSRF is an auth error", 403, `{"detail":"CSRF Failed: Origin checking failed."}`, accounts,
			func(err error) bool { return errors.Is(err, reauth.ErrUnauthorized) }},
		{"401 HTML", 401, `<html>`, accounts, func(err error) bool { return errors.Is(err, reauth.ErrUnauthorized) }},
		{"404", 404, `{"detail":"Not found."}`, accounts,
			func(err error) bool { var he *monarch.HTTPError; return errors.As(err, &he) && he.StatusCode == 404 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c, err := monarch.New(monarch.Config{BaseURL: srv.URL, RetryMax: -1})
			if err != nil {
				t.Fatal(err)
			}
			c.Auth().Set(monarch.TokenSession("t"))
			err = tt.call(context.Background(), c)
			t.Log(err)
			if !tt.check(err) {
				t.Fatalf("unexpected result: %v", err)
			}
		})
	}
}

func unexpected(sub string) func(error) bool {
	return func(err error) bool {
		return errors.Is(err, monarch.ErrUnexpectedResponse) && strings.Contains(err.Error(), "Monarch changed its response") &&
			strings.Contains(err.Error(), sub)
	}
}

func TestJSONKind(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{"", "a string"}, {0, "an integer"}, {int64(0), "an integer"}, {0.5, "a number"}, {true, "true or false"},
		{[]string{}, "an array of strings"}, {[]*float64{}, "an array of numbers"}, {[]struct{}{}, "an array of objects"},
		{map[string]any{}, "an object"}, {struct{}{}, "an object"}, {new(bool), "true or false"},
	}
	for _, tt := range tests {
		if got := monarch.JSONKind(reflect.TypeOf(tt.v)); got != tt.want {
			t.Errorf("%T: %q, want %q", tt.v, got, tt.want)
		}
	}
}
