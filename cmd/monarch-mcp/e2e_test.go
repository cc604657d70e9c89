package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// binPath is the monarch-mcp binary built by TestMain.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "monarch-mcp-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "monarch-mcp")
	out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build monarch-mcp: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startSandbox starts a fake Monarch for one test, closed when it ends.
func startSandbox(t *testing.T) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	return sb
}

// demoEnv is a minimal environment for the binary against sb: the demo
// account's credentials, a session file in dir, debug logs, every toolset
// (tests that check the default choose it themselves). Nothing is
// inherited from the developer's environment.
func demoEnv(sb *sandbox.Sandbox, dir string, extra ...string) []string {
	return append([]string{
		"HOME=" + dir,
		"PATH=" + os.Getenv("PATH"),
		"MONARCH_API_URL=" + sb.URL(),
		"MONARCH_EMAIL=" + sandbox.DemoEmail,
		"MONARCH_PASSWORD=" + sandbox.DemoPassword,
		"MONARCH_MFA_SECRET=" + sandbox.DemoMFASecret,
		"MONARCH_SESSION_FILE=" + filepath.Join(dir, "session.json"),
		"MONARCH_LOG_LEVEL=debug",
		"MONARCH_TOOLSETS=all",
	}, extra...)
}

// startServer runs the binary as an MCP stdio server and initialises a
// client. stderr collects the child's logs.
func startServer(t *testing.T, env []string, dir string, args ...string) (*client.Client, *testenv.Logs) {
	t.Helper()
	stderr := &testenv.Logs{}
	c, err := client.NewStdioMCPClientWithOptions(binPath, env, args,
		transport.WithCommandStderrWriter(stderr),
		transport.WithCommandFunc(func(ctx context.Context, command string, env, args []string) (*exec.Cmd, error) {
			cmd := exec.CommandContext(ctx, command, args...)
			cmd.Env, cmd.Dir = env, dir
			return cmd, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	ir := mcp.InitializeRequest{}
	ir.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	ir.Params.ClientInfo = mcp.Implementation{Name: "e2e", Version: "1"}
	if _, err := c.Initialize(ctx, ir); err != nil {
		c.Close()
		t.Fatalf("initialize: %v\nstderr:\n%s", err, stderr)
	}
	return c, stderr
}

func call(ctx context.Context, c *client.Client, name string, args map[string]any) (*mcp.CallToolResult, error) {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	return c.CallTool(ctx, req)
}

func text(r *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// readToolArgs gives valid arguments for each read tool against the
// sandbox's demo data.
func readToolArgs(t *testing.T, ctx context.Context, c *client.Client) map[string]map[string]any {
	t.Helper()
	res, err := call(ctx, c, "get_accounts", nil)
	if err != nil || res.IsError {
		t.Fatalf("get_accounts: %v %s", err, text(res))
	}
	var accts struct {
		Accounts []struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal([]byte(text(res)), &accts); err != nil || len(accts.Accounts) == 0 {
		t.Fatalf("get_accounts result %s: %v", text(res), err)
	}
	acct, invest := accts.Accounts[0].ID, accts.Accounts[0].ID
	for _, a := range accts.Accounts {
		if strings.Contains(strings.ToLower(a.Type), "brokerage") || strings.Contains(strings.ToLower(a.Type), "invest") {
			invest = a.ID
		}
	}
	return map[string]map[string]any{
		"get_accounts":               {},
		"get_account_holdings":       {"account_id": invest},
		"get_account_history":        {"account_id": acct, "limit": 10},
		"get_transactions":           {"limit": 5},
		"get_transactions_summary":   {},
		"get_transaction_categories": {},
		"get_transaction_tags":       {},
		"get_budgets":                {},
		"get_cashflow":               {},
		"get_cashflow_summary":       {},
		"get_recurring_transactions": {},
		"get_institutions":           {},
		"check_auth_status":          {},
	}
}

func TestStdioEndToEnd(t *testing.T) {
	sb := startSandbox(t)
	dir := t.TempDir()
	startToken := sb.IssueToken()
	env := demoEnv(sb, dir, "MONARCH_TOKEN="+startToken)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	c, stderr := startServer(t, env, dir)
	var outMu sync.Mutex
	var outputs strings.Builder // every tool result, checked for secrets at the end
	record := func(r *mcp.CallToolResult) {
		if r != nil {
			outMu.Lock()
			outputs.WriteString(text(r))
			outMu.Unlock()
		}
	}
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, tool := range list.Tools {
		listed[tool.Name] = true
	}
	args := readToolArgs(t, ctx, c)
	for name, a := range args {
		if !listed[name] {
			t.Errorf("read tool %s not listed", name)
			continue
		}
		res, err := call(ctx, c, name, a)
		if err != nil || res.IsError {
			t.Errorf("%s: %v %s", name, err, text(res))
		}
		record(res)
	}
	if n := sb.Logins(); n != 0 {
		t.Errorf("%d logins while the starting token was valid, want 0", n)
	}

	// Expire every session; 20 concurrent calls must share one login.
	sb.ExpireSessions()
	var wg sync.WaitGroup
	names := make([]string, 0, len(args))
	for n := range args {
		names = append(names, n)
	}
	for i := range 20 {
		wg.Go(func() {
			name := names[i%len(names)]
			res, err := call(ctx, c, name, args[name])
			if err != nil || res.IsError {
				t.Errorf("after expiry, %s: %v %s", name, err, text(res))
			}
			record(res)
		})
	}
	wg.Wait()
	if n := sb.Logins(); n != 1 {
		t.Errorf("%d logins after expiry with 20 concurrent calls, want exactly 1", n)
	}
	if err := c.Close(); err != nil {
		t.Errorf("server did not exit cleanly on stdin EOF: %v", err)
	}
	logs := stderr.String()

	// Restart with the same session file: no new login.
	before, attempts := sb.Logins(), sb.LoginAttempts()
	c2, stderr2 := startServer(t, demoEnv(sb, dir), dir)
	if res, err := call(ctx, c2, "get_accounts", nil); err != nil || res.IsError {
		t.Errorf("after restart: %v %s", err, text(res))
	}
	if err := c2.Close(); err != nil {
		t.Errorf("second server exit: %v", err)
	}
	if sb.Logins() != before || sb.LoginAttempts() != attempts {
		t.Errorf("restart logged in again (logins %d→%d, attempts %d→%d)", before, sb.Logins(), attempts, sb.LoginAttempts())
	}
	logs += stderr2.String()

	// Secrets never reach the logs, even at debug level, nor tool output.
	logs += outputs.String()
	secrets := []string{sandbox.DemoPassword, sandbox.DemoMFASecret, startToken}
	secrets = append(secrets, sessionSecrets(t, filepath.Join(dir, "session.json"))...)
	secrets = append(secrets, recentCodes(t)...)
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("stderr contains a secret (%d chars)", len(s))
		}
	}
	if !strings.Contains(logs, "login") {
		t.Errorf("debug logs do not mention the login:\n%s", logs)
	}
}

// sessionSecrets returns the token and cookie values in a session file.
func sessionSecrets(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("session file: %v", err)
	}
	var f struct {
		Session struct {
			Token   string `json:"token"`
			Cookies []struct {
				Value string `json:"value"`
			} `json:"cookies"`
		} `json:"session"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	out := []string{f.Session.Token}
	for _, c := range f.Session.Cookies {
		if len(c.Value) >= 8 {
			out = append(out, c.Value)
		}
	}
	return out
}

// recentCodes returns the demo account's TOTP codes around now, as they
// would appear in a log line (with a delimiter, to avoid matching digits
// inside timestamps).
func recentCodes(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, d := range []time.Duration{-2 * time.Minute, -time.Minute, -30 * time.Second, 0} {
		tp, err := reauth.NewTOTP(sandbox.DemoMFASecret)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().Add(d)
		tp.Now = func() time.Time { return now }
		code, _, err := tp.Peek()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, "="+code, `"`+code+`"`)
	}
	return out
}

func TestStdioBadPassword(t *testing.T) {
	sb := startSandbox(t)
	dir := t.TempDir()
	env := demoEnv(sb, dir)
	for i, kv := range env {
		if strings.HasPrefix(kv, "MONARCH_PASSWORD=") {
			env[i] = "MONARCH_PASSWORD=wrong-password"
		}
	}
	c, stderr := startServer(t, env, dir)
	defer c.Close()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			res, err := call(ctx, c, "get_accounts", nil)
			if err != nil {
				t.Errorf("protocol error %v; want an isError result", err)
				return
			}
			if !res.IsError || !strings.Contains(strings.ToLower(text(res)), "sign") || !strings.Contains(text(res), "login-setup") {
				t.Errorf("got %q, want a sign-in error naming login-setup", text(res))
			}
		})
	}
	wg.Wait()
	if n := sb.LoginAttempts(); n != 1 {
		t.Errorf("%d login attempts for 10 calls with a wrong password, want 1 (no login storm)", n)
	}
	if strings.Contains(stderr.String(), "wrong-password") {
		t.Error("stderr contains the password")
	}
}

// TestStdoutOnlyJSONRPC drives the binary by hand and checks that every
// line on stdout is a JSON-RPC message, and that stdin EOF exits 0.
func TestStdoutOnlyJSONRPC(t *testing.T) {
	sb := startSandbox(t)
	dir := t.TempDir()
	cmd := exec.CommandContext(t.Context(), binPath)
	cmd.Env, cmd.Dir = demoEnv(sb, dir), dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Stdin = strings.NewReader(strings.Join([]string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"sh","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_transaction_tags","arguments":{}}}`,
	}, "\n") + "\n")
	if err := cmd.Run(); err != nil {
		t.Fatalf("exit: %v\nstderr:\n%s", err, stderr.String())
	}
	ids := map[float64]bool{}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var msg struct {
			JSONRPC string  `json:"jsonrpc"`
			ID      float64 `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &msg); err != nil || msg.JSONRPC != "2.0" {
			t.Errorf("stdout line is not JSON-RPC: %q", sc.Text())
		}
		ids[msg.ID] = true
	}
	// The tool call may be cut short by EOF; initialize and list must answer.
	if !ids[1] || !ids[2] {
		t.Errorf("answers for ids %v, want 1 and 2\nstderr:\n%s", ids, stderr.String())
	}
}

// TestSignalExit checks that SIGTERM stops the server cleanly.
func TestSignalExit(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(binPath, "--demo")
	cmd.Env, cmd.Dir = []string{"HOME=" + dir}, dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until it answers, so the signal handler is surely installed.
	io.WriteString(stdin, `{"jsonrpc":"2.0","id":1,"method":"ping"}`+"\n")
	if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("no exit within 10s of SIGTERM")
	}
}
