package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkStdioStartToInitialize measures what an MCP client waits for:
// from starting the binary to the answer to initialize on stdout, for
// monarch-mcp configured for a real account (no network before the first
// tool call) and in demo mode (which also starts the sandbox with its demo
// data), and — as the yardstick — a bare mcp-go server with one tool
// (testdata/baremcp), both built as released (releaseBuild). Every iteration starts each of the three once, in
// turn and in a rotating order, so that all see the same machine; the
// figures are medians. ns/op is monarch-mcp's with an account; x-account
// and x-demo are its times over the bare server's (target: ≤ 1.3).
// ms-list-* is the time until the answer to the tools/list that follows
// (monarch-mcp builds its tools once initialize is answered), and
// MB-rss-* each server's resident memory once idle (Linux).
func BenchmarkStdioStartToInitialize(b *testing.B) {
	dir := b.TempDir()
	bare, ours := filepath.Join(dir, "baremcp"), filepath.Join(dir, "monarch-mcp")
	releaseBuild(b, bare, "./testdata/baremcp")
	releaseBuild(b, ours, ".")
	modes := []startMode{
		{name: "bare", bin: bare},
		{name: "account", bin: ours, args: []string{"--env-file="}, env: []string{"MONARCH_EMAIL=a@example.com", "MONARCH_PASSWORD=x",
			"MONARCH_API_URL=http://127.0.0.1:1", "MONARCH_SESSION_FILE=" + dir + "/session.json"}},
		{name: "demo", bin: ours, args: []string{"--env-file=", "--demo"}},
	}
	// One untimed round first: the first start of a freshly built binary
	// reads it from disk.
	for _, m := range modes {
		m.start(b, dir)
	}
	times := make([][]float64, len(modes))
	lists := make([][]float64, len(modes))
	rss := make([][]float64, len(modes))
	i := 0
	for b.Loop() {
		for k := range modes {
			j := (i + k) % len(modes)
			d, l, mb := modes[j].start(b, dir)
			times[j] = append(times[j], d)
			lists[j] = append(lists[j], l)
			if mb > 0 {
				rss[j] = append(rss[j], mb)
			}
		}
		i++
	}
	bareMs := median(times[0])
	for j, m := range modes {
		ms := median(times[j])
		b.ReportMetric(ms, "ms-"+m.name)
		b.ReportMetric(median(lists[j]), "ms-list-"+m.name)
		if j > 0 {
			b.ReportMetric(ms/bareMs, "x-"+m.name)
		}
		if len(rss[j]) > 0 {
			b.ReportMetric(median(rss[j]), "MB-rss-"+m.name)
		}
	}
	b.ReportMetric(median(times[1])*1e6, "ns/op")
}

// startMode is one way of starting a server for BenchmarkStdioStartToInitialize.
type startMode struct {
	name string
	bin  string
	args []string
	env  []string
}

// start starts the server, sends initialize and returns the milliseconds
// until the answer arrived; then, as a client does, it lists the tools and
// returns the milliseconds from the start until that answer arrived, and
// the server's idle resident memory in MB.
func (m startMode) start(b *testing.B, dir string) (ms, listMs, rssMB float64) {
	cmd := exec.Command(m.bin, m.args...)
	cmd.Env, cmd.Dir = append([]string{"HOME=" + dir, "MONARCH_LOG_LEVEL=error"}, m.env...), dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	io.WriteString(stdin, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`+"\n")
	out := bufio.NewReaderSize(stdout, 1<<20)
	line, err := out.ReadString('\n')
	ms = float64(time.Since(t0)) / float64(time.Millisecond)
	if err != nil || !strings.Contains(line, `"serverInfo"`) {
		b.Fatalf("%s: initialize: %v %q", m.name, err, line)
	}
	// As every client does next: tools are built once initialize is
	// answered, and listing them waits for that.
	io.WriteString(stdin, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n"+
		`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`+"\n")
	line, err = out.ReadString('\n')
	listMs = float64(time.Since(t0)) / float64(time.Millisecond)
	if err != nil || !strings.Contains(line, `"tools"`) {
		b.Fatalf("%s: tools/list: %v %.200q", m.name, err, line)
	}
	rssMB = residentMB(cmd.Process.Pid)
	stdin.Close()
	_ = cmd.Wait()
	return ms, listMs, rssMB
}

// median returns the middle value of v (the mean of the two middle ones
// for an even count); v is sorted in place.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// releaseBuild builds pkg to out as scripts/release.sh and the Dockerfile
// build what users run: static, stripped and trimmed.
func releaseBuild(b *testing.B, out, pkg string) {
	b.Helper()
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if o, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build %s: %v\n%s", pkg, err, o)
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
	releaseBuild(b, out, ".")
	st, err := os.Stat(out)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
	}
	b.ReportMetric(float64(st.Size())/(1<<20), "MB-release")
}
