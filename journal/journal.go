// Package journal is an append-only record of changes made to someone's
// data, kept so that they can be listed and taken back.
//
// A change is written in two records, each one JSON line: Begin, before
// anything is written (what is about to change and its state before), and
// End, after the write (each object's outcome and state after). A process
// that dies between the two leaves a change whose outcome is unknown, which
// is still listed: nothing that was about to change goes unrecorded.
//
// The file is shared by every process using it: appends take an OS file
// lock, are written with a single write each, and start on a new line even
// after a torn write. Its size is bounded by rotation: when a record would
// take the file past its limit, the file becomes FILE.1 (replacing the
// previous one) and a new file is started, so at most two limits' worth is
// kept and the newest changes are never the ones dropped. A damaged line is
// skipped and reported, never fatal.
//
// The package knows nothing about what the objects are: kinds, ids and
// field values are the caller's.
package journal

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// DefaultMaxBytes is the size at which a journal file is rotated: room for
// thousands of ordinary changes, or a few dozen bulk edits of a thousand
// transactions each.
const DefaultMaxBytes = 4 << 20

// Outcome is what became of one object of a change.
type Outcome string

// Outcomes, as recorded by End.
const (
	// Changed: the object's state after differs from its state before.
	Changed Outcome = "changed"
	// Unchanged: the write succeeded but the object is as it was (it
	// already had the values written).
	Unchanged Outcome = "unchanged"
	// Failed: the write failed and the object is as it was.
	Failed Outcome = "failed"
	// NotAttempted: the write stopped before reaching the object.
	NotAttempted Outcome = "not_attempted"
	// Unknown: the object could not be read after the write, or the
	// process stopped before recording the outcome.
	Unknown Outcome = "unknown"
)

// State is an object's recorded state: whether it exists and the values of
// the fields the change touches.
type State struct {
	Exists bool           `json:"exists"`
	Values map[string]any `json:"values,omitempty"`
}

// Object is one object a change touches.
type Object struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	// Fields are the fields the change touches (Before and After hold
	// those); empty means all the fields the kind records.
	Fields []string `json:"fields,omitempty"`
	// Before is the state read just before the write; nil if it was not
	// read.
	Before *State `json:"before,omitempty"`
	// After is the state read just after the write; nil if it was not
	// read.
	After   *State  `json:"after,omitempty"`
	Outcome Outcome `json:"outcome,omitempty"`
	// Error says why the write failed for this object, if it did.
	Error string `json:"error,omitempty"`
}

// MayHaveChanged reports whether the object may differ from its state
// before the change: it changed, or its outcome is not known.
func (o Object) MayHaveChanged() bool {
	return o.Outcome == Changed || o.Outcome == Unknown
}

// Entry is one change.
type Entry struct {
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
	// Tool is what made the change; Args its arguments.
	Tool string          `json:"tool"`
	Args json.RawMessage `json:"args,omitempty"`
	// Summary says in a few words what changed.
	Summary string `json:"summary,omitempty"`
	// Undo says how completely the change can be taken back ("full",
	// "partial", "none"); Caveat what cannot be restored.
	Undo   string `json:"undo,omitempty"`
	Caveat string `json:"caveat,omitempty"`
	// Undoes names the changes this one takes back.
	Undoes  []string `json:"undoes,omitempty"`
	Objects []Object `json:"objects"`
	// Ended reports whether End was recorded (set when reading).
	Ended bool `json:"-"`
}

// record is one line of the file: exactly one of its fields is set.
type record struct {
	Begin *Entry     `json:"begin,omitempty"`
	End   *endRecord `json:"end,omitempty"`
}

type endRecord struct {
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
	// Objects carry the outcome and state after of the begun objects
	// (matched by kind and id), and any objects the write created.
	Objects []Object `json:"objects"`
	// Undoes, when set, replaces the Begin record's Undoes: the changes an
	// undo actually took back, known only once it has run.
	Undoes *[]string `json:"undoes,omitempty"`
}

// Journal is a change journal in a file, or in memory. It is safe for
// concurrent use, and for use by several processes sharing the file.
type Journal struct {
	path string // "" keeps records in memory
	max  int64
	now  func() time.Time

	mu  sync.Mutex // orders this process's appends; the file lock orders processes'
	mem []byte
}

// Options configure a Journal. The zero value is usable.
type Options struct {
	// MaxBytes is the file size at which it is rotated (default
	// DefaultMaxBytes).
	MaxBytes int64
	// Now stamps records (default time.Now).
	Now func() time.Time
}

// Open returns the journal kept in the file at path, creating it (mode
// 0600, its directory 0700) at the first change.
func Open(path string, opts Options) *Journal {
	j := Memory(opts)
	j.path = path
	return j
}

// Memory returns a journal kept in memory, for a process whose changes do
// not outlive it (the demo).
func Memory(opts Options) *Journal {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Journal{max: opts.MaxBytes, now: opts.Now}
}

// Path returns the journal's file, "" for a journal in memory.
func (j *Journal) Path() string { return j.path }

// Begin records a change about to be made and returns its id. The entry's
// ID and Time are set here; Objects should carry each object's Before.
func (j *Journal) Begin(e Entry) (string, error) {
	e.ID, e.Time = newID(j.now()), j.now()
	if e.Objects == nil {
		e.Objects = []Object{}
	}
	return e.ID, j.append(record{Begin: &e})
}

// End records the outcome of the change id: objects carry, for each object
// begun, its Outcome and After (matched by kind and id), plus any object the
// change created.
func (j *Journal) End(id string, objects []Object) error {
	if objects == nil {
		objects = []Object{}
	}
	return j.append(record{End: &endRecord{ID: id, Time: j.now(), Objects: objects}})
}

// EndUndo is End for a change that undoes others: undid names those it
// actually took back (a change all of whose steps failed is not among
// them), replacing the Begin record's list.
func (j *Journal) EndUndo(id string, objects []Object, undid []string) error {
	if objects == nil {
		objects = []Object{}
	}
	if undid == nil {
		undid = []string{}
	}
	return j.append(record{End: &endRecord{ID: id, Time: j.now(), Objects: objects, Undoes: &undid}})
}

func (j *Journal) append(r record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("journal: encode: %w", err)
	}
	line = append(line, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.path == "" {
		j.mem = append(j.mem, line...)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	lock := flock.New(j.path + ".lock")
	if err := lock.Lock(); err != nil {
		return fmt.Errorf("journal: lock: %w", err)
	}
	defer lock.Unlock()
	if err := j.rotate(int64(len(line))); err != nil {
		return err
	}
	f, err := os.OpenFile(j.path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if torn, err := endsTorn(f); err != nil {
		f.Close()
		return err
	} else if torn {
		// A writer died mid-line: start afresh so this record is whole.
		line = append([]byte{'\n'}, line...)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	return f.Close()
}

// rotate moves the file aside when adding n bytes would pass the limit.
// Called with the file lock held.
func (j *Journal) rotate(n int64) error {
	fi, err := os.Stat(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if fi.Size() == 0 || fi.Size()+n <= j.max {
		return nil
	}
	if err := os.Rename(j.path, j.path+".1"); err != nil {
		return fmt.Errorf("journal: rotate: %w", err)
	}
	return nil
}

// endsTorn reports whether f is non-empty and does not end in a newline.
func endsTorn(f *os.File) (bool, error) {
	fi, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("journal: %w", err)
	}
	if fi.Size() == 0 {
		return false, nil
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, fi.Size()-1); err != nil {
		return false, fmt.Errorf("journal: %w", err)
	}
	return b[0] != '\n', nil
}

// Damaged describes a line that could not be read.
type Damaged struct {
	File string
	Line int
}

func (d Damaged) String() string {
	if d.File == "" {
		return fmt.Sprintf("journal line %d is damaged and was skipped", d.Line)
	}
	return fmt.Sprintf("journal %s line %d is damaged and was skipped", d.File, d.Line)
}

// Entries returns every recorded change, oldest first, with the lines it
// had to skip. A journal that does not exist yet has no entries.
func (j *Journal) Entries() ([]Entry, []Damaged, error) {
	var sources []source
	if j.path == "" {
		j.mu.Lock()
		mem := bytes.Clone(j.mem)
		j.mu.Unlock()
		sources = append(sources, source{data: mem})
	} else {
		// A shared lock keeps a writer from rotating between the reads of
		// the two files, which would lose the records moved in between.
		// Without it (no directory yet, or one this process cannot write)
		// the files are read as they are.
		lock := flock.New(j.path + ".lock")
		if err := lock.RLock(); err == nil {
			defer lock.Unlock()
		}
		for _, p := range []string{j.path + ".1", j.path} {
			b, err := os.ReadFile(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, nil, fmt.Errorf("journal: %w", err)
			}
			sources = append(sources, source{name: p, data: b})
		}
	}
	var (
		entries []Entry
		byID    = map[string]int{}
		damaged []Damaged
	)
	for _, src := range sources {
		// The file is read whole already, so lines are split without a
		// length limit: a record as large as any written is read back.
		n := 0
		for raw := range bytes.Lines(src.data) {
			n++
			line := bytes.TrimSpace(raw)
			if len(line) == 0 {
				continue
			}
			var r record
			if err := json.Unmarshal(line, &r); err != nil || (r.Begin == nil) == (r.End == nil) ||
				(r.Begin != nil && r.Begin.ID == "") || (r.End != nil && r.End.ID == "") {
				damaged = append(damaged, Damaged{File: src.name, Line: n})
				continue
			}
			if r.Begin != nil {
				byID[r.Begin.ID] = len(entries)
				entries = append(entries, *r.Begin)
				continue
			}
			i, ok := byID[r.End.ID]
			if !ok {
				continue // its Begin was rotated away
			}
			entries[i] = merge(entries[i], *r.End)
		}
	}
	for i := range entries {
		if !entries[i].Ended {
			for k := range entries[i].Objects {
				if entries[i].Objects[k].Outcome == "" {
					entries[i].Objects[k].Outcome = Unknown
				}
			}
		}
	}
	return entries, damaged, nil
}

type source struct {
	name string
	data []byte
}

// merge folds an End record into its entry.
func merge(e Entry, end endRecord) Entry {
	e.Ended = true
	if end.Undoes != nil {
		e.Undoes = *end.Undoes
	}
	objs := make([]Object, len(e.Objects))
	copy(objs, e.Objects)
	index := make(map[[2]string]int, len(objs))
	for i, o := range objs {
		index[[2]string{o.Kind, o.ID}] = i
	}
	for _, o := range end.Objects {
		i, ok := index[[2]string{o.Kind, o.ID}]
		if !ok {
			objs = append(objs, o)
			continue
		}
		objs[i].After, objs[i].Outcome, objs[i].Error = o.After, o.Outcome, o.Error
	}
	e.Objects = objs
	return e
}

// newID returns a change id: its time, to the second, and random hex, so
// ids from several processes do not collide and sort roughly by time.
func newID(t time.Time) string {
	var b [4]byte
	if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
		// crypto/rand does not fail on supported platforms; keep the time.
		return "c" + t.UTC().Format("20060102-150405.000000")
	}
	return "c" + t.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}
