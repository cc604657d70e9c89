package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
	"github.com/monarch-mcp/monarch-mcp/internal/keychain"
	"github.com/monarch-mcp/monarch-mcp/internal/setup"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// noTerminal is a setup.Terminal for scripts: nothing can be asked.
type noTerminal struct{}

func (noTerminal) ReadLine() (string, error)   { return "", os.ErrClosed }
func (noTerminal) ReadSecret() (string, error) { return "", os.ErrClosed }
func (noTerminal) Interactive() bool           { return false }

// login-setup's .env and saved session make a working server: the first
// tool call uses the saved session instead of signing in again. (Renewal
// from the stored credentials is TestStdioEndToEnd's subject.)
func TestLoginSetupLeadsToWorkingServer(t *testing.T) {
	sb := startSandbox(t)
	dir := t.TempDir()
	envFile := filepath.Join(dir, ".env")
	base := []string{config.EnvAPIURL + "=" + sb.URL(), config.EnvSessionFile + "=" + filepath.Join(dir, "session.json"), config.EnvKeychain + "=false"}

	loginSetup(t, envFile, base, nil)
	if sb.Logins() != 1 {
		t.Fatalf("login-setup signed in %d times", sb.Logins())
	}

	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"--env-file", envFile, "call", "get_accounts"}, base, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK || !strings.Contains(stdout.String(), `"accounts"`) {
		t.Fatalf("call exit %d\nstdout %s\nstderr %s", code, stdout.String(), stderr.String())
	}
	if sb.Logins() != 1 {
		t.Errorf("the server signed in again instead of using the saved session (%d logins)", sb.Logins())
	}

}

// With a keychain, login-setup stores the credentials there, writes no
// .env, and the server then finds them there: check_auth_status says so.
// go-keyring's mock replaces the real keychain for the whole process; only
// this test stores anything in it.
func TestLoginSetupKeychainLeadsToWorkingServer(t *testing.T) {
	keyring.MockInit()
	sb := startSandbox(t)
	dir := t.TempDir()
	envFile := filepath.Join(dir, ".env")
	base := []string{config.EnvAPIURL + "=" + sb.URL(), config.EnvSessionFile + "=" + filepath.Join(dir, "session.json")}
	t.Cleanup(func() { _, _ = (keychain.Store{Ring: keychain.System()}).Forget(context.Background(), "") })
	if out := loginSetup(t, envFile, base, keychain.System()); !strings.Contains(out, "in the OS keychain") || strings.Contains(out, "--env-file") {
		t.Fatalf("login-setup output:\n%s", out)
	}
	if _, err := os.Stat(envFile); !os.IsNotExist(err) {
		t.Fatalf(".env written beside the keychain: %v", err)
	}

	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"--env-file", "", "call", "check_auth_status"}, base, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK || !strings.Contains(stdout.String(), `"credentials_from": "keychain"`) || !strings.Contains(stdout.String(), `"can_relogin_unattended": true`) {
		t.Fatalf("call exit %d\nstdout %s\nstderr %s", code, stdout.String(), stderr.String())
	}
}

// loginSetup runs the wizard for the demo account without a terminal (the
// password on standard input, the key in the environment), storing in ring
// if given, and returns what it printed; it fails the test unless it
// succeeds.
func loginSetup(t *testing.T, envFile string, environ []string, ring keychain.Keyring) string {
	t.Helper()
	var out bytes.Buffer
	code := setup.Run(t.Context(), setup.Options{
		EnvFile:       envFile,
		Email:         sandbox.DemoEmail,
		PasswordStdin: true,
		Stdin:         strings.NewReader(sandbox.DemoPassword + "\n"),
		Environ:       append([]string{config.EnvMFASecret + "=" + sandbox.DemoMFASecret}, environ...),
		Keyring:       ring,
	}, noTerminal{}, &out)
	if code != setup.ExitOK {
		t.Fatalf("login-setup exit %d:\n%s", code, out.String())
	}
	return out.String()
}
