package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// TestStdioCallsRunInParallel: stdioWorkers calls, each held until all of
// them have started, finish over stdio; with a smaller worker pool the
// later calls would wait behind the held ones and never start.
func TestStdioCallsRunInParallel(t *testing.T) {
	started, release := make(chan struct{}, stdioWorkers), make(chan struct{})
	s := server.NewMCPServer("test", "1", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("held"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		started <- struct{}{}
		select {
		case <-release:
			return mcp.NewToolResultText("done"), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- serveStdio(ctx, s, inR, outW, slog.New(slog.DiscardHandler)) }()

	go func() {
		fmt.Fprintln(inW, `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
		fmt.Fprintln(inW, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
		for i := 1; i <= stdioWorkers; i++ {
			fmt.Fprintf(inW, `{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"held"}}`+"\n", i)
		}
	}()
	answers := make(chan int, stdioWorkers+1)
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			var m struct {
				ID int `json:"id"`
			}
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				answers <- m.ID
			}
		}
	}()

	// The timer only bounds a failure; it orders nothing.
	fail := time.NewTimer(30 * time.Second)
	defer fail.Stop()
	for n := range stdioWorkers {
		select {
		case <-started:
		case <-fail.C:
			t.Fatalf("only %d of %d calls running at once", n, stdioWorkers)
		}
	}
	close(release)
	got := map[int]bool{}
	for len(got) < stdioWorkers+1 { // the calls and initialize
		select {
		case id := <-answers:
			got[id] = true
		case <-fail.C:
			t.Fatalf("answers %v, want ids 0-%d", got, stdioWorkers)
		}
	}
	inW.Close()
	if err := <-served; err != nil {
		t.Errorf("serveStdio: %v", err)
	}
	outW.Close()
}
