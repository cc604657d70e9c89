package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// fakeAPI is a tiny API with one valid session at a time.
type fakeAPI struct {
	valid    atomic.Int64
	logins   atomic.Int64
	loginErr atomic.Pointer[error]
}

func (f *fakeAPI) login(context.Context, *monarch.Session) (*monarch.Session, error) {
	if p := f.loginErr.Load(); p != nil {
		return nil, *p
	}
	f.logins.Add(1)
	return monarch.TokenSession(strconv.FormatInt(f.valid.Add(1), 10)), nil
}

// accepts reports whether s is the one valid session.
func (f *fakeAPI) accepts(s *monarch.Session) bool {
	return s != nil && s.Token == strconv.FormatInt(f.valid.Load(), 10)
}

type echoArgs struct {
	Text  string   `json:"text"`
	Limit *int     `json:"limit,omitempty"`
	IDs   []string `json:"ids,omitempty"`
}

func (a *echoArgs) validate() error {
	if a.Text == "bad" {
		return argErrorf("text", "must not be bad")
	}
	_, err := parsePaging(a.Limit, 0)
	return err
}

type echoResult struct {
	Text string `json:"text"`
	list
}

func newFakeTools(t *testing.T) (*fakeAPI, *reauth.Manager[*monarch.Session], []Tool) {
	t.Helper()
	api := &fakeAPI{}
	m, err := reauth.NewManager(reauth.Config[*monarch.Session]{Login: api.login})
	if err != nil {
		t.Fatal(err)
	}
	d := &deps{auth: m, logger: slog.New(slog.DiscardHandler)}
	echo := func(ctx context.Context, a echoArgs) (echoResult, error) {
		if s, _, _ := m.Current(); !api.accepts(s) {
			return echoResult{}, fmt.Errorf("graphql: %w", reauth.ErrUnauthorized)
		}
		return echoResult{Text: a.Text, list: fullList(1)}, nil
	}
	params := []mcp.ToolOption{mcp.WithString("text", mcp.Required()), mcp.WithInteger("limit"), idsParam("ids", "ids")}
	return api, m, []Tool{
		define(d, spec{name: "echo", title: "Echo", description: "echo", kind: Read, params: params}, echo),
		define(d, spec{name: "write_echo", title: "Write", description: "w", kind: Write, idempotent: true, params: params}, echo),
		define(d, spec{name: "delete_echo", title: "Delete", description: "d", kind: Destructive, params: params}, echo),
	}
}

func connect(t testing.TB, tools []Tool, opts Options) *client.Client {
	t.Helper()
	opts.ValidateOutput = true
	c, err := client.NewInProcessClient(NewServer(tools, opts))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := t.Context()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ir := mcp.InitializeRequest{}
	ir.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	ir.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	if _, err := c.Initialize(ctx, ir); err != nil {
		t.Fatal(err)
	}
	return c
}

func callTool(t *testing.T, c *client.Client, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.CallTool(t.Context(), req)
	if err != nil {
		t.Fatalf("CallTool(%s): protocol error %v (tool errors must be isError results)", name, err)
	}
	return res
}

func textOf(res *mcp.CallToolResult) string { return resultText(res) }

func TestRegistryArguments(t *testing.T) {
	_, _, tools := newFakeTools(t)
	c := connect(t, tools, Options{})
	tests := []struct {
		name    string
		args    map[string]any
		wantErr string // "" = success
	}{
		{"ok", map[string]any{"text": "hi"}, ""},
		{"unknown parameter", map[string]any{"text": "hi", "lmit": 5}, `unknown parameter "lmit"; this tool takes: ids, limit, text`},
		{"wrong type", map[string]any{"text": 5}, "text must be a string (got number)"},
		{"wrong item type", map[string]any{"text": "x", "ids": []any{1}}, "ids must be an array of strings (got number)"},
		{"missing required", map[string]any{"limit": 3}, "text is required"},
		{"fractional integer", map[string]any{"text": "x", "limit": 2.5}, "limit must be an integer"},
		{"validate", map[string]any{"text": "bad"}, "text must not be bad"},
		{"limit range", map[string]any{"text": "x", "limit": 5000}, "limit must be between 1 and 1000 (got 5000)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := callTool(t, c, "echo", tt.args)
			if tt.wantErr == "" {
				if res.IsError {
					t.Fatalf("unexpected error: %s", textOf(res))
				}
				var got echoResult
				if err := json.Unmarshal([]byte(textOf(res)), &got); err != nil || got.Text != "hi" || got.Count != 1 {
					t.Errorf("result %s (%v)", textOf(res), err)
				}
				if res.StructuredContent == nil {
					t.Error("no structuredContent")
				}
				return
			}
			if !res.IsError || !strings.Contains(textOf(res), tt.wantErr) || !strings.HasPrefix(textOf(res), "Invalid arguments: ") {
				t.Errorf("got isError=%v %q, want error containing %q", res.IsError, textOf(res), tt.wantErr)
			}
		})
	}
}

func TestRegistryAnnotations(t *testing.T) {
	_, _, tools := newFakeTools(t)
	c := connect(t, tools, Options{})
	list, err := c.ListTools(t.Context(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][4]bool{ // readOnly, destructive, idempotent, openWorld
		"echo":        {true, false, true, true},
		"write_echo":  {false, false, true, true},
		"delete_echo": {false, true, false, true},
	}
	for _, tool := range list.Tools {
		a := tool.Annotations
		if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
			t.Errorf("%s: hint left unset: %+v", tool.Name, a)
			continue
		}
		got := [4]bool{*a.ReadOnlyHint, *a.DestructiveHint, *a.IdempotentHint, *a.OpenWorldHint}
		if got != want[tool.Name] {
			t.Errorf("%s: hints %v, want %v", tool.Name, got, want[tool.Name])
		}
		if tool.OutputSchema.Type != "object" {
			t.Errorf("%s: no output schema", tool.Name)
		}
	}
	ro := connect(t, tools, Options{ReadOnly: true})
	list, err = ro.ListTools(t.Context(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) != 1 || list.Tools[0].Name != "echo" {
		t.Errorf("read-only tools = %v, want only echo", list.Tools)
	}
}

func TestRegistryReauth(t *testing.T) {
	api, m, tools := newFakeTools(t)
	c := connect(t, tools, Options{})
	for _, tool := range tools {
		before := api.logins.Load()
		api.valid.Add(1) // the server forgets every session
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				if res := callTool(t, c, tool.Name(), map[string]any{"text": "hi"}); res.IsError {
					t.Errorf("%s: %s", tool.Name(), textOf(res))
				}
			})
		}
		wg.Wait()
		if got := api.logins.Load() - before; got != 1 {
			t.Errorf("%s: %d logins after expiry, want 1", tool.Name(), got)
		}
	}

	// A refused login is an isError result naming the fix, and the
	// cooldown stops further logins.
	refused := fmt.Errorf("wrong password: %w", reauth.ErrBadCredentials)
	api.loginErr.Store(&refused)
	api.valid.Add(1)
	for range 3 {
		res := callTool(t, c, "echo", map[string]any{"text": "hi"})
		if !res.IsError || !strings.Contains(textOf(res), "login-setup") || !strings.Contains(textOf(res), "wrong password") {
			t.Errorf("got %q, want a sign-in error naming login-setup", textOf(res))
		}
	}
	if st := m.Stats(); st.LoginFailures != 1 || st.CooldownUntil.IsZero() {
		t.Errorf("stats %+v, want one failure and a cooldown", st)
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&ArgError{Param: "limit", Msg: "must be 1"}, "Invalid arguments: limit must be 1. Fix"},
		{&reauth.CooldownError{Err: fmt.Errorf("bad code: %w", reauth.ErrBadCredentials)}, "Sign-in attempts are paused"},
		{fmt.Errorf("x: %w", &reauth.RateLimitError{}), "rate limiting"},
		{fmt.Errorf("renew: %w", reauth.ErrUnauthorized), "check_auth_status"},
		{context.DeadlineExceeded, "did not answer in time"},
		{errors.New("boom"), "Monarch request failed: boom."},
	}
	for _, tt := range tests {
		if got := explain(tt.err); !strings.Contains(got, tt.want) {
			t.Errorf("explain(%v) = %q, want it to contain %q", tt.err, got, tt.want)
		}
	}
}
