package setup

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

const secretHelp = `
Unattended sign-in needs your authenticator key: the secret from which an
authenticator app makes its 6-digit codes.

  1. In Monarch (web), open Settings → Security → Two-factor authentication.
  2. Turn on two-factor authentication with an authenticator app. When it
     shows a QR code, choose to enter the key manually: that text is the key.
     If it is already on, turn it off and on again to see a key; then add the
     new key to your phone app too (or scan it from --qr), replacing the old.
  3. Paste the key below, and keep Monarch's page open: you will need the
     current code to finish turning it on.

The key is letters and digits 2-7 (like "JBSW Y3DP EHPK 3PXP …"), or an
otpauth:// link. It is not a 6-digit code and not a recovery code.
`

// passwordPath is the main flow: email, password, authenticator key, a
// real sign-in, then .env and the session are saved.
func (w *wizard) passwordPath(ctx context.Context) error {
	interactive := w.term.Interactive()
	if interactive {
		fmt.Fprintf(w.out, "Monarch MCP setup: this stores what monarch-mcp needs to sign in to Monarch by itself\nin %s (readable only by you). Ctrl-C at any point changes nothing.\n\n", w.envPath)
	}
	email, err := w.email()
	if err != nil {
		return err
	}
	w.account = email
	password, err := w.password(email)
	if err != nil {
		return err
	}
	if password == "" {
		// Accounts that sign in with Google or Apple have no password.
		fmt.Fprintln(w.out, "No password: if you sign in to Monarch with Google or Apple, the only way is a session copied from your browser.")
		ok, err := w.yes("Set up a browser session instead?", true)
		if err != nil {
			return err
		}
		if !ok {
			return errStopped
		}
		return w.browserPath(ctx)
	}
	secret, totp, err := w.secret()
	if err != nil {
		return err
	}

	for attempt := 1; ; attempt++ {
		sess, err := w.verify(ctx, email, password, totp)
		if err == nil {
			return w.finishPassword(ctx, email, password, secret, sess)
		}
		retry, err := w.explainLoginFailure(ctx, err)
		if err != nil {
			return err
		}
		if !interactive || attempt >= maxTries {
			return fmt.Errorf("Sign-in failed; nothing was saved. Run login-setup again once the problem above is fixed.")
		}
		switch retry {
		case retryPassword:
			if password, err = w.askPassword(""); err != nil {
				return err
			}
			if password == "" {
				return errStopped
			}
		case retrySecret:
			if secret, totp, err = w.askSecretKey(""); err != nil {
				return err
			}
		case useBrowser:
			return w.browserPath(ctx)
		default:
			return fmt.Errorf("Nothing was saved.")
		}
	}
}

func (w *wizard) email() (string, error) {
	switch {
	case w.opts.Email != "":
		return checkEmail(w.opts.Email)
	case !w.term.Interactive():
		if w.cfg.Email == "" {
			return "", &usageError{fmt.Sprintf("%s is not set and stdin is not a terminal: pass --email or set %s", config.EnvEmail, config.EnvEmail)}
		}
		return w.cfg.Email, nil
	}
	for range maxTries {
		e, err := w.ask("Monarch email", w.cfg.Email)
		if err != nil {
			return "", err
		}
		if e, err = checkEmail(e); err == nil {
			return e, nil
		}
		fmt.Fprintln(w.out, err)
	}
	return "", errStopped
}

func checkEmail(e string) (string, error) {
	e = strings.TrimSpace(e)
	if !strings.Contains(e, "@") || strings.ContainsAny(e, " \t") {
		return "", &usageError{"that is not an email address"}
	}
	return e, nil
}

func (w *wizard) password(email string) (string, error) {
	if w.opts.PasswordStdin {
		if w.opts.Stdin == nil {
			return "", &usageError{"--password-stdin: no standard input"}
		}
		b, err := readFirstLine(w.opts.Stdin)
		if err != nil || b == "" {
			return "", &usageError{"--password-stdin: standard input held no password"}
		}
		return b, nil
	}
	saved := ""
	if email == w.cfg.Email {
		saved = w.cfg.Password
	}
	if !w.term.Interactive() {
		if saved == "" {
			return "", &usageError{fmt.Sprintf("%s is not set and stdin is not a terminal: pass --password-stdin or set %s", config.EnvPassword, config.EnvPassword)}
		}
		return saved, nil
	}
	return w.askPassword(saved)
}

// askPassword asks for the password without echo; Enter keeps saved.
func (w *wizard) askPassword(saved string) (string, error) {
	prompt := "Monarch password (not shown; Enter if you have none)"
	if saved != "" {
		prompt = "Monarch password (not shown; Enter keeps the saved one)"
	}
	p, err := w.askSecret(prompt)
	if err != nil {
		return "", err
	}
	if p == "" {
		return saved, nil
	}
	return p, nil
}

// secret returns the key to store ("" for none) and its code generator.
func (w *wizard) secret() (string, *reauth.TOTP, error) {
	if !w.term.Interactive() {
		if w.cfg.MFASecret == "" {
			return "", nil, nil
		}
		stored, t, err := ParseSecret(w.cfg.MFASecret)
		if err != nil {
			return "", nil, &usageError{fmt.Sprintf("%s: %v", config.EnvMFASecret, err)}
		}
		return stored, t, nil
	}
	fmt.Fprint(w.out, secretHelp)
	return w.askSecretKey(w.cfg.MFASecret)
}

// askSecretKey asks for the key until it is valid, then shows the current
// code (and the QR code with --qr). Enter keeps saved, or skips when there
// is none: accounts without two-factor authentication need no key.
func (w *wizard) askSecretKey(saved string) (string, *reauth.TOTP, error) {
	prompt := "Authenticator key (not shown; Enter to skip if the account has no 2FA)"
	if saved != "" {
		prompt = "Authenticator key (not shown; Enter keeps the saved one)"
	}
	for range maxTries {
		in, err := w.askSecret(prompt)
		if err != nil {
			return "", nil, err
		}
		if in == "" {
			in = saved
		}
		if in == "" {
			fmt.Fprintln(w.out, "No key: monarch-mcp can sign in by itself only while Monarch does not ask for a code.")
			return "", nil, nil
		}
		stored, t, err := ParseSecret(in)
		if err != nil {
			fmt.Fprintf(w.out, "That is not an authenticator key: %v\n", err)
			continue
		}
		fmt.Fprintln(w.out, "Key accepted.")
		w.useClock(t)
		if err := w.showCode(stored, t); err != nil {
			return "", nil, err
		}
		return stored, t, nil
	}
	return "", nil, errStopped
}

// showCode prints the current code so the user can finish Monarch's
// enrolment with it and compare it with their phone.
func (w *wizard) showCode(stored string, t *reauth.TOTP) error {
	if w.opts.QR {
		uri := stored
		if !strings.Contains(stored, "://") {
			uri = keyURI(stored, w.account)
		}
		q, err := renderQR(uri)
		if err != nil {
			return err
		}
		fmt.Fprintf(w.out, "\nScan this with your authenticator app to add the same key to your phone:\n\n%s\n", q)
	}
	code, left, err := t.Peek()
	if err != nil {
		return err
	}
	fmt.Fprintf(w.out, "\nCurrent code: %s %s (valid for %d more seconds).\n", code[:3], code[3:], int(left.Round(time.Second)/time.Second))
	fmt.Fprintln(w.out, "If Monarch is waiting for a code to finish turning on 2FA, enter this one there (or the next one if it ran out); your phone app should show the same code.")
	if _, err := w.ask("Press Enter to sign in with it", ""); err != nil {
		return err
	}
	return nil
}

// verify signs in for real.
func (w *wizard) verify(ctx context.Context, email, password string, totp *reauth.TOTP) (*monarch.Session, error) {
	fmt.Fprintf(w.out, "Signing in to %s as %s …\n", w.cfg.APIURL, email)
	w.useClock(totp)
	c, err := w.client(email, password, totp)
	if err != nil {
		return nil, err
	}
	if w.cfg.SessionFile != "" && totp != nil {
		// Take part in the servers' coordination: a server renewing at
		// this moment would otherwise send the same code, and one of the
		// two sign-ins would be refused.
		store := reauth.NewFileStore[*monarch.Session](w.cfg.SessionFile)
		if unlock, err := store.Lock(ctx); err == nil {
			defer unlock()
		}
		totp.Ledger = store.Ledger()
	}
	return c.Login(ctx, nil)
}

// retryKind says which answer to ask for again after a failed sign-in.
type retryKind int

const (
	giveUp retryKind = iota
	retryPassword
	retrySecret
	useBrowser
)

// explainLoginFailure prints what went wrong and what to do, and says what
// to ask for again. It returns an error to stop at once.
func (w *wizard) explainLoginFailure(ctx context.Context, err error) (retryKind, error) {
	var le *monarch.LoginError
	if !errors.As(err, &le) {
		if isNetwork(err) || errors.Is(err, context.DeadlineExceeded) {
			return giveUp, w.networkMessage(err)
		}
		if ctx.Err() != nil {
			return giveUp, errStopped
		}
		return giveUp, fmt.Errorf("Sign-in failed: %v. Nothing was saved.", err)
	}
	interactive := w.term.Interactive()
	switch le.Kind {
	case monarch.KindBadCredentials:
		fmt.Fprintln(w.out, "Monarch rejected the email or password. Check them (the password is case-sensitive); repeated failures can lock the account for a while.")
		return retryPassword, nil
	case monarch.KindInvalidMFACode:
		fmt.Fprintf(w.out, "Monarch rejected the authenticator code. Either the key is not this account's current key (if you turned 2FA off and on, only the newest key works), "+
			"or this computer's clock is wrong: it says %s UTC; compare with https://time.is/UTC and fix the clock if it is off by more than a few seconds.\n",
			w.opts.Now().UTC().Format("2006-01-02 15:04:05"))
		return retrySecret, nil
	case monarch.KindMFARequired:
		fmt.Fprintln(w.out, "Monarch asks this account for an authenticator code, but no key was entered. Enter the key (see the steps above).")
		if interactive {
			fmt.Fprint(w.out, secretHelp)
		}
		return retrySecret, nil
	case monarch.KindEmailCodeRequired:
		return giveUp, errors.New("Monarch sent a sign-in code by email instead of asking for an authenticator code: two-factor authentication " +
			"with an authenticator app is not on for this account, and email codes cannot be answered unattended.\n" +
			"Turn it on in Monarch: Settings → Security → Two-factor authentication → authenticator app, then run login-setup again. Nothing was saved.")
	case monarch.KindRateLimited:
		wait := "a few minutes"
		if le.RetryAfter > 0 {
			wait = le.RetryAfter.String()
		}
		return giveUp, fmt.Errorf("Monarch is limiting sign-in attempts: wait %s, then run login-setup again (retrying sooner makes it last longer). Nothing was saved.", wait)
	case monarch.KindCaptcha:
		fmt.Fprintln(w.out, "Monarch asks for a CAPTCHA before this sign-in, which a program cannot answer. Waiting a few hours often helps; "+
			"or use a session copied from your browser now (it works until Monarch ends it, and cannot renew itself).")
		if !interactive {
			return giveUp, errors.New("Nothing was saved; run login-setup --browser to paste a browser session, or try again later.")
		}
		ok, err := w.yes("Set up a browser session instead?", true)
		if err != nil {
			return giveUp, err
		}
		if ok {
			return useBrowser, nil
		}
		return giveUp, nil
	}
	return giveUp, fmt.Errorf("%v\nNothing was saved.", le)
}

// finishPassword saves .env and the session and prints the next steps.
func (w *wizard) finishPassword(ctx context.Context, email, password, secret string, sess *monarch.Session) error {
	fmt.Fprintln(w.out, "Signed in.")
	set := map[string]string{config.EnvEmail: email, config.EnvPassword: password}
	order := []string{config.EnvEmail, config.EnvPassword}
	var remove []string
	if secret != "" {
		set[config.EnvMFASecret] = secret
		order = append(order, config.EnvMFASecret)
	} else {
		remove = append(remove, config.EnvMFASecret, config.EnvMFASecret+"_FILE")
	}
	saved := fmt.Sprintf("Saved %s in %s (mode 0600)", strings.Join(order, ", "), w.envPath)
	if w.store == StoreKeychain {
		msg, err := w.saveKeychain(ctx, email, password, secret)
		if err != nil {
			return err
		}
		saved = msg
	} else if err := w.saveEnv(set, order, remove...); err != nil {
		return err
	}
	if err := w.saveSession(ctx, sess); err != nil {
		return err
	}
	fmt.Fprintf(w.out, "%s, and the session in %s.\n", saved, w.cfg.SessionFile)
	if secret != "" {
		fmt.Fprintln(w.out, "monarch-mcp will now sign in again by itself whenever Monarch ends the session.")
	} else {
		fmt.Fprintln(w.out, "Without an authenticator key, monarch-mcp can sign in again by itself only while Monarch does not ask for a code; "+
			"turn on authenticator-app 2FA and run login-setup again to be sure.")
	}
	if w.store != StoreKeychain && !DockerSafe(password) {
		fmt.Fprintln(w.out, "Note: the password has characters that docker's --env-file cannot pass on unchanged; with docker, give it as a Docker secret (MONARCH_PASSWORD_FILE) instead.")
	}
	envPath := w.envPath
	if w.store == StoreKeychain && !fileExists(w.envPath) {
		// Nothing left for --env-file to read: the server finds the
		// credentials in the keychain and the session at its default path.
		envPath = ""
	}
	fmt.Fprint(w.out, nextSteps(ClientSnippets(w.executable(), envPath)))
	return nil
}

const browserHelp = `
Browser session: monarch-mcp uses the session of a browser where you are
signed in to Monarch.

  1. Sign in at https://app.monarch.com in Chrome, Edge, Firefox or Safari.
  2. Open the developer tools (F12, or Cmd-Option-I on a Mac) → Network tab.
  3. Reload the page, type "graphql" in the filter box and click any request.
  4. Under Request Headers, find "Cookie" and copy its whole value.
  5. Paste it below (it is not shown).

Such a session cannot renew itself: when Monarch ends it, paste a fresh one
with login-setup --browser. Email + password + authenticator key is the
setup that never needs you again; prefer it when you can.
`

// browserPath stores a session pasted from a browser.
func (w *wizard) browserPath(ctx context.Context) error {
	if !w.term.Interactive() {
		return &usageError{"the browser-session setup needs a terminal to paste the Cookie header into (or set " + config.EnvCookies + " yourself)"}
	}
	fmt.Fprint(w.out, browserHelp)
	for range maxTries {
		header, err := w.askSecret("Cookie header")
		if err != nil {
			return err
		}
		fmt.Fprintf(w.out, "Received %d characters.\n", len(header))
		sess, err := monarch.ParseCookieHeader(header)
		if err != nil {
			fmt.Fprintf(w.out, "That will not work: %v\n", err)
			continue
		}
		if err := w.verifySession(ctx, sess); err != nil {
			var ve *verifyError
			if errors.As(err, &ve) {
				fmt.Fprintln(w.out, err)
				continue
			}
			return err
		}
		if err := w.saveEnv(map[string]string{config.EnvCookies: strings.TrimSpace(trimCookiePrefix(header))}, []string{config.EnvCookies},
			config.EnvToken, config.EnvToken+"_FILE"); err != nil {
			return err
		}
		if err := w.saveSession(ctx, sess); err != nil {
			return err
		}
		fmt.Fprintf(w.out, "Saved %s in %s (mode 0600) and the session in %s.\n", config.EnvCookies, w.envPath, w.cfg.SessionFile)
		fmt.Fprintln(w.out, "Remember: this session cannot renew itself. When tools report that it expired, run login-setup --browser again.")
		fmt.Fprint(w.out, nextSteps(ClientSnippets(w.executable(), w.envPath)))
		return nil
	}
	return errStopped
}

func trimCookiePrefix(h string) string {
	h = strings.TrimSpace(h)
	if len(h) >= 7 && strings.EqualFold(h[:7], "cookie:") {
		return strings.TrimSpace(h[7:])
	}
	return h
}

// verifyError is a pasted session that Monarch did not accept.
type verifyError struct{ msg string }

func (e *verifyError) Error() string { return e.msg }

// verifySession checks a pasted session with one real request.
func (w *wizard) verifySession(ctx context.Context, sess *monarch.Session) error {
	fmt.Fprintf(w.out, "Checking the session with %s …\n", w.cfg.APIURL)
	c, err := w.client("", "", nil)
	if err != nil {
		return err
	}
	c.Auth().Set(sess)
	err = c.Ping(ctx)
	switch {
	case err == nil:
		fmt.Fprintln(w.out, "Monarch accepted the session.")
		return nil
	case errors.Is(err, reauth.ErrUnauthorized):
		return &verifyError{"Monarch did not accept this session (signed out or expired). Sign in again in the browser, then copy the Cookie header of a new graphql request."}
	case isNetwork(err) || errors.Is(err, context.DeadlineExceeded):
		return w.networkMessage(err)
	}
	return fmt.Errorf("Checking the session failed: %v. Nothing was saved.", err)
}

// check verifies the existing configuration with a real sign-in (or, for
// a pasted session, a real request).
func (w *wizard) check(ctx context.Context) error {
	cfg := w.cfg
	switch {
	case cfg.Email != "" && cfg.Password != "":
		sess, err := w.verify(ctx, cfg.Email, cfg.Password, cfg.TOTP)
		if err != nil {
			if _, err := w.explainLoginFailure(ctx, err); err != nil {
				return err
			}
			return errors.New("Check failed: run login-setup to fix the settings.")
		}
		if err := w.saveSession(ctx, sess); err != nil {
			return err
		}
		if cfg.TOTP != nil {
			fmt.Fprintf(w.out, "OK: signed in as %s with the credentials from the %s; monarch-mcp can sign in again by itself. Saved the session in %s.\n", cfg.Email, cfg.CredentialsFrom(), cfg.SessionFile)
		} else {
			fmt.Fprintf(w.out, "OK: signed in as %s with the credentials from the %s, without an authenticator key (Monarch may ask for a code later; run login-setup to add one). Saved the session in %s.\n", cfg.Email, cfg.CredentialsFrom(), cfg.SessionFile)
		}
		return nil
	case cfg.Cookies != "" || cfg.Token != "":
		var sess *monarch.Session
		if cfg.Cookies != "" {
			s, err := monarch.ParseCookieHeader(cfg.Cookies)
			if err != nil {
				return fmt.Errorf("Check failed: %s: %v", config.EnvCookies, err)
			}
			sess = s
		} else {
			sess = monarch.TokenSession(cfg.Token)
		}
		if err := w.verifySession(ctx, sess); err != nil {
			return fmt.Errorf("Check failed: %v", err)
		}
		fmt.Fprintln(w.out, "OK: the pasted session works, but it cannot renew itself; set up email, password and authenticator key with login-setup to never need this again.")
		return nil
	}
	return fmt.Errorf("Check failed: no credentials are configured in the environment, the OS keychain or %s; run login-setup.", w.envPath)
}
