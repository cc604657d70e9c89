package reauth

import (
	"context"
	"fmt"
)

// WithReauth wraps h so that it runs against a live session: a call that
// fails with an auth error triggers one renewal (shared with every other
// caller that saw the same session fail) and is then retried exactly once.
// If there is no session yet, it logs in first. A session close to a known
// expiry is refreshed before it dies.
//
// The wrapper adds no allocation to a successful call.
func WithReauth[S, Req, Res any](m *Manager[S], h func(context.Context, Req) (Res, error)) func(context.Context, Req) (Res, error) {
	return func(ctx context.Context, req Req) (Res, error) {
		st := m.cur.Load()
		if !st.refreshAt.IsZero() {
			m.maybeRefresh(ctx, st)
			st = m.cur.Load()
		}
		if !st.has {
			// A fresh login that is then refused is not worth a second one.
			if err := m.Renew(ctx, st.gen); err != nil {
				var zero Res
				return zero, err
			}
			return h(ctx, req)
		}
		res, err := h(ctx, req)
		if err == nil || !m.cfg.IsAuthError(err) {
			return res, err
		}
		if rerr := m.Renew(ctx, st.gen); rerr != nil {
			return res, fmt.Errorf("session expired and could not be renewed: %w", rerr)
		}
		return h(ctx, req)
	}
}
