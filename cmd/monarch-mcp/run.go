package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
	"github.com/monarch-mcp/monarch-mcp/internal/httpserve"
	"github.com/monarch-mcp/monarch-mcp/internal/keychain"
	"github.com/monarch-mcp/monarch-mcp/tools"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1 // a tool call failed, or the server stopped on an error
	exitBadUsage = 2 // bad flags, arguments or configuration
)

// flags are the command-line options.
type flags struct {
	demo       bool
	readOnly   bool
	toolsets   string
	envFile    string
	envFileSet bool
	httpAddr   string
	version    bool
	help       bool
}

func newFlagSet(f *flags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("monarch-mcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&f.demo, "demo", false, "serve an in-process fake Monarch with demo data (no account, no network)")
	fs.BoolVar(&f.readOnly, "read-only", false, "hide every tool that changes data (same as "+config.EnvReadOnly+"=true)")
	fs.StringVar(&f.toolsets, "toolsets", "", "comma-separated `TOOLSETS` to serve, or all (overrides "+config.EnvToolsets+"; default "+strings.Join(tools.DefaultToolsets(), ",")+")")
	fs.StringVar(&f.envFile, "env-file", config.DefaultEnvFile, "read variables from this file (real environment wins); \"\" for none")
	fs.StringVar(&f.httpAddr, "http", "", "serve MCP over streamable HTTP at http://`ADDR`/mcp instead of stdio (host defaults to 127.0.0.1; other hosts need "+config.EnvHTTPToken+")")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	fs.BoolVar(&f.help, "help", false, "show this help")
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags before and after the command word, so that both
// `monarch-mcp --demo call x` and `monarch-mcp call --demo x` work.
func parseArgs(args []string, stderr io.Writer) (flags, string, []string, error) {
	var f flags
	fs := newFlagSet(&f, stderr)
	if err := fs.Parse(args); err != nil {
		return f, "", nil, err
	}
	rest := fs.Args()
	cmd := "serve"
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
		if err := fs.Parse(rest); err != nil {
			return f, "", nil, err
		}
		rest = fs.Args()
	}
	fs.Visit(func(fl *flag.Flag) {
		if fl.Name == "env-file" {
			f.envFileSet = true
		}
	})
	return f, cmd, rest, nil
}

// run is the whole program; main only wires it to the process.
func run(ctx context.Context, args, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, cmd, rest, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		usage(stdout, credentialsNow(ctx, environ, f))
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "Run monarch-mcp --help for usage.")
		return exitBadUsage
	}
	if f.help || cmd == "help" {
		usage(stdout, credentialsNow(ctx, environ, f))
		return exitOK
	}
	if f.version {
		fmt.Fprintln(stdout, versionString())
		return exitOK
	}
	switch cmd {
	case "serve", "tools", "call":
	default:
		fmt.Fprintf(stderr, "monarch-mcp: unknown command %q (want serve, tools or call). Run monarch-mcp --help for usage.\n", cmd)
		return exitBadUsage
	}
	if cmd == "serve" && len(rest) > 0 {
		fmt.Fprintf(stderr, "monarch-mcp: unexpected argument %q. Run monarch-mcp --help for usage.\n", rest[0])
		return exitBadUsage
	}
	if cmd != "serve" && f.httpAddr != "" {
		fmt.Fprintf(stderr, "monarch-mcp: --http serves MCP; it does not apply to %s.\n", cmd)
		return exitBadUsage
	}
	if cmd == "call" && len(rest) == 0 {
		fmt.Fprintln(stderr, "monarch-mcp: call needs a tool name, e.g. monarch-mcp call get_accounts (monarch-mcp tools lists them).")
		return exitBadUsage
	}

	cfg, err := config.Load(ctx, configSource(environ, f))
	if err != nil {
		fmt.Fprintf(stderr, "monarch-mcp: %v\n", err)
		return exitBadUsage
	}
	if f.readOnly {
		cfg.ReadOnly = true
	}
	toolsetsVar, toolsetsChoice := config.EnvToolsets, cfg.Toolsets
	if f.toolsets != "" {
		toolsetsVar, toolsetsChoice = "--toolsets", f.toolsets
	}
	toolsets, err := tools.ParseToolsets(toolsetsChoice)
	if err != nil {
		fmt.Fprintf(stderr, "monarch-mcp: %v\n", &config.Error{Var: toolsetsVar, Msg: err.Error()})
		return exitBadUsage
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	for _, w := range cfg.Warnings {
		logger.Warn(w)
	}
	if cfg.EnvFile != "" {
		logger.Debug("read variables from env file", "path", cfg.EnvFile)
	}

	// Open the HTTP listener before signing in or starting anything, so a
	// bad address or a missing token fails at once.
	var httpLn net.Listener
	var httpLoopback bool
	if cmd == "serve" && f.httpAddr != "" {
		httpLn, httpLoopback, err = httpserve.Listen(httpserve.Options{Addr: f.httpAddr, Token: cfg.HTTPToken})
		if err != nil {
			if errors.Is(err, httpserve.ErrTokenRequired) {
				fmt.Fprintf(stderr, "monarch-mcp: --http %v: set %s (e.g. to the output of `openssl rand -hex 32`) and send it as \"Authorization: Bearer <token>\", or listen on 127.0.0.1.\n", err, config.EnvHTTPToken)
			} else {
				fmt.Fprintf(stderr, "monarch-mcp: --http: %v\n", err)
			}
			return exitBadUsage
		}
		defer httpLn.Close()
	}

	a, err := newApp(ctx, cfg, toolsets, f.demo, logger)
	if err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			fmt.Fprintf(stderr, "monarch-mcp: %v\n", err)
			return exitBadUsage
		}
		logger.Error("start-up failed", "err", err)
		return exitFailure
	}
	defer a.Close()
	switch cmd {
	case "tools":
		return listTools(ctx, a, stdout, stderr)
	case "call":
		return callTool(ctx, a, rest[0], rest[1:], stdout, stderr)
	default:
		freeStartupMemory(a)
		if httpLn != nil {
			if err := httpserve.Serve(ctx, a.server, httpLn, httpLoopback, httpserve.Options{Token: cfg.HTTPToken, Logger: logger}); err != nil {
				logger.Error("server stopped", "err", err)
				return exitFailure
			}
			return exitOK
		}
		if err := serveStdio(ctx, a.server, stdin, stdout, logger); err != nil {
			logger.Error("server stopped", "err", err)
			return exitFailure
		}
		return exitOK
	}
}

// freeStartupMemory hands the pages of start-up garbage (dependencies
// compile JSON meta-schemas at init; the tools are built once) back to the
// OS, so that an idle server stays small: once the first client has its
// answer to initialize (it says so with notifications/initialized) and the
// tools are built, so that neither waits for a full collection.
func freeStartupMemory(a *app) {
	var once sync.Once
	a.server.AddNotificationHandler(string(mcp.MethodNotificationInitialized), func(context.Context, mcp.JSONRPCNotification) {
		once.Do(func() {
			go func() {
				<-a.srv.Ready()
				debug.FreeOSMemory()
			}()
		})
	})
}

// configSource is where the configuration is read from: the OS keychain
// included, except in demo mode, which signs in to the built-in demo
// account and has no use for real credentials.
func configSource(environ []string, f flags) config.Source {
	src := config.Source{Environ: environ, EnvFile: f.envFile, EnvFileSet: f.envFileSet}
	if !f.demo {
		src.Keychain = &keychain.Store{Ring: keychain.System()}
	}
	return src
}

// credentialsNow is --help's line on where the sign-in credentials would be
// read from now: source names only, never a value.
func credentialsNow(ctx context.Context, environ []string, f flags) string {
	cfg, err := config.Load(ctx, configSource(environ, f))
	if err != nil {
		// A config.Error never holds a secret value.
		return "Credentials now: the configuration has a problem: " + err.Error()
	}
	line := "Credentials now: none set; run login-setup"
	if from := cfg.CredentialsFrom(); from != "" {
		line = "Credentials now: read from the " + from
	}
	if cfg.KeychainProblem != "" {
		line += "\n  (" + cfg.KeychainProblem + ")"
	}
	return line
}

func usage(w io.Writer, credentials string) {
	var b strings.Builder
	b.WriteString(`monarch-mcp: an MCP server for Monarch Money.

Usage:
  monarch-mcp [flags]                       serve MCP on stdio (what MCP clients run)
  monarch-mcp [flags] --http 127.0.0.1:8080 serve MCP over streamable HTTP at /mcp (and /healthz)
  monarch-mcp [flags] tools                 list the tools
  monarch-mcp [flags] call TOOL [key=value ...]
  monarch-mcp [flags] call TOOL '{"key": "value"}'
                                            run one tool and print its result

Try it without an account:
  monarch-mcp --demo call get_accounts
  monarch-mcp --demo call get_transactions start_date=2026-01-01 end_date=2026-01-31 limit=5

Flags:
`)
	var f flags
	fs := newFlagSet(&f, &b)
	fs.PrintDefaults()
	b.WriteString("\nEnvironment (also read from the --env-file; a secret NAME may be given as NAME_FILE=/path):\n")
	for _, v := range config.Variables() {
		name := v.Name
		if v.Secret {
			name += " (or _FILE)"
		}
		fmt.Fprintf(&b, "  %-34s %s\n", name, v.Help)
	}
	fmt.Fprintf(&b, `
Sign-in credentials (%s, %s, %s) are each taken from the
first of: the environment, a NAME_FILE, the OS keychain (service %q, where
login-setup stores them when it can), the --env-file.
%s
`, config.EnvEmail, config.EnvPassword, config.EnvMFASecret, keychain.Service, credentials)
	b.WriteString(`
Logs go to stderr; stdout carries only MCP messages. Passwords, MFA secrets, codes,
tokens and cookies are never logged. Exit status: 0 ok, 1 failure, 2 bad usage or configuration.
`)
	io.WriteString(w, b.String())
}

// stdinIsTTY reports whether r is an interactive terminal, to warn people
// who start the server by hand.
func stdinIsTTY(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
