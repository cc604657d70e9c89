// Command login-setup is the one-time setup for monarch-mcp: it asks for the
// Monarch email, password and authenticator key, checks them with a real
// sign-in, and stores them so that monarch-mcp can sign in again by itself.
// See --help, and internal/setupcmd for the command itself.
package main

import (
	"os"

	"github.com/monarch-mcp/monarch-mcp/internal/setupcmd"
)

func main() { os.Exit(setupcmd.Main(os.Args[1:], versionString())) }
