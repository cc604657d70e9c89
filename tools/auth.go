package tools

import (
	"context"
	"time"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// authStatus is check_auth_status's answer. It never holds a password,
// secret, code, token or cookie.
type authStatus struct {
	OK                   bool   `json:"ok" jsonschema:"a request to Monarch just succeeded"`
	SessionHeld          bool   `json:"session_held"`
	AuthStyle            string `json:"auth_style,omitempty" jsonschema:"token or cookie"`
	SessionSource        string `json:"session_source,omitempty" jsonschema:"login (renewable by the server) or browser/token (pasted; not renewable)"`
	ExpiresAt            string `json:"expires_at,omitempty" jsonschema:"when the session expires; absent if Monarch did not say"`
	LastLogin            string `json:"last_login,omitempty" jsonschema:"last login by this server process"`
	LoginsThisRun        int    `json:"logins_this_run"`
	LoginFailures        int    `json:"login_failures_this_run"`
	LastLoginError       string `json:"last_login_error,omitempty"`
	CanReloginUnattended bool   `json:"can_relogin_unattended" jsonschema:"email, password and authenticator secret are configured"`
	HasPassword          bool   `json:"has_password"`
	HasMFASecret         bool   `json:"has_mfa_secret"`
	CredentialsFrom      string `json:"credentials_from,omitempty" jsonschema:"where the email, password and authenticator secret were read from: environment, file, keychain or .env (never the values)"`
	CooldownUntil        string `json:"cooldown_until,omitempty" jsonschema:"sign-in attempts are paused until then after a refused login"`
	LoginWaitingFor      string `json:"login_waiting_for,omitempty" jsonschema:"a sign-in is in progress and waiting for this (a fresh authenticator code, or another process's sign-in)"`
	LoginWaitSeconds     int    `json:"login_wait_seconds,omitempty" jsonschema:"about how many seconds that wait has left, if known"`
	SessionFile          string `json:"session_file,omitempty"`
	ReadOnly             bool   `json:"read_only"`
	Demo                 bool   `json:"demo,omitempty"`
	NextStep             string `json:"next_step"`
}

func checkAuthStatus(d *deps) Tool {
	return defineReporting(d, spec{
		name:  "check_auth_status",
		title: "Check Monarch sign-in status",
		description: "Test the sign-in to Monarch (one small request, signing in again if needed) and report the session, its expiry, " +
			"whether the server can sign in by itself, any pause on sign-in attempts, and the next step if something is wrong. Call it first when a tool reports a sign-in problem.",
		kind:          Read,
		wrapsOwnCalls: true,
	}, func(ctx context.Context, _ noArgs) (authStatus, error) {
		if st := d.report(false); st.LoginWaitingFor != "" {
			st.NextStep = "A sign-in is in progress and waiting for " + st.LoginWaitingFor + "; tool calls made now finish when it does. Call check_auth_status again shortly."
			return st, nil
		}
		if _, err := reauth.WithReauth(d.auth, ping(d))(ctx, noArgs{}); err != nil {
			return authStatus{}, err
		}
		return d.report(true), nil
	}, func(err error) authStatus {
		st := d.report(false)
		st.NextStep = explain(err)
		return st
	})
}

// report assembles the status from the manager and the configuration.
func (d *deps) report(ok bool) authStatus {
	stats := d.auth.Stats()
	st := authStatus{
		OK:                   ok,
		SessionHeld:          stats.HasSession,
		LoginsThisRun:        stats.Logins,
		LoginFailures:        stats.LoginFailures,
		LastLoginError:       stats.LastError,
		HasPassword:          d.c.CanRelogin(),
		HasMFASecret:         d.c.HasMFASecret(),
		CanReloginUnattended: d.canReloginUnattended(),
		CredentialsFrom:      d.status.CredentialsFrom,
		SessionFile:          d.status.SessionFile,
		ReadOnly:             d.status.ReadOnly,
		Demo:                 d.status.Demo,
		ExpiresAt:            timeString(stats.Expiry),
		LastLogin:            timeString(stats.LastLogin),
		CooldownUntil:        timeString(stats.CooldownUntil),
		LoginWaitingFor:      stats.LoginWaitingFor,
	}
	if !stats.LoginWaitUntil.IsZero() {
		st.LoginWaitSeconds = int(max(stats.LoginWaitUntil.Sub(d.now()), 0).Round(time.Second) / time.Second)
	}
	if s, _, held := d.auth.Current(); held && s != nil {
		st.AuthStyle, st.SessionSource = s.Style, s.Source
	}
	switch {
	case !ok:
		// filled in by the caller from the error
	case st.SessionSource != "" && st.SessionSource != monarch.SourceLogin && !st.CanReloginUnattended:
		st.NextStep = "Working now, but this pasted session cannot be renewed by the server: when it expires, paste a fresh one with login-setup " +
			"(or configure MONARCH_PASSWORD and MONARCH_MFA_SECRET so the server can sign in by itself)."
	case !st.CanReloginUnattended:
		st.NextStep = "Working now. Without MONARCH_PASSWORD and MONARCH_MFA_SECRET the server cannot sign in again by itself when the session expires; run login-setup to configure them."
	default:
		st.NextStep = "Nothing to do: the session works and the server can sign in again by itself."
	}
	return st
}

// ping makes the smallest request that proves the session works.
func ping(d *deps) func(context.Context, noArgs) (struct{}, error) {
	return func(ctx context.Context, _ noArgs) (struct{}, error) { return struct{}{}, d.c.Ping(ctx) }
}

func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
