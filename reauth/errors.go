package reauth

import (
	"errors"
	"fmt"
	"time"
)

// ErrUnauthorized is the error an API client returns (wrapped) when the
// server refuses the current session. It is what [WithReauth] reacts to by
// default.
var ErrUnauthorized = errors.New("session not authorized")

// ErrBadCredentials marks a login failure that retrying cannot fix: a wrong
// password or code, a second factor that cannot be answered unattended, a
// CAPTCHA, or no credentials to replay at all. It starts the cooldown.
var ErrBadCredentials = errors.New("login refused")

// ErrCodeRejected marks a login refused because of its one-time code. It
// is a refusal too (errors matching it should match [ErrBadCredentials]),
// but the [Manager] tries once more with the next step's code before the
// cooldown: a code is refused when it was already used, which the user
// signing in elsewhere in the same step causes.
var ErrCodeRejected = errors.New("one-time code refused")

// ErrRateLimited marks a login failure caused by the server asking the client
// to slow down.
var ErrRateLimited = errors.New("rate limited")

// ErrInvalidSecret is wrapped by every error about a malformed TOTP secret.
var ErrInvalidSecret = errors.New("invalid TOTP secret")

// RetryDelayer is implemented by errors that carry a server-suggested wait,
// such as an HTTP Retry-After header.
type RetryDelayer interface {
	RetryDelay() time.Duration
}

// RateLimitError is a ready-made rate-limit error for login functions.
type RateLimitError struct {
	// RetryAfter is how long the server asked to wait; zero if it did not say.
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("rate limited: retry after %s", e.RetryAfter)
	}
	return "rate limited"
}

// RetryDelay implements [RetryDelayer].
func (e *RateLimitError) RetryDelay() time.Duration { return e.RetryAfter }

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// CooldownError is returned while the manager refuses to log in because an
// earlier login was refused or rate limited. It wraps that earlier error, so
// errors.Is(err, ErrBadCredentials) still answers what went wrong.
type CooldownError struct {
	Until time.Time
	Err   error
}

func (e *CooldownError) Error() string {
	return fmt.Sprintf("%v (not retrying login until %s)", e.Err, e.Until.UTC().Format(time.RFC3339))
}

func (e *CooldownError) Unwrap() error { return e.Err }

// LoginClass is what a login error means for the manager.
type LoginClass int

const (
	// LoginTransient errors (network, 5xx) are retried with backoff, a
	// bounded number of times.
	LoginTransient LoginClass = iota
	// LoginRateLimited errors wait as the server says, then retry.
	LoginRateLimited
	// LoginRefused errors are permanent: no retry, and a cooldown starts.
	LoginRefused
)

func (c LoginClass) String() string {
	switch c {
	case LoginRateLimited:
		return "rate_limited"
	case LoginRefused:
		return "refused"
	default:
		return "transient"
	}
}

// ClassifyLogin decides what a login error means and, for rate limiting, how
// long the server asked to wait (zero if unknown).
type ClassifyLogin func(err error) (class LoginClass, retryAfter time.Duration)

// DefaultClassifyLogin treats [ErrBadCredentials] as refused, [ErrRateLimited]
// as rate limited (with the delay of any [RetryDelayer] in the chain) and
// everything else as transient.
func DefaultClassifyLogin(err error) (LoginClass, time.Duration) {
	if errors.Is(err, ErrBadCredentials) {
		return LoginRefused, 0
	}
	if errors.Is(err, ErrRateLimited) {
		var rd RetryDelayer
		if errors.As(err, &rd) {
			return LoginRateLimited, rd.RetryDelay()
		}
		return LoginRateLimited, 0
	}
	return LoginTransient, 0
}

// IsAuthError reports whether a handler error means the session is dead.
type IsAuthError func(err error) bool

// DefaultIsAuthError is errors.Is(err, ErrUnauthorized).
func DefaultIsAuthError(err error) bool { return errors.Is(err, ErrUnauthorized) }
