package mcpb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/tools"
)

// ManifestFile is the manifest's name, relative to this package.
const ManifestFile = "manifest.json"

// Tool is one entry of the manifest's "tools" list.
type Tool struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// ServerTools returns the server's tools, every one (read-only mode only
// hides some at run time), in the order the server registers them, as the
// manifest lists them. The client is never used: building the tool list
// makes no request.
func ServerTools() ([]Tool, error) {
	c, err := monarch.New(monarch.Config{})
	if err != nil {
		return nil, err
	}
	var out []Tool
	for _, t := range tools.All(c, tools.Status{}, nil) {
		out = append(out, Tool{Name: t.Name(), Description: firstSentence(t.Definition().Description)})
	}
	return out, nil
}

// firstSentence returns the description up to the end of its first
// sentence: enough for a list in the Claude Desktop UI.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && unicode.IsUpper(rune(s[i+2])) {
			return s[:i+1]
		}
	}
	return s
}

// ManifestTools returns the "tools" list of a manifest.
func ManifestTools(manifest []byte) ([]Tool, error) {
	var m struct {
		Tools []Tool `json:"tools"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	return m.Tools, nil
}

// toolsBlock matches the manifest's top-level "tools" array, which
// SetTools rewrites; everything else in the file is left as written.
var toolsBlock = regexp.MustCompile(`(?s)\n  "tools": \[.*?\n  \]`)

// SetTools returns the manifest with its "tools" list replaced by ts, one
// tool a line.
func SetTools(manifest []byte, ts []Tool) ([]byte, error) {
	locs := toolsBlock.FindAllIndex(manifest, -1)
	if len(locs) != 1 {
		return nil, errors.New(`manifest.json: want exactly one top-level "tools": [ ... ] block (two-space indent, closing bracket on its own line)`)
	}
	var b bytes.Buffer
	b.WriteString("\n  \"tools\": [")
	for i, t := range ts {
		line, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		// json.Marshal escapes <, > and & for HTML; the manifest is not HTML.
		line = bytes.ReplaceAll(line, []byte(`\u003c`), []byte("<"))
		line = bytes.ReplaceAll(line, []byte(`\u003e`), []byte(">"))
		line = bytes.ReplaceAll(line, []byte(`\u0026`), []byte("&"))
		b.WriteString("\n    ")
		b.Write(line)
		if i < len(ts)-1 {
			b.WriteByte(',')
		}
	}
	b.WriteString("\n  ]")
	loc := locs[0]
	out := append([]byte{}, manifest[:loc[0]]...)
	out = append(out, b.Bytes()...)
	out = append(out, manifest[loc[1]:]...)
	if _, err := ManifestTools(out); err != nil {
		return nil, err
	}
	return out, nil
}
