// Package docstest checks the documentation against reality: every JSON
// snippet in the README must parse, since people paste them into their
// client's configuration as they are.
package docstest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type block struct {
	line int // 1-based line of the opening fence
	text string
}

// jsonBlocks returns the ```json fenced blocks of a Markdown document.
func jsonBlocks(t *testing.T, doc []byte) []block {
	t.Helper()
	var (
		out  []block
		cur  *block
		body strings.Builder
	)
	sc := bufio.NewScanner(bytes.NewReader(doc))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			if strings.TrimSpace(strings.TrimPrefix(trimmed, "```")) == "json" {
				cur = &block{line: n}
				body.Reset()
			} else {
				// Another language: skip to its end.
				cur = &block{line: -n}
			}
		case cur != nil && trimmed == "```":
			if cur.line > 0 {
				cur.text = body.String()
				out = append(out, *cur)
			}
			cur = nil
		case cur != nil && cur.line > 0:
			body.WriteString(line)
			body.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cur != nil {
		t.Errorf("code block opened at line %d is never closed", abs(cur.line))
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestReadmeJSON(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blocks := jsonBlocks(t, doc)
	if len(blocks) < 8 {
		t.Errorf("found %d json blocks in README.md; the client configurations alone are 8", len(blocks))
	}
	for _, b := range blocks {
		var v map[string]any
		dec := json.NewDecoder(strings.NewReader(b.text))
		if err := dec.Decode(&v); err != nil {
			t.Errorf("README.md:%d: json block does not parse: %v\n%s", b.line, err, b.text)
			continue
		}
		if dec.More() {
			t.Errorf("README.md:%d: json block holds more than one value", b.line)
		}
		// A client configuration names its servers under one of the two keys
		// clients use, with a command or a URL.
		for _, key := range []string{"mcpServers", "servers"} {
			servers, ok := v[key].(map[string]any)
			if !ok {
				continue
			}
			for name, s := range servers {
				m, _ := s.(map[string]any)
				if m["command"] == nil && m["url"] == nil {
					t.Errorf("README.md:%d: server %q has neither command nor url", b.line, name)
				}
			}
		}
	}
}

func TestJSONBlocks(t *testing.T) {
	doc := "x\n```json\n{\"a\": 1}\n```\n```sh\n```json\n```\n  ```json\n  [1]\n  ```\n"
	got := jsonBlocks(t, []byte(doc))
	if len(got) != 2 || got[0].line != 2 || got[0].text != "{\"a\": 1}\n" || got[1].line != 8 || got[1].text != "  [1]\n" {
		t.Errorf("jsonBlocks = %+v", got)
	}
}
