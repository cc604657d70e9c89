package tools

import (
	"reflect"
	"slices"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// portable rewrites the nullable parts of s, the schema jsonschema-go
// generated for t, so that schema-strict clients accept them: jsonschema-go
// writes every slice and pointer as a type array (["null","array"]), which
// several clients' schema checkers refuse. A field that omitempty leaves out
// when nil can never be null, so it keeps only its own type; anything else
// that may be null becomes anyOf [its schema, {"type":"null"}].
func portable(t reflect.Type, s *jsonschema.Schema) {
	if s == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		portableFields(t, s)
	case reflect.Slice, reflect.Array:
		portable(t.Elem(), nullable(s.Items, false))
	case reflect.Map:
		portable(t.Elem(), nullable(s.AdditionalProperties, false))
	}
}

// portableFields handles a struct's properties, including those of embedded
// structs, which jsonschema-go lists as the outer struct's own.
func portableFields(t reflect.Type, s *jsonschema.Schema) {
	for f := range t.Fields() {
		if !f.IsExported() && !f.Anonymous {
			continue // encoding/json promotes an unexported embedded struct's fields
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				portableFields(ft, s)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		o := strings.Split(opts, ",")
		omitted := slices.Contains(o, "omitempty") || slices.Contains(o, "omitzero")
		p := s.Properties[name]
		if p == nil {
			continue
		}
		portable(f.Type, nullable(p, omitted))
	}
}

// nullable rewrites s's type array, if it has one, and returns the schema
// describing the non-null value: s itself, or the first branch of the anyOf
// it becomes. omitted says null is never written for it.
func nullable(s *jsonschema.Schema, omitted bool) *jsonschema.Schema {
	if s == nil || len(s.Types) == 0 {
		return s
	}
	rest := slices.DeleteFunc(slices.Clone(s.Types), func(t string) bool { return t == "null" })
	if len(rest) != 1 {
		return s // not a generated nullable; the schema test reports it
	}
	if omitted || len(rest) == len(s.Types) {
		s.Types, s.Type = nil, rest[0]
		return s
	}
	inner := *s
	inner.Types, inner.Type = nil, rest[0]
	inner.Title, inner.Description = "", ""
	*s = jsonschema.Schema{Title: s.Title, Description: s.Description, AnyOf: []*jsonschema.Schema{&inner, {Type: "null"}}}
	return &inner
}
