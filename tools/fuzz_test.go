package tools

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// FuzzToolArguments calls every tool with arbitrary JSON arguments against
// the sandbox: each call returns a result (data or a clear error), never a
// Go error or a panic.
func FuzzToolArguments(f *testing.F) {
	// A fixed clock (testenv's) for the sandbox and the client, so a
	// failing input fails again on any other day.
	env := testenv.New(f, testenv.Options{Config: monarch.Config{Logger: slog.New(slog.DiscardHandler)}})
	// A starting session: the fuzzer never logs in.
	env.Client.Auth().Set(monarch.TokenSession(env.Sandbox.IssueToken()))
	all := All(env.Client, Status{}, nil)
	seeds := []string{`{}`, `null`, `[]`, `"x"`, `7`, `{"limit":-1}`, `{"limit":"ten"}`, `{"limit":1e309}`, `{"offset":-5}`,
		`{"start_date":"2026-13-01"}`, `{"start_date":"2026-02-01","end_date":"2026-01-01"}`, `{"account_id":5}`,
		`{"account_id":""}`, `{"transaction_id":"nope"}`, `{"account_ids":[1,null]}`, `{"amount":"NaN"}`,
		`{"month":"2026-1"}`, `{"unknown":true}`, `{"dry_run":"yes"}`, `{"category_id":null}`,
		`{"offset":9007199254740992}`, `{"days":100000}`, `{"start_month":"2000-01"}`, `{"limit":2147483648}`}
	for i := range all {
		for _, s := range seeds {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, idx uint8, raw string) {
		tool := all[int(idx)%len(all)]
		var args any
		if json.Unmarshal([]byte(raw), &args) != nil {
			args = raw // not JSON: passed on as a string
		}
		req := mcp.CallToolRequest{}
		req.Params.Name = tool.Name()
		req.Params.Arguments = args
		res, err := tool.handler(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: Go error %v", tool.Name(), err)
		}
		if res == nil || len(res.Content) == 0 {
			t.Fatalf("%s: empty result", tool.Name())
		}
		if res.IsError && resultText(res) == "" {
			t.Fatalf("%s: error without a message", tool.Name())
		}
	})
}
