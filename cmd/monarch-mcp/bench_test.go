package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkStdioStartToInitialize measures what an MCP client waits for:
// from starting the built binary to the answer to initialize on stdout, in
// demo mode (which also builds the sandbox's demo data) and configured for
// a real account (no network before the first tool call), and — as the
// yardstick — a bare mcp-go server with one tool (testdata/baremcp), in the
// same run. It also reports each server's resident memory once idle
// (Linux). Target: within 1.3× the bare server.
func BenchmarkStdioStartToInitialize(b *testing.B) {
	dir := b.TempDir()
	bare := filepath.Join(dir, "baremcp")
	if out, err := exec.Command("go", "build", "-o", bare, "./testdata/baremcp").CombinedOutput(); err != nil {
		b.Fatalf("build the bare server: %v\n%s", err, out)
	}
	modes := []struct {
		name string
		bin  string
		args []string
		env  []string
	}{
		{"bare_mcp_go", bare, nil, nil},
		{"demo", binPath, []string{"--env-file=", "--demo"}, nil},
		{"account", binPath, []string{"--env-file="}, []string{"MONARCH_EMAIL=a@example.com", "MONARCH_PASSWORD=x", "MONARCH_API_URL=http://127.0.0.1:1",
			"MONARCH_SESSION_FILE=" + dir + "/session.json"}},
	}
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			var rss float64
			for b.Loop() {
				cmd := exec.Command(m.bin, m.args...)
				cmd.Env, cmd.Dir = append([]string{"HOME=" + dir, "MONARCH_LOG_LEVEL=error"}, m.env...), dir
				stdin, _ := cmd.StdinPipe()
				stdout, _ := cmd.StdoutPipe()
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				io.WriteString(stdin, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`+"\n")
				line, err := bufio.NewReader(stdout).ReadString('\n')
				if err != nil || !strings.Contains(line, `"serverInfo"`) {
					b.Fatalf("initialize: %v %q", err, line)
				}
				b.StopTimer()
				rss = residentMB(cmd.Process.Pid)
				stdin.Close()
				_ = cmd.Wait()
				b.StartTimer()
			}
			if rss > 0 {
				b.ReportMetric(rss, "MB-rss")
			}
		})
	}
}

// residentMB reads a process's resident set size after it has been idle
// briefly; 0 where /proc is not available.
func residentMB(pid int) float64 {
	if runtime.GOOS != "linux" {
		return 0
	}
	time.Sleep(100 * time.Millisecond) // measurement, not synchronisation: let start-up garbage settle
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkBinarySize reports the size of the test-built binary and of a
// release build (stripped, trimmed), which is what users download.
func BenchmarkBinarySize(b *testing.B) {
	out := b.TempDir() + "/monarch-mcp"
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if o, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, o)
	}
	st, err := os.Stat(out)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
	}
	b.ReportMetric(float64(st.Size())/(1<<20), "MB-release")
}
