package reauth

import (
	"context"
	"encoding/base32"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP generates time-based one-time codes from a secret and never hands out
// the same code twice: servers commonly refuse a code already used in its
// step, so a second login within one step waits for the next.
type TOTP struct {
	secret string // normalised base32, never logged
	opts   totp.ValidateOpts

	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx is done. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Ledger, if set, shares the last step used with other processes
	// signing in to the same account (see [StepLedger]). Set it before the
	// first code.
	Ledger StepLedger

	mu sync.Mutex
	// usedUntil is the end of the last step whose code was handed out.
	usedUntil time.Time
	// last is the code handed out last, and before the usedUntil it
	// replaced, so that Release can give it back.
	last       string
	lastBefore time.Time
}

// minSecretChars is 80 bits of base32, RFC 4226's minimum key length.
const minSecretChars = 16

// NewTOTP parses secret, given either as base32 (spaces, dashes, lowercase
// and padding tolerated) or as an otpauth://totp/ URI, and checks that it
// produces codes. The error never contains the secret.
func NewTOTP(secret string) (*TOTP, error) {
	secret = strings.TrimSpace(secret)
	opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	if secret == "" {
		return nil, fmt.Errorf("%w: it is empty", ErrInvalidSecret)
	}
	if strings.Contains(secret, "://") {
		u, err := url.Parse(secret)
		if err != nil || !strings.EqualFold(u.Scheme, "otpauth") {
			return nil, fmt.Errorf("%w: a URI must start with otpauth://totp/", ErrInvalidSecret)
		}
		key, err := otp.NewKeyFromURL(secret)
		if err != nil {
			return nil, fmt.Errorf("%w: the otpauth URI could not be parsed", ErrInvalidSecret)
		}
		if key.Type() != "totp" {
			return nil, fmt.Errorf("%w: the otpauth URI is for %q, not totp", ErrInvalidSecret, key.Type())
		}
		if key.Secret() == "" {
			return nil, fmt.Errorf("%w: the otpauth URI has no secret= parameter", ErrInvalidSecret)
		}
		secret = key.Secret()
		// A zero or huge period or an odd digit count would make codes
		// no app shows (or divide by zero).
		if p := key.Period(); p < 1 || p > 3600 {
			return nil, fmt.Errorf("%w: the otpauth URI's period must be between 1 and 3600 seconds", ErrInvalidSecret)
		}
		// otp's MD5 makes a 16-byte digest that its truncation reads past
		// (a panic); authenticator apps offer only the SHA family.
		switch key.Algorithm() {
		case otp.AlgorithmSHA1, otp.AlgorithmSHA256, otp.AlgorithmSHA512:
		default:
			return nil, fmt.Errorf("%w: the otpauth URI's algorithm must be SHA1, SHA256 or SHA512", ErrInvalidSecret)
		}
		if d := key.Digits(); d < 6 || d > 8 {
			return nil, fmt.Errorf("%w: the otpauth URI's digits must be 6, 7 or 8", ErrInvalidSecret)
		}
		opts.Period, opts.Digits, opts.Algorithm = uint(key.Period()), key.Digits(), key.Algorithm()
	}
	norm, err := NormalizeSecret(secret)
	if err != nil {
		return nil, err
	}
	t := &TOTP{secret: norm, opts: opts}
	if _, err := totp.GenerateCodeCustom(norm, time.Now(), opts); err != nil {
		return nil, fmt.Errorf("%w: it does not produce codes", ErrInvalidSecret)
	}
	return t, nil
}

// NormalizeSecret returns a base32 secret with spaces and dashes removed,
// upper-cased and without padding, or an error saying what is wrong with it.
// The error never contains the secret.
func NormalizeSecret(s string) (string, error) {
	s = strings.ToUpper(strings.TrimRight(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(s)), "="))
	if s == "" {
		return "", fmt.Errorf("%w: it is empty", ErrInvalidSecret)
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return "", fmt.Errorf("%w: it must be base32 (letters A-Z and digits 2-7; spaces and dashes are ignored)", ErrInvalidSecret)
		}
	}
	if len(s) < minSecretChars {
		return "", fmt.Errorf("%w: it is %d characters long; an authenticator secret has at least %d", ErrInvalidSecret, len(s), minSecretChars)
	}
	if _, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s); err != nil {
		return "", fmt.Errorf("%w: its length (%d characters) is not valid base32; check for a missing or extra character", ErrInvalidSecret, len(s))
	}
	return s, nil
}

// Period returns the length of one step.
func (t *TOTP) Period() time.Duration { return time.Duration(t.opts.Period) * time.Second }

func (t *TOTP) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Peek returns the code for the current step and how long it stays valid,
// without marking it used. It is for showing the code to a person.
func (t *TOTP) Peek() (code string, remaining time.Duration, err error) {
	now := t.now()
	code, err = totp.GenerateCodeCustom(t.secret, now, t.opts)
	if err != nil {
		return "", 0, fmt.Errorf("%w: it does not produce codes", ErrInvalidSecret)
	}
	p := t.Period()
	return code, p - time.Duration(now.UnixNano()%int64(p)), nil
}

// Code returns a code no earlier call has returned (nor, with a Ledger, any
// other process), waiting for the next step if this step's code was already
// used. The wait is at most one step, is reported to the [Manager] running
// the login (see [NoteWait]), and ends early with ctx's error.
func (t *TOTP) Code(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	used := t.usedUntil
	if t.Ledger != nil {
		shared, err := t.Ledger.UsedUntil(ctx)
		if err != nil {
			noteWarn(ctx, "reauth: could not read the shared record of used authenticator codes", err)
		} else if shared.After(used) {
			used = shared
		}
	}
	now := t.now()
	// A record beyond this step comes from a clock that has since moved
	// back; waiting for it could take hours, so it counts as this step.
	if _, end := t.step(now); used.After(end) {
		used = end
	}
	if start, _ := t.step(now); start.Before(used) {
		NoteWait(ctx, used, "a fresh authenticator code (this step's code was already sent)")
		sleep := t.Sleep
		if sleep == nil {
			sleep = Sleep
		}
		err := sleep(ctx, used.Sub(now))
		NoteWait(ctx, time.Time{}, "")
		if err != nil {
			return "", fmt.Errorf("waiting for a fresh TOTP code: %w", err)
		}
		now = t.now()
		if start, _ := t.step(now); start.Before(used) {
			return "", fmt.Errorf("waiting for a fresh TOTP code: the clock did not reach the next step")
		}
	}
	code, err := totp.GenerateCodeCustom(t.secret, now, t.opts)
	if err != nil {
		return "", fmt.Errorf("%w: it does not produce codes", ErrInvalidSecret)
	}
	_, end := t.step(now)
	t.last, t.lastBefore, t.usedUntil = code, used, end
	if t.Ledger != nil {
		if err := t.Ledger.SetUsedUntil(ctx, end); err != nil {
			noteWarn(ctx, "reauth: could not record the authenticator code as used for other processes", err)
		}
	}
	return code, nil
}

// Release gives back code, the last code Code returned, when the request
// carrying it never left this machine (the connection was refused): the
// server has not seen it, so the next login may send it instead of waiting
// for the next step. Any other code is ignored.
func (t *TOTP) Release(ctx context.Context, code string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if code == "" || code != t.last {
		return
	}
	end := t.usedUntil
	t.usedUntil, t.last = t.lastBefore, ""
	if t.Ledger == nil {
		return
	}
	// Only undo our own record: a later step recorded since is another
	// process's code.
	if shared, err := t.Ledger.UsedUntil(ctx); err == nil && shared.Equal(end) {
		if err := t.Ledger.SetUsedUntil(ctx, t.lastBefore); err != nil {
			noteWarn(ctx, "reauth: could not give back an unsent authenticator code", err)
		}
	}
}

// step returns the start and end of the step now falls in.
func (t *TOTP) step(now time.Time) (start, end time.Time) {
	p := int64(t.Period())
	n := now.UnixNano() / p
	return time.Unix(0, n*p), time.Unix(0, (n+1)*p)
}
