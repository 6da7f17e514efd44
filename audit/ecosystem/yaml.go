package ecosystem

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/auditbot/auditbot/audit/secret"
)

var reYAMLLine = regexp.MustCompile(`line (\d+)`)

// yamlReader turns a yaml.Node tree into Values.
type yamlReader struct {
	ctx    context.Context
	f      *File
	values int
	err    *ParseError
	seen   map[string]bool
}

// parseYAML decodes a YAML ecosystem file (PM2 uses js-yaml's load(),
// docs/pm2-behaviour.md#config-file-names: a single document).
func parseYAML(ctx context.Context, f *File, src string) error {
	if n := countBrackets(src); n > MaxBrackets {
		return &ParseError{Path: f.Path, Kind: KindLimit, Msg: fmt.Sprintf("%d brackets, over the limit of %d; not read", n, MaxBrackets)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		pe := &ParseError{Path: f.Path, Msg: "YAML syntax error: " + err.Error()}
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			if m := reYAMLLine.FindStringSubmatch(err.Error()); m != nil {
				pe.Line, _ = strconv.Atoi(m[1])
			}
		}
		return pe
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil // empty file: no apps
	}
	r := &yamlReader{ctx: ctx, f: f, seen: map[string]bool{}}
	cfg := r.value(doc.Content[0], false, 0)
	if r.err != nil {
		return r.err
	}
	recordValue(f, r.seen, cfg)
	shapeApps(f, cfg)
	sortUnresolved(f.Unresolved)
	return nil
}

func (r *yamlReader) value(n *yaml.Node, sk bool, depth int) Value {
	if r.err != nil {
		return Value{Kind: KindDynamic}
	}
	r.values++
	if r.values > MaxValues {
		r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Line: n.Line, Msg: fmt.Sprintf("expands to more than %d values; not read", MaxValues)}
		return Value{Kind: KindDynamic}
	}
	if depth > MaxDepth {
		r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("nesting deeper than %d levels; not read", MaxDepth)}
		return Value{Kind: KindDynamic}
	}
	if r.values%1024 == 0 {
		if err := r.ctx.Err(); err != nil {
			r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Msg: fmt.Sprintf("parse cancelled: %v", err)}
			return Value{Kind: KindDynamic}
		}
	}
	var v Value
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return Value{Kind: KindNull, Line: n.Line}
		}
		return r.value(n.Content[0], sk, depth)
	case yaml.AliasNode:
		if n.Alias == nil {
			return Value{Kind: KindDynamic, Line: n.Line, Source: "*" + n.Value, reason: "unknown alias"}
		}
		v = r.value(n.Alias, sk, depth+1)
		return v
	case yaml.ScalarNode:
		v = r.scalar(n)
	case yaml.SequenceNode:
		if len(n.Content) > MaxElements {
			r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Line: n.Line, Msg: fmt.Sprintf("sequence with %d elements, over the limit of %d; not read", len(n.Content), MaxElements)}
			return Value{Kind: KindDynamic}
		}
		v = Value{Kind: KindArray, Line: n.Line, EndLine: n.Line}
		for _, c := range n.Content {
			it := r.value(c, sk, depth+1)
			redactValue(&it)
			v.Items = append(v.Items, it)
			v.EndLine = max(v.EndLine, it.Line, it.EndLine)
		}
	case yaml.MappingNode:
		if len(n.Content)/2 > MaxElements {
			r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Line: n.Line, Msg: fmt.Sprintf("mapping with %d keys, over the limit of %d; not read", len(n.Content)/2, MaxElements)}
			return Value{Kind: KindDynamic}
		}
		v = Value{Kind: KindObject, Line: n.Line, EndLine: n.Line}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" || k.Value == "<<" && k.Kind == yaml.ScalarNode && k.Style == 0 {
				mv := r.value(val, sk, depth+1)
				var objs []Value
				if mv.Kind == KindArray {
					objs = mv.Items
				} else {
					objs = []Value{mv}
				}
				for _, o := range objs {
					for _, fl := range o.Fields {
						fl.Spread = true
						v.Fields = append(v.Fields, fl)
					}
				}
				continue
			}
			fsk := sk || secret.IsSecretKey(k.Value)
			fv := r.value(val, fsk, depth+1)
			if fsk {
				maskValue(&fv)
			} else {
				redactValue(&fv)
			}
			v.Fields = append(v.Fields, Field{Key: secret.RedactLine(k.Value), Value: fv, Line: k.Line})
			v.EndLine = max(v.EndLine, k.Line, fv.Line, fv.EndLine)
		}
	}
	if sk {
		maskValue(&v)
	}
	return v
}

func (r *yamlReader) scalar(n *yaml.Node) Value {
	v := Value{Line: n.Line, Source: n.Value}
	switch n.ShortTag() {
	case "!!null":
		v.Kind = KindNull
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err == nil {
			v.Kind, v.Bool = KindBool, b
		} else {
			v.Kind, v.Str = KindString, n.Value
		}
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err == nil {
			v.Kind, v.Num = KindNumber, f
		} else {
			v.Kind, v.Str = KindString, n.Value
		}
	default:
		v.Kind, v.Str = KindString, n.Value
	}
	return v
}
