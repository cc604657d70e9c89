// Command monarch-mcp is an MCP server for Monarch Money. It serves MCP on
// stdio by default; `monarch-mcp tools` lists its tools and
// `monarch-mcp call TOOL key=value ...` runs one. --demo runs everything
// against an in-process fake Monarch. See --help.
package main

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/monarch-mcp/monarch-mcp/internal/buildinfo"
	"github.com/monarch-mcp/monarch-mcp/internal/setupcmd"
)

func main() {
	// One binary can be both programs: started under the name login-setup
	// (the container image links it so), it is login-setup.
	if name := strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe"); name == "login-setup" {
		os.Exit(setupcmd.Main(os.Args[1:], buildinfo.String("login-setup", version, commit)))
	}
	// The client may close our pipes before we finish logging on exit; a
	// failed write is harmless, dying of SIGPIPE is not a clean exit.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
