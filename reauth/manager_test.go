package reauth_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// fakeAPI accepts exactly one session value; everything else is unauthorized.
type fakeAPI struct {
	valid  atomic.Value // string
	logins atomic.Int64
	calls  atomic.Int64
}

func newFakeAPI() *fakeAPI {
	a := &fakeAPI{}
	a.valid.Store("")
	return a
}

func (a *fakeAPI) login(_ context.Context, _ string) (string, error) {
	n := a.logins.Add(1)
	s := "session-" + string(rune('a'+n))
	a.valid.Store(s)
	return s, nil
}

func (a *fakeAPI) handler(m *reauth.Manager[string]) func(context.Context, string) (string, error) {
	return func(_ context.Context, req string) (string, error) {
		a.calls.Add(1)
		s, _, _ := m.Current()
		if s != a.valid.Load().(string) {
			return "", reauth.ErrUnauthorized
		}
		return "ok:" + req, nil
	}
}

func newManager[S any](t *testing.T, cfg reauth.Config[S]) *reauth.Manager[S] {
	t.Helper()
	m, err := reauth.NewManager(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestExpiredSessionLogsInOnceAndRetries(t *testing.T) {
	api := newFakeAPI()
	m := newManager(t, reauth.Config[string]{Login: api.login})
	m.Set("stale")
	h := reauth.WithReauth(m, api.handler(m))
	got, err := h(context.Background(), "x")
	if err != nil || got != "ok:x" {
		t.Fatalf("got %q, %v", got, err)
	}
	if api.calls.Load() != 2 || api.logins.Load() != 1 {
		t.Fatalf("calls=%d logins=%d, want 2 and 1", api.calls.Load(), api.logins.Load())
	}
}

func TestRetryStillUnauthorizedDoesNotLoop(t *testing.T) {
	var logins, calls atomic.Int64
	m := newManager(t, reauth.Config[string]{Login: func(context.Context, string) (string, error) {
		logins.Add(1)
		return "new", nil
	}})
	m.Set("old")
	h := reauth.WithReauth(m, func(context.Context, string) (string, error) {
		calls.Add(1)
		return "", reauth.ErrUnauthorized
	})
	if _, err := h(context.Background(), "x"); !errors.Is(err, reauth.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if calls.Load() != 2 || logins.Load() != 1 {
		t.Fatalf("calls=%d logins=%d, want 2 and 1", calls.Load(), logins.Load())
	}
}

func TestConcurrentCallersShareOneLogin(t *testing.T) {
	api := newFakeAPI()
	release := make(chan struct{})
	m := newManager(t, reauth.Config[string]{Login: func(ctx context.Context, prev string) (string, error) {
		<-release
		return api.login(ctx, prev)
	}})
	m.Set("stale")
	h := reauth.WithReauth(m, api.handler(m))
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := h(context.Background(), "x")
			errs <- err
		})
	}
	// Every caller has failed once before the login is let go.
	for api.calls.Load() < n {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := api.logins.Load(); got != 1 {
		t.Fatalf("logins = %d, want 1", got)
	}
}

func TestStaleGenerationDoesNotLogInAgain(t *testing.T) {
	api := newFakeAPI()
	m := newManager(t, reauth.Config[string]{Login: api.login})
	gen := m.Set("stale")
	if err := m.Renew(context.Background(), gen); err != nil {
		t.Fatal(err)
	}
	if err := m.Renew(context.Background(), gen); err != nil {
		t.Fatal(err)
	}
	if got := api.logins.Load(); got != 1 {
		t.Fatalf("logins = %d, want 1", got)
	}
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestBadCredentialsCooldown(t *testing.T) {
	clk := &clock{now: time.Unix(1_700_000_000, 0)}
	var attempts atomic.Int64
	refused := errors.Join(reauth.ErrBadCredentials, errors.New("wrong password"))
	m := newManager(t, reauth.Config[string]{
		Now:      clk.Now,
		Cooldown: 15 * time.Minute,
		Login: func(context.Context, string) (string, error) {
			attempts.Add(1)
			return "", refused
		},
	})
	h := reauth.WithReauth(m, func(context.Context, string) (string, error) { return "ok", nil })
	for i, want := range []int64{1, 1, 1} {
		_, err := h(context.Background(), "x")
		if !errors.Is(err, reauth.ErrBadCredentials) {
			t.Fatalf("call %d: err = %v", i, err)
		}
		if attempts.Load() != want {
			t.Fatalf("call %d: attempts = %d, want %d", i, attempts.Load(), want)
		}
	}
	if m.Stats().CooldownUntil.IsZero() {
		t.Fatal("Stats shows no cooldown")
	}
	clk.Advance(16 * time.Minute)
	_, _ = h(context.Background(), "x")
	if attempts.Load() != 2 {
		t.Fatalf("after cooldown attempts = %d, want 2", attempts.Load())
	}
}

func TestRateLimitAndTransientRetries(t *testing.T) {
	tests := []struct {
		name      string
		errs      []error
		wantSleep []time.Duration
		wantErr   bool
	}{
		{"retry-after honoured", []error{&reauth.RateLimitError{RetryAfter: 7 * time.Second}}, []time.Duration{7 * time.Second}, false},
		{"long retry-after is not waited", []error{&reauth.RateLimitError{RetryAfter: time.Hour}}, nil, true},
		{"transient bounded", []error{errors.New("503"), errors.New("503"), errors.New("503")}, []time.Duration{time.Second, 2 * time.Second}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var slept []time.Duration
			var n int
			m := newManager(t, reauth.Config[string]{
				MaxLoginAttempts: 3,
				Sleep:            func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil },
				NewBackOff:       func() reauthBackOff { return &doubling{next: time.Second} },
				Login: func(context.Context, string) (string, error) {
					if n < len(tc.errs) {
						n++
						return "", tc.errs[n-1]
					}
					return "fresh", nil
				},
			})
			err := m.Renew(context.Background(), 0)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if len(slept) != len(tc.wantSleep) {
				t.Fatalf("slept %v, want %v", slept, tc.wantSleep)
			}
			for i := range slept {
				if slept[i] != tc.wantSleep[i] {
					t.Fatalf("slept %v, want %v", slept, tc.wantSleep)
				}
			}
		})
	}
}

func TestWaiterCtxCancelledLoginCompletes(t *testing.T) {
	api := newFakeAPI()
	release := make(chan struct{})
	m := newManager(t, reauth.Config[string]{Login: func(ctx context.Context, prev string) (string, error) {
		<-release
		return api.login(ctx, prev)
	}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- m.Renew(ctx, 0) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Another caller joins the same login, which still completes.
	done2 := make(chan error)
	go func() { done2 <- m.Renew(context.Background(), 0) }()
	close(release)
	if err := <-done2; err != nil {
		t.Fatal(err)
	}
	if _, _, ok := m.Current(); !ok || api.logins.Load() != 1 {
		t.Fatalf("session held %v, logins %d", ok, api.logins.Load())
	}
}

func TestFileStoreModesAndTwoManagers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sub")
	path := filepath.Join(dir, "session.json")
	api := newFakeAPI()
	newM := func() *reauth.Manager[string] {
		return newManager(t, reauth.Config[string]{Login: api.login, Store: reauth.NewFileStore[string](path)})
	}
	m1, m2 := newM(), newM()
	m1.Set("stale")
	m2.Set("stale")
	if _, err := reauth.WithReauth(m1, api.handler(m1))(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := reauth.WithReauth(m2, api.handler(m2))(context.Background(), "b"); err != nil {
		t.Fatal(err)
	}
	if got := api.logins.Load(); got != 1 {
		t.Fatalf("logins = %d, want 1 for two managers sharing a file", got)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", p, fi.Mode().Perm(), want)
		}
	}
	if err := os.WriteFile(path, []byte("{not json session-secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := reauth.NewFileStore[string](path).Load(context.Background())
	if err == nil || strings.Contains(err.Error(), "session-secret") {
		t.Fatalf("corrupt file: err = %v", err)
	}
}

func TestLogsHoldNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	const secret = "tok-SECRET-123"
	calls := 0
	m := newManager(t, reauth.Config[string]{Logger: logger, Login: func(context.Context, string) (string, error) {
		calls++
		if calls == 1 {
			return "", errors.New("network down")
		}
		return secret, nil
	}, Sleep: func(context.Context, time.Duration) error { return nil }})
	m.Set("old-" + secret)
	if err := m.Renew(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "SECRET") {
		t.Fatalf("log leaks the session:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "login succeeded") {
		t.Fatalf("no login event logged:\n%s", buf.String())
	}
}

// Forget during a renewal wins: the renewal's session is neither kept in
// memory nor left in the store.
func TestForgetDuringRenewal(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	store := reauth.NewFileStore[string](filepath.Join(t.TempDir(), "s.json"))
	m := newManager(t, reauth.Config[string]{Store: store, Login: func(context.Context, string) (string, error) {
		close(started)
		<-release
		return "renewed", nil
	}})
	m.Set("old")
	_, gen, _ := m.Current()
	renewed := make(chan error, 1)
	go func() { renewed <- m.Renew(context.Background(), gen) }()
	<-started
	forgot := make(chan error, 1)
	go func() { forgot <- m.Forget(context.Background()) }()
	close(release)
	if err := <-forgot; err != nil {
		t.Fatal(err)
	}
	<-renewed
	if s, _, ok := m.Current(); ok {
		t.Errorf("session %q survived Forget", s)
	}
	if _, ok, err := store.Load(context.Background()); ok || err != nil {
		t.Errorf("the store still holds a session after Forget (%v)", err)
	}
}
