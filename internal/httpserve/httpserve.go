// Package httpserve serves an MCP server over streamable HTTP at /mcp, with
// what a long-lived service needs around it: loopback by default, a bearer
// token required anywhere else, Host/Origin checks against DNS rebinding, a
// body size limit, timeouts, /healthz, and a graceful stop.
//
// The MCP side runs stateless: no session id is issued, so a client never
// meets "invalid session" after the server restarts or idles (many remote
// MCP clients cannot re-initialise on their own). monarch-mcp has no
// per-client state to lose by it.
package httpserve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Defaults.
const (
	// DefaultMaxBody bounds a request body. MCP requests are small; the
	// largest is a balance-history CSV, far below this.
	DefaultMaxBody = 1 << 20
	// ShutdownTimeout is how long a stop waits for calls in flight to
	// finish before cancelling them.
	ShutdownTimeout = 10 * time.Second
	// cancelWait is how long a stop then waits for the cancelled calls'
	// answers to be written (a cancelled Monarch request ends at once);
	// connections still busy after it are closed.
	cancelWait = 5 * time.Second

	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	// writeTimeout covers the slowest tool call: a re-login plus retries
	// with backoff against a struggling Monarch.
	writeTimeout = 3 * time.Minute
	idleTimeout  = 2 * time.Minute
)

// Path is where MCP is served.
const Path = "/mcp"

// ErrShuttingDown is the cause with which a stop cancels the calls still
// running after ShutdownTimeout; tool handlers see it as context.Cause.
var ErrShuttingDown = errors.New("the server is shutting down")

// ErrTokenRequired is returned when asked to listen beyond loopback without
// a bearer token: the server holds the keys to someone's finances.
var ErrTokenRequired = errors.New("a bearer token is required to listen on a non-loopback address")

// Options configure [Serve] and [Handler].
type Options struct {
	// Addr is host:port to listen on. An empty host (":8080") or a bare
	// port ("8080") means 127.0.0.1.
	Addr string
	// Token, if set, is required as "Authorization: Bearer <Token>" on
	// every MCP request. It must be set unless Addr is a loopback address.
	Token string
	// MaxBody bounds request bodies. Default DefaultMaxBody.
	MaxBody int64
	// Logger receives start/stop and refused-request events (never a
	// token). Default: discard.
	Logger *slog.Logger
	// ShutdownTimeout is how long a stop waits for calls in flight before
	// cancelling them. Default ShutdownTimeout.
	ShutdownTimeout time.Duration
}

// ListenAddr returns addr with the default host filled in.
func ListenAddr(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", errors.New("empty address; use HOST:PORT, e.g. 127.0.0.1:8080")
	}
	if !strings.Contains(addr, ":") {
		addr = ":" + addr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("address %q: %w; use HOST:PORT, e.g. 127.0.0.1:8080", addr, err)
	}
	if port == "" {
		return "", fmt.Errorf("address %q has no port; use HOST:PORT, e.g. 127.0.0.1:8080", addr)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// Listen opens the listener for opts.Addr, refusing a non-loopback address
// without a token before anything is served.
func Listen(opts Options) (net.Listener, bool, error) {
	addr, err := ListenAddr(opts.Addr)
	if err != nil {
		return nil, false, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, false, err
	}
	loopback := isLoopback(ln.Addr())
	if !loopback && opts.Token == "" {
		ln.Close()
		return nil, false, fmt.Errorf("%s: %w", addr, ErrTokenRequired)
	}
	return ln, loopback, nil
}

func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// Serve serves s on ln until ctx is done, then stops: new connections are
// refused, calls in flight get opts.ShutdownTimeout to finish, and those
// still running are then cancelled with cause ErrShuttingDown, so that
// every client gets an answer (whatever its handler returns when
// cancelled) instead of a dropped connection. A stop is not an error: Serve
// returns nil. It installs a tool middleware on s for the cancelling.
func Serve(ctx context.Context, s *server.MCPServer, ln net.Listener, loopback bool, opts Options) error {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	grace := opts.ShutdownTimeout
	if grace <= 0 {
		grace = ShutdownTimeout
	}
	// Only the tool handlers' contexts are cancelled, not the requests':
	// mcp-go writes no answer for a request whose context is done.
	calls, cancelCalls := context.WithCancelCause(context.Background())
	defer cancelCalls(nil)
	s.Use(cancelWhenDone(calls))
	srv := &http.Server{
		Handler:           Handler(s, loopback, opts),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	logger.Info("serving MCP over streamable HTTP", "url", "http://"+ln.Addr().String()+Path,
		"loopback", loopback, "auth", opts.Token != "")
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	logger.Info("stopping: waiting for calls in flight", "timeout", grace)
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Shutdown(context.Background()) }()
	var err error
	select {
	case err = <-stopped:
	case <-time.After(grace):
		logger.Warn("stopping: cancelling the calls still running", "after", grace)
		cancelCalls(ErrShuttingDown)
		select {
		case err = <-stopped:
		case <-time.After(cancelWait):
			logger.Warn("stopping: closing connections whose calls did not end when cancelled", "after", cancelWait)
			srv.Close()
			err = <-stopped
		}
	}
	<-done
	if err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	logger.Info("stopped", "reason", "signal")
	return nil
}

// cancelWhenDone is a tool middleware that cancels each call's context,
// with stop's cause, when stop is done.
func cancelWhenDone(stop context.Context) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			ctx, cancel := context.WithCancelCause(ctx)
			defer cancel(nil)
			unhook := context.AfterFunc(stop, func() { cancel(context.Cause(stop)) })
			defer unhook()
			return next(ctx, req)
		}
	}
}

// Handler returns the HTTP handler: MCP at /mcp behind the guards, and
// /healthz. loopback says whether the listener is on a loopback address,
// which decides the Host check.
func Handler(s *server.MCPServer, loopback bool, opts Options) http.Handler {
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	mcpHandler := server.NewStreamableHTTPServer(s,
		server.WithStateLess(true),
		// Our own checks below cover every listener, not only loopback
		// connections, and answer the same way for both.
		server.WithDisableLocalhostProtection(true),
		server.WithStreamableHTTPLogger(logger),
	)
	g := &guard{loopback: loopback, maxBody: opts.MaxBody, logger: logger, next: mcpHandler}
	if opts.Token != "" {
		sum := sha256.Sum256([]byte(opts.Token))
		g.tokenSum = sum[:]
	}
	mux := http.NewServeMux()
	mux.Handle(Path, g)
	mux.HandleFunc("/healthz", healthz)
	return mux
}

// healthz answers container health checks: no secrets, no upstream call.
func healthz(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, `{"status":"ok"}`+"\n")
}

// guard checks a request before MCP sees it.
type guard struct {
	loopback bool
	tokenSum []byte // sha256 of the token; nil for none
	maxBody  int64
	logger   *slog.Logger
	next     http.Handler
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if reason := g.badOrigin(r); reason != "" {
		g.logger.Warn("refused request", "status", http.StatusForbidden, "reason", reason, "remote", r.RemoteAddr)
		http.Error(w, "forbidden: "+reason, http.StatusForbidden)
		return
	}
	if g.tokenSum != nil && !g.authorized(r) {
		g.logger.Warn("refused request", "status", http.StatusUnauthorized, "reason", "missing or wrong bearer token", "remote", r.RemoteAddr)
		w.Header().Set("WWW-Authenticate", `Bearer realm="monarch-mcp"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if r.Method == http.MethodGet {
		// A stateless server has nothing to push on a standalone SSE
		// stream; the spec's answer is 405. (Held open, such a stream
		// would also stall every graceful stop.)
		w.Header().Set("Allow", "POST")
		http.Error(w, "this server sends no server-initiated messages: use POST", http.StatusMethodNotAllowed)
		return
	}
	if r.Body != nil && r.Method == http.MethodPost {
		if r.ContentLength > g.maxBody {
			tooLarge(w, g.maxBody)
			return
		}
		// Read the body here, so an oversized chunked body is a 413 and
		// not a JSON parse error from the MCP layer.
		body, err := io.ReadAll(io.LimitReader(r.Body, g.maxBody+1))
		if err != nil {
			http.Error(w, "could not read the request body", http.StatusBadRequest)
			return
		}
		if int64(len(body)) > g.maxBody {
			tooLarge(w, g.maxBody)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	g.next.ServeHTTP(w, r)
}

func tooLarge(w http.ResponseWriter, limit int64) {
	http.Error(w, fmt.Sprintf("request body larger than %d bytes", limit), http.StatusRequestEntityTooLarge)
}

// authorized compares the bearer token in constant time (over fixed-size
// digests, so not even the length leaks).
func (g *guard) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(h[len(prefix):])))
	return subtle.ConstantTimeCompare(sum[:], g.tokenSum) == 1
}

// badOrigin returns why a request may come from a DNS-rebinding page, or "".
// On loopback the Host must be a localhost name; everywhere a browser's
// Origin must be localhost (on loopback) or the Host itself.
func (g *guard) badOrigin(r *http.Request) string {
	if g.loopback && !isLocalhost(r.Host) {
		return "Host is not a localhost name"
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return "" // not a browser
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return "malformed Origin"
	}
	if g.loopback {
		if !isLocalhost(u.Host) {
			return "Origin is not localhost"
		}
		return ""
	}
	if !strings.EqualFold(u.Host, r.Host) {
		return "Origin does not match Host"
	}
	return ""
}

// isLocalhost reports whether a Host value (with optional port) names this
// machine's loopback interface.
func isLocalhost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
