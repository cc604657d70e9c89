package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/joho/godotenv"

	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// TestRealTerminal runs the built program on a real pseudo-terminal (made
// by util-linux's script), typing each answer only once its prompt shows,
// as a person would: the email is echoed, the password and the key are
// not, and the session ends with a working .env.
func TestRealTerminal(t *testing.T) {
	scriptPath, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script(1) to make a pseudo-terminal")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "login-setup")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	sb, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	envPath := filepath.Join(dir, ".env")

	cmd := exec.Command(scriptPath, "-qfec", bin+" --env-file "+envPath, "/dev/null")
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "TERM=dumb",
		"MONARCH_API_URL=" + sb.URL(), "MONARCH_SESSION_FILE=" + filepath.Join(dir, "session.json")}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("script(1) cannot start here: %v", err)
	}
	defer func() { _ = cmd.Process.Kill() }()

	chunks := make(chan string)
	go func() {
		defer close(chunks)
		buf := make([]byte, 4096)
		for {
			n, err := stdout.Read(buf)
			if n > 0 {
				chunks <- string(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	var screen strings.Builder
	expect := func(s string) {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for !strings.Contains(screen.String(), s) {
			select {
			case c, ok := <-chunks:
				if !ok {
					if out := screen.String(); strings.Contains(out, "pseudo-terminal") || strings.Contains(out, "openpty") {
						t.Skipf("no pseudo-terminal here: %s", out)
					}
					t.Fatalf("the program ended before %q:\n%s", s, screen.String())
				}
				screen.WriteString(c)
			case <-deadline:
				t.Fatalf("no %q within 30s:\n%s", s, screen.String())
			}
		}
	}
	answer := func(s string) {
		t.Helper()
		if _, err := io.WriteString(stdin, s+"\n"); err != nil {
			t.Fatal(err)
		}
	}

	expect("Monarch email")
	answer(sandbox.DemoEmail)
	expect("Monarch password")
	answer(sandbox.DemoPassword)
	expect("Authenticator key")
	answer(sandbox.DemoMFASecret)
	expect("Press Enter")
	answer("")
	expect("Next: connect an MCP client")
	for c := range chunks { // to the end of the output, then the exit
		screen.WriteString(c)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v\n%s", err, screen.String())
	}

	out := screen.String()
	if strings.Count(out, sandbox.DemoEmail) < 2 { // typed (echoed) and in "Signing in … as"
		t.Errorf("the email was not echoed:\n%s", out)
	}
	for _, secret := range []string{sandbox.DemoPassword, sandbox.DemoMFASecret} {
		if strings.Contains(out, secret) {
			t.Errorf("a secret (%d chars) was echoed or printed", len(secret))
		}
	}
	env, err := godotenv.Read(envPath)
	if err != nil || env["MONARCH_PASSWORD"] != sandbox.DemoPassword || env["MONARCH_MFA_SECRET"] != sandbox.DemoMFASecret {
		t.Errorf(".env: %v", err)
	}
}
