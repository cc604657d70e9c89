package reauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// Locker is implemented by a [Store] that several processes share. The
// [Manager] holds the lock around every renewal (re-reading the store,
// logging in, saving) and every Forget, so processes sharing the store log
// in one at a time and the later ones adopt the earlier one's session.
type Locker interface {
	// Lock takes an exclusive lock shared with every process using the same
	// store, waiting until it is free or ctx ends. unlock releases it.
	Lock(ctx context.Context) (unlock func(), err error)
}

// StepLedger records the end of the last one-time-code step whose code was
// sent, shared by every process that signs in to one account: servers
// refuse a code that was already used, so no process may send a code that
// another one sent. [TOTP] reads and writes it in [TOTP.Code] and
// [TOTP.Release]; callers serialise those across processes (the [Manager]
// does, by holding its store's lock around a login).
type StepLedger interface {
	// UsedUntil returns the end of the last step whose code was sent (the
	// zero time if none is recorded).
	UsedUntil(ctx context.Context) (time.Time, error)
	// SetUsedUntil records t as the end of the last step whose code was sent.
	SetUsedUntil(ctx context.Context, t time.Time) error
}

// lockRetry is how often a waiting process retries a lock held by another
// process; a renewal takes a login round trip, so this adds little.
const lockRetry = 20 * time.Millisecond

// Lock implements [Locker] with an OS file lock (flock on Unix, LockFileEx
// on Windows) on a file beside the session file, path + ".lock". The lock
// file is created 0600 and never removed: removing it would let a process
// holding the old file and one creating a new file both think they hold the
// lock.
func (f *FileStore[S]) Lock(ctx context.Context) (func(), error) {
	path := lockPath(f.path)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	fl := flock.New(path, flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err == nil && !ok {
		NoteWait(ctx, time.Time{}, "another process to finish signing in")
		ok, err = fl.TryLockContext(ctx, lockRetry)
		NoteWait(ctx, time.Time{}, "")
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		return nil, fmt.Errorf("lock %s: %w", path, ctx.Err())
	}
	return func() { _ = fl.Unlock() }, nil
}

// lockPath is the lock file of the session file at path. A symlinked
// session file is locked at its target, so every link to one file shares
// one lock.
func lockPath(path string) string {
	if real, err := linkTarget(path); err == nil {
		path = real
	}
	return path + ".lock"
}

// FileLedger is a [StepLedger] kept in a small JSON file (mode 0600),
// written atomically. It takes no lock of its own: see [StepLedger].
type FileLedger struct {
	path string
}

// NewFileLedger returns a ledger kept in the file at path.
func NewFileLedger(path string) *FileLedger { return &FileLedger{path: path} }

// Ledger returns the ledger kept beside the session file, path + ".totp",
// for the [TOTP] of the account whose sessions this store keeps.
func (f *FileStore[S]) Ledger() *FileLedger { return NewFileLedger(f.path + ".totp") }

type ledgerFile struct {
	UsedUntil time.Time `json:"used_until"`
}

// UsedUntil implements [StepLedger]. A missing or damaged file reads as
// the zero time (nothing recorded); it holds no secret, and the next code
// rewrites it.
func (l *FileLedger) UsedUntil(context.Context) (time.Time, error) {
	b, err := os.ReadFile(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read %s: %w", l.path, err)
	}
	var lf ledgerFile
	if json.Unmarshal(b, &lf) != nil {
		return time.Time{}, nil
	}
	return lf.UsedUntil, nil
}

// SetUsedUntil implements [StepLedger].
func (l *FileLedger) SetUsedUntil(_ context.Context, t time.Time) error {
	b, err := json.Marshal(ledgerFile{UsedUntil: t.UTC()})
	if err != nil {
		return err
	}
	// Not synced: a record lost in a power cut costs at most one refused
	// code, which the Manager retries with the next one.
	return writeFileAtomic(l.path, b, false)
}

// waitObserver receives what a login is waiting for; the [Manager] puts
// one in the context of every login it runs.
type waitObserver interface {
	loginWaits(until time.Time, reason string)
	loginWarns(msg string, err error)
}

type observerKey struct{}

// NoteWait tells the [Manager] running the login on ctx that it is waiting,
// until when (the zero time if unknown) and for what, so the wait is logged
// and shows in [Manager.Stats]; an empty reason says the wait is over.
// Outside a manager's login it does nothing.
// [TOTP] and the [FileStore] lock call it; a [LoginFunc] that waits for
// something of its own can too.
func NoteWait(ctx context.Context, until time.Time, reason string) {
	if o, ok := ctx.Value(observerKey{}).(waitObserver); ok {
		o.loginWaits(until, reason)
	}
}

// noteWarn reports a problem that does not stop the login (e.g. the shared
// ledger cannot be written) to the manager running it, if any.
func noteWarn(ctx context.Context, msg string, err error) {
	if o, ok := ctx.Value(observerKey{}).(waitObserver); ok {
		o.loginWarns(msg, err)
	}
}
