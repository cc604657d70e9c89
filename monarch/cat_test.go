package monarch_test

import (
	"context"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
)

// Tests of the category, budget, net worth, merchant and recurring-stream
// methods (issue 8, part B) against the sandbox.

func newCatEnv(t *testing.T) (*testenv.Env, context.Context, household) {
	t.Helper()
	e := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	e.Login(t)
	return e, ctx, learn(t, ctx, e.Client)
}

func TestGetCategoryGroups(t *testing.T) {
	e, ctx, _ := newCatEnv(t)
	gs, err := e.Client.GetCategoryGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 10 || gs[0].ID == "" || gs[0].Name == "" || gs[0].Type == "" {
		t.Fatalf("groups %+v", gs)
	}
}
