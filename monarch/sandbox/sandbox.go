// Package sandbox is an in-process fake of Monarch Money's HTTP API: the
// /auth/login/ endpoint and /graphql, served from deterministic demo data.
//
// Every test of the Monarch client and the server's demo mode talk to it
// instead of the real service. It speaks both authentication styles Monarch
// uses (token and browser cookies with CSRF), issues long- or short-lived
// sessions, and has controls to expire sessions, force login outcomes and
// inject faults, with counters tests can assert on.
//
// The package deliberately does not import the monarch client package: the
// client's tests import the sandbox.
package sandbox

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// Demo credentials accepted by the sandbox's login endpoint.
const (
	DemoEmail     = "demo@example.com"
	DemoPassword  = "demo-password"
	DemoMFASecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" // base32, 32 chars
)

// AuthStyle selects how the sandbox authenticates GraphQL requests.
type AuthStyle int

const (
	// StyleToken issues a token at login and accepts "Authorization: Token <t>".
	StyleToken AuthStyle = iota
	// StyleCookie sets session_id and csrftoken cookies at login and requires
	// both cookies, a matching X-CSRFToken header and the web app's Origin;
	// a bare token is refused.
	StyleCookie
)

// Options configure a Sandbox. The zero value is a token-style account with
// TOTP and long-lived sessions.
type Options struct {
	// Style is the auth style logins issue and GraphQL accepts.
	Style AuthStyle
	// SessionTTL, when >0, makes logins return a short-lived session
	// (tokenExpiration set) that dies after this duration. 0 means long-lived
	// sessions for trusted devices (tokenExpiration null).
	SessionTTL time.Duration
	// NoMFA makes the demo account one without an authenticator app: login
	// needs no TOTP code.
	NoMFA bool
	// Now is the clock used for TOTP checks, session expiry and the demo data's
	// anchor date (the calendar date of Now in its own location). Default
	// time.Now.
	Now func() time.Time
}

// LoginOutcome forces the answer of the next logins (see SetLoginOutcome).
type LoginOutcome int

// Login outcomes. LoginOK means the credentials are checked normally.
const (
	LoginOK LoginOutcome = iota
	LoginBadCredentials
	LoginMFARequired
	LoginEmailCode
	LoginCaptcha
	LoginUpdateApp
	LoginRateLimited // 429 with Retry-After: 1
	LoginServerError
)

// Fault is an injected failure for GraphQL requests (see Inject).
type Fault struct {
	// Status, if non-zero, is answered instead of the real response, with a
	// small JSON body ({"detail": ...}).
	Status int
	// RetryAfter, if set, is sent as the Retry-After header with Status.
	RetryAfter string
	// Malformed answers 200 with a body that is not JSON.
	Malformed bool
	// Truncated answers 200 with the real response cut in half.
	Truncated bool
	// Delay holds the response back this long, or until the request's
	// context ends, whichever is first; then the request is served normally
	// (or with the other fault fields).
	Delay time.Duration
	// Reset closes the connection without answering.
	Reset bool
	// Unauthenticated answers 200 with a GraphQL error whose code is
	// UNAUTHENTICATED, the other way Monarch reports a dead session.
	Unauthenticated bool
}

// Sandbox is a fake Monarch API. It is an http.Handler; Start also runs it on
// a loopback listener. All methods are safe for concurrent use.
type Sandbox struct {
	opts Options
	now  func() time.Time

	mu sync.Mutex
	// st is the household, built by lock on first use from the date New
	// was called on: a demo server answers initialize before its first
	// request needs the data. Guarded by mu.
	st      *state
	created time.Time

	srv *http.Server
	ln  net.Listener
	url string
}

// New returns a Sandbox serving the demo household. It does not listen; use it
// as an http.Handler (e.g. with httptest) or call Start instead.
func New(opts Options) *Sandbox {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Sandbox{opts: opts, now: now, created: now()}
}

// lock takes mu, building the household first if nothing has needed it yet.
func (s *Sandbox) lock() {
	s.mu.Lock()
	if s.st == nil {
		s.st = newState(s.created)
	}
}

// Start returns a Sandbox listening on 127.0.0.1 on a free port.
func Start(opts Options) (*Sandbox, error) {
	s := New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the base URL of a started Sandbox (e.g. "http://127.0.0.1:41234"),
// suitable as the client's BaseURL. It is empty for a Sandbox from New.
func (s *Sandbox) URL() string { return s.url }

// Close stops a started Sandbox. Calling it more than once, or on a Sandbox
// from New, is harmless.
func (s *Sandbox) Close() {
	if s.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close()
	}
}
