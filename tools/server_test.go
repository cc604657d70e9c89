package tools

import (
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// startClient connects an in-process client to s and initializes it.
func startClient(t *testing.T, s *Server) *client.Client {
	t.Helper()
	c, err := client.NewInProcessClient(s.MCP)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	ir := mcp.InitializeRequest{}
	ir.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	ir.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	if _, err := c.Initialize(t.Context(), ir); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestStartServerAnswersBeforeBuilding: StartServer's server answers
// initialize while its tools are still being built, and lists exactly what
// NewServer lists, in read-only mode and for any toolsets too.
func TestStartServerAnswersBeforeBuilding(t *testing.T) {
	mc, err := monarch.New(monarch.Config{BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string]Options{
		"all":       {},
		"default":   {Toolsets: DefaultToolsets()},
		"read-only": {Toolsets: DefaultToolsets(), ReadOnly: true},
		"budgets":   {Toolsets: []string{"budgets"}},
	} {
		t.Run(name, func(t *testing.T) {
			want, err := connect(t, AllIn(mc, Status{}, nil, opts.Toolsets), opts).ListTools(t.Context(), mcp.ListToolsRequest{})
			if err != nil {
				t.Fatal(err)
			}
			release := make(chan struct{})
			opts.ValidateOutput = true
			s := StartServer(func() []Tool {
				<-release
				return AllIn(mc, Status{}, nil, opts.Toolsets)
			}, opts)
			c := startClient(t, s) // while the build is held back
			listed := make(chan *mcp.ListToolsResult, 1)
			go func() {
				res, err := c.ListTools(t.Context(), mcp.ListToolsRequest{})
				if err != nil {
					t.Error(err)
				}
				listed <- res
			}()
			close(release)
			got := <-listed
			if got == nil {
				return
			}
			gotJSON, _ := json.Marshal(got.Tools)
			wantJSON, _ := json.Marshal(want.Tools)
			if len(got.Tools) == 0 || string(gotJSON) != string(wantJSON) {
				t.Errorf("listed %d tools, want the %d NewServer lists:\n got %s\nwant %s", len(got.Tools), len(want.Tools), gotJSON, wantJSON)
			}
			if n := len(s.Tools()); n != len(AllIn(mc, Status{}, nil, nil)) {
				t.Errorf("Tools() returned %d tools, want every one", n)
			}
		})
	}
}

// TestStartServerCallWaits: a call that arrives while the tools are being
// built is answered by the tool once it is there, not as an unknown tool.
func TestStartServerCallWaits(t *testing.T) {
	_, _, tools := newFakeTools(t)
	release := make(chan struct{})
	s := StartServer(func() []Tool {
		<-release
		return tools
	}, Options{ValidateOutput: true})
	c := startClient(t, s)
	called := make(chan *mcp.CallToolResult, 1)
	go func() {
		req := mcp.CallToolRequest{}
		req.Params.Name = "echo"
		req.Params.Arguments = map[string]any{"text": "hi"}
		res, err := c.CallTool(t.Context(), req)
		if err != nil {
			t.Error(err)
		}
		called <- res
	}()
	close(release)
	if res := <-called; res != nil && res.IsError {
		t.Errorf("call while building: %s", textOf(res))
	}
}
