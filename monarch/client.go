package monarch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// Defaults for [Config].
const (
	// DefaultBaseURL is Monarch's API host.
	DefaultBaseURL = "https://api.monarch.com"
	// DefaultClientVersion is the monarch-client-version header sent when
	// Config.ClientVersion is empty: the web app's version as captured in
	// mid-2026. Monarch refuses versions it deems too old, so it is
	// configurable.
	DefaultClientVersion = "v1.0.1668"
	// DefaultUserAgent names this client.
	DefaultUserAgent      = "monarch-mcp (+https://github.com/monarch-mcp/monarch-mcp)"
	defaultTimeout        = 30 * time.Second
	defaultRetryMax       = 3
	defaultRetryWaitMin   = 500 * time.Millisecond
	defaultRetryWaitMax   = 10 * time.Second
	defaultMaxBody        = 10 << 20
	webOrigin             = "https://app.monarch.com"
	maxDetailLen          = 300
	maxLoginResponseBytes = 1 << 20
)

// Config configures a [Client]. The zero value talks to Monarch with no
// credentials (a session must then be supplied with Auth().Set).
type Config struct {
	// BaseURL is the API's base URL. Default DefaultBaseURL.
	BaseURL string
	// Email and Password are the credentials Login replays.
	Email, Password string
	// TOTP produces authenticator codes for accounts with app-based 2FA.
	TOTP *reauth.TOTP
	// ClientVersion is sent as monarch-client-version. Default
	// DefaultClientVersion.
	ClientVersion string
	// UserAgent is sent as User-Agent. Default DefaultUserAgent.
	UserAgent string
	// Timeout bounds each HTTP attempt, body included. Default 30s.
	Timeout time.Duration

	// Store persists sessions (e.g. reauth.NewFileStore[*monarch.Session]).
	Store reauth.Store[*Session]
	// Cooldown is how long a refused login blocks further attempts
	// (reauth's default when zero).
	Cooldown time.Duration
	// RefreshMargin is how long before a known expiry the session is renewed
	// (reauth's default when zero).
	RefreshMargin time.Duration
	// Logger receives debug lines about requests (operation names, status,
	// timing; never variables, bodies or credentials) and login events.
	// Default: discard.
	Logger *slog.Logger

	// RetryMax is how many times a failed GraphQL request (5xx, network
	// error, 429) is retried. Default 3; negative means none.
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the wait between retries (defaults
	// 500ms and 10s). A Retry-After longer than RetryWaitMax is not waited
	// out: the call fails with a rate-limit error saying how long to wait.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxResponseBytes bounds a response body. Default 10 MiB.
	MaxResponseBytes int64
	// HTTPClient is the underlying client (its Transport is reused; Jar and
	// CheckRedirect are not). Default: a pooled client from go-cleanhttp,
	// which honours proxy environment variables.
	HTTPClient *http.Client
	// Now is the clock for calendar dates: "today" and "this month" in the
	// requests the client builds, and (through Client.Now) the default date
	// ranges of the tools. Its location is the household's: the date is
	// read in it. The session manager reads it too, to judge the expiry
	// instants Monarch issues. Timeouts and retry waits stay on the real
	// clock. Default time.Now.
	Now func() time.Time
	// Sleep waits between the polls of a wait for a long-running operation
	// (a refresh), ending early with ctx's error when ctx is done. Waits
	// are measured by what Sleep was asked for, not read from a clock, so
	// a fake Sleep makes a wait instant. Default reauth.Sleep (real time).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client talks to Monarch. It is safe for concurrent use.
type Client struct {
	cfg     Config
	base    string       // BaseURL without trailing slash
	http    *http.Client // one attempt; retrying wraps it per request
	auth    *reauth.Manager[*Session]
	logger  *slog.Logger
	queries map[string]string // operation file → text
}

// New returns a client for cfg. It does not contact Monarch.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if err := CheckBaseURL(cfg.BaseURL); err != nil {
		return nil, fmt.Errorf("monarch: BaseURL %w", err)
	}
	if cfg.ClientVersion == "" {
		cfg.ClientVersion = DefaultClientVersion
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	switch {
	case cfg.RetryMax == 0:
		cfg.RetryMax = defaultRetryMax
	case cfg.RetryMax < 0:
		cfg.RetryMax = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = defaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = defaultRetryWaitMax
	}
	cfg.RetryWaitMax = max(cfg.RetryWaitMax, cfg.RetryWaitMin)
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = defaultMaxBody
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = reauth.Sleep
	}
	queries, err := loadQueries()
	if err != nil {
		return nil, err
	}

	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		hc = *cleanhttp.DefaultPooledClient()
	}
	hc.Timeout = cfg.Timeout
	hc.Jar = nil
	// A redirect would turn the login POST into a GET (the old host does
	// this) and could carry credentials elsewhere: report it instead.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	c := &Client{
		cfg:     cfg,
		base:    strings.TrimRight(cfg.BaseURL, "/"),
		http:    &hc,
		logger:  cfg.Logger,
		queries: queries,
	}
	c.auth, err = reauth.NewManager(reauth.Config[*Session]{
		Login:         c.Login,
		Store:         cfg.Store,
		Expiry:        sessionExpiry,
		Cooldown:      cfg.Cooldown,
		RefreshMargin: cfg.RefreshMargin,
		Logger:        cfg.Logger,
		// Expiry instants come from Monarch's clock; judge them on the
		// clock the client's dates come from, which is Monarch's sandbox's
		// in tests and the real one otherwise.
		Now: cfg.Now,
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// CheckBaseURL reports why s cannot be [Config.BaseURL], or nil if it can
// ("" stands for DefaultBaseURL). The error reads after the setting's
// name ("must use https ...") and never quotes s, which may hold a
// password. Plain http is allowed only to a loopback host: the login sends
// the password.
func CheckBaseURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || u.Scheme != "https" && u.Scheme != "http":
		return errors.New("must be an absolute http(s) URL such as " + DefaultBaseURL)
	case u.User != nil:
		return errors.New("must not contain a user name or password")
	case u.Scheme == "http" && !loopbackHost(u.Hostname()):
		return errors.New("must use https (plain http is only allowed to localhost)")
	case u.RawQuery != "" || u.Fragment != "":
		return errors.New("must not have a query or fragment")
	}
	return nil
}

// loopbackHost reports whether host names this machine.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Auth returns the manager holding the client's session. Wrap calls with
// reauth.WithReauth(c.Auth(), ...) to have them re-login when Monarch
// refuses the session.
func (c *Client) Auth() *reauth.Manager[*Session] { return c.auth }

// Now reads the clock set as Config.Now. Everything built on the client
// takes "today" from it, so that the tools and the requests they send
// agree on the date.
func (c *Client) Now() time.Time { return c.cfg.Now() }

// CanRelogin reports whether an email and password are configured, so that
// an expired session can be replaced without the user.
func (c *Client) CanRelogin() bool { return c.cfg.Email != "" && c.cfg.Password != "" }

// HasMFASecret reports whether an authenticator secret is configured.
func (c *Client) HasMFASecret() bool { return c.cfg.TOTP != nil }

// BaseURL returns the API base URL in use.
func (c *Client) BaseURL() string { return c.base }

// setHeaders sets the headers Monarch's web app sends, and the session's
// credentials if s is not nil.
func (c *Client) setHeaders(h http.Header, deviceID string, s *Session) {
	h.Set("Accept", "application/json")
	h.Set("Content-Type", "application/json")
	h.Set("Client-Platform", "web")
	h.Set("User-Agent", c.cfg.UserAgent)
	h.Set("Origin", webOrigin)
	h.Set("Referer", webOrigin+"/")
	h.Set("monarch-client", "web")
	h.Set("monarch-client-version", c.cfg.ClientVersion)
	if deviceID != "" {
		h.Set("device-uuid", deviceID)
	}
	if s == nil {
		return
	}
	if s.Token != "" {
		h.Set("Authorization", "Token "+s.Token)
	}
	// An explicit Cookie header rather than a jar shared across renewals:
	// the session is the single source of truth for the cookies sent.
	if len(s.Cookies) > 0 {
		var b strings.Builder
		for i, ck := range s.Cookies {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(ck.Name)
			b.WriteByte('=')
			b.WriteString(ck.Value)
		}
		h.Set("Cookie", b.String())
		if csrf := s.CSRF(); csrf != "" {
			h.Set("X-CSRFToken", csrf)
		}
	}
}

// delivery says whether a request may be sent again after an attempt that
// may have reached Monarch.
type delivery int

const (
	// resendable requests are re-sent after any failure retrying can fix.
	resendable delivery = iota
	// atMostOnce requests are re-sent only when Monarch certainly did not
	// act on them: the connection was never made, or it answered 429.
	atMostOnce
)

// retrying returns the retrying client for one request sent as d: it
// retries network errors, 5xx (except 501) and 429, and never 401/403,
// which are reauth's business; an atMostOnce request only when it cannot
// have reached Monarch. A Retry-After beyond RetryWaitMax is not waited out.
// It sets *attempts to the number of attempts made.
func (c *Client) retrying(d delivery, attempts *int) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   c.http,
		Logger:       debugLogger{c.logger},
		RetryWaitMin: c.cfg.RetryWaitMin,
		RetryWaitMax: c.cfg.RetryWaitMax,
		RetryMax:     c.cfg.RetryMax,
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			return c.checkRetry(ctx, d, resp, err)
		},
		Backoff: clampedBackoff,
		// Runs before each attempt, on the caller's goroutine.
		RequestLogHook: func(_ retryablehttp.Logger, _ *http.Request, attempt int) { *attempts = attempt + 1 },
		// Hand back the last response so its status decides the error.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// checkRetry is the retry policy of a request sent as d (see retrying).
func (c *Client) checkRetry(ctx context.Context, d delivery, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if d == atMostOnce && !neverSent(err) {
			return false, err
		}
		// DefaultRetryPolicy knows the errors that retrying cannot fix
		// (bad scheme, TLS certificates, too many redirects).
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return retryAfter(resp) <= c.cfg.RetryWaitMax, nil
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return d != atMostOnce, nil
	}
	return false, nil
}

// neverSent reports whether a transport error happened before the request
// could reach the server (the connection was never made).
func neverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// clampedBackoff is retryablehttp's exponential backoff (which honours
// Retry-After on 429 and 503) capped at max: the default returns
// Retry-After uncapped.
func clampedBackoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	return min(retryablehttp.DefaultBackoff(minWait, maxWait, attempt, resp), maxWait)
}

// retryAfter parses a response's Retry-After (seconds or HTTP date); zero if
// absent or invalid.
func retryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d.Round(time.Second)
		}
	}
	return 0
}

// readBody reads at most limit bytes of body and closes it; a longer body is
// an error rather than a silently truncated answer.
func readBody(body io.ReadCloser, limit int64) ([]byte, error) {
	defer body.Close()
	b, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("the answer is larger than %d bytes", limit)
	}
	return b, nil
}

// debugLogger routes retryablehttp's log lines to slog at debug level. Its
// lines carry the method and the (redacted) URL of the endpoint, never
// bodies; the URL holds no secret since credentials travel in headers.
type debugLogger struct{ l *slog.Logger }

func (d debugLogger) log(msg string, kv []any) {
	d.l.Debug("monarch: http: "+msg, kv...)
}

func (d debugLogger) Error(msg string, kv ...any) { d.log(msg, kv) }
func (d debugLogger) Info(msg string, kv ...any)  { d.log(msg, kv) }
func (d debugLogger) Debug(msg string, kv ...any) { d.log(msg, kv) }
func (d debugLogger) Warn(msg string, kv ...any)  { d.log(msg, kv) }
