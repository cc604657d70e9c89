package setup

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Image is the container image the printed snippets use.
const Image = "ghcr.io/monarch-mcp/monarch-mcp:latest"

// ClaudeConfigPaths is where Claude Desktop keeps its configuration, by OS.
var claudeConfigPaths = [...][2]string{
	{"macOS", "~/Library/Application Support/Claude/claude_desktop_config.json"},
	{"Windows", `%APPDATA%\Claude\claude_desktop_config.json`},
	{"Linux", "~/.config/Claude/claude_desktop_config.json"},
}

// Snippets are ready-to-paste client configurations for one installation.
type Snippets struct {
	// DesktopBinary is Claude Desktop's config running the binary.
	DesktopBinary string
	// DesktopDocker is Claude Desktop's config running the container.
	DesktopDocker string
	// DockerRun is the docker command line on its own.
	DockerRun string
	// ClaudeCode is the `claude mcp add` command line.
	ClaudeCode string
	// VSCode is VS Code's .vscode/mcp.json (Cursor's ~/.cursor/mcp.json
	// takes DesktopBinary's form).
	VSCode string
}

// ClientSnippets returns client configurations for the monarch-mcp binary
// at binPath and the .env file at envPath (both absolute). The binary reads
// the .env file through --env-file, so no secret is copied into a client's
// configuration. An empty envPath means the credentials are in the OS
// keychain and there is no .env file: the binary needs no --env-file, and
// Docker, which cannot reach the keychain, gets no snippets.
func ClientSnippets(binPath, envPath string) Snippets {
	desktop := func(command string, args []string) string {
		cfg := map[string]any{"mcpServers": map[string]any{
			"monarch": map[string]any{"command": command, "args": args},
		}}
		b, _ := json.MarshalIndent(cfg, "", "  ")
		return string(b)
	}
	binArgs := []string{}
	if envPath != "" {
		binArgs = []string{"--env-file", envPath}
	}
	vscode, _ := json.MarshalIndent(map[string]any{"servers": map[string]any{
		"monarch": map[string]any{"type": "stdio", "command": binPath, "args": binArgs},
	}}, "", "  ")
	s := Snippets{
		DesktopBinary: desktop(binPath, binArgs),
		ClaudeCode:    "claude mcp add monarch -- " + strings.Join(quoteArgs(append([]string{binPath}, binArgs...)), " "),
		VSCode:        string(vscode),
	}
	if envPath != "" {
		dockerArgs := []string{"run", "-i", "--rm", "--env-file", envPath, Image}
		s.DesktopDocker = desktop("docker", dockerArgs)
		s.DockerRun = "docker " + strings.Join(quoteArgs(dockerArgs), " ")
	}
	return s
}

// quoteArgs single-quotes arguments a POSIX shell would split.
func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$\\&;|<>()*?`!#~") {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		} else {
			out[i] = a
		}
	}
	return out
}

// nextSteps is the closing text of a successful setup.
func nextSteps(s Snippets) string {
	var b strings.Builder
	b.WriteString("\nNext: connect an MCP client.\n\n")
	b.WriteString("Claude Desktop — add this to its config file (Settings → Developer → Edit Config), then restart it:\n")
	for _, p := range claudeConfigPaths {
		fmt.Fprintf(&b, "  %-8s %s\n", p[0], p[1])
	}
	b.WriteString("\n" + s.DesktopBinary + "\n\n")
	if s.DesktopDocker != "" {
		b.WriteString("Or run it in Docker instead of the binary:\n\n" + s.DesktopDocker + "\n\n")
		b.WriteString("The same container by hand:\n  " + s.DockerRun + "\n\n")
	} else {
		b.WriteString("Docker cannot read the OS keychain: to run the container instead, run login-setup --store env and use its Docker snippet.\n\n")
	}
	b.WriteString("Claude Code:\n  " + s.ClaudeCode + "\n\n")
	b.WriteString("VS Code (.vscode/mcp.json; Cursor: ~/.cursor/mcp.json takes the Claude Desktop form above):\n\n" + s.VSCode + "\n")
	return b.String()
}
