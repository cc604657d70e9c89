package reauth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Saved is a session as kept by a [Store], with what the manager needs to
// tell whether another process has renewed it.
type Saved[S any] struct {
	// ID identifies this saved copy; a different ID means a different login.
	ID string `json:"id"`
	// SavedAt is when the session was obtained.
	SavedAt time.Time `json:"saved_at"`
	// Session is the session itself.
	Session S `json:"session"`
}

// Store persists sessions. Implementations must be safe for use by several
// processes at once, at least in the sense that a reader never sees a
// half-written session.
type Store[S any] interface {
	// Load returns the stored session and whether there is one.
	Load(ctx context.Context) (Saved[S], bool, error)
	// Save replaces the stored session.
	Save(ctx context.Context, s Saved[S]) error
	// Clear removes the stored session, if any.
	Clear(ctx context.Context) error
}

// FileStore keeps the session as JSON in one file, written atomically
// (temporary file and rename) with mode 0600 in a directory created 0700.
// S must marshal to and from JSON.
type FileStore[S any] struct {
	path string
}

// NewFileStore returns a store backed by the file at path.
func NewFileStore[S any](path string) *FileStore[S] {
	return &FileStore[S]{path: path}
}

// Path returns the file's path.
func (f *FileStore[S]) Path() string { return f.path }

type fileFormat[S any] struct {
	Version int `json:"version"`
	Saved[S]
}

// Load implements [Store]. A missing file is not an error.
func (f *FileStore[S]) Load(_ context.Context) (Saved[S], bool, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return Saved[S]{}, false, nil
	}
	if err != nil {
		return Saved[S]{}, false, fmt.Errorf("read session file: %w", err)
	}
	var ff fileFormat[S]
	if err := json.Unmarshal(b, &ff); err != nil {
		// Not echoing the content: it holds credentials.
		return Saved[S]{}, false, fmt.Errorf("session file %s is not valid JSON; delete it to log in afresh", f.path)
	}
	if ff.Version != 1 {
		return Saved[S]{}, false, fmt.Errorf("session file %s has unknown version %d", f.path, ff.Version)
	}
	return ff.Saved, true, nil
}

// Save implements [Store].
func (f *FileStore[S]) Save(_ context.Context, s Saved[S]) error {
	b, err := json.Marshal(fileFormat[S]{Version: 1, Saved: s})
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	return WriteFileAtomic(f.path, b)
}

// Clear implements [Store].
func (f *FileStore[S]) Clear(_ context.Context) error {
	if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove session file: %w", err)
	}
	return nil
}

// WriteFileAtomic writes data to path with mode 0600, creating missing
// directories with mode 0700. Readers see the old or the new content, never
// a mix.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("chmod: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
