package config

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

const testSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// files is a fake file system for ReadFile.
type files map[string]string

func (f files) read(name string) ([]byte, error) {
	s, ok := f[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return []byte(s), nil
}

func src(env []string, fs files) Source {
	return Source{
		Environ:       env,
		ReadFile:      fs.read,
		UserConfigDir: func() (string, error) { return "/home/u/.config", nil },
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		files   files
		envFile string // explicit --env-file when non-empty
		wantVar string
		notIn   []string // values that must not appear in the message
	}{
		{name: "bad log level", env: []string{"MONARCH_LOG_LEVEL=verbose"}, wantVar: EnvLogLevel},
		{name: "bad read-only", env: []string{"MONARCH_READ_ONLY=maybe"}, wantVar: EnvReadOnly},
		{name: "bad email", env: []string{"MONARCH_EMAIL=nobody"}, wantVar: EnvEmail},
		{name: "password without email", env: []string{"MONARCH_PASSWORD=hunter2hunter2"}, wantVar: EnvEmail, notIn: []string{"hunter2hunter2"}},
		{name: "short MFA secret", env: []string{"MONARCH_MFA_SECRET=ABCDEFG"}, wantVar: EnvMFASecret, notIn: []string{"ABCDEFG"}},
		{name: "six-digit code as MFA secret", env: []string{"MONARCH_MFA_SECRET=123456"}, wantVar: EnvMFASecret, notIn: []string{"123456"}},
		{name: "non-base32 MFA secret", env: []string{"MONARCH_MFA_SECRET=JBSWY3DPEHPK3PX!JBSWY3DP"}, wantVar: EnvMFASecret, notIn: []string{"JBSWY3DPEHPK3PX!"}},
		{name: "http URI as MFA secret", env: []string{"MONARCH_MFA_SECRET=https://example.com/?secret=" + testSecret}, wantVar: EnvMFASecret, notIn: []string{testSecret}},
		{name: "token and cookies", env: []string{"MONARCH_TOKEN=abc123", "MONARCH_COOKIES=session_id=x; csrftoken=y"}, wantVar: EnvCookies, notIn: []string{"abc123", "session_id=x"}},
		{name: "cookie header as token", env: []string{"MONARCH_TOKEN=session_id=x; csrftoken=y"}, wantVar: EnvToken, notIn: []string{"session_id=x"}},
		{name: "both NAME and NAME_FILE", env: []string{"MONARCH_PASSWORD=pw-value-1", "MONARCH_PASSWORD_FILE=/run/secrets/pw", "MONARCH_EMAIL=a@b.c"}, wantVar: EnvPassword, notIn: []string{"pw-value-1"}},
		{name: "missing NAME_FILE", env: []string{"MONARCH_TOKEN_FILE=/nope"}, wantVar: "MONARCH_TOKEN_FILE"},
		{name: "empty NAME_FILE", env: []string{"MONARCH_TOKEN_FILE=/empty"}, files: files{"/empty": "\n"}, wantVar: "MONARCH_TOKEN_FILE"},
		{name: "bad MFA secret from file", env: []string{"MONARCH_MFA_SECRET_FILE=/s"}, files: files{"/s": "not a secret!\n"}, wantVar: EnvMFASecret, notIn: []string{"not a secret"}},
		{name: "whitespace-only HTTP token", env: []string{"MONARCH_MCP_HTTP_TOKEN=  \t "}, wantVar: EnvHTTPToken},
		{name: "whitespace-only HTTP token file", env: []string{"MONARCH_MCP_HTTP_TOKEN_FILE=/t"}, files: files{"/t": " \n\n"}, wantVar: "MONARCH_MCP_HTTP_TOKEN_FILE"},
		{name: "one-character HTTP token", env: []string{"MONARCH_MCP_HTTP_TOKEN=x"}, wantVar: EnvHTTPToken},
		{name: "short HTTP token from file", env: []string{"MONARCH_MCP_HTTP_TOKEN_FILE=/t"}, files: files{"/t": "0123456789abcde\n"}, wantVar: EnvHTTPToken, notIn: []string{"0123456789abcde"}},
		{name: "relative API URL", env: []string{"MONARCH_API_URL=api.monarch.com"}, wantVar: EnvAPIURL},
		{name: "plain http API URL", env: []string{"MONARCH_API_URL=http://api.monarch.com"}, wantVar: EnvAPIURL},
		{name: "API URL with password", env: []string{"MONARCH_API_URL=https://u:sekrit@api.monarch.com"}, wantVar: EnvAPIURL, notIn: []string{"sekrit"}},
		{name: "API URL with query", env: []string{"MONARCH_API_URL=https://api.monarch.com/?x=1"}, wantVar: EnvAPIURL},
		{name: "session file is a directory", env: []string{"MONARCH_SESSION_FILE=/tmp/"}, wantVar: EnvSessionFile},
		{name: "explicit env file missing", envFile: "/nope.env", wantVar: "--env-file"},
		{name: "env file malformed", envFile: "/bad.env", files: files{"/bad.env": "MONARCH_EMAIL=a@b.c\nMONARCH_PASSWORD=\"s3cr3t-unterminated\n"}, wantVar: "--env-file", notIn: []string{"s3cr3t"}},
		{name: "bad value in env file", envFile: "/x.env", files: files{"/x.env": "MONARCH_LOG_LEVEL=loud\n"}, wantVar: EnvLogLevel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := src(tt.env, tt.files)
			if tt.envFile != "" {
				s.EnvFile, s.EnvFileSet = tt.envFile, true
			}
			_, err := Load(t.Context(), s)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load() error = %v, want *config.Error", err)
			}
			if ce.Var != tt.wantVar || !strings.HasPrefix(err.Error(), tt.wantVar+": ") {
				t.Errorf("error %q names %q, want %q", err, ce.Var, tt.wantVar)
			}
			for _, s := range tt.notIn {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q leaks %q", err, s)
				}
			}
		})
	}
}

func TestLoadDefaults(t *testing.T) {
	cfg, err := Load(t.Context(), src(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.APIURL != monarch.DefaultBaseURL {
		t.Errorf("APIURL = %q", cfg.APIURL)
	}
	if want := filepath.Join("/home/u/.config", "monarch-mcp", "session.json"); cfg.SessionFile != want {
		t.Errorf("SessionFile = %q, want %q", cfg.SessionFile, want)
	}
	if cfg.LogLevel != slog.LevelInfo || cfg.ReadOnly || cfg.TOTP != nil || cfg.EnvFile != "" {
		t.Errorf("unexpected defaults: %+v", cfg)
	}
	if cfg.Email != "" || cfg.Password != "" {
		t.Errorf("credentials set without any: email %q, password set %v", cfg.Email, cfg.Password != "")
	}
}

func TestLoadValues(t *testing.T) {
	tests := []struct {
		name  string
		env   []string
		files files
		check func(t *testing.T, c *Config)
	}{
		{
			name: "full credentials",
			env:  []string{"MONARCH_EMAIL=a@b.c", "MONARCH_PASSWORD=pw", "MONARCH_MFA_SECRET=jbsw y3dp ehpk 3pxp"},
			check: func(t *testing.T, c *Config) {
				if c.TOTP == nil || c.Email == "" || c.Password == "" {
					t.Errorf("TOTP=%v email %q, password set %v", c.TOTP, c.Email, c.Password != "")
				}
			},
		},
		{
			name:  "otpauth URI",
			env:   []string{"MONARCH_MFA_SECRET=otpauth://totp/Monarch:a@b.c?secret=" + testSecret + "&issuer=Monarch"},
			check: func(t *testing.T, c *Config) { mustNotNil(t, c.TOTP) },
		},
		{
			// Every NAME_FILE is trimmed alike: line endings and the
			// surrounding spaces an editor leaves; inner spaces stay.
			name: "NAME_FILE with trailing newline and spaces",
			env: []string{"MONARCH_EMAIL=a@b.c", "MONARCH_PASSWORD_FILE=/run/secrets/pw", "MONARCH_MFA_SECRET_FILE=/run/secrets/mfa",
				"MONARCH_TOKEN_FILE=/run/secrets/tok", "MONARCH_MCP_HTTP_TOKEN_FILE=/run/secrets/http"},
			files: files{
				"/run/secrets/pw":   "  spaced pw \r\n",
				"/run/secrets/mfa":  testSecret + "\n",
				"/run/secrets/tok":  "\tmonarch-token \n",
				"/run/secrets/http": "0123456789abcdef0123456789abcdef\n",
			},
			check: func(t *testing.T, c *Config) {
				eq(t, c.Password, "spaced pw")
				eq(t, c.MFASecret, testSecret)
				eq(t, c.Token, "monarch-token")
				eq(t, c.HTTPToken, "0123456789abcdef0123456789abcdef")
			},
		},
		{
			name:  "password with spaces in NAME is kept as given",
			env:   []string{"MONARCH_EMAIL=a@b.c", "MONARCH_PASSWORD= spaced pw "},
			check: func(t *testing.T, c *Config) { eq(t, c.Password, " spaced pw ") },
		},
		{
			name:  "HTTP token of the minimum length, spaces trimmed",
			env:   []string{"MONARCH_MCP_HTTP_TOKEN= 0123456789abcdef "},
			check: func(t *testing.T, c *Config) { eq(t, c.HTTPToken, "0123456789abcdef") },
		},
		{
			name:  "log levels",
			env:   []string{"MONARCH_LOG_LEVEL=WARNING", "MONARCH_READ_ONLY=1"},
			check: func(t *testing.T, c *Config) { eq(t, c.LogLevel, slog.LevelWarn); eq(t, c.ReadOnly, true) },
		},
		{
			name:  "loopback http API URL",
			env:   []string{"MONARCH_API_URL=http://127.0.0.1:8080/"},
			check: func(t *testing.T, c *Config) { eq(t, c.APIURL, "http://127.0.0.1:8080") },
		},
		{
			name: "unknown variable warned",
			env:  []string{"MONARCH_PASSWROD=x", "HOME=/h"},
			check: func(t *testing.T, c *Config) {
				eq(t, len(c.Warnings), 1)
				eq(t, strings.Contains(c.Warnings[0], "MONARCH_PASSWROD"), true)
			},
		},
		{
			name: "empty values are unset",
			env:  []string{"MONARCH_PASSWORD=", "MONARCH_LOG_LEVEL=", "MONARCH_SESSION_FILE=/s.json"},
			check: func(t *testing.T, c *Config) {
				eq(t, c.Password, "")
				eq(t, c.SessionFile, "/s.json")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(t.Context(), src(tt.env, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestEnvFilePrecedence(t *testing.T) {
	dotenv := strings.Join([]string{
		"MONARCH_EMAIL=file@example.com",
		"MONARCH_PASSWORD=file-password",
		"MONARCH_LOG_LEVEL=debug",
		"export MONARCH_READ_ONLY=true",
		"MONARCH_TOKEN=file-token # a comment",
	}, "\n")
	tests := []struct {
		name   string
		env    []string
		files  files
		set    bool // --env-file given explicitly
		file   string
		expect func(t *testing.T, c *Config)
	}{
		{
			name:  "default .env is read when present",
			files: files{".env": dotenv},
			expect: func(t *testing.T, c *Config) {
				eq(t, c.EnvFile, ".env")
				eq(t, c.Email, "file@example.com")
				eq(t, c.Password, "file-password")
				eq(t, c.LogLevel, slog.LevelDebug)
				eq(t, c.ReadOnly, true)
				eq(t, c.Token, "file-token")
			},
		},
		{
			name:  "real environment wins",
			env:   []string{"MONARCH_EMAIL=env@example.com", "MONARCH_LOG_LEVEL=error"},
			files: files{".env": dotenv},
			expect: func(t *testing.T, c *Config) {
				eq(t, c.Email, "env@example.com")
				eq(t, c.LogLevel, slog.LevelError)
				eq(t, c.Password, "file-password")
			},
		},
		{
			name:  "real NAME_FILE beats file NAME",
			env:   []string{"MONARCH_PASSWORD_FILE=/run/secrets/pw"},
			files: files{".env": dotenv, "/run/secrets/pw": "from-secret-file\n"},
			expect: func(t *testing.T, c *Config) {
				eq(t, c.Password, "from-secret-file")
			},
		},
		{
			name:  "file NAME_FILE",
			files: files{"/my.env": "MONARCH_EMAIL=a@b.c\nMONARCH_PASSWORD_FILE=/pw\n", "/pw": "pw-from-file"},
			set:   true, file: "/my.env",
			expect: func(t *testing.T, c *Config) {
				eq(t, c.Password, "pw-from-file")
				eq(t, c.EnvFile, "/my.env")
			},
		},
		{
			name:  "explicit empty --env-file disables .env",
			files: files{".env": dotenv},
			set:   true, file: "",
			expect: func(t *testing.T, c *Config) {
				eq(t, c.EnvFile, "")
				eq(t, c.Email, "")
			},
		},
		{
			name: "no .env is fine",
			expect: func(t *testing.T, c *Config) {
				eq(t, c.EnvFile, "")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := src(tt.env, tt.files)
			s.EnvFileSet, s.EnvFile = tt.set, tt.file
			c, err := Load(t.Context(), s)
			if err != nil {
				t.Fatal(err)
			}
			tt.expect(t, c)
		})
	}
}

// TestLoadRealFiles exercises the default os.ReadFile path.
func TestLoadRealFiles(t *testing.T) {
	dir := t.TempDir()
	env := filepath.Join(dir, "x.env")
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(env, []byte("MONARCH_MFA_SECRET_FILE="+secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(secret, []byte(testSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(t.Context(), Source{EnvFile: env, EnvFileSet: true, Environ: []string{"MONARCH_SESSION_FILE=" + filepath.Join(dir, "s.json")}})
	if err != nil {
		t.Fatal(err)
	}
	mustNotNil(t, c.TOTP)
}

func TestParseLogLevel(t *testing.T) {
	for in, want := range map[string]slog.Level{"": slog.LevelInfo, "debug": slog.LevelDebug, "Info": slog.LevelInfo, "warn": slog.LevelWarn, "ERROR": slog.LevelError} {
		got, err := ParseLogLevel(in)
		if err != nil || got != want {
			t.Errorf("ParseLogLevel(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseLogLevel("trace"); err == nil {
		t.Error("ParseLogLevel(trace) succeeded")
	}
}

func TestVariablesListsSecrets(t *testing.T) {
	secrets := map[string]bool{}
	for _, v := range Variables() {
		if v.Help == "" {
			t.Errorf("%s has no help", v.Name)
		}
		secrets[v.Name] = v.Secret
	}
	for _, n := range []string{EnvPassword, EnvMFASecret, EnvToken, EnvCookies, EnvHTTPToken} {
		if !secrets[n] {
			t.Errorf("%s not marked secret", n)
		}
	}
}

func eq[T comparable](t *testing.T, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func mustNotNil[T any](t *testing.T, p *T) {
	t.Helper()
	if p == nil {
		t.Error("got nil")
	}
}

func TestJournalFile(t *testing.T) {
	for _, tt := range []struct {
		name    string
		env     []string
		want    string
		off     bool
		wantErr bool
	}{
		{name: "default beside the session file", env: []string{"MONARCH_SESSION_FILE=/data/s.json"}, want: "/data/changes.jsonl"},
		{name: "default beside the default session file", want: filepath.Join("/home/u/.config", "monarch-mcp", "changes.jsonl")},
		{name: "moved", env: []string{"MONARCH_JOURNAL_FILE=/elsewhere/j.jsonl"}, want: "/elsewhere/j.jsonl"},
		{name: "off", env: []string{"MONARCH_JOURNAL_FILE=OFF"}, off: true},
		{name: "a directory", env: []string{"MONARCH_JOURNAL_FILE=/tmp/"}, wantErr: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load(t.Context(), src(tt.env, nil))
			if tt.wantErr {
				var ce *Error
				if !errors.As(err, &ce) || ce.Var != EnvJournalFile {
					t.Fatalf("err = %v, want a %s error", err, EnvJournalFile)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.JournalFile != tt.want || cfg.JournalOff != tt.off {
				t.Errorf("JournalFile %q off %v, want %q off %v", cfg.JournalFile, cfg.JournalOff, tt.want, tt.off)
			}
		})
	}
}
