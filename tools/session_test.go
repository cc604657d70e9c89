package tools

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// newSessionFixture is newFixture with a chosen client configuration (the
// demo credentials unless changed by edit) and Status.
func newSessionFixture(t *testing.T, st Status, edit func(*monarch.Config)) *fixture {
	t.Helper()
	return newFixtureWith(t, Options{}, sandbox.Options{}, st, edit)
}

func TestSetupAuthentication(t *testing.T) {
	tests := []struct {
		name     string
		st       Status
		edit     func(*monarch.Config)
		set      []string // variables reported set
		unset    []string
		unattend bool
		next     string
	}{
		{"configured", Status{SetVariables: []string{"MONARCH_EMAIL", "MONARCH_PASSWORD", "MONARCH_MFA_SECRET", "MONARCH_SESSION_FILE"}, SessionFile: "/tmp/s.json"}, nil,
			[]string{"MONARCH_EMAIL", "MONARCH_PASSWORD", "MONARCH_MFA_SECRET"}, []string{"MONARCH_TOKEN", "MONARCH_COOKIES"}, true, "signs in again by itself"},
		{"no key", Status{SetVariables: []string{"MONARCH_EMAIL", "MONARCH_PASSWORD"}}, func(c *monarch.Config) { c.TOTP = nil },
			[]string{"MONARCH_PASSWORD"}, []string{"MONARCH_MFA_SECRET"}, false, "no authenticator key"},
		{"pasted token", Status{SetVariables: []string{"MONARCH_TOKEN"}}, func(c *monarch.Config) { c.Email, c.Password, c.TOTP = "", "", nil },
			[]string{"MONARCH_TOKEN"}, []string{"MONARCH_PASSWORD", "MONARCH_EMAIL"}, false, "cannot be renewed"},
		{"nothing", Status{}, func(c *monarch.Config) { c.Email, c.Password, c.TOTP = "", "", nil },
			nil, []string{"MONARCH_EMAIL", "MONARCH_PASSWORD", "MONARCH_MFA_SECRET"}, false, "not configured: run login-setup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newSessionFixture(t, tt.st, tt.edit)
			res := callTool(t, f.mcp, "setup_authentication", nil)
			text := textOf(res)
			var out setupResult
			f.decode(t, "setup_authentication", nil, &out)
			set := map[string]bool{}
			for _, v := range out.Variables {
				set[v.Name] = v.Set
				if v.Purpose == "" {
					t.Errorf("%s has no purpose", v.Name)
				}
			}
			for _, n := range tt.set {
				if !set[n] {
					t.Errorf("%s not reported set", n)
				}
			}
			for _, n := range tt.unset {
				if set[n] {
					t.Errorf("%s reported set", n)
				}
			}
			if out.CanReloginUnattended != tt.unattend || !strings.Contains(out.NextStep, tt.next) || out.SessionHeld ||
				len(out.Steps) == 0 || !strings.Contains(out.Steps[0], "login-setup") || out.SessionFile != tt.st.SessionFile {
				t.Errorf("result %+v", out)
			}
			// Names only: no value of any credential appears.
			for _, secret := range []string{sandbox.DemoPassword, sandbox.DemoMFASecret, sandbox.DemoEmail} {
				if strings.Contains(text, secret) {
					t.Errorf("output shows a credential value: %s", text)
				}
			}
			// No session and yet no network call: no login, no request.
			if f.sb.LoginAttempts() != 0 || f.sb.Requests("") != 0 {
				t.Errorf("%d login attempts, %d requests", f.sb.LoginAttempts(), f.sb.Requests(""))
			}
		})
	}
}

func TestSetupAuthenticationHidesSessionSecrets(t *testing.T) {
	f := newSessionFixture(t, Status{SetVariables: []string{"MONARCH_TOKEN"}}, nil)
	tok := f.sb.IssueToken()
	f.client.Auth().Set(monarch.TokenSession(tok))
	var out setupResult
	f.decode(t, "setup_authentication", nil, &out)
	if !out.SessionHeld {
		t.Error("session not reported held")
	}
	if strings.Contains(textOf(callTool(t, f.mcp, "setup_authentication", nil)), tok) {
		t.Error("output shows the token")
	}
}

func TestLogout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "monarch", "session.json")
	f := newSessionFixture(t, Status{SessionFile: path}, func(c *monarch.Config) {
		c.Store = reauth.NewFileStore[*monarch.Session](path)
	})
	var accts accountsResult
	f.decode(t, "get_accounts", nil, &accts) // signs in and saves the session
	if _, err := os.Stat(path); err != nil || f.sb.Logins() != 1 {
		t.Fatalf("no saved session after sign-in: %v (%d logins)", err, f.sb.Logins())
	}
	requests := f.sb.Requests("")

	var out logoutResult
	f.decode(t, "logout", nil, &out)
	if !out.LoggedOut || !out.HadSession || out.SessionFile != path || !strings.Contains(out.Note, "next tool call signs in") {
		t.Errorf("logout %+v", out)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("session file still there: %v", err)
	}
	if _, _, held := f.client.Auth().Current(); held {
		t.Error("session still held in memory")
	}
	if f.sb.Requests("") != requests || f.sb.LoginAttempts() != 1 {
		t.Error("logout talked to Monarch")
	}

	// Logging out again is harmless; the next call signs in once.
	f.decode(t, "logout", nil, &out)
	if !out.LoggedOut || out.HadSession {
		t.Errorf("second logout %+v", out)
	}
	f.decode(t, "get_accounts", nil, &accts)
	if f.sb.Logins() != 2 {
		t.Errorf("%d logins, want 2", f.sb.Logins())
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("new session not saved: %v", err)
	}
}

func TestLogoutWithoutPassword(t *testing.T) {
	f := newSessionFixture(t, Status{SetVariables: []string{"MONARCH_TOKEN"}}, func(c *monarch.Config) { c.Email, c.Password, c.TOTP = "", "", nil })
	f.client.Auth().Set(monarch.TokenSession(f.sb.IssueToken()))
	var out logoutResult
	f.decode(t, "logout", nil, &out)
	if !out.HadSession || !strings.Contains(out.Note, "run login-setup") || !strings.Contains(out.Note, "MONARCH_TOKEN") {
		t.Errorf("logout %+v", out)
	}
	res := callTool(t, f.mcp, "get_accounts", nil)
	if !res.IsError {
		t.Error("a call after logout without credentials succeeded")
	}
}

// While a sign-in waits for a fresh authenticator code, check_auth_status
// answers at once and says what the sign-in waits for, instead of joining
// the wait.
func TestCheckAuthStatusDuringLoginWait(t *testing.T) {
	waiting, resume := make(chan struct{}), make(chan struct{})
	f := newSessionFixture(t, Status{}, func(cfg *monarch.Config) {
		advance := cfg.TOTP.Sleep
		cfg.TOTP.Sleep = func(ctx context.Context, d time.Duration) error {
			close(waiting)
			<-resume
			return advance(ctx, d)
		}
	})
	// A first sign-in spends this step's code.
	if res := callTool(t, f.mcp, "get_transaction_tags", map[string]any{}); res.IsError {
		t.Fatal(textOf(res))
	}
	f.sb.ExpireSessions()
	done := make(chan *mcp.CallToolResult)
	go func() { done <- callTool(t, f.mcp, "get_transaction_tags", map[string]any{}) }()
	<-waiting
	var st authStatus
	f.decode(t, "check_auth_status", map[string]any{}, &st)
	if st.OK || !strings.Contains(st.LoginWaitingFor, "authenticator code") || st.LoginWaitSeconds < 1 || st.LoginWaitSeconds > 30 ||
		!strings.Contains(st.NextStep, "waiting for") {
		t.Errorf("status during the wait: %+v", st)
	}
	close(resume)
	if res := <-done; res.IsError {
		t.Fatal(textOf(res))
	}
	var after authStatus
	f.decode(t, "check_auth_status", map[string]any{}, &after)
	if !after.OK || after.LoginWaitingFor != "" {
		t.Errorf("status after the wait: %+v", after)
	}
}

// check_auth_status and setup_authentication say where the credentials
// came from, by source name.
func TestCredentialsFrom(t *testing.T) {
	f := newSessionFixture(t, Status{CredentialsFrom: "keychain"}, nil)
	var st authStatus
	f.decode(t, "check_auth_status", map[string]any{}, &st)
	if st.CredentialsFrom != "keychain" {
		t.Errorf("check_auth_status credentials_from = %q, want keychain", st.CredentialsFrom)
	}
	var setup setupResult
	f.decode(t, "setup_authentication", nil, &setup)
	if setup.CredentialsFrom != "keychain" {
		t.Errorf("setup_authentication credentials_from = %q, want keychain", setup.CredentialsFrom)
	}
}
