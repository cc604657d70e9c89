package tools

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/monarch-mcp/monarch-mcp/journal"
)

// ErrNothingToUndo is returned when an undo finds nothing to take back.
var ErrNothingToUndo = errors.New("nothing to undo")

// undoStep is one object of an undo: what is done to it and why.
type undoStep struct {
	kind *objectKind
	// key is the object as the change recorded it; at is where it is now:
	// key, or a placeholder for an object this undo brings back (its new
	// id is known only once it exists).
	key, at objKey
	action  string // "restore", "recreate", "remove" or "skip"
	v       values // restore: the fields to put back; recreate: every field
	fields  []string
	before  journal.State // the object's state before this step
	thing   *undoneThing
}

// undo takes back the chosen changes, newest first: it plans every step on
// a model of the objects' current state (so a later step sees an earlier
// one's result), records the plan, applies it and records the outcome.
func (d *deps) undo(ctx context.Context, a undoArgs) (undoResult, error) {
	dry := a.DryRun == nil || *a.DryRun
	entries, damaged, err := d.journal.Entries()
	if err != nil {
		return undoResult{}, err
	}
	chosen, err := chooseUndo(entries, a)
	if err != nil {
		return undoResult{}, err
	}
	var reads []target
	for _, e := range chosen {
		for _, o := range e.Objects {
			if _, ok := d.kinds[o.Kind]; ok {
				reads = append(reads, target{kind: o.Kind, ids: []string{o.ID}})
			}
		}
	}
	now, err := d.readTargets(ctx, reads)
	if err != nil {
		return undoResult{}, fmt.Errorf("nothing was changed: reading the objects' current state failed: %w", err)
	}
	sim := make(map[objKey]journal.State, len(now))
	for k, st := range now {
		sim[k] = journal.State(st)
	}

	res := undoResult{DryRun: dry, Changes: []undoneItem{}}
	var steps [][]*undoStep // per chosen change
	where := map[objKey]objKey{}
	for _, e := range chosen {
		item := undoneItem{ChangeID: e.ID, Tool: e.Tool, Summary: e.Summary, Objects: []undoneThing{}}
		var es []*undoStep
		for i := len(e.Objects) - 1; i >= 0; i-- {
			s := d.planStep(e, e.Objects[i], sim, where, a.Overwrite)
			es = append(es, s)
		}
		steps = append(steps, es)
		res.Changes = append(res.Changes, item)
	}
	res.Warnings = d.damagedWarnings(ctx, damaged)
	if dry {
		for ci := range steps {
			for _, s := range steps[ci] {
				if s.action != "skip" {
					s.thing.Status = "would_do"
				}
			}
		}
		finishUndo(&res, steps)
		res.Note = "Nothing was changed. Call again with dry_run=false to apply."
		return res, nil
	}

	// Record the plan, then carry it out.
	entry := journal.Entry{Tool: "undo_changes", Undo: string(undoFull)}
	// A change the undo leaves wholly alone (every object skipped) is not
	// taken back: listing it would mark it undone and refuse a retry.
	for ci, e := range chosen {
		if slices.ContainsFunc(steps[ci], func(s *undoStep) bool { return s.action != "skip" }) {
			entry.Undoes = append(entry.Undoes, e.ID)
		}
	}
	entry.Summary = "undid " + strings.Join(entry.Undoes, ", ")
	// One record per object, however many of the changes touched it: its
	// state before this undo (the first step's), over every field any
	// step puts back.
	var recorded []journal.Object
	seen := map[objKey]int{}
	for _, es := range steps {
		for _, s := range es {
			if s.action == "skip" || s.at != s.key {
				continue
			}
			i, ok := seen[s.key]
			if !ok {
				seen[s.key] = len(recorded)
				st := s.before
				recorded = append(recorded, journal.Object{Kind: s.key.kind, ID: s.key.id, Fields: s.fields, Before: &st})
				continue
			}
			recorded[i].Fields = unionFields(recorded[i].Fields, s.fields)
		}
	}
	for i := range recorded {
		st := trimState(*recorded[i].Before, recorded[i].Fields)
		recorded[i].Before = &st
	}
	entry.Objects = recorded
	if len(recorded) == 0 && !anyRecreate(steps) {
		finishUndo(&res, steps)
		res.Note = "Nothing needed putting back."
		return res, nil
	}
	id, err := d.journal.Begin(entry)
	if err != nil {
		return undoResult{}, fmt.Errorf("nothing was changed: %w: %v", ErrJournal, err)
	}
	newIDs := map[string]string{} // placeholder or old id → new id
	var made []target
	for _, es := range steps {
		d.applySteps(ctx, es, newIDs, &made)
	}
	// An object left as it was because its step failed is recorded as
	// failed, with the reason, not as already having its values.
	failed := map[string]itemOutcome{}
	for _, es := range steps {
		for _, s := range es {
			if s.at == s.key && s.thing.Status == "failed" {
				failed[s.key.id] = itemOutcome{ID: s.key.id, Status: "failed", Error: s.thing.Reason}
			}
		}
	}
	// The changes taken back are those with a step done: one whose every
	// step failed stays in effect, and can be undone again.
	undid := []string{}
	for ci, e := range chosen {
		if slices.ContainsFunc(steps[ci], func(s *undoStep) bool { return s.thing.Status == "done" }) {
			undid = append(undid, e.ID)
		}
	}
	d.endChange(ctx, id, recorded, made, nil, failed, undid)
	finishUndo(&res, steps)
	res.Change = &changeNote{ID: id, Undo: string(undoFull)}
	res.Note = "Done. This undo is itself change " + id + ": undo_changes with change_ids=[\"" + id + "\"] takes it back."
	return res, nil
}

func anyRecreate(steps [][]*undoStep) bool {
	for _, es := range steps {
		for _, s := range es {
			if s.action == "recreate" {
				return true
			}
		}
	}
	return false
}

// chooseUndo returns the changes to undo, newest first.
func chooseUndo(entries []journal.Entry, a undoArgs) ([]journal.Entry, error) {
	undone := undoneBy(entries)
	var out []journal.Entry
	if a.Last != nil {
		for i := len(entries) - 1; i >= 0 && len(out) < *a.Last; i-- {
			if e := entries[i]; undone[e.ID] == "" && anyChanged(e) {
				out = append(out, e)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%w: no change in the journal is left to undo", ErrNothingToUndo)
		}
		return out, nil
	}
	pos := make(map[string]int, len(entries))
	for i, e := range entries {
		pos[e.ID] = i
	}
	var idx []int
	for _, id := range a.ChangeIDs {
		i, ok := pos[id]
		if !ok {
			return nil, argErrorf("change_ids", fmt.Sprintf("no change has id %q; get_change_history lists them. Nothing was changed", id))
		}
		if by := undone[id]; by != "" {
			return nil, argErrorf("change_ids", fmt.Sprintf("change %s was already undone by %s (undo that one to redo it). Nothing was changed", id, by))
		}
		if !slices.Contains(idx, i) {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	for k := len(idx) - 1; k >= 0; k-- {
		out = append(out, entries[idx[k]])
	}
	return out, nil
}

// planStep decides what undoing o means, given the modelled current state,
// and updates the model as if it were done.
func (d *deps) planStep(e journal.Entry, o journal.Object, sim map[objKey]journal.State, where map[objKey]objKey, overwrite bool) *undoStep {
	key := objKey{o.Kind, o.ID}
	at, ok := where[key]
	if !ok {
		at = key
	}
	s := &undoStep{key: key, at: at, action: "skip", fields: o.Fields,
		thing: &undoneThing{Kind: o.Kind, ID: o.ID, Action: "skip", Status: "skipped"}}
	skip := func(reason string) *undoStep {
		s.thing.Reason = reason
		return s
	}
	if !o.MayHaveChanged() {
		return skip("the change did not alter it (" + string(o.Outcome) + ")")
	}
	if e.Undo == string(undoNone) {
		reason := "this change cannot be undone"
		if e.Caveat != "" {
			reason += ": " + e.Caveat
		}
		return skip(reason)
	}
	k, ok := d.kinds[o.Kind]
	if !ok || o.Before == nil {
		return skip("its state before the change was not recorded")
	}
	s.kind = k
	cur := sim[at]
	touched := trimState(cur, o.Fields) // the fields the change touched, as they are now
	want := *o.Before
	s.before = cur
	if sameState(touched, want) {
		return skip("already as it was before the change")
	}
	if !overwrite {
		switch {
		case o.After == nil:
			return skip("its state after the change was not recorded, so a later change cannot be ruled out; overwrite=true restores it anyway")
		case !sameState(touched, *o.After):
			what := "it was changed again since"
			if cur.Exists && o.After.Exists {
				what += " (" + strings.Join(differing(touched.Values, o.After.Values), ", ") + ")"
			} else if !cur.Exists {
				what = "it was deleted since"
			}
			return skip(what + "; overwrite=true restores it anyway")
		}
	}
	switch {
	case want.Exists && cur.Exists:
		if k.set == nil && k.setMany == nil {
			return skip("this kind of object cannot be edited back")
		}
		s.action, s.v = "restore", values{}
		s.thing.Fields = differing(want.Values, touched.Values)
		for _, f := range s.thing.Fields {
			s.v[f] = want.Values[f]
		}
		next := cur
		next.Values = mergeValues(cur.Values, s.v)
		sim[at] = next
	case want.Exists:
		if k.create == nil {
			return skip("a deleted " + o.Kind + " cannot be brought back")
		}
		// An edit records only the fields it touched: an object deleted
		// since cannot be made again from those.
		if slices.ContainsFunc(k.fields, func(f string) bool { _, ok := want.Values[f]; return !ok }) {
			return skip("it was deleted since, and the change recorded only some of its fields, so it cannot be brought back")
		}
		s.action, s.v = "recreate", want.Values
		s.at = objKey{o.Kind, "+" + o.ID}
		where[key] = s.at
		sim[s.at] = want
		s.thing.Reason = "comes back with a new id"
		if k.recreateLoss != "" {
			s.thing.Reason += "; " + k.recreateLoss
		}
	default:
		if k.remove == nil {
			return skip("a created " + o.Kind + " cannot be removed")
		}
		s.action = "remove"
		sim[at] = journal.State{}
	}
	s.thing.Action, s.thing.Status = s.action, "planned"
	return s
}

// unionFields merges two field lists; an empty list means every field.
func unionFields(a, b []string) []string {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	out := slices.Clone(a)
	for _, f := range b {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

func trimState(s journal.State, fields []string) journal.State {
	return state(s).trim(fields)
}

// mergeValues returns a copy of a with b's fields set over it.
func mergeValues(a, b values) values {
	out := maps.Clone(a)
	if out == nil {
		out = make(values, len(b))
	}
	maps.Copy(out, b)
	return out
}

// applySteps carries out one change's steps: objects to bring back first
// (later steps may refer to their new ids), then edits, grouped per kind,
// then removals.
func (d *deps) applySteps(ctx context.Context, es []*undoStep, newIDs map[string]string, made *[]target) {
	done := func(s *undoStep, err error) {
		if err != nil {
			s.thing.Status, s.thing.Reason = "failed", explain(err)
			return
		}
		s.thing.Status = "done"
	}
	resolve := func(k objKey) string {
		if id, ok := newIDs[k.id]; ok {
			return id
		}
		return k.id
	}
	for _, s := range es {
		if s.action != "recreate" {
			continue
		}
		id, err := s.kind.create(ctx, substitute(s.v, newIDs))
		if id != "" {
			newIDs[s.at.id], newIDs[s.key.id] = id, id
			s.thing.NewID = id
			*made = append(*made, target{kind: s.key.kind, ids: []string{id}, fields: s.fields})
		}
		done(s, err)
	}
	byKind := map[*objectKind][]*undoStep{}
	var kinds []*objectKind
	for _, s := range es {
		if s.action != "restore" {
			continue
		}
		if _, ok := byKind[s.kind]; !ok {
			kinds = append(kinds, s.kind)
		}
		byKind[s.kind] = append(byKind[s.kind], s)
	}
	for _, k := range kinds {
		group := byKind[k]
		items := make([]setItem, len(group))
		for i, s := range group {
			items[i] = setItem{id: resolve(s.at), v: substitute(s.v, newIDs)}
		}
		if k.setMany != nil && (len(group) > 1 || k.set == nil) {
			errs := k.setMany(ctx, items)
			for i, s := range group {
				done(s, errs[items[i].id])
			}
			continue
		}
		for i, s := range group {
			done(s, k.set(ctx, items[i].id, items[i].v))
		}
	}
	for _, s := range es {
		if s.action == "remove" {
			done(s, s.kind.remove(ctx, resolve(s.at)))
		}
	}
}

// substitute replaces ids of objects brought back by their new ids, in
// string and list values.
func substitute(v values, newIDs map[string]string) values {
	if len(newIDs) == 0 {
		return v
	}
	out := make(values, len(v))
	for f, x := range v {
		switch t := x.(type) {
		case string:
			if n, ok := newIDs[t]; ok {
				x = n
			}
		default:
			if list, ok := vStrings(v, f); ok {
				mapped := make([]string, len(list))
				for i, s := range list {
					if n, ok := newIDs[s]; ok {
						s = n
					}
					mapped[i] = s
				}
				x = mapped
			}
		}
		out[f] = x
	}
	return out
}

func finishUndo(res *undoResult, steps [][]*undoStep) {
	for ci, es := range steps {
		c := &res.Changes[ci]
		c.Objects = c.Objects[:0]
		var did, failed, skipped int
		for _, s := range es {
			c.Objects = append(c.Objects, *s.thing)
			switch s.thing.Status {
			case "done", "would_do":
				did++
			case "failed":
				failed++
			default:
				skipped++
			}
		}
		res.Restored += did
		res.Failed += failed
		res.Skipped += skipped
		switch {
		case failed > 0 && did > 0:
			c.Status = "partly_undone"
		case failed > 0:
			c.Status = "failed"
		case did == 0:
			c.Status = "skipped"
		case res.DryRun:
			c.Status = "would_undo"
		case skipped > 0:
			c.Status = "partly_undone"
		default:
			c.Status = "undone"
		}
	}
}
