package monarch_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

func TestFaults(t *testing.T) {
	tests := []struct {
		name     string
		fault    sandbox.Fault
		n        int
		cfg      monarch.Config
		wantErr  func(error) bool // nil: success expected
		requests int              // GraphQL requests the call made
	}{
		{name: "401", fault: sandbox.Fault{Status: 401}, n: 1, requests: 1,
			wantErr: func(err error) bool { return errors.Is(err, reauth.ErrUnauthorized) }},
		{name: "403 CSRF", fault: sandbox.Fault{Status: 403}, n: 1, requests: 1,
			wantErr: func(err error) bool { return errors.Is(err, reauth.ErrUnauthorized) }},
		{name: "GraphQL unauthenticated", fault: sandbox.Fault{Unauthenticated: true}, n: 1, requests: 1,
			wantErr: func(err error) bool { return errors.Is(err, reauth.ErrUnauthorized) }},
		{name: "503 retried then success", fault: sandbox.Fault{Status: 503}, n: 2, requests: 3},
		{name: "500 retried then success", fault: sandbox.Fault{Status: 500}, n: 3, requests: 4},
		{name: "connection reset retried", fault: sandbox.Fault{Reset: true}, n: 1, requests: 2},
		{name: "502 until retries run out", fault: sandbox.Fault{Status: 502}, n: 10, cfg: monarch.Config{RetryMax: 2}, requests: 3,
			wantErr: func(err error) bool {
				var he *monarch.HTTPError
				return errors.As(err, &he) && he.StatusCode == 502 && he.Attempts == 3 &&
					!errors.Is(err, reauth.ErrUnauthorized) && strings.Contains(err.Error(), "try again later")
			}},
		{name: "no retries configured", fault: sandbox.Fault{Status: 503}, n: 1, cfg: monarch.Config{RetryMax: -1}, requests: 1,
			wantErr: func(err error) bool { var he *monarch.HTTPError; return errors.As(err, &he) }},
		{name: "429 short Retry-After honoured", fault: sandbox.Fault{Status: 429, RetryAfter: "1"}, n: 1, cfg: monarch.Config{RetryWaitMax: 2 * time.Second}, requests: 2},
		{name: "429 long Retry-After not waited out", fault: sandbox.Fault{Status: 429, RetryAfter: "3600"}, n: 1, requests: 1,
			wantErr: func(err error) bool {
				var rd reauth.RetryDelayer
				return errors.Is(err, reauth.ErrRateLimited) && errors.As(err, &rd) && rd.RetryDelay() == time.Hour &&
					!errors.Is(err, reauth.ErrUnauthorized)
			}},
		{name: "malformed JSON", fault: sandbox.Fault{Malformed: true}, n: 1, requests: 1,
			wantErr: func(err error) bool {
				return errors.Is(err, monarch.ErrUnexpectedResponse) &&
					strings.HasPrefix(err.Error(), "Monarch changed its response (operation GetAccounts): ") && strings.Contains(err.Error(), "JSON")
			}},
		{name: "truncated JSON", fault: sandbox.Fault{Truncated: true}, n: 1, requests: 1,
			wantErr: func(err error) bool {
				return errors.Is(err, monarch.ErrUnexpectedResponse) && strings.Contains(err.Error(), "JSON")
			}},
		{name: "body over the size limit", cfg: monarch.Config{MaxResponseBytes: 1000}, requests: 1,
			wantErr: func(err error) bool {
				return errors.Is(err, monarch.ErrUnexpectedResponse) && strings.Contains(err.Error(), "larger than 1000 bytes")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := testenv.New(t, testenv.Options{Config: tt.cfg})
			e.Login(t)
			ctx := context.Background()
			e.Sandbox.Inject(tt.fault, tt.n)
			before := e.Sandbox.Requests("GetAccounts")
			accts, err := e.Client.GetAccounts(ctx)
			if tt.wantErr == nil {
				if err != nil || len(accts) == 0 {
					t.Fatalf("GetAccounts: %d accounts, %v", len(accts), err)
				}
			} else if err == nil || !tt.wantErr(err) {
				t.Fatalf("GetAccounts error %v (%T) is not the expected one", err, err)
			}
			if got := e.Sandbox.Requests("GetAccounts") - before; got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
			if e.Sandbox.LoginAttempts() != 1 {
				t.Errorf("the client logged in by itself (%d attempts)", e.Sandbox.LoginAttempts())
			}
		})
	}
}

func TestCreateIsNotRetriedAfterSending(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	e.Login(t)
	ctx := context.Background()
	h := learn(t, ctx, e.Client)
	e.Sandbox.Inject(sandbox.Fault{Status: 503}, 1)
	_, err := e.Client.CreateTransaction(ctx, monarch.NewTransaction{Date: "2026-01-02", AccountID: h.checking, Amount: -1, MerchantName: "x", CategoryID: h.category})
	var he *monarch.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 503 {
		t.Fatalf("err = %v", err)
	}
	if n := e.Sandbox.Requests("Common_CreateTransactionMutation"); n != 1 {
		t.Errorf("create sent %d times", n)
	}
	// A 429 means it was not processed: that is retried.
	e.Sandbox.Inject(sandbox.Fault{Status: 429, RetryAfter: "0"}, 1)
	if _, err := e.Client.CreateTransaction(ctx, monarch.NewTransaction{Date: "2026-01-02", AccountID: h.checking, Amount: -1, MerchantName: "x", CategoryID: h.category}); err != nil {
		t.Fatal(err)
	}
}

func TestContextAndTimeout(t *testing.T) {
	t.Run("ctx deadline", func(t *testing.T) {
		e := testenv.New(t, testenv.Options{})
		e.Login(t)
		e.Sandbox.Inject(sandbox.Fault{Delay: time.Minute}, 1)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := e.Client.GetAccounts(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("per-request timeout then retry", func(t *testing.T) {
		e := testenv.New(t, testenv.Options{Config: monarch.Config{Timeout: 100 * time.Millisecond}})
		e.Login(t)
		e.Sandbox.Inject(sandbox.Fault{Delay: time.Minute}, 1)
		if _, err := e.Client.GetAccounts(context.Background()); err != nil {
			t.Fatalf("a slow attempt was not retried: %v", err)
		}
	})
}

func TestNoSession(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	_, err := e.Client.GetAccounts(context.Background())
	if !errors.Is(err, reauth.ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if e.Sandbox.Requests("") != 0 {
		t.Error("a request was sent without a session")
	}
}

func TestClampedBackoff(t *testing.T) {
	resp := func(ra string) *http.Response {
		r := &http.Response{StatusCode: 429, Header: http.Header{}}
		if ra != "" {
			r.Header.Set("Retry-After", ra)
		}
		return r
	}
	tests := []struct {
		name    string
		resp    *http.Response
		attempt int
		want    time.Duration
	}{
		{"Retry-After within the cap", resp("2"), 0, 2 * time.Second},
		{"Retry-After over the cap", resp("3600"), 0, 5 * time.Second},
		{"exponential", nil, 2, 4 * time.Second},
		{"exponential capped", nil, 10, 5 * time.Second},
		{"429 without Retry-After", resp(""), 1, 2 * time.Second},
	}
	for _, tt := range tests {
		if got := monarch.ClampedBackoff(time.Second, 5*time.Second, tt.attempt, tt.resp); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestHeaders checks what goes on the wire for both session styles.
func TestHeaders(t *testing.T) {
	var mu sync.Mutex
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{"me":{"id":"1"}}}`))
	}))
	defer srv.Close()
	c, err := monarch.New(monarch.Config{BaseURL: srv.URL + "/", ClientVersion: "v9.9.9"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		s    *monarch.Session
		want map[string]string
	}{
		{"token", &monarch.Session{Style: monarch.StyleToken, Token: "tok1", DeviceID: "dev-1", Source: monarch.SourceToken},
			map[string]string{"Authorization": "Token tok1", "Cookie": "", "X-Csrftoken": "", "Device-Uuid": "dev-1"}},
		{"cookie", &monarch.Session{Style: monarch.StyleCookie, Cookies: []monarch.Cookie{{"csrftoken", "c1"}, {"session_id", "s1"}}, DeviceID: "dev-2", Source: monarch.SourceBrowser},
			map[string]string{"Authorization": "", "Cookie": "csrftoken=c1; session_id=s1", "X-Csrftoken": "c1", "Device-Uuid": "dev-2"}},
	}
	common := map[string]string{
		"Client-Platform": "web", "Content-Type": "application/json", "Accept": "application/json",
		"Origin": "https://app.monarch.com", "Referer": "https://app.monarch.com/",
		"Monarch-Client": "web", "Monarch-Client-Version": "v9.9.9", "User-Agent": monarch.DefaultUserAgent,
	}
	for _, tt := range tests {
		c.Auth().Set(tt.s)
		if err := c.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		h := got
		mu.Unlock()
		for k, v := range common {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", tt.name, k, h.Get(k), v)
			}
		}
		for k, v := range tt.want {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", tt.name, k, h.Get(k), v)
			}
		}
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, u := range []string{"ftp://x", "http://user:pw@host", "api.monarch.com", "https://x/?q=1"} {
		if _, err := monarch.New(monarch.Config{BaseURL: u}); err == nil {
			t.Errorf("%q accepted", u)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("error echoes credentials: %v", err)
		}
	}
}

// TestCreateResentOnlyIfNeverSent checks the at-most-once policy against
// transport errors: a reset connection may have delivered the create, a
// failed dial cannot have.
func TestCreateResentOnlyIfNeverSent(t *testing.T) {
	var failDials atomic.Int32
	var d net.Dialer
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if failDials.Add(-1) >= 0 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("refused")}
		}
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	e := testenv.New(t, testenv.Options{Config: monarch.Config{HTTPClient: &http.Client{Transport: tr}}})
	e.Login(t)
	ctx := context.Background()
	h := learn(t, ctx, e.Client)
	create := func() error {
		_, err := e.Client.CreateTransaction(ctx, monarch.NewTransaction{Date: "2026-01-02", AccountID: h.checking, Amount: -1, MerchantName: "x", CategoryID: h.category})
		return err
	}

	e.Sandbox.Inject(sandbox.Fault{Reset: true}, 1)
	if err := create(); err == nil {
		t.Fatal("a reset create succeeded")
	}
	if n := e.Sandbox.Requests("Common_CreateTransactionMutation"); n != 1 {
		t.Errorf("reset create sent %d times, want 1", n)
	}

	tr.CloseIdleConnections()
	failDials.Store(1)
	if err := create(); err != nil {
		t.Fatalf("create after a failed dial: %v", err)
	}
	if n := e.Sandbox.Requests("Common_CreateTransactionMutation"); n != 2 {
		t.Errorf("%d creates reached the sandbox, want 2", n)
	}
	if !strings.Contains(e.Logs.String(), "operation=Common_CreateTransactionMutation status=200 attempts=2") {
		t.Errorf("the debug log does not report 2 attempts:\n%s", e.Logs)
	}
}

func TestCheckBaseURL(t *testing.T) {
	for _, u := range []string{"", monarch.DefaultBaseURL, "https://api.monarch.com/", "http://localhost:8080", "http://127.0.0.1:1", "http://[::1]:9/"} {
		if err := monarch.CheckBaseURL(u); err != nil {
			t.Errorf("%q refused: %v", u, err)
		}
	}
	for _, u := range []string{"ftp://x", "api.monarch.com", "http://api.monarch.com", "https://u:sekrit@api.monarch.com", "https://x/?q=1", "https://x/#f", "://"} {
		err := monarch.CheckBaseURL(u)
		if err == nil {
			t.Errorf("%q accepted", u)
		} else if strings.Contains(err.Error(), "sekrit") {
			t.Errorf("error echoes credentials: %v", err)
		}
		if _, err := monarch.New(monarch.Config{BaseURL: u}); err == nil {
			t.Errorf("New accepted %q", u)
		}
	}
}
