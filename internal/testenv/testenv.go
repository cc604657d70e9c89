// Package testenv starts the sandbox Monarch and a client talking to it, for
// the tests of monarch and the packages built on it.
package testenv

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // Zone must work on a machine without a zoneinfo database

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// DefaultNow is where an Env's clock starts unless Options.Now says
// otherwise: mid-month and mid-day UTC, far from any month, day or year
// boundary and from a DST change, so that a test's expectations hold on
// any day it runs. Tests of the awkward dates choose those explicitly.
func DefaultNow() time.Time { return time.Date(2026, time.June, 15, 12, 0, 0, 0, time.UTC) }

// Zone loads a time zone by its IANA name, for tests that run the clock in
// a zone other than UTC.
func Zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone %s: %v", name, err)
	}
	return loc
}

// Clock is a fake clock shared by the sandbox, the client and the TOTP
// source: Sleep advances it at once, so a second login in one TOTP step
// costs no real wait.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Sleep advances the clock by d, unless ctx is already done.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// Logs collects log output (or a child process's stderr); safe for concurrent use.
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Options configure New.
type Options struct {
	// Now is the instant the Env's clock starts at. Default DefaultNow().
	Now time.Time
	// Sandbox options; Now is replaced by the Env's clock.
	Sandbox sandbox.Options
	// Config is the client's configuration. Empty BaseURL, Email, Password
	// and TOTP are filled with the sandbox's URL and demo credentials (see
	// NoCredentials, NoTOTP); retry waits default to milliseconds; Now is
	// the Env's clock unless set.
	Config monarch.Config
	// NoCredentials leaves Email and Password empty.
	NoCredentials bool
	// NoTOTP configures no authenticator secret.
	NoTOTP bool
}

// Env is a started sandbox with a client pointed at it.
type Env struct {
	Sandbox *sandbox.Sandbox
	Client  *monarch.Client
	Clock   *Clock
	// Logs holds the client's log output (debug level, text format).
	Logs *Logs
	// TOTP is the client's code source (nil with NoTOTP).
	TOTP *reauth.TOTP
}

// New starts a sandbox on 127.0.0.1 and a client for it; both are closed
// when the test ends.
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	start := opts.Now
	if start.IsZero() {
		start = DefaultNow()
	}
	clk := NewClock(start)
	so := opts.Sandbox
	so.Now = clk.Now
	sb, err := sandbox.Start(so)
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(sb.Close)
	e := &Env{Sandbox: sb, Clock: clk, Logs: &Logs{}}

	cfg := opts.Config
	if cfg.BaseURL == "" {
		cfg.BaseURL = sb.URL()
	}
	if !opts.NoCredentials {
		if cfg.Email == "" {
			cfg.Email = sandbox.DemoEmail
		}
		if cfg.Password == "" {
			cfg.Password = sandbox.DemoPassword
		}
	}
	if cfg.TOTP == nil && !opts.NoTOTP {
		totp, err := reauth.NewTOTP(sandbox.DemoMFASecret)
		if err != nil {
			t.Fatal(err)
		}
		totp.Now, totp.Sleep = clk.Now, clk.Sleep
		cfg.TOTP = totp
	}
	e.TOTP = cfg.TOTP
	if cfg.Now == nil {
		cfg.Now = clk.Now
	}
	if cfg.RetryWaitMin == 0 {
		cfg.RetryWaitMin = time.Millisecond
	}
	if cfg.RetryWaitMax == 0 {
		cfg.RetryWaitMax = 20 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(e.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	e.Client, err = monarch.New(cfg)
	if err != nil {
		t.Fatalf("monarch.New: %v", err)
	}
	return e
}

// Login signs in through the client's manager and fails the test on error.
func (e *Env) Login(t testing.TB) *monarch.Session {
	t.Helper()
	if err := e.Client.Auth().Renew(context.Background(), 0); err != nil {
		t.Fatalf("login: %v", err)
	}
	s, _, _ := e.Client.Auth().Current()
	return s
}
