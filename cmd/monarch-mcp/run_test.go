package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
)

// runCLI runs the program in-process with a clean environment, no .env and
// no keychain (env may turn it back on).
func runCLI(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env = append([]string{"MONARCH_SESSION_FILE=" + filepath.Join(t.TempDir(), "s.json"), "MONARCH_KEYCHAIN=false"}, env...)
	args = append([]string{"--env-file="}, args...)
	code := run(t.Context(), args, env, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestHelpListsEveryFlagAndVariable(t *testing.T) {
	code, out, _ := runCLI(t, nil, "--help")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"-demo", "-read-only", "-env-file", "-http", "-version", "tools", "call"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
	for _, v := range config.Variables() {
		if !strings.Contains(out, v.Name) {
			t.Errorf("--help lacks %s", v.Name)
		}
	}
}

func TestHelpSaysWhereCredentialsComeFrom(t *testing.T) {
	_, out, _ := runCLI(t, []string{"MONARCH_EMAIL=me@example.com", "MONARCH_PASSWORD=hunter2hunter2"}, "--help")
	if !strings.Contains(out, "Credentials now: read from the environment") || strings.Contains(out, "hunter2") {
		t.Errorf("--help does not say the credentials come from the environment (or shows a value):\n%s", out)
	}
	_, out, _ = runCLI(t, nil, "--help")
	if !strings.Contains(out, "Credentials now: none set") {
		t.Errorf("--help does not say no credentials are set:\n%s", out)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, nil, "--version")
	if code != exitOK || !strings.HasPrefix(out, "monarch-mcp ") || !strings.Contains(out, "commit") {
		t.Errorf("exit %d, %q", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"bad config names the variable", []string{"MONARCH_LOG_LEVEL=loud"}, []string{"tools"}, "MONARCH_LOG_LEVEL"},
		{"bad MFA secret", []string{"MONARCH_MFA_SECRET=123456"}, nil, "MONARCH_MFA_SECRET"},
		{"unknown command", nil, []string{"serv"}, `unknown command "serv"`},
		{"unknown flag", nil, []string{"--nope"}, "flag provided but not defined"},
		{"call without tool", nil, []string{"--demo", "call"}, "call needs a tool name"},
		{"http beyond loopback without token", nil, []string{"--demo", "--http", "0.0.0.0:0"}, "MONARCH_MCP_HTTP_TOKEN"},
		{"http bad address", nil, []string{"--demo", "--http", "127.0.0.1"}, "--http"},
		{"http with call", nil, []string{"--demo", "--http", "127.0.0.1:0", "call", "get_accounts"}, "does not apply to call"},
		{"unknown tool", nil, []string{"--demo", "call", "get_nothing"}, `no tool "get_nothing"`},
		{"bad key=value", nil, []string{"--demo", "call", "get_transactions", "limit"}, "must be key=value"},
		{"bad integer", nil, []string{"--demo", "call", "get_transactions", "limit=ten"}, `"ten" is not an integer`},
		{"bad cookies", []string{"MONARCH_COOKIES=foo=bar"}, []string{"tools"}, "MONARCH_COOKIES"},
		{"unknown toolset in the variable", []string{"MONARCH_TOOLSETS=accounts,budget"}, []string{"--demo", "tools"}, `MONARCH_TOOLSETS: unknown toolset "budget"`},
		{"unknown toolset in the flag", nil, []string{"--demo", "--toolsets", "nope", "tools"}, `--toolsets: unknown toolset "nope"`},
		{"tool outside the toolsets", nil, []string{"--demo", "call", "get_goals"}, "goals toolset, which is not enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.env, tt.args...)
			if code != exitBadUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

func TestDemoCall(t *testing.T) {
	code, out, stderr := runCLI(t, nil, "--demo", "call", "get_accounts")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var res struct {
		Accounts []map[string]any `json:"accounts"`
		Count    int              `json:"count"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Count == 0 || len(res.Accounts) != res.Count {
		t.Errorf("stdout %q (%v)", out, err)
	}

	// A JSON argument and a tool error (exit 1, message on stderr).
	code, out, stderr = runCLI(t, nil, "--demo", "call", "get_transactions", `{"limit": 2, "start_date": "2026-02-01", "end_date": "2026-01-01"}`)
	if code != exitFailure || out != "" || !strings.Contains(stderr, "end_date (2026-01-01) is before start_date") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

func TestDemoToolsList(t *testing.T) {
	code, out, stderr := runCLI(t, nil, "--demo", "tools")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, name := range []string{"get_accounts", "check_auth_status", "delete_transaction"} {
		if !strings.Contains(out, name) {
			t.Errorf("tools output lacks %s:\n%s", name, out)
		}
	}
	_, out, _ = runCLI(t, []string{"MONARCH_READ_ONLY=true"}, "--demo", "tools")
	if strings.Contains(out, "delete_transaction") || !strings.Contains(out, "get_accounts") {
		t.Errorf("read-only tools output:\n%s", out)
	}
	_, out, _ = runCLI(t, nil, "--demo", "tools", "--read-only")
	if strings.Contains(out, "create_transaction") {
		t.Errorf("--read-only after the command was ignored:\n%s", out)
	}
}

func TestParseCallArgs(t *testing.T) {
	tool := mcp.NewTool("t",
		mcp.WithString("s"), mcp.WithInteger("n"), mcp.WithNumber("x"), mcp.WithBoolean("b"),
		mcp.WithArray("ids", mcp.WithStringItems()), mcp.WithArray("nums", mcp.WithIntegerItems()))
	tests := []struct {
		argv    []string
		want    string // JSON of the result
		wantErr string
	}{
		{[]string{"s=a=b", "n=5", "x=-1.5", "b=true", "ids=a, b", "nums=1,2"}, `{"b":true,"ids":["a","b"],"n":5,"nums":[1,2],"s":"a=b","x":-1.5}`, ""},
		{[]string{"ids="}, `{"ids":[]}`, ""},
		{[]string{"other=7"}, `{"other":"7"}`, ""},
		{[]string{`{"n": 3, "ids": ["x"]}`}, `{"ids":["x"],"n":3}`, ""},
		{[]string{`{"n": `}, "", "not a valid object"},
		{[]string{"b=maybe"}, "", "not true or false"},
		{[]string{"=x"}, "", "must be key=value"},
	}
	for _, tt := range tests {
		got, err := parseCallArgs(tool, tt.argv)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: err %v, want %q", tt.argv, err, tt.wantErr)
			}
			continue
		}
		b, _ := json.Marshal(got)
		if err != nil || string(b) != tt.want {
			t.Errorf("%v: got %s, %v; want %s", tt.argv, b, err, tt.want)
		}
	}
}

func TestServeStdioEOF(t *testing.T) {
	var stdout, stderr bytes.Buffer
	in := strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}` + "\n")
	code := run(context.Background(), []string{"--env-file=", "--demo"}, nil, in, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"id":1`) {
		t.Errorf("stdout %q", stdout.String())
	}
}

// The toolsets chosen decide what is served; the flag wins over the
// variable, read-only still removes writes, and all serves everything.
func TestToolsetsChoice(t *testing.T) {
	tests := []struct {
		name      string
		env       []string
		args      []string
		want, not []string
	}{
		{"default", nil, nil, []string{"get_accounts", "get_budgets", "check_auth_status"}, []string{"get_goals", "create_transaction_rule"}},
		{"variable", []string{"MONARCH_TOOLSETS=goals"}, nil, []string{"get_goals", "check_auth_status"}, []string{"get_accounts"}},
		{"flag wins", []string{"MONARCH_TOOLSETS=goals"}, []string{"--toolsets", "rules"}, []string{"create_transaction_rule"}, []string{"get_goals"}},
		{"read-only", []string{"MONARCH_TOOLSETS=goals", "MONARCH_READ_ONLY=true"}, nil, []string{"get_goals"}, []string{"create_goal", "delete_goal"}},
		{"all", []string{"MONARCH_TOOLSETS=all"}, nil, []string{"get_goals", "get_investments", "delete_account", "get_accounts"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, tt.env, append(append([]string{"--demo"}, tt.args...), "tools")...)
			if code != exitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			served := out[:strings.Index(out, "\nToolsets")]
			for _, name := range tt.want {
				if !strings.Contains(served, " "+name+" ") {
					t.Errorf("%s not served:\n%s", name, out)
				}
			}
			for _, name := range tt.not {
				if strings.Contains(served, " "+name+" ") {
					t.Errorf("%s served:\n%s", name, out)
				}
			}
		})
	}
}
