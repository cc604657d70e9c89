package monarch_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
)

// monarchSchema is Monarch's own schema (testdata/README.md): what Monarch
// accepts, whatever the sandbox answers. Parsed once per test binary because
// it is large.
var monarchSchema = sync.OnceValues(func() (*ast.Schema, error) {
	const path = "testdata/monarch.graphql"
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return gqlparser.LoadSchema(&ast.Source{Name: path, Input: string(b)})
})

// checkAgainstSchema reports why Monarch would refuse a request with this
// query text, operation name and variables, or nil if it would accept it.
func checkAgainstSchema(query, operationName string, vars map[string]any) error {
	schema, err := monarchSchema()
	if err != nil {
		return fmt.Errorf("load Monarch's schema: %w", err)
	}
	doc, errs := gqlparser.LoadQuery(schema, query)
	if len(errs) > 0 {
		return fmt.Errorf("%s: query does not match Monarch's schema: %w", operationName, errs)
	}
	op := doc.Operations.ForName(operationName)
	if op == nil {
		return fmt.Errorf("%s: query text has no operation of that name", operationName)
	}
	var problems []error
	for k := range vars {
		// VariableValues ignores undeclared variables; Monarch refuses them.
		if op.VariableDefinitions.ForName(k) == nil {
			problems = append(problems, fmt.Errorf("sends undeclared $%s", k))
		}
	}
	// VariableValues coerces in place: check a copy so the caller's
	// variables are left as sent.
	if _, err := validator.VariableValues(schema, op, deepCopy(vars).(map[string]any)); err != nil {
		problems = append(problems, err)
	}
	for _, def := range op.VariableDefinitions {
		problems = append(problems, strictScalars(schema, def.Type, vars[def.Variable], "$"+def.Variable)...)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: variables do not match Monarch's schema: %w", operationName, errors.Join(problems...))
	}
	return nil
}

// strictScalars checks what validator.VariableValues lets through but
// Monarch's server does not: enum values in another case (it compares them
// case-insensitively) and custom scalars (it accepts any value for them).
func strictScalars(schema *ast.Schema, typ *ast.Type, v any, path string) []error {
	if v == nil {
		return nil
	}
	if typ.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			return strictScalars(schema, typ.Elem, v, path)
		}
		var errs []error
		for i, e := range list {
			errs = append(errs, strictScalars(schema, typ.Elem, e, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return errs
	}
	def := schema.Types[typ.NamedType]
	if def == nil {
		return nil
	}
	switch def.Kind {
	case ast.Enum:
		if s, _ := v.(string); def.EnumValues.ForName(s) == nil {
			return []error{fmt.Errorf("%s: %v is not one of %s's values %s", path, v, def.Name, enumNames(def))}
		}
	case ast.Scalar:
		if def.Name == "Date" {
			if s, _ := v.(string); !isDate(s) {
				return []error{fmt.Errorf("%s: %v is not a Date (YYYY-MM-DD)", path, v)}
			}
		}
	case ast.InputObject:
		m, _ := v.(map[string]any)
		var errs []error
		for _, f := range def.Fields {
			errs = append(errs, strictScalars(schema, f.Type, m[f.Name], path+"."+f.Name)...)
		}
		return errs
	}
	return nil
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func enumNames(def *ast.Definition) string {
	var names []string
	for _, e := range def.EnumValues {
		names = append(names, e.Name)
	}
	return strings.Join(names, ", ")
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// TestQueryFilesMatchSchema checks every embedded query file on its own, so
// an operation no test sends is still checked against Monarch's schema.
func TestQueryFilesMatchSchema(t *testing.T) {
	schema, err := monarchSchema()
	if err != nil {
		t.Fatalf("load Monarch's schema: %v", err)
	}
	files, err := fs.Glob(os.DirFS("queries"), "*.graphql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no query files: %v", err)
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("queries", file))
			if err != nil {
				t.Fatal(err)
			}
			doc, errs := gqlparser.LoadQuery(schema, string(b))
			if len(errs) > 0 {
				t.Fatalf("%s does not match Monarch's schema: %v", file, errs)
			}
			if len(doc.Operations) != 1 {
				t.Fatalf("%s holds %d operations, want one", file, len(doc.Operations))
			}
		})
	}
}

// TestSchemaCheckCatches keeps checkAgainstSchema honest: each request here
// is one Monarch refuses.
func TestSchemaCheckCatches(t *testing.T) {
	const transactions = `query GetTransactionsList($orderBy: TransactionOrdering, $filters: TransactionFilterInput) { allTransactions(filters: $filters) { results(orderBy: $orderBy) { id } } }`
	const stream = `mutation Web_ReviewStream($input: ReviewRecurringStreamInput!) { reviewRecurringStream(input: $input) { stream { id } } }`
	for _, tc := range []struct {
		name, query, op string
		vars            map[string]any
		want            string
	}{
		{"unknown field", `query Common_GetMe { me { id nickname } }`, "Common_GetMe", nil, `Cannot query field "nickname"`},
		{"other operation", `query Common_GetMe { me { id } }`, "GetMe", nil, "no operation of that name"},
		{"undeclared variable", `query Common_GetMe { me { id } }`, "Common_GetMe", map[string]any{"id": "1"}, "undeclared $id"},
		{"missing required", stream, "Web_ReviewStream", map[string]any{}, "must be defined"},
		{"unknown input field", stream, "Web_ReviewStream", map[string]any{"input": map[string]any{"streamId": "1", "reviewStatus": "approved", "status": "x"}}, "unknown field"},
		{"wrong type", transactions, "GetTransactionsList", map[string]any{"filters": map[string]any{"search": 3.0}}, "cannot use float64 as String"},
		{"enum case", transactions, "GetTransactionsList", map[string]any{"orderBy": "DATE"}, "not one of TransactionOrdering's values"},
		{"date", transactions, "GetTransactionsList", map[string]any{"filters": map[string]any{"startDate": "2026-01"}}, "$filters.startDate: 2026-01 is not a Date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkAgainstSchema(tc.query, tc.op, tc.vars)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), tc.op+": ") {
				t.Errorf("got %v, want an error naming %s and saying %q", err, tc.op, tc.want)
			}
		})
	}
	if err := checkAgainstSchema(transactions, "GetTransactionsList", map[string]any{"orderBy": "date", "filters": map[string]any{"startDate": "2026-01-01"}}); err != nil {
		t.Errorf("a valid request is refused: %v", err)
	}
}
