package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// Two servers on one session file (as Claude Desktop and Claude Code are),
// every session dead at once, ten calls in each at the same moment: no call
// fails, one login serves both, no pause on sign-in starts, and both still
// work afterwards. The sandbox refuses a replayed code, as Monarch does.
func TestTwoProcessesShareOneLogin(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	dir := t.TempDir()
	// Both start from a pasted session so that the one login the test
	// expects is the renewal after the expiry.
	env := demoEnv(sb, dir, "MONARCH_TOKEN="+sb.IssueToken())
	a, aLogs := startServer(t, env, dir)
	defer a.Close()
	b, bLogs := startServer(t, env, dir)
	defer b.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	sb.ExpireSessions()
	var wg sync.WaitGroup
	for _, c := range []*client.Client{a, b} {
		for range 10 {
			wg.Go(func() {
				res, err := call(ctx, c, "get_transaction_tags", nil)
				if err != nil || res.IsError {
					t.Errorf("call failed: %v %s", err, textOf(res))
				}
			})
		}
	}
	wg.Wait()
	if n := sb.Logins(); n < 1 || n > 2 {
		t.Errorf("%d logins for two processes, want 1 (at most 2)", n)
	}
	if refused := sb.LoginAttempts() - sb.Logins(); refused != 0 {
		t.Errorf("%d login attempts refused", refused)
	}
	for name, c := range map[string]*client.Client{"a": a, "b": b} {
		res, err := call(ctx, c, "check_auth_status", nil)
		if err != nil || res.IsError {
			t.Fatalf("%s: check_auth_status: %v %s", name, err, textOf(res))
		}
		var st struct {
			OK            bool   `json:"ok"`
			CooldownUntil string `json:"cooldown_until"`
		}
		if err := json.Unmarshal([]byte(text(res)), &st); err != nil || !st.OK || st.CooldownUntil != "" {
			t.Errorf("%s: status %s (%v)", name, text(res), err)
		}
	}
	if t.Failed() {
		t.Logf("a:\n%s\nb:\n%s", aLogs, bLogs)
	}
	if !strings.Contains(aLogs.String()+bLogs.String(), "using session saved by another process") {
		t.Errorf("neither process adopted the other's session:\na:\n%s\nb:\n%s", aLogs, bLogs)
	}
}

// One-shot commands back to back, as a script runs them: sign in, log
// out, sign in again in a new process, within one TOTP step. The second
// sign-in must not resend the first one's code.
func TestCallLogoutThenCallInNewProcesses(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	dir := t.TempDir()
	run := caller(t, demoEnv(sb, dir), dir)
	run("get_transaction_tags")
	run("logout")
	out := run("get_transaction_tags")
	if sb.Logins() != 2 || sb.LoginAttempts() != 2 {
		t.Errorf("logins %d of %d attempts, want 2 of 2:\n%s", sb.Logins(), sb.LoginAttempts(), out)
	}
}

// caller returns a function that runs `monarch-mcp call ARGS…` as its own
// process in dir with env, failing the test if it fails, and returns its
// standard output.
func caller(t *testing.T, env []string, dir string) func(args ...string) string {
	return func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), binPath, append([]string{"call"}, args...)...)
		cmd.Env, cmd.Dir = env, dir
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("monarch-mcp call %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
		}
		return string(out)
	}
}

// textOf is text for a result that may be missing (the call failed).
func textOf(r *mcp.CallToolResult) string {
	if r == nil {
		return ""
	}
	return text(r)
}

// A damaged session file is logged and replaced by the next sign-in; it
// never stops the program.
func TestDamagedSessionFileIsNotFatal(t *testing.T) {
	t.Parallel()
	for _, content := range []string{`{"version":1}`, `{"version":1,"session":null}`, `{"version":1,"session":{"token":7}}`, `{"version":1,`} {
		t.Run(content, func(t *testing.T) {
			sb := startSandbox(t)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "session.json"), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.CommandContext(t.Context(), binPath, "call", "get_transaction_tags")
			cmd.Env, cmd.Dir = demoEnv(sb, dir), dir
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "ignoring stored session") {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
}

// An unreachable Monarch is reported as such, once, and without waiting for
// fresh authenticator codes between attempts: a refused connection never
// reached Monarch, so its code is not spent.
func TestUnreachableMonarch(t *testing.T) {
	t.Parallel()
	sb, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dead := sb.URL()
	sb.Close() // nothing listens there now
	dir := t.TempDir()
	env := append(demoEnv(sb, dir), "MONARCH_API_URL="+dead)
	cmd := exec.CommandContext(t.Context(), binPath, "call", "check_auth_status")
	cmd.Env, cmd.Dir = env, dir
	var stdout strings.Builder
	cmd.Stdout = &stdout
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Run(); err == nil {
		t.Fatalf("exit 0 with Monarch unreachable:\n%s", stdout.String())
	}
	// The message is the first line that is not a log line.
	var first string
	for _, line := range strings.Split(stdout.String()+stderr.String(), "\n") {
		if line != "" && !strings.HasPrefix(line, "time=") {
			first = line
			break
		}
	}
	if n := strings.Count(strings.ToLower(first), "could not reach monarch"); n != 1 {
		t.Errorf("%q says it could not reach Monarch %d times, want once", first, n)
	}
	if strings.Contains(stderr.String(), "fresh authenticator code") {
		t.Errorf("waited for a fresh code between attempts that never reached Monarch:\n%s", stderr)
	}
}

// TestUndoAcrossProcesses: a change made by one `call` process is listed
// and undone by later ones, through the journal beside the session file.
func TestUndoAcrossProcesses(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	dir := t.TempDir()
	run := caller(t, demoEnv(sb, dir), dir)
	var page struct {
		Transactions []struct {
			ID    string `json:"id"`
			Notes string `json:"notes"`
		} `json:"transactions"`
	}
	if err := json.Unmarshal([]byte(run("get_transactions", "limit=1")), &page); err != nil || len(page.Transactions) != 1 {
		t.Fatalf("get_transactions: %v", err)
	}
	id, notes := page.Transactions[0].ID, page.Transactions[0].Notes
	run("update_transaction_notes", "transaction_id="+id, "notes=written by one process")
	if h := run("get_change_history"); !strings.Contains(h, `"tool": "update_transaction_notes"`) {
		t.Fatalf("history in another process: %s", h)
	}
	run("undo_changes", "last=1", "dry_run=false")
	var d struct {
		Transaction struct {
			Notes string `json:"notes"`
		} `json:"transaction"`
	}
	if err := json.Unmarshal([]byte(run("get_transaction_details", "transaction_id="+id)), &d); err != nil || d.Transaction.Notes != notes {
		t.Errorf("notes after undo in a third process: %q (%v), want %q", d.Transaction.Notes, err, notes)
	}
	fi, err := os.Stat(filepath.Join(dir, "changes.jsonl"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("journal beside the session file: %v %v", fi, err)
	}
}
