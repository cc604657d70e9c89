package tools

import (
	"errors"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// explainAPI words errors specific to the Monarch API client. The texts of
// monarch's errors are already user-facing and free of secrets; this adds
// what to do next.
func explainAPI(err error) (string, bool) {
	var gql *monarch.GraphQLError
	var httpErr *monarch.HTTPError
	switch {
	case errors.Is(err, monarch.ErrNotFound):
		return err.Error() + ". Check the id: list tools (get_accounts, get_transactions, get_transaction_categories) show valid ones.", true
	case errors.Is(err, monarch.ErrUnexpectedResponse):
		return err.Error() + ". Monarch may have changed its API; try again later, and report it if it persists.", true
	case errors.As(err, &gql):
		return "Monarch refused the request: " + err.Error() + ". Check the arguments.", true
	case errors.As(err, &httpErr):
		return "Monarch answered with an error: " + err.Error() + ". Try again in a moment.", true
	}
	return "", false
}
