package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 5, 20, 15, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const testDevice = "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"

// start starts a sandbox for the test, on a fixed clock unless opts sets
// one: the demo data, sessions and TOTP checks never read the wall clock.
func start(t *testing.T, opts Options) *Sandbox {
	t.Helper()
	if opts.Now == nil {
		opts.Now = newClock().Now
	}
	sb, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	return sb
}

func code(t *testing.T, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(DemoMFASecret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// creds is what a client sends to GraphQL.
type creds struct {
	token        string
	session      string
	csrfCookie   string
	csrfHeader   string
	origin       string
	device       string
	omitDeviceID bool
}

func (c creds) apply(r *http.Request) {
	if c.token != "" {
		r.Header.Set("Authorization", "Token "+c.token)
	}
	if c.session != "" {
		r.AddCookie(&http.Cookie{Name: "session_id", Value: c.session})
	}
	if c.csrfCookie != "" {
		r.AddCookie(&http.Cookie{Name: "csrftoken", Value: c.csrfCookie})
	}
	if c.csrfHeader != "" {
		r.Header.Set("X-CSRFToken", c.csrfHeader)
	}
	if c.origin != "" {
		r.Header.Set("Origin", c.origin)
	}
	if !c.omitDeviceID {
		d := c.device
		if d == "" {
			d = testDevice
		}
		r.Header.Set("device-uuid", d)
	}
}

// browser returns cookie credentials with correct CSRF headers.
func browser(session, csrf string) creds {
	return creds{session: session, csrfCookie: csrf, csrfHeader: csrf, origin: webOrigin}
}

type loginResult struct {
	status  int
	header  http.Header
	body    map[string]any
	cookies map[string]string
}

func login(t *testing.T, sb *Sandbox, body map[string]any, withDevice bool) loginResult {
	t.Helper()
	res, err := tryLogin(sb, body, withDevice)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// tryLogin posts a login; safe to call from any goroutine.
func tryLogin(sb *Sandbox, body map[string]any, withDevice bool) (loginResult, error) {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, sb.URL()+"/auth/login/", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if withDevice {
		req.Header.Set("device-uuid", testDevice)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return loginResult{}, err
	}
	defer resp.Body.Close()
	res := loginResult{status: resp.StatusCode, header: resp.Header, cookies: map[string]string{}}
	_ = json.NewDecoder(resp.Body).Decode(&res.body)
	for _, c := range resp.Cookies() {
		res.cookies[c.Name] = c.Value
	}
	return res, nil
}

func goodBody(c *clock) map[string]any {
	return map[string]any{"username": DemoEmail, "password": DemoPassword, "supports_mfa": true, "trusted_device": true}
}

func withCode(t *testing.T, b map[string]any, at time.Time) map[string]any {
	b["totp"] = code(t, at)
	return b
}

type gqlResult struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
	err    error // transport error
}

func gql(ctx context.Context, sb *Sandbox, c creds, op string, variables map[string]any) gqlResult {
	raw, _ := json.Marshal(map[string]any{"operationName": op, "query": "query " + op + " { x }", "variables": variables})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, sb.URL()+"/graphql", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	c.apply(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return gqlResult{err: err}
	}
	defer resp.Body.Close()
	res := gqlResult{status: resp.StatusCode, header: resp.Header}
	res.raw, res.err = io.ReadAll(resp.Body)
	if res.err == nil {
		_ = json.Unmarshal(res.raw, &res.body)
	}
	return res
}

// data runs op and fails the test unless it answers 200 with data and no errors.
func data(t *testing.T, sb *Sandbox, c creds, op string, variables map[string]any) map[string]any {
	t.Helper()
	r := gql(context.Background(), sb, c, op, variables)
	if r.err != nil || r.status != http.StatusOK {
		t.Fatalf("%s: status %d err %v body %s", op, r.status, r.err, r.raw)
	}
	if r.body["errors"] != nil {
		t.Fatalf("%s: errors %s", op, r.raw)
	}
	d, ok := r.body["data"].(map[string]any)
	if !ok {
		t.Fatalf("%s: no data: %s", op, r.raw)
	}
	return d
}

// path walks a decoded JSON value: keys for objects, ints for lists.
func path(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func TestLoginOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		opts       Options
		outcome    LoginOutcome
		body       func(t *testing.T, c *clock) map[string]any
		noDevice   bool
		wantStatus int
		wantCode   string // error_code
		wantDetail string
		wantToken  bool
		wantCookie bool
		wantRetry  string
	}{
		{name: "token style ok", body: func(t *testing.T, c *clock) map[string]any { return withCode(t, goodBody(c), c.Now()) },
			wantStatus: 200, wantToken: true},
		{name: "cookie style ok", opts: Options{Style: StyleCookie}, body: func(t *testing.T, c *clock) map[string]any { return withCode(t, goodBody(c), c.Now()) },
			wantStatus: 200, wantCookie: true},
		{name: "no MFA account needs no code", opts: Options{NoMFA: true}, body: func(t *testing.T, c *clock) map[string]any { return goodBody(c) },
			wantStatus: 200, wantToken: true},
		{name: "code from previous step accepted", body: func(t *testing.T, c *clock) map[string]any {
			return withCode(t, goodBody(c), c.Now().Add(-30*time.Second))
		}, wantStatus: 200, wantToken: true},
		{name: "missing code", body: func(t *testing.T, c *clock) map[string]any { return goodBody(c) },
			wantStatus: 403, wantCode: "MFA_REQUIRED"},
		{name: "wrong code", body: func(t *testing.T, c *clock) map[string]any {
			b := goodBody(c)
			b["totp"] = "000000"
			if b["totp"] == code(t, c.Now()) {
				b["totp"] = "000001"
			}
			return b
		}, wantStatus: 400, wantDetail: "Invalid MFA code"},
		{name: "stale code", body: func(t *testing.T, c *clock) map[string]any {
			return withCode(t, goodBody(c), c.Now().Add(-5*time.Minute))
		},
			wantStatus: 400, wantDetail: "Invalid MFA code"},
		{name: "wrong password", body: func(t *testing.T, c *clock) map[string]any {
			b := withCode(t, goodBody(c), c.Now())
			b["password"] = "nope"
			return b
		}, wantStatus: 401, wantCode: "INVALID_CREDENTIALS"},
		{name: "wrong email", body: func(t *testing.T, c *clock) map[string]any {
			b := withCode(t, goodBody(c), c.Now())
			b["username"] = "someone@example.com"
			return b
		}, wantStatus: 401, wantCode: "INVALID_CREDENTIALS"},
		{name: "email case-insensitive", body: func(t *testing.T, c *clock) map[string]any {
			b := withCode(t, goodBody(c), c.Now())
			b["username"] = strings.ToUpper(DemoEmail)
			return b
		}, wantStatus: 200, wantToken: true},
		{name: "no device id", noDevice: true, body: func(t *testing.T, c *clock) map[string]any { return withCode(t, goodBody(c), c.Now()) },
			wantStatus: 401},
		{name: "forced bad credentials", outcome: LoginBadCredentials, body: func(t *testing.T, c *clock) map[string]any { return withCode(t, goodBody(c), c.Now()) },
			wantStatus: 401, wantCode: "INVALID_CREDENTIALS"},
		{name: "forced MFA required", outcome: LoginMFARequired, body: func(t *testing.T, c *clock) map[string]any { return withCode(t, goodBody(c), c.Now()) },
			wantStatus: 403, wantCode: "MFA_REQUIRED"},
		{name: "forced email code", outcome: LoginEmailCode, body: func(t *testing.T, c *clock) map[string]any { return goodBody(c) },
			wantStatus: 403, wantCode: "EMAIL_OTP_REQUIRED", wantDetail: "Retrieve the code from your email to continue login."},
		{name: "forced captcha", outcome: LoginCaptcha, body: func(t *testing.T, c *clock) map[string]any { return goodBody(c) },
			wantStatus: 403, wantCode: "CAPTCHA_REQUIRED", wantDetail: "CAPTCHA is required to proceed."},
		{name: "forced update app", outcome: LoginUpdateApp, body: func(t *testing.T, c *clock) map[string]any { return goodBody(c) },
			wantStatus: 403, wantDetail: "Please update to the latest version of the app to continue login."},
		{name: "forced rate limit", outcome: LoginRateLimited, body: func(t *testing.T, c *clock) map[string]any { return goodBody(c) },
			wantStatus: 429, wantRetry: "1"},
		{name: "forced server error", outcome: LoginServerError, body: func(t *testing.T, c *clock) map[string]any { return goodBody(c) },
			wantStatus: 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			tt.opts.Now = c.Now
			sb := start(t, tt.opts)
			sb.SetLoginOutcome(tt.outcome)
			res := login(t, sb, tt.body(t, c), !tt.noDevice)
			if res.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %v)", res.status, tt.wantStatus, res.body)
			}
			if got, _ := res.body["error_code"].(string); got != tt.wantCode {
				t.Errorf("error_code = %q, want %q", got, tt.wantCode)
			}
			if tt.wantDetail != "" && res.body["detail"] != tt.wantDetail {
				t.Errorf("detail = %v, want %q", res.body["detail"], tt.wantDetail)
			}
			if got := res.header.Get("Retry-After"); got != tt.wantRetry {
				t.Errorf("Retry-After = %q, want %q", got, tt.wantRetry)
			}
			tok, _ := res.body["token"].(string)
			if (tok != "") != tt.wantToken {
				t.Errorf("token present = %v, want %v", tok != "", tt.wantToken)
			}
			if hasCookies := res.cookies["session_id"] != "" && res.cookies["csrftoken"] != ""; hasCookies != tt.wantCookie {
				t.Errorf("session cookies = %v, want %v", res.cookies, tt.wantCookie)
			}
			success := tt.wantStatus == 200
			if success {
				if v, ok := res.body["tokenExpiration"]; !ok || v != nil {
					t.Errorf("tokenExpiration = %v (present %v), want null", v, ok)
				}
			}
			wantLogins := 0
			if success {
				wantLogins = 1
			}
			if sb.Logins() != wantLogins || sb.LoginAttempts() != 1 {
				t.Errorf("Logins, LoginAttempts = %d, %d; want %d, 1", sb.Logins(), sb.LoginAttempts(), wantLogins)
			}
		})
	}
}

func TestLoginRefusesReusedCode(t *testing.T) {
	c := newClock()
	sb := start(t, Options{Now: c.Now})
	body := withCode(t, goodBody(c), c.Now())
	if res := login(t, sb, body, true); res.status != 200 {
		t.Fatalf("first login: %d %v", res.status, res.body)
	}
	if res := login(t, sb, body, true); res.status != 400 || res.body["detail"] != "Invalid MFA code" {
		t.Fatalf("reused code: %d %v, want 400 Invalid MFA code", res.status, res.body)
	}
	c.Advance(30 * time.Second)
	if res := login(t, sb, withCode(t, goodBody(c), c.Now()), true); res.status != 200 {
		t.Fatalf("next step's code: %d %v", res.status, res.body)
	}
	if sb.Logins() != 2 || sb.LoginAttempts() != 3 {
		t.Errorf("Logins, LoginAttempts = %d, %d; want 2, 3", sb.Logins(), sb.LoginAttempts())
	}
}

func TestLoginMethodAndBody(t *testing.T) {
	sb := start(t, Options{})
	resp, err := http.Get(sb.URL() + "/auth/login/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET login = %d, want 405", resp.StatusCode)
	}
	resp, err = http.Post(sb.URL()+"/auth/login/", "application/json", strings.NewReader("{not json"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad JSON login = %d, want 400", resp.StatusCode)
	}
}

func TestSessionLifetime(t *testing.T) {
	tests := []struct {
		name    string
		ttl     time.Duration
		trusted bool
		want    time.Duration // 0 = long-lived
	}{
		{"trusted device long-lived", 0, true, 0},
		{"untrusted device one hour", 0, false, time.Hour},
		{"SessionTTL", 10 * time.Minute, true, 10 * time.Minute},
	}
	for _, style := range []AuthStyle{StyleToken, StyleCookie} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/style%d", tt.name, style), func(t *testing.T) {
				c := newClock()
				sb := start(t, Options{Style: style, SessionTTL: tt.ttl, NoMFA: true, Now: c.Now})
				b := goodBody(c)
				b["trusted_device"] = tt.trusted
				res := login(t, sb, b, true)
				if res.status != 200 {
					t.Fatalf("login: %d %v", res.status, res.body)
				}
				cr := creds{token: fmt.Sprint(res.body["token"])}
				if style == StyleCookie {
					cr = browser(res.cookies["session_id"], res.cookies["csrftoken"])
				}
				exp := res.body["tokenExpiration"]
				if tt.want == 0 {
					if exp != nil {
						t.Fatalf("tokenExpiration = %v, want null", exp)
					}
					c.Advance(365 * 24 * time.Hour)
					data(t, sb, cr, "GetAccounts", nil)
					return
				}
				got, err := time.Parse(time.RFC3339Nano, fmt.Sprint(exp))
				if err != nil || !got.Equal(c.Now().Add(tt.want)) {
					t.Fatalf("tokenExpiration = %v (%v), want %v", exp, err, c.Now().Add(tt.want))
				}
				c.Advance(tt.want - time.Second)
				data(t, sb, cr, "GetAccounts", nil)
				c.Advance(time.Second)
				if r := gql(context.Background(), sb, cr, "GetAccounts", nil); r.status != 401 {
					t.Fatalf("after expiry: %d %s, want 401", r.status, r.raw)
				}
			})
		}
	}
}

func TestAuthStyles(t *testing.T) {
	tokenSB := start(t, Options{})
	cookieSB := start(t, Options{Style: StyleCookie})
	tok := tokenSB.IssueToken()
	parse := func(h string) (session, csrf string) {
		for _, kv := range strings.Split(h, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
			switch k {
			case "session_id":
				session = v
			case "csrftoken":
				csrf = v
			}
		}
		return
	}
	bs, bc := parse(cookieSB.BrowserCookieHeader())
	ts, tc := parse(tokenSB.BrowserCookieHeader())
	cookieTok := cookieSB.IssueToken()
	if tok == "" || bs == "" || bc == "" || strings.Contains(tok, ".") {
		t.Fatalf("IssueToken %q / BrowserCookieHeader session %q csrf %q", tok, bs, bc)
	}
	tests := []struct {
		name string
		sb   *Sandbox
		c    creds
		want int
	}{
		{"token accepted", tokenSB, creds{token: tok}, 200},
		{"no credentials", tokenSB, creds{}, 401},
		{"unknown token", tokenSB, creds{token: "0123456789abcdef"}, 401},
		{"bearer scheme refused", tokenSB, creds{token: ""}, 401},
		{"token without device id", tokenSB, creds{token: tok, omitDeviceID: true}, 401},
		{"browser cookies work on a token account", tokenSB, browser(ts, tc), 200},
		{"browser cookies with any device id", tokenSB, func() creds { c := browser(ts, tc); c.device = "other"; return c }(), 200},
		{"cookies accepted", cookieSB, browser(bs, bc), 200},
		{"bare token refused on cookie account", cookieSB, creds{token: cookieTok}, 401},
		{"cookies without CSRF header", cookieSB, creds{session: bs, csrfCookie: bc, origin: webOrigin}, 403},
		{"CSRF header mismatch", cookieSB, creds{session: bs, csrfCookie: bc, csrfHeader: "x" + bc, origin: webOrigin}, 403},
		{"CSRF cookie of another session", cookieSB, func() creds { _, other := parse(cookieSB.BrowserCookieHeader()); return browser(bs, other) }(), 403},
		{"wrong origin", cookieSB, creds{session: bs, csrfCookie: bc, csrfHeader: bc, origin: "https://evil.example"}, 403},
		{"no origin", cookieSB, creds{session: bs, csrfCookie: bc, csrfHeader: bc}, 403},
		{"unknown session", cookieSB, browser("nosuchsession", bc), 401},
		{"cookies without device id", cookieSB, func() creds { c := browser(bs, bc); c.omitDeviceID = true; return c }(), 401},
		{"stale cookie falls back to a valid token", tokenSB, func() creds { c := browser("stale", "x"); c.token = tok; return c }(), 200},
		{"live cookie failing CSRF is refused even with a token", tokenSB, creds{session: ts, csrfCookie: tc, token: tok}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			if tt.name == "bearer scheme refused" {
				raw := []byte(`{"operationName":"GetAccounts","query":"query GetAccounts { accounts { id } }"}`)
				req, _ := http.NewRequest(http.MethodPost, tt.sb.URL()+"/graphql", bytes.NewReader(raw))
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("device-uuid", testDevice)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tt.want {
					t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
				}
				return
			}
			r := gql(context.Background(), tt.sb, c, "GetAccounts", nil)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.raw)
			}
			if tt.want != 200 {
				if _, ok := r.body["detail"].(string); !ok {
					t.Errorf("refusal body %s has no detail", r.raw)
				}
			}
		})
	}
}

func TestLoginSessionBoundToDevice(t *testing.T) {
	for _, style := range []AuthStyle{StyleToken, StyleCookie} {
		sb := start(t, Options{Style: style, NoMFA: true})
		res := login(t, sb, goodBody(nil), true)
		cr := creds{token: fmt.Sprint(res.body["token"])}
		if style == StyleCookie {
			cr = browser(res.cookies["session_id"], res.cookies["csrftoken"])
		}
		data(t, sb, cr, "GetAccounts", nil)
		cr.device = "another-device"
		if r := gql(context.Background(), sb, cr, "GetAccounts", nil); r.status != 401 {
			t.Errorf("style %d: other device id: %d, want 401", style, r.status)
		}
	}
}

func TestExpiryControls(t *testing.T) {
	sb := start(t, Options{NoMFA: true})
	tok := sb.IssueToken()
	data(t, sb, creds{token: tok}, "GetAccounts", nil)
	sb.ExpireSessions()
	if r := gql(context.Background(), sb, creds{token: tok}, "GetAccounts", nil); r.status != 401 {
		t.Fatalf("after ExpireSessions: %d, want 401", r.status)
	}
	fresh := fmt.Sprint(login(t, sb, goodBody(nil), true).body["token"])
	data(t, sb, creds{token: fresh}, "GetAccounts", nil)

	sb.ExpireAfterRequests(2)
	for i := 0; i < 2; i++ {
		data(t, sb, creds{token: fresh}, "GetCategories", nil)
	}
	if r := gql(context.Background(), sb, creds{token: fresh}, "GetCategories", nil); r.status != 401 {
		t.Fatalf("third request after ExpireAfterRequests(2): %d, want 401", r.status)
	}
	// A new session gets a fresh allowance of two.
	renewed := fmt.Sprint(login(t, sb, goodBody(nil), true).body["token"])
	data(t, sb, creds{token: renewed}, "GetCategories", nil)
	data(t, sb, creds{token: renewed}, "GetCategories", nil)
	if r := gql(context.Background(), sb, creds{token: renewed}, "GetCategories", nil); r.status != 401 {
		t.Fatalf("renewed session's third request: %d, want 401", r.status)
	}
	sb.ExpireAfterRequests(0)
	unlimited := sb.IssueToken()
	for i := 0; i < 5; i++ {
		data(t, sb, creds{token: unlimited}, "GetCategories", nil)
	}
	if got := sb.Requests("GetCategories"); got != 11 {
		t.Errorf("Requests(GetCategories) = %d, want 11", got)
	}
	if got := sb.Requests(""); got != 14 {
		t.Errorf("Requests(\"\") = %d, want 14", got)
	}
	if sb.Logins() != 2 {
		t.Errorf("Logins = %d, want 2", sb.Logins())
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
		check func(t *testing.T, r gqlResult)
	}{
		{"server error", Fault{Status: 503}, func(t *testing.T, r gqlResult) {
			if r.status != 503 {
				t.Errorf("status %d", r.status)
			}
		}},
		{"rate limited", Fault{Status: 429, RetryAfter: "2"}, func(t *testing.T, r gqlResult) {
			if r.status != 429 || r.header.Get("Retry-After") != "2" {
				t.Errorf("status %d Retry-After %q", r.status, r.header.Get("Retry-After"))
			}
		}},
		{"unauthorized", Fault{Status: 401}, func(t *testing.T, r gqlResult) {
			if r.status != 401 || r.body["detail"] != "Invalid token." {
				t.Errorf("status %d body %s", r.status, r.raw)
			}
		}},
		{"malformed", Fault{Malformed: true}, func(t *testing.T, r gqlResult) {
			if r.status != 200 || json.Valid(r.raw) {
				t.Errorf("status %d, valid JSON %v", r.status, json.Valid(r.raw))
			}
		}},
		{"truncated", Fault{Truncated: true}, func(t *testing.T, r gqlResult) {
			if r.status != 200 || json.Valid(r.raw) || !bytes.HasPrefix(r.raw, []byte(`{"data":`)) {
				t.Errorf("status %d, body %.60s", r.status, r.raw)
			}
		}},
		{"unauthenticated GraphQL error", Fault{Unauthenticated: true}, func(t *testing.T, r gqlResult) {
			if r.status != 200 || path(r.body, "errors", 0, "extensions", "code") != "UNAUTHENTICATED" || r.body["data"] != nil {
				t.Errorf("status %d body %s", r.status, r.raw)
			}
		}},
		{"reset", Fault{Reset: true}, func(t *testing.T, r gqlResult) {
			if r.err == nil {
				t.Errorf("no transport error; status %d", r.status)
			}
		}},
		{"short delay then served", Fault{Delay: 10 * time.Millisecond}, func(t *testing.T, r gqlResult) {
			if r.status != 200 || r.body["data"] == nil {
				t.Errorf("status %d body %.60s", r.status, r.raw)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := start(t, Options{})
			tok := creds{token: sb.IssueToken()}
			sb.Inject(tt.fault, 2)
			for i := 0; i < 2; i++ {
				tt.check(t, gql(context.Background(), sb, tok, "GetAccounts", nil))
			}
			data(t, sb, tok, "GetAccounts", nil) // the fault is used up
			if sb.Requests("GetAccounts") != 3 {
				t.Errorf("Requests = %d, want 3", sb.Requests("GetAccounts"))
			}
		})
	}
}

func TestFaultDelayHonoursContext(t *testing.T) {
	sb := start(t, Options{})
	tok := creds{token: sb.IssueToken()}
	sb.Inject(Fault{Delay: time.Hour}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r := gql(ctx, sb, tok, "GetAccounts", nil)
	if !errors.Is(r.err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", r.err)
	}
	// The handler stopped waiting: Close must not hang for an hour, and the
	// next request is served.
	data(t, sb, tok, "GetAccounts", nil)
}

func TestUnknownOperation(t *testing.T) {
	sb := start(t, Options{})
	tok := creds{token: sb.IssueToken()}
	for _, op := range []string{"NoSuchOperation", ""} {
		r := gql(context.Background(), sb, tok, op, nil)
		if r.status != 400 || r.body["data"] != nil || path(r.body, "errors", 0, "message") == nil || path(r.body, "errors", 0, "extensions", "code") == nil {
			t.Errorf("%q: status %d body %s", op, r.status, r.raw)
		}
	}
}

// sampleVars gives each operation realistic variables.
func sampleVars(sb *Sandbox, c *clock) map[string]map[string]any {
	sb.lock()
	defer sb.mu.Unlock()
	st := sb.st
	brk, chk := st.acct("brokerage"), st.acct("checking")
	var tx string
	var txAmount float64
	for _, t := range st.sortedTxns()[:1] {
		tx, txAmount = t.id, t.amount
	}
	today := st.today.Format(isoDate)
	monthStart := st.today.AddDate(0, 0, 1-st.today.Day()).Format(isoDate)
	filters := map[string]any{"search": "", "categories": []any{}, "accounts": []any{}, "tags": []any{}, "startDate": st.today.AddDate(0, -1, 0).Format(isoDate), "endDate": today}
	// An upload session as the upload endpoint leaves it, for the parse
	// mutation and the status query.
	st.uploads["sample-upload"] = &upload{key: "sample-upload", acct: chk, rows: []balanceRow{{today, 100}}, status: "uploaded"}
	rule := map[string]any{"merchantCriteria": []any{map[string]any{"operator": "contains", "value": "Corner"}}, "setCategoryAction": st.catByName["Groceries"].id, "applyToExistingTransactions": false}
	goal := st.goals.list[0]
	update := map[string]any{"id": st.rules[0].id, "merchantCriteria": []any{map[string]any{"operator": "contains", "value": "Corner"}}, "setCategoryAction": st.catByName["Groceries"].id}
	return map[string]map[string]any{
		"GetAccounts":                              nil,
		"ForceRefreshAccountsQuery":                nil,
		"Common_ForceRefreshAccountsMutation":      {"input": map[string]any{"accountIds": []any{chk.id}}},
		"Web_GetHoldings":                          {"input": map[string]any{"accountIds": []any{brk.id}, "startDate": today, "endDate": today, "includeHiddenHoldings": true}},
		"AccountDetails_getAccount":                {"id": chk.id},
		"GetAccountRecentBalances":                 {"startDate": st.today.AddDate(0, 0, -31).Format(isoDate)},
		"GetAggregateSnapshots":                    {"filters": map[string]any{"startDate": st.today.AddDate(0, -3, 0).Format(isoDate), "endDate": nil, "accountType": nil}},
		"Web_GetInstitutionSettings":               nil,
		"GetTransactionsList":                      {"offset": 0, "limit": 20, "orderBy": "date", "filters": filters},
		"GetTransactionsPage":                      nil,
		"GetTransactionDrawer":                     {"id": tx, "redirectPosted": true},
		"Common_CreateTransactionMutation":         {"input": map[string]any{"date": today, "accountId": chk.id, "amount": -12.34, "merchantName": "Corner Store", "categoryId": st.catByName["Groceries"].id, "notes": "", "shouldUpdateBalance": false}},
		"Web_TransactionDrawerUpdateTransaction":   {"input": map[string]any{"id": tx, "notes": "checked", "reviewed": true}},
		"Common_DeleteTransactionMutation":         {"input": map[string]any{"transactionId": tx}},
		"Web_SetTransactionTags":                   {"input": map[string]any{"transactionId": tx, "tagIds": []any{st.tags[0].id}}},
		"GetCategories":                            nil,
		"ManageGetCategoryGroups":                  nil,
		"GetHouseholdTransactionTags":              nil,
		"Common_CreateTransactionTag":              {"input": map[string]any{"name": "Work", "color": "#19D2A5"}},
		"Common_GetJointPlanningData":              {"startDate": st.today.AddDate(0, -1, 1-st.today.Day()).Format(isoDate), "endDate": today},
		"GetJointPlanningData":                     {"startDate": monthStart, "endDate": today, "useV2Goals": true},
		"Common_UpdateBudgetItem":                  {"input": map[string]any{"startDate": monthStart, "timeframe": "month", "categoryId": st.catByName["Groceries"].id, "categoryGroupId": nil, "amount": 400.0, "applyToFuture": false}},
		"Web_GetCashFlowPage":                      {"filters": filters},
		"Web_GetUpcomingRecurringTransactionItems": {"startDate": today, "endDate": st.today.AddDate(0, 0, 30).Format(isoDate)},
		"Common_GetMe":                             nil,
		"TransactionSplitQuery":                    {"id": tx},
		"Common_SplitTransactionMutation": {"input": map[string]any{"transactionId": tx, "splitData": []any{
			map[string]any{"merchantName": "Part A", "amount": round2(txAmount - 1), "categoryId": st.catByName["Groceries"].id},
			map[string]any{"merchantName": "Part B", "amount": 1.0, "categoryId": st.catByName["Shopping"].id, "notes": "n"},
		}}},
		"GetTransactionRules":                    nil,
		"Common_CreateTransactionRuleMutationV2": {"input": rule},
		"Common_UpdateTransactionRuleMutationV2": {"input": update},
		"Common_DeleteTransactionRule":           {"id": st.rules[0].id},
		"Web_ParseUploadBalanceHistorySession":   {"input": map[string]any{"sessionKey": "sample-upload"}},
		"Web_GetUploadBalanceHistorySession":     {"sessionKey": "sample-upload"},
		"Web_CreateCategory":                     {"input": map[string]any{"group": st.groups[3].id, "name": "Snacks", "icon": "🍪", "rolloverEnabled": false, "rolloverType": "monthly", "rolloverStartMonth": monthStart}},
		"Web_UpdateCategory":                     {"input": map[string]any{"id": st.catByName["Coffee Shops"].id, "name": "Cafés", "icon": "☕"}},
		"GetSnapshotsByAccountType":              {"startDate": st.today.AddDate(0, -3, 0).Format(isoDate), "timeframe": "month"},
		"Common_GetEditMerchant":                 {"merchantId": st.streams[2].merch.id},
		"Web_GetMerchantSettingsPage":            {"offset": 0, "limit": 10, "orderBy": "NAME", "search": "net"},
		"Common_UpdateMerchant":                  {"input": map[string]any{"merchantId": st.streams[2].merch.id, "name": "Netflix.com", "recurrence": map[string]any{"amount": -17.99, "isActive": true}}},
		"Common_GetRecurringStreams":             {"includeLiabilities": true},
		"Web_ReviewStream":                       {"input": map[string]any{"streamId": st.streams[2].id, "reviewStatus": "ignored"}},
		// Goals, both models.
		"Web_GetGoalsModel":                 nil,
		"Web_GetGoalOptions":                nil,
		"Web_GetSavingsGoals":               nil,
		"Web_GetGoalsV2":                    nil,
		"Web_CreateSavingsGoal":             {"input": map[string]any{"name": "Car", "type": "savings", "targetAmount": 9000.0, "targetDate": monthStart}},
		"Web_UpdateSavingsGoal":             {"input": map[string]any{"id": goal.id, "name": "Rainy day", "accountIdsToLink": []any{chk.id}}},
		"Web_DeleteSavingsGoal":             {"input": map[string]any{"id": goal.id}},
		"Web_CreateSavingsGoalContribution": {"input": map[string]any{"id": goal.id, "accountId": chk.id, "amount": 50.0, "date": today}},
		"Web_CreateSavingsGoalWithdrawal":   {"input": map[string]any{"id": goal.id, "accountId": goal.linked[0].id, "amount": 50.0}},
		"Web_CreateGoalV2":                  {"input": map[string]any{"name": "Car", "objective": "savings", "targetAmount": 9000.0}},
		"Web_UpdateGoalV2":                  {"input": map[string]any{"id": goal.id, "plannedMonthlyContribution": 300.0}},
		"Web_DeleteGoalV2":                  {"input": map[string]any{"id": goal.id}},
		"Web_CreateGoalAccountAllocation":   {"input": map[string]any{"goalId": goal.id, "accountId": chk.id, "useEntireAccountBalance": true}},
		"Web_DeleteGoalAccountAllocation":   {"input": map[string]any{"goalId": goal.id, "accountId": goal.linked[0].id}},

		// Household: credit scores, members, businesses, tag and category deletion.
		"Common_GetSpinwheelCreditScoreSnapshots": {"startDate": st.today.AddDate(-1, 0, 0).Format(isoDate), "endDate": today},
		"GetHouseholdMembers":                     nil,
		"GetBusinessEntities":                     nil,
		"Common_UpdateTransactionTag":             {"input": map[string]any{"id": st.tags[0].id, "name": "Trips", "color": "#19D2A5"}},
		"Common_DeleteTransactionTag":             {"tagId": st.tags[0].id},
		"Web_DeleteCategory":                      {"id": st.catByName["Coffee Shops"].id, "moveToCategoryId": st.catByName["Restaurants & Bars"].id},
		// Investments.
		"Web_GetPortfolio":        {"portfolioInput": map[string]any{"startDate": st.today.AddDate(-1, 0, 0).Format(isoDate), "endDate": today}},
		"GetAccountTypeOptions":   nil,
		"Web_CreateManualAccount": {"input": map[string]any{"name": "House", "type": "real_estate", "subtype": "primary_home", "displayBalance": 450000.0, "includeInNetWorth": true}},
		"Common_UpdateAccount":    {"input": map[string]any{"id": st.accounts[0].id, "name": "Everyday Checking", "hideFromList": true}},
		"Common_DeleteAccount":    {"id": st.accounts[1].id},
		"Common_BulkUpdateTransactionsMutation": {
			"selectedTransactionIds": []any{st.sortedTxns()[0].id}, "allSelected": false, "expectedAffectedTransactionCount": 1.0,
			"updates": map[string]any{"notes": "bulk", "hide": false, "reviewStatus": "reviewed"},
		},
	}
}

// TestOperationsAnswerEveryQueryField sends each query file that the
// sandbox serves — the client's (monarch/queries) and those of operations
// the client does not send (testdata) — and checks that every field the
// query selects is in the answer.
func TestOperationsAnswerEveryQueryField(t *testing.T) {
	files, err := filepath.Glob("../queries/*.graphql")
	if err != nil || len(files) == 0 {
		t.Skipf("no query files (%v)", err)
	}
	more, err := filepath.Glob("testdata/*.graphql")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	served := map[string]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parseDoc(string(src))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if operations[doc.op] == nil {
			t.Logf("%s: operation %s not served by the sandbox", filepath.Base(f), doc.op)
			continue
		}
		served[doc.op] = true
		t.Run(filepath.Base(f), func(t *testing.T) {
			c := newClock()
			sb := start(t, Options{Now: c.Now})
			v := sampleVars(sb, c)
			vars, ok := v[doc.op]
			if !ok {
				t.Fatalf("no sample variables for %s", doc.op)
			}
			d := data(t, sb, creds{token: sb.IssueToken()}, doc.op, vars)
			if miss := doc.missingFields(d, doc.sel, "data"); len(miss) > 0 {
				t.Errorf("%s: missing fields %v", doc.op, miss)
			}
			for _, f := range doc.sel {
				if !strings.HasPrefix(f.key, "...") && d[f.key] == nil {
					t.Errorf("%s: root field %s is null", doc.op, f.key)
				}
			}
		})
	}
	for op := range operations {
		if !served[op] && op != "GetJointPlanningData" {
			t.Errorf("sandbox serves %s but no query file selects it", op)
		}
	}
}

// TestEveryOperationAnswers covers operations by name, whether or not a
// query file exists, so the sandbox stands alone.
func TestEveryOperationAnswers(t *testing.T) {
	c := newClock()
	sb := start(t, Options{Now: c.Now})
	samples := sampleVars(sb, c)
	if len(samples) != len(operations) {
		t.Errorf("%d samples for %d operations", len(samples), len(operations))
	}
	for op := range samples {
		t.Run(op, func(t *testing.T) {
			if operations[op] == nil {
				t.Fatalf("sample for unknown operation %s", op)
			}
			sb := start(t, Options{Now: c.Now}) // fresh: mutations must not affect the others
			d := data(t, sb, creds{token: sb.IssueToken()}, op, sampleVars(sb, c)[op])
			if len(d) == 0 {
				t.Errorf("%s: empty data", op)
			}
		})
	}
}
