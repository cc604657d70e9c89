package tools

// explainAPI words errors specific to the Monarch API client.
func explainAPI(err error) (string, bool) {
	return "", false
}
