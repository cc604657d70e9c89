// Package buildinfo says which build of a program is running: the version
// and commit stamped in at link time, else what the Go toolchain recorded.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Resolve returns version and commit, filling blanks from the build
// information Go records: the module version for `go install`, the VCS
// revision for builds from a checkout; "dev" and "unknown" when there is
// none.
func Resolve(version, commit string) (string, string) {
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

// String is the --version line of program.
func String(program, version, commit string) string {
	v, c := Resolve(version, commit)
	return fmt.Sprintf("%s %s (commit %s, %s)", program, v, c, runtime.Version())
}
