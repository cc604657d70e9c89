package tools

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/journal"
	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// BenchmarkJournaledWrite is a write through the whole server with the
// change journal off and on (a file): the difference is what the journal
// adds to a write (its reads before and after, and two appends).
// bytes/change is the journal's growth per call.
func BenchmarkJournaledWrite(b *testing.B) {
	for _, tc := range []struct {
		name string
		n    int // transactions per call
	}{{"one_transaction", 1}, {"bulk_100", 100}} {
		for _, on := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/journal=%v", tc.name, on), func(b *testing.B) {
				env := testenv.New(b, testenv.Options{Config: monarch.Config{Logger: slog.New(slog.DiscardHandler)}})
				env.Login(b)
				st := Status{}
				path := filepath.Join(b.TempDir(), "changes.jsonl")
				if on {
					st.Journal = journal.Open(path, journal.Options{MaxBytes: 1 << 40})
				}
				c := connect(b, All(env.Client, st, slog.New(slog.DiscardHandler)), Options{})
				p, err := env.Client.GetTransactions(b.Context(), monarch.TransactionQuery{Limit: tc.n})
				if err != nil {
					b.Fatal(err)
				}
				ids := make([]any, len(p.Transactions))
				for i, t := range p.Transactions {
					ids[i] = t.ID
				}
				req := mcp.CallToolRequest{}
				i := 0
				for b.Loop() {
					i++
					if tc.n == 1 {
						req.Params.Name = "update_transaction_notes"
						req.Params.Arguments = map[string]any{"transaction_id": ids[0], "notes": fmt.Sprint("note ", i)}
					} else {
						req.Params.Name = "bulk_update_transactions"
						req.Params.Arguments = map[string]any{"transaction_ids": ids, "set_notes": fmt.Sprint("note ", i), "dry_run": false}
					}
					res, err := c.CallTool(b.Context(), req)
					if err != nil || res.IsError {
						b.Fatalf("%v %s", err, textOf(res))
					}
				}
				if on {
					fi, err := os.Stat(path)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(fi.Size())/float64(i), "bytes/change")
				}
			})
		}
	}
}

// BenchmarkBeforeRead is the read a journaled write makes before writing:
// the touched fields of 1 or 100 transactions, one request.
func BenchmarkBeforeRead(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			env := testenv.New(b, testenv.Options{Config: monarch.Config{Logger: slog.New(slog.DiscardHandler)}})
			env.Login(b)
			d := &deps{c: env.Client}
			d.kinds = kindsFor(d)
			p, err := env.Client.GetTransactions(b.Context(), monarch.TransactionQuery{Limit: n})
			if err != nil {
				b.Fatal(err)
			}
			var ids []string
			for _, t := range p.Transactions {
				ids = append(ids, t.ID)
			}
			for b.Loop() {
				if _, err := d.readTargets(b.Context(), txTarget(ids, txNotes)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
