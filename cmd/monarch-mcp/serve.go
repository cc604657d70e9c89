package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/mark3labs/mcp-go/server"
)

// stdioWorkers is how many tool calls the stdio server runs at once
// (mcp-go's default is 5). An assistant fans a question out into parallel
// calls, often ten or more; each call waits on Monarch, not on a CPU, and a
// waiting goroutine costs a few KiB, so calls are not queued behind each
// other until a client sends more than 32 at once, which none does. Monarch
// itself sees no more than the client sends.
const stdioWorkers = 32

// stdioQueue is how many further calls may wait for a worker (mcp-go's
// default, stated here beside the pool it feeds); beyond it mcp-go runs a
// call on the reading goroutine, which stalls reading until it ends.
const stdioQueue = 100

// serveStdio serves s on stdin/stdout until stdin ends or ctx is cancelled
// (SIGINT/SIGTERM); both are a clean stop. Nothing but MCP messages is
// written to stdout. The HTTP transport (internal/httpserve) serves the same
// *server.MCPServer.
func serveStdio(ctx context.Context, s *server.MCPServer, stdin io.Reader, stdout io.Writer, logger *slog.Logger) error {
	if stdinIsTTY(stdin) {
		logger.Warn("stdin is a terminal: monarch-mcp speaks MCP (JSON-RPC) on stdin/stdout and is meant to be started by an MCP client; try `monarch-mcp --help` or `monarch-mcp --demo call get_accounts`")
	}
	st := server.NewStdioServer(s)
	st.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))
	server.WithWorkerPoolSize(stdioWorkers)(st) // after the logger: the option may log
	server.WithQueueSize(stdioQueue)(st)
	logger.Info("serving MCP on stdio")
	err := st.Listen(ctx, stdin, stdout)
	if err == nil || errors.Is(err, context.Canceled) || ctx.Err() != nil {
		logger.Info("stopped", "reason", stopReason(ctx, err))
		return nil
	}
	return err
}

func stopReason(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		return "signal"
	}
	if err == nil {
		return "stdin closed"
	}
	return err.Error()
}
