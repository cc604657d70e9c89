package monarch_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

func TestLoginStyles(t *testing.T) {
	tests := []struct {
		name      string
		opts      sandbox.Options
		wantStyle string
	}{
		{"token", sandbox.Options{Style: sandbox.StyleToken}, monarch.StyleToken},
		{"cookie", sandbox.Options{Style: sandbox.StyleCookie}, monarch.StyleCookie},
		{"no MFA", sandbox.Options{NoMFA: true}, monarch.StyleToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := testenv.New(t, testenv.Options{Sandbox: tt.opts, NoTOTP: tt.opts.NoMFA})
			ctx := context.Background()
			s, err := e.Client.Login(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if s.Style != tt.wantStyle || s.Source != monarch.SourceLogin || s.DeviceID == "" || !s.Expiry.IsZero() {
				t.Errorf("session %s device=%q", s, s.DeviceID)
			}
			switch tt.wantStyle {
			case monarch.StyleToken:
				if s.Token == "" {
					t.Error("no token")
				}
			case monarch.StyleCookie:
				if s.Token != "" || s.CSRF() == "" {
					t.Errorf("cookie session: token %v, csrf %v", s.Token != "", s.CSRF() != "")
				}
			}
			// The device id is kept across logins.
			s2, err := e.Client.Login(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if s2.DeviceID != s.DeviceID {
				t.Error("device id changed across logins")
			}
			if e.Sandbox.Logins() != 2 {
				t.Errorf("sandbox counted %d logins, want 2", e.Sandbox.Logins())
			}
			// And the session works.
			e.Client.Auth().Set(s2)
			if err := e.Client.Ping(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestLoginShortLivedSession(t *testing.T) {
	for _, style := range []sandbox.AuthStyle{sandbox.StyleToken, sandbox.StyleCookie} {
		e := testenv.New(t, testenv.Options{Sandbox: sandbox.Options{Style: style, SessionTTL: time.Hour}})
		s := e.Login(t)
		want := e.Clock.Now().Add(time.Hour)
		if d := s.Expiry.Sub(want); d < -2*time.Second || d > 2*time.Second {
			t.Errorf("style %d: expiry %v, want about %v", style, s.Expiry, want)
		}
		if strings.Count(e.Logs.String(), "session with an expiry") != 1 {
			t.Errorf("style %d: not one warning about the short-lived session in:\n%s", style, e.Logs)
		}
	}
}

func TestLoginErrors(t *testing.T) {
	tests := []struct {
		name    string
		outcome sandbox.LoginOutcome
		opts    testenv.Options
		kind    monarch.LoginErrorKind
		refused bool // errors.Is(err, reauth.ErrBadCredentials)
		limited bool // errors.Is(err, reauth.ErrRateLimited)
		says    []string
		mustNot []string
	}{
		{name: "bad credentials (forced)", outcome: sandbox.LoginBadCredentials, kind: monarch.KindBadCredentials, refused: true,
			says: []string{"MONARCH_PASSWORD", "login-setup"}},
		{name: "wrong password", opts: testenv.Options{Config: monarch.Config{Password: "wrong-password-xyz"}}, kind: monarch.KindBadCredentials, refused: true,
			mustNot: []string{"wrong-password-xyz"}},
		{name: "MFA required, no secret", opts: testenv.Options{NoTOTP: true}, kind: monarch.KindMFARequired, refused: true,
			says: []string{"MONARCH_MFA_SECRET", "login-setup"}},
		{name: "MFA required (forced) with a secret", outcome: sandbox.LoginMFARequired, kind: monarch.KindInvalidMFACode, refused: true,
			says: []string{"MONARCH_MFA_SECRET"}},
		{name: "wrong secret", opts: testenv.Options{Config: monarch.Config{TOTP: mustTOTP(t, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")}}, kind: monarch.KindInvalidMFACode, refused: true,
			says: []string{"authenticator code", "clock"}},
		{name: "email code", outcome: sandbox.LoginEmailCode, kind: monarch.KindEmailCodeRequired, refused: true,
			says: []string{"authenticator-app 2FA", "Settings → Security", "login-setup"}},
		{name: "captcha", outcome: sandbox.LoginCaptcha, kind: monarch.KindCaptcha, refused: true,
			says: []string{"CAPTCHA", "browser", "MONARCH_COOKIES", "login-setup"}, mustNot: []string{"MONARCH_MFA_SECRET", "requires an authenticator"}},
		{name: "update app", outcome: sandbox.LoginUpdateApp, kind: monarch.KindUpdateApp, refused: true,
			says: []string{"Please update to the latest version of the app to continue login.", "monarch-client-version may need updating"}},
		{name: "rate limited", outcome: sandbox.LoginRateLimited, kind: monarch.KindRateLimited, limited: true,
			says: []string{"retry after 1s"}},
		{name: "server error", outcome: sandbox.LoginServerError, kind: monarch.KindServer,
			says: []string{"HTTP 500", "temporary"}, mustNot: []string{"<h1>"}},
		{name: "no credentials", opts: testenv.Options{NoCredentials: true}, kind: monarch.KindNoCredentials, refused: true,
			says: []string{"MONARCH_EMAIL", "login-setup"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := testenv.New(t, tt.opts)
			e.Sandbox.SetLoginOutcome(tt.outcome)
			_, err := e.Client.Login(context.Background(), nil)
			var le *monarch.LoginError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v (%T), want *LoginError", err, err)
			}
			if le.Kind != tt.kind {
				t.Fatalf("kind = %v, want %v (%v)", le.Kind, tt.kind, err)
			}
			if !errors.Is(err, &monarch.LoginError{Kind: tt.kind}) {
				t.Error("errors.Is with a LoginError of the same kind is false")
			}
			if got := errors.Is(err, reauth.ErrBadCredentials); got != tt.refused {
				t.Errorf("errors.Is(ErrBadCredentials) = %v", got)
			}
			if got := errors.Is(err, reauth.ErrRateLimited); got != tt.limited {
				t.Errorf("errors.Is(ErrRateLimited) = %v", got)
			}
			if tt.limited {
				var rd reauth.RetryDelayer
				if !errors.As(err, &rd) || rd.RetryDelay() != time.Second {
					t.Errorf("RetryDelay missing or wrong")
				}
			}
			class, _ := reauth.DefaultClassifyLogin(err)
			if tt.refused && class != reauth.LoginRefused || !tt.refused && !tt.limited && class != reauth.LoginTransient {
				t.Errorf("reauth classifies it as %v", class)
			}
			msg := err.Error()
			for _, s := range tt.says {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q lacks %q", msg, s)
				}
			}
			for _, s := range append(tt.mustNot, sandbox.DemoPassword, sandbox.DemoMFASecret) {
				if strings.Contains(msg, s) {
					t.Errorf("message %q contains %q", msg, s)
				}
			}
		})
	}
}

func TestLoginPastedSessionCannotBeRenewed(t *testing.T) {
	tests := []struct {
		source string
		says   string
	}{
		{monarch.SourceBrowser, "the browser session has expired: paste a fresh one with login-setup"},
		{monarch.SourceToken, "paste a fresh session with login-setup"},
	}
	for _, tt := range tests {
		e := testenv.New(t, testenv.Options{NoCredentials: true})
		_, err := e.Client.Login(context.Background(), &monarch.Session{Source: tt.source})
		if !errors.Is(err, reauth.ErrBadCredentials) || !errors.Is(err, &monarch.LoginError{Kind: monarch.KindNoCredentials}) {
			t.Fatalf("%s: err = %v", tt.source, err)
		}
		if !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: %q lacks %q", tt.source, err, tt.says)
		}
		if e.Sandbox.LoginAttempts() != 0 {
			t.Errorf("%s: a login was attempted", tt.source)
		}
	}
}

func TestLoginRefusesReusedCode(t *testing.T) {
	// Two clients sharing one TOTP source never send the same code twice:
	// the second login waits (on the fake clock) for the next step.
	e := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	start := e.Clock.Now()
	for range 3 {
		if _, err := e.Client.Login(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	if e.Clock.Now().Sub(start) < 30*time.Second {
		t.Error("three logins in one step: codes were reused")
	}
}

func mustTOTP(t *testing.T, secret string) *reauth.TOTP {
	t.Helper()
	tp, err := reauth.NewTOTP(secret)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// A login whose connection was refused never reached Monarch, so its code
// is not spent: the next attempt sends it at once. A login that reached
// Monarch spends its code, and the next one waits for the next step.
func TestLoginSpendsCodeOnlyWhenSent(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close() // nothing listens: connections are refused
	for _, tc := range []struct {
		name     string
		baseURL  string
		wantWait bool
	}{
		{"connection refused", dead, false},
		{"reached Monarch", e.Sandbox.URL(), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			totp, err := reauth.NewTOTP(sandbox.DemoMFASecret)
			if err != nil {
				t.Fatal(err)
			}
			waited := false
			totp.Now = e.Clock.Now
			totp.Sleep = func(ctx context.Context, d time.Duration) error { waited = true; return e.Clock.Sleep(ctx, d) }
			c, err := monarch.New(monarch.Config{BaseURL: tc.baseURL, Email: sandbox.DemoEmail, Password: "wrong", TOTP: totp})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if _, err := c.Login(context.Background(), nil); err == nil {
					t.Fatal("login succeeded")
				}
			}
			if waited != tc.wantWait {
				t.Fatalf("second login waited for a new code: %v, want %v", waited, tc.wantWait)
			}
		})
	}
}
