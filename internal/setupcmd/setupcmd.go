// Package setupcmd is the login-setup command: the one-time setup for
// monarch-mcp. It asks for the Monarch email, password and authenticator
// key, checks them with a real sign-in, and stores them in the OS keychain
// (or, without a usable one, a .env file of mode 0600) with the session, so
// that monarch-mcp can sign in again by itself whenever Monarch ends a
// session. --check verifies an existing setup; --browser stores a session
// copied from a browser instead; --forget removes what was stored. It is a
// package so that one binary can be both programs: the container image
// ships monarch-mcp once, with login-setup as a link to it.
package setupcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	"golang.org/x/term"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
	"github.com/monarch-mcp/monarch-mcp/internal/keychain"
	"github.com/monarch-mcp/monarch-mcp/internal/setup"
)

const usage = `login-setup: set up monarch-mcp's sign-in to Monarch Money.

Usage:
  login-setup [flags]            interactive setup (email, password, authenticator key)
  login-setup --check            verify the stored credentials with a real sign-in; exit 0 or 1
  login-setup --browser          store a session copied from a signed-in browser instead
  login-setup --forget           remove the stored credentials and the session file

It stores MONARCH_EMAIL, MONARCH_PASSWORD and MONARCH_MFA_SECRET in the OS
keychain (service "monarch-mcp": macOS Keychain, Windows Credential
Manager, the Secret Service on Linux desktops) when one is usable, else in
the .env file (mode 0600, other lines kept); --store chooses. It saves the
session where monarch-mcp looks for it (MONARCH_SESSION_FILE), so the
server starts signed in and signs in again by itself whenever Monarch ends
the session.

For scripts: give the email with --email (or MONARCH_EMAIL), the password on
standard input with --password-stdin (or MONARCH_PASSWORD) and the key in
MONARCH_MFA_SECRET; nothing is asked when standard input is not a terminal,
and a missing value exits with status 2.

Ctrl-C at any prompt leaves the .env file as it was.

Flags:
`

// options are the parsed flags.
type options struct {
	setup.Options
	help    bool
	version bool
}

// newFlagSet returns login-setup's flags, bound to o.
func newFlagSet(o *options, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("login-setup", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.EnvFile, "env-file", config.DefaultEnvFile, "the .env file to read and write")
	fs.StringVar(&o.Email, "email", "", "Monarch email (default: asked, or "+config.EnvEmail+")")
	fs.BoolVar(&o.PasswordStdin, "password-stdin", false, "read the password from the first line of standard input")
	fs.BoolVar(&o.QR, "qr", false, "also print the authenticator key as a QR code, to add it to a phone app")
	fs.BoolVar(&o.Check, "check", false, "only verify the existing configuration with a real sign-in")
	fs.BoolVar(&o.Browser, "browser", false, "store a session copied from a browser (for Google/Apple sign-in or a CAPTCHA)")
	fs.StringVar(&o.Store, "store", "", "where to store the credentials: `keychain` or env (default: the keychain when usable, else the .env file)")
	fs.BoolVar(&o.Forget, "forget", false, "remove the stored credentials (keychain entries and .env lines) and the session file")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.help, "help", false, "show this help")
	fs.Usage = func() {}
	return fs
}

// printHelp writes the help text to w.
func printHelp(w io.Writer) {
	var o options
	fs := newFlagSet(&o, w)
	fmt.Fprint(w, usage)
	fs.PrintDefaults()
}

// parseArgs parses the command line; flag errors are returned, not printed.
func parseArgs(args []string) (options, error) {
	var o options
	fs := newFlagSet(&o, io.Discard)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.Check && o.Browser {
		return o, errors.New("--check and --browser cannot be used together")
	}
	if o.PasswordStdin && o.Browser {
		return o, errors.New("--password-stdin is for the password setup, not --browser")
	}
	if o.EnvFile == "" {
		return o, errors.New("--env-file must name a file")
	}
	switch o.Store {
	case "", setup.StoreKeychain, setup.StoreEnv:
	default:
		return o, fmt.Errorf("--store must be %s or %s", setup.StoreKeychain, setup.StoreEnv)
	}
	if o.Store != "" && (o.Check || o.Browser) {
		return o, errors.New("--store applies to the password setup, not --check or --browser")
	}
	if o.Forget && (o.Check || o.Browser || o.PasswordStdin || o.Store != "") {
		return o, errors.New("--forget cannot be combined with --check, --browser, --password-stdin or --store")
	}
	return o, nil
}

// Main runs login-setup with args (without the program name) and returns
// its exit status. version is what --version prints.
func Main(args []string, version string) int {
	o, err := parseArgs(args)
	switch {
	case errors.Is(err, flag.ErrHelp) || err == nil && o.help:
		printHelp(os.Stdout)
		return setup.ExitOK
	case err != nil:
		fmt.Fprintf(os.Stderr, "login-setup: %v (see --help)\n", err)
		return setup.ExitBadUsage
	case o.version:
		fmt.Fprintln(os.Stdout, version)
		return setup.ExitOK
	}
	o.Environ = os.Environ()
	o.Stdin = os.Stdin
	o.Executable = monarchMCPPath()
	o.Keyring = keychain.System()

	tty := setup.NewStdTerminal(os.Stdin)
	stopOnInterrupt(o.EnvFile)
	return setup.Run(context.Background(), o.Options, tty, os.Stdout)
}

// stopOnInterrupt ends the process on Ctrl-C or SIGTERM. A prompt reading
// without echo would otherwise leave the terminal silent; .env is only ever
// replaced whole (written aside, then renamed), so stopping at any point
// leaves it as it was.
func stopOnInterrupt(envFile string) {
	if abs, err := filepath.Abs(envFile); err == nil {
		envFile = abs
	}
	fd := int(os.Stdin.Fd())
	var state *term.State
	if term.IsTerminal(fd) {
		state, _ = term.GetState(fd)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		if state != nil {
			_ = term.Restore(fd, state)
		}
		fmt.Fprintf(os.Stdout, "\nStopped; %s was not changed.\n", envFile)
		os.Exit(130)
	}()
}

// monarchMCPPath is where monarch-mcp is expected: beside this program, as
// the release archives and `go install` put them.
func monarchMCPPath() string {
	name := "monarch-mcp"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	exe, err := os.Executable()
	if err != nil {
		return name
	}
	if p, err := filepath.EvalSymlinks(exe); err == nil {
		exe = p
	}
	return filepath.Join(filepath.Dir(exe), name)
}
