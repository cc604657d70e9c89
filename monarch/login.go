package monarch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
)

// loginRequest is the body of POST /auth/login/, as Monarch's web app sends it.
type loginRequest struct {
	Username          string `json:"username"`
	Password          string `json:"password"`
	SupportsMFA       bool   `json:"supports_mfa"`
	SupportsEmailOTP  bool   `json:"supports_email_otp"`
	SupportsRecaptcha bool   `json:"supports_recaptcha"`
	// TrustedDevice true, with a stable device id, is what earns a
	// long-lived session; false gets one-hour tokens.
	TrustedDevice bool   `json:"trusted_device"`
	TOTP          string `json:"totp,omitempty"`
}

// loginResponse is the part of a login answer the client reads.
type loginResponse struct {
	Token           string  `json:"token"`
	TokenExpiration *string `json:"tokenExpiration"`
	Detail          any     `json:"detail"`
	ErrorCode       string  `json:"error_code"`
}

// Login signs in with the configured email, password and authenticator code
// and returns a new session. It keeps prev's device id, so Monarch sees the
// same trusted device every time. It is the reauth.LoginFunc of the client's
// manager; call it directly only to sign in outside the manager (login-setup).
//
// Failures are *LoginError (refusals match reauth.ErrBadCredentials, 429
// matches reauth.ErrRateLimited) or transport errors. With no email and
// password configured it fails with KindNoCredentials, worded by prev's
// source: a pasted browser session cannot be renewed by the program.
func (c *Client) Login(ctx context.Context, prev *Session) (*Session, error) {
	if !c.CanRelogin() {
		src := ""
		if prev != nil {
			src = prev.Source
		}
		return nil, &LoginError{Kind: KindNoCredentials, Source: src}
	}
	device := ""
	if prev != nil {
		device = prev.DeviceID
	}
	if device == "" {
		device = uuid.NewString()
	}
	body := loginRequest{
		Username: c.cfg.Email, Password: c.cfg.Password,
		SupportsMFA: true, SupportsEmailOTP: true, SupportsRecaptcha: true, TrustedDevice: true,
	}
	if c.cfg.TOTP != nil {
		code, err := c.cfg.TOTP.Code(ctx)
		if err != nil {
			return nil, fmt.Errorf("monarch login: %w", err)
		}
		body.TOTP = code
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("monarch login: encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/auth/login/", bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("monarch login: %w", err)
	}
	c.setHeaders(req.Header, device, nil)

	// A jar of its own for this one request collects what the login sets,
	// whatever the cookies' attributes; the session then carries them.
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("monarch login: %w", err)
	}
	hc := *c.http
	hc.Jar = jar

	// No retries here: a code is single-use, and re-sending a login whose
	// answer was lost would be refused as a reused code. reauth retries
	// transient failures with a fresh code.
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		if neverSent(err) && c.cfg.TOTP != nil {
			// Monarch never saw the code: the next attempt may send it
			// rather than wait up to a step for a new one.
			c.cfg.TOTP.Release(ctx, body.TOTP)
		}
		return nil, fmt.Errorf("monarch login: %w", err)
	}
	b, rerr := readBody(resp.Body, maxLoginResponseBytes)
	c.logger.Debug("monarch: login answered", "status", resp.StatusCode, "duration", time.Since(start).Round(time.Millisecond))
	if rerr != nil {
		return nil, fmt.Errorf("monarch login: reading the answer: %w", rerr)
	}
	var lr loginResponse
	jsonErr := json.Unmarshal(b, &lr)
	if resp.StatusCode != http.StatusOK {
		return nil, classifyLogin(resp, lr, body.TOTP != "")
	}
	if jsonErr != nil {
		return nil, &UnexpectedResponseError{Operation: "login", Reason: "the answer is not JSON"}
	}

	s := &Session{Token: lr.Token, DeviceID: device, Source: SourceLogin}
	u, _ := url.Parse(c.base + "/")
	for _, ck := range jar.Cookies(u) {
		s.Cookies = append(s.Cookies, Cookie{Name: ck.Name, Value: ck.Value})
	}
	switch {
	case s.Token != "":
		s.Style = StyleToken
	case s.cookie(cookieSession) != "":
		s.Style = StyleCookie
	default:
		return nil, &UnexpectedResponseError{Operation: "login", Reason: "the answer has neither a token nor a session cookie"}
	}
	if lr.TokenExpiration != nil && *lr.TokenExpiration != "" {
		exp, err := parseTimestamp(*lr.TokenExpiration)
		if err != nil {
			return nil, &UnexpectedResponseError{Operation: "login", Reason: "tokenExpiration is not a timestamp"}
		}
		// The session manager warns about it, knowing when it renews.
		s.Expiry = exp
	}
	// A cookie's Max-Age is not taken as the expiry: Monarch signals
	// short-lived sessions with tokenExpiration, and a year-long cookie
	// would only make reauth warn about an expiry on every login.
	c.logger.Info("monarch: signed in", "style", s.Style)
	return s, nil
}

// classifyLogin maps a non-200 login answer to a *LoginError.
func classifyLogin(resp *http.Response, lr loginResponse, sentCode bool) *LoginError {
	e := &LoginError{Kind: KindServer, Status: resp.StatusCode, Detail: detailText(lr.Detail)}
	code := strings.ToUpper(lr.ErrorCode)
	d := strings.ToLower(e.Detail)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(d, s) {
				return true
			}
		}
		return false
	}
	mfaText := has("multi-factor", "mfa", "two-factor", "2fa", "totp", "authenticator")
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		e.Kind, e.RetryAfter = KindRateLimited, retryAfter(resp)
	case resp.StatusCode >= 500:
		e.Kind = KindServer
		if !strings.Contains(resp.Header.Get("Content-Type"), "json") {
			e.Detail = "" // an HTML error page: nothing worth quoting
		}
	// CAPTCHA first: it must never be reported as an MFA problem.
	case code == "CAPTCHA_REQUIRED" || has("captcha"):
		e.Kind = KindCaptcha
	case code == "EMAIL_OTP_REQUIRED" || has("email") && has("code", "otp"):
		e.Kind = KindEmailCodeRequired
	case updateAppText(e.Detail):
		e.Kind = KindUpdateApp
	case code == "MFA_REQUIRED" || resp.StatusCode == http.StatusForbidden && mfaText:
		if sentCode {
			e.Kind = KindInvalidMFACode // we sent a code and Monarch still asks for one
		} else {
			e.Kind = KindMFARequired
		}
	case (resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized) &&
		(has("code", "otp") || mfaText):
		e.Kind = KindInvalidMFACode
	case code == "INVALID_CREDENTIALS" || resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized:
		e.Kind = KindBadCredentials
	default:
		// An unrecognised 403, or 404/405 from a wrong host: retrying will
		// not help.
		e.Kind = KindRefused
	}
	return e
}

// detailText returns a DRF "detail" (a string, or a list of strings) as
// text, shortened; it is Monarch's message, never our input.
func detailText(v any) string {
	var s string
	switch d := v.(type) {
	case string:
		s = d
	case []any:
		var parts []string
		for _, p := range d {
			if ps, ok := p.(string); ok {
				parts = append(parts, ps)
			}
		}
		s = strings.Join(parts, " ")
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxDetailLen {
		s = s[:maxDetailLen] + "…"
	}
	return s
}

// parseTimestamp parses Monarch's ISO-8601 timestamps.
func parseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999Z0700", "2006-01-02T15:04:05.999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a timestamp")
}
