package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// A Mutant is one small change to one file of the module.
type Mutant struct {
	// ID names the mutant stably across edits of other functions:
	// file:Func/operator#n, n counting that operator's sites in Func in
	// source order (curated ones: curated/NAME).
	ID   string
	Pkg  string // the package directory, e.g. "model"
	File string // relative to the module root, e.g. "model/creditcode.go"
	Line int
	Col  int
	Op   string
	// Start and End delimit the replaced bytes of the file; Repl replaces them.
	Start, End int
	Repl       string
	// Orig is the replaced text, for the listing.
	Orig string
	// Why is the reason a curated mutant is in the list.
	Why string
}

// Describe is one line for a person: where and what changed.
func (m Mutant) Describe() string {
	return fmt.Sprintf("%s:%d:%d %s → %s", m.File, m.Line, m.Col, oneLine(m.Orig), oneLine(m.Repl))
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 70 {
		s = s[:67] + "..."
	}
	return s
}

// The operators. Each is a kind of bug a real edit makes.
const (
	opNegate   = "negate"   // == ↔ !=, < ↔ >=, > ↔ <=
	opBoundary = "boundary" // < ↔ <=, > ↔ >=
	opArith    = "arith"    // + ↔ -, * ↔ /, % → *
	opLogical  = "logical"  // && ↔ ||
	opNot      = "not"      // !x → x, -x → x
	opIncDec   = "incdec"   // ++ ↔ --
	opConst    = "const"    // integer n → n+1 (0 ↔ 1), true ↔ false
	opDropElem = "drop"     // one element of a []string literal removed
	opCall     = "call"     // a call statement not executed
	opAssign   = "assign"   // an assignment not executed
	opBranch   = "branch"   // an if's body never taken
)

var negations = map[token.Token]token.Token{
	token.EQL: token.NEQ, token.NEQ: token.EQL,
	token.LSS: token.GEQ, token.GEQ: token.LSS,
	token.GTR: token.LEQ, token.LEQ: token.GTR,
}

var boundaries = map[token.Token]token.Token{
	token.LSS: token.LEQ, token.LEQ: token.LSS,
	token.GTR: token.GEQ, token.GEQ: token.GTR,
}

var ariths = map[token.Token]token.Token{
	token.ADD: token.SUB, token.SUB: token.ADD,
	token.MUL: token.QUO, token.QUO: token.MUL,
	token.REM: token.MUL,
}

// Systematic returns the mutants of the declarations in file whose name
// (Func, Type.Method, or a package-level var or const) matches funcs.
func Systematic(root, file string, funcs *regexp.Regexp) ([]Mutant, error) {
	src, err := os.ReadFile(root + "/" + file)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []Mutant
	for _, decl := range f.Decls {
		for _, d := range declNames(decl) {
			if !funcs.MatchString(d.name) {
				continue
			}
			out = append(out, mutateNode(fset, src, file, d.name, d.node)...)
		}
	}
	return out, nil
}

type namedNode struct {
	name string
	node ast.Node
}

func declNames(decl ast.Decl) []namedNode {
	switch d := decl.(type) {
	case *ast.FuncDecl:
		name := d.Name.Name
		if d.Recv != nil && len(d.Recv.List) == 1 {
			name = recvName(d.Recv.List[0].Type) + "." + name
		}
		if d.Body == nil {
			return nil
		}
		return []namedNode{{name, d.Body}}
	case *ast.GenDecl:
		if d.Tok != token.VAR && d.Tok != token.CONST {
			return nil
		}
		var out []namedNode
		for _, s := range d.Specs {
			vs := s.(*ast.ValueSpec)
			if len(vs.Values) == 0 || len(vs.Names) == 0 {
				continue
			}
			out = append(out, namedNode{vs.Names[0].Name, vs})
		}
		return out
	}
	return nil
}

func recvName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return recvName(t.X)
	case *ast.IndexListExpr:
		return recvName(t.X)
	}
	return "?"
}

func mutateNode(fset *token.FileSet, src []byte, file, name string, root ast.Node) []Mutant {
	var out []Mutant
	count := map[string]int{}
	add := func(op string, start, end token.Pos, repl string) {
		count[op]++
		s, e := fset.Position(start).Offset, fset.Position(end).Offset
		out = append(out, Mutant{
			ID:    fmt.Sprintf("%s:%s/%s#%d", file, name, op, count[op]),
			Pkg:   pkgOf(file),
			File:  file,
			Line:  fset.Position(start).Line,
			Col:   fset.Position(start).Column,
			Op:    op,
			Start: s, End: e,
			Repl: repl,
			Orig: string(src[s:e]),
		})
	}
	text := func(n ast.Node) string {
		return string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
	}
	// Statements where `if false { … }` cannot stand (a for's init and
	// post, an if's or switch's init) and literals whose change is no bug
	// (make's sizes).
	keep, skip := map[ast.Node]bool{}, map[ast.Node]bool{}
	// Constants are changed where they decide: an operand of an arithmetic
	// or a comparison, or a package-level value. An index or a format
	// width changed is a panic or a cosmetic slip, and would swamp the rest.
	deciding := map[ast.Node]bool{}
	if vs, ok := root.(*ast.ValueSpec); ok {
		ast.Inspect(vs, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok {
				deciding[lit] = true
			}
			return true
		})
	}
	ast.Inspect(root, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.BinaryExpr:
			deciding[ast.Unparen(s.X)], deciding[ast.Unparen(s.Y)] = true, true
		case *ast.ForStmt:
			keep[s.Init], keep[s.Post] = true, true
		case *ast.IfStmt:
			keep[s.Init] = true
		case *ast.SwitchStmt:
			keep[s.Init] = true
		case *ast.TypeSwitchStmt:
			keep[s.Init] = true
		case *ast.CallExpr:
			if isMessage(s) {
				// An error's wording is checked by its own tests; its
				// numbers mutated here would swamp the ones that decide.
				skip[s] = true
			}
			if id, ok := s.Fun.(*ast.Ident); ok && id.Name == "make" {
				for _, a := range s.Args {
					skip[a] = true
				}
			}
		case *ast.ArrayType:
			if s.Len != nil {
				skip[s.Len] = true
			}
		}
		return true
	})
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil || skip[n] {
			return false
		}
		switch x := n.(type) {
		case *ast.BinaryExpr:
			opEnd := x.OpPos + token.Pos(len(x.Op.String()))
			if to, ok := negations[x.Op]; ok {
				add(opNegate, x.OpPos, opEnd, to.String())
			}
			if to, ok := boundaries[x.Op]; ok {
				add(opBoundary, x.OpPos, opEnd, to.String())
			}
			if to, ok := ariths[x.Op]; ok && !(x.Op == token.ADD && (isString(x.X) || isString(x.Y))) {
				add(opArith, x.OpPos, opEnd, to.String())
			}
			switch x.Op {
			case token.LAND:
				add(opLogical, x.OpPos, opEnd, "||")
			case token.LOR:
				add(opLogical, x.OpPos, opEnd, "&&")
			}
		case *ast.UnaryExpr:
			if x.Op == token.NOT || x.Op == token.SUB {
				add(opNot, x.OpPos, x.OpPos+1, "")
			}
		case *ast.IncDecStmt:
			to := "--"
			if x.Tok == token.DEC {
				to = "++"
			}
			add(opIncDec, x.TokPos, x.TokPos+2, to)
		case *ast.BasicLit:
			if x.Kind == token.INT && deciding[x] {
				if v, err := strconv.ParseInt(x.Value, 0, 64); err == nil {
					to := v + 1
					if v == 1 {
						to = 0
					}
					add(opConst, x.Pos(), x.End(), strconv.FormatInt(to, 10))
				}
			}
		case *ast.Ident:
			switch x.Name {
			case "true":
				add(opConst, x.Pos(), x.End(), "false")
			case "false":
				add(opConst, x.Pos(), x.End(), "true")
			}
		case *ast.CompositeLit:
			if isStringSlice(x.Type) {
				for i, e := range x.Elts {
					if lit, ok := e.(*ast.BasicLit); !ok || lit.Kind != token.STRING {
						continue
					}
					start, end := e.Pos(), e.End()
					if i+1 < len(x.Elts) {
						end = x.Elts[i+1].Pos()
					} else if i > 0 {
						start = x.Elts[i-1].End()
					}
					add(opDropElem, start, end, "")
				}
				return false
			}
		case *ast.ExprStmt:
			if _, ok := x.X.(*ast.CallExpr); ok && !keep[x] {
				add(opCall, x.Pos(), x.End(), "if false { "+text(x)+" }")
			}
		case *ast.AssignStmt:
			if x.Tok != token.DEFINE && !keep[x] {
				add(opAssign, x.Pos(), x.End(), "if false { "+text(x)+" }")
			}
		case *ast.IfStmt:
			if !passesErrorOn(x) {
				add(opBranch, x.Cond.Pos(), x.Cond.End(), "false && ("+text(x.Cond)+")")
			}
		}
		return true
	})
	return out
}

// passesErrorOn reports an `if err != nil { return …, err }` that only
// passes an error on. Removing it is left to the error-injection tests
// (its condition is still negated): where the callee cannot fail here (a
// bbolt Put in a write transaction) it made only equivalent mutants.
func passesErrorOn(s *ast.IfStmt) bool {
	cond, ok := s.Cond.(*ast.BinaryExpr)
	if !ok || cond.Op != token.NEQ || s.Else != nil || len(s.Body.List) != 1 {
		return false
	}
	errName, ok := cond.X.(*ast.Ident)
	if nilY, isNil := cond.Y.(*ast.Ident); !ok || !isNil || nilY.Name != "nil" {
		return false
	}
	ret, ok := s.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) == 0 {
		return false
	}
	last, ok := ret.Results[len(ret.Results)-1].(*ast.Ident)
	return ok && last.Name == errName.Name
}

// isMessage says whether call builds an error message.
func isMessage(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && (pkg.Name == "fmt" && sel.Sel.Name == "Errorf" || pkg.Name == "errors" && sel.Sel.Name == "New")
}

func isString(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	return ok && lit.Kind == token.STRING
}

func isStringSlice(e ast.Expr) bool {
	at, ok := e.(*ast.ArrayType)
	if !ok {
		return false
	}
	id, ok := at.Elt.(*ast.Ident)
	return ok && id.Name == "string"
}

func pkgOf(file string) string {
	if i := strings.LastIndex(file, "/"); i >= 0 {
		return file[:i]
	}
	return "."
}

// funcRange is the byte range of the declaration named name in file.
func funcRange(src []byte, file, name string) (int, int, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil {
		return 0, 0, err
	}
	for _, decl := range f.Decls {
		for _, d := range declNames(decl) {
			if d.name == name {
				return fset.Position(d.node.Pos()).Offset, fset.Position(d.node.End()).Offset, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("no declaration %s in %s", name, file)
}
