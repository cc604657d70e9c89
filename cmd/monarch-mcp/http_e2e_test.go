package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// startHTTPServer runs the binary with --http on a free loopback port and
// returns the /mcp URL once the server logged it, the process, its stderr,
// and a channel closed when stderr has been read to the end (the process
// exited; only then may cmd.Wait be called).
func startHTTPServer(t *testing.T, env []string, dir string) (string, *exec.Cmd, *testenv.Logs, <-chan struct{}) {
	t.Helper()
	cmd := exec.Command(binPath, "--http", "127.0.0.1:0")
	cmd.Env, cmd.Dir = env, dir
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	logs := &testenv.Logs{}
	urlc := make(chan string, 1)
	drained := make(chan struct{})
	urlRE := regexp.MustCompile(`url=(http://\S+/mcp)`)
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(pipe)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			logs.Write([]byte(line + "\n"))
			if m := urlRE.FindStringSubmatch(line); m != nil && !sent {
				urlc <- m[1]
				sent = true
			}
		}
		if !sent {
			close(urlc)
		}
	}()
	select {
	case u, ok := <-urlc:
		if !ok {
			t.Fatalf("server exited before serving:\n%s", logs)
		}
		return u, cmd, logs, drained
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not start:\n%s", logs)
	}
	return "", nil, nil, nil
}

// TestHTTPEndToEnd drives the real binary over streamable HTTP at debug
// level: a bearer token, every read tool, a re-login after expiry, a
// refused request, and a graceful SIGTERM. No secret may appear in stderr,
// tool output or any HTTP response.
func TestHTTPEndToEnd(t *testing.T) {
	sb := startSandbox(t)
	dir := t.TempDir()
	const httpToken = "http-bearer-token-4b1d"
	// A starting token, so that the one login (after expiry) needs no wait
	// for a fresh TOTP step.
	startToken := sb.IssueToken()
	url, cmd, logs, drained := startHTTPServer(t, demoEnv(sb, dir, "MONARCH_MCP_HTTP_TOKEN="+httpToken, "MONARCH_TOKEN="+startToken), dir)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	var mu sync.Mutex
	var seen strings.Builder // every response body the test received
	record := func(s string) { mu.Lock(); seen.WriteString(s + "\n"); mu.Unlock() }

	// Without the token: 401 and nothing else.
	for _, auth := range []string{"", "Bearer wrong"} {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		record(string(b))
		if resp.StatusCode != http.StatusUnauthorized || strings.Contains(string(b), "tools") {
			t.Errorf("auth %q: %d %s", auth, resp.StatusCode, b)
		}
	}

	c, err := client.NewStreamableHttpClient(url, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + httpToken}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ir := mcp.InitializeRequest{}
	ir.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	ir.Params.ClientInfo = mcp.Implementation{Name: "e2e-http", Version: "1"}
	if _, err := c.Initialize(ctx, ir); err != nil {
		t.Fatalf("initialize: %v\n%s", err, logs)
	}
	args := readToolArgs(t, ctx, c)
	callAll := func(phase string) {
		var wg sync.WaitGroup
		for name, a := range args {
			wg.Go(func() {
				res, err := call(ctx, c, name, a)
				if err != nil || res.IsError {
					t.Errorf("%s %s: %v %s", phase, name, err, text(res))
				}
				if res != nil {
					record(text(res))
				}
			})
		}
		wg.Wait()
	}
	callAll("first")
	sb.ExpireSessions()
	callAll("after expiry")
	// One login, shared by all the concurrent calls after expiry.
	if n := sb.Logins(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-drained:
		if err := cmd.Wait(); err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit within 20s of SIGTERM")
	}

	out := logs.String() + seen.String()
	secrets := []string{sandbox.DemoPassword, sandbox.DemoMFASecret, httpToken, startToken}
	secrets = append(secrets, sessionSecrets(t, filepath.Join(dir, "session.json"))...)
	secrets = append(secrets, recentCodes(t)...)
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("stderr or a response contains a secret (%d chars)", len(s))
		}
	}
	if !strings.Contains(logs.String(), "stopped") {
		t.Errorf("no graceful stop in the logs:\n%s", logs)
	}
}
