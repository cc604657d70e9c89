package main

import "github.com/monarch-mcp/monarch-mcp/internal/buildinfo"

// Set at link time:
//
//	go build -ldflags "-X main.version=v1.0.0 -X main.commit=$(git rev-parse --short HEAD)" ./cmd/monarch-mcp
//
// These are the only package-level variables: the linker can set nothing
// else.
var (
	version = ""
	commit  = ""
)

// buildVersion returns the version and commit (see buildinfo.Resolve).
func buildVersion() (string, string) { return buildinfo.Resolve(version, commit) }

func versionString() string { return buildinfo.String("monarch-mcp", version, commit) }
