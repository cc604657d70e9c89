// Package config reads monarch-mcp's settings from the environment, an
// optional .env file and NAME_FILE secret files, and checks them once at
// start-up so that a mistake is reported as one sentence naming the variable
// instead of surfacing later as a failed login.
//
// Precedence, highest first: command-line flags (applied by the caller),
// the real environment, the .env file. For a secret NAME, a source that
// sets either NAME or NAME_FILE decides it as a whole: a real-environment
// NAME_FILE beats a NAME from the .env file.
//
// The sign-in credentials (MONARCH_EMAIL, MONARCH_PASSWORD,
// MONARCH_MFA_SECRET) have one more source, the operating system's
// keychain, between the real environment and the .env file: environment,
// NAME_FILE, keychain, .env. The keychain is asked only for what the real
// environment does not set, each call is bounded by a short timeout, and a
// keychain that fails or does not answer is a warning, not an error: the
// .env file is used instead.
package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/joho/godotenv"

	"github.com/monarch-mcp/monarch-mcp/internal/keychain"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// Variable names.
const (
	EnvEmail         = "MONARCH_EMAIL"
	EnvPassword      = "MONARCH_PASSWORD"
	EnvMFASecret     = "MONARCH_MFA_SECRET"
	EnvToken         = "MONARCH_TOKEN"
	EnvCookies       = "MONARCH_COOKIES"
	EnvAPIURL        = "MONARCH_API_URL"
	EnvSessionFile   = "MONARCH_SESSION_FILE"
	EnvLogLevel      = "MONARCH_LOG_LEVEL"
	EnvReadOnly      = "MONARCH_READ_ONLY"
	EnvClientVersion = "MONARCH_CLIENT_VERSION"
	EnvHTTPToken     = "MONARCH_MCP_HTTP_TOKEN"
	EnvToolsets      = "MONARCH_TOOLSETS"
	EnvKeychain      = "MONARCH_KEYCHAIN"
	EnvJournalFile   = "MONARCH_JOURNAL_FILE"
)

// Where a credential came from, as recorded in [Config.From].
const (
	FromEnvironment = "environment"
	FromFile        = "file" // a NAME_FILE
	FromKeychain    = "keychain"
	FromEnvFile     = ".env"
)

// DefaultEnvFile is read when present and no --env-file is given.
const DefaultEnvFile = ".env"

// Var describes one variable for --help and the documentation.
type Var struct {
	Name   string
	Secret bool // may also be given as Name+"_FILE"
	Help   string
}

// Variables lists every variable the program reads, in the order --help
// shows them.
func Variables() []Var {
	return []Var{
		{EnvEmail, false, "Monarch login email"},
		{EnvPassword, true, "Monarch password (lets the server log in again by itself)"},
		{EnvMFASecret, true, "authenticator-app secret (base32 or otpauth:// URI), not a 6-digit code"},
		{EnvToken, true, "a session token to start with, used until it fails"},
		{EnvCookies, true, "a signed-in browser's Cookie header (session_id, csrftoken) to start with"},
		{EnvAPIURL, false, "Monarch API base URL (default " + monarch.DefaultBaseURL + ")"},
		{EnvSessionFile, false, "where the session is cached (default <user config dir>/monarch-mcp/session.json)"},
		{EnvJournalFile, false, "where changes made by the write tools are recorded for undo (default changes.jsonl beside the session file; off disables)"},
		{EnvLogLevel, false, "debug | info | warn | error (default info; logs go to stderr)"},
		{EnvReadOnly, false, "true hides every tool that changes data"},
		{EnvToolsets, false, "comma-separated toolsets to serve, or all (default: a chat assistant's set; `monarch-mcp tools` lists them)"},
		{EnvKeychain, false, "false never consults the OS keychain for the credentials (default true: asked for those the environment does not set)"},
		{EnvClientVersion, false, "monarch-client-version header to send (default: the API client's built-in value)"},
		{EnvHTTPToken, true, "bearer token for --http (16+ characters): required on a non-loopback address, checked whenever set"},
	}
}

// Config is the checked configuration.
type Config struct {
	Email     string
	Password  string
	MFASecret string
	// TOTP is built from MFASecret at load time (nil without a secret), so a
	// bad secret is reported at start-up rather than at the first re-login.
	TOTP        *reauth.TOTP
	Token       string
	Cookies     string
	APIURL      string
	SessionFile string
	// JournalFile is where the change journal is kept; "" with JournalOff
	// when MONARCH_JOURNAL_FILE=off.
	JournalFile   string
	JournalOff    bool
	LogLevel      slog.Level
	ReadOnly      bool
	ClientVersion string
	HTTPToken     string
	// Toolsets is MONARCH_TOOLSETS as given ("" for the default); the
	// tools package checks the names.
	Toolsets string

	// Keychain is false when MONARCH_KEYCHAIN=false turned the keychain off.
	Keychain bool
	// From maps each credential variable that has a value (MONARCH_EMAIL,
	// MONARCH_PASSWORD, MONARCH_MFA_SECRET) to where it came from: one of
	// the From* names. Names only, never a value.
	From map[string]string
	// KeychainProblem is why the keychain could not be read ("" when it
	// was, or was not asked); it is also among Warnings. Never a value.
	KeychainProblem string

	// EnvFile is the .env file that was read, "" if none.
	EnvFile string
	// Warnings are non-fatal remarks for the log (e.g. unknown MONARCH_*
	// variables, which are usually typos). They never hold a value.
	Warnings []string
}

// SetNames lists the variables that have a value, in [Variables] order; a
// secret given as NAME_FILE counts as NAME. It returns names only, never a
// value, so the list can be shown to anyone (setup_authentication does).
func (c *Config) SetNames() []string {
	set := map[string]bool{
		EnvEmail: c.Email != "", EnvPassword: c.Password != "", EnvMFASecret: c.MFASecret != "",
		EnvToken: c.Token != "", EnvCookies: c.Cookies != "",
		EnvAPIURL: c.APIURL != "" && c.APIURL != monarch.DefaultBaseURL, EnvSessionFile: c.SessionFile != "",
		EnvLogLevel: c.LogLevel != slog.LevelInfo, EnvReadOnly: c.ReadOnly, EnvClientVersion: c.ClientVersion != "",
		EnvHTTPToken: c.HTTPToken != "", EnvToolsets: c.Toolsets != "", EnvKeychain: !c.Keychain,
		EnvJournalFile: c.JournalOff,
	}
	var out []string
	for _, v := range Variables() {
		if set[v.Name] {
			out = append(out, v.Name)
		}
	}
	return out
}

// CredentialsFrom says where the sign-in credentials came from: the
// distinct sources of MONARCH_EMAIL, MONARCH_PASSWORD and MONARCH_MFA_SECRET
// in that order, joined by " and " (e.g. "keychain", "environment and
// .env"), or "" when none is set.
func (c *Config) CredentialsFrom() string {
	var out []string
	for _, n := range []string{EnvEmail, EnvPassword, EnvMFASecret} {
		if f := c.From[n]; f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return strings.Join(out, " and ")
}

// Error is a configuration problem. Error() is a sentence naming the
// variable (or flag) and what to do; it never contains a secret value.
type Error struct {
	Var string // e.g. "MONARCH_LOG_LEVEL" or "--env-file"
	Msg string
}

func (e *Error) Error() string { return e.Var + ": " + e.Msg }

func errorf(name, format string, a ...any) error {
	return &Error{Var: name, Msg: fmt.Sprintf(format, a...)}
}

// Source is where Load reads from.
type Source struct {
	// Environ is the real environment as KEY=VALUE pairs (os.Environ()).
	Environ []string
	// EnvFile is the --env-file value. "" means DefaultEnvFile if it exists.
	EnvFile string
	// EnvFileSet is true when --env-file was given explicitly; a missing
	// file is then an error, and an empty EnvFile disables the file.
	EnvFileSet bool
	// ReadFile reads NAME_FILE secrets and the .env file. Default os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// UserConfigDir gives the default session directory's parent.
	// Default os.UserConfigDir.
	UserConfigDir func() (string, error)
	// Keychain is asked for the credentials the real environment does not
	// set; nil never asks.
	Keychain *keychain.Store
}

// Load reads and checks the configuration. ctx bounds the keychain calls
// (each is bounded by its own timeout as well).
func Load(ctx context.Context, src Source) (*Config, error) {
	if src.ReadFile == nil {
		src.ReadFile = os.ReadFile
	}
	if src.UserConfigDir == nil {
		src.UserConfigDir = os.UserConfigDir
	}
	realEnv := environMap(src.Environ)
	fileEnv, envFile, err := readEnvFile(src)
	if err != nil {
		return nil, err
	}
	l := loader{real: realEnv, file: fileEnv, readFile: src.ReadFile}
	cfg := &Config{EnvFile: envFile, Keychain: true, From: map[string]string{}}
	if kc := l.plain(EnvKeychain); kc != "" {
		b, err := strconv.ParseBool(kc)
		if err != nil {
			return nil, errorf(EnvKeychain, "must be true or false (got %q)", kc)
		}
		cfg.Keychain = b
	}

	if err := cfg.loadCredentials(ctx, l, src.Keychain); err != nil {
		return nil, err
	}
	for _, s := range []struct {
		name string
		dst  *string
	}{
		{EnvToken, &cfg.Token}, {EnvCookies, &cfg.Cookies}, {EnvHTTPToken, &cfg.HTTPToken},
	} {
		if *s.dst, _, err = l.secret(s.name, l.real, l.file); err != nil {
			return nil, err
		}
	}
	if err := cfg.checkCredentials(); err != nil {
		return nil, err
	}
	if cfg.HTTPToken, err = checkHTTPToken(cfg.HTTPToken); err != nil {
		return nil, err
	}

	if cfg.APIURL, err = checkAPIURL(l.plain(EnvAPIURL)); err != nil {
		return nil, err
	}
	if cfg.SessionFile, err = sessionPath(l.plain(EnvSessionFile), src.UserConfigDir); err != nil {
		return nil, err
	}
	if cfg.JournalFile, cfg.JournalOff, err = journalPath(l.plain(EnvJournalFile), cfg.SessionFile); err != nil {
		return nil, err
	}
	if cfg.LogLevel, err = ParseLogLevel(l.plain(EnvLogLevel)); err != nil {
		return nil, &Error{Var: EnvLogLevel, Msg: err.Error()}
	}
	if ro := l.plain(EnvReadOnly); ro != "" {
		b, err := strconv.ParseBool(ro)
		if err != nil {
			return nil, errorf(EnvReadOnly, "must be true or false (got %q)", ro)
		}
		cfg.ReadOnly = b
	}
	cfg.ClientVersion = l.plain(EnvClientVersion)
	cfg.Toolsets = l.plain(EnvToolsets)
	cfg.Warnings = append(unknownVars(realEnv, fileEnv), cfg.Warnings...)
	return cfg, nil
}

// loadCredentials fills the email, password and MFA secret from the real
// environment, then the keychain, then the .env file, and records where
// each came from.
func (c *Config) loadCredentials(ctx context.Context, l loader, kc *keychain.Store) error {
	type cred struct {
		name string
		dst  *string
	}
	creds := []cred{{EnvEmail, &c.Email}, {EnvPassword, &c.Password}, {EnvMFASecret, &c.MFASecret}}
	get := func(cr cred, env map[string]string, envFrom string) error {
		if *cr.dst != "" {
			return nil
		}
		if cr.name == EnvEmail {
			if v := strings.TrimSpace(env[cr.name]); v != "" {
				*cr.dst, c.From[cr.name] = v, envFrom
			}
			return nil
		}
		v, fromFile, err := l.secret(cr.name, env)
		if v != "" {
			*cr.dst, c.From[cr.name] = v, envFrom
			if fromFile {
				c.From[cr.name] = FromFile
			}
		}
		return err
	}
	missing := false
	for _, cr := range creds {
		if err := get(cr, l.real, FromEnvironment); err != nil {
			return err
		}
		missing = missing || *cr.dst == ""
	}
	if missing && c.Keychain && kc != nil {
		k, err := kc.Load(ctx, c.Email)
		switch {
		case errors.Is(err, keychain.ErrNotFound):
		case err != nil:
			c.KeychainProblem = fmt.Sprintf("the keychain could not be read (%v); falling back to the .env file (%s=false stops asking the keychain)", err, EnvKeychain)
			c.Warnings = append(c.Warnings, c.KeychainProblem)
		default:
			for _, kv := range []struct {
				cred cred
				v    string
			}{{creds[0], k.Email}, {creds[1], k.Password}, {creds[2], k.MFASecret}} {
				if *kv.cred.dst == "" && kv.v != "" {
					*kv.cred.dst, c.From[kv.cred.name] = kv.v, FromKeychain
				}
			}
		}
	}
	for _, cr := range creds {
		if err := get(cr, l.file, FromEnvFile); err != nil {
			return err
		}
	}
	return nil
}

// checkCredentials validates the credential variables together.
func (c *Config) checkCredentials() error {
	if c.Email != "" && (!strings.Contains(c.Email, "@") || strings.ContainsAny(c.Email, " \t\r\n")) {
		return errorf(EnvEmail, "is not an email address")
	}
	if c.Password != "" && c.Email == "" {
		return errorf(EnvEmail, "is required when %s is set", EnvPassword)
	}
	if c.MFASecret != "" {
		t, err := reauth.NewTOTP(c.MFASecret)
		if err != nil {
			// reauth's errors never contain the secret.
			return errorf(EnvMFASecret, "%v; it is the key shown when setting up an authenticator app (or an otpauth:// URI), not a 6-digit code; run login-setup to get it right", err)
		}
		c.TOTP = t
	}
	if c.Token != "" && c.Cookies != "" {
		return errorf(EnvCookies, "set either %s or %s as a starting session, not both", EnvToken, EnvCookies)
	}
	if c.Token != "" && strings.ContainsAny(c.Token, " \t\r\n;") {
		return errorf(EnvToken, "does not look like a Monarch token (it contains spaces or cookie syntax); a browser Cookie header belongs in %s", EnvCookies)
	}
	return nil
}

// MinHTTPTokenLen is the shortest bearer token accepted for --http. The
// token is the only thing between the network and someone's finances, and
// the server does not slow down guesses: 16 characters of `openssl rand -hex`
// are 64 random bits, beyond online guessing.
const MinHTTPTokenLen = 16

// checkHTTPToken returns the token without surrounding whitespace, which a
// client's "Authorization: Bearer <token>" could never carry (the header's
// value is trimmed), and refuses one that is blank or too short to guess
// slowly. The message never contains the token.
func checkHTTPToken(tok string) (string, error) {
	if tok == "" {
		return "", nil
	}
	t := strings.TrimSpace(tok)
	switch n := utf8.RuneCountInString(t); {
	case n == 0:
		return "", errorf(EnvHTTPToken, "holds only whitespace; unset it, or set it to a random value, e.g. the output of `openssl rand -hex 32`")
	case n < MinHTTPTokenLen:
		return "", errorf(EnvHTTPToken, "is %d characters long; use at least %d (a short token can be guessed by anyone who can reach the port), e.g. the output of `openssl rand -hex 32`", n, MinHTTPTokenLen)
	}
	return t, nil
}

// checkAPIURL returns the base URL without a trailing slash, by the API
// client's own rule for base URLs.
func checkAPIURL(s string) (string, error) {
	if s == "" {
		return monarch.DefaultBaseURL, nil
	}
	if err := monarch.CheckBaseURL(s); err != nil {
		return "", errorf(EnvAPIURL, "%v", err)
	}
	return strings.TrimRight(s, "/"), nil
}

func sessionPath(s string, userConfigDir func() (string, error)) (string, error) {
	if s != "" {
		if strings.HasSuffix(s, "/") || strings.HasSuffix(s, string(filepath.Separator)) {
			return "", errorf(EnvSessionFile, "must name a file, not a directory")
		}
		return s, nil
	}
	dir, err := userConfigDir()
	if err != nil || dir == "" {
		return "", errorf(EnvSessionFile, "is not set and the user config directory is unknown (%v); set it to a file path", err)
	}
	return filepath.Join(dir, "monarch-mcp", "session.json"), nil
}

// journalPath is MONARCH_JOURNAL_FILE checked, or the default: a file
// beside the session file, so that one directory holds all the server's
// state. "off" (any case) turns the journal off.
func journalPath(s, sessionFile string) (path string, off bool, err error) {
	switch {
	case strings.EqualFold(s, "off"):
		return "", true, nil
	case s == "":
		return filepath.Join(filepath.Dir(sessionFile), "changes.jsonl"), false, nil
	case strings.HasSuffix(s, "/") || strings.HasSuffix(s, string(filepath.Separator)):
		return "", false, errorf(EnvJournalFile, "must name a file, not a directory (or off)")
	}
	return s, false, nil
}

// ParseLogLevel accepts debug, info, warn (or warning) and error, in any
// case; "" means info.
func ParseLogLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "info":
		return slog.LevelInfo, nil
	case "debug":
		return slog.LevelDebug, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("must be one of debug, info, warn, error (got %q)", s)
}

// readEnvFile returns the .env file's variables and the path read ("" if
// none).
func readEnvFile(src Source) (map[string]string, string, error) {
	path := src.EnvFile
	if !src.EnvFileSet {
		path = DefaultEnvFile
	} else if path == "" {
		return nil, "", nil
	}
	b, err := src.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !src.EnvFileSet {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", errorf("--env-file", "cannot read %s: %v", path, unwrapPathError(err))
	}
	m, err := godotenv.UnmarshalBytes(b)
	if err != nil {
		// godotenv's message quotes the rest of the file, which may hold
		// secrets; name the line instead when it can be found.
		return nil, "", errorf("--env-file", "%s cannot be parsed%s: each line must be NAME=value, and quoted values need their closing quote", path, badLine(b))
	}
	return m, path, nil
}

// badLine returns " (line N)" for the first line that does not parse on its
// own, or "" if every line does (the problem then spans lines).
func badLine(b []byte) string {
	for i, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if _, err := godotenv.Unmarshal(line); err != nil {
			return fmt.Sprintf(" (line %d)", i+1)
		}
	}
	return ""
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func environMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// loader resolves variables with the precedence described in the package
// documentation.
type loader struct {
	real, file map[string]string
	readFile   func(string) ([]byte, error)
}

// plain returns a non-secret variable: the real environment's value if set
// (non-empty), else the file's. It cannot fail: checking the value is the
// caller's job.
func (l loader) plain(name string) string {
	if v := strings.TrimSpace(l.real[name]); v != "" {
		return v
	}
	return strings.TrimSpace(l.file[name])
}

// secret returns a secret given as NAME or NAME_FILE, and whether it came
// from a NAME_FILE. The first of envs that sets either decides.
func (l loader) secret(name string, envs ...map[string]string) (string, bool, error) {
	for _, env := range envs {
		v, f := env[name], env[name+"_FILE"]
		switch {
		case v != "" && f != "":
			return "", false, errorf(name, "set %s or %s_FILE, not both", name, name)
		case f != "":
			b, err := l.readFile(f)
			if err != nil {
				return "", false, errorf(name+"_FILE", "cannot read %s: %v", f, unwrapPathError(err))
			}
			// Secret files usually end with a newline (every editor and
			// `echo` add one), and stray spaces are invisible there; the
			// secret has neither. Trimmed the same way for every secret, so
			// a password that starts or ends with a space belongs in NAME.
			s := strings.TrimSpace(string(b))
			if s == "" {
				return "", false, errorf(name+"_FILE", "%s is empty or holds only whitespace", f)
			}
			return s, true, nil
		case v != "":
			return v, false, nil
		}
	}
	return "", false, nil
}

// unknownVars names MONARCH_* variables this program does not read.
func unknownVars(envs ...map[string]string) []string {
	known := map[string]bool{}
	for _, v := range Variables() {
		known[v.Name] = true
		if v.Secret {
			known[v.Name+"_FILE"] = true
		}
	}
	var out []string
	for _, env := range envs {
		for k := range env {
			if strings.HasPrefix(k, "MONARCH_") && !known[k] && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	warnings := make([]string, len(out))
	for i, k := range out {
		warnings[i] = fmt.Sprintf("ignoring unknown variable %s (a typo?)", k)
	}
	return warnings
}
