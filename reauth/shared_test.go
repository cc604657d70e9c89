package reauth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

// verifier is a login server that, like django-otp, refuses a code whose
// step was already used, and accepts one live session at a time (the
// newest login's).
type verifier struct {
	clk *clock

	mu       sync.Mutex
	lastStep int64
	live     string
	logins   int // accepted
	refused  int
	attempts int
}

func newVerifier(clk *clock) *verifier { return &verifier{clk: clk, lastStep: -1} }

var errCodeRefused = fmt.Errorf("Invalid MFA code: %w", errors.Join(reauth.ErrBadCredentials, reauth.ErrCodeRejected))

// check accepts code if it is the current step's and that step is unused.
func (v *verifier) check(code string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.attempts++
	step := v.clk.Now().Unix() / 30
	want, _ := codeAt(time.Unix(step*30, 0))
	if code != want || step <= v.lastStep {
		v.refused++
		return "", errCodeRefused
	}
	v.lastStep = step
	v.logins++
	v.live = fmt.Sprintf("s%d", v.logins)
	return v.live, nil
}

func (v *verifier) valid(s string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return s == v.live
}

func (v *verifier) counts() (logins, refused, attempts int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.logins, v.refused, v.attempts
}

// codeAt is the RFC secret's code at t.
func codeAt(t time.Time) (string, error) {
	tp, err := reauth.NewTOTP(rfcSecret)
	if err != nil {
		return "", err
	}
	tp.Now = func() time.Time { return t }
	return tp.Code(context.Background())
}

// process is one program's manager and TOTP, sharing a session file (and
// so its lock and ledger) with the others in the test, as separate
// processes on one machine do.
type process struct {
	m    *reauth.Manager[string]
	totp *reauth.TOTP
	logs *bytes.Buffer
}

func newProcess(t *testing.T, v *verifier, path string, sleep func(context.Context, time.Duration) error) *process {
	t.Helper()
	store := reauth.NewFileStore[string](path)
	tp, err := reauth.NewTOTP(rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	tp.Now, tp.Sleep, tp.Ledger = v.clk.Now, sleep, store.Ledger()
	p := &process{totp: tp, logs: &bytes.Buffer{}}
	var logMu sync.Mutex
	p.m = newManager(t, reauth.Config[string]{
		Store:  store,
		Now:    v.clk.Now,
		Sleep:  sleep,
		Logger: slog.New(slog.NewTextHandler(lockedWriter{&logMu, p.logs}, nil)),
		Login: func(ctx context.Context, _ string) (string, error) {
			code, err := tp.Code(ctx)
			if err != nil {
				return "", err
			}
			return v.check(code)
		},
	})
	return p
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (p *process) call(v *verifier) func(context.Context, string) (string, error) {
	return reauth.WithReauth(p.m, func(_ context.Context, req string) (string, error) {
		s, _, _ := p.m.Current()
		if !v.valid(s) {
			return "", reauth.ErrUnauthorized
		}
		return "ok:" + req, nil
	})
}

// Two processes on one session file, both sessions dead, ten calls each at
// once: one login, the other process adopts it, nothing is refused and no
// cooldown starts.
func TestProcessesSharingAFileLogInOnce(t *testing.T) {
	clk := &clock{now: time.Unix(1_800_000_000, 0)}
	v := newVerifier(clk)
	path := filepath.Join(t.TempDir(), "session.json")
	advance := func(_ context.Context, d time.Duration) error { clk.Advance(d); return nil }
	a, b := newProcess(t, v, path, advance), newProcess(t, v, path, advance)
	a.m.Set("dead")
	b.m.Set("dead")

	var wg sync.WaitGroup
	var failures atomic.Int64
	for _, p := range []*process{a, b} {
		h := p.call(v)
		for i := range 10 {
			wg.Go(func() {
				if _, err := h(context.Background(), fmt.Sprint(i)); err != nil {
					failures.Add(1)
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	logins, refused, _ := v.counts()
	if failures.Load() != 0 || refused != 0 || logins != 1 {
		t.Fatalf("failures %d, refused codes %d, logins %d; want 0, 0, 1", failures.Load(), refused, logins)
	}
	for _, p := range []*process{a, b} {
		if st := p.m.Stats(); !st.CooldownUntil.IsZero() {
			t.Fatalf("cooldown until %v", st.CooldownUntil)
		}
	}
	if a.m.Stats().StoreAdoptions+b.m.Stats().StoreAdoptions != 1 {
		t.Fatalf("adoptions %d + %d, want 1", a.m.Stats().StoreAdoptions, b.m.Stats().StoreAdoptions)
	}
	// Both still work later, without another login.
	clk.Advance(2 * time.Second)
	for _, p := range []*process{a, b} {
		if _, err := p.call(v)(context.Background(), "later"); err != nil {
			t.Fatal(err)
		}
	}
	if logins, _, _ := v.counts(); logins != 1 {
		t.Fatalf("logins %d after, want 1", logins)
	}
}

// A logout in one process and a login in another within one TOTP step: the
// second login waits for the next step instead of sending the code the
// first process already sent, and says so at info level.
func TestNoProcessResendsACodeAnotherSent(t *testing.T) {
	clk := &clock{now: time.Unix(1_800_000_010, 0)} // 20 s left in the step
	v := newVerifier(clk)
	path := filepath.Join(t.TempDir(), "session.json")
	var slept []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { slept = append(slept, d); clk.Advance(d); return nil }
	a := newProcess(t, v, path, sleep)
	if _, err := a.call(v)(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if err := a.m.Forget(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := newProcess(t, v, path, sleep)
	if _, err := b.call(v)(context.Background(), "y"); err != nil {
		t.Fatal(err)
	}
	if _, refused, _ := v.counts(); refused != 0 {
		t.Fatalf("%d codes refused", refused)
	}
	if len(slept) != 1 || slept[0] != 20*time.Second {
		t.Fatalf("slept %v, want one wait of 20s for the next step", slept)
	}
	if !strings.Contains(b.logs.String(), "level=INFO") || !strings.Contains(b.logs.String(), "fresh authenticator code") || !strings.Contains(b.logs.String(), "seconds=20") {
		t.Fatalf("the wait is not logged at info with its seconds:\n%s", b.logs.String())
	}
}

// While a login waits for the next step, Stats says what it waits for and
// until when; afterwards it no longer does.
func TestStatsShowLoginWait(t *testing.T) {
	clk := &clock{now: time.Unix(1_800_000_025, 0)}
	v := newVerifier(clk)
	path := filepath.Join(t.TempDir(), "session.json")
	waiting, resume := make(chan struct{}), make(chan struct{})
	sleep := func(_ context.Context, d time.Duration) error {
		close(waiting)
		<-resume
		clk.Advance(d)
		return nil
	}
	p := newProcess(t, v, path, sleep)
	// Another process used this step's code.
	if err := p.totp.Ledger.SetUsedUntil(context.Background(), time.Unix(1_800_000_030, 0)); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- p.m.Renew(context.Background(), 0) }()
	<-waiting
	st := p.m.Stats()
	if !st.LoginInFlight || !strings.Contains(st.LoginWaitingFor, "authenticator code") || !st.LoginWaitUntil.Equal(time.Unix(1_800_000_030, 0)) {
		t.Errorf("stats during the wait: %+v", st)
	}
	close(resume)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st := p.m.Stats(); st.LoginWaitingFor != "" || !st.LoginWaitUntil.IsZero() {
		t.Errorf("stats after the login: %+v", st)
	}
}

// A code refused while another program signed in (outside the lock) is no
// reason for a cooldown when a newer session is in the store.
func TestRefusedCodeAdoptsStoredSession(t *testing.T) {
	clk := &clock{now: time.Unix(1_800_000_000, 0)}
	path := filepath.Join(t.TempDir(), "session.json")
	store := reauth.NewFileStore[string](path)
	var attempts int
	m := newManager(t, reauth.Config[string]{Store: store, Now: clk.Now, Login: func(ctx context.Context, _ string) (string, error) {
		attempts++
		clk.Advance(time.Second)
		if err := store.Save(ctx, reauth.Saved[string]{ID: "other", SavedAt: clk.Now(), Session: "theirs"}); err != nil {
			return "", err
		}
		return "", errCodeRefused
	}})
	m.Set("dead")
	_, gen, _ := m.Current()
	if err := m.Renew(context.Background(), gen); err != nil {
		t.Fatal(err)
	}
	if s, _, _ := m.Current(); s != "theirs" || attempts != 1 {
		t.Fatalf("session %q after %d attempts; want the stored one after 1", s, attempts)
	}
	if st := m.Stats(); !st.CooldownUntil.IsZero() {
		t.Fatalf("cooldown until %v", st.CooldownUntil)
	}
}

// A refused code with nothing in the store is tried once more (the user may
// have signed in elsewhere in that step), then the cooldown starts: two
// attempts, never a storm.
func TestRefusedCodeTriedOnceMore(t *testing.T) {
	for _, tc := range []struct {
		name         string
		refusals     int
		wantAttempts int
		wantErr      bool
	}{
		{"next code accepted", 1, 2, false},
		{"wrong secret", 100, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			attempts := 0
			m := newManager(t, reauth.Config[string]{Login: func(context.Context, string) (string, error) {
				attempts++
				if attempts <= tc.refusals {
					return "", errCodeRefused
				}
				return "fresh", nil
			}})
			err := m.Renew(context.Background(), 0)
			if (err != nil) != tc.wantErr || attempts != tc.wantAttempts {
				t.Fatalf("err %v after %d attempts; want error %v after %d", err, attempts, tc.wantErr, tc.wantAttempts)
			}
			if tc.wantErr {
				if err := m.Renew(context.Background(), 0); !errors.As(err, new(*reauth.CooldownError)) || attempts != tc.wantAttempts {
					t.Fatalf("second renewal: %v after %d attempts; want a cooldown and no attempt", err, attempts)
				}
			}
		})
	}
}

// A code whose request never left the machine is given back: the retry
// sends it at once instead of waiting up to a step for a new one.
func TestReleasedCodeIsReused(t *testing.T) {
	clk := &clock{now: time.Unix(1_800_000_005, 0)}
	ledger := reauth.NewFileLedger(filepath.Join(t.TempDir(), "s.totp"))
	tp, err := reauth.NewTOTP(rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	tp.Now, tp.Ledger = clk.Now, ledger
	tp.Sleep = func(context.Context, time.Duration) error { return errors.New("must not wait") }
	ctx := context.Background()
	first, err := tp.Code(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tp.Release(ctx, first)
	if until, _ := ledger.UsedUntil(ctx); !until.IsZero() {
		t.Fatalf("ledger still records %v after the release", until)
	}
	again, err := tp.Code(ctx)
	if err != nil || again != first {
		t.Fatalf("after release: %q, %v; want %q at once", again, err, first)
	}
	// A code that was sent is not given back by releasing another one.
	tp.Release(ctx, "000000")
	if _, err := tp.Code(ctx); err == nil {
		t.Fatal("a sent code was handed out again")
	}
}

// A ledger recorded far in the future (the clock moved back) costs at most
// one step's wait, not hours.
func TestLedgerFromTheFutureWaitsAtMostAStep(t *testing.T) {
	clk := &clock{now: time.Unix(1_800_000_000, 0)}
	ledger := reauth.NewFileLedger(filepath.Join(t.TempDir(), "s.totp"))
	if err := ledger.SetUsedUntil(context.Background(), clk.Now().Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	tp, err := reauth.NewTOTP(rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	var slept time.Duration
	tp.Now, tp.Ledger = clk.Now, ledger
	tp.Sleep = func(_ context.Context, d time.Duration) error { slept += d; clk.Advance(d); return nil }
	if _, err := tp.Code(context.Background()); err != nil {
		t.Fatal(err)
	}
	if slept > 30*time.Second {
		t.Fatalf("waited %v", slept)
	}
}

// The file lock excludes a second holder (another process, or another
// store on the same file) until released; a waiter's ctx ends its wait.
func TestFileStoreLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dir", "session.json")
	s1, s2 := reauth.NewFileStore[string](path), reauth.NewFileStore[string](path)
	unlock, err := s1.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan error)
	go func() {
		_, err := s2.Lock(ctx)
		got <- err
	}()
	cancel()
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Fatalf("waiter: %v, want context.Canceled", err)
	}
	locked := make(chan func())
	go func() {
		u, err := s2.Lock(context.Background())
		if err != nil {
			t.Error(err)
		}
		locked <- u
	}()
	unlock()
	(<-locked)()
	fi, err := os.Stat(path + ".lock")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("lock file: %v, %v", fi, err)
	}
}

// A damaged session file is an error to log, never a crash, and the error
// says what is wrong without quoting the file.
func TestFileStoreDamagedFiles(t *testing.T) {
	type sess struct {
		Token string `json:"token"`
	}
	for _, tc := range []struct{ name, content, want string }{
		{"no session", `{"version":1}`, "holds no session"},
		{"null session", `{"version":1,"session":null}`, "holds no session"},
		{"not JSON", `{"version":1,"session":{"token":"SECRET"`, "not valid JSON"},
		{"wrong shape", `{"version":1,"session":{"token":["SECRET"]}}`, "unexpected shape"},
		{"wrong outer shape", `["SECRET"]`, "unexpected shape"},
		{"unknown version", `{"version":7,"session":{"token":"SECRET"}}`, "unknown version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.json")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			store := reauth.NewFileStore[*sess](path)
			m := newManager(t, reauth.Config[*sess]{
				Store:  store,
				Expiry: func(s *sess) time.Time { _ = s.Token; return time.Time{} },
				Login:  func(context.Context, *sess) (*sess, error) { return &sess{Token: "new"}, nil },
			})
			ok, err := m.LoadStored(context.Background())
			if ok || err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "SECRET") {
				t.Fatalf("LoadStored: %v, %v; want an error saying %q", ok, err, tc.want)
			}
			// The next login replaces the file.
			if err := m.Renew(context.Background(), 0); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := store.Load(context.Background()); !ok || err != nil {
				t.Fatalf("after a login: %v, %v", ok, err)
			}
		})
	}
}

// A symlinked session file stays a symlink: saves replace its target, a
// Forget removes the target only.
func TestFileStoreKeepsSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "monarch-session.json")
	link := filepath.Join(dir, "session.json")
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("dotfiles", "monarch-session.json"), link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	store := reauth.NewFileStore[string](link)
	m := newManager(t, reauth.Config[string]{Store: store, Login: func(context.Context, string) (string, error) { return "s1", nil }})
	for range 2 { // a dangling link, then a link to a file
		if err := m.Renew(context.Background(), m.Stats().Generation); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("the link was replaced: %v %v", fi, err)
		}
		if saved, ok, err := reauth.NewFileStore[string](target).Load(context.Background()); !ok || err != nil || saved.Session != "s1" {
			t.Fatalf("target: %v %v %v", saved, ok, err)
		}
		if err := m.Forget(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(link); err != nil {
			t.Fatalf("Forget removed the link: %v", err)
		}
		if _, err := os.Stat(target); !os.IsNotExist(err) {
			t.Fatalf("Forget left the target: %v", err)
		}
	}
}

// A pasted session (Set) counts as newer than what the store held before:
// its first failure logs in rather than bringing the older stored one back.
func TestSetSessionIsNewerThanStored(t *testing.T) {
	clk := &clock{now: time.Unix(1_800_000_000, 0)}
	store := reauth.NewFileStore[string](filepath.Join(t.TempDir(), "s.json"))
	if err := store.Save(context.Background(), reauth.Saved[string]{ID: "old", SavedAt: clk.Now().Add(-time.Hour), Session: "stored"}); err != nil {
		t.Fatal(err)
	}
	api := newFakeAPI()
	m := newManager(t, reauth.Config[string]{Store: store, Now: clk.Now, Login: api.login})
	m.Set("pasted")
	if _, err := reauth.WithReauth(m, api.handler(m))(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if api.calls.Load() != 2 || api.logins.Load() != 1 || m.Stats().StoreAdoptions != 0 {
		t.Fatalf("calls %d, logins %d, adoptions %d; want 2, 1, 0", api.calls.Load(), api.logins.Load(), m.Stats().StoreAdoptions)
	}
}

// Forget and renewals racing: afterwards the session in memory and the one
// in the store agree (both gone, or both the same), never a session in
// memory whose file was deleted or a file left after the logout.
func TestForgetAndRenewAgree(t *testing.T) {
	for i := range 200 {
		store := reauth.NewFileStore[string](filepath.Join(t.TempDir(), "s.json"))
		n := 0
		m := newManager(t, reauth.Config[string]{Store: store, Login: func(context.Context, string) (string, error) {
			n++
			return fmt.Sprintf("s%d", n), nil
		}})
		if err := m.Renew(context.Background(), 0); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Go(func() { _ = m.Forget(context.Background()) })
		wg.Go(func() { _ = m.Renew(context.Background(), m.Stats().Generation) })
		wg.Go(func() { _ = m.Renew(context.Background(), m.Stats().Generation) })
		wg.Wait()
		mem, _, held := m.Current()
		saved, stored, err := store.Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if held != stored || held && mem != saved.Session {
			t.Fatalf("round %d: memory %q (%v), store %q (%v)", i, mem, held, saved.Session, stored)
		}
	}
}
