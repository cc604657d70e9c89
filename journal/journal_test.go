package journal

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var fixedNow = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

func begin(t *testing.T, j *Journal, tool string, ids ...string) string {
	t.Helper()
	e := Entry{Tool: tool, Undo: "full"}
	for _, id := range ids {
		e.Objects = append(e.Objects, Object{Kind: "transaction", ID: id, Fields: []string{"notes"},
			Before: &State{Exists: true, Values: map[string]any{"notes": "before " + id}}})
	}
	id, err := j.Begin(e)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func end(t *testing.T, j *Journal, id string, objs ...Object) {
	t.Helper()
	if err := j.End(id, objs); err != nil {
		t.Fatal(err)
	}
}

func entries(t *testing.T, j *Journal) ([]Entry, []Damaged) {
	t.Helper()
	es, dm, err := j.Entries()
	if err != nil {
		t.Fatal(err)
	}
	return es, dm
}

func TestBeginEndFold(t *testing.T) {
	for _, tt := range []struct {
		name string
		j    func(t *testing.T) *Journal
	}{
		{"file", func(t *testing.T) *Journal {
			return Open(filepath.Join(t.TempDir(), "sub", "changes.jsonl"), Options{Now: fixedNow})
		}},
		{"memory", func(*testing.T) *Journal { return Memory(Options{Now: fixedNow}) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			j := tt.j(t)
			a := begin(t, j, "update_transaction", "t1")
			end(t, j, a, Object{Kind: "transaction", ID: "t1", Outcome: Changed,
				After: &State{Exists: true, Values: map[string]any{"notes": "after"}}},
				Object{Kind: "tag", ID: "new", Outcome: Changed, Before: &State{}, After: &State{Exists: true}})
			b := begin(t, j, "delete_transaction", "t2") // never ended: the process died
			es, dm := entries(t, j)
			if len(dm) != 0 || len(es) != 2 {
				t.Fatalf("entries %d, damaged %v", len(es), dm)
			}
			if es[0].ID != a || !es[0].Ended || len(es[0].Objects) != 2 || es[0].Objects[0].Outcome != Changed ||
				es[0].Objects[0].Before.Values["notes"] != "before t1" || es[0].Objects[0].After.Values["notes"] != "after" ||
				es[0].Objects[1].ID != "new" {
				t.Errorf("first entry folded wrongly: %+v", es[0])
			}
			if es[1].ID != b || es[1].Ended || es[1].Objects[0].Outcome != Unknown {
				t.Errorf("unended entry: %+v", es[1])
			}
			if a == b || !strings.HasPrefix(a, "c20260301-120000-") {
				t.Errorf("ids %q %q", a, b)
			}
		})
	}
}

func TestFileModeAndMissing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "changes.jsonl")
	j := Open(p, Options{Now: fixedNow})
	if es, _ := entries(t, j); len(es) != 0 {
		t.Fatalf("a journal not yet written has %d entries", len(es))
	}
	begin(t, j, "x")
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

// TestDamagedLines: a damaged line is skipped and reported; a torn last
// line (a writer died mid-write) does not swallow the next record.
func TestDamagedLines(t *testing.T) {
	p := filepath.Join(t.TempDir(), "changes.jsonl")
	j := Open(p, Options{Now: fixedNow})
	first := begin(t, j, "one", "t1")
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, junk := range []string{"not json\n", "{}\n", `{"begin":{"tool":"no id"}}` + "\n", `{"begin":{"id":"x"},"end":{"id":"x"}}` + "\n", `{"begin":{"id":"torn","to`} {
		if _, err := f.WriteString(junk); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	second := begin(t, j, "two", "t2")
	es, dm := entries(t, j)
	if len(es) != 2 || es[0].ID != first || es[1].ID != second {
		t.Fatalf("entries %+v", es)
	}
	if len(dm) != 5 {
		t.Errorf("damaged %v, want 5 lines", dm)
	}
	for _, d := range dm {
		if !strings.Contains(d.String(), "damaged") || d.File != p {
			t.Errorf("warning %q", d)
		}
	}
}

// TestRotation: past the limit the file moves to FILE.1; both are read; a
// second rotation drops the oldest, and an End whose Begin went with it is
// ignored.
func TestRotation(t *testing.T) {
	p := filepath.Join(t.TempDir(), "changes.jsonl")
	j := Open(p, Options{Now: fixedNow, MaxBytes: 600})
	var ids []string
	for i := range 12 {
		ids = append(ids, begin(t, j, fmt.Sprint("tool", i), "t"))
	}
	es, dm := entries(t, j)
	if len(dm) != 0 {
		t.Fatalf("damaged %v", dm)
	}
	for _, name := range []string{p, p + ".1"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > 600 {
			t.Errorf("%s is %d bytes, over the limit", name, fi.Size())
		}
	}
	if len(es) == 0 || len(es) >= 12 || es[len(es)-1].ID != ids[11] {
		t.Fatalf("kept %d entries, newest %v", len(es), es[len(es)-1].ID)
	}
	kept := len(es)
	end(t, j, ids[0]) // its Begin is gone
	if es, _ = entries(t, j); len(es) > kept || es[0].ID == ids[0] {
		t.Errorf("an End without its Begin made an entry")
	}
}

func TestConcurrentAppends(t *testing.T) {
	j := Open(filepath.Join(t.TempDir(), "changes.jsonl"), Options{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 25 {
				id, err := j.Begin(Entry{Tool: fmt.Sprint(w, "-", i)})
				if err == nil {
					err = j.End(id, nil)
				}
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	es, dm := entries(t, j)
	if len(es) != 200 || len(dm) != 0 {
		t.Errorf("%d entries, %d damaged; want 200, 0", len(es), len(dm))
	}
	for _, e := range es {
		if !e.Ended {
			t.Errorf("%s lost its End", e.ID)
		}
	}
}

// TestTwoProcesses: two processes appending to one journal at once lose no
// entry and tear no line.
func TestTwoProcesses(t *testing.T) {
	if os.Getenv("JOURNAL_TEST_WRITER") != "" {
		return
	}
	p := filepath.Join(t.TempDir(), "changes.jsonl")
	const each = 150
	var cmds []*exec.Cmd
	for w := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriterProcess$")
		cmd.Env = append(os.Environ(), "JOURNAL_TEST_WRITER="+strconv.Itoa(w), "JOURNAL_TEST_FILE="+p, "JOURNAL_TEST_N="+strconv.Itoa(each))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	es, dm := entries(t, Open(p, Options{}))
	if len(es) != 2*each || len(dm) != 0 {
		t.Fatalf("%d entries, %d damaged; want %d, 0", len(es), len(dm), 2*each)
	}
	per := map[string]int{}
	for _, e := range es {
		if !e.Ended {
			t.Errorf("%s lost its End", e.ID)
		}
		per[strings.SplitN(e.Tool, "-", 2)[0]]++
	}
	if per["0"] != each || per["1"] != each {
		t.Errorf("per writer %v", per)
	}
}

// TestWriterProcess is one writer of TestTwoProcesses, run as a process.
func TestWriterProcess(t *testing.T) {
	w := os.Getenv("JOURNAL_TEST_WRITER")
	if w == "" {
		t.Skip("run by TestTwoProcesses")
	}
	n, _ := strconv.Atoi(os.Getenv("JOURNAL_TEST_N"))
	j := Open(os.Getenv("JOURNAL_TEST_FILE"), Options{})
	for i := range n {
		id, err := j.Begin(Entry{Tool: w + "-" + strconv.Itoa(i), Objects: []Object{{Kind: "k", ID: strconv.Itoa(i),
			Before: &State{Exists: true, Values: map[string]any{"notes": strings.Repeat("x", 200)}}}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := j.End(id, []Object{{Kind: "k", ID: strconv.Itoa(i), Outcome: Changed}}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLargeRecordIsRead: a record bigger than the rotation limit (a bulk
// change of thousands of objects with long values) is written alone in
// its file, and read back whole, however long its line.
func TestLargeRecordIsRead(t *testing.T) {
	for _, tt := range []struct {
		name string
		max  int64
		size int
	}{
		{"past the limit", 1 << 10, 4 << 10},
		{"past the limit and a read buffer's worth more", 1 << 10, 2 << 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			j := Open(filepath.Join(t.TempDir(), "changes.jsonl"), Options{Now: fixedNow, MaxBytes: tt.max})
			long := strings.Repeat("n", tt.size)
			id, err := j.Begin(Entry{Tool: "bulk", Objects: []Object{{Kind: "transaction", ID: "t1", Fields: []string{"notes"},
				Before: &State{Exists: true, Values: map[string]any{"notes": long}}}}})
			if err != nil {
				t.Fatal(err)
			}
			end(t, j, id, Object{Kind: "transaction", ID: "t1", Outcome: Changed, After: &State{Exists: true, Values: map[string]any{"notes": ""}}})
			es, dm := entries(t, j)
			if len(dm) != 0 || len(es) != 1 || es[0].ID != id || !es[0].Ended || es[0].Objects[0].Before.Values["notes"] != long {
				t.Fatalf("read %d entries, damaged %v", len(es), dm)
			}
		})
	}
}

// TestReadDuringRotation: a read while another writer rotates the file
// sees a run of consecutive changes, never one with a gap where the
// rotated file's records were.
func TestReadDuringRotation(t *testing.T) {
	p := filepath.Join(t.TempDir(), "changes.jsonl")
	w := Open(p, Options{Now: fixedNow, MaxBytes: 1 << 10})
	r := Open(p, Options{Now: fixedNow, MaxBytes: 1 << 10})
	const n = 400
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range n {
			if _, err := w.Begin(Entry{Tool: "t", Summary: strconv.Itoa(i)}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for reads := 0; ; reads++ {
		select {
		case <-done:
			return
		default:
		}
		es, _, err := r.Entries()
		if err != nil {
			t.Fatal(err)
		}
		for k := 1; k < len(es); k++ {
			a, _ := strconv.Atoi(es[k-1].Summary)
			b, _ := strconv.Atoi(es[k].Summary)
			if b != a+1 {
				t.Fatalf("read %d: change %d follows change %d", reads, b, a)
			}
		}
	}
}

// TestEndUndoReplacesUndoes: an undo's End names the changes it took back,
// replacing its Begin's plan.
func TestEndUndoReplacesUndoes(t *testing.T) {
	j := Memory(Options{Now: fixedNow})
	id, err := j.Begin(Entry{Tool: "undo_changes", Undoes: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.EndUndo(id, nil, []string{"b"}); err != nil {
		t.Fatal(err)
	}
	es, _ := entries(t, j)
	if len(es) != 1 || len(es[0].Undoes) != 1 || es[0].Undoes[0] != "b" {
		t.Errorf("undoes %v, want [b]", es[0].Undoes)
	}
}
