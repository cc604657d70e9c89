// Command gen rewrites the "tools" list of mcpb/manifest.json from the
// server's tools. Run it with `go generate ./mcpb` from the repository
// root.
package main

import (
	"fmt"
	"os"

	"github.com/monarch-mcp/monarch-mcp/mcpb"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "mcpb/gen:", err)
		os.Exit(1)
	}
}

func run() error {
	old, err := os.ReadFile(mcpb.ManifestFile)
	if err != nil {
		return fmt.Errorf("%w (run it in mcpb/, e.g. with go generate ./mcpb)", err)
	}
	ts, err := mcpb.ServerTools()
	if err != nil {
		return err
	}
	updated, err := mcpb.SetTools(old, ts)
	if err != nil {
		return err
	}
	return os.WriteFile(mcpb.ManifestFile, updated, 0o644)
}
