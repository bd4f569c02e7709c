package ui

import (
	"strings"
	"testing"

	"digilevel/model"
)

// A terminal has no markup: a name with <, >, &, quotes or a pipe is shown
// as typed, on the home list and in the status line (control and bidi
// characters are FuzzScreensRenderSafely's).
func TestHostileNameShownAsTyped(t *testing.T) {
	db, _ := newTestDB(t)
	name := `甲<b>&amp;"'|乙`
	if _, err := db.CreateEnterprise(model.Enterprise{Code: creditCode(t, "91410700MA01E1EC2"), Name: name, Batch: 1}, model.Change{Who: "测试"}); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, testDeps(db), 80, 24)
	if v := h.view(); strings.Count(v, name) < 2 {
		t.Fatalf("the name %q is not shown as typed in the list and the status line:\n%s", name, v)
	}
}
