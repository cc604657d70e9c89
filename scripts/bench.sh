#!/usr/bin/env bash
# Re-runs every performance figure in PLAN.md and README.md:
#   stdio start → initialize answered and idle RSS (demo and account modes),
#   release binary size, tools/call round trip against the sandbox,
#   WithReauth healthy-path overhead, a herd of 1,000 callers on an expired
#   session (exactly one login, asserted), client and sandbox costs, the
#   model-facing footprint, and what the change journal adds to a write.
# BENCHTIME overrides -benchtime (default 1s; e.g. BENCHTIME=50x).
set -euo pipefail
cd "$(dirname "$0")/.."
bt=${BENCHTIME:-1s}
echo "# $(go version) on $(nproc) CPUs, $(date -u +%Y-%m-%d)"
go test -run '^$' -bench 'StdioStartToInitialize|BinarySize' -benchtime "$bt" ./cmd/monarch-mcp
go test -run '^$' -bench 'ToolCallRoundTrip|Footprint|JournaledWrite|BeforeRead' -benchtime "$bt" ./tools
go test -run '^$' -bench . -benchmem -benchtime "$bt" ./reauth ./monarch ./monarch/sandbox
