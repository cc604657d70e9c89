package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/monarch-mcp/monarch-mcp/journal"
)

// The change journal: every tool that changes data records, before it
// writes, the state of exactly the fields it is about to change, and after
// it, each object's outcome and new state (see package journal). That is
// what lets undo_changes put things back, and refuse to clobber an object
// changed again since.

// values are an object's field values as a kind reads and writes them:
// strings, float64s, bools, []string, or nil. After a trip through the
// journal's JSON a []string comes back as []any; kinds read them with the
// helpers in this file.
type values = map[string]any

// objectKind knows how to read one sort of Monarch object and put its
// fields back. Kinds are built per deps (their functions close over the
// client) and listed in kindsFor.
type objectKind struct {
	name string
	// fields lists every field the kind records: what a create or a delete
	// records, and what a recreated object gets.
	fields []string
	// read returns the current values of every field for each id that
	// exists; an id missing from the map no longer exists.
	read func(ctx context.Context, ids []string) (map[string]values, error)
	// set changes an existing object's fields to v (only the fields v
	// holds). nil: the kind's objects cannot be edited back.
	set func(ctx context.Context, id string, v values) error
	// setMany, if not nil, is used instead of set to change several objects
	// in few calls; it returns each failed id's error.
	setMany func(ctx context.Context, items []setItem) map[string]error
	// create makes a new object with v (every field) and returns its id.
	// nil: a deleted object of this kind cannot be brought back.
	create func(ctx context.Context, v values) (string, error)
	// remove deletes an object. nil: a created object of this kind cannot
	// be taken away again.
	remove func(ctx context.Context, id string) error
	// recreateLoss says what a recreated object does not get back besides
	// its id (e.g. its transactions), for the caveat; "" if nothing.
	recreateLoss string
}

// setItem is one object for objectKind.setMany.
type setItem struct {
	id string
	v  values
}

// kindsFor builds every kind for d, by name.
func kindsFor(d *deps) map[string]*objectKind {
	out := map[string]*objectKind{}
	for _, mk := range []func(*deps) *objectKind{
		transactionKind,
		goalKind,
		accountKind,
		tagKind,
		categoryKind,
		merchantKind,
		ruleKind,
		streamKind,
		splitsKind,
		budgetKind,
		balanceHistoryKind,
	} {
		k := mk(d)
		out[k.name] = k
	}
	return out
}

// readListed is a kind's read for objects Monarch lists whole (accounts,
// categories, rules, goals...): one list request, keeping those ids names.
func readListed[T any](list func(context.Context) ([]T, error), id func(T) string, vals func(T) values) func(context.Context, []string) (map[string]values, error) {
	return func(ctx context.Context, ids []string) (map[string]values, error) {
		all, err := list(ctx)
		if err != nil {
			return nil, err
		}
		out := make(map[string]values, len(ids))
		for _, x := range all {
			if k := id(x); slices.Contains(ids, k) {
				out[k] = vals(x)
			}
		}
		return out, nil
	}
}

// target names objects a write is about to change: their kind, ids and the
// fields it touches (nil: every field the kind records).
type target struct {
	kind   string
	ids    []string
	fields []string
}

// undoLevel says how completely a change can be taken back.
type undoLevel string

const (
	undoFull    undoLevel = "full"
	undoPartial undoLevel = "partial"
	undoNone    undoLevel = "none"
)

// journaled describes how a write tool's change is recorded. P is what the
// handler receives, R its result.
type journaled[P, R any] struct {
	// undo and caveat say how completely undo_changes can take the change
	// back and what it cannot restore; both are in the tool's result
	// (dry runs included), so the user hears it before the write.
	undo   undoLevel
	caveat string
	// level, if not nil, says undo and caveat for one call instead, for a
	// tool whose options decide how much undo can restore (e.g. one that
	// may also change other data as a side effect).
	level func(a P) (undoLevel, string)
	// summary says in a few words what the call changes.
	summary func(a P) string
	// targets names the objects about to change; their state is read
	// before the write. nil: the write changes nothing that exists yet.
	targets func(ctx context.Context, a P) ([]target, error)
	// created names objects the write made, from its result.
	created func(a P, r R) []target
	// dryRun reports whether the call writes nothing: it is then not
	// journaled, but still says what undo could restore.
	dryRun func(a P) bool
}

// changeNote is how a write tool's result reports its journal entry.
type changeNote struct {
	ID     string `json:"id,omitempty" jsonschema:"the change's id in the change journal: get_change_history shows it, undo_changes takes it back"`
	Undo   string `json:"undo" jsonschema:"how completely undo_changes can take this change back: full, partial or none"`
	Caveat string `json:"caveat,omitempty" jsonschema:"what undo cannot restore"`
	// Journal is set when the change was not recorded.
	Journal string `json:"journal,omitempty" jsonschema:"set when the change was not recorded: why"`
}

// journalNote is embedded in every write tool's result: it carries the
// change note.
type journalNote struct {
	Change *changeNote `json:"change,omitempty" jsonschema:"the change journal's record of this call"`
}

func (n *journalNote) setChange(c *changeNote) { n.Change = c }

type changeSetter interface{ setChange(*changeNote) }

// withRaw carries a tool's decoded arguments and the arguments as sent,
// which are what the journal records.
type withRaw[P any] struct {
	args P
	raw  map[string]any
}

func decodeWithRaw[P any](decode func(map[string]any) (P, error)) func(map[string]any) (withRaw[P], error) {
	return func(raw map[string]any) (withRaw[P], error) {
		a, err := decode(raw)
		return withRaw[P]{args: a, raw: raw}, err
	}
}

// defineWrite is define for a tool that changes data: the change is
// recorded in the journal as j says.
func defineWrite[A, R any](d *deps, s spec, j journaled[A, R], h func(ctx context.Context, args A) (R, error)) Tool {
	s.journaled = true
	return register(d, s, decodeWithRaw(decodeArgs[A]), journaledCall(d, s.name, j, h), nil)
}

// defineParsedWrite is defineParsed for a tool that changes data.
func defineParsedWrite[A parser[P], P, R any](d *deps, s spec, j journaled[P, R], h func(ctx context.Context, args P) (R, error)) Tool {
	s.journaled = true
	return register(d, s, decodeWithRaw(parseArgs[A]), journaledCall(d, s.name, j, h), nil)
}

// ErrJournal is wrapped by the error of a write refused because it could
// not be recorded.
var ErrJournal = errors.New("the change journal could not record the change")

// journaledCall wraps h: read the targets' state, record it, write, read
// again, record the outcome. A write whose before-state cannot be read or
// recorded is not made: nothing is changed that could not be put back.
func journaledCall[P, R any](d *deps, tool string, j journaled[P, R], h func(context.Context, P) (R, error)) func(context.Context, withRaw[P]) (R, error) {
	return func(ctx context.Context, in withRaw[P]) (R, error) {
		a := in.args
		lvl, caveat := j.undo, j.caveat
		if j.level != nil {
			lvl, caveat = j.level(a)
		}
		note := &changeNote{Undo: string(lvl), Caveat: caveat}
		if d.journal == nil || (j.dryRun != nil && j.dryRun(a)) {
			if d.journal == nil {
				note.Journal = "off: the change is not recorded and cannot be undone"
			}
			r, err := h(ctx, a)
			if err == nil {
				attachNote(&r, note)
			}
			return r, err
		}
		var zero R
		var targets []target
		if j.targets != nil {
			var err error
			if targets, err = j.targets(ctx, a); err != nil {
				return zero, err
			}
		}
		before, err := d.readTargets(ctx, targets)
		if err != nil {
			return zero, fmt.Errorf("nothing was changed: reading the state before the change failed: %w", err)
		}
		entry := journal.Entry{Tool: tool, Undo: string(lvl), Caveat: caveat}
		if j.summary != nil {
			entry.Summary = j.summary(a)
		}
		if b, err := json.Marshal(in.raw); err == nil && len(in.raw) > 0 {
			entry.Args = b
		}
		for _, t := range targets {
			for _, id := range t.ids {
				st := before[objKey{t.kind, id}].trim(t.fields)
				entry.Objects = append(entry.Objects, journal.Object{Kind: t.kind, ID: id, Fields: t.fields, Before: &st})
			}
		}
		id, err := d.journal.Begin(entry)
		if err != nil {
			return zero, fmt.Errorf("nothing was changed: %w: %v; MONARCH_JOURNAL_FILE=off makes changes without it", ErrJournal, err)
		}
		r, herr := h(ctx, a)
		var made []target
		if herr == nil && j.created != nil {
			made = j.created(a, r)
		}
		var items map[string]itemOutcome
		if ir, ok := any(&r).(itemReporter); ok && herr == nil {
			items = ir.itemStatuses()
		}
		d.endChange(ctx, id, entry.Objects, made, herr, items, nil)
		if herr != nil {
			return zero, herr
		}
		note.ID = id
		attachNote(&r, note)
		return r, nil
	}
}

// itemReporter is implemented by batch results: each item's own outcome,
// which tells the journal that an unchanged object failed or was never
// reached, rather than already had its values.
type itemReporter interface {
	itemStatuses() map[string]itemOutcome
}

func (b *batchResult) itemStatuses() map[string]itemOutcome {
	out := make(map[string]itemOutcome, len(b.Items))
	for _, it := range b.Items {
		out[it.ID] = it
	}
	return out
}

func attachNote[R any](r *R, note *changeNote) {
	if s, ok := any(r).(changeSetter); ok {
		s.setChange(note)
	}
}

// endChange reads the objects again and records each one's outcome; made
// are objects the write created (their state before: not existing). A
// failure to record is logged: the change itself is done.
func (d *deps) endChange(ctx context.Context, id string, objs []journal.Object, made []target, werr error, items map[string]itemOutcome, undid []string) {
	var reads []target
	for _, o := range objs {
		reads = append(reads, target{kind: o.Kind, ids: []string{o.ID}})
	}
	reads = append(reads, made...)
	after, rerr := d.readTargets(context.WithoutCancel(ctx), reads)
	out := make([]journal.Object, 0, len(objs))
	for _, o := range objs {
		fields := o.Fields
		o.Before, o.Fields = nil, nil // the Begin record has them
		o.Outcome = journal.Unknown
		if rerr == nil {
			st := after[objKey{o.Kind, o.ID}].trim(fields)
			o.After = &st
		}
		out = append(out, o)
	}
	for _, t := range made {
		for _, mid := range t.ids {
			o := journal.Object{Kind: t.kind, ID: mid, Fields: t.fields, Before: &journal.State{}, Outcome: journal.Unknown}
			if rerr == nil {
				st := after[objKey{t.kind, mid}].trim(t.fields)
				o.After = &st
			}
			out = append(out, o)
		}
	}
	for i := range out {
		o := &out[i]
		if o.After == nil {
			continue
		}
		b := o.Before
		if b == nil {
			b = objsBefore(objs, o.Kind, o.ID)
		}
		if b == nil || !sameState(*b, *o.After) {
			o.Outcome = journal.Changed
			continue
		}
		// Unchanged: the batch's own report, or the write's error, says why.
		switch item := items[o.ID]; {
		case item.Status == "failed":
			o.Outcome, o.Error = journal.Failed, item.Error
		case item.Status == "not_attempted":
			o.Outcome = journal.NotAttempted
		case werr == nil:
			o.Outcome = journal.Unchanged
		default:
			o.Outcome, o.Error = journal.Failed, explain(werr)
		}
	}
	end := d.journal.End
	if undid != nil {
		end = func(id string, objs []journal.Object) error { return d.journal.EndUndo(id, objs, undid) }
	}
	if err := end(id, out); err != nil {
		d.logger.WarnContext(ctx, "change journal: the outcome of a change was not recorded", "change", id, "error", err)
	}
}

func objsBefore(objs []journal.Object, kind, id string) *journal.State {
	for _, o := range objs {
		if o.Kind == kind && o.ID == id {
			return o.Before
		}
	}
	return nil
}

type objKey struct{ kind, id string }

// state is an object's state as read: whether it exists and all its
// fields.
type state journal.State

// trim keeps only fields (all of them when fields is empty).
func (s state) trim(fields []string) journal.State {
	if !s.Exists {
		return journal.State{}
	}
	if len(fields) == 0 {
		return journal.State{Exists: true, Values: maps.Clone(s.Values)}
	}
	v := make(values, len(fields))
	for _, f := range fields {
		v[f] = s.Values[f]
	}
	return journal.State{Exists: true, Values: v}
}

// readTargets reads the state of every target object, one read per kind.
func (d *deps) readTargets(ctx context.Context, targets []target) (map[objKey]state, error) {
	byKind := map[string][]string{}
	var order []string
	seen := map[objKey]bool{}
	for _, t := range targets {
		if _, ok := byKind[t.kind]; !ok {
			order = append(order, t.kind)
		}
		for _, id := range t.ids {
			if k := (objKey{t.kind, id}); !seen[k] {
				seen[k] = true
				byKind[t.kind] = append(byKind[t.kind], id)
			}
		}
	}
	out := map[objKey]state{}
	for _, name := range order {
		k, ok := d.kinds[name]
		if !ok {
			return nil, fmt.Errorf("no journal kind %q", name)
		}
		got, err := k.read(ctx, byKind[name])
		if err != nil {
			return nil, err
		}
		for _, id := range byKind[name] {
			if v, ok := got[id]; ok {
				out[objKey{name, id}] = state{Exists: true, Values: v}
			} else {
				out[objKey{name, id}] = state{}
			}
		}
	}
	return out, nil
}

// sameState compares two states by their JSON, so values read now and
// values decoded from the journal compare alike.
func sameState(a, b journal.State) bool {
	if a.Exists != b.Exists {
		return false
	}
	if !a.Exists {
		return true
	}
	return sameValues(a.Values, b.Values)
}

func sameValues(a, b values) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// differing returns the fields whose values differ between a and b.
func differing(a, b values) []string {
	var out []string
	for f := range a {
		x, _ := json.Marshal(a[f])
		y, _ := json.Marshal(b[f])
		if string(x) != string(y) {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

// Readers for values, whether fresh or decoded from the journal.

func vString(v values, f string) (string, bool) {
	s, ok := v[f].(string)
	return s, ok
}

func vFloat(v values, f string) (float64, bool) {
	x, ok := v[f].(float64)
	return x, ok
}

func vBool(v values, f string) (bool, bool) {
	x, ok := v[f].(bool)
	return x, ok
}

// vStrings reads a list of strings; ok is false when the field is absent
// or not a list.
func vStrings(v values, f string) ([]string, bool) {
	switch x := v[f].(type) {
	case []string:
		return x, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}
