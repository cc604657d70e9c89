package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

const (
	// webOrigin is the only Origin a cookie-style GraphQL request may carry.
	webOrigin = "https://app.monarch.com"
	// untrustedTTL is the life of a session from a login without
	// trusted_device, as reported for the real service.
	untrustedTTL = time.Hour
	// totpPeriod is the demo secret's step.
	totpPeriod = 30 * time.Second
	// maxBody bounds request bodies; real requests are a few KB.
	maxBody = 1 << 20
)

// session is one issued credential: a token (StyleToken) or a session_id
// cookie with its CSRF token (StyleCookie).
type session struct {
	style     AuthStyle
	key       string    // token or session_id value
	csrf      string    // cookie style only
	device    string    // device-uuid it was issued to; "" = any
	expires   time.Time // zero = long-lived
	remaining int       // GraphQL requests left; -1 = unlimited
	dead      bool
}

// loginRequest is the body of POST /auth/login/.
type loginRequest struct {
	Username      string `json:"username"`
	Password      string `json:"password"`
	TOTP          string `json:"totp"`
	EmailOTP      string `json:"email_otp"`
	TrustedDevice bool   `json:"trusted_device"`
}

// randomHex returns n random bytes hex-encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// newSessionLocked records and returns a fresh session.
func (s *Sandbox) newSessionLocked(style AuthStyle, device string, expires time.Time) *session {
	sess := &session{style: style, key: randomHex(20), device: device, expires: expires, remaining: s.st.requestBudget}
	if style == StyleCookie {
		sess.csrf = randomHex(16)
	}
	s.st.sessions[sess.key] = sess
	return sess
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// detail is Django REST framework's error body.
func detail(msg, code string) map[string]any {
	m := map[string]any{"detail": msg}
	if code != "" {
		m["error_code"] = code
	}
	return m
}

// Login answers, worded as Monarch words them (see shared/docs/monarch-api.md).
var (
	bodyBadCredentials = func() map[string]any {
		return detail("Unable to log in with provided credentials.", "INVALID_CREDENTIALS")
	}
	bodyMFARequired = func() map[string]any { return detail("Multi-Factor Auth Required", "MFA_REQUIRED") }
	bodyInvalidMFA  = func() map[string]any { return detail("Invalid MFA code", "") }
	bodyEmailCode   = func() map[string]any {
		return detail("Retrieve the code from your email to continue login.", "EMAIL_OTP_REQUIRED")
	}
	bodyCaptcha   = func() map[string]any { return detail("CAPTCHA is required to proceed.", "CAPTCHA_REQUIRED") }
	bodyUpdateApp = func() map[string]any {
		return detail("Please update to the latest version of the app to continue login.", "")
	}
)

// serveLogin implements POST /auth/login/.
func (s *Sandbox) serveLogin(w http.ResponseWriter, r *http.Request) {
	s.lock()
	s.st.attempts++
	outcome := s.st.outcome
	s.mu.Unlock()

	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, OPTIONS")
		writeJSON(w, http.StatusMethodNotAllowed, detail("Method \""+r.Method+"\" not allowed.", ""))
		return
	}
	switch outcome {
	case LoginBadCredentials:
		writeJSON(w, http.StatusUnauthorized, bodyBadCredentials())
		return
	case LoginMFARequired:
		writeJSON(w, http.StatusForbidden, bodyMFARequired())
		return
	case LoginEmailCode:
		writeJSON(w, http.StatusForbidden, bodyEmailCode())
		return
	case LoginCaptcha:
		writeJSON(w, http.StatusForbidden, bodyCaptcha())
		return
	case LoginUpdateApp:
		writeJSON(w, http.StatusForbidden, bodyUpdateApp())
		return
	case LoginRateLimited:
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusTooManyRequests, detail("Request was throttled. Expected available in 1 second.", ""))
		return
	case LoginServerError:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<h1>Server Error (500)</h1>")
		return
	}

	var req loginRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, detail("JSON parse error.", ""))
		return
	}
	device := r.Header.Get("device-uuid")
	if device == "" {
		writeJSON(w, http.StatusUnauthorized, detail("A device-uuid header is required.", ""))
		return
	}
	if !strings.EqualFold(strings.TrimSpace(req.Username), DemoEmail) || req.Password != DemoPassword {
		writeJSON(w, http.StatusUnauthorized, bodyBadCredentials())
		return
	}

	s.lock()
	defer s.mu.Unlock()
	if !s.opts.NoMFA {
		if req.TOTP == "" {
			writeJSON(w, http.StatusForbidden, bodyMFARequired())
			return
		}
		if !s.acceptCodeLocked(req.TOTP) {
			writeJSON(w, http.StatusBadRequest, bodyInvalidMFA())
			return
		}
	}

	sess := s.newSessionLocked(s.opts.Style, device, s.sessionExpiryLocked(req.TrustedDevice))
	s.st.logins++
	var exp any // JSON null for a long-lived session
	if !sess.expires.IsZero() {
		exp = sess.expires.UTC().Format(isoTime)
	}
	body := map[string]any{
		"tokenExpiration": exp,
		"id":              demoUserID,
		"name":            demoUserName,
		"email":           DemoEmail,
	}
	if sess.style == StyleToken {
		body["token"] = sess.key
	} else {
		maxAge := 365 * 24 * 3600
		if !sess.expires.IsZero() {
			maxAge = max(1, int(math.Ceil(sess.expires.Sub(s.now()).Seconds())))
		}
		// Max-Age rather than Expires: cookie jars judge expiry by the real
		// clock, and Options.Now may be a test clock.
		http.SetCookie(w, &http.Cookie{Name: "session_id", Value: sess.key, Path: "/", MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.SetCookie(w, &http.Cookie{Name: "csrftoken", Value: sess.csrf, Path: "/", MaxAge: maxAge, SameSite: http.SameSiteLaxMode})
	}
	writeJSON(w, http.StatusOK, body)
}

// acceptCodeLocked checks code against the demo secret, allowing one step of
// clock skew either way. Like django-otp, it remembers the last step
// accepted and refuses that step and every earlier one: a code is good once,
// and never after a newer one.
func (s *Sandbox) acceptCodeLocked(code string) bool {
	now := s.now()
	step := now.Unix() / int64(totpPeriod/time.Second)
	for _, d := range []int64{0, -1, 1} {
		at := time.Unix((step+d)*int64(totpPeriod/time.Second), 0)
		want, err := totp.GenerateCodeCustom(DemoMFASecret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil || want != code {
			continue
		}
		if s.st.codeUsed && step+d <= s.st.lastCodeStep {
			return false
		}
		s.st.codeUsed, s.st.lastCodeStep = true, step+d
		return true
	}
	return false
}

// authFailure is why a GraphQL request was refused.
type authFailure struct {
	status int
	body   map[string]any
}

var (
	errNoCredentials = &authFailure{http.StatusUnauthorized, detail("Authentication credentials were not provided.", "")}
	errInvalidToken  = &authFailure{http.StatusUnauthorized, detail("Invalid token.", "")}
	errNoDevice      = &authFailure{http.StatusUnauthorized, detail("Invalid token.", "")}
	errCSRFMissing   = &authFailure{http.StatusForbidden, detail("CSRF Failed: CSRF token missing.", "")}
	errCSRFMismatch  = &authFailure{http.StatusForbidden, detail("CSRF Failed: CSRF token incorrect.", "")}
	errCSRFOrigin    = &authFailure{http.StatusForbidden, detail("CSRF Failed: Origin checking failed - does not match any trusted origins.", "")}
)

// authenticateLocked finds the session a GraphQL request carries, checks it
// is alive, and spends one request of its allowance. Like Django REST
// framework's authenticator chain, a session cookie is tried first (and, when
// its session is live, must pass the CSRF checks), then the token header.
func (s *Sandbox) authenticateLocked(r *http.Request) *authFailure {
	device := r.Header.Get("device-uuid")
	auth := r.Header.Get("Authorization")
	var sess *session
	var fail *authFailure
	if c, err := r.Cookie("session_id"); err == nil && c.Value != "" {
		sess, fail = s.st.sessions[c.Value], errInvalidToken
		if sess != nil && sess.style == StyleCookie {
			fail = s.checkAliveLocked(sess, device)
		}
		if fail == nil {
			if f := checkCSRF(r, sess); f != nil {
				return f
			}
		} else if auth == "" {
			return fail
		}
	}
	if fail != nil || sess == nil {
		if auth == "" {
			return errNoCredentials
		}
		scheme, tok, ok := strings.Cut(auth, " ")
		if !ok || scheme != "Token" || tok == "" {
			return errInvalidToken
		}
		sess = s.st.sessions[tok]
		// A cookie-style account refuses a bare token.
		if sess == nil || sess.style != StyleToken || s.opts.Style == StyleCookie {
			return errInvalidToken
		}
		if f := s.checkAliveLocked(sess, device); f != nil {
			return f
		}
	}
	if sess.remaining == 0 {
		sess.dead = true
		return errInvalidToken
	}
	if sess.remaining > 0 {
		sess.remaining--
	}
	return nil
}

// checkCSRF applies Django's CSRF checks to a request authenticated by a
// session cookie: the web app's Origin, and an X-CSRFToken header equal to
// the csrftoken cookie issued with the session.
func checkCSRF(r *http.Request, sess *session) *authFailure {
	cookie, err := r.Cookie("csrftoken")
	header := r.Header.Get("X-CSRFToken")
	switch {
	case r.Header.Get("Origin") != webOrigin:
		return errCSRFOrigin
	case err != nil || cookie.Value == "" || header == "":
		return errCSRFMissing
	case header != cookie.Value || cookie.Value != sess.csrf:
		return errCSRFMismatch
	}
	return nil
}

// checkAliveLocked refuses a dead or expired session, and one sent without
// the device id it was issued to.
func (s *Sandbox) checkAliveLocked(sess *session, device string) *authFailure {
	if sess.dead {
		return errInvalidToken
	}
	if !sess.expires.IsZero() && !s.now().Before(sess.expires) {
		sess.dead = true
		return errInvalidToken
	}
	if device == "" || (sess.device != "" && sess.device != device) {
		return errNoDevice
	}
	return nil
}
