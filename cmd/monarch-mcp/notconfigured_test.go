package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// emptyEnv is an environment with no sign-in settings at all, pointed at a
// sandbox that must never be asked anything.
func emptyEnv(sb *sandbox.Sandbox, dir string) []string {
	return []string{
		"HOME=" + dir,
		"PATH=" + os.Getenv("PATH"),
		"MONARCH_API_URL=" + sb.URL(),
		"MONARCH_SESSION_FILE=" + filepath.Join(dir, "session.json"),
	}
}

// With nothing configured, the stdio server starts, and every tool that
// needs sign-in answers how to set it up, without a request to Monarch.
func TestNotConfiguredServerAnswersSetup(t *testing.T) {
	sb := startSandbox(t)
	dir := t.TempDir()
	c, logs := startServer(t, emptyEnv(sb, dir), dir, "--env-file=")
	defer c.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatalf("tools/list: %v\n%s", err, logs)
	}
	for _, tool := range list.Tools {
		res, err := call(ctx, c, tool.Name, nil)
		if err != nil {
			t.Fatalf("%s: %v", tool.Name, err)
		}
		notConfigured := res.IsError && strings.Contains(text(res), "sign-in is not configured") &&
			strings.Contains(text(res), "MONARCH_EMAIL") && strings.Contains(text(res), "login-setup") && strings.Contains(text(res), "--demo")
		switch tool.Name {
		case "setup_authentication", "logout", "get_change_history": // local: the history is on this machine
			if res.IsError {
				t.Errorf("%s: %s", tool.Name, text(res))
			}
		case "check_auth_status":
			// It reports the state, and the same advice as its next step.
			if !notConfigured {
				t.Errorf("%s: %s", tool.Name, text(res))
			}
		default:
			if !notConfigured {
				t.Errorf("%s: isError=%v %.300q, want the not-configured advice", tool.Name, res.IsError, text(res))
			}
		}
	}
	if n := sb.Requests("") + sb.LoginAttempts(); n != 0 {
		t.Errorf("%d requests reached Monarch", n)
	}
	if !strings.Contains(logs.String(), "sign-in is not configured") {
		t.Errorf("start-up log does not say sign-in is not configured:\n%s", logs)
	}
}

// With nothing configured, `call` of a tool that needs sign-in exits 2 (a
// configuration problem) with the advice; the setup tool still works.
func TestNotConfiguredCallExits2(t *testing.T) {
	sb := startSandbox(t)
	tests := []struct {
		tool string
		code int
		want string
	}{
		{"get_accounts", exitBadUsage, "sign-in is not configured"},
		{"get_transactions", exitBadUsage, "login-setup"},
		{"check_auth_status", exitBadUsage, "sign-in is not configured"},
		{"setup_authentication", exitOK, "Sign-in is not configured"},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, []string{"MONARCH_API_URL=" + sb.URL()}, "call", tt.tool)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
				t.Errorf("exit %d, stdout %.300q, stderr %.300q; want exit %d and %q", code, stdout, stderr, tt.code, tt.want)
			}
		})
	}
	if n := sb.Requests("") + sb.LoginAttempts(); n != 0 {
		t.Errorf("%d requests reached Monarch", n)
	}
}
