package httpserve

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// testServer is an MCP server with one tool that echoes, and one that
// blocks until released (for the graceful-stop test).
func testServer(release <-chan struct{}, started chan<- struct{}) *server.MCPServer {
	s := server.NewMCPServer("test", "1", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("echo", mcp.WithString("text")), func(ctx context.Context, r mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(r.GetString("text", "")), nil
	})
	s.AddTool(mcp.NewTool("slow"), func(ctx context.Context, r mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		started <- struct{}{}
		<-release
		return mcp.NewToolResultText("done"), nil
	})
	// until_cancelled runs until its context ends, as a call to a Monarch
	// that does not answer does, and says why it ended.
	s.AddTool(mcp.NewTool("until_cancelled"), func(ctx context.Context, r mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		started <- struct{}{}
		<-ctx.Done()
		return mcp.NewToolResultError("stopped: " + context.Cause(ctx).Error()), nil
	})
	return s
}

// postCall posts a tools/call of tool to url and returns the answer.
func postCall(url, tool string) (int, string, error) {
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"`+tool+`"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
const callBody = `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}`

func post(h http.Handler, host, body string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "http://"+host+Path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestGuards(t *testing.T) {
	const token = "s3cret-token-value"
	big := `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"` + strings.Repeat("x", 2000) + `"}}`
	tests := []struct {
		name     string
		loopback bool
		token    string
		host     string
		body     string
		hdr      map[string]string
		status   int
	}{
		{"loopback ok", true, "", "127.0.0.1:8080", initBody, nil, 200},
		{"localhost name ok", true, "", "localhost:8080", initBody, nil, 200},
		{"ipv6 loopback ok", true, "", "[::1]:8080", initBody, nil, 200},
		{"rebinding host", true, "", "evil.example.com:8080", initBody, nil, 403},
		{"rebinding origin", true, "", "127.0.0.1:8080", initBody, map[string]string{"Origin": "http://evil.example.com"}, 403},
		{"localhost origin ok", true, "", "127.0.0.1:8080", initBody, map[string]string{"Origin": "http://localhost:3000"}, 200},
		{"malformed origin", true, "", "127.0.0.1:8080", initBody, map[string]string{"Origin": "::"}, 403},
		{"token missing", true, token, "127.0.0.1:8080", initBody, nil, 401},
		{"token wrong", true, token, "127.0.0.1:8080", initBody, map[string]string{"Authorization": "Bearer nope"}, 401},
		{"token prefix", true, token, "127.0.0.1:8080", initBody, map[string]string{"Authorization": "Bearer " + token[:5]}, 401},
		{"token not bearer", true, token, "127.0.0.1:8080", initBody, map[string]string{"Authorization": "Basic " + token}, 401},
		{"token ok", true, token, "127.0.0.1:8080", initBody, map[string]string{"Authorization": "Bearer " + token}, 200},
		{"token ok lowercase scheme", true, token, "127.0.0.1:8080", initBody, map[string]string{"Authorization": "bearer " + token}, 200},
		{"remote any host", false, token, "mcp.example.net", initBody, map[string]string{"Authorization": "Bearer " + token}, 200},
		{"remote same origin", false, token, "mcp.example.net", initBody, map[string]string{"Authorization": "Bearer " + token, "Origin": "https://mcp.example.net"}, 200},
		{"remote cross origin", false, token, "mcp.example.net", initBody, map[string]string{"Authorization": "Bearer " + token, "Origin": "https://evil.example.com"}, 403},
		{"body too large", true, "", "127.0.0.1:8080", big, nil, 413},
		// Stateless: a call needs no initialize and no session id, and a
		// stale id from before a restart is not an error.
		{"call without session", true, "", "127.0.0.1:8080", callBody, nil, 200},
		{"call with stale session", true, "", "127.0.0.1:8080", callBody, map[string]string{"Mcp-Session-Id": "mcp-session-from-before-restart"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Handler(testServer(nil, nil), tt.loopback, Options{Token: tt.token, MaxBody: 1024})
			w := post(h, tt.host, tt.body, tt.hdr)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body.String())
			}
			body := w.Body.String()
			if tt.token != "" && strings.Contains(body, tt.token) {
				t.Error("response contains the token")
			}
			switch tt.status {
			case 401:
				if w.Header().Get("WWW-Authenticate") == "" || strings.Contains(body, "jsonrpc") {
					t.Errorf("401 should carry WWW-Authenticate and nothing else: %q", body)
				}
			case 200:
				if w.Header().Get("Mcp-Session-Id") != "" {
					t.Error("stateless server issued a session id")
				}
				if strings.Contains(tt.body, "tools/call") && !strings.Contains(body, `"hi"`) {
					t.Errorf("call result: %s", body)
				}
			}
		})
	}
}

// GET (a standalone SSE stream) is refused: a stateless server never
// pushes, and an open stream would stall graceful stops.
func TestGetStreamRefused(t *testing.T) {
	h := Handler(testServer(nil, nil), true, Options{})
	r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+Path, nil)
	r.Header.Set("Accept", "text/event-stream")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "POST" {
		t.Errorf("GET: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
}

// A chunked body (no Content-Length) over the limit is a 413 too.
func TestChunkedBodyLimit(t *testing.T) {
	h := Handler(testServer(nil, nil), true, Options{MaxBody: 100})
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1"+Path, io.MultiReader(strings.NewReader(initBody), strings.NewReader(strings.Repeat(" ", 200))))
	r.ContentLength = -1
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d", w.Code)
	}
}

func TestHealthz(t *testing.T) {
	h := Handler(testServer(nil, nil), true, Options{Token: "tok"})
	for _, tt := range []struct {
		method string
		status int
	}{{http.MethodGet, 200}, {http.MethodHead, 200}, {http.MethodPost, 405}} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(tt.method, "http://127.0.0.1/healthz", nil))
		if w.Code != tt.status {
			t.Errorf("%s /healthz: %d", tt.method, w.Code)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/other", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("/other: %d", w.Code)
	}
}

func TestListenAddr(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"127.0.0.1:8080", "127.0.0.1:8080", ""},
		{":8080", "127.0.0.1:8080", ""},
		{"8080", "127.0.0.1:8080", ""},
		{"0.0.0.0:80", "0.0.0.0:80", ""},
		{"[::1]:9", "[::1]:9", ""},
		{"", "", "empty address"},
		{"127.0.0.1:", "", "no port"},
		{"a:b:c", "", "HOST:PORT"},
	}
	for _, tt := range tests {
		got, err := ListenAddr(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ListenAddr(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestListenRefusesRemoteWithoutToken(t *testing.T) {
	_, _, err := Listen(Options{Addr: "0.0.0.0:0"})
	if !errors.Is(err, ErrTokenRequired) {
		t.Fatalf("err %v", err)
	}
	ln, loopback, err := Listen(Options{Addr: "127.0.0.1:0"})
	if err != nil || !loopback {
		t.Fatalf("loopback: %v %v", loopback, err)
	}
	ln.Close()
	ln, loopback, err = Listen(Options{Addr: "0.0.0.0:0", Token: "t"})
	if err != nil || loopback {
		t.Fatalf("remote with token: %v %v", loopback, err)
	}
	ln.Close()
}

// Cancelling Serve's context lets a request in flight finish, then stops.
func TestGracefulStop(t *testing.T) {
	release, started := make(chan struct{}), make(chan struct{}, 1)
	ln, loopback, err := Listen(Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, testServer(release, started), ln, loopback, Options{}) }()

	url := "http://" + ln.Addr().String() + Path
	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"slow"}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- result{status: resp.StatusCode, body: string(b)}
	}()
	<-started
	cancel()
	// New connections are refused once shutdown has begun; the request in
	// flight is still answered.
	close(release)
	r := <-got
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, "done") {
		t.Errorf("in-flight request: %+v", r)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Error("still accepting connections after stop")
	}
}

// A stop with calls running longer than the grace period cancels them: every
// client gets its call's answer, and the stop is not an error.
func TestStopCancelsCallsInFlight(t *testing.T) {
	const calls = 3
	started := make(chan struct{}, calls)
	ln, loopback, err := Listen(Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, testServer(nil, started), ln, loopback, Options{ShutdownTimeout: 10 * time.Millisecond})
	}()
	url := "http://" + ln.Addr().String() + Path
	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, calls)
	for range calls {
		go func() {
			status, body, err := postCall(url, "until_cancelled")
			got <- result{status, body, err}
		}()
	}
	for range calls {
		<-started
	}
	cancel()
	for range calls {
		r := <-got
		if r.err != nil || r.status != 200 || !strings.Contains(r.body, `"isError":true`) || !strings.Contains(r.body, ErrShuttingDown.Error()) {
			t.Errorf("call in flight at stop: %+v, want an error result saying %q", r, ErrShuttingDown)
		}
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil: a deliberate stop is not a failure", err)
	}
}
