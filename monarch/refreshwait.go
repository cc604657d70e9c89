package monarch

import (
	"context"
	"fmt"
	"time"
)

// Poll spacing of WaitForRefresh: banks answer in seconds to minutes, so
// polls start close together and spread out, keeping a long wait to a few
// dozen requests.
const (
	refreshPollFirst = 2 * time.Second
	refreshPollMax   = 15 * time.Second
)

// RefreshProgress is where a requested refresh stands after waiting.
type RefreshProgress struct {
	// Done are the requested accounts no longer syncing; Pending those
	// still syncing when the wait ended. Both keep the request's order.
	Done, Pending []string
	// Polls is how many status reads were made; Waited the time slept
	// between them.
	Polls  int
	Waited time.Duration
}

// WaitForRefresh polls GetRefreshStatus until none of accountIDs is
// syncing or a further poll would take the wait past bound, sleeping
// with Config.Sleep between polls. It polls at least once. An account the
// status omits counts as done: nothing is syncing for it.
func (c *Client) WaitForRefresh(ctx context.Context, accountIDs []string, bound time.Duration) (RefreshProgress, error) {
	if len(accountIDs) == 0 {
		return RefreshProgress{}, fmt.Errorf("monarch: WaitForRefresh: no account ids")
	}
	var p RefreshProgress
	for next := refreshPollFirst; ; next = min(2*next, refreshPollMax) {
		st, err := c.GetRefreshStatus(ctx)
		if err != nil {
			return p, err
		}
		p.Polls++
		syncing := make(map[string]bool, len(st))
		for _, s := range st {
			syncing[s.AccountID] = s.HasSyncInProgress
		}
		p.Done, p.Pending = nil, nil
		for _, id := range accountIDs {
			if syncing[id] {
				p.Pending = append(p.Pending, id)
			} else {
				p.Done = append(p.Done, id)
			}
		}
		if len(p.Pending) == 0 || p.Waited >= bound {
			return p, nil
		}
		step := min(next, bound-p.Waited)
		if err := c.cfg.Sleep(ctx, step); err != nil {
			return p, fmt.Errorf("monarch: waiting for the refresh: %w", err)
		}
		p.Waited += step
	}
}
