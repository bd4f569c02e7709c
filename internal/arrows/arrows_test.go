// Package arrows holds one test: the import picture of the README
// ("Which package may import which") checked against the source, so a
// wrong arrow fails go test instead of waiting for a review.
package arrows

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "digilevel"

// rule says which imports a group of packages must not have. A package
// belongs to the first rule whose prefix matches its path.
type rule struct {
	prefix    string
	forbidden []string // import path prefixes, module-relative for ours
	why       string
}

// Surfaces and wiring: what no lower layer may import.
var surfaces = []string{"cmd", "ui", "web", "sync"}

var rules = []rule{
	{"indicators", []string{"*"}, "the catalog stands alone: standard library only"},
	{"model", []string{"*except indicators"}, "the pure domain imports only indicators and the standard library"},
	{"safefile", []string{"*"}, "file handling stands alone"},
	{"attach", append([]string{"storage", "report"}, surfaces...), "evidence reading sits below the stores"},
	{"storage/pgstore", append([]string{"storage/serverstore", "report"}, surfaces...), "an engine sees only the platform types"},
	{"storage/serverstore", append([]string{"storage/pgstore", "report"}, surfaces...), "an engine sees only the platform types"},
	{"storage", append([]string{"report", "roster"}, surfaces...), "stores sit below every surface"},
	{"report", append([]string{"storage", "roster"}, surfaces...), "reports render model types"},
	{"roster", append([]string{"storage", "report"}, surfaces...), "rosters parse into model types"},
	{"solutions", append([]string{"storage", "report"}, surfaces...), "the pool parses into model types"},
	{"sync/server/storetest", []string{"cmd", "ui", "web"}, "the conformance suite tests engines through server.Store"},
	{"sync/server", []string{"cmd", "ui", "web", "sync/client", "storage/serverstore", "storage/pgstore", "storage/internal"}, "the server owns server.Store; engines plug in from cmd"},
	{"sync/client", []string{"cmd", "ui", "web", "sync/server"}, "the client talks HTTP, not to the server's code"},
	{"sync/bundle", []string{"cmd", "ui", "web", "sync/server", "sync/client", "storage"}, "bundles are files of model documents"},
	{"sync/protocol", []string{"cmd", "ui", "web", "sync/server", "sync/client", "storage"}, "the wire types"},
	{"web/webtest", []string{"cmd", "ui", "storage/serverstore", "storage/pgstore"}, "the seeder stores through server.Store's types, whichever engine"},
	{"web/platformstore", []string{"cmd", "ui", "storage/serverstore", "storage/pgstore"}, "web's store adapts server.Store, whichever engine"},
	{"web", []string{"cmd", "ui", "sync/server", "sync/client", "storage/serverstore", "storage/pgstore"}, "web owns web.Store; it never opens an engine"},
	{"ui", []string{"cmd", "web", "sync/server", "storage/serverstore", "storage/pgstore"}, "ui owns ui.Store; it never opens the platform"},
}

// Third-party imports only some packages may have.
var drivers = []struct{ importPrefix, allowed, why string }{
	{"go.etcd.io/bbolt", "storage", "only storage/ touches bbolt"},
	{"github.com/jackc/pgx", "storage/pgstore", "only the PostgreSQL engine touches pgx"},
	{"github.com/charmbracelet", "ui", "only the TUI draws with Charm"},
}

func TestImportArrows(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	imports := productionImports(t, root)
	if len(imports["model"]) == 0 || len(imports["cmd/digilevel"]) == 0 {
		t.Fatalf("found no imports of model or cmd/digilevel under %s: the walk is broken", root)
	}
	var problems []string
	for pkg, imps := range imports {
		if strings.HasPrefix(pkg, "bench/") || strings.Contains(pkg, "internal/") && !strings.HasPrefix(pkg, "storage/internal") {
			continue // tools and test helpers, no production code
		}
		r, ok := ruleFor(pkg)
		for _, imp := range imps {
			for _, d := range drivers {
				if hasPrefix(imp, d.importPrefix) && !hasPrefix(pkg, d.allowed) && !(d.allowed == "ui" && pkg == "cmd/digilevel") {
					problems = append(problems, pkg+" imports "+imp+": "+d.why)
				}
			}
			own, isOwn := strings.CutPrefix(imp, module+"/")
			if !ok || !isOwn {
				continue
			}
			if forbids(r, own) {
				problems = append(problems, pkg+" imports "+own+": "+r.why)
			}
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

// The rules themselves: a known-bad edge must be refused, so the test
// cannot pass by matching nothing.
func TestRulesRefuseKnownBadEdges(t *testing.T) {
	bad := [][2]string{
		{"model", "storage"}, {"indicators", "model"}, {"storage", "ui"}, {"report", "storage"},
		{"sync/server", "storage/serverstore"}, {"web", "storage/pgstore"}, {"ui", "web"},
		{"storage/serverstore", "sync/server"},
	}
	for _, e := range bad {
		r, ok := ruleFor(e[0])
		if !ok || !forbids(r, e[1]) {
			t.Errorf("%s → %s is not refused", e[0], e[1])
		}
	}
	good := [][2]string{{"model", "indicators"}, {"ui", "storage"}, {"sync/server", "storage/platform"}, {"storage/pgstore", "storage/platform"}}
	for _, e := range good {
		if r, ok := ruleFor(e[0]); ok && forbids(r, e[1]) {
			t.Errorf("%s → %s is refused", e[0], e[1])
		}
	}
}

func ruleFor(pkg string) (rule, bool) {
	for _, r := range rules {
		if hasPrefix(pkg, r.prefix) {
			return r, true
		}
	}
	return rule{}, false
}

func forbids(r rule, own string) bool {
	for _, f := range r.forbidden {
		switch {
		case f == "*":
			return true
		case strings.HasPrefix(f, "*except "):
			return !hasPrefix(own, strings.TrimPrefix(f, "*except "))
		case hasPrefix(own, f):
			return true
		}
	}
	return false
}

// hasPrefix is a path prefix: "sync" matches "sync/client", not "syncx".
func hasPrefix(p, prefix string) bool {
	return p == prefix || strings.HasPrefix(p, prefix+"/")
}

// productionImports maps each package directory (module-relative) to the
// imports of its non-test files.
func productionImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		pkg := path.Clean(filepath.ToSlash(rel))
		for _, s := range f.Imports {
			imp, _ := strconv.Unquote(s.Path.Value)
			out[pkg] = append(out[pkg], imp)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}
