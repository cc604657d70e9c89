package monarch_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// accounts is GetAccounts as a reauth handler.
func accounts(c *monarch.Client) func(context.Context, struct{}) ([]monarch.Account, error) {
	return reauth.WithReauth(c.Auth(), func(ctx context.Context, _ struct{}) ([]monarch.Account, error) {
		return c.GetAccounts(ctx)
	})
}

func TestReauthExpireAfterRequests(t *testing.T) {
	for _, style := range []sandbox.AuthStyle{sandbox.StyleToken, sandbox.StyleCookie} {
		t.Run(fmt.Sprint(style), func(t *testing.T) {
			e := testenv.New(t, testenv.Options{Sandbox: sandbox.Options{Style: style}})
			e.Sandbox.ExpireAfterRequests(3)
			call := accounts(e.Client)
			for i := range 10 {
				if _, err := call(context.Background(), struct{}{}); err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			// Each session serves 3 calls: 10 calls need 4 logins.
			if n := e.Sandbox.Logins(); n != 4 {
				t.Errorf("%d logins, want 4", n)
			}
			if st := e.Client.Auth().Stats(); st.Logins != 4 || st.LoginFailures != 0 {
				t.Errorf("manager stats %+v", st)
			}
		})
	}
}

func TestReauthConcurrentCallsShareOneLogin(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	call := accounts(e.Client)
	if _, err := call(context.Background(), struct{}{}); err != nil {
		t.Fatal(err)
	}
	e.Sandbox.ExpireSessions()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := call(context.Background(), struct{}{})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := e.Sandbox.Logins(); n != 2 {
		t.Errorf("%d logins, want 2 (one renewal shared by all callers)", n)
	}
}

func TestReauthShortLivedSessions(t *testing.T) {
	e := testenv.New(t, testenv.Options{Sandbox: sandbox.Options{SessionTTL: time.Hour}})
	call := accounts(e.Client)
	for i := range 4 {
		if _, err := call(context.Background(), struct{}{}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		e.Clock.Advance(2 * time.Hour) // the sandbox's sessions die
	}
	if n := e.Sandbox.Logins(); n != 4 {
		t.Errorf("%d logins, want 4", n)
	}
	if st := e.Client.Auth().Stats(); st.Expiry.IsZero() {
		t.Error("the manager does not know the session's expiry")
	}
}

func TestBrowserSession(t *testing.T) {
	for _, style := range []sandbox.AuthStyle{sandbox.StyleToken, sandbox.StyleCookie} {
		t.Run(fmt.Sprint(style), func(t *testing.T) {
			e := testenv.New(t, testenv.Options{Sandbox: sandbox.Options{Style: style}, NoCredentials: true, NoTOTP: true})
			s, err := monarch.ParseCookieHeader(e.Sandbox.BrowserCookieHeader())
			if err != nil {
				t.Fatal(err)
			}
			e.Client.Auth().Set(s)
			call := accounts(e.Client)
			if _, err := call(context.Background(), struct{}{}); err != nil {
				t.Fatal(err)
			}
			e.Sandbox.ExpireSessions()
			_, err = call(context.Background(), struct{}{})
			if !errors.Is(err, reauth.ErrBadCredentials) || !errors.Is(err, &monarch.LoginError{Kind: monarch.KindNoCredentials}) ||
				!strings.Contains(err.Error(), "the browser session has expired: paste a fresh one with login-setup") {
				t.Fatalf("expired browser session: %v", err)
			}
			// Reported, not retried: the next call fails fast without a login.
			_, err = call(context.Background(), struct{}{})
			var ce *reauth.CooldownError
			if !errors.As(err, &ce) {
				t.Errorf("second call: %v", err)
			}
			if n := e.Sandbox.LoginAttempts(); n != 0 {
				t.Errorf("%d login attempts with a pasted session", n)
			}
		})
	}
}

func TestTokenSessionFromEnvironment(t *testing.T) {
	e := testenv.New(t, testenv.Options{NoCredentials: true})
	e.Client.Auth().Set(monarch.TokenSession(e.Sandbox.IssueToken()))
	if err := e.Client.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestSecretsNotLogged runs logins (good and refused), calls, retries and
// failures at debug level and checks that no secret and no variable value
// reaches the logs or the errors.
func TestSecretsNotLogged(t *testing.T) {
	e := testenv.New(t, testenv.Options{Sandbox: sandbox.Options{Style: sandbox.StyleCookie}})
	ctx := context.Background()
	call := accounts(e.Client)
	var errs []string
	note := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	_, err := call(ctx, struct{}{})
	note(err)
	s1, _, _ := e.Client.Auth().Current()
	e.Sandbox.Inject(sandbox.Fault{Status: 503}, 1)
	e.Sandbox.Inject(sandbox.Fault{Malformed: true}, 1)
	_, err = e.Client.GetAccounts(ctx)
	note(err)
	_, err = e.Client.GetTransactions(ctx, monarch.TransactionQuery{Search: "HOUSEHOLD-SEARCH-TERM"})
	note(err)
	e.Sandbox.ExpireSessions()
	_, err = call(ctx, struct{}{})
	note(err)
	s2, _, _ := e.Client.Auth().Current()
	for _, o := range []sandbox.LoginOutcome{sandbox.LoginBadCredentials, sandbox.LoginCaptcha, sandbox.LoginRateLimited, sandbox.LoginServerError} {
		e.Sandbox.SetLoginOutcome(o)
		_, err := e.Client.Login(ctx, s2)
		note(err)
	}

	secrets := []string{sandbox.DemoPassword, sandbox.DemoMFASecret, "HOUSEHOLD-SEARCH-TERM"}
	for _, s := range []*monarch.Session{s1, s2} {
		if s == nil {
			t.Fatal("no session")
		}
		secrets = append(secrets, s.Token)
		for _, c := range s.Cookies {
			secrets = append(secrets, c.Value)
		}
	}
	// Every TOTP code of the last hour of the fake clock.
	for d := -time.Hour; d <= time.Minute; d += 30 * time.Second {
		code, err := totp.GenerateCodeCustom(sandbox.DemoMFASecret, e.Clock.Now().Add(d), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, "="+code, " "+code, `"`+code)
	}
	logs := e.Logs.String()
	if !strings.Contains(logs, "level=DEBUG") || !strings.Contains(logs, "GetAccounts") {
		t.Fatalf("debug logging not captured:\n%s", logs)
	}
	for _, s := range secrets {
		if s == "" || len(s) < 4 {
			continue
		}
		if strings.Contains(logs, s) {
			t.Errorf("logs contain a secret (%d chars)", len(s))
		}
		for _, m := range errs {
			if strings.Contains(m, s) {
				t.Errorf("error %q contains a secret", m)
			}
		}
	}
}
