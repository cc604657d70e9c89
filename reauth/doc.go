// Package reauth keeps a session alive against an API that has no refresh
// tokens, where the only way to get a new session is to replay credentials
// (typically a password and a TOTP code).
//
// A [Manager] holds the current session and a generation number. Handlers
// wrapped with [WithReauth] run against the current session; when one fails
// with an auth error the manager logs in again (once, however many callers
// noticed), swaps the session and the handler is retried exactly once.
//
// Logins that cannot succeed without the user's help (wrong password, wrong
// code, a CAPTCHA, no credentials at all) put the manager into a cooldown in
// which further calls fail fast with the same error and nothing is sent to the
// server, so a misconfiguration never turns into a lockout.
//
// The package knows nothing about any particular API: the session type is a
// type parameter and the login is a function the API client provides.
package reauth
