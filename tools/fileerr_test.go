package tools

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// networkWords would send the user to check a network that is fine.
var networkWords = []string{"reach Monarch", "network connection", "MONARCH_API_URL"}

func TestExplainFileErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"remove, permission", fmt.Errorf("forget: %w", &fs.PathError{Op: "remove", Path: "/ro/session.json", Err: syscall.EACCES}),
			[]string{"remove /ro/session.json", "permission denied", "write access", "not with Monarch or the network"}},
		{"rename, read-only file system", &os.LinkError{Op: "rename", Old: "/ro/.s.tmp", New: "/ro/session.json", Err: syscall.EROFS},
			[]string{"rename /ro/.s.tmp to /ro/session.json", "read-only file system", "MONARCH_SESSION_FILE"}},
		{"parent is a file", &fs.PathError{Op: "remove", Path: "/f/session.json", Err: syscall.ENOTDIR},
			[]string{"remove /f/session.json", "not a directory", "Check that path"}},
		{"bare permission", fmt.Errorf("save: %w", fs.ErrPermission), []string{"permission denied", "write access"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explain(tt.err)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("explain = %q, want it to contain %q", got, w)
				}
			}
			for _, w := range networkWords {
				if strings.Contains(got, w) {
					t.Errorf("explain = %q blames the network (%q)", got, w)
				}
			}
		})
	}
}

// TestLogoutFileErrorNamed: logout whose session file cannot be deleted
// says which file and why, never that Monarch could not be reached.
func TestLogoutFileErrorNamed(t *testing.T) {
	tests := []struct {
		name string
		// setup returns the session file path, and a function run once a
		// session has been saved there, which makes deleting it fail.
		setup func(t *testing.T) (string, func())
		want  string
	}{
		{"read-only directory", func(t *testing.T) (string, func()) {
			if os.Geteuid() == 0 {
				t.Skip("root ignores directory permissions; the next case fails for root too")
			}
			dir := t.TempDir()
			return filepath.Join(dir, "session.json"), func() {
				if err := os.Chmod(dir, 0o500); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(dir, 0o700) })
			}
		}, "permission denied"},
		{"parent is a regular file", func(t *testing.T) (string, func()) {
			parent := filepath.Join(t.TempDir(), "not-a-dir")
			if err := os.WriteFile(parent, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(parent, "session.json"), func() {}
		}, "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, breakIt := tt.setup(t)
			f := newSessionFixture(t, Status{SessionFile: path, SetVariables: []string{"MONARCH_PASSWORD"}}, func(c *monarch.Config) {
				c.Store = reauth.NewFileStore[*monarch.Session](path)
			})
			f.decode(t, "get_accounts", nil, &accountsResult{}) // signs in (and saves, where it can)
			breakIt()
			res := callTool(t, f.mcp, "logout", nil)
			text := textOf(res)
			if !res.IsError || !strings.Contains(text, path) || !strings.Contains(text, tt.want) {
				t.Errorf("logout: isError=%v %q, want an error naming %s and %q", res.IsError, text, path, tt.want)
			}
			for _, w := range networkWords {
				if strings.Contains(text, w) {
					t.Errorf("logout blames the network (%q): %s", w, text)
				}
			}
		})
	}
}

// TestCancelledWithCause: a call whose context is cancelled with a cause
// (the HTTP server stopping) says so, instead of a bare "cancelled".
func TestCancelledWithCause(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	var tool Tool
	for _, tl := range f.tools {
		if tl.Name() == "get_accounts" {
			tool = tl
		}
	}
	shuttingDown := errors.New("the server is shutting down")
	tests := []struct {
		name  string
		cause error
		want  string
	}{
		{"with cause", shuttingDown, "The call was stopped before it finished: the server is shutting down."},
		{"without cause", nil, "The call was cancelled before Monarch answered."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(t.Context())
			cancel(tt.cause)
			req := mcp.CallToolRequest{}
			req.Params.Name = "get_accounts"
			res, err := tool.handler(ctx, req)
			if err != nil || !res.IsError || !strings.HasPrefix(textOf(res), tt.want) {
				t.Errorf("got %v, %+v; want an error result starting %q", err, res, tt.want)
			}
		})
	}
}
