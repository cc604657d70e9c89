package setup

import (
	"strings"
	"unicode"

	"github.com/pquerna/otp"

	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// SecretInputError explains why an entered authenticator key was refused.
// Its message never repeats the input.
type SecretInputError struct {
	// Kind is what the input looked like: "code" (a 6- or 8-digit code),
	// "recovery" (a recovery or backup code) or "invalid".
	Kind string
	Msg  string
	Err  error
}

func (e *SecretInputError) Error() string { return e.Msg }
func (e *SecretInputError) Unwrap() error { return e.Err }

// ParseSecret checks an authenticator key as a user enters it: base32
// (spaces, dashes and lowercase tolerated) or an otpauth:// URI. It returns
// the value to store (the normalised base32 key, or the URI when the URI
// sets non-default parameters) and the code generator. Inputs that people
// commonly confuse with the key — the 6-digit code and recovery codes — are
// recognised and explained.
func ParseSecret(input string) (stored string, t *reauth.TOTP, err error) {
	in := strings.TrimSpace(input)
	compact := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, in)
	switch {
	case compact == "":
		return "", nil, &SecretInputError{Kind: "invalid", Msg: "nothing was entered", Err: reauth.ErrInvalidSecret}
	case allDigits(compact) && (len(compact) == 6 || len(compact) == 8):
		return "", nil, &SecretInputError{Kind: "code", Err: reauth.ErrInvalidSecret, Msg: "that is a one-time code (the digits the app shows, which change every 30 seconds), " +
			"not the key. The key is the long string of letters and digits 2-7 shown when you choose to enter the key manually " +
			"while setting up the authenticator app (Monarch shows it next to the QR code)."}
	case !strings.Contains(in, "://") && len(compact) < 16 && isAlnum(compact):
		return "", nil, &SecretInputError{Kind: "recovery", Err: reauth.ErrInvalidSecret, Msg: "that is too short for a key; it looks like a recovery (backup) code: those are single-use codes for signing in " +
			"without your phone, and cannot generate new codes. The key is the longer string (at least 16 letters and digits 2-7) " +
			"shown when you choose to enter the key manually while setting up the authenticator app."}
	}
	t, err = reauth.NewTOTP(in)
	if err != nil {
		msg := err.Error()
		if !strings.Contains(in, "://") && strings.ContainsAny(strings.ToUpper(compact), "0189") {
			msg += ". Keys never contain the digits 0, 1, 8 or 9: a 0 is probably the letter O, a 1 the letter I or L, an 8 the letter B"
		}
		return "", nil, &SecretInputError{Kind: "invalid", Msg: msg, Err: err}
	}
	if !strings.Contains(in, "://") {
		norm, err := reauth.NormalizeSecret(in)
		if err != nil {
			return "", nil, &SecretInputError{Kind: "invalid", Msg: err.Error(), Err: err}
		}
		return norm, t, nil
	}
	k, err := otp.NewKeyFromURL(in)
	if err != nil {
		return "", nil, &SecretInputError{Kind: "invalid", Msg: "the otpauth URI could not be parsed", Err: reauth.ErrInvalidSecret}
	}
	if k.Period() != 30 || k.Digits() != otp.DigitsSix || k.Algorithm() != otp.AlgorithmSHA1 {
		// Keep the URI: a bare key cannot carry its non-default period,
		// digits or algorithm.
		return in, t, nil
	}
	norm, err := reauth.NormalizeSecret(k.Secret())
	if err != nil {
		return "", nil, &SecretInputError{Kind: "invalid", Msg: err.Error(), Err: err}
	}
	return norm, t, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func isAlnum(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}
