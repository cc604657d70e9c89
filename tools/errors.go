package tools

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// ArgError is a tool argument the handler refuses. Its message names the
// parameter and what is expected.
type ArgError struct {
	Param string // "" when the problem is not one parameter
	Msg   string
}

func (e *ArgError) Error() string {
	if e.Param == "" {
		return e.Msg
	}
	return e.Param + " " + e.Msg
}

func argErrorf(param, msg string) error { return &ArgError{Param: param, Msg: msg} }

// errorResult turns an error into an isError tool result that says what
// went wrong and what to do next. It runs after reauth.WithReauth, so auth
// errors here are ones a re-login could not fix. The texts come from our own
// sentences and from the API client's errors, which never carry secrets.
func errorResult(err error) *mcp.CallToolResult {
	return mcp.NewToolResultError(explain(err))
}

func explain(err error) string {
	var arg *ArgError
	var cool *reauth.CooldownError
	var netErr net.Error
	var stopped *stoppedError
	switch {
	case errors.As(err, &stopped):
		return "The call was stopped before it finished: " + sentence(stopped.cause.Error()) +
			" If it was changing data, check whether the change was made before calling it again; otherwise call it again in a moment."
	case errors.Is(err, ErrNotConfigured):
		return NotConfiguredAdvice
	case errors.As(err, &arg):
		return "Invalid arguments: " + sentence(arg.Error()) + " Fix the arguments and call the tool again."
	case errors.As(err, &cool):
		return "Not signed in to Monarch: " + sentence(cool.Err.Error()) + nextStepForLogin(cool.Err) +
			" Sign-in attempts are paused until " + cool.Until.UTC().Format(time.RFC3339) +
			" so that a wrong setting cannot lock the account; restarting the server after fixing the settings clears the pause."
	case errors.Is(err, reauth.ErrBadCredentials):
		return "Could not sign in to Monarch: " + sentence(err.Error()) + nextStepForLogin(err)
	case errors.Is(err, reauth.ErrRateLimited):
		return "Monarch is rate limiting sign-ins: " + sentence(err.Error()) + " Wait a few minutes before trying again; do not retry in a loop."
	case errors.Is(err, reauth.ErrUnauthorized):
		return "Monarch refused the session even after signing in again: " + sentence(err.Error()) +
			" Call check_auth_status; if it also fails, run login-setup to store fresh credentials."
	case errors.Is(err, context.DeadlineExceeded):
		return "Monarch did not answer in time. Try again in a minute."
	case errors.Is(err, context.Canceled):
		return "The call was cancelled before Monarch answered."
	case isFileError(err):
		// Before net.Error: a syscall.Errno inside a file error also
		// satisfies net.Error, which once turned a read-only session
		// directory into "Could not reach Monarch".
		return explainFile(err)
	case errors.As(err, &netErr):
		return "Could not reach Monarch: " + sentence(err.Error()) + " Check the network connection and MONARCH_API_URL, then try again."
	}
	if msg, ok := explainAPI(err); ok {
		return msg
	}
	return "Monarch request failed: " + sentence(err.Error()) + " Try again; if it keeps failing, call check_auth_status."
}

// NotConfiguredAdvice is the answer to a call when sign-in is not
// configured: what is missing and the ways to set it up.
const NotConfiguredAdvice = "Monarch sign-in is not configured: set MONARCH_EMAIL and MONARCH_PASSWORD (and MONARCH_MFA_SECRET for two-factor sign-in) " +
	"in the environment or the .env file, or run login-setup, which asks for them, checks them and stores them in the OS keychain (or .env); " +
	"or start the server with --demo to try it with demo data. Then restart the server. setup_authentication explains the steps."

// nextStepForLogin adds the usual remedy unless the error already names one.
func nextStepForLogin(err error) string {
	if strings.Contains(err.Error(), "login-setup") {
		return ""
	}
	return " Run login-setup to check MONARCH_EMAIL, MONARCH_PASSWORD and MONARCH_MFA_SECRET, then restart the server."
}

// sentence makes s end with a full stop so that texts can be joined.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}

// isFileError reports whether err is a problem with a file on this machine
// (the session file or its directory), not with the network.
func isFileError(err error) bool {
	var pathErr *fs.PathError
	var linkErr *os.LinkError
	return errors.As(err, &pathErr) || errors.As(err, &linkErr) || errors.Is(err, fs.ErrPermission)
}

// explainFile names the file and the cause, and what to do. File paths are
// settings, not secrets.
func explainFile(err error) string {
	var pathErr *fs.PathError
	var linkErr *os.LinkError
	var what string
	switch {
	case errors.As(err, &linkErr):
		what = "The server could not " + linkErr.Op + " " + linkErr.Old + " to " + linkErr.New + ": " + linkErr.Err.Error() + "."
	case errors.As(err, &pathErr):
		what = "The server could not " + pathErr.Op + " " + pathErr.Path + ": " + pathErr.Err.Error() + "."
	default:
		what = "A file on this machine could not be used: " + sentence(err.Error())
	}
	what += " This is a problem with a file on this machine, not with Monarch or the network."
	if errors.Is(err, fs.ErrPermission) {
		return what + " Give the user running the server write access to that file and its directory " +
			"(or set MONARCH_SESSION_FILE to a writable path and restart the server), then try again."
	}
	return what + " Check that path and its directory (or set MONARCH_SESSION_FILE to another path and restart the server), then try again."
}

// stoppedError is a call ended by the cancellation of its context with a
// cause (such as the server shutting down), which says more than
// context.Canceled.
type stoppedError struct{ cause, err error }

func (e *stoppedError) Error() string   { return e.cause.Error() + ": " + e.err.Error() }
func (e *stoppedError) Unwrap() []error { return []error{e.err, e.cause} }

// withCause adds ctx's cancellation cause to err, if ctx was cancelled with
// one.
func withCause(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		return err
	}
	if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() {
		return &stoppedError{cause: cause, err: err}
	}
	return err
}
