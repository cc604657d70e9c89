package tools

import (
	"context"
	"slices"
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
		read: func(ctx context.Context, ids []string) (map[string]values, error) {
			ss, err := d.c.GetRecurringStreams(ctx)
			if err != nil {
				return nil, err
			}
			out := make(map[string]values, len(ids))
			for _, s := range ss {
				if slices.Contains(ids, s.ID) {
					out[s.ID] = values{streamReview: s.ReviewStatus}
				}
			}
			return out, nil
		},
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
