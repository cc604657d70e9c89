package tools

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
)

func TestRefreshAccountsWait(t *testing.T) {
	// keep, when set, is re-refreshed at every wait between status polls,
	// so that it is still syncing when the wait ends.
	var fx *fixture
	var keep string
	fx = newFixtureWith(t, Options{}, sandbox.Options{}, Status{}, func(cfg *monarch.Config) {
		sleep := cfg.Sleep
		cfg.Sleep = func(ctx context.Context, d time.Duration) error {
			if keep != "" {
				if err := fx.client.RefreshAccounts(ctx, []string{keep}); err != nil {
					return err
				}
			}
			return sleep(ctx, d)
		}
	})
	f := fx
	var accts accountsResult
	f.decode(t, "get_accounts", nil, &accts)
	if len(accts.Accounts) < 2 {
		t.Fatalf("accounts %+v", accts)
	}
	a, b := accts.Accounts[0].ID, accts.Accounts[1].ID

	// Without wait: no polling at all.
	polls := f.sb.Requests("ForceRefreshAccountsQuery")
	var r refreshResult
	f.decode(t, "refresh_accounts", map[string]any{"account_ids": []any{a}}, &r)
	if r.Waited || r.Complete != nil || f.sb.Requests("ForceRefreshAccountsQuery") != polls {
		t.Errorf("no wait %+v", r)
	}

	// Wait: the sandbox syncs for one poll, so the second poll ends it, one
	// (fake) sleep later.
	start := f.clock.Now()
	polls = f.sb.Requests("ForceRefreshAccountsQuery")
	r = refreshResult{}
	f.decode(t, "refresh_accounts", map[string]any{"account_ids": []any{a, b}, "wait": true}, &r)
	if !r.Waited || r.Complete == nil || !*r.Complete || !slices.Equal(r.Finished, []string{a, b}) || len(r.StillSyncing) != 0 {
		t.Errorf("wait %+v", r)
	}
	if n := f.sb.Requests("ForceRefreshAccountsQuery") - polls; n != 2 || r.WaitedSecs == nil || *r.WaitedSecs != 2 || f.clock.Now().Sub(start) != 2*time.Second {
		t.Errorf("wait: %d polls, waited %v, clock moved %v", n, r.WaitedSecs, f.clock.Now().Sub(start))
	}

	// One account never finishes: the wait ends at its bound and says which.
	keep = b
	start = f.clock.Now()
	r = refreshResult{}
	f.decode(t, "refresh_accounts", map[string]any{"account_ids": []any{a, b}, "wait": true, "wait_seconds": 5}, &r)
	keep = ""
	if r.Complete == nil || *r.Complete || !slices.Equal(r.Finished, []string{a}) || !slices.Equal(r.StillSyncing, []string{b}) {
		t.Errorf("bounded wait %+v", r)
	}
	if r.WaitedSecs == nil || *r.WaitedSecs != 5 || f.clock.Now().Sub(start) != 5*time.Second {
		t.Errorf("bounded wait: waited %v, clock moved %v", r.WaitedSecs, f.clock.Now().Sub(start))
	}

	for _, tt := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"wait": true, "wait_seconds": 0}, "wait_seconds must be 1 to 300"},
		{map[string]any{"wait": true, "wait_seconds": 301}, "wait_seconds must be 1 to 300"},
		{map[string]any{"wait_seconds": 10}, "wait_seconds needs wait=true"},
	} {
		f.wantError(t, "refresh_accounts", tt.args, tt.want)
	}
}

// refresh_accounts without ids refreshes the accounts that sync with a bank
// and leaves manual ones out: Monarch refuses a refresh that names them.
func TestRefreshAccountsDefaultSkipsManual(t *testing.T) {
	f := newFixture(t, Options{}, sandbox.Options{})
	manual := f.newManualAccount(t)
	var r refreshResult
	f.decode(t, "refresh_accounts", map[string]any{}, &r)
	if r.Requested == 0 || slices.Contains(r.AccountIDs, manual) {
		t.Fatalf("refreshed %v; want the synced accounts without the manual one %s", r.AccountIDs, manual)
	}
}
