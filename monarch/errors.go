package monarch

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// ErrUnexpectedResponse is wrapped by every error about an answer whose shape
// the client does not recognise: not JSON, truncated, or missing a field the
// client needs. It usually means Monarch changed its API.
var ErrUnexpectedResponse = errors.New("Monarch changed its response")

// ErrNotFound is wrapped by errors about an id Monarch does not know.
var ErrNotFound = errors.New("not found")

// UnexpectedResponseError reports an answer of an unknown shape.
type UnexpectedResponseError struct {
	// Operation is the GraphQL operation name, or "login".
	Operation string
	// Reason says what was wrong, without echoing the answer.
	Reason string
}

func (e *UnexpectedResponseError) Error() string {
	return fmt.Sprintf("Monarch changed its response (operation %s): %s; this program may need an update", e.Operation, e.Reason)
}

// Is makes errors.Is(err, ErrUnexpectedResponse) true.
func (e *UnexpectedResponseError) Is(target error) bool { return target == ErrUnexpectedResponse }

// GraphQLError reports a request Monarch refused: the errors of a GraphQL
// answer, or the errors in a mutation's payload. It carries Monarch's
// messages only, never the request's variables.
type GraphQLError struct {
	Operation string
	// Messages are Monarch's error messages ("field: message" for field errors).
	Messages []string
	// Codes are the error codes Monarch gave, if any (e.g. NOT_FOUND).
	Codes []string
}

func (e *GraphQLError) Error() string {
	msg := strings.Join(e.Messages, "; ")
	if msg == "" {
		msg = "no reason given"
	}
	return fmt.Sprintf("Monarch refused the request (operation %s): %s", e.Operation, msg)
}

// Is makes errors.Is(err, ErrNotFound) true when Monarch said something was
// not found.
func (e *GraphQLError) Is(target error) bool {
	if target != ErrNotFound {
		return false
	}
	for _, c := range e.Codes {
		if strings.EqualFold(c, "NOT_FOUND") {
			return true
		}
	}
	for _, m := range e.Messages {
		if l := strings.ToLower(m); strings.Contains(l, "not found") || strings.Contains(l, "does not exist") {
			return true
		}
	}
	return false
}

// HTTPError reports a GraphQL request answered with an HTTP error status
// (after any retries). It matches [reauth.ErrUnauthorized] for 401 and for a
// 403 about CSRF or credentials, and [reauth.ErrRateLimited] for 429.
type HTTPError struct {
	Operation  string
	StatusCode int
	// Detail is Monarch's "detail" text, if the body had one (short, safe).
	Detail string
	// RetryAfter is the server's Retry-After, if any.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	switch {
	case e.unauthorized():
		fmt.Fprintf(&b, "Monarch refused the session (HTTP %d, operation %s)", e.StatusCode, e.Operation)
	case e.StatusCode == http.StatusTooManyRequests:
		fmt.Fprintf(&b, "Monarch is rate-limiting requests (operation %s)", e.Operation)
		if e.RetryAfter > 0 {
			fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
		}
	case e.StatusCode >= 500:
		fmt.Fprintf(&b, "Monarch is having trouble (HTTP %d, operation %s", e.StatusCode, e.Operation)
		if e.Attempts > 1 {
			fmt.Fprintf(&b, ", %d attempts", e.Attempts)
		}
		b.WriteString("); try again later")
	default:
		fmt.Fprintf(&b, "Monarch answered HTTP %d (operation %s)", e.StatusCode, e.Operation)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	if updateAppText(e.Detail) {
		b.WriteString(" (the monarch-client-version may need updating: set MONARCH_CLIENT_VERSION)")
	}
	return b.String()
}

func (e *HTTPError) unauthorized() bool {
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return true
	case http.StatusForbidden:
		// Django answers 403 when the CSRF pair of a cookie session no longer
		// matches, and DRF when credentials are missing or invalid.
		d := strings.ToLower(e.Detail)
		for _, s := range []string{"csrf", "credentials", "token", "authenticat", "session", "not logged in"} {
			if strings.Contains(d, s) {
				return true
			}
		}
	}
	return false
}

// Is matches reauth.ErrUnauthorized and reauth.ErrRateLimited as described on
// the type.
func (e *HTTPError) Is(target error) bool {
	switch target {
	case reauth.ErrUnauthorized:
		return e.unauthorized()
	case reauth.ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// RetryDelay implements [reauth.RetryDelayer].
func (e *HTTPError) RetryDelay() time.Duration { return e.RetryAfter }

// LoginErrorKind classifies a failed login.
type LoginErrorKind int

// Login error kinds. All but KindRateLimited and KindServer are refusals that
// retrying cannot fix: they match [reauth.ErrBadCredentials].
const (
	// KindServer: a server error (5xx) or an unrecognised answer; transient.
	KindServer LoginErrorKind = iota
	// KindBadCredentials: wrong email or password.
	KindBadCredentials
	// KindMFARequired: the account needs an authenticator code and no
	// secret is configured.
	KindMFARequired
	// KindInvalidMFACode: the authenticator code was refused.
	KindInvalidMFACode
	// KindEmailCodeRequired: Monarch wants a code it sent by email.
	KindEmailCodeRequired
	// KindCaptcha: Monarch requires a CAPTCHA (its gate on programmatic
	// logins); never an MFA problem.
	KindCaptcha
	// KindUpdateApp: Monarch refuses the client version.
	KindUpdateApp
	// KindRateLimited: HTTP 429.
	KindRateLimited
	// KindNoCredentials: no email and password to log in with.
	KindNoCredentials
	// KindRefused: another refusal (an unrecognised 403, a wrong URL).
	KindRefused
)

var kindNames = [...]string{
	KindServer: "server_error", KindBadCredentials: "bad_credentials", KindMFARequired: "mfa_required",
	KindInvalidMFACode: "invalid_mfa_code", KindEmailCodeRequired: "email_code_required", KindCaptcha: "captcha",
	KindUpdateApp: "update_app", KindRateLimited: "rate_limited", KindNoCredentials: "no_credentials", KindRefused: "refused",
}

func (k LoginErrorKind) String() string {
	if int(k) >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("LoginErrorKind(%d)", int(k))
}

// LoginError is a failed login. Its message is a sentence for the user that
// says what to do next; it never contains a secret.
type LoginError struct {
	Kind LoginErrorKind
	// Status is the HTTP status of the answer (0 if none).
	Status int
	// Detail is Monarch's own explanation ("detail"), if it gave one.
	Detail string
	// RetryAfter is the server's Retry-After for KindRateLimited.
	RetryAfter time.Duration
	// Source is the source of the session being replaced, for
	// KindNoCredentials (SourceBrowser, SourceToken or "").
	Source string
}

func (e *LoginError) Error() string {
	said := ""
	if e.Detail != "" {
		said = fmt.Sprintf(" (Monarch said: %q)", e.Detail)
	}
	switch e.Kind {
	case KindBadCredentials:
		return "Monarch rejected the email or password" + said + ": check MONARCH_EMAIL and MONARCH_PASSWORD (run login-setup). " +
			"Sign-in attempts pause meanwhile, since repeated failures can lock the account."
	case KindMFARequired:
		return "Monarch requires an authenticator-app code for this account, but no authenticator secret is configured: set MONARCH_MFA_SECRET; run login-setup to store it."
	case KindInvalidMFACode:
		return "Monarch rejected the authenticator code" + said + ": check that MONARCH_MFA_SECRET is this account's authenticator secret and that the computer's clock is right; run login-setup to enter it again."
	case KindEmailCodeRequired:
		return "Monarch wants a code it sent by email, which cannot be answered unattended: enable authenticator-app 2FA in Monarch Settings → Security and run login-setup to store its secret."
	case KindCaptcha:
		return "Monarch asks for a CAPTCHA before this sign-in, which a program cannot solve (this is not a two-factor problem). " +
			"Wait a while before trying again, or sign in with a browser and paste its session: run login-setup and choose the browser-cookie option (MONARCH_COOKIES)."
	case KindUpdateApp:
		d := e.Detail
		if d == "" {
			d = "update the app"
		}
		return fmt.Sprintf("Monarch refused the sign-in: %q. The monarch-client-version may need updating (set MONARCH_CLIENT_VERSION to the web app's current version), or this program needs an update.", d)
	case KindRateLimited:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("Monarch is rate-limiting sign-ins: retry after %s, not in a loop.", e.RetryAfter)
		}
		return "Monarch is rate-limiting sign-ins: wait a few minutes before trying again, not in a loop."
	case KindNoCredentials:
		switch e.Source {
		case SourceBrowser:
			return "the browser session has expired: paste a fresh one with login-setup (or configure MONARCH_EMAIL, MONARCH_PASSWORD and MONARCH_MFA_SECRET so the server can sign in by itself)"
		case SourceToken:
			return "the pasted Monarch token has expired: paste a fresh session with login-setup (or configure MONARCH_EMAIL, MONARCH_PASSWORD and MONARCH_MFA_SECRET so the server can sign in by itself)"
		}
		return "no Monarch credentials are configured: set MONARCH_EMAIL and MONARCH_PASSWORD (and MONARCH_MFA_SECRET), or paste a browser session, with login-setup"
	case KindRefused:
		return fmt.Sprintf("Monarch refused the sign-in (HTTP %d)%s. If this persists, check MONARCH_API_URL, or sign in with a browser and paste its session with login-setup.", e.Status, said)
	}
	if e.Status != 0 {
		return fmt.Sprintf("Monarch's sign-in failed with HTTP %d%s; this is usually temporary.", e.Status, said)
	}
	return "Monarch's sign-in failed" + said + "; this is usually temporary."
}

// Refused reports whether retrying the login cannot help.
func (e *LoginError) Refused() bool { return e.Kind != KindServer && e.Kind != KindRateLimited }

// Is matches [reauth.ErrBadCredentials] for refusals, [reauth.ErrCodeRejected]
// for KindInvalidMFACode, [reauth.ErrRateLimited] for KindRateLimited, and another *LoginError of the same Kind, so that
// errors.Is(err, &LoginError{Kind: KindCaptcha}) works.
func (e *LoginError) Is(target error) bool {
	switch target {
	case reauth.ErrBadCredentials:
		return e.Refused()
	case reauth.ErrCodeRejected:
		return e.Kind == KindInvalidMFACode
	case reauth.ErrRateLimited:
		return e.Kind == KindRateLimited
	}
	if t, ok := target.(*LoginError); ok {
		return t.Kind == e.Kind
	}
	return false
}

// RetryDelay implements [reauth.RetryDelayer].
func (e *LoginError) RetryDelay() time.Duration { return e.RetryAfter }

// updateAppText reports whether a detail text is Monarch's "update the app"
// refusal.
func updateAppText(d string) bool {
	d = strings.ToLower(d)
	return strings.Contains(d, "update") && (strings.Contains(d, "version") || strings.Contains(d, "app"))
}

// nullNotFound is the error for a lookup Monarch answered with null: its
// way of saying it does not know the id.
func nullNotFound(o operation, what, id string) error {
	return notFound(what, id, &GraphQLError{Operation: o.name, Messages: []string{"no such " + what}, Codes: []string{"NOT_FOUND"}})
}

// notFound names the id in err if err says something was not found, so
// that the user sees which id Monarch does not know; other errors are
// returned as they are.
func notFound(what, id string, err error) error {
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%s %s not found: %w", what, id, err)
	}
	return err
}
