package monarch

import "slices"

// Internals exposed to the external test package.
var (
	ClampedBackoff = clampedBackoff
	QueryFile      = func(c *Client, file string) string { return c.queries[file] }
	// OperationNames lists every GraphQL operation the client can send.
	OperationNames = func() []string {
		var names []string
		for _, o := range slices.Concat(allOperations, rulesOperations, catOperations, goalOperations) {
			if !slices.Contains(names, o.name) {
				names = append(names, o.name)
			}
		}
		return names
	}
)
