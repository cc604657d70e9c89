package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/keychain"
	"github.com/monarch-mcp/monarch-mcp/internal/keychain/keychaintest"
)

const (
	kcEmail    = "kc@example.com"
	kcPassword = "kc-password-value"
	envPass    = "dotenv-password-value"
)

// storedRing is a keychain holding kcEmail's password and the testSecret.
func storedRing(t *testing.T) *keychaintest.Memory {
	t.Helper()
	ring := &keychaintest.Memory{}
	err := keychain.Store{Ring: ring}.Save(t.Context(), keychain.Credentials{Email: kcEmail, Password: kcPassword, MFASecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

// withKeychain is src with an explicit .env file (f["/x.env"]) and ring.
func withKeychain(env []string, f files, ring keychain.Keyring) Source {
	s := src(env, f)
	s.EnvFile, s.EnvFileSet = "/x.env", true
	if ring != nil {
		s.Keychain = &keychain.Store{Ring: ring, Timeout: 20 * time.Millisecond}
	}
	return s
}

var dotenv = files{"/x.env": "MONARCH_EMAIL=dotenv@example.com\nMONARCH_PASSWORD=" + envPass + "\n"}

func TestKeychainPrecedence(t *testing.T) {
	tests := []struct {
		name      string
		env       []string
		ring      keychain.Keyring
		wantEmail string
		wantPass  string
		wantFrom  map[string]string
		wantSaid  string // CredentialsFrom()
	}{
		{
			name: "stored: found, and beats .env", ring: storedRing(t),
			wantEmail: kcEmail, wantPass: kcPassword,
			wantFrom: map[string]string{EnvEmail: FromKeychain, EnvPassword: FromKeychain, EnvMFASecret: FromKeychain},
			wantSaid: "keychain",
		},
		{
			name: "environment beats keychain", ring: storedRing(t),
			env:       []string{"MONARCH_EMAIL=" + kcEmail, "MONARCH_PASSWORD=env-password-value"},
			wantEmail: kcEmail, wantPass: "env-password-value",
			wantFrom: map[string]string{EnvEmail: FromEnvironment, EnvPassword: FromEnvironment, EnvMFASecret: FromKeychain},
			wantSaid: "environment and keychain",
		},
		{
			name: "NAME_FILE beats keychain", ring: storedRing(t),
			env:       []string{"MONARCH_PASSWORD_FILE=/pw"},
			wantEmail: kcEmail, wantPass: "file-password-value",
			wantFrom: map[string]string{EnvEmail: FromKeychain, EnvPassword: FromFile, EnvMFASecret: FromKeychain},
			wantSaid: "keychain and file",
		},
		{
			name: "missing: falls through to .env", ring: &keychaintest.Memory{},
			wantEmail: "dotenv@example.com", wantPass: envPass,
			wantFrom: map[string]string{EnvEmail: FromEnvFile, EnvPassword: FromEnvFile},
			wantSaid: ".env",
		},
		{
			name: "MONARCH_KEYCHAIN=false: not asked", ring: storedRing(t), env: []string{"MONARCH_KEYCHAIN=false"},
			wantEmail: "dotenv@example.com", wantPass: envPass,
			wantFrom: map[string]string{EnvEmail: FromEnvFile, EnvPassword: FromEnvFile},
			wantSaid: ".env",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := files{"/pw": "file-password-value\n"}
			for k, v := range dotenv {
				f[k] = v
			}
			c, err := Load(t.Context(), withKeychain(tt.env, f, tt.ring))
			if err != nil {
				t.Fatal(err)
			}
			if c.Email != tt.wantEmail || c.Password != tt.wantPass {
				t.Errorf("email %q, password matches %q: %v", c.Email, tt.wantPass, c.Password == tt.wantPass)
			}
			if len(c.From) != len(tt.wantFrom) {
				t.Errorf("From = %v, want %v", c.From, tt.wantFrom)
			}
			for k, v := range tt.wantFrom {
				if c.From[k] != v {
					t.Errorf("From[%s] = %q, want %q", k, c.From[k], v)
				}
			}
			if got := c.CredentialsFrom(); got != tt.wantSaid {
				t.Errorf("CredentialsFrom() = %q, want %q", got, tt.wantSaid)
			}
			if len(c.Warnings) != 0 {
				t.Errorf("Warnings = %q", c.Warnings)
			}
		})
	}
}

func TestKeychainNotAskedWhenEnvironmentHasAll(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	env := []string{"MONARCH_EMAIL=a@example.com", "MONARCH_PASSWORD=x", "MONARCH_MFA_SECRET=" + testSecret}
	s := withKeychain(env, dotenv, keychaintest.Blocking{Release: release})
	s.Keychain.Timeout = time.Hour // a call would hang the test
	c, err := Load(t.Context(), s)
	if err != nil || c.CredentialsFrom() != FromEnvironment {
		t.Fatalf("Load() = %v; from %q", err, c.CredentialsFrom())
	}
}

func TestKeychainFailureFallsBack(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	for name, ring := range map[string]keychain.Keyring{
		"error":   keychaintest.Failing{Err: errors.New("no secret service on this bus")},
		"timeout": keychaintest.Blocking{Release: release},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := Load(t.Context(), withKeychain(nil, dotenv, ring))
			if err != nil {
				t.Fatal(err)
			}
			if c.Password != envPass || c.CredentialsFrom() != FromEnvFile {
				t.Errorf("credentials from %q, want .env's", c.CredentialsFrom())
			}
			if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "keychain") || !strings.Contains(c.Warnings[0], EnvKeychain+"=false") {
				t.Errorf("Warnings = %q, want one about the keychain", c.Warnings)
			}
			if c.KeychainProblem != c.Warnings[0] {
				t.Errorf("KeychainProblem = %q, want the warning", c.KeychainProblem)
			}
			if name == "timeout" && !strings.Contains(c.Warnings[0], "did not answer") {
				t.Errorf("warning %q does not say the keychain did not answer", c.Warnings[0])
			}
		})
	}
}

func TestKeychainBadSetting(t *testing.T) {
	_, err := Load(t.Context(), withKeychain([]string{"MONARCH_KEYCHAIN=sometimes"}, dotenv, &keychaintest.Memory{}))
	var ce *Error
	if !errors.As(err, &ce) || ce.Var != EnvKeychain {
		t.Fatalf("Load() error = %v, want one naming %s", err, EnvKeychain)
	}
}
