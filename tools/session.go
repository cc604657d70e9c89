package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// authVariables are the settings that decide how the server signs in, with
// what each is for. Only their names and whether they are set are ever
// reported.
var authVariables = []struct{ name, purpose string }{
	{"MONARCH_EMAIL", "Monarch login email"},
	{"MONARCH_PASSWORD", "Monarch password, so the server can sign in again by itself (or MONARCH_PASSWORD_FILE)"},
	{"MONARCH_MFA_SECRET", "authenticator-app key (base32 or otpauth:// URI, not a 6-digit code) for accounts with two-factor sign-in (or MONARCH_MFA_SECRET_FILE)"},
	{"MONARCH_TOKEN", "a pasted session token to start with; cannot be renewed"},
	{"MONARCH_COOKIES", "a pasted browser Cookie header to start with (Google/Apple sign-in); cannot be renewed"},
	{"MONARCH_SESSION_FILE", "where the session is saved between runs"},
	{"MONARCH_API_URL", "Monarch API URL (only for testing; default https://api.monarch.com)"},
	{"MONARCH_CLIENT_VERSION", "client version sent to Monarch, if it says to update the app"},
}

// ErrNotConfigured means no call can sign in to Monarch: no email and
// password to log in with, and no session (pasted or saved) to start from.
// The server still starts, so that an MCP client shows it and the model can
// relay how to set it up; `monarch-mcp call` exits with a configuration
// error on it.
var ErrNotConfigured = errors.New("Monarch sign-in is not configured")

// Configured returns ErrNotConfigured when c can neither log in nor use a
// session it holds.
func Configured(c *monarch.Client) error {
	if c.CanRelogin() {
		return nil
	}
	if _, _, held := c.Auth().Current(); held {
		return nil
	}
	return ErrNotConfigured
}

// --- setup_authentication ---------------------------------------------------

type setupVariable struct {
	Name    string `json:"name"`
	Set     bool   `json:"set" jsonschema:"the setting has a value (the value is never shown)"`
	Purpose string `json:"purpose"`
}

type setupResult struct {
	Variables            []setupVariable `json:"variables" jsonschema:"sign-in settings and whether each is set; values are never shown"`
	CanReloginUnattended bool            `json:"can_relogin_unattended" jsonschema:"email, password and authenticator key are configured"`
	SessionHeld          bool            `json:"session_held" jsonschema:"the server holds a session now (not checked with Monarch)"`
	SessionFile          string          `json:"session_file,omitempty"`
	EnvFile              string          `json:"env_file,omitempty" jsonschema:"the .env file read at start-up"`
	CredentialsFrom      string          `json:"credentials_from,omitempty" jsonschema:"where the sign-in credentials were read from: environment, file, keychain or .env"`
	Steps                []string        `json:"steps" jsonschema:"how to set up sign-in, in order"`
	Options              []string        `json:"options" jsonschema:"other login-setup modes"`
	NextStep             string          `json:"next_step"`
}

func setupAuthentication(d *deps) Tool {
	return define(d, spec{
		name:  "setup_authentication",
		title: "How to set up Monarch sign-in",
		description: "How to set up or repair sign-in with the login-setup program, and which MONARCH_* sign-in settings are set (names only). " +
			"Never ask the user to paste a password or authenticator key into the chat.",
		kind:  Read,
		local: true,
	}, func(_ context.Context, _ noArgs) (setupResult, error) {
		res := setupResult{
			CanReloginUnattended: d.canReloginUnattended(),
			SessionFile:          d.status.SessionFile,
			EnvFile:              d.status.EnvFile,
			CredentialsFrom:      d.status.CredentialsFrom,
			Steps: []string{
				"In a terminal (not in this chat), run login-setup from the server's install directory: ./login-setup — or with Docker: " +
					"docker run -it --rm --entrypoint /login-setup -u \"$(id -u):$(id -g)\" -v \"$PWD:/config\" -e MONARCH_SESSION_FILE=/config/session.json ghcr.io/monarch-mcp/monarch-mcp --env-file /config/.env",
				"Enter the Monarch email and password when asked (the password is not shown), then the authenticator key: in Monarch, Settings → Security → " +
					"two-factor authentication with an authenticator app → enter the key manually (add --qr to also show it as a QR code for the phone).",
				"login-setup signs in once to check everything, stores MONARCH_EMAIL, MONARCH_PASSWORD and MONARCH_MFA_SECRET in the OS keychain (or, without a usable one, in .env, mode 0600), says where, and saves the session.",
				"Restart the MCP server (or the app running it) so that it reads the new settings, then call check_auth_status.",
			},
			Options: []string{
				"login-setup --check: verify the existing settings with one real sign-in.",
				"login-setup --browser: for accounts that sign in with Google or Apple, or when Monarch asks for a CAPTCHA: paste a signed-in browser's Cookie header; " +
					"such a session cannot renew itself.",
				"login-setup --env-file PATH: write another .env file.",
				"login-setup --store env: keep the credentials in .env even where a keychain is usable (Docker needs this); --store keychain insists on the keychain.",
				"login-setup --forget: remove the stored credentials and the saved session.",
			},
		}
		if _, _, held := d.auth.Current(); held {
			res.SessionHeld = true
		}
		for _, v := range authVariables {
			set := slices.Contains(d.status.SetVariables, v.name)
			// The client knows these even when Status was not filled in.
			switch v.name {
			case "MONARCH_PASSWORD":
				set = set || d.c.CanRelogin()
			case "MONARCH_MFA_SECRET":
				set = set || d.c.HasMFASecret()
			}
			res.Variables = append(res.Variables, setupVariable{Name: v.name, Set: set, Purpose: v.purpose})
		}
		pasted := d.pastedSessionSet()
		switch {
		case d.status.Demo:
			res.NextStep = "Demo mode: the server talks to a built-in fake Monarch with demo data. Start it without --demo, after running login-setup, to use a real account."
		case res.CanReloginUnattended:
			res.NextStep = "Sign-in is configured: the server signs in again by itself when Monarch ends the session. If calls fail, call check_auth_status; run login-setup --check to test the settings."
		case d.c.CanRelogin():
			res.NextStep = "Email and password are set but no authenticator key: if the account uses two-factor sign-in, run login-setup to add MONARCH_MFA_SECRET."
		case pasted:
			res.NextStep = "A pasted session is configured; it cannot be renewed when Monarch ends it. Run login-setup to configure email, password and authenticator key instead."
		default:
			res.NextStep = "Sign-in is not configured: run login-setup as in steps, then restart the server."
		}
		return res, nil
	})
}

// --- logout -----------------------------------------------------------------

type logoutResult struct {
	LoggedOut   bool   `json:"logged_out"`
	HadSession  bool   `json:"had_session" jsonschema:"a session was held before the call"`
	SessionFile string `json:"session_file,omitempty" jsonschema:"the saved session file; deleted if it existed"`
	Note        string `json:"note"`
}

func logout(d *deps) Tool {
	return define(d, spec{
		name:  "logout",
		title: "Forget the Monarch session",
		description: "Forget the saved Monarch session (in memory and on disk; not revoked at Monarch) and end any pause on sign-in attempts; " +
			"the next call signs in again. Use it after changing credentials or when a session seems stuck.",
		kind:       Write,
		idempotent: true,
		local:      true,
	}, func(ctx context.Context, _ noArgs) (logoutResult, error) {
		_, _, held := d.auth.Current()
		if err := d.auth.Forget(ctx); err != nil {
			return logoutResult{}, fmt.Errorf("forget the session: %w", err)
		}
		res := logoutResult{LoggedOut: true, HadSession: held, SessionFile: d.status.SessionFile}
		switch {
		case d.c.CanRelogin():
			res.Note = "Session forgotten. The next tool call signs in to Monarch again with the configured email and password."
		default:
			res.Note = "Session forgotten. No password is configured, so the next tool call cannot sign in: run login-setup (see setup_authentication) and restart the server."
		}
		if d.pastedSessionSet() {
			res.Note += " MONARCH_TOKEN/MONARCH_COOKIES are still set: a restarted server starts from that pasted session again unless they are removed."
		}
		return res, nil
	})
}

// canReloginUnattended reports whether the server can sign in again without
// a person: a password, and the authenticator key that two-factor sign-in
// asks for.
func (d *deps) canReloginUnattended() bool { return d.c.CanRelogin() && d.c.HasMFASecret() }

// pastedSessionSet reports whether a starting session (MONARCH_TOKEN or
// MONARCH_COOKIES) is configured.
func (d *deps) pastedSessionSet() bool {
	return slices.Contains(d.status.SetVariables, "MONARCH_TOKEN") || slices.Contains(d.status.SetVariables, "MONARCH_COOKIES")
}
