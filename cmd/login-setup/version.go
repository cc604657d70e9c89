package main

import "github.com/monarch-mcp/monarch-mcp/internal/buildinfo"

// Set at link time:
//
//	go build -ldflags "-X main.version=v1.0.0 -X main.commit=$(git rev-parse --short HEAD)" ./cmd/login-setup
//
// These are the only package-level variables: the linker can set nothing
// else.
var (
	version = ""
	commit  = ""
)

func versionString() string { return buildinfo.String("login-setup", version, commit) }
