package reauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// LoginFunc obtains a new session by replaying credentials. prev is the
// session being replaced (the zero value if none), so that a login can keep
// per-session data such as a device id. It must never put a secret in the
// error it returns.
type LoginFunc[S any] func(ctx context.Context, prev S) (S, error)

// Config configures a [Manager]. Only Login is required.
type Config[S any] struct {
	// Login obtains a new session.
	Login LoginFunc[S]
	// Store persists sessions between runs and processes. Optional.
	Store Store[S]
	// IsAuthError classifies handler errors. Default: [DefaultIsAuthError].
	IsAuthError IsAuthError
	// ClassifyLogin classifies login errors. Default: [DefaultClassifyLogin].
	ClassifyLogin ClassifyLogin
	// Expiry returns when a session expires, or the zero time if unknown.
	// A known expiry enables proactive refresh. Optional.
	Expiry func(S) time.Time

	// Cooldown is how long a refused login blocks further attempts.
	// Default 15 minutes.
	Cooldown time.Duration
	// LoginTimeout bounds one renewal, all attempts included. A login
	// outlives the caller that started it (others may be waiting on it),
	// but not forever. Default 2 minutes.
	LoginTimeout time.Duration
	// MaxLoginAttempts bounds attempts per renewal for transient and
	// rate-limited failures. Default 3.
	MaxLoginAttempts int
	// MaxRetryAfter is the longest server-requested wait honoured in place;
	// a longer Retry-After becomes a cooldown instead. Default 1 minute.
	MaxRetryAfter time.Duration
	// NewBackOff returns the policy spacing transient retries. Default:
	// exponential from 1s, capped at 30s.
	NewBackOff func() backoff.BackOff
	// RefreshMargin is how long before a known expiry the session is
	// renewed. Default 5 minutes.
	RefreshMargin time.Duration
	// RefreshJitter spreads proactive refreshes of processes sharing a
	// session file. Default 1 minute.
	RefreshJitter time.Duration

	// Logger receives login events. Default: discard.
	Logger *slog.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx is done. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (c *Config[S]) setDefaults() {
	if c.IsAuthError == nil {
		c.IsAuthError = DefaultIsAuthError
	}
	if c.ClassifyLogin == nil {
		c.ClassifyLogin = DefaultClassifyLogin
	}
	if c.Cooldown <= 0 {
		c.Cooldown = 15 * time.Minute
	}
	if c.LoginTimeout <= 0 {
		c.LoginTimeout = 2 * time.Minute
	}
	if c.MaxLoginAttempts <= 0 {
		c.MaxLoginAttempts = 3
	}
	if c.MaxRetryAfter <= 0 {
		c.MaxRetryAfter = time.Minute
	}
	if c.NewBackOff == nil {
		c.NewBackOff = func() backoff.BackOff {
			return backoff.NewExponentialBackOff(
				backoff.WithInitialInterval(time.Second),
				backoff.WithMaxInterval(30*time.Second),
				backoff.WithMaxElapsedTime(0))
		}
	}
	if c.RefreshMargin <= 0 {
		c.RefreshMargin = 5 * time.Minute
	}
	if c.RefreshJitter < 0 {
		c.RefreshJitter = 0
	} else if c.RefreshJitter == 0 {
		c.RefreshJitter = time.Minute
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = Sleep
	}
}

// Sleep waits d, or until ctx is done (then it returns ctx's error). It is
// the default wait of [TOTP] and the [Manager]; API clients polling for a
// result can use it too.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// state is immutable once published; a swap publishes a new one.
type state[S any] struct {
	session   S
	has       bool
	gen       uint64
	expiry    time.Time // zero: unknown
	refreshAt time.Time // zero: no proactive refresh
	storeID   string    // id of the stored copy this session came from or went to
	obtained  time.Time
}

// flight is one renewal in progress; everyone who needs it waits on done.
type flight struct {
	done chan struct{}
	err  error
	gen  uint64 // the generation found wanting
}

// Manager holds a session and renews it by logging in again. It is safe for
// concurrent use. Create it with [NewManager].
type Manager[S any] struct {
	cfg Config[S]
	cur atomic.Pointer[state[S]]
	// proactiveAfter (unix nanos) rate-limits proactive refresh attempts.
	proactiveAfter atomic.Int64

	// storeTurn is held (a one-slot semaphore, so waits can end with a
	// ctx) by whoever changes the session and the store together: one
	// renewal or one Forget at a time, so neither can undo the other.
	storeTurn chan struct{}

	mu            sync.Mutex
	inflight      *flight
	cooldownErr   error
	cooldownUntil time.Time
	waitUntil     time.Time // what the running login waits for, if anything
	waitFor       string
	stats         Stats
}

// NewManager returns a manager holding no session. Call [Manager.Set] or
// [Manager.LoadStored] to start from an existing one; otherwise the first
// call logs in.
func NewManager[S any](cfg Config[S]) (*Manager[S], error) {
	if cfg.Login == nil {
		return nil, errors.New("reauth: Config.Login is required")
	}
	cfg.setDefaults()
	m := &Manager[S]{cfg: cfg, storeTurn: make(chan struct{}, 1)}
	m.cur.Store(&state[S]{})
	return m, nil
}

// Current returns the session held now, its generation, and whether there is
// one. It takes no lock and does not allocate.
func (m *Manager[S]) Current() (S, uint64, bool) {
	st := m.cur.Load()
	return st.session, st.gen, st.has
}

// Set installs s as the current session (e.g. one supplied by the user) and
// returns its generation. It is not saved to the store. It counts as
// obtained now, so only a session stored after it replaces it.
func (m *Manager[S]) Set(s S) uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.publishLocked(s, "", m.cfg.Now())
}

// LoadStored installs the stored session, if the store holds one, and
// reports whether it did.
func (m *Manager[S]) LoadStored(ctx context.Context) (bool, error) {
	if m.cfg.Store == nil {
		return false, nil
	}
	saved, ok, err := m.cfg.Store.Load(ctx)
	if err != nil || !ok {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.publishLocked(saved.Session, saved.ID, saved.SavedAt)
	return true, nil
}

// Forget drops the current session and clears the store, so the next call
// logs in again. It also ends any cooldown. A renewal already running
// finishes first; one that starts meanwhile runs after it, as a fresh login.
func (m *Manager[S]) Forget(ctx context.Context) error {
	if err := m.takeTurn(ctx); err != nil {
		return err
	}
	defer m.endTurn()
	unlock := m.lockStore(ctx)
	defer unlock()
	m.mu.Lock()
	old := m.cur.Load()
	m.cur.Store(&state[S]{gen: old.gen + 1})
	m.cooldownErr, m.cooldownUntil = nil, time.Time{}
	m.mu.Unlock()
	if m.cfg.Store != nil {
		return m.cfg.Store.Clear(ctx)
	}
	return nil
}

// takeTurn waits for the right to change the session and the store.
func (m *Manager[S]) takeTurn(ctx context.Context) error {
	select {
	case m.storeTurn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (m *Manager[S]) endTurn() { <-m.storeTurn }

// lockStore takes the store's cross-process lock if it has one. A lock that
// cannot be taken (a read-only directory, say) is logged and skipped:
// coordination with other processes is lost, but logins still work.
func (m *Manager[S]) lockStore(ctx context.Context) (unlock func()) {
	l, ok := m.cfg.Store.(Locker)
	if !ok {
		return func() {}
	}
	unlock, err := l.Lock(ctx)
	if err != nil {
		if ctx.Err() == nil {
			m.cfg.Logger.Warn("reauth: could not lock the session store; other processes may sign in at the same time", "err", err)
		}
		return func() {}
	}
	return unlock
}

// publishLocked swaps in a new session. m.mu must be held.
func (m *Manager[S]) publishLocked(s S, storeID string, obtained time.Time) uint64 {
	st := &state[S]{session: s, has: true, gen: m.cur.Load().gen + 1, storeID: storeID, obtained: obtained}
	if m.cfg.Expiry != nil {
		st.expiry = m.cfg.Expiry(s)
	}
	if !st.expiry.IsZero() {
		lead := m.cfg.RefreshMargin
		if m.cfg.RefreshJitter > 0 {
			lead += rand.N(m.cfg.RefreshJitter)
		}
		st.refreshAt = st.expiry.Add(-lead)
	}
	m.cur.Store(st)
	m.proactiveAfter.Store(0)
	return st.gen
}

// Renew makes sure the session is newer than generation failedGen, logging
// in if needed. Callers that saw an older generation than the current one
// return at once; callers arriving while a login runs wait for it (or for
// their ctx). The login itself is not cancelled by the caller's ctx, since
// others may be waiting on it.
func (m *Manager[S]) Renew(ctx context.Context, failedGen uint64) error {
	f, err := m.startFlight(ctx, failedGen)
	if f == nil {
		return err
	}
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// startFlight returns the renewal to wait for, or nil and the outcome when
// no renewal is needed or allowed.
func (m *Manager[S]) startFlight(ctx context.Context, failedGen uint64) (*flight, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if st := m.cur.Load(); st.gen > failedGen && st.has {
		return nil, nil
	}
	if m.inflight != nil {
		return m.inflight, nil
	}
	if m.cooldownErr != nil {
		if m.cfg.Now().Before(m.cooldownUntil) {
			return nil, &CooldownError{Until: m.cooldownUntil, Err: m.cooldownErr}
		}
		m.cooldownErr, m.cooldownUntil = nil, time.Time{}
	}
	f := &flight{done: make(chan struct{}), gen: failedGen}
	m.inflight = f
	go m.renew(context.WithoutCancel(ctx), f)
	return f, nil
}

// renew runs one renewal and publishes its outcome. It holds the store's
// turn (and its cross-process lock) throughout, so that a session saved is
// also the one published, and another process waiting on the lock finds
// the new session in the store instead of logging in.
func (m *Manager[S]) renew(ctx context.Context, f *flight) {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.LoginTimeout)
	defer cancel()
	ctx = context.WithValue(ctx, observerKey{}, waitObserver(m))
	var err error
	defer func() {
		m.mu.Lock()
		f.err = err
		m.inflight = nil
		m.waitUntil, m.waitFor = time.Time{}, ""
		m.mu.Unlock()
		close(f.done)
	}()
	if err = m.takeTurn(ctx); err != nil {
		return
	}
	defer m.endTurn()
	unlock := m.lockStore(ctx)
	defer unlock()
	held := m.cur.Load()
	if held.gen > f.gen && held.has {
		return // a Forget and a login ran meanwhile
	}

	if m.adopt(ctx, held) {
		return
	}
	start := m.cfg.Now()
	m.cfg.Logger.Info("reauth: login started", "generation", held.gen)
	var s S
	for codeRetried := false; ; codeRetried = true {
		s, err = m.loginWithRetries(ctx, held)
		if err == nil {
			break
		}
		if m.adopt(ctx, held) {
			// A failure (say, a refused code another program sent in the
			// same step) while another process signed in is no reason for
			// a cooldown.
			m.cfg.Logger.Info("reauth: login failed but another process had signed in; using its session", "err", err)
			err = nil
			return
		}
		// A refused one-time code may have been used by the user signing
		// in elsewhere in the same step: one more try, with the next
		// step's code, before the cooldown.
		if class, _ := m.cfg.ClassifyLogin(err); codeRetried || class != LoginRefused || !errors.Is(err, ErrCodeRejected) {
			break
		}
		m.cfg.Logger.Warn("reauth: one-time code refused; trying once more with the next one", "err", err)
	}
	dur := m.cfg.Now().Sub(start)

	var saved Saved[S]
	if err == nil {
		saved = Saved[S]{Session: s, SavedAt: m.cfg.Now(), ID: newID()}
		if m.cfg.Store != nil {
			if serr := m.cfg.Store.Save(ctx, saved); serr != nil {
				m.cfg.Logger.Warn("reauth: could not save session", "err", serr)
			}
		}
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.cfg.Now()
	if err == nil {
		gen := m.publishLocked(s, saved.ID, saved.SavedAt)
		m.stats.Logins++
		m.stats.LastLogin = now
		m.stats.LastError = ""
		m.cfg.Logger.Info("reauth: login succeeded", "generation", gen, "duration", dur)
		if st := m.cur.Load(); !st.expiry.IsZero() {
			m.cfg.Logger.Warn("reauth: server issued a session with an expiry; it will be renewed before then", "expires_in", st.expiry.Sub(now).Round(time.Second))
		}
		return
	}
	m.stats.LoginFailures++
	m.stats.LastFailure = now
	m.stats.LastError = err.Error()
	class, wait := m.cfg.ClassifyLogin(err)
	switch {
	case class == LoginRefused:
		m.cooldownErr, m.cooldownUntil = err, now.Add(m.cfg.Cooldown)
	case class == LoginRateLimited && wait > 0:
		m.cooldownErr, m.cooldownUntil = err, now.Add(wait)
	}
	m.cfg.Logger.Error("reauth: login failed", "reason", class.String(), "err", err, "duration", dur, "generation", held.gen)
}

// adopt publishes a session another process stored after the held one was
// obtained, and reports whether there was one.
func (m *Manager[S]) adopt(ctx context.Context, held *state[S]) bool {
	s, ok := m.adoptStored(ctx, held)
	if !ok {
		return false
	}
	m.mu.Lock()
	gen := m.publishLocked(s.Session, s.ID, s.SavedAt)
	m.stats.StoreAdoptions++
	m.mu.Unlock()
	m.cfg.Logger.Info("reauth: using session saved by another process", "generation", gen)
	return true
}

// adoptStored returns a stored session saved after the held one was
// obtained, if any: another process already renewed it.
func (m *Manager[S]) adoptStored(ctx context.Context, held *state[S]) (Saved[S], bool) {
	if m.cfg.Store == nil {
		return Saved[S]{}, false
	}
	s, ok, err := m.cfg.Store.Load(ctx)
	if err != nil {
		m.cfg.Logger.Warn("reauth: could not read stored session", "err", err)
		return Saved[S]{}, false
	}
	if !ok || s.ID == "" || s.ID == held.storeID || s.SavedAt.Before(held.obtained) {
		return Saved[S]{}, false
	}
	return s, true
}

// loginWithRetries calls Login, retrying transient and rate-limited failures
// a bounded number of times. Refusals and long Retry-After return at once.
func (m *Manager[S]) loginWithRetries(ctx context.Context, held *state[S]) (S, error) {
	b := m.cfg.NewBackOff()
	b.Reset()
	for attempt := 1; ; attempt++ {
		s, err := m.cfg.Login(ctx, held.session)
		if err == nil {
			return s, nil
		}
		if ctx.Err() != nil {
			return s, fmt.Errorf("login: %w", err)
		}
		class, wait := m.cfg.ClassifyLogin(err)
		if class == LoginRefused || attempt >= m.cfg.MaxLoginAttempts {
			return s, err
		}
		switch class {
		case LoginRateLimited:
			if wait > m.cfg.MaxRetryAfter {
				return s, err
			}
			if wait <= 0 {
				wait = b.NextBackOff()
			}
		default:
			wait = b.NextBackOff()
		}
		if wait == backoff.Stop {
			return s, err
		}
		m.cfg.Logger.Warn("reauth: login attempt failed, retrying", "reason", class.String(), "err", err, "attempt", attempt, "wait", wait)
		if serr := m.cfg.Sleep(ctx, wait); serr != nil {
			return s, err
		}
	}
}

// maybeRefresh renews a session that is close to its known expiry: in the
// background while it is still valid, in place once it has expired.
func (m *Manager[S]) maybeRefresh(ctx context.Context, st *state[S]) {
	now := m.cfg.Now()
	if now.Before(st.refreshAt) {
		return
	}
	if !now.Before(st.expiry) {
		_ = m.Renew(ctx, st.gen) // an error here surfaces on the call itself
		return
	}
	next := m.proactiveAfter.Load()
	if now.UnixNano() < next || !m.proactiveAfter.CompareAndSwap(next, now.Add(30*time.Second).UnixNano()) {
		return
	}
	m.cfg.Logger.Debug("reauth: refreshing session before it expires", "expires_in", st.expiry.Sub(now).Round(time.Second))
	_, _ = m.startFlight(ctx, st.gen)
}

// Stats is a snapshot of the manager's state, safe to show to users: it
// holds no session data.
type Stats struct {
	HasSession     bool      `json:"has_session"`
	Generation     uint64    `json:"generation"`
	Expiry         time.Time `json:"expiry,omitzero"`
	Logins         int       `json:"logins"`
	LoginFailures  int       `json:"login_failures"`
	StoreAdoptions int       `json:"store_adoptions"`
	LastLogin      time.Time `json:"last_login,omitzero"`
	LastFailure    time.Time `json:"last_failure,omitzero"`
	LastError      string    `json:"last_error,omitempty"`
	CooldownUntil  time.Time `json:"cooldown_until,omitzero"`
	LoginInFlight  bool      `json:"login_in_flight"`
	// LoginWaitingFor says what the running login is waiting for (a fresh
	// one-time code, another process's login), if anything.
	LoginWaitingFor string `json:"login_waiting_for,omitempty"`
	// LoginWaitUntil is when that wait ends, if known.
	LoginWaitUntil time.Time `json:"login_wait_until,omitzero"`
}

// Stats returns a snapshot for status reporting.
func (m *Manager[S]) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.cur.Load()
	s := m.stats
	s.HasSession, s.Generation, s.Expiry = st.has, st.gen, st.expiry
	s.LoginInFlight = m.inflight != nil
	s.LoginWaitingFor, s.LoginWaitUntil = m.waitFor, m.waitUntil
	if m.cooldownErr != nil && m.cfg.Now().Before(m.cooldownUntil) {
		s.CooldownUntil = m.cooldownUntil
	}
	return s
}

// loginWaits implements waitObserver: a wait inside a login is logged at
// info (an unexplained pause of up to a TOTP step looks like a hang) and
// shown by Stats.
func (m *Manager[S]) loginWaits(until time.Time, reason string) {
	m.mu.Lock()
	m.waitUntil, m.waitFor = until, reason
	m.mu.Unlock()
	if reason == "" {
		return
	}
	if until.IsZero() {
		m.cfg.Logger.Info("reauth: login waits for " + reason)
		return
	}
	secs := max(until.Sub(m.cfg.Now()), 0).Round(time.Second)
	m.cfg.Logger.Info("reauth: login waits for "+reason, "seconds", secs.Seconds())
}

// loginWarns implements waitObserver.
func (m *Manager[S]) loginWarns(msg string, err error) {
	m.cfg.Logger.Warn(msg, "err", err)
}
