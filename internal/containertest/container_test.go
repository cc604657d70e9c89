// Package containertest proves the container image the way the README
// tells people to run it: `docker run -i --rm --env-file .env IMAGE`,
// driven over stdio by an MCP client. It needs podman and a built image,
// so it runs only from .ci/container, which sets MONARCH_CONTAINER_IMAGE.
package containertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/mcpb"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// canary is put in the env file: it must reach the container's
// environment only, never its output.
const canary = "ci-canary-Zq8Xw3"

// runtimeUID is the image's numeric non-root user.
const runtimeUID = 65532

// podmanGlobal are the flags that work on the CI machines (see
// shared/docs/containers.md): vfs storage, runc, cgroupfs.
var podmanGlobal = []string{"--storage-driver", "vfs", "--runtime", "runc", "--cgroup-manager", "cgroupfs"}

func image(t *testing.T) string {
	img := os.Getenv("MONARCH_CONTAINER_IMAGE")
	if img == "" {
		t.Skip("MONARCH_CONTAINER_IMAGE is not set; .ci/container builds the image and runs this test")
	}
	return img
}

func podman(ctx context.Context, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "podman", append(slices.Clone(podmanGlobal), args...)...).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// TestStdioInContainer runs the image with an env file in demo mode and
// drives it over stdio: initialize, tools/list, tools/call.
func TestStdioInContainer(t *testing.T) {
	img := image(t)
	dir := t.TempDir()
	envFile := filepath.Join(dir, ".env")
	// What a user's .env holds; --demo must not use it against the sandbox,
	// and no log line may print it. Every toolset, so that every tool is
	// checked to be served from the image.
	env := "MONARCH_EMAIL=ci@example.com\nMONARCH_PASSWORD=" + canary + "\nMONARCH_MFA_SECRET=JBSWY3DPEHPK3PXP\nMONARCH_LOG_LEVEL=debug\nMONARCH_TOOLSETS=all\n"
	if err := os.WriteFile(envFile, []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("monarch-mcp-ci-%d", os.Getpid())
	volume := name + "-data"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		podman(ctx, "rm", "-f", name)
		podman(ctx, "volume", "rm", "-f", volume)
	})
	// The README's line, with the flags this machine needs.
	args := append(slices.Clone(podmanGlobal), "run", "-i", "--rm", "--name", name,
		"--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
		"--env-file", envFile, "-v", volume+":/data", img, "--demo")
	stderr := &testenv.Logs{}
	c, err := client.NewStdioMCPClientWithOptions("podman", os.Environ(), args, transport.WithCommandStderrWriter(stderr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	ir := mcp.InitializeRequest{}
	ir.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	ir.Params.ClientInfo = mcp.Implementation{Name: "containertest", Version: "1"}
	info, err := c.Initialize(ctx, ir)
	if err != nil {
		t.Fatalf("initialize: %v\ncontainer stderr:\n%s", err, stderr)
	}
	if info.ServerInfo.Name == "" {
		t.Errorf("initialize: no server name: %+v", info.ServerInfo)
	}
	t.Logf("server %s %s, protocol %s", info.ServerInfo.Name, info.ServerInfo.Version, info.ProtocolVersion)

	// The server runs as the numeric non-root user: read the uid of the
	// container's process from the host (rootful runc maps uids 1:1).
	pid, err := podman(ctx, "inspect", "--format", "{{.State.Pid}}", name)
	if err != nil {
		t.Fatalf("podman inspect: %v: %s", err, pid)
	}
	status, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "Uid:" {
			t.Logf("container process %s: %s", pid, line)
			for _, id := range f[1:] {
				if n, _ := strconv.Atoi(id); n != runtimeUID {
					t.Errorf("container process %s: %s, want uid %d throughout", pid, line, runtimeUID)
				}
			}
		}
	}

	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatalf("tools/list: %v\n%s", err, stderr)
	}
	var got []string
	for _, tool := range list.Tools {
		got = append(got, tool.Name)
	}
	want, err := mcpb.ServerTools()
	if err != nil {
		t.Fatal(err)
	}
	var wantNames []string
	for _, tool := range want {
		wantNames = append(wantNames, tool.Name)
	}
	slices.Sort(got)
	slices.Sort(wantNames)
	if !slices.Equal(got, wantNames) {
		t.Errorf("tools/list in the container = %v, want %v", got, wantNames)
	}

	req := mcp.CallToolRequest{}
	req.Params.Name = "get_accounts"
	req.Params.Arguments = map[string]any{}
	res, err := c.CallTool(ctx, req)
	if err != nil {
		t.Fatalf("tools/call get_accounts: %v\n%s", err, stderr)
	}
	var text strings.Builder
	for _, content := range res.Content {
		if tc, ok := content.(mcp.TextContent); ok {
			text.WriteString(tc.Text)
		}
	}
	if res.IsError || !strings.Contains(text.String(), `"accounts"`) {
		t.Errorf("get_accounts: error=%v %s", res.IsError, text.String())
	}
	t.Logf("get_accounts: %d bytes of JSON", text.Len())

	c.Close()
	if strings.Contains(stderr.String(), canary) || strings.Contains(text.String(), canary) {
		t.Errorf("the password from the env file appears in the container's output")
	}
}

// TestLoginSetupInImage: the image ships the wizard too.
func TestLoginSetupInImage(t *testing.T) {
	img := image(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := podman(ctx, "run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
		"--entrypoint", "/login-setup", img, "--version")
	if err != nil || !strings.HasPrefix(out, "login-setup ") {
		t.Errorf("login-setup --version in the image: %v: %s", err, out)
	}
	t.Log(out)
}

// TestLoginSetupWritesEnvFromImage runs the wizard from the image as the
// README tells users to (their uid, the current directory mounted at
// /config), non-interactively against a sandbox on the host: it must sign
// in and write a 0600 .env the user owns into the mounted directory.
func TestLoginSetupWritesEnvFromImage(t *testing.T) {
	img := image(t)
	sb, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	args := append(slices.Clone(podmanGlobal), "run", "-i", "--rm", "--network", "host",
		"--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
		"--entrypoint", "/login-setup", "-u", fmt.Sprintf("%d:%d", os.Getuid(), os.Getgid()), "-v", dir+":/config",
		"-e", "MONARCH_SESSION_FILE=/config/session.json", "-e", "MONARCH_API_URL="+sb.URL(),
		"-e", "MONARCH_MFA_SECRET="+sandbox.DemoMFASecret,
		img, "--env-file", "/config/.env", "--email", sandbox.DemoEmail, "--password-stdin")
	cmd := exec.CommandContext(ctx, "podman", args...)
	cmd.Stdin = strings.NewReader(sandbox.DemoPassword + "\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("login-setup in the image: %v\n%s", err, out)
	}
	if strings.Contains(string(out), sandbox.DemoPassword) || strings.Contains(string(out), sandbox.DemoMFASecret) {
		t.Error("login-setup printed a secret")
	}
	st, err := os.Stat(filepath.Join(dir, ".env"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf(".env: %v %v\n%s", err, st, out)
	}
	b, _ := os.ReadFile(filepath.Join(dir, ".env"))
	if !strings.Contains(string(b), "MONARCH_EMAIL="+sandbox.DemoEmail) {
		t.Errorf(".env holds %d bytes without the email", len(b))
	}
	if _, err := os.Stat(filepath.Join(dir, "session.json")); err != nil {
		t.Errorf("session not saved in the mounted directory: %v", err)
	}
}
