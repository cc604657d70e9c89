package monarch_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// bodyRecorder keeps the GraphQL request bodies a client sends.
type bodyRecorder struct {
	mu     sync.Mutex
	bodies []string
	next   http.RoundTripper
}

func (r *bodyRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && strings.HasSuffix(req.URL.Path, "/graphql") {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.mu.Unlock()
	}
	return r.next.RoundTrip(req)
}

// of returns the recorded requests of operation.
func (r *bodyRecorder) of(operation string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, b := range r.bodies {
		if strings.Contains(b, `"operationName":"`+operation+`"`) {
			out = append(out, b)
		}
	}
	return out
}

// sent reports whether a recorded request of operation contains every
// one of wants.
func (r *bodyRecorder) sent(operation string, wants ...string) bool {
	for _, b := range r.of(operation) {
		all := true
		for _, w := range wants {
			all = all && strings.Contains(b, w)
		}
		if all {
			return true
		}
	}
	return false
}

// TestClientDatesFollowClock checks that the dates the client fills in
// itself are Config.Now's calendar date in Config.Now's location, also
// where that is not the UTC date.
func TestClientDatesFollowClock(t *testing.T) {
	tests := []struct {
		name         string
		at           time.Time
		today, month string
	}{
		{"mid-month", time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC), "2026-06-15", "2026-06-01"},
		{"first of the month in Tokyo, the 30th in UTC", time.Date(2026, 12, 1, 8, 0, 0, 0, testenv.Zone(t, "Asia/Tokyo")), "2026-12-01", "2026-12-01"},
		{"new year's eve in New York, 1 January in UTC", time.Date(2026, 12, 31, 23, 30, 0, 0, testenv.Zone(t, "America/New_York")), "2026-12-31", "2026-12-01"},
		{"leap day", time.Date(2028, 2, 29, 23, 59, 0, 0, time.UTC), "2028-02-29", "2028-02-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &bodyRecorder{next: http.DefaultTransport}
			e := testenv.New(t, testenv.Options{Now: tt.at, Config: monarch.Config{HTTPClient: &http.Client{Transport: rec}}})
			ctx := context.Background()
			e.Login(t)
			h := learn(t, ctx, e.Client)
			if _, err := e.Client.GetAccountHoldings(ctx, h.brokerage); err != nil {
				t.Fatal(err)
			}
			if !rec.sent("Web_GetHoldings", `"startDate":"`+tt.today+`"`, `"endDate":"`+tt.today+`"`) {
				t.Errorf("holdings not asked for %s: %q", tt.today, rec.of("Web_GetHoldings"))
			}
			gs, err := e.Client.GetCategoryGroups(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Client.CreateCategory(ctx, monarch.NewCategory{GroupID: gs[1].ID, Name: "Pets"}); err != nil {
				t.Fatal(err)
			}
			if !rec.sent("Web_CreateCategory", `"rolloverStartMonth":"`+tt.month+`"`) {
				t.Errorf("category's rollover month is not %s: %q", tt.month, rec.of("Web_CreateCategory"))
			}
		})
	}
}
