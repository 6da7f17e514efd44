package ecosystem

import (
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/auditbot/auditbot/audit/secret"
)

// exports collects the top-level bindings and finds what the file exports:
// `module.exports = E`, `module.exports.K = E`, `exports.K = E`, and
// esbuild's `__export(x_exports, {K: () => E})` for ESM. With ESM, the
// `apps` export wins; otherwise the default export is read (PM2 itself
// ignores `default`, docs/pm2-behaviour.md#config-file-names: Module.ExportDefault records it).
func (r *jsReader) exports(prog *ast.Program) (Value, bool) {
	var whole ast.Expression
	var wholeLine int
	type named struct {
		key  string
		expr ast.Expression
		line int
	}
	var names []named
	for _, st := range prog.Body {
		switch s := st.(type) {
		case *ast.VariableStatement:
			r.bind(s.List)
			if e := chainedExports(s.List); e != nil {
				whole, wholeLine, names = e, r.line(s.Idx0()), nil
			}
		case *ast.LexicalDeclaration:
			r.bind(s.List)
			if e := chainedExports(s.List); e != nil {
				whole, wholeLine, names = e, r.line(s.Idx0()), nil
			}
		case *ast.FunctionDeclaration:
			if s.Function != nil && s.Function.Name != nil {
				r.bindings[s.Function.Name.Name.String()] = &binding{init: s.Function, line: r.line(s.Function.Idx0())}
			}
		case *ast.ExpressionStatement:
			switch e := s.Expression.(type) {
			case *ast.AssignExpression:
				if e.Operator != token.ASSIGN {
					r.noteMutation(e.Left, s)
					continue
				}
				if isModuleExports(e.Left) {
					if c, ok := e.Right.(*ast.CallExpression); ok && calleeName(c) == "__toCommonJS" {
						continue // esbuild's ESM namespace, read through __export
					}
					whole, wholeLine, names = e.Right, r.line(s.Idx0()), nil
					continue
				}
				if d, ok := e.Left.(*ast.DotExpression); ok && (isModuleExports(d.Left) || isIdent(d.Left, "exports")) {
					names = append(names, named{d.Identifier.Name.String(), e.Right, r.line(s.Idx0())})
					continue
				}
				r.noteMutation(e.Left, s)
			case *ast.CallExpression:
				if calleeName(e) == "__export" && len(e.ArgumentList) == 2 {
					if obj, ok := e.ArgumentList[1].(*ast.ObjectLiteral); ok {
						for _, p := range obj.Value {
							pk, ok := p.(*ast.PropertyKeyed)
							if !ok {
								continue
							}
							arrow, ok := pk.Value.(*ast.ArrowFunctionLiteral)
							if !ok {
								continue
							}
							body, ok := arrow.Body.(*ast.ExpressionBody)
							if !ok {
								continue
							}
							names = append(names, named{propKey(pk.Key), body.Expression, r.line(pk.Idx0())})
						}
					}
					continue
				}
				r.noteCallMutation(e, s)
			}
		}
	}
	if whole == nil && len(names) == 0 {
		return Value{}, false
	}
	if r.sm == nil && r.f.Module.ModuleExports && wholeLine > 0 {
		r.f.Module.ExportLine = wholeLine
	}
	var cfg Value
	if whole != nil {
		cfg = r.value(whole, false)
	} else {
		cfg = Value{Kind: KindObject, Line: names[0].line}
	}
	if cfg.Kind == KindObject {
		// ESM: `export default` only matters when nothing names apps.
		var def *named
		hasApps := false
		for i := range names {
			switch names[i].key {
			case "default":
				def = &names[i]
			case "apps", "pm2":
				hasApps = true
			}
		}
		if whole == nil && def != nil && !hasApps {
			cfg = r.value(def.expr, false)
		} else {
			for _, n := range names {
				v := r.value(n.expr, secret.IsSecretKey(n.key))
				r.record(v)
				cfg.Fields = append(cfg.Fields, Field{Key: n.key, Value: v, Line: n.line})
			}
		}
	}
	return cfg, true
}

// chainedExports returns E of `const config = module.exports = E`, or nil.
func chainedExports(list []*ast.Binding) ast.Expression {
	for _, b := range list {
		for e := b.Initializer; ; {
			a, ok := e.(*ast.AssignExpression)
			if !ok || a.Operator != token.ASSIGN {
				break
			}
			if isModuleExports(a.Left) {
				return unchain(a.Right)
			}
			e = a.Right
		}
	}
	return nil
}

// unchain returns the value of a chain of plain assignments `a = b = E`: E.
func unchain(e ast.Expression) ast.Expression {
	for {
		a, ok := e.(*ast.AssignExpression)
		if !ok || a.Operator != token.ASSIGN {
			return e
		}
		e = a.Right
	}
}

func isIdent(e ast.Expression, name string) bool {
	id, ok := e.(*ast.Identifier)
	return ok && id.Name.String() == name
}

func isModuleExports(e ast.Expression) bool {
	d, ok := e.(*ast.DotExpression)
	return ok && isIdent(d.Left, "module") && d.Identifier.Name == "exports"
}

// calleeName is the name of a plain function call (`f(...)`), or "".
func calleeName(c *ast.CallExpression) string {
	if id, ok := c.Callee.(*ast.Identifier); ok {
		return id.Name.String()
	}
	return ""
}

// rootIdent returns the variable a member chain starts from (`a` in
// `a.b[0].c`).
func rootIdent(e ast.Expression) string {
	for {
		switch x := e.(type) {
		case *ast.Identifier:
			return x.Name.String()
		case *ast.DotExpression:
			e = x.Left
		case *ast.BracketExpression:
			e = x.Left
		default:
			return ""
		}
	}
}

// noteMutation records an assignment to a top-level variable's member
// (`config.apps = ...`): the variable's static value may then be
// incomplete, which File.Unresolved says.
func (r *jsReader) noteMutation(left ast.Expression, st ast.Node) {
	if name := rootIdent(left); name != "" {
		// `dotenv.config()`: a module is never a static value anyway.
		if b, ok := r.bindings[name]; ok && b.module == "" {
			if _, done := r.mutated[name]; !done {
				r.mutated[name] = r.line(st.Idx0())
			}
		}
	}
}

// noteCallMutation records `x.push(...)`, `Object.assign(x, ...)`.
func (r *jsReader) noteCallMutation(c *ast.CallExpression, st ast.Node) {
	if d, ok := c.Callee.(*ast.DotExpression); ok {
		if isIdent(d.Left, "Object") && len(c.ArgumentList) > 0 {
			r.noteMutation(c.ArgumentList[0], st)
			return
		}
		r.noteMutation(d.Left, st)
	}
}

func (r *jsReader) bind(list []*ast.Binding) {
	for _, b := range list {
		switch t := b.Target.(type) {
		case *ast.Identifier:
			nb := &binding{init: unchain(b.Initializer), line: r.line(t.Idx)}
			nb.module = requiredModule(b.Initializer)
			r.bindings[t.Name.String()] = nb
		case *ast.ObjectPattern:
			mod := requiredModule(b.Initializer)
			for _, p := range t.Properties {
				switch pp := p.(type) {
				case *ast.PropertyShort:
					r.bindings[pp.Name.Name.String()] = &binding{module: mod, member: pp.Name.Name.String(), line: r.line(pp.Idx0())}
				case *ast.PropertyKeyed:
					if id, ok := pp.Value.(*ast.Identifier); ok {
						r.bindings[id.Name.String()] = &binding{module: mod, member: propKey(pp.Key), line: r.line(pp.Idx0())}
					}
				}
			}
		}
	}
}

// requiredModule returns "x" for require("x") and esbuild's
// __toESM(require("x")), else "".
func requiredModule(e ast.Expression) string {
	c, ok := e.(*ast.CallExpression)
	if !ok {
		return ""
	}
	if calleeName(c) == "__toESM" && len(c.ArgumentList) > 0 {
		return requiredModule(c.ArgumentList[0])
	}
	if calleeName(c) == "require" && len(c.ArgumentList) == 1 {
		if s, ok := c.ArgumentList[0].(*ast.StringLiteral); ok {
			return strings.TrimPrefix(s.Value.String(), "node:")
		}
	}
	return ""
}

func propKey(e ast.Expression) string {
	switch k := e.(type) {
	case *ast.StringLiteral:
		return k.Value.String()
	case *ast.Identifier:
		return k.Name.String()
	case *ast.NumberLiteral:
		return k.Literal
	}
	return ""
}

// finish applies PM2's shape rules (docs/pm2-behaviour.md#config-file-names) to the exported value.
func (r *jsReader) finish(cfg Value) error {
	if r.err != nil {
		return r.err
	}
	r.record(cfg)
	shapeApps(r.f, cfg)
	for name, line := range r.mutated {
		r.f.Unresolved = append(r.f.Unresolved, Unresolved{Line: line, Source: secret.RedactLine(name),
			Reason: fmt.Sprintf("`%s` is modified after its declaration; its static value may be incomplete", name)})
	}
	sortUnresolved(r.f.Unresolved)
	return nil
}

// dyn builds a dynamic value for an expression.
func (r *jsReader) dyn(e ast.Node, reason string) Value {
	return Value{Kind: KindDynamic, Source: r.text(e), Line: r.line(e.Idx0()), reason: reason}
}

// record adds the dynamic values under v (v included) to File.Unresolved,
// once per line and source.
func (r *jsReader) record(v Value) {
	recordValue(r.f, r.seen, v)
}

func recordValue(f *File, seen map[string]bool, v Value) {
	switch v.Kind {
	case KindDynamic:
		k := strconv.Itoa(v.Line) + "\x00" + v.Source
		if !seen[k] {
			seen[k] = true
			reason := v.reason
			if reason == "" {
				reason = "not statically known"
			}
			f.Unresolved = append(f.Unresolved, Unresolved{Line: v.Line, Source: v.Source, Reason: reason})
		}
	case KindArray:
		for _, it := range v.Items {
			recordValue(f, seen, it)
		}
	case KindObject:
		for _, fl := range v.Fields {
			recordValue(f, seen, fl.Value)
		}
	}
}

// value resolves an expression and masks it (secretKey: it sits under a
// key that names a secret) or redacts credential shapes from it.
func (r *jsReader) value(e ast.Expression, secretKey bool) Value {
	return r.finalize(r.resolve(e, secretKey), secretKey)
}

// maskValue masks v and everything under it.
func maskValue(v *Value) {
	v.Secret = true
	v.Source = secret.Mask
	switch v.Kind {
	case KindString:
		v.Str = secret.Mask
		v.RepoPath = false
	case KindNumber:
		v.Num = 0
	}
	for i := range v.Items {
		maskValue(&v.Items[i])
	}
	for i := range v.Fields {
		maskValue(&v.Fields[i].Value)
	}
}

// redactValue masks credentials that show by their shape (tokens, URL
// passwords) in a value whose key is not secret.
func redactValue(v *Value) {
	if v.Secret {
		return
	}
	if v.Kind == KindString && secret.LooksSecret(v.Str) {
		v.Str = secret.RedactLine(v.Str)
		v.Secret = true
	}
	if v.Kind == KindArray {
		// args: ['--password', 'x']: the item after a flag that names
		// a secret is its value.
		for i := 0; i+1 < len(v.Items); i++ {
			if it := v.Items[i]; it.Kind == KindString && !strings.Contains(it.Str, "=") && secret.SecretFlag(it.Str) {
				maskValue(&v.Items[i+1])
			}
		}
	}
	v.Source = secret.RedactLine(v.Source)
}

func (r *jsReader) resolve(e ast.Expression, sk bool) Value {
	if r.err != nil {
		return Value{Kind: KindDynamic}
	}
	r.values++
	if r.values > MaxValues {
		r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Line: r.line(e.Idx0()), Msg: fmt.Sprintf("expands to more than %d values; not read", MaxValues)}
		return Value{Kind: KindDynamic}
	}
	if r.values%1024 == 0 {
		if err := r.ctx.Err(); err != nil {
			r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Msg: fmt.Sprintf("parse cancelled: %v", err)}
			return Value{Kind: KindDynamic}
		}
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxResolveDepth {
		return r.dyn(e, "nested too deeply to resolve")
	}
	switch x := e.(type) {
	case *ast.StringLiteral:
		return Value{Kind: KindString, Str: x.Value.String(), Source: r.text(x), Line: r.line(x.Idx)}
	case *ast.NumberLiteral:
		return Value{Kind: KindNumber, Num: numberOf(x.Value), Source: r.text(x), Line: r.line(x.Idx)}
	case *ast.BooleanLiteral:
		return Value{Kind: KindBool, Bool: x.Value, Source: r.text(x), Line: r.line(x.Idx)}
	case *ast.NullLiteral:
		return Value{Kind: KindNull, Source: "null", Line: r.line(x.Idx)}
	case *ast.TemplateLiteral:
		return r.template(x, sk)
	case *ast.Identifier:
		return r.identifier(x, sk)
	case *ast.ObjectLiteral:
		return r.object(x, sk)
	case *ast.ArrayLiteral:
		return r.array(x, sk)
	case *ast.BinaryExpression:
		return r.binary(x, sk)
	case *ast.UnaryExpression:
		return r.unary(x, sk)
	case *ast.DotExpression:
		return r.member(x, x.Left, x.Identifier.Name.String(), true, sk)
	case *ast.BracketExpression:
		if s, ok := x.Member.(*ast.StringLiteral); ok {
			return r.member(x, x.Left, s.Value.String(), true, sk)
		}
		if n, ok := x.Member.(*ast.NumberLiteral); ok {
			return r.member(x, x.Left, strconv.FormatFloat(numberOf(n.Value), 'f', -1, 64), false, sk)
		}
		// `ports[name]` with name a static string or number.
		switch k := r.resolve(x.Member, sk); k.Kind {
		case KindString:
			if k.Env == "" {
				return r.member(x, x.Left, k.Str, true, sk)
			}
		case KindNumber:
			if k.Env == "" {
				return r.member(x, x.Left, strconv.FormatFloat(k.Num, 'f', -1, 64), false, sk)
			}
		}
		return r.dyn(x, "computed member access")
	case *ast.CallExpression:
		return r.call(x, sk)
	case *ast.ConditionalExpression:
		t := r.resolve(x.Test, sk)
		if t.Kind != KindDynamic && t.Kind != KindArray && t.Kind != KindObject {
			if truthy(t) {
				return r.resolve(x.Consequent, sk)
			}
			return r.resolve(x.Alternate, sk)
		}
		return r.dyn(x, "condition not statically known")
	}
	return r.dyn(e, "not a literal expression")
}

func numberOf(v interface{}) float64 {
	switch n := v.(type) {
	case int64:
		return float64(n)
	case float64:
		return n
	}
	return math.NaN()
}

func truthy(v Value) bool {
	switch v.Kind {
	case KindString:
		return v.Str != ""
	case KindNumber:
		return v.Num != 0 && !math.IsNaN(v.Num)
	case KindBool:
		return v.Bool
	case KindNull, KindUndefined:
		return false
	}
	return true
}

func (r *jsReader) identifier(x *ast.Identifier, sk bool) Value {
	name := x.Name.String()
	if v, ok := r.lookup(name); ok {
		return v
	}
	b, ok := r.bindings[name]
	if !ok {
		switch name {
		case "undefined":
			return Value{Kind: KindUndefined, Source: "undefined", Line: r.line(x.Idx)}
		case "Infinity":
			return Value{Kind: KindNumber, Num: math.Inf(1), Source: name, Line: r.line(x.Idx)}
		case "NaN":
			return Value{Kind: KindNumber, Num: math.NaN(), Source: name, Line: r.line(x.Idx)}
		case "__dirname":
			return Value{Kind: KindString, Str: r.dir, RepoPath: true, Source: r.text(x), Line: r.line(x.Idx)}
		}
		return r.dyn(x, fmt.Sprintf("unknown variable `%s`", name))
	}
	if b.module != "" || b.init == nil {
		if b.init == nil && b.module == "" {
			return Value{Kind: KindUndefined, Source: name, Line: r.line(x.Idx)}
		}
		return r.dyn(x, fmt.Sprintf("`%s` is a module, not a value", name))
	}
	if r.resolving[name] {
		return r.dyn(x, fmt.Sprintf("`%s` refers to itself", name))
	}
	r.resolving[name] = true
	v := r.resolve(b.init, sk)
	delete(r.resolving, name)
	return v
}

func (r *jsReader) template(x *ast.TemplateLiteral, sk bool) Value {
	if x.Tag != nil {
		return r.dyn(x, "tagged template")
	}
	var sb strings.Builder
	repo := false
	for i, el := range x.Elements {
		sb.WriteString(el.Parsed.String())
		if i < len(x.Expressions) {
			v := r.resolve(x.Expressions[i], sk)
			s, ok := stringify(v)
			if !ok {
				return r.dyn(x, "template with a part not statically known")
			}
			if i == 0 && sb.Len() == 0 && v.RepoPath {
				repo = true
			}
			sb.WriteString(s)
		}
	}
	v := Value{Kind: KindString, Str: sb.String(), Source: r.text(x), Line: r.line(x.Idx0())}
	if repo {
		return r.repoPath(x, v.Str, v)
	}
	return v
}

// stringify converts a resolved scalar the way JavaScript's String() does.
func stringify(v Value) (string, bool) {
	switch v.Kind {
	case KindString:
		return v.Str, true
	case KindNumber:
		if v.Num == math.Trunc(v.Num) && math.Abs(v.Num) < 1e21 {
			return strconv.FormatFloat(v.Num, 'f', -1, 64), true
		}
		return strconv.FormatFloat(v.Num, 'g', -1, 64), true
	case KindBool:
		return strconv.FormatBool(v.Bool), true
	case KindNull:
		return "null", true
	case KindUndefined:
		return "undefined", true
	}
	return "", false
}

// repoPath makes a value computed from __dirname a clean repository path,
// or dynamic when it climbs out of the repository.
func (r *jsReader) repoPath(e ast.Node, p string, v Value) Value {
	c := path.Clean(p)
	if c == ".." || strings.HasPrefix(c, "../") || path.IsAbs(c) && !strings.HasPrefix(r.dir, "/") {
		d := r.dyn(e, "path leaves the repository")
		return d
	}
	v.Kind, v.Str, v.RepoPath = KindString, c, true
	return v
}

func (r *jsReader) object(x *ast.ObjectLiteral, sk bool) Value {
	if len(x.Value) > MaxElements {
		r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Line: r.line(x.LeftBrace), Msg: fmt.Sprintf("object literal with %d properties, over the limit of %d; not read", len(x.Value), MaxElements)}
		return Value{Kind: KindDynamic}
	}
	v := Value{Kind: KindObject, Line: r.line(x.LeftBrace), EndLine: r.endLine(x.LeftBrace, x.RightBrace)}
	for _, p := range x.Value {
		switch pp := p.(type) {
		case *ast.PropertyKeyed:
			key := propKey(pp.Key)
			keyLine := r.line(pp.Key.Idx0())
			if pp.Computed {
				kv := r.resolve(pp.Key, sk)
				if s, ok := stringify(kv); ok && kv.Kind != KindDynamic {
					key = s
				} else {
					key = "[" + r.text(pp.Key) + "]"
					fv := r.dyn(pp.Value, "computed key not statically known")
					v.Fields = append(v.Fields, Field{Key: secret.RedactLine(key), Value: r.finalize(fv, sk || secret.IsSecretKey(key)), Line: keyLine})
					continue
				}
			}
			fsk := sk || secret.IsSecretKey(key)
			var fv Value
			if pp.Kind != ast.PropertyKindValue {
				fv = r.dyn(pp, "getter, setter or method")
			} else {
				fv = r.resolve(pp.Value, fsk)
			}
			v.Fields = append(v.Fields, Field{Key: secret.RedactLine(key), Value: r.finalize(fv, fsk), Line: keyLine})
		case *ast.PropertyShort:
			key := pp.Name.Name.String()
			fsk := sk || secret.IsSecretKey(key)
			fv := r.resolve(&pp.Name, fsk)
			v.Fields = append(v.Fields, Field{Key: key, Value: r.finalize(fv, fsk), Line: r.line(pp.Name.Idx)})
		case *ast.SpreadElement:
			sv := r.value(pp.Expression, sk)
			switch sv.Kind {
			case KindObject:
				for _, f := range sv.Fields {
					f.Spread = true
					v.Fields = append(v.Fields, f)
				}
			case KindNull, KindUndefined, KindBool, KindNumber:
				// Spreading these adds nothing.
			default:
				d := r.dyn(pp, "spread of a value not statically known")
				if sv.Kind == KindDynamic {
					d.Env = sv.Env
				}
				v.Fields = append(v.Fields, Field{Key: "...", Spread: true, Value: r.finalize(d, sk), Line: r.line(pp.Idx0())})
			}
		}
		if len(v.Fields) > MaxValues {
			r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Line: v.Line, Msg: fmt.Sprintf("object expands to more than %d properties; not read", MaxValues)}
			return Value{Kind: KindDynamic}
		}
	}
	if v.EndLine == 0 {
		v.EndLine = v.Line
		for _, f := range v.Fields {
			v.EndLine = max(v.EndLine, f.Line, f.Value.EndLine)
		}
	}
	return v
}

// finalize masks or redacts a value placed under a key.
func (r *jsReader) finalize(v Value, sk bool) Value {
	if sk {
		maskValue(&v)
	} else {
		redactValue(&v)
	}
	return v
}

func (r *jsReader) array(x *ast.ArrayLiteral, sk bool) Value {
	if len(x.Value) > MaxElements {
		r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Line: r.line(x.LeftBracket), Msg: fmt.Sprintf("array literal with %d elements, over the limit of %d; not read", len(x.Value), MaxElements)}
		return Value{Kind: KindDynamic}
	}
	v := Value{Kind: KindArray, Line: r.line(x.LeftBracket), EndLine: r.endLine(x.LeftBracket, x.RightBracket)}
	for _, el := range x.Value {
		if el == nil {
			v.Items = append(v.Items, Value{Kind: KindUndefined, Line: v.Line})
			continue
		}
		if sp, ok := el.(*ast.SpreadElement); ok {
			sv := r.value(sp.Expression, sk)
			if sv.Kind == KindArray {
				v.Items = append(v.Items, sv.Items...)
			} else {
				v.Items = append(v.Items, r.finalize(r.dyn(sp, "spread of a value not statically known"), sk))
			}
			continue
		}
		v.Items = append(v.Items, r.value(el, sk))
		if len(v.Items) > MaxValues {
			r.err = &ParseError{Path: r.f.Path, Kind: KindLimit, Line: v.Line, Msg: fmt.Sprintf("array expands to more than %d elements; not read", MaxValues)}
			return Value{Kind: KindDynamic}
		}
	}
	if v.EndLine == 0 {
		v.EndLine = v.Line
		for _, it := range v.Items {
			v.EndLine = max(v.EndLine, it.Line, it.EndLine)
		}
	}
	return v
}

func (r *jsReader) binary(x *ast.BinaryExpression, sk bool) Value {
	switch x.Operator {
	case token.LOGICAL_OR, token.COALESCE, token.LOGICAL_AND:
		l := r.resolve(x.Left, sk)
		if l.Kind == KindDynamic {
			if l.Env == "" || x.Operator == token.LOGICAL_AND {
				return r.dyn(x, l.reason)
			}
			rv := r.resolve(x.Right, sk)
			if rv.Kind == KindDynamic {
				d := r.dyn(x, rv.reason)
				d.Env = l.Env
				return d
			}
			rv.Env = l.Env
			rv.Source = r.text(x)
			return rv
		}
		var useLeft bool
		switch x.Operator {
		case token.LOGICAL_OR:
			useLeft = truthy(l)
		case token.LOGICAL_AND:
			useLeft = !truthy(l)
		default:
			useLeft = l.Kind != KindNull && l.Kind != KindUndefined
		}
		if useLeft {
			return l
		}
		return r.resolve(x.Right, sk)
	case token.PLUS:
		l, rv := r.resolve(x.Left, sk), r.resolve(x.Right, sk)
		if l.Kind == KindNumber && rv.Kind == KindNumber {
			return Value{Kind: KindNumber, Num: l.Num + rv.Num, Source: r.text(x), Line: r.line(x.Idx0())}
		}
		if l.Kind == KindString || rv.Kind == KindString {
			ls, ok1 := stringify(l)
			rs, ok2 := stringify(rv)
			if ok1 && ok2 {
				v := Value{Kind: KindString, Str: ls + rs, Source: r.text(x), Line: r.line(x.Idx0())}
				if l.RepoPath {
					return r.repoPath(x, v.Str, v)
				}
				return v
			}
		}
		return r.dyn(x, "operands not statically known")
	case token.MULTIPLY, token.MINUS, token.SLASH:
		l, rv := r.resolve(x.Left, sk), r.resolve(x.Right, sk)
		if l.Kind == KindNumber && rv.Kind == KindNumber {
			n := l.Num * rv.Num
			switch x.Operator {
			case token.MINUS:
				n = l.Num - rv.Num
			case token.SLASH:
				n = l.Num / rv.Num
			}
			return Value{Kind: KindNumber, Num: n, Source: r.text(x), Line: r.line(x.Idx0())}
		}
		return r.dyn(x, "operands not statically known")
	}
	return r.dyn(x, "operator not evaluated statically")
}

func (r *jsReader) unary(x *ast.UnaryExpression, sk bool) Value {
	if x.Postfix {
		return r.dyn(x, "not a literal expression")
	}
	switch x.Operator {
	case token.MINUS, token.PLUS:
		v := r.resolve(x.Operand, sk)
		if v.Kind == KindNumber {
			if x.Operator == token.MINUS {
				v.Num = -v.Num
			}
			v.Source, v.Line = r.text(x), r.line(x.Idx0())
			return v
		}
	case token.NOT:
		v := r.resolve(x.Operand, sk)
		if v.Kind != KindDynamic {
			return Value{Kind: KindBool, Bool: !truthy(v), Source: r.text(x), Line: r.line(x.Idx0())}
		}
	}
	return r.dyn(x, "not a literal expression")
}

// member resolves `process.env.X` (dynamic, with Env) and members of
// statically known objects and arrays (`base.env`, `list[0]`).
func (r *jsReader) member(x ast.Expression, left ast.Expression, name string, dot bool, sk bool) Value {
	if d, ok := left.(*ast.DotExpression); ok && isIdent(d.Left, "process") && d.Identifier.Name == "env" {
		v := r.dyn(x, fmt.Sprintf("process.env.%s has no default", name))
		v.Env = name
		return v
	}
	if rootIdent(left) == "process" || rootIdent(left) == "module" || rootIdent(left) == "exports" {
		return r.dyn(x, "run-time value")
	}
	if r.isImportMeta(left) {
		// esbuild turns import.meta into an empty object; PM2 loads the
		// file as ESM, where these name the file itself.
		switch name {
		case "dirname":
			return r.repoPath(x, r.dir, Value{Kind: KindString, Source: r.text(x), Line: r.line(x.Idx0())})
		case "filename":
			return r.repoPath(x, r.filePath(), Value{Kind: KindString, Source: r.text(x), Line: r.line(x.Idx0())})
		}
		return r.dyn(x, "import.meta."+name+" of the loaded module")
	}
	lv := r.resolve(left, sk)
	switch lv.Kind {
	case KindObject:
		for i := len(lv.Fields) - 1; i >= 0; i-- {
			if lv.Fields[i].Key == name {
				return lv.Fields[i].Value
			}
		}
		for _, f := range lv.Fields {
			if f.Key == "..." {
				return r.dyn(x, "member of an object with an unresolved spread")
			}
		}
		return Value{Kind: KindUndefined, Source: r.text(x), Line: r.line(x.Idx0())}
	case KindArray:
		if name == "length" {
			return Value{Kind: KindNumber, Num: float64(len(lv.Items)), Source: r.text(x), Line: r.line(x.Idx0())}
		}
		if i, err := strconv.Atoi(name); err == nil && !dot {
			if i >= 0 && i < len(lv.Items) {
				return lv.Items[i]
			}
			return Value{Kind: KindUndefined, Source: r.text(x), Line: r.line(x.Idx0())}
		}
	case KindString:
		if name == "length" {
			return Value{Kind: KindNumber, Num: float64(len([]rune(lv.Str))), Source: r.text(x), Line: r.line(x.Idx0())}
		}
	}
	if lv.Kind == KindDynamic && lv.reason != "" {
		return r.dyn(x, lv.reason)
	}
	return r.dyn(x, "member not statically known")
}

// call resolves path.join / path.resolve (also `join` destructured from
// require("path") and esbuild's `(0, import_path.join)`); every other
// call is dynamic.
func (r *jsReader) call(x *ast.CallExpression, sk bool) Value {
	callee := x.Callee
	if seq, ok := callee.(*ast.SequenceExpression); ok && len(seq.Sequence) > 0 {
		callee = seq.Sequence[len(seq.Sequence)-1]
	}
	if v, ok := r.builtin(x, callee, sk); ok {
		return v
	}
	fn := ""
	switch c := callee.(type) {
	case *ast.DotExpression:
		if r.isPathModule(c.Left) {
			fn = c.Identifier.Name.String()
		}
		if r.isModule(c.Left, "url") && c.Identifier.Name == "fileURLToPath" {
			fn = "fileURLToPath"
		}
	case *ast.Identifier:
		if b, ok := r.bindings[c.Name.String()]; ok && (b.module == "path" || b.module == "url" && b.member == "fileURLToPath") {
			fn = b.member
		}
		if c.Name.String() == "require" {
			return r.dyn(x, "require() of another module")
		}
	}
	switch fn {
	case "fileURLToPath":
		// fileURLToPath(import.meta.url): the ESM way to write __filename.
		if len(x.ArgumentList) == 1 {
			if d, ok := x.ArgumentList[0].(*ast.DotExpression); ok && d.Identifier.Name == "url" && r.isImportMeta(d.Left) {
				return r.repoPath(x, r.filePath(), Value{Kind: KindString, Source: r.text(x), Line: r.line(x.Idx0())})
			}
		}
		return r.dyn(x, "function call")
	case "dirname":
		if len(x.ArgumentList) != 1 {
			return r.dyn(x, "function call")
		}
		v := r.resolve(x.ArgumentList[0], sk)
		if v.Kind != KindString || v.Env != "" {
			return r.dyn(x, "path argument not statically known")
		}
		out := Value{Kind: KindString, Str: path.Dir(v.Str), Source: r.text(x), Line: r.line(x.Idx0())}
		if v.RepoPath {
			return r.repoPath(x, out.Str, out)
		}
		return out
	case "join", "resolve":
	default:
		return r.dyn(x, "function call")
	}
	parts := make([]string, 0, len(x.ArgumentList))
	repo := false
	for i, a := range x.ArgumentList {
		v := r.resolve(a, sk)
		if v.Kind != KindString {
			return r.dyn(x, "path argument not statically known")
		}
		if i == 0 && v.RepoPath {
			repo = true
		}
		parts = append(parts, v.Str)
	}
	if fn == "join" {
		j := path.Join(parts...)
		v := Value{Kind: KindString, Str: j, Source: r.text(x), Line: r.line(x.Idx0())}
		if repo {
			return r.repoPath(x, j, v)
		}
		return v
	}
	// path.resolve: from the right, up to the first absolute part; a
	// result still relative is relative to the run-time cwd (dynamic),
	// unless it starts from __dirname.
	start := 0
	for i := len(parts) - 1; i >= 0; i-- {
		if path.IsAbs(parts[i]) {
			start = i
			break
		}
	}
	j := path.Join(parts[start:]...)
	v := Value{Kind: KindString, Str: j, Source: r.text(x), Line: r.line(x.Idx0())}
	if path.IsAbs(parts[start]) {
		return v
	}
	if start == 0 && repo {
		return r.repoPath(x, j, v)
	}
	return r.dyn(x, "path.resolve relative to the working directory")
}

// isModule reports whether e is the module name: a variable bound to
// require(name) (also "node:name") or esbuild's import_x.default, or
// require(name) itself.
func (r *jsReader) isModule(e ast.Expression, name string) bool {
	switch x := e.(type) {
	case *ast.Identifier:
		b, ok := r.bindings[x.Name.String()]
		return ok && b.module == name && b.member == ""
	case *ast.DotExpression:
		return x.Identifier.Name == "default" && r.isModule(x.Left, name)
	case *ast.CallExpression:
		return requiredModule(x) == name
	}
	return false
}

// isImportMeta reports whether e is esbuild's stand-in for import.meta
// (`const import_meta = {};`).
func (r *jsReader) isImportMeta(e ast.Expression) bool {
	id, ok := e.(*ast.Identifier)
	if !ok || !strings.HasPrefix(id.Name.String(), "import_meta") || r.sm == nil {
		return false
	}
	b, ok := r.bindings[id.Name.String()]
	if !ok || b.init == nil {
		return false
	}
	o, ok := b.init.(*ast.ObjectLiteral)
	return ok && len(o.Value) == 0
}

// filePath is the config file's repository path, as __filename would be.
func (r *jsReader) filePath() string {
	return strings.TrimPrefix(path.Clean("/"+r.f.Path), "/")
}

// isPathModule reports whether e is the path module: a variable bound to
// require("path"), esbuild's import_path.default, or require("path").
func (r *jsReader) isPathModule(e ast.Expression) bool {
	switch x := e.(type) {
	case *ast.Identifier:
		b, ok := r.bindings[x.Name.String()]
		return ok && b.module == "path" && b.member == ""
	case *ast.DotExpression:
		return x.Identifier.Name == "default" && r.isPathModule(x.Left)
	case *ast.CallExpression:
		return requiredModule(x) == "path"
	}
	return false
}
