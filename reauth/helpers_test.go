package reauth_test

import (
	"time"

	"github.com/cenkalti/backoff/v4"
)

type reauthBackOff = backoff.BackOff

// doubling is a deterministic backoff for tests: 1s, 2s, 4s…
type doubling struct{ next, start time.Duration }

func (d *doubling) NextBackOff() time.Duration {
	n := d.next
	d.next *= 2
	return n
}

func (d *doubling) Reset() {
	if d.start == 0 {
		d.start = d.next
	}
	d.next = d.start
}
