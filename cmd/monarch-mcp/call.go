package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
	"github.com/monarch-mcp/monarch-mcp/tools"
)

// connectInProcess returns an initialised MCP client talking to s directly,
// so `tools` and `call` go through exactly what an MCP client would.
func connectInProcess(ctx context.Context, s *server.MCPServer) (*client.Client, error) {
	c, err := client.NewInProcessClient(s)
	if err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		c.Close()
		return nil, err
	}
	ir := mcp.InitializeRequest{}
	ir.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	ir.Params.ClientInfo = mcp.Implementation{Name: "monarch-mcp-cli", Version: "1"}
	if _, err := c.Initialize(ctx, ir); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func listTools(ctx context.Context, a *app, stdout, stderr io.Writer) int {
	c, err := connectInProcess(ctx, a.server)
	if err != nil {
		fmt.Fprintf(stderr, "monarch-mcp: %v\n", err)
		return exitFailure
	}
	defer c.Close()
	res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		fmt.Fprintf(stderr, "monarch-mcp: %v\n", err)
		return exitFailure
	}
	member := tools.Membership()
	sort.Slice(res.Tools, func(i, j int) bool {
		si, sj := member[res.Tools[i].Name], member[res.Tools[j].Name]
		if si != sj {
			return toolsetIndex(si) < toolsetIndex(sj)
		}
		return res.Tools[i].Name < res.Tools[j].Name
	})
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TOOLSET\tTOOL\tKIND\tPARAMETERS (* required)\tTITLE")
	for _, t := range res.Tools {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", member[t.Name], t.Name, toolKind(t), paramSummary(t), t.Title)
	}
	tw.Flush()
	fmt.Fprintln(stdout, "\nToolsets (* enabled; choose with --toolsets a,b or MONARCH_TOOLSETS, all for every one):")
	tw = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, ts := range tools.Toolsets() {
		mark := " "
		if a.toolsets == nil || slices.Contains(a.toolsets, ts.Name) {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s %s\t%s\n", mark, ts.Name, ts.Summary)
	}
	tw.Flush()
	return exitOK
}

// toolsetIndex is a toolset's place in tools.Toolsets, for listing.
func toolsetIndex(name string) int {
	return slices.IndexFunc(tools.Toolsets(), func(ts tools.Toolset) bool { return ts.Name == name })
}

// notServed explains why tool name is not served, or says it does not
// exist.
func (a *app) notServed(name string) string {
	known := slices.ContainsFunc(a.allTools(), func(t tools.Tool) bool { return t.Name() == name })
	ts := tools.ToolsetOf(name)
	switch {
	case !known:
		return fmt.Sprintf("no tool %q; monarch-mcp tools lists them.", name)
	case a.toolsets != nil && !slices.Contains(a.toolsets, ts):
		choice := strings.Join(append(chosenToolsets(a.toolsets), ts), ",")
		return fmt.Sprintf("%s is in the %s toolset, which is not enabled; add it with --toolsets %s or MONARCH_TOOLSETS=%s (or all).",
			name, ts, choice, choice)
	default:
		return fmt.Sprintf("%s changes data and read-only mode is on (%s or --read-only).", name, config.EnvReadOnly)
	}
}

func toolKind(t mcp.Tool) string {
	a := t.Annotations
	switch {
	case a.ReadOnlyHint != nil && *a.ReadOnlyHint:
		return "read"
	case a.DestructiveHint != nil && *a.DestructiveHint:
		return "destructive"
	default:
		return "write"
	}
}

func paramSummary(t mcp.Tool) string {
	req := map[string]bool{}
	for _, r := range t.InputSchema.Required {
		req[r] = true
	}
	names := make([]string, 0, len(t.InputSchema.Properties))
	for n := range t.InputSchema.Properties {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if req[names[i]] != req[names[j]] {
			return req[names[i]]
		}
		return names[i] < names[j]
	})
	for i, n := range names {
		if req[n] {
			names[i] = n + "*"
		}
	}
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, " ")
}

func callTool(ctx context.Context, a *app, name string, argv []string, stdout, stderr io.Writer) int {
	c, err := connectInProcess(ctx, a.server)
	if err != nil {
		fmt.Fprintf(stderr, "monarch-mcp: %v\n", err)
		return exitFailure
	}
	defer c.Close()
	<-a.srv.Ready() // GetTool sees the tools once they are built
	tool := a.server.GetTool(name)
	if tool == nil {
		fmt.Fprintf(stderr, "monarch-mcp: %s\n", a.notServed(name))
		return exitBadUsage
	}
	args, err := parseCallArgs(tool.Tool, argv)
	if err != nil {
		fmt.Fprintf(stderr, "monarch-mcp: %v\n", err)
		return exitBadUsage
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.CallTool(ctx, req)
	if err != nil {
		fmt.Fprintf(stderr, "monarch-mcp: %v\n", err)
		return exitFailure
	}
	var text strings.Builder
	for _, ct := range res.Content {
		if tc, ok := ct.(mcp.TextContent); ok {
			text.WriteString(tc.Text)
		}
	}
	if res.IsError {
		fmt.Fprintln(stderr, text.String())
		if a.needsSignIn(name) && tools.Configured(a.client) != nil {
			return exitBadUsage // a configuration problem, as at start-up
		}
		return exitFailure
	}
	fmt.Fprintln(stdout, indentJSON(text.String()))
	return exitOK
}

// indentJSON pretty-prints s for people if it is JSON.
func indentJSON(s string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(s), "", "  ") != nil {
		return s
	}
	return b.String()
}

// parseCallArgs turns command-line arguments into tool arguments: either one
// JSON object, or key=value pairs whose values are converted by the type
// the tool's input schema gives the key (arrays as comma-separated lists).
func parseCallArgs(t mcp.Tool, argv []string) (map[string]any, error) {
	args := map[string]any{}
	if len(argv) == 1 && strings.HasPrefix(strings.TrimSpace(argv[0]), "{") {
		dec := json.NewDecoder(strings.NewReader(argv[0]))
		dec.UseNumber()
		if err := dec.Decode(&args); err != nil {
			return nil, fmt.Errorf("the JSON argument is not a valid object: %v", err)
		}
		return args, nil
	}
	props := schemaProperties(t)
	for _, kv := range argv {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("argument %q must be key=value (or pass one JSON object)", kv)
		}
		typ, items := propType(props[k])
		val, err := convert(v, typ, items)
		if err != nil {
			return nil, fmt.Errorf("argument %s: %v", k, err)
		}
		args[k] = val
	}
	return args, nil
}

// schemaProperties returns the tool's input schema properties whichever
// way the tool declared them.
func schemaProperties(t mcp.Tool) map[string]any {
	if t.RawInputSchema != nil {
		var s mcp.ToolInputSchema
		if json.Unmarshal(t.RawInputSchema, &s) == nil {
			return s.Properties
		}
		return nil
	}
	return t.InputSchema.Properties
}

func propType(p any) (string, string) {
	m, _ := p.(map[string]any)
	typ, _ := m["type"].(string)
	var items string
	if it, ok := m["items"].(map[string]any); ok {
		items, _ = it["type"].(string)
	}
	return typ, items
}

func convert(v, typ, items string) (any, error) {
	switch typ {
	case "integer":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", v)
		}
		return n, nil
	case "number":
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", v)
		}
		return n, nil
	case "boolean":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", v)
		}
		return b, nil
	case "array":
		out := []any{}
		if v == "" {
			return out, nil
		}
		for _, part := range strings.Split(v, ",") {
			x, err := convert(strings.TrimSpace(part), items, "")
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		return out, nil
	}
	return v, nil
}

// needsSignIn reports whether tool name can only work with sign-in
// configured.
func (a *app) needsSignIn(name string) bool {
	for _, t := range a.allTools() {
		if t.Name() == name {
			return t.NeedsSignIn()
		}
	}
	return false
}

// chosenToolsets is toolsets without the ones that are always on, as a
// user would write the choice.
func chosenToolsets(toolsets []string) []string {
	var out []string
	for _, name := range toolsets {
		if i := toolsetIndex(name); i < 0 || !tools.Toolsets()[i].Always {
			out = append(out, name)
		}
	}
	return out
}
