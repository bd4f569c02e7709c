package webtest

import (
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/serverstore"
)

func TestLevelTemplates(t *testing.T) {
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	levels, err := LevelTemplates(cat, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	for l, list := range levels {
		for _, a := range list {
			res, err := model.Score(cat, a)
			if err != nil || res.Level != l || len(res.Missing) > 0 {
				t.Errorf("template of level %d scores %d (missing %v): %v", l, res.Level, res.Missing, err)
			}
		}
	}
}

func TestSeed(t *testing.T) {
	st, err := serverstore.Open(filepath.Join(t.TempDir(), "p.db"), serverstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err := Seed(st, Options{Enterprises: 30, SpotCheckEvery: 3, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	last, _ := st.LastSeq()
	if res.Reports == 0 || uint64(res.Reports) != last || res.SpotChecks == 0 || len(res.Enterprises) != 30 {
		t.Fatalf("seeded %+v, last seq %d", res, last)
	}
	problems, err := st.Check()
	if err != nil || len(problems) > 0 {
		t.Fatalf("check: %v\n%s", err, strings.Join(problems, "\n"))
	}
}
