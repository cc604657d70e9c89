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

// fileHeader is a session file read without its session, so that a file
// with the session missing or null is told apart from a good one.
type fileHeader struct {
	Version int             `json:"version"`
	ID      string          `json:"id"`
	SavedAt time.Time       `json:"saved_at"`
	Session json.RawMessage `json:"session"`
}

// Load implements [Store]. A missing file is not an error. The errors say
// what is wrong with a damaged file without quoting it (it holds
// credentials).
func (f *FileStore[S]) Load(_ context.Context) (Saved[S], bool, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return Saved[S]{}, false, nil
	}
	if err != nil {
		return Saved[S]{}, false, fmt.Errorf("read session file: %w", err)
	}
	if !json.Valid(b) {
		return Saved[S]{}, false, fmt.Errorf("session file %s is not valid JSON; delete it to sign in afresh", f.path)
	}
	var h fileHeader
	if err := json.Unmarshal(b, &h); err != nil {
		return Saved[S]{}, false, fmt.Errorf("session file %s is JSON but not a session file (unexpected shape); delete it to sign in afresh", f.path)
	}
	if h.Version != 1 {
		return Saved[S]{}, false, fmt.Errorf("session file %s has unknown version %d", f.path, h.Version)
	}
	if len(h.Session) == 0 || string(h.Session) == "null" {
		return Saved[S]{}, false, fmt.Errorf("session file %s holds no session; it is replaced at the next sign-in", f.path)
	}
	saved := Saved[S]{ID: h.ID, SavedAt: h.SavedAt}
	if err := json.Unmarshal(h.Session, &saved.Session); err != nil {
		return Saved[S]{}, false, fmt.Errorf("session file %s holds a session of an unexpected shape; delete it to sign in afresh", f.path)
	}
	return saved, true, nil
}

// Save implements [Store].
func (f *FileStore[S]) Save(_ context.Context, s Saved[S]) error {
	b, err := json.Marshal(fileFormat[S]{Version: 1, Saved: s})
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	return WriteFileAtomic(f.path, b)
}

// Clear implements [Store]. A symlinked session file loses its target,
// not the link, so the next Save writes through the link again.
func (f *FileStore[S]) Clear(_ context.Context) error {
	path, err := linkTarget(f.path)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove session file: %w", err)
	}
	return nil
}

// WriteFileAtomic writes data to path with mode 0600, creating missing
// directories with mode 0700. Readers see the old or the new content, never
// a mix. A symlink at path is kept: its target is replaced, so dotfile
// setups that link the file elsewhere keep working.
func WriteFileAtomic(path string, data []byte) error {
	return writeFileAtomic(path, data, true)
}

// writeFileAtomic is WriteFileAtomic, with the fsync before the rename
// optional: a file that may be lost in a power cut (and then reads as
// empty) need not wait for the disk.
func writeFileAtomic(path string, data []byte, durable bool) error {
	path, err := linkTarget(path)
	if err != nil {
		return err
	}
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
	if durable {
		if err := tmp.Sync(); err != nil {
			tmp.Close()
			return fmt.Errorf("sync: %w", err)
		}
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}

// maxLinks bounds how many symlinks linkTarget follows (a loop ends there).
const maxLinks = 16

// linkTarget returns the file that path names once symlinks are followed,
// even if that file does not exist yet (a dangling link is written
// through, not replaced). A path that is not a symlink is returned as is.
func linkTarget(path string) (string, error) {
	for range maxLinks {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", fmt.Errorf("read symlink %s: %w", path, err)
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
