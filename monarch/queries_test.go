package monarch_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// TestOperationFilesExist reads the package's source for the operations it
// declares (op and opAtMostOnce calls) and checks that each names a query
// file New loaded, and that every loaded file belongs to an operation.
func TestOperationFilesExist(t *testing.T) {
	c, err := monarch.New(monarch.Config{})
	if err != nil {
		t.Fatal(err)
	}
	queries := monarch.Queries(c)
	if len(queries) == 0 {
		t.Fatal("no query files loaded")
	}
	srcs, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	fset := token.NewFileSet()
	for _, src := range srcs {
		if strings.HasSuffix(src, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, src, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok || fn.Name != "op" && fn.Name != "opAtMostOnce" || len(call.Args) != 1 {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				return true // op's own uses, such as op(file) in loadQueries
			}
			file, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
			}
			used[file] = true
			if _, ok := queries[file]; !ok {
				t.Errorf("%s: no query file queries/%s.graphql", fset.Position(lit.Pos()), file)
			}
			return true
		})
	}
	for file := range queries {
		if !used[file] {
			t.Errorf("queries/%s.graphql is not sent by any operation", file)
		}
	}
}
