package sandbox

import "time"

// ExpireSessions ends every session issued so far: later GraphQL requests
// with them answer 401 {"detail": "Invalid token."}. Sessions issued
// afterwards (by a new login, IssueToken or BrowserCookieHeader) are valid.
func (s *Sandbox) ExpireSessions() {
	s.lock()
	defer s.mu.Unlock()
	for _, sess := range s.st.sessions {
		sess.dead = true
	}
}

// ExpireAfterRequests limits every session, live and future, to n more
// authenticated GraphQL requests: the first n succeed, the next answers 401
// and the session is dead. A fresh login gets a fresh allowance of n, so a
// client that re-logs in keeps working and Logins counts the renewals.
// n <= 0 removes the limit.
func (s *Sandbox) ExpireAfterRequests(n int) {
	s.lock()
	defer s.mu.Unlock()
	if n <= 0 {
		n = -1
	}
	s.st.requestBudget = n
	for _, sess := range s.st.sessions {
		if !sess.dead {
			sess.remaining = n
		}
	}
}

// SetLoginOutcome forces the answer of all later logins until changed;
// LoginOK restores normal credential checking. Forced answers count as
// attempts, never as successful logins.
func (s *Sandbox) SetLoginOutcome(o LoginOutcome) {
	s.lock()
	defer s.mu.Unlock()
	s.st.outcome = o
}

// Inject makes the next n GraphQL requests fail with f (after any faults
// injected before and not yet used up). n <= 0 does nothing.
func (s *Sandbox) Inject(f Fault, n int) {
	if n <= 0 {
		return
	}
	s.lock()
	defer s.mu.Unlock()
	s.st.faults = append(s.st.faults, pendingFault{f: f, n: n})
}

// Logins reports how many logins succeeded.
func (s *Sandbox) Logins() int {
	s.lock()
	defer s.mu.Unlock()
	return s.st.logins
}

// LoginAttempts reports how many requests reached /auth/login/, whatever
// their answer.
func (s *Sandbox) LoginAttempts() int {
	s.lock()
	defer s.mu.Unlock()
	return s.st.attempts
}

// Requests reports how many GraphQL requests named operation were received,
// including refused and faulted ones; "" counts all GraphQL requests.
// Balance-history uploads count under "/account-balance-history/upload/"
// (and in the total).
func (s *Sandbox) Requests(operation string) int {
	s.lock()
	defer s.mu.Unlock()
	if operation == "" {
		return s.st.requestsTotal
	}
	return s.st.requests[operation]
}

// BrowserCookieHeader returns a new valid cookie-style session as the Cookie
// header a signed-in browser sends ("session_id=…; csrftoken=…" among other
// cookies), e.g. for MONARCH_COOKIES tests. Browser sessions are accepted
// whatever the Sandbox's Style, are long-lived unless Options.SessionTTL is
// set, and are not bound to a device id.
func (s *Sandbox) BrowserCookieHeader() string {
	s.lock()
	defer s.mu.Unlock()
	sess := s.newSessionLocked(StyleCookie, "", s.sessionExpiryLocked(true))
	return "_ga=GA1.1.123456789.1700000000; csrftoken=" + sess.csrf +
		"; session_id=" + sess.key + "; ajs_anonymous_id=demo"
}

// IssueToken returns a new valid token-style session, e.g. for MONARCH_TOKEN
// tests. Only a StyleToken Sandbox accepts it; it is not bound to a device id.
func (s *Sandbox) IssueToken() string {
	s.lock()
	defer s.mu.Unlock()
	return s.newSessionLocked(StyleToken, "", s.sessionExpiryLocked(true)).key
}

// sessionExpiryLocked returns when a new session dies: never (zero) for a
// trusted device without SessionTTL, after SessionTTL if set, else after an
// hour, as Monarch does for untrusted devices.
func (s *Sandbox) sessionExpiryLocked(trusted bool) time.Time {
	switch {
	case s.opts.SessionTTL > 0:
		return s.now().Add(s.opts.SessionTTL)
	case trusted:
		return time.Time{}
	default:
		return s.now().Add(untrustedTTL)
	}
}
