package monarch

// Internals exposed to the external test package.
var (
	ClampedBackoff = clampedBackoff
	// Queries is the text of every query file New loaded, by base name.
	Queries = func(c *Client) map[string]string { return c.queries }
)
