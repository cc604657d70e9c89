package monarch

// Internals exposed to the external test package.
var (
	ClampedBackoff = clampedBackoff
	QueryFile      = func(c *Client, file string) string { return c.queries[file] }
)
