package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
	"github.com/monarch-mcp/monarch-mcp/journal"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
	"github.com/monarch-mcp/monarch-mcp/tools"
)

// demoSessionTTL is how long the demo sandbox's sessions live: short, so
// that renewals show up in the logs of a short session.
const demoSessionTTL = 3 * time.Minute

// app is a configured client and MCP server, plus what must be closed.
type app struct {
	client *monarch.Client
	server *server.MCPServer
	// srv holds the tools, built once server has answered initialize.
	srv *tools.Server
	// toolsets are the toolsets served.
	toolsets []string
	sandbox  *sandbox.Sandbox // nil unless --demo
}

func (a *app) Close() {
	if a.sandbox != nil {
		a.sandbox.Close()
	}
}

// newApp builds the client and server. With demo it first starts the
// sandbox and points a copy of the configuration at it with the demo
// credentials. cfg itself is left as it is.
func newApp(ctx context.Context, cfg *config.Config, toolsets []string, demo bool, logger *slog.Logger) (*app, error) {
	a := &app{toolsets: toolsets}
	run := *cfg
	if demo {
		sb, err := sandbox.Start(sandbox.Options{SessionTTL: demoSessionTTL})
		if err != nil {
			return nil, fmt.Errorf("start demo sandbox: %w", err)
		}
		a.sandbox = sb
		run, err = demoConfig(cfg, sb.URL())
		if err != nil {
			sb.Close()
			return nil, err
		}
		logger.Info("demo mode: serving a fake Monarch with demo data; no account, no network",
			"url", sb.URL(), "session_ttl", demoSessionTTL)
	}

	mcfg := monarch.Config{
		BaseURL:       run.APIURL,
		Email:         run.Email,
		Password:      run.Password,
		ClientVersion: run.ClientVersion,
		Logger:        logger,
	}
	if demo {
		// Renew a minute before the short demo sessions end; the default
		// margin (5 min) exceeds their whole life.
		mcfg.RefreshMargin = time.Minute
	}
	if run.SessionFile != "" {
		store := reauth.NewFileStore[*monarch.Session](run.SessionFile)
		mcfg.Store = store
		if run.TOTP != nil {
			// Processes sharing the session file share the record of
			// codes sent, so none sends a code another already sent. The
			// generator is this client's own, so cfg's stays untouched.
			totp, err := reauth.NewTOTP(run.MFASecret)
			if err != nil {
				a.Close()
				return nil, fmt.Errorf("%s: %w", config.EnvMFASecret, err)
			}
			totp.Ledger = store.Ledger()
			run.TOTP = totp
		}
	}
	mcfg.TOTP = run.TOTP
	c, err := monarch.New(mcfg)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("monarch client: %w", err)
	}
	a.client = c
	if err := startSession(ctx, c, &run, logger); err != nil {
		a.Close()
		return nil, err
	}
	st := tools.Status{
		ReadOnly:    run.ReadOnly,
		SessionFile: run.SessionFile,
		Demo:        demo,
		// Names only, for setup_authentication; never values.
		SetVariables:    run.SetNames(),
		CredentialsFrom: run.CredentialsFrom(),
		EnvFile:         run.EnvFile,
		Journal:         openJournal(run, demo, c.Now),
	}
	a.srv = tools.StartServer(func() []tools.Tool { return tools.AllIn(c, st, logger, toolsets) }, tools.Options{
		Version:  versionOnly(),
		ReadOnly: run.ReadOnly,
		Toolsets: toolsets,
	})
	a.server = a.srv.MCP
	return a, nil
}

// openJournal returns the change journal to record writes in: nil when
// turned off; in memory for the demo, whose changes end with the process
// and must never mix with a real household's record.
func openJournal(cfg config.Config, demo bool, now func() time.Time) *journal.Journal {
	switch {
	case cfg.JournalOff:
		return nil
	case demo:
		return journal.Memory(journal.Options{Now: now})
	}
	return journal.Open(cfg.JournalFile, journal.Options{Now: now})
}

// allTools returns every tool, served or not, once they are built.
func (a *app) allTools() []tools.Tool { return a.srv.Tools() }

// demoConfig is cfg signed in to the demo account of the sandbox at url.
// Only the demo account: real credentials, a starting session or a session
// file must never meet the sandbox (or vice versa).
func demoConfig(cfg *config.Config, url string) (config.Config, error) {
	totp, err := reauth.NewTOTP(sandbox.DemoMFASecret)
	if err != nil {
		return config.Config{}, fmt.Errorf("demo MFA secret: %w", err)
	}
	d := *cfg
	d.Email, d.Password, d.MFASecret, d.TOTP = sandbox.DemoEmail, sandbox.DemoPassword, sandbox.DemoMFASecret, totp
	d.Token, d.Cookies, d.SessionFile = "", "", ""
	// The demo account's credentials are built in: none came from a source.
	d.From = nil
	d.APIURL = url
	return d, nil
}

// startSession installs the session to start from: the stored one, unless
// the environment supplies a pasted session different from a stored pasted
// one (the user pasted a fresh one); else MONARCH_TOKEN or MONARCH_COOKIES;
// else none, and the first call logs in.
func startSession(ctx context.Context, c *monarch.Client, cfg *config.Config, logger *slog.Logger) error {
	var pasted *monarch.Session
	switch {
	case cfg.Token != "":
		pasted = monarch.TokenSession(cfg.Token)
	case cfg.Cookies != "":
		s, err := monarch.ParseCookieHeader(cfg.Cookies)
		if err != nil {
			return &config.Error{Var: config.EnvCookies, Msg: err.Error()}
		}
		pasted = s
	}
	auth := c.Auth()
	ok, err := auth.LoadStored(ctx)
	if err != nil {
		// A damaged file is not fatal: the next login overwrites it.
		logger.Warn("ignoring stored session", "err", err)
	}
	if ok {
		stored, _, _ := auth.Current()
		if pasted == nil || stored.Source == monarch.SourceLogin || samePasted(stored, pasted) {
			logger.Info("using stored session", "path", cfg.SessionFile, "style", stored.Style)
			return nil
		}
		logger.Info("the environment supplies a different pasted session than the stored one; using the environment's")
	}
	if pasted != nil {
		auth.Set(pasted)
		logger.Info("using the starting session from the environment", "style", pasted.Style)
		return nil
	}
	if !c.CanRelogin() {
		// Not fatal: an MCP client should show the server, and its tools
		// answer with how to set sign-in up.
		logger.Warn("sign-in is not configured: every tool will answer with how to set it up",
			"set", config.EnvEmail+" and "+config.EnvPassword+" (or run login-setup, or use --demo)")
		return nil
	}
	logger.Info("no session yet; the first tool call logs in")
	return nil
}

// samePasted reports whether two pasted sessions carry the same credentials.
func samePasted(a, b *monarch.Session) bool {
	if a.Token != b.Token || len(a.Cookies) != len(b.Cookies) {
		return false
	}
	for i := range a.Cookies {
		if a.Cookies[i] != b.Cookies[i] {
			return false
		}
	}
	return true
}

func versionOnly() string {
	v, _ := buildVersion()
	return v
}
