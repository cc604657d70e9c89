package sandbox

import (
	"fmt"
	"strings"
	"unicode"
)

// A minimal GraphQL selection-set reader, enough to list the fields a query
// file selects so tests can check the sandbox answers every one of them.

type selField struct {
	key string // alias or name
	sub []selField
}

type gqlDoc struct {
	op        string
	sel       []selField
	fragments map[string][]selField
}

type lexer struct {
	toks []string
	i    int
}

func lex(src string) *lexer {
	var toks []string
	r := []rune(src)
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case c == '#':
			for i < len(r) && r[i] != '\n' {
				i++
			}
		case unicode.IsSpace(c) || c == ',':
			i++
		case c == '"':
			j := i + 1
			for j < len(r) && r[j] != '"' {
				if r[j] == '\\' {
					j++
				}
				j++
			}
			toks = append(toks, string(r[i:min(j+1, len(r))]))
			i = j + 1
		case c == '.' && i+2 < len(r) && r[i+1] == '.' && r[i+2] == '.':
			toks = append(toks, "...")
			i += 3
		case c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c) || c == '-':
			j := i
			for j < len(r) && (r[j] == '_' || unicode.IsLetter(r[j]) || unicode.IsDigit(r[j]) || r[j] == '.' || r[j] == '-') {
				j++
			}
			toks = append(toks, string(r[i:j]))
			i = j
		default:
			toks = append(toks, string(c))
			i++
		}
	}
	return &lexer{toks: toks}
}

func (l *lexer) peek() string {
	if l.i < len(l.toks) {
		return l.toks[l.i]
	}
	return ""
}
func (l *lexer) next() string { t := l.peek(); l.i++; return t }

// skipBalanced skips from an opening bracket to its match.
func (l *lexer) skipBalanced(open, close string) {
	depth := 0
	for l.i < len(l.toks) {
		switch l.next() {
		case open:
			depth++
		case close:
			if depth--; depth == 0 {
				return
			}
		}
	}
}

func (l *lexer) skipDirectives() {
	for l.peek() == "@" {
		l.next()
		l.next()
		if l.peek() == "(" {
			l.skipBalanced("(", ")")
		}
	}
}

func (l *lexer) selectionSet(doc *gqlDoc, spreads *[]string) ([]selField, error) {
	if l.next() != "{" {
		return nil, fmt.Errorf("want { at token %d", l.i)
	}
	var out []selField
	for l.peek() != "}" {
		if l.peek() == "" {
			return nil, fmt.Errorf("unexpected end")
		}
		if l.peek() == "..." {
			l.next()
			if l.peek() == "on" {
				l.next()
				l.next()
				l.skipDirectives()
				sub, err := l.selectionSet(doc, spreads)
				if err != nil {
					return nil, err
				}
				out = append(out, sub...)
				continue
			}
			*spreads = append(*spreads, l.next())
			out = append(out, selField{key: "..." + (*spreads)[len(*spreads)-1]})
			l.skipDirectives()
			continue
		}
		f := selField{key: l.next()}
		if l.peek() == ":" {
			l.next()
			l.next()
		}
		if l.peek() == "(" {
			l.skipBalanced("(", ")")
		}
		l.skipDirectives()
		if l.peek() == "{" {
			sub, err := l.selectionSet(doc, spreads)
			if err != nil {
				return nil, err
			}
			f.sub = sub
		}
		out = append(out, f)
	}
	l.next()
	return out, nil
}

func parseDoc(src string) (*gqlDoc, error) {
	l := lex(src)
	doc := &gqlDoc{fragments: map[string][]selField{}}
	var spreads []string
	for l.peek() != "" {
		switch kw := l.next(); kw {
		case "query", "mutation":
			if l.peek() != "{" && l.peek() != "(" {
				doc.op = l.next()
			}
			if l.peek() == "(" {
				l.skipBalanced("(", ")")
			}
			l.skipDirectives()
			sel, err := l.selectionSet(doc, &spreads)
			if err != nil {
				return nil, err
			}
			doc.sel = sel
		case "fragment":
			name := l.next()
			l.next() // on
			l.next() // type
			sel, err := l.selectionSet(doc, &spreads)
			if err != nil {
				return nil, err
			}
			doc.fragments[name] = sel
		default:
			return nil, fmt.Errorf("unexpected %q", kw)
		}
	}
	return doc, nil
}

// missingFields lists the selected fields absent from v (null values are
// fine: Monarch returns null for many fields).
func (d *gqlDoc) missingFields(v any, sel []selField, path string) []string {
	var out []string
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		for i, e := range x {
			out = append(out, d.missingFields(e, sel, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case map[string]any:
		for _, f := range sel {
			if name, ok := strings.CutPrefix(f.key, "..."); ok {
				out = append(out, d.missingFields(x, d.fragments[name], path)...)
				continue
			}
			if f.key == "__typename" {
				continue
			}
			child, ok := x[f.key]
			if !ok {
				out = append(out, path+"."+f.key)
				continue
			}
			if len(f.sub) > 0 {
				out = append(out, d.missingFields(child, f.sub, path+"."+f.key)...)
			}
		}
		return out
	default:
		if len(sel) > 0 {
			return []string{path + " (a scalar where an object was selected)"}
		}
		return nil
	}
}
