package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

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

// buildVersion returns the version and commit, falling back to what the Go
// toolchain recorded (module version for `go install`, VCS revision for
// builds from a checkout).
func buildVersion() (string, string) {
	v, c := version, commit
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && c == "" {
				c = s.Value
				if len(c) > 12 {
					c = c[:12]
				}
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	if c == "" {
		c = "unknown"
	}
	return v, c
}

func versionString() string {
	v, c := buildVersion()
	return fmt.Sprintf("login-setup %s (commit %s, %s)", v, c, runtime.Version())
}
