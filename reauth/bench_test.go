package reauth_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/reauth"
)

func bare(_ context.Context, req int) (int, error) { return req + 1, nil }

// BenchmarkHealthy compares a healthy call through WithReauth with the bare handler.
func BenchmarkHealthy(b *testing.B) {
	m, _ := reauth.NewManager(reauth.Config[string]{Login: func(context.Context, string) (string, error) { return "s", nil }})
	m.Set("s")
	ctx := context.Background()
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_, _ = bare(ctx, i)
		}
	})
	h := reauth.WithReauth(m, bare)
	b.Run("with_reauth", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_, _ = h(ctx, i)
		}
	})
}

// BenchmarkHerd: 1,000 goroutines hit one expired session; exactly one login per round.
func BenchmarkHerd(b *testing.B) {
	for b.Loop() {
		var logins atomic.Int64
		var valid atomic.Int64
		m, _ := reauth.NewManager(reauth.Config[int64]{Login: func(context.Context, int64) (int64, error) {
			n := logins.Add(1) + 100
			valid.Store(n)
			return n, nil
		}})
		m.Set(1)
		h := reauth.WithReauth(m, func(context.Context, int) (int, error) {
			if s, _, _ := m.Current(); s != valid.Load() {
				return 0, reauth.ErrUnauthorized
			}
			return 0, nil
		})
		var wg sync.WaitGroup
		for range 1000 {
			wg.Go(func() {
				if _, err := h(context.Background(), 0); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		if logins.Load() != 1 {
			b.Fatalf("logins = %d, want 1", logins.Load())
		}
	}
}
