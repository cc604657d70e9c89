package setup

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
	"github.com/monarch-mcp/monarch-mcp/internal/keychain"
	"github.com/monarch-mcp/monarch-mcp/internal/keychain/keychaintest"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// scripted is the non-interactive password setup's options.
func scripted() Options {
	return Options{
		Email: sandbox.DemoEmail, PasswordStdin: true, Stdin: strings.NewReader(sandbox.DemoPassword + "\n"),
		Environ: []string{config.EnvMFASecret + "=" + sandbox.DemoMFASecret},
	}
}

func TestStoresInKeychainWhenUsable(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	f.writeEnv(t, "MONARCH_LOG_LEVEL=debug\nMONARCH_EMAIL=old@example.com\nMONARCH_PASSWORD=old-password\n")
	ring := &keychaintest.Memory{}
	opts := scripted()
	opts.Keyring = ring
	code, out := f.run(t, opts, &script{})
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	mustNotLeak(t, out, f.clock, append(demoSecrets(), "old-password")...)
	for _, want := range []string{"in the OS keychain (service \"monarch-mcp\", account " + sandbox.DemoEmail + ")", "removed MONARCH_EMAIL, MONARCH_PASSWORD from " + f.envPath} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	got, err := keychain.Store{Ring: ring}.Load(t.Context(), "")
	if err != nil || got.Email != sandbox.DemoEmail || got.Password != sandbox.DemoPassword || got.MFASecret != sandbox.DemoMFASecret {
		t.Fatalf("keychain holds email %q, password ok %v, key ok %v (%v)", got.Email, got.Password == sandbox.DemoPassword, got.MFASecret == sandbox.DemoMFASecret, err)
	}
	env := f.readEnv(t)
	if _, ok := env[config.EnvPassword]; ok || env["MONARCH_LOG_LEVEL"] != "debug" {
		t.Errorf(".env after: %v", keys(env))
	}
	// .env still exists (it holds other settings), so the snippets keep it.
	if !strings.Contains(out, "--env-file") {
		t.Errorf("snippets dropped --env-file while .env holds settings:\n%s", out)
	}

	// --check verifies the keychain's credentials.
	code, out = f.run(t, Options{Check: true, Keyring: ring}, &script{})
	if code != ExitOK || !strings.Contains(out, "credentials from the keychain") {
		t.Errorf("--check: exit %d:\n%s", code, out)
	}

	// --forget removes the entries and the session file.
	code, out = f.run(t, Options{Forget: true, Keyring: ring}, &script{})
	if code != ExitOK || ring.Len() != 0 || !strings.Contains(out, "OS keychain entries") {
		t.Errorf("--forget: exit %d, %d entries left:\n%s", code, ring.Len(), out)
	}
	if _, err := os.Stat(f.session); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("session file after --forget: %v", err)
	}
	code, out = f.run(t, Options{Forget: true, Keyring: ring}, &script{})
	if code != ExitOK || !strings.Contains(out, "Nothing to forget") {
		t.Errorf("second --forget: exit %d:\n%s", code, out)
	}
}

func TestKeychainSnippetsNeedNoEnvFile(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	opts := scripted()
	opts.Keyring = &keychaintest.Memory{}
	code, out := f.run(t, opts, &script{})
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if strings.Contains(out, "--env-file") || !strings.Contains(out, "Docker cannot read the OS keychain") {
		t.Errorf("snippets with no .env file:\n%s", out)
	}
	if _, err := os.Stat(f.envPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".env created: %v", err)
	}
}

func TestUnusableKeychainFallsBackToEnv(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	for name, ring := range map[string]keychain.Keyring{
		"none":    nil,
		"error":   keychaintest.Failing{Err: errors.New("no secret service")},
		"timeout": keychaintest.Blocking{Release: release},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, sandbox.Options{})
			opts := scripted()
			opts.Keyring, opts.KeychainTimeout = ring, 20*time.Millisecond
			code, out := f.run(t, opts, &script{})
			if code != ExitOK {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			notices := strings.Count(out, "No usable OS keychain")
			if notices != 1 {
				t.Errorf("%d notices of the fallback, want 1:\n%s", notices, out)
			}
			if env := f.readEnv(t); env[config.EnvPassword] != sandbox.DemoPassword {
				t.Errorf(".env lacks the password: %v", keys(env))
			}
		})
	}
}

func TestStoreKeychainInsists(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	opts := scripted()
	opts.Keyring, opts.Store = keychaintest.Failing{Err: errors.New("no secret service")}, StoreKeychain
	code, out := f.run(t, opts, &script{})
	if code != ExitBadUsage || !strings.Contains(out, "--store env") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if _, err := os.Stat(f.envPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".env written: %v", err)
	}
}

func TestStoreEnvSkipsKeychain(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	ring := &keychaintest.Memory{}
	opts := scripted()
	opts.Keyring, opts.Store = ring, StoreEnv
	code, out := f.run(t, opts, &script{})
	if code != ExitOK || ring.Len() != 0 || strings.Contains(out, "keychain") && !strings.Contains(out, "Docker") {
		t.Errorf("exit %d, %d keychain entries:\n%s", code, ring.Len(), out)
	}
	if env := f.readEnv(t); env[config.EnvPassword] != sandbox.DemoPassword {
		t.Errorf(".env lacks the password: %v", keys(env))
	}
}
