package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ServeHTTP routes /auth/login/, /graphql and the balance-history upload;
// anything else is 404.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/auth/login/":
		s.serveLogin(w, r)
	case "/graphql", "/graphql/":
		s.serveGraphQL(w, r)
	case balanceUploadPath:
		s.serveBalanceUpload(w, r)
	default:
		writeJSON(w, http.StatusNotFound, detail("Not found.", ""))
	}
}

// gqlRequest is a GraphQL POST body. The query text is not parsed: the
// operation name decides the answer.
type gqlRequest struct {
	OperationName string         `json:"operationName"`
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
}

// gqlError is one entry of a GraphQL response's errors list.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []string       `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// errorResponse is {"data": null, "errors": [...]}.
func errorResponse(msg, code string) map[string]any {
	return map[string]any{"data": nil, "errors": []gqlError{{Message: msg, Extensions: map[string]any{"code": code}}}}
}

// requestError is a GraphQL error an operation reports for bad input (HTTP 200).
type requestError struct {
	msg, code string
}

func (e *requestError) Error() string { return e.msg }

// serveGraphQL implements POST /graphql: counts, injected faults, auth, then
// the operation.
func (s *Sandbox) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, OPTIONS")
		writeJSON(w, http.StatusMethodNotAllowed, detail("Method \""+r.Method+"\" not allowed.", ""))
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	var req gqlRequest
	if err == nil {
		err = json.Unmarshal(raw, &req)
	}

	s.lock()
	s.st.requestsTotal++
	s.st.requests[req.OperationName]++
	var fault *Fault
	if len(s.st.faults) > 0 {
		f := s.st.faults[0].f
		fault = &f
		if s.st.faults[0].n--; s.st.faults[0].n == 0 {
			s.st.faults = s.st.faults[1:]
		}
	}
	s.mu.Unlock()

	if fault != nil {
		if done := s.applyFault(w, r, fault); done {
			return
		}
		if fault.Truncated {
			rec := &recorder{header: http.Header{}}
			s.answerGraphQL(rec, r, &req, err)
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body.Bytes()[:rec.body.Len()/2])
			return
		}
	}
	s.answerGraphQL(w, r, &req, err)
}

// applyFault waits out the fault's delay and answers with it; it reports
// whether the response is done.
func (s *Sandbox) applyFault(w http.ResponseWriter, r *http.Request, f *Fault) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true // the client gave up; nobody reads an answer
		}
	}
	switch {
	case f.Reset:
		resetConnection(w)
		return true
	case f.Status != 0:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		msg := http.StatusText(f.Status)
		switch f.Status {
		case http.StatusUnauthorized:
			msg = "Invalid token."
		case http.StatusForbidden:
			msg = "CSRF Failed: CSRF token incorrect."
		case http.StatusTooManyRequests:
			msg = "Request was throttled."
			if secs, err := strconv.Atoi(f.RetryAfter); err == nil {
				msg += " Expected available in " + strconv.Itoa(secs) + " seconds."
			}
		}
		writeJSON(w, f.Status, detail(msg, ""))
		return true
	case f.Unauthenticated:
		writeJSON(w, http.StatusOK, errorResponse("You must be authenticated to perform this action.", "UNAUTHENTICATED"))
		return true
	case f.Malformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
		return true
	}
	return false
}

// resetConnection closes the client's connection without an answer, with
// SO_LINGER 0 so the peer sees a reset rather than a clean EOF.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// Not hijackable (e.g. HTTP/2 or a recorder): abort the handler,
		// which net/http turns into a broken response.
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// answerGraphQL authenticates and runs the operation.
func (s *Sandbox) answerGraphQL(w http.ResponseWriter, r *http.Request, req *gqlRequest, parseErr error) {
	s.lock()
	defer s.mu.Unlock()
	if f := s.authenticateLocked(r); f != nil {
		writeJSON(w, f.status, f.body)
		return
	}
	if parseErr != nil {
		writeJSON(w, http.StatusBadRequest, errorResponse("Request body is not valid JSON.", "BAD_REQUEST"))
		return
	}
	op := operations[req.OperationName]
	if op == nil {
		msg := "Unknown operation named \"" + req.OperationName + "\"."
		if req.OperationName == "" {
			msg = "Must provide operation name."
		}
		writeJSON(w, http.StatusBadRequest, errorResponse(msg, "GRAPHQL_VALIDATION_FAILED"))
		return
	}
	data, err := op(s, vars(req.Variables))
	if err != nil {
		code := "BAD_USER_INPUT"
		if re, ok := err.(*requestError); ok && re.code != "" {
			code = re.code
		}
		writeJSON(w, http.StatusOK, errorResponse(err.Error(), code))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

// recorder buffers a response so a fault can cut it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// vars reads GraphQL variables leniently, like a GraphQL server coercing
// input: absent and null are the same.
type vars map[string]any

func (v vars) obj(name string) vars {
	m, _ := v[name].(map[string]any)
	return vars(m)
}

func (v vars) has(name string) bool {
	x, ok := v[name]
	return ok && x != nil
}

func (v vars) str(name string) string {
	switch x := v[name].(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func (v vars) strs(name string) []string {
	xs, _ := v[name].([]any)
	var out []string
	for _, x := range xs {
		switch x := x.(type) {
		case string:
			out = append(out, x)
		case float64:
			out = append(out, strconv.FormatFloat(x, 'f', -1, 64))
		}
	}
	return out
}

func (v vars) boolp(name string) *bool {
	b, ok := v[name].(bool)
	if !ok {
		return nil
	}
	return &b
}

func (v vars) num(name string) (float64, bool) {
	switch x := v[name].(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

func (v vars) intOr(name string, def int) int {
	if f, ok := v.num(name); ok {
		return int(f)
	}
	return def
}
