package monarch

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Session styles: how a session authenticates GraphQL requests.
const (
	// StyleToken sessions send "Authorization: Token <token>".
	StyleToken = "token"
	// StyleCookie sessions send the session_id and csrftoken cookies and an
	// X-CSRFToken header.
	StyleCookie = "cookie"
)

// Session sources: where a session came from, which decides whether it can be
// renewed by logging in again.
const (
	// SourceLogin sessions were obtained by [Client.Login].
	SourceLogin = "login"
	// SourceBrowser sessions were pasted from a signed-in browser's Cookie
	// header (see [ParseCookieHeader]).
	SourceBrowser = "browser"
	// SourceToken sessions were pasted as a bare token (see [TokenSession]).
	SourceToken = "token"
)

// Cookie names Monarch's cookie-style sessions need.
const (
	cookieSession = "session_id"
	cookieCSRF    = "csrftoken"
)

// Cookie is one cookie of a session.
type Cookie struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// String hides the value, so that printing a cookie cannot leak it.
func (c Cookie) String() string { return c.Name + "=[redacted]" }

// Session is a Monarch session: what a request needs to be authenticated. It
// is JSON-serialisable (it is what the session file holds) and must not be
// modified once built; sessions are shared as *Session.
//
// A session may hold a token, cookies, or both: the token is sent when there
// is one, the cookies (with their CSRF header) whenever there are any, so an
// account works whichever style Monarch has moved it to.
type Session struct {
	// Style is StyleToken when the session has a token, else StyleCookie.
	Style string `json:"style"`
	// Token is the API token; empty for cookie-style sessions.
	Token string `json:"token,omitempty"`
	// Cookies are the cookies Monarch set at login (or the pasted ones).
	Cookies []Cookie `json:"cookies,omitempty"`
	// DeviceID is the device-uuid the session was issued to. It is sent with
	// every request and kept across logins: Monarch trusts a known device
	// with a long-lived session and has refused tokens sent without theirs.
	DeviceID string `json:"device_id,omitempty"`
	// Expiry is when the session ends; zero means long-lived or unknown.
	Expiry time.Time `json:"expiry,omitzero"`
	// Source is SourceLogin, SourceBrowser or SourceToken.
	Source string `json:"source"`
}

// CSRF returns the csrftoken cookie's value, or "" if there is none.
func (s *Session) CSRF() string { return s.cookie(cookieCSRF) }

func (s *Session) cookie(name string) string {
	if s == nil {
		return ""
	}
	for _, c := range s.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// String describes the session without any secret.
// It has a value receiver so that a Session value is covered too.
func (s Session) String() string {
	exp := "none"
	if !s.Expiry.IsZero() {
		exp = s.Expiry.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("monarch.Session{style=%s source=%s cookies=%d expiry=%s}", s.Style, s.Source, len(s.Cookies), exp)
}

// GoString is String, so that %#v cannot print secrets either.
func (s Session) GoString() string { return s.String() }

// LogValue implements slog.LogValuer: only the non-secret fields are logged.
func (s Session) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("style", s.Style),
		slog.String("source", s.Source),
		slog.Time("expiry", s.Expiry),
	)
}

// TokenSession returns a session for a pasted API token, with a new device
// id. It cannot be renewed by logging in.
func TokenSession(token string) *Session {
	return &Session{Style: StyleToken, Token: strings.TrimSpace(token), DeviceID: uuid.NewString(), Source: SourceToken}
}

// ErrBadCookieHeader is wrapped by every error of [ParseCookieHeader].
var ErrBadCookieHeader = errors.New("invalid browser Cookie header")

// ParseCookieHeader builds a browser session from the value of a Cookie
// header copied from a signed-in browser (developer tools, Network tab, any
// request to api.monarch.com/graphql). A leading "Cookie:" is tolerated. It
// needs the session_id and csrftoken cookies; the error names what is
// missing and never contains a cookie's value.
func ParseCookieHeader(h string) (*Session, error) {
	h = strings.TrimSpace(h)
	if len(h) >= len("cookie:") && strings.EqualFold(h[:len("cookie:")], "cookie:") {
		h = strings.TrimSpace(h[len("cookie:"):])
	}
	if h == "" {
		return nil, fmt.Errorf("%w: it is empty; copy the Cookie request header of a request to api.monarch.com/graphql", ErrBadCookieHeader)
	}
	var cookies []Cookie
	seen := map[string]bool{}
	for part := range strings.SplitSeq(h, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		name, value = strings.TrimSpace(name), strings.Trim(strings.TrimSpace(value), `"`)
		if !ok || name == "" || strings.ContainsAny(name, " \t\r\n,") || strings.ContainsAny(value, "\r\n") {
			return nil, fmt.Errorf("%w: it is not a list of name=value pairs separated by \"; \" (copy the request header's value, not the response's Set-Cookie)", ErrBadCookieHeader)
		}
		if seen[name] {
			continue // browsers send the most specific cookie of a name first
		}
		seen[name] = true
		cookies = append(cookies, Cookie{Name: name, Value: value})
	}
	s := &Session{Style: StyleCookie, Cookies: cookies, DeviceID: uuid.NewString(), Source: SourceBrowser}
	var missing []string
	for _, n := range []string{cookieSession, cookieCSRF} {
		if s.cookie(n) == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: missing %s; copy the whole Cookie header of a request to api.monarch.com/graphql while signed in (both session_id and csrftoken are needed)",
			ErrBadCookieHeader, strings.Join(missing, " and "))
	}
	return s, nil
}

// sessionExpiry is the manager's Expiry: the zero time (unknown) for a
// missing session, so a damaged session file cannot crash start-up.
func sessionExpiry(s *Session) time.Time {
	if s == nil {
		return time.Time{}
	}
	return s.Expiry
}
