package mcpb

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
)

func readManifest(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(ManifestFile)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func names(ts []Tool) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

// TestManifestTools: the bundle's tool list is the server's, in the same
// order and with the same descriptions.
func TestManifestTools(t *testing.T) {
	got, err := ManifestTools(readManifest(t))
	if err != nil {
		t.Fatal(err)
	}
	want, err := ServerTools()
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(got, want) {
		return
	}
	var missing, extra []string
	for _, n := range names(want) {
		if !slices.Contains(names(got), n) {
			missing = append(missing, n)
		}
	}
	for _, n := range names(got) {
		if !slices.Contains(names(want), n) {
			extra = append(extra, n)
		}
	}
	t.Errorf("mcpb/manifest.json's \"tools\" list is out of date: run `go generate ./mcpb` and commit mcpb/manifest.json.\n"+
		"missing from the manifest: %v\nin the manifest but not served: %v\n(otherwise the order or a description differs)", missing, extra)
}

// TestSetTools: regenerating is idempotent and keeps the rest of the file.
func TestSetTools(t *testing.T) {
	m := readManifest(t)
	ts, err := ServerTools()
	if err != nil {
		t.Fatal(err)
	}
	once, err := SetTools(m, ts)
	if err != nil {
		t.Fatal(err)
	}
	twice, err := SetTools(once, ts)
	if err != nil {
		t.Fatal(err)
	}
	if string(once) != string(twice) {
		t.Error("SetTools is not idempotent")
	}
	short, err := SetTools(m, ts[:1])
	if err != nil {
		t.Fatal(err)
	}
	got, err := ManifestTools(short)
	if err != nil || len(got) != 1 || got[0] != ts[0] {
		t.Errorf("SetTools(one tool) = %v, %v", got, err)
	}
	before, after := strings.Index(string(m), `"tools"`), strings.Index(string(short), `"tools"`)
	if before != after || m[0] != short[0] {
		t.Error("SetTools changed the text before the tools list")
	}
}

type manifest struct {
	ManifestVersion string `json:"manifest_version"`
	Name            string `json:"name"`
	Version         string `json:"version"`
	Server          struct {
		Type       string `json:"type"`
		EntryPoint string `json:"entry_point"`
		MCPConfig  struct {
			Command           string            `json:"command"`
			Args              []string          `json:"args"`
			Env               map[string]string `json:"env"`
			PlatformOverrides map[string]struct {
				Command string `json:"command"`
			} `json:"platform_overrides"`
		} `json:"mcp_config"`
	} `json:"server"`
	Compatibility struct {
		Platforms []string `json:"platforms"`
	} `json:"compatibility"`
	UserConfig map[string]struct {
		Type      string `json:"type"`
		Title     string `json:"title"`
		Sensitive bool   `json:"sensitive"`
		Required  bool   `json:"required"`
		Default   any    `json:"default"`
	} `json:"user_config"`
}

// TestManifestConfig: the settings Claude Desktop asks for reach the
// server as the variables it reads, secrets are marked sensitive (kept in
// the OS keychain), and every platform has its entry point.
func TestManifestConfig(t *testing.T) {
	var m manifest
	dec := json.NewDecoder(strings.NewReader(string(readManifest(t))))
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	if m.ManifestVersion != "0.3" || m.Name != "monarch-mcp" || m.Server.Type != "binary" {
		t.Errorf("manifest_version %q, name %q, server.type %q", m.ManifestVersion, m.Name, m.Server.Type)
	}
	cfg := m.Server.MCPConfig
	if m.Server.EntryPoint != "server/monarch-mcp" || cfg.Command != "${__dirname}/server/monarch-mcp" {
		t.Errorf("entry_point %q, command %q", m.Server.EntryPoint, cfg.Command)
	}
	if c := cfg.PlatformOverrides["win32"].Command; c != "${__dirname}/server/monarch-mcp.exe" {
		t.Errorf("win32 command %q", c)
	}
	if !slices.Equal(m.Compatibility.Platforms, []string{"darwin", "win32", "linux"}) {
		t.Errorf("platforms %v", m.Compatibility.Platforms)
	}
	// A stray .env in Claude Desktop's working directory must not override
	// what the user typed.
	if !slices.Equal(cfg.Args, []string{"--env-file="}) {
		t.Errorf("args %q, want --env-file= (no .env file)", cfg.Args)
	}
	want := map[string]struct {
		env       string
		typ       string
		sensitive bool
		required  bool
	}{
		"email":      {config.EnvEmail, "string", false, true},
		"password":   {config.EnvPassword, "string", true, true},
		"mfa_secret": {config.EnvMFASecret, "string", true, false},
		"read_only":  {config.EnvReadOnly, "boolean", false, false},
		"toolsets":   {config.EnvToolsets, "string", false, false},
	}
	if len(m.UserConfig) != len(want) || len(cfg.Env) != len(want) {
		t.Errorf("user_config %d entries, env %d, want %d each", len(m.UserConfig), len(cfg.Env), len(want))
	}
	known := map[string]bool{}
	for _, v := range config.Variables() {
		known[v.Name] = true
	}
	for key, w := range want {
		uc, ok := m.UserConfig[key]
		if !ok {
			t.Errorf("user_config.%s missing", key)
			continue
		}
		if uc.Type != w.typ || uc.Sensitive != w.sensitive || uc.Required != w.required || uc.Title == "" {
			t.Errorf("user_config.%s = %+v, want type %s sensitive %v required %v", key, uc, w.typ, w.sensitive, w.required)
		}
		// The packer's substitution leaves "${user_config.KEY}" in place for
		// an optional setting the user left unset unless it has a default;
		// the server would then reject the literal text.
		if !uc.Required && uc.Default == nil {
			t.Errorf("user_config.%s is optional but has no default", key)
		}
		if got := cfg.Env[w.env]; got != "${user_config."+key+"}" {
			t.Errorf("env %s = %q, want ${user_config.%s}", w.env, got, key)
		}
		if !known[w.env] {
			t.Errorf("%s is not a variable the server reads", w.env)
		}
	}
}
