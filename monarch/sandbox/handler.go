package sandbox

import "net/http"

// ServeHTTP routes /auth/login/ and /graphql.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	http.NotFound(w, r)
}
