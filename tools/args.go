package tools

import (
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

const (
	dateLayout  = "2006-01-02"
	monthLayout = "2006-01"

	defaultLimit = 100
	maxLimit     = 1000
)

// Bounds on text and lists, shared by every tool so that one kind of
// argument has one limit. They go into the input schemas (maxLength,
// maxItems), where clients see them, and checkBounds enforces whatever a
// schema says, so a runaway argument is refused here with a clear message
// instead of being sent on to Monarch.
const (
	// maxSearchLen bounds search text (get_transactions.search,
	// search_transactions.query, get_merchant.search): longer text is no
	// search a person would type.
	maxSearchLen = 200
	// maxIDLen bounds one id: Monarch's are numbers of about 18 digits.
	maxIDLen = 64
	// maxIDs bounds an id list, like every batch.
	maxIDs = maxBatch
	// maxIconLen bounds an icon: one emoji, which may be a sequence of a
	// few code points (flags, skin tones, families).
	maxIconLen = 16
	// maxWordLen bounds short words such as a recurrence or an account type.
	maxWordLen = 64
)

// parseDate checks a YYYY-MM-DD argument. Empty is allowed (zero time).
func parseDate(param, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, argErrorf(param, fmt.Sprintf("must be a date in YYYY-MM-DD form, e.g. 2026-07-31 (got %q)", s))
	}
	return t, nil
}

// parseMonth checks a YYYY-MM argument (a full date is accepted and cut to
// its month). Empty is allowed (zero time).
func parseMonth(param, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(dateLayout, s); err == nil {
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(monthLayout, s)
	if err != nil {
		return time.Time{}, argErrorf(param, fmt.Sprintf("must be a month in YYYY-MM form, e.g. 2026-07 (got %q)", s))
	}
	return t, nil
}

// dateSpan is a checked start_date/end_date pair. A zero time was not
// given: each tool has its own default.
type dateSpan struct{ start, end time.Time }

// parseSpan checks an optional start_date/end_date pair.
func parseSpan(start, end string) (dateSpan, error) {
	s, err := parseDate("start_date", start)
	if err != nil {
		return dateSpan{}, err
	}
	e, err := parseDate("end_date", end)
	if err != nil {
		return dateSpan{}, err
	}
	if !s.IsZero() && !e.IsZero() && e.Before(s) {
		return dateSpan{}, &ArgError{Msg: fmt.Sprintf("end_date (%s) is before start_date (%s)", end, start)}
	}
	return dateSpan{start: s, end: e}, nil
}

// defaultRange fills a missing range with the month so far or the given
// default span ending today.
func defaultRange(start, end, today time.Time, span func(today time.Time) time.Time) (time.Time, time.Time) {
	if end.IsZero() {
		end = today
		if !start.IsZero() && start.After(end) {
			end = start
		}
	}
	if start.IsZero() {
		start = span(end)
		if start.After(end) {
			start = end
		}
	}
	return start, end
}

// startOfMonth is a span for defaultRange: the first of end's month.
func startOfMonth(end time.Time) time.Time {
	return time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// paging is a checked limit and offset.
type paging struct{ limit, offset int }

// parsePaging checks limit (nil = default) and offset.
func parsePaging(limit *int, offset int) (paging, error) {
	l := defaultLimit
	if limit != nil {
		l = *limit
	}
	if l < 1 || l > maxLimit {
		return paging{}, argErrorf("limit", fmt.Sprintf("must be between 1 and %d (got %d)", maxLimit, l))
	}
	if offset < 0 {
		return paging{}, argErrorf("offset", fmt.Sprintf("must be 0 or more (got %d)", offset))
	}
	return paging{limit: l, offset: offset}, nil
}

// checkIDs refuses empty or blank ids in a list.
func checkIDs(param string, ids []string) error {
	for i, id := range ids {
		if strings.TrimSpace(id) == "" {
			return argErrorf(param, fmt.Sprintf("has an empty id at position %d", i))
		}
	}
	return nil
}

// checkBounds refuses a value beyond its schema's maxLength or maxItems,
// following arrays' items and objects' properties, so that the limits
// clients see are the limits enforced. Values of the wrong type are left
// to decodeArgs, which names the expected type.
func checkBounds(param string, schema map[string]any, v any) error {
	switch v := v.(type) {
	case string:
		if max, ok := schema["maxLength"].(int); ok {
			return checkLen(param, v, max)
		}
	case []any:
		if max, ok := schema["maxItems"].(int); ok && len(v) > max {
			return argErrorf(param, fmt.Sprintf("holds %d items; at most %d per call: split the work into several calls", len(v), max))
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, item := range v {
				if err := checkBounds(fmt.Sprintf("%s[%d]", param, i), items, item); err != nil {
					return err
				}
			}
		}
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for name, item := range v {
			if ps, ok := props[name].(map[string]any); ok {
				if err := checkBounds(param+"."+name, ps, item); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// checkArgBounds applies checkBounds to each argument of a tool call.
func checkArgBounds(props, raw map[string]any) error {
	for name, v := range raw {
		if ps, ok := props[name].(map[string]any); ok {
			if err := checkBounds(name, ps, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// requireID refuses a missing id.
func requireID(param, id, where string) error {
	if strings.TrimSpace(id) == "" {
		return argErrorf(param, "is required; "+where)
	}
	return nil
}

// Parameter helpers: one wording for parameters that many tools share.

func dateParam(name, desc string, opts ...mcp.PropertyOption) mcp.ToolOption {
	return mcp.WithString(name, append([]mcp.PropertyOption{
		mcp.Description(desc + " (YYYY-MM-DD)"),
		mcp.Pattern(`^\d{4}-\d{2}-\d{2}$`),
		mcp.MaxLength(len(dateLayout)),
	}, opts...)...)
}

func monthParam(name, desc string, opts ...mcp.PropertyOption) mcp.ToolOption {
	return mcp.WithString(name, append([]mcp.PropertyOption{
		mcp.Description(desc + " (YYYY-MM)"),
		mcp.Pattern(`^\d{4}-\d{2}(-\d{2})?$`),
		mcp.MaxLength(len(dateLayout)),
	}, opts...)...)
}

// idParam is one id argument.
func idParam(name, desc string, opts ...mcp.PropertyOption) mcp.ToolOption {
	return mcp.WithString(name, append([]mcp.PropertyOption{mcp.Description(desc), mcp.MaxLength(maxIDLen)}, opts...)...)
}

// idsParam is a list of ids.
func idsParam(name, desc string, opts ...mcp.PropertyOption) mcp.ToolOption {
	return mcp.WithArray(name, append([]mcp.PropertyOption{
		mcp.Description(desc), mcp.WithStringItems(mcp.MaxLength(maxIDLen)), mcp.MaxItems(maxIDs),
	}, opts...)...)
}

// searchParam is search text.
func searchParam(name, desc string) mcp.ToolOption {
	return mcp.WithString(name, mcp.Description(desc), mcp.MaxLength(maxSearchLen))
}

func limitParams() []mcp.ToolOption {
	return []mcp.ToolOption{
		mcp.WithInteger("limit", mcp.Description(fmt.Sprintf("Maximum number of results to return (1-%d, default %d).", maxLimit, defaultLimit)),
			mcp.Min(1), mcp.Max(maxLimit), mcp.DefaultNumber(defaultLimit)),
		mcp.WithInteger("offset", mcp.Description("Number of results to skip, for paging: pass the previous result's next_offset."),
			mcp.Min(0), mcp.DefaultNumber(0)),
	}
}

// list describes a list result so that the model can tell whether it saw
// everything. Every tool returning a list embeds it.
type list struct {
	// Count is the number of items in this result.
	Count int `json:"count" jsonschema:"number of items in this result"`
	// TotalCount is the number of items that match, over all pages.
	TotalCount int `json:"total_count" jsonschema:"number of items matching the request over all pages"`
	// Truncated is true when more items match than this result holds.
	Truncated bool `json:"truncated" jsonschema:"true when more items match than this result holds"`
	// NextOffset is the offset for the next page, present when truncated.
	NextOffset *int `json:"next_offset,omitempty" jsonschema:"offset to pass for the next page, present only when truncated"`
}

// fullList describes a list returned whole.
func fullList(n int) list { return list{Count: n, TotalCount: n} }

// pageList describes one page of a larger list.
func pageList(count, total, offset int) list {
	l := list{Count: count, TotalCount: total}
	if next := offset + count; next < total && count > 0 {
		l.Truncated = true
		l.NextOffset = &next
	}
	return l
}
