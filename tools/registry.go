package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// Kind says what a tool does to the user's data. It alone decides the
// tool's MCP annotations, so no tool can forget one (mcp-go's defaults mark
// every tool destructive).
type Kind int

const (
	// Read tools only look: readOnlyHint, not destructive, idempotent.
	Read Kind = iota
	// Write tools change data but never remove it.
	Write
	// Destructive tools remove or overwrite data: destructiveHint.
	Destructive
)

// Tool is one MCP tool: its definition and its handler, already wrapped
// with argument checking, [reauth.WithReauth] and error shaping. The only
// way to make one is [define], which is what makes "every tool that talks to
// Monarch re-authenticates" true by construction.
type Tool struct {
	def     mcp.Tool
	kind    Kind
	handler server.ToolHandlerFunc
	// journaled: the tool records its changes in the change journal.
	journaled bool
}

// Definition returns the tool as listed to clients.
func (t Tool) Definition() mcp.Tool { return t.def }

// Name returns the tool's name.
func (t Tool) Name() string { return t.def.Name }

// Kind returns what the tool does to data.
func (t Tool) Kind() Kind { return t.kind }

// NeedsSignIn reports whether the tool can only work with sign-in
// configured; without it, the tool answers [ErrNotConfigured]'s advice
// (check_auth_status along with its report). These are the tools that talk
// to Monarch, which is what openWorldHint says (see annotations).
func (t Tool) NeedsSignIn() bool { return *t.def.Annotations.OpenWorldHint }

// ServerTool returns the tool in the form mcp-go's server registers.
func (t Tool) ServerTool() server.ServerTool {
	return server.ServerTool{Tool: t.def, Handler: t.handler}
}

// spec is everything about a tool except its handler.
type spec struct {
	name  string
	title string
	// description is what the model reads to pick the tool; the registry
	// appends nothing, so say everything here.
	description string
	kind        Kind
	// idempotent: calling twice with the same arguments has no further
	// effect. Always true for Read tools.
	idempotent bool
	// params are mcp.With* options describing the arguments. Their names
	// must match the json names of the handler's argument struct (a test
	// checks).
	params []mcp.ToolOption
	// local marks a tool that never talks to Monarch (setup_authentication,
	// logout): it is not wrapped with WithReauth, since a call without a
	// session would otherwise sign in first, and it is not openWorld.
	local bool
	// wrapsOwnCalls marks a tool that talks to Monarch but wraps those
	// calls with WithReauth itself, so that it can answer before joining a
	// sign-in in progress (check_auth_status reports a sign-in's wait
	// instead of sharing it).
	wrapsOwnCalls bool
	// journaled marks a write recorded in the change journal (set by
	// defineWrite and defineParsedWrite).
	journaled bool
}

// validator is implemented by argument structs that check themselves after
// decoding; the handler then uses the fields as they are (validate may
// only tidy them, e.g. trim spaces). Errors should be *ArgError.
type validator interface {
	validate() error
}

// parser is implemented by argument structs whose handler works with
// something derived from them (dates, a page, a request to send): parse
// checks the arguments and returns that value, which is all the handler
// receives, so nothing is parsed twice and no handler can act on
// arguments that were not checked. Errors should be *ArgError.
type parser[P any] interface {
	parse() (P, error)
}

// define builds a Tool from its spec and handler. The handler receives
// decoded, validated arguments and returns a result struct (it becomes both
// the JSON text and structuredContent, and its type the output schema) or an
// error. The handler runs inside reauth.WithReauth, so an auth error from the
// API triggers one re-login and one retry; every error left after that is
// turned into an isError result that says what to do next.
func define[A, R any](d *deps, s spec, h func(ctx context.Context, args A) (R, error)) Tool {
	return register(d, s, decodeArgs[A], h, nil)
}

// defineParsed is define for argument structs that implement parser: the
// handler receives what A's parse returns. A is named at the call, e.g.
// defineParsed[rangeArgs](d, spec, h).
func defineParsed[A parser[P], P, R any](d *deps, s spec, h func(ctx context.Context, args P) (R, error)) Tool {
	return register(d, s, parseArgs[A], h, nil)
}

// defineReporting is define for tools whose failures still have something
// to report: report(err) becomes the isError result's structuredContent and
// is appended to its text. check_auth_status uses it to show the session's
// state when signing in fails.
func defineReporting[A, R any](d *deps, s spec, h func(ctx context.Context, args A) (R, error), report func(error) R) Tool {
	return register(d, s, decodeArgs[A], h, report)
}

// register is the one registration path: decode turns a call's arguments
// into what the handler receives.
func register[P, R any](d *deps, s spec, decode func(map[string]any) (P, error), h func(ctx context.Context, args P) (R, error), report func(error) R) Tool {
	if d.outline != nil && d.outline(s.name) {
		return Tool{def: mcp.Tool{Name: s.name, Annotations: annotations(s)}, kind: s.kind}
	}
	schema := outputSchema[R]()
	if js := generatedOutputSchema(s.name); js != "" && !d.reflectSchemas {
		schema = rawOutputSchema(js)
	}
	opts := []mcp.ToolOption{
		mcp.WithDescription(s.description),
		mcp.WithToolTitle(s.title),
		mcp.WithToolAnnotation(annotations(s)),
		schema,
		// Unknown arguments are refused by decodeArgs; say so in the schema.
		mcp.WithSchemaAdditionalProperties(false),
	}
	opts = append(opts, s.params...)
	def := mcp.NewTool(s.name, opts...)

	call := h
	if !s.local && !s.wrapsOwnCalls {
		call = reauth.WithReauth(d.auth, h)
	}
	var configured func() error
	if !s.local {
		configured = d.configured
	}
	input := def.InputSchema
	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		start := time.Now()
		res := run(ctx, req, input, configured, decode, call, report)
		logCall(ctx, d.logger, s.name, start, res)
		return res, nil
	}
	return Tool{def: def, kind: s.kind, handler: handler, journaled: s.journaled}
}

// run decodes and checks arguments (before any login: a bad date is not
// worth one), calls the wrapped handler and shapes the outcome. configured,
// if not nil, comes first: without sign-in configured nothing else can help,
// and WithReauth would otherwise try a login that cannot succeed.
func run[P, R any](ctx context.Context, req mcp.CallToolRequest, schema mcp.ToolInputSchema, configured func() error,
	decode func(map[string]any) (P, error), call func(context.Context, P) (R, error), report func(error) R) *mcp.CallToolResult {
	if configured != nil {
		if err := configured(); err != nil {
			return failure(err, report)
		}
	}
	raw := req.GetArguments()
	for _, name := range schema.Required {
		if v, ok := raw[name]; !ok || v == nil {
			return errorResult(&ArgError{Param: name, Msg: "is required"})
		}
	}
	if err := checkArgBounds(schema.Properties, raw); err != nil {
		return errorResult(err)
	}
	args, err := decode(raw)
	if err != nil {
		return errorResult(err)
	}
	res, err := call(ctx, args)
	if err != nil {
		return failure(withCause(ctx, err), report)
	}
	text, err := json.Marshal(res)
	if err != nil {
		return errorResult(fmt.Errorf("encode result: %w", err))
	}
	return mcp.NewToolResultStructured(res, string(text))
}

// failure is the isError result for err, with report's structured state
// when the tool has one.
func failure[R any](err error, report func(error) R) *mcp.CallToolResult {
	if report == nil {
		return errorResult(err)
	}
	r := report(err)
	text, jerr := json.Marshal(r)
	if jerr != nil {
		return errorResult(err)
	}
	out := mcp.NewToolResultStructured(r, explain(err)+"\n"+string(text))
	out.IsError = true
	return out
}

func annotations(s spec) mcp.ToolAnnotation {
	readOnly := s.kind == Read
	destructive := s.kind == Destructive
	idempotent := s.idempotent || readOnly
	openWorld := !s.local // every other tool talks to Monarch
	return mcp.ToolAnnotation{
		Title:           s.title,
		ReadOnlyHint:    &readOnly,
		DestructiveHint: &destructive,
		IdempotentHint:  &idempotent,
		OpenWorldHint:   &openWorld,
	}
}

func logCall(ctx context.Context, logger *slog.Logger, name string, start time.Time, res *mcp.CallToolResult) {
	dur := time.Since(start).Round(time.Millisecond)
	if res.IsError {
		// Error texts are built to be secret-free (see errorResult); the
		// arguments are household data and are not logged.
		logger.WarnContext(ctx, "tool call failed", "tool", name, "duration", dur, "error", resultText(res))
		return
	}
	logger.DebugContext(ctx, "tool call", "tool", name, "duration", dur)
}

func resultText(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// decodeArgs turns the request's arguments into A, refusing unknown names
// and wrong types with messages naming the parameter, then runs A's own
// checks.
func decodeArgs[A any](raw map[string]any) (A, error) {
	var a A
	if raw == nil {
		raw = map[string]any{}
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return a, &ArgError{Msg: "arguments are not a JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return a, decodeError[A](err)
	}
	if v, ok := any(&a).(validator); ok {
		if err := v.validate(); err != nil {
			return a, err
		}
	}
	return a, nil
}

// parseArgs decodes A and returns what its parse makes of it.
func parseArgs[A parser[P], P any](raw map[string]any) (P, error) {
	a, err := decodeArgs[A](raw)
	if err != nil {
		var zero P
		return zero, err
	}
	return a.parse()
}

func decodeError[A any](err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := te.Type
		if f, ok := fieldType(reflect.TypeFor[A](), te.Field); ok {
			want = f // for a bad array item, name the array's type
		}
		return &ArgError{Param: te.Field, Msg: "must be " + monarch.JSONKind(want) + " (got " + te.Value + ")"}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return &ArgError{Msg: fmt.Sprintf("unknown parameter %s; this tool takes: %s", name, strings.Join(paramNames[A](), ", "))}
	}
	return &ArgError{Msg: "arguments could not be read: " + err.Error()}
}

// paramNames lists the json names of A's fields.
func paramNames[A any]() []string {
	names := fieldNames(reflect.TypeFor[A]())
	slices.Sort(names)
	return names
}

// fieldType finds the type of the field with json name name.
func fieldType(t reflect.Type, name string) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	for f := range t.Fields() {
		n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && n == "" {
			if ft, ok := fieldType(f.Type, name); ok {
				return ft, true
			}
			continue
		}
		if n == name {
			return f.Type, true
		}
	}
	return nil, false
}

func fieldNames(t reflect.Type) []string {
	if t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous && name == "":
			names = append(names, fieldNames(f.Type)...)
		case name != "" && name != "-":
			names = append(names, name)
		}
	}
	return names
}

//go:generate env UPDATE_OUTPUTSCHEMAS=1 go test -run ^TestGeneratedOutputSchemas$ .

// rawOutputSchema sets a tool's output schema to js, the JSON that
// outputSchema's schema marshals to, generated ahead of time
// (outputschemas_gen.go): deriving the schemas by reflection is most of
// the cost of building the tools.
func rawOutputSchema(js string) mcp.ToolOption {
	return func(t *mcp.Tool) {
		t.OutputSchema = mcp.ToolOutputSchema{}
		t.RawOutputSchema = json.RawMessage(js)
	}
}

// outputSchema is mcp.WithOutputSchema[R] without its JSON round trip
// (marshal the generated schema, unmarshal it into the tool): the schema
// values are kept as generated and marshalled only when a client lists the
// tools. With ~50 tools the round trip was most of the server's start-up
// time. Nullable values are then written portably (see portable).
// TestOutputSchemaSameJSON checks that clients see the same JSON otherwise.
func outputSchema[R any]() mcp.ToolOption {
	return func(t *mcp.Tool) {
		s, err := jsonschema.For[R](&jsonschema.ForOptions{IgnoreInvalidTypes: true})
		if err != nil {
			// Result types are ours and tested; fall back rather than fail.
			mcp.WithOutputSchema[R]()(t)
			return
		}
		portable(reflect.TypeFor[R](), s)
		props := make(map[string]any, len(s.Properties))
		for k, v := range s.Properties {
			props[k] = v
		}
		var defs map[string]any
		if len(s.Defs) > 0 {
			defs = make(map[string]any, len(s.Defs))
			for k, v := range s.Defs {
				defs[k] = v
			}
		}
		t.OutputSchema = mcp.ToolOutputSchema{Type: "object", Properties: props, Required: s.Required, Defs: defs}
		if s.AdditionalProperties != nil {
			t.OutputSchema.AdditionalProperties = s.AdditionalProperties
		}
	}
}
