// Package setup is login-setup's wizard: it gets a user from "I have a
// Monarch account" to a .env file and a saved session with which
// monarch-mcp can sign in by itself, for good. It runs on injected
// terminal, output and clock, so tests can drive whole sessions.
package setup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
	"github.com/monarch-mcp/monarch-mcp/internal/keychain"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitFailure  = 1 // the sign-in failed, or the user stopped
	ExitBadUsage = 2 // bad flags, or a value is missing and no one can be asked
)

// maxTries bounds how often one question is asked again after a wrong answer.
const maxTries = 3

// Terminal is the user's terminal as the wizard sees it.
type Terminal interface {
	// ReadLine reads one line without its line ending; io.EOF when input
	// ends (Ctrl-D) or is interrupted.
	ReadLine() (string, error)
	// ReadSecret reads one line without echoing it.
	ReadSecret() (string, error)
	// Interactive reports whether a person is at the terminal; when false
	// the wizard never asks and fails on a missing value instead.
	Interactive() bool
}

// Options are login-setup's flags and surroundings.
type Options struct {
	// EnvFile is the .env file to read and write. Default ".env".
	EnvFile string
	// Email, if set, is used instead of asking.
	Email string
	// PasswordStdin reads the password from Stdin's first line.
	PasswordStdin bool
	Stdin         io.Reader
	// QR prints the key as a QR code, to add it to a phone app.
	QR bool
	// Check only verifies the existing configuration.
	Check bool
	// Browser goes straight to the pasted browser-session path.
	Browser bool
	// Environ is the process environment (KEY=VALUE).
	Environ []string
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Sleep waits for the next authenticator step when a code was already
	// used (a second sign-in within 30 seconds). Default: a real wait.
	Sleep func(ctx context.Context, d time.Duration) error
	// Executable is monarch-mcp's path, for the printed client configs.
	Executable string
	// Store is where the password setup stores the credentials:
	// StoreKeychain, StoreEnv, or "" for the keychain when it is usable
	// and the .env file otherwise.
	Store string
	// Forget removes the stored credentials and the session file.
	Forget bool
	// Keyring is the OS keychain; nil means there is none.
	Keyring keychain.Keyring
	// KeychainTimeout bounds each keychain call; zero means
	// keychain.DefaultTimeout.
	KeychainTimeout time.Duration
}

// wizard is one run.
type wizard struct {
	opts    Options
	term    Terminal
	out     io.Writer
	envPath string // absolute
	fileEnv map[string]string
	rawEnv  []byte
	cfg     *config.Config
	account string // the email being set up, for the QR code's label
	store   string // StoreKeychain or StoreEnv, once chosen
}

// errStopped is returned when input ends before the wizard is done.
var errStopped = errors.New("stopped before the end; nothing was changed")

// usageError is a missing value that no one can be asked for.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// Run runs the wizard (or the --check) and returns the exit code. Every
// message goes to out; none contains the password, the key, a code sent to
// Monarch, or a session.
func Run(ctx context.Context, opts Options, term Terminal, out io.Writer) int {
	if opts.EnvFile == "" {
		opts.EnvFile = config.DefaultEnvFile
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	w := &wizard{opts: opts, term: term, out: out}
	err := w.run(ctx)
	var ue *usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(out, "login-setup: %v\n", err)
		return ExitBadUsage
	case errors.Is(err, errStopped), errors.Is(err, context.Canceled):
		fmt.Fprintf(out, "\nStopped; %s was not changed.\n", w.envPath)
		return ExitFailure
	default:
		fmt.Fprintf(out, "\n%v\n", err)
		return ExitFailure
	}
}

func (w *wizard) run(ctx context.Context) error {
	abs, err := filepath.Abs(w.opts.EnvFile)
	if err != nil {
		return &usageError{fmt.Sprintf("--env-file: %v", err)}
	}
	w.envPath = abs
	if w.fileEnv, w.rawEnv, err = readEnvFile(abs); err != nil {
		return err
	}
	if err := w.loadConfig(ctx); err != nil {
		return err
	}
	switch {
	case w.opts.Forget:
		return w.forget(ctx)
	case w.opts.Check:
		return w.check(ctx)
	case w.opts.Browser:
		return w.browserPath(ctx)
	}
	if err := w.chooseStore(ctx); err != nil {
		return err
	}
	return w.passwordPath(ctx)
}

// loadConfig reads the configuration as monarch-mcp would. A problem in it
// is fatal for --check; otherwise the wizard is there to fix it, so only
// the settings it does not ask for are taken, from the environment.
func (w *wizard) loadConfig(ctx context.Context) error {
	src := config.Source{Environ: w.opts.Environ, EnvFile: w.envPath, EnvFileSet: w.rawEnv != nil, Keychain: w.keychainStore()}
	if w.rawEnv == nil {
		src.EnvFile = ""
		src.EnvFileSet = true
	}
	cfg, err := config.Load(ctx, src)
	if err == nil {
		w.cfg = cfg
		return nil
	}
	if w.opts.Check {
		return fmt.Errorf("The configuration has a problem: %v", err)
	}
	if !w.term.Interactive() && !w.opts.Forget {
		// No one can be asked for the values that would replace it.
		return &usageError{err.Error()}
	}
	if !w.opts.Forget {
		fmt.Fprintf(w.out, "Note: the current settings have a problem (%v); this setup replaces them.\n", err)
	}
	var keep []string
	for _, name := range []string{config.EnvAPIURL, config.EnvSessionFile, config.EnvClientVersion, config.EnvEmail} {
		if v, ok := lookup(w.opts.Environ, name); ok {
			keep = append(keep, name+"="+v)
		} else if v, ok := w.fileEnv[name]; ok {
			keep = append(keep, name+"="+v)
		}
	}
	cfg, err = config.Load(ctx, config.Source{Environ: keep, EnvFileSet: true})
	if err != nil {
		return &usageError{err.Error()}
	}
	w.cfg = cfg
	return nil
}

func lookup(environ []string, name string) (string, bool) {
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// client returns a Monarch client for one verification: no retries (a
// person is waiting, and each failure gets its own message) and no store.
func (w *wizard) client(email, password string, totp *reauth.TOTP) (*monarch.Client, error) {
	return monarch.New(monarch.Config{
		BaseURL:       w.cfg.APIURL,
		Email:         email,
		Password:      password,
		TOTP:          totp,
		ClientVersion: w.cfg.ClientVersion,
		Timeout:       30 * time.Second,
		RetryMax:      -1,
		Logger:        slog.New(slog.DiscardHandler),
		Now:           w.opts.Now,
	})
}

// useClock makes t read the wizard's clock.
func (w *wizard) useClock(t *reauth.TOTP) {
	if t == nil {
		return
	}
	t.Now = w.opts.Now
	if w.opts.Sleep != nil {
		t.Sleep = w.opts.Sleep
	}
}

// ask prints prompt and reads a line; def is shown and returned for an
// empty answer.
func (w *wizard) ask(prompt, def string) (string, error) {
	if def != "" {
		fmt.Fprintf(w.out, "%s [%s]: ", prompt, def)
	} else {
		fmt.Fprintf(w.out, "%s: ", prompt)
	}
	s, err := w.term.ReadLine()
	if err != nil {
		return "", errStopped
	}
	if s = strings.TrimSpace(s); s == "" {
		return def, nil
	}
	return s, nil
}

// echoSwitch is a Terminal that can turn echo off before the prompt shows
// (see StdTerminal.EchoOff).
type echoSwitch interface {
	EchoOff() (restore func(), err error)
}

// askSecret prints prompt and reads a line without echo.
func (w *wizard) askSecret(prompt string) (string, error) {
	if es, ok := w.term.(echoSwitch); ok {
		if restore, err := es.EchoOff(); err == nil {
			defer restore()
		}
	}
	fmt.Fprintf(w.out, "%s: ", prompt)
	s, err := w.term.ReadSecret()
	fmt.Fprintln(w.out)
	if err != nil {
		return "", errStopped
	}
	return strings.TrimSpace(s), nil
}

// yes asks a yes/no question.
func (w *wizard) yes(prompt string, def bool) (bool, error) {
	d := "y/N"
	if def {
		d = "Y/n"
	}
	for range maxTries {
		fmt.Fprintf(w.out, "%s [%s]: ", prompt, d)
		s, err := w.term.ReadLine()
		if err != nil {
			return false, errStopped
		}
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "":
			return def, nil
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		fmt.Fprintln(w.out, "Please answer y or n.")
	}
	return false, errStopped
}

// saveSession stores s where monarch-mcp looks for it.
func (w *wizard) saveSession(ctx context.Context, s *monarch.Session) error {
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	st := reauth.NewFileStore[*monarch.Session](w.cfg.SessionFile)
	if err := st.Save(ctx, reauth.Saved[*monarch.Session]{ID: hex.EncodeToString(id), SavedAt: w.opts.Now(), Session: s}); err != nil {
		return fmt.Errorf("could not save the session to %s: %w", w.cfg.SessionFile, err)
	}
	return nil
}

// saveEnv writes the variables in set (in order) to the .env file, and
// removes the NAME_FILE form of each (one source may not set both).
func (w *wizard) saveEnv(set map[string]string, order []string, remove ...string) error {
	for _, k := range order {
		remove = append(remove, k+"_FILE")
	}
	content := updateEnv(w.rawEnv, set, order, remove)
	written, err := writeEnvFile(w.envPath, content, set)
	if err != nil {
		return err
	}
	if written != w.envPath {
		fmt.Fprintf(w.out, "%s is a symbolic link: wrote the file it points to, %s, and kept the link.\n", w.envPath, written)
	}
	return nil
}

// isNetwork reports whether err is a failure to reach Monarch at all.
func isNetwork(err error) bool {
	var ne net.Error
	var le *monarch.LoginError
	return errors.As(err, &ne) && !errors.As(err, &le)
}

// networkMessage explains a failure to reach Monarch.
func (w *wizard) networkMessage(err error) error {
	return fmt.Errorf("Could not reach Monarch at %s: %v.\nCheck the internet connection (and %s if you set it), then run login-setup again. Nothing was changed.",
		w.cfg.APIURL, rootCause(err), config.EnvAPIURL)
}

// rootCause returns the innermost error's text (e.g. "connection refused").
func rootCause(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

// executable returns monarch-mcp's path for the printed configurations.
func (w *wizard) executable() string {
	if w.opts.Executable != "" {
		return w.opts.Executable
	}
	if exe, err := os.Executable(); err == nil {
		return filepath.Join(filepath.Dir(exe), "monarch-mcp")
	}
	return "monarch-mcp"
}
