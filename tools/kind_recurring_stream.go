package tools

import (
	"context"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// Recurring streams in the change journal: their review status
// (approved, ignored or pending), which is all a write of ours changes.

const kindStream = "recurring_stream"

// streamReview is the stream field the journal records.
const streamReview = "review_status"

func streamKind(d *deps) *objectKind {
	return &objectKind{
		name:   kindStream,
		fields: []string{streamReview},
		read: readListed(d.c.GetRecurringStreams, func(s monarch.StreamReview) string { return s.ID },
			func(s monarch.StreamReview) values { return values{streamReview: s.ReviewStatus} }),
		set: func(ctx context.Context, id string, v values) error {
			status, ok := vString(v, streamReview)
			if !ok {
				return nil
			}
			_, err := d.c.ReviewRecurringStream(ctx, id, status)
			return err
		},
	}
}
