package monarch_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// BenchmarkGetTransactions is one page of 100 transactions over loopback
// HTTP from the sandbox: request, sandbox, decoding and validation.
func BenchmarkGetTransactions(b *testing.B) {
	e := testenv.New(b, testenv.Options{})
	e.Login(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		p, err := e.Client.GetTransactions(ctx, monarch.TransactionQuery{Limit: 100})
		if err != nil || len(p.Transactions) != 100 {
			b.Fatal(err)
		}
	}
}

// BenchmarkPing is the smallest authenticated round trip: the client's
// fixed cost per call.
func BenchmarkPing(b *testing.B) {
	e := testenv.New(b, testenv.Options{})
	e.Login(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Client.Ping(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenewal is one renewal of a dead session: a login round trip to
// the sandbox, alone and as processes sharing a session file do it (the
// file lock, re-reading the store, the shared record of used codes, saving
// the session). "adopt" is the process that loses the race: the lock and
// reading the winner's session, no login. The test clock makes a wait for
// the next TOTP step free.
func BenchmarkRenewal(b *testing.B) {
	ctx := context.Background()
	for _, mode := range []string{"memory", "shared_file", "adopt"} {
		b.Run(mode, func(b *testing.B) {
			var cfg monarch.Config
			store := reauth.NewFileStore[*monarch.Session](filepath.Join(b.TempDir(), "session.json"))
			if mode != "memory" {
				cfg.Store = store
			}
			e := testenv.New(b, testenv.Options{Config: cfg})
			if mode != "memory" {
				e.TOTP.Ledger = store.Ledger()
			}
			winner := e.Login(b)
			auth := e.Client.Auth()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if mode == "adopt" {
					b.StopTimer() // another process signs in and saves
					saved := reauth.Saved[*monarch.Session]{ID: fmt.Sprint("other-", i), SavedAt: e.Clock.Now(), Session: winner}
					if err := store.Save(ctx, saved); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				_, gen, _ := auth.Current()
				if err := auth.Renew(ctx, gen); err != nil {
					b.Fatal(err)
				}
			}
			if mode == "adopt" && auth.Stats().Logins != 1 {
				b.Fatalf("%d logins, want only the first", auth.Stats().Logins)
			}
		})
	}
}
