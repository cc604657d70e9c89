package tools

import (
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

// faultBursts are what a struggling Monarch (or the network to it) does.
var faultBursts = []struct {
	name  string
	fault sandbox.Fault
	n     int
}{
	{"5xx burst", sandbox.Fault{Status: 502}, 6},
	{"503 with Retry-After", sandbox.Fault{Status: 503, RetryAfter: "0"}, 3},
	{"connection resets", sandbox.Fault{Reset: true}, 4},
	{"truncated JSON", sandbox.Fault{Truncated: true}, 2},
	{"malformed body", sandbox.Fault{Malformed: true}, 2},
	{"429 storm", sandbox.Fault{Status: 429}, 8},
	{"session killed", sandbox.Fault{Unauthenticated: true}, 1},
	{"timeout", sandbox.Fault{Delay: time.Second}, 4},
}

// TestFaultsThenMemoryFlat sends 10,000 tool calls through the MCP server
// while bursts of faults hit the sandbox. Every call must come back as a
// tool result — data, or an error result that says what happened — the
// server must keep serving after each burst, and the heap must not grow
// with the number of calls.
func TestFaultsThenMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 calls")
	}
	// Logs discarded: a log buffer would grow with the calls.
	env := testenv.New(t, testenv.Options{Config: monarch.Config{Timeout: 200 * time.Millisecond, RetryMax: 2, Logger: slog.New(slog.DiscardHandler)}})
	c := connect(t, All(env.Client, Status{}, slog.New(slog.DiscardHandler)), Options{})
	// Cheap reads, so the loop measures the server, not the demo data.
	names := []string{"get_transaction_tags", "get_institutions", "check_auth_status"}

	const calls, burstEvery = 10_000, 400
	var heapAt1k uint64
	failures := 0
	for i := range calls {
		if i%burstEvery == 0 {
			b := faultBursts[(i/burstEvery)%len(faultBursts)]
			env.Sandbox.Inject(b.fault, b.n)
		}
		res := callTool(t, c, names[i%len(names)], nil)
		if res.IsError {
			failures++
			msg := textOf(res)
			if msg == "" || strings.Contains(msg, "panic") {
				t.Fatalf("call %d: unclear error %q", i, msg)
			}
		}
		if i == 1000 {
			heapAt1k = heapInUse()
		}
	}
	// After the last burst the server still answers.
	if res := callTool(t, c, "get_accounts", nil); res.IsError {
		t.Fatalf("after the faults: %s", textOf(res))
	}
	heapEnd := heapInUse()
	growth := int64(heapEnd) - int64(heapAt1k)
	t.Logf("%d calls, %d error results; heap in use %.1f MB at 1k calls, %.1f MB at %d (growth %+.2f MB)",
		calls, failures, mb(heapAt1k), mb(heapEnd), calls, float64(growth)/(1<<20))
	if failures == 0 {
		t.Error("no call failed: the faults were not injected")
	}
	if growth > 1<<20 {
		t.Errorf("heap grew %.1f MB over %d calls", float64(growth)/(1<<20), calls-1000)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
