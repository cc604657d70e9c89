package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/mark3labs/mcp-go/server"
)

// serveStdio serves s on stdin/stdout until stdin ends or ctx is cancelled
// (SIGINT/SIGTERM); both are a clean stop. Nothing but MCP messages is
// written to stdout. An HTTP transport is a sibling function over
// the same *server.MCPServer.
func serveStdio(ctx context.Context, s *server.MCPServer, stdin io.Reader, stdout io.Writer, logger *slog.Logger) error {
	if stdinIsTTY(stdin) {
		logger.Warn("stdin is a terminal: monarch-mcp speaks MCP (JSON-RPC) on stdin/stdout and is meant to be started by an MCP client; try `monarch-mcp --help` or `monarch-mcp --demo call get_accounts`")
	}
	st := server.NewStdioServer(s)
	st.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))
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
