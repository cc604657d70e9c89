package sandbox

import "time"

// state is everything that changes: sessions, counters, controls, data.
type state struct{}

func newState(now time.Time) *state { return &state{} }
