package ui

import (
	"regexp"
	"strings"
	"testing"

	"digilevel/model"
	"digilevel/storage"
)

// hostileStore returns stored text of unknown origin (written before the
// text rule, or by a tampered file): every name, note, path and error the
// screens show carries what the fuzzer chose.
type hostileStore struct {
	Store
	text string
}

func (s hostileStore) Summaries() ([]storage.EnterpriseSummary, error) {
	list, err := s.Store.Summaries()
	for i := range list {
		list[i].Name += s.text
		list[i].Provider, list[i].Industry = s.text, s.text
	}
	return list, err
}

func (s hostileStore) SummaryPage(n int) (storage.SummaryPage, error) {
	p, err := s.Store.SummaryPage(n)
	for i := range p.List {
		p.List[i].Name += s.text
		p.List[i].Provider, p.List[i].Industry = s.text, s.text
	}
	return p, err
}

func (s hostileStore) Enterprise(code string) (model.Enterprise, error) {
	e, err := s.Store.Enterprise(code)
	e.Name += s.text
	e.Provider, e.Address, e.Notes, e.Industry = s.text, s.text, s.text, s.text
	e.Contacts = []model.Contact{{Name: s.text, Role: s.text}}
	return e, err
}

func (s hostileStore) Assessment(id string) (model.Assessment, error) {
	a, err := s.Store.Assessment(id)
	a.Answers = a.Answers.Clone()
	if a.Answers.Notes == nil {
		a.Answers.Notes = map[string]string{}
	}
	a.Answers.Notes["Q10"], a.Answers.Notes["SC02"] = s.text, s.text
	a.Evidence = map[string][]model.Evidence{"Q10": {{Path: "/现场/" + s.text, SHA256: strings.Repeat("a", 64), Size: 1}}}
	a.Assessor = model.Assessor{Org: s.text, Person: s.text}
	return a, err
}

func (s hostileStore) Outbox() ([]storage.OutboxItem, error) {
	items, err := s.Store.Outbox()
	for i := range items {
		items[i].LastError = s.text
	}
	return items, err
}

func (s hostileStore) Identity() (model.Assessor, error) {
	return model.Assessor{Org: "服务商" + s.text, Person: s.text}, nil
}

// sgr matches a Select Graphic Rendition sequence (colours, bold, reset).
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// FuzzScreensRenderSafely is issue 9 item 6 for the TUI: whatever stored
// text holds, no screen emits a control or bidi-override character (the
// goldens are colourless, so any such rune came from the data): a name
// cannot retitle the terminal or write to its clipboard (OSC 52). Run the
// seeds with go test; explore with go test ./ui -fuzz FuzzScreensRenderSafely.
func FuzzScreensRenderSafely(f *testing.F) {
	for _, seed := range []string{
		"\x1b]0;被改的标题\x07",
		"\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07",
		"新乡\u202e司公限有\u202c",
		"\xff\xfe无效编码",
		"\x9b31m红字\u0085",
		"制表\t回车\r换行\n结束",
		"\u2066隔离\u2069\u200f",
	} {
		f.Add(seed)
	}
	fx := newFixture(f, true)
	screens := [][]string{
		nil,                           // home
		{"enter"},                     // the demo's walk at Q10 (note, evidence)
		{"enter", "r"},                // review
		{"enter", "s", "]"},           // scenarios at SC02 (note)
		{"y"},                         // sync queue with errors
		{"e"},                         // the enterprise form
		{"/", "电子", "enter", "enter"}, // a finalized report's review
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, keys := range screens {
			d := testDeps(hostileStore{Store: fx.db, text: text})
			if len(keys) == 1 && keys[0] == "y" {
				// The platform's timer costs the harness a wait: only here.
				d.Platform = &fakePlatform{status: PlatformStatus{Server: "https://x/" + text, HasToken: true, PauseReason: text}}
			}
			h := newHarness(t, d, 100, 30)
			h.keys(keys...)
			// huh writes SGR resets even without colour; those (and only
			// those: no OSC, no cursor moves) may stay.
			v := sgr.ReplaceAllString(h.m.View(), "")
			for _, r := range v {
				if r != '\n' && model.UnsafeRune(r) {
					t.Fatalf("screen after %v emits %U from stored text %q:\n%s", keys, r, text, h.m.View())
				}
			}
		}
	})
}
