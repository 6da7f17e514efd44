package ecosystem

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dop251/goja/ast"
)

// Ecosystem files often build their apps list from data: a monorepo maps
// a list of service names to app objects (`services.map((s) => ({name: s,
// cwd: path.join(__dirname, 'services', s)}))`), or a helper function
// fills in the common options. Both are resolved here without running
// anything: a function's parameters are bound to the static values of its
// arguments and its body, when it is one expression or a few constant
// declarations and a return, is resolved like any other expression. What
// does not fit this shape stays dynamic.

// fn is a function the resolver can apply: its parameters and the
// expression it returns, after the constant declarations in decls.
type fn struct {
	params []*ast.Binding
	rest   bool
	decls  []*ast.Binding
	ret    ast.Expression
}

// function returns the function an expression names: an arrow function or
// function literal written in place, or a top-level variable or function
// declaration holding one. ok is false for anything else.
func (r *jsReader) function(e ast.Expression) (fn, bool) {
	if id, isID := e.(*ast.Identifier); isID {
		if r.local(id.Name.String()) {
			return fn{}, false
		}
		b, bound := r.bindings[id.Name.String()]
		if !bound || b.init == nil || b.module != "" {
			return fn{}, false
		}
		e = b.init
	}
	var params *ast.ParameterList
	var body ast.ConciseBody
	switch f := e.(type) {
	case *ast.ArrowFunctionLiteral:
		if f.Async {
			return fn{}, false
		}
		params, body = f.ParameterList, f.Body
	case *ast.FunctionLiteral:
		if f.Async || f.Generator {
			return fn{}, false
		}
		params, body = f.ParameterList, f.Body
	default:
		return fn{}, false
	}
	out := fn{rest: params != nil && params.Rest != nil}
	if params != nil {
		out.params = params.List
	}
	switch b := body.(type) {
	case *ast.ExpressionBody:
		out.ret = b.Expression
	case *ast.BlockStatement:
		for i, st := range b.List {
			switch s := st.(type) {
			case *ast.LexicalDeclaration:
				out.decls = append(out.decls, s.List...)
				continue
			case *ast.VariableStatement:
				out.decls = append(out.decls, s.List...)
				continue
			case *ast.ReturnStatement:
				if i == len(b.List)-1 && s.Argument != nil {
					out.ret = s.Argument
				}
			}
			break
		}
		if out.ret == nil {
			return fn{}, false
		}
	default:
		return fn{}, false
	}
	return out, true
}

// local reports whether name is a parameter or local constant of a
// function being applied.
func (r *jsReader) local(name string) bool {
	for i := len(r.scopes) - 1; i >= 0; i-- {
		if _, ok := r.scopes[i][name]; ok {
			return true
		}
	}
	return false
}

// lookup returns the value of a local name.
func (r *jsReader) lookup(name string) (Value, bool) {
	for i := len(r.scopes) - 1; i >= 0; i-- {
		if v, ok := r.scopes[i][name]; ok {
			return v, true
		}
	}
	return Value{}, false
}

// apply resolves a call of f with the given argument values. The result
// is dynamic, with reason, when a parameter or declaration has a shape the
// resolver does not bind (defaults, rest parameters, array patterns).
func (r *jsReader) apply(call ast.Expression, f fn, args []Value, sk bool) Value {
	if f.rest {
		return r.dyn(call, "function with a rest parameter")
	}
	scope := map[string]Value{}
	for i, p := range f.params {
		arg := Value{Kind: KindUndefined, Source: "undefined", Line: r.line(call.Idx0())}
		if i < len(args) {
			arg = args[i]
		}
		if p.Initializer != nil && (arg.Kind == KindUndefined) {
			arg = r.resolve(p.Initializer, sk)
		}
		if !r.bindTarget(scope, p.Target, arg) {
			return r.dyn(call, "function parameter not bound statically")
		}
	}
	r.scopes = append(r.scopes, scope)
	defer func() { r.scopes = r.scopes[:len(r.scopes)-1] }()
	for _, d := range f.decls {
		if d.Initializer == nil {
			if !r.bindTarget(scope, d.Target, Value{Kind: KindUndefined, Source: "undefined"}) {
				return r.dyn(call, "local declaration not bound statically")
			}
			continue
		}
		if !r.bindTarget(scope, d.Target, r.resolve(d.Initializer, sk)) {
			return r.dyn(call, "local declaration not bound statically")
		}
	}
	v := r.resolve(f.ret, sk)
	if v.Kind == KindDynamic {
		// Name the call as written, not the expression inside the
		// function the resolver gave up on.
		d := r.dyn(call, v.reason)
		d.Env = v.Env
		return d
	}
	return v
}

// bindTarget binds a parameter or declaration target to v: a name, or an
// object pattern of names (`({name, port: p}) => ...`).
func (r *jsReader) bindTarget(scope map[string]Value, t ast.BindingTarget, v Value) bool {
	switch x := t.(type) {
	case *ast.Identifier:
		scope[x.Name.String()] = v
		return true
	case *ast.ObjectPattern:
		if x.Rest != nil {
			return false
		}
		field := func(key string) Value {
			if v.Kind == KindObject {
				for i := len(v.Fields) - 1; i >= 0; i-- {
					if v.Fields[i].Key == key {
						return v.Fields[i].Value
					}
				}
				if !hasUnresolvedSpread(v) {
					return Value{Kind: KindUndefined, Source: "undefined", Line: v.Line}
				}
			}
			d := Value{Kind: KindDynamic, Source: v.Source + "." + key, Line: v.Line, reason: "member not statically known"}
			if v.Kind == KindDynamic && v.reason != "" {
				d.reason = v.reason
			}
			return d
		}
		for _, p := range x.Properties {
			switch pp := p.(type) {
			case *ast.PropertyShort:
				fv := field(pp.Name.Name.String())
				if pp.Initializer != nil && fv.Kind == KindUndefined {
					fv = r.resolve(pp.Initializer, false)
				}
				scope[pp.Name.Name.String()] = fv
			case *ast.PropertyKeyed:
				id, ok := pp.Value.(*ast.Identifier)
				if !ok || pp.Computed {
					return false
				}
				scope[id.Name.String()] = field(propKey(pp.Key))
			default:
				return false
			}
		}
		return true
	}
	return false
}

func hasUnresolvedSpread(v Value) bool {
	for _, f := range v.Fields {
		if f.Key == "..." {
			return true
		}
	}
	return false
}

// builtin resolves the calls ecosystem files make to build their apps from
// data, or reports false: `list.map(fn)`, `Object.keys/values/entries(o)`,
// `String(x)`, `Number(x)` and calls of functions declared in the file.
func (r *jsReader) builtin(x *ast.CallExpression, callee ast.Expression, sk bool) (Value, bool) {
	switch c := callee.(type) {
	case *ast.DotExpression:
		method := c.Identifier.Name.String()
		if isIdent(c.Left, "Object") && !r.local("Object") && len(x.ArgumentList) == 1 {
			switch method {
			case "keys", "values", "entries":
				return r.objectList(x, method, r.resolve(x.ArgumentList[0], sk)), true
			}
			return Value{}, false
		}
		if method != "map" || len(x.ArgumentList) != 1 {
			return Value{}, false
		}
		f, ok := r.function(x.ArgumentList[0])
		if !ok {
			return Value{}, false
		}
		list := r.resolve(c.Left, sk)
		if list.Kind != KindArray {
			if list.Kind == KindDynamic && list.reason != "" {
				return r.dyn(x, list.reason), true
			}
			return r.dyn(x, "map over a value not statically known"), true
		}
		out := Value{Kind: KindArray, Line: list.Line, EndLine: list.EndLine}
		for i, it := range list.Items {
			idx := Value{Kind: KindNumber, Num: float64(i), Source: strconv.Itoa(i), Line: it.Line}
			out.Items = append(out.Items, r.apply(x, f, []Value{it, idx, list}, sk))
			if r.err != nil {
				return Value{Kind: KindDynamic}, true
			}
		}
		return out, true
	case *ast.Identifier:
		name := c.Name.String()
		if r.local(name) {
			return Value{}, false
		}
		switch name {
		case "String", "Number":
			if _, bound := r.bindings[name]; bound || len(x.ArgumentList) != 1 {
				return Value{}, false
			}
			return r.convert(x, name, r.resolve(x.ArgumentList[0], sk)), true
		}
		f, ok := r.function(c)
		if !ok {
			return Value{}, false
		}
		args := make([]Value, 0, len(x.ArgumentList))
		for _, a := range x.ArgumentList {
			if _, spread := a.(*ast.SpreadElement); spread {
				return r.dyn(x, "call with a spread argument"), true
			}
			args = append(args, r.resolve(a, sk))
		}
		return r.apply(x, f, args, sk), true
	}
	return Value{}, false
}

// objectList resolves Object.keys / values / entries of a static object.
func (r *jsReader) objectList(x *ast.CallExpression, method string, o Value) Value {
	if o.Kind != KindObject || hasUnresolvedSpread(o) {
		if o.Kind == KindDynamic && o.reason != "" {
			return r.dyn(x, o.reason)
		}
		return r.dyn(x, fmt.Sprintf("Object.%s of a value not statically known", method))
	}
	out := Value{Kind: KindArray, Line: r.line(x.Idx0()), EndLine: o.EndLine}
	seen := map[string]int{}
	for _, f := range o.Fields {
		key := Value{Kind: KindString, Str: f.Key, Source: strconv.Quote(f.Key), Line: f.Line}
		var it Value
		switch method {
		case "keys":
			it = key
		case "values":
			it = f.Value
		default:
			it = Value{Kind: KindArray, Items: []Value{key, f.Value}, Line: f.Line, EndLine: max(f.Line, f.Value.EndLine)}
		}
		// A key written twice keeps its first place and its last value.
		if i, dup := seen[f.Key]; dup {
			out.Items[i] = it
			continue
		}
		seen[f.Key] = len(out.Items)
		out.Items = append(out.Items, it)
	}
	return out
}

// decimal is the decimal number syntax Number() and strconv agree on.
var decimal = regexp.MustCompile(`^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$`)

// convert resolves String(x) and Number(x) of a static scalar.
func (r *jsReader) convert(x *ast.CallExpression, name string, v Value) Value {
	if v.Kind == KindDynamic {
		d := r.dyn(x, v.reason)
		d.Env = v.Env
		return d
	}
	out := Value{Source: r.text(x), Line: r.line(x.Idx0()), Env: v.Env}
	switch name {
	case "String":
		s, ok := stringify(v)
		if !ok {
			return r.dyn(x, "String() of a value not statically known")
		}
		out.Kind, out.Str = KindString, s
	default:
		switch v.Kind {
		case KindNumber:
			out.Kind, out.Num = KindNumber, v.Num
		case KindString:
			t := strings.TrimSpace(v.Str)
			if t != "" && !decimal.MatchString(t) {
				return r.dyn(x, "Number() of a string that is not a decimal number")
			}
			n, _ := strconv.ParseFloat(t, 64) // "" is 0, as in JavaScript
			out.Kind, out.Num = KindNumber, n
		case KindBool:
			out.Kind = KindNumber
			if v.Bool {
				out.Num = 1
			}
		default:
			return r.dyn(x, "Number() of a value not statically known")
		}
	}
	return out
}
