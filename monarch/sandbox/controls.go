package sandbox

// ExpireSessions ends every session issued so far: later GraphQL requests
// with them answer 401 (cookie style: 403 CSRF failure for stale CSRF pairs,
// otherwise 401).
func (s *Sandbox) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
}

// ExpireAfterRequests makes every live session die after n more GraphQL
// requests (counting requests by any session).
func (s *Sandbox) ExpireAfterRequests(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
}

// SetLoginOutcome forces the answer of all later logins until changed.
// LoginOK restores normal credential checking.
func (s *Sandbox) SetLoginOutcome(o LoginOutcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
}

// Inject makes the next n GraphQL requests fail with f.
func (s *Sandbox) Inject(f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
}

// Logins reports how many logins succeeded.
func (s *Sandbox) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return 0
}

// LoginAttempts reports how many requests reached /auth/login/.
func (s *Sandbox) LoginAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return 0
}

// Requests reports how many GraphQL requests named operation were received
// ("" counts all), including those refused or faulted.
func (s *Sandbox) Requests(operation string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return 0
}

// BrowserCookieHeader returns a new valid cookie-style session as the Cookie
// header a signed-in browser would send, e.g. for MONARCH_COOKIES tests.
// It is accepted whatever the Sandbox's Style.
func (s *Sandbox) BrowserCookieHeader() string {
	return ""
}

// IssueToken returns a new valid token-style session, e.g. for MONARCH_TOKEN
// tests. It is accepted only in StyleToken.
func (s *Sandbox) IssueToken() string {
	return ""
}
