package report

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"digilevel/indicators"
	"digilevel/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./report -update after checking the change)\n%s", name, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line, enough to find the change.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n- " + w + "\n+ " + g
		}
	}
	return ""
}

func render(t testing.TB, write func(*bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGoldenMarkdownAndJSON(t *testing.T) {
	f := fixtures(t)
	cmp, err := Compare(f.baseline, f.acceptance)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Report{"baseline": f.baseline, "acceptance": f.acceptance, "draft": f.draft} {
		golden(t, name+".md", render(t, func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }))
		golden(t, name+".json", render(t, func(b *bytes.Buffer) error { return r.WriteJSON(b) }))
	}
	golden(t, "compare.md", render(t, func(b *bytes.Buffer) error { return cmp.WriteMarkdown(b) }))
	golden(t, "compare.json", render(t, func(b *bytes.Buffer) error { return cmp.WriteJSON(b) }))
	// Nothing written refers to the network.
	for _, fm := range []Format{FormatMarkdown, FormatJSON, FormatHTML} {
		for name, out := range map[string][]byte{
			"baseline": render(t, func(b *bytes.Buffer) error { return f.baseline.Write(b, fm) }),
			"draft":    render(t, func(b *bytes.Buffer) error { return f.draft.Write(b, fm) }),
			"compare":  render(t, func(b *bytes.Buffer) error { return cmp.Write(b, fm) }),
		} {
			if bytes.Contains(out, []byte("http://")) || bytes.Contains(out, []byte("https://")) {
				t.Errorf("%s %s refers to the network", name, fm)
			}
		}
	}
}

// A finalized report's JSON output is the stored signed bytes, byte for
// byte, and its hash is what the signatures section shows.
func TestJSONIsStoredBytes(t *testing.T) {
	f := fixtures(t)
	got := render(t, func(b *bytes.Buffer) error { return f.baseline.WriteJSON(b) })
	if !bytes.Equal(got, f.baselineRaw) {
		t.Fatal("JSON output differs from the stored signed bytes")
	}
	if f.baseline.SHA256() != model.HashReport(f.baselineRaw) {
		t.Error("SHA256 is not the hash of the stored bytes")
	}
	md := string(render(t, func(b *bytes.Buffer) error { return f.baseline.WriteMarkdown(b) }))
	if !strings.Contains(md, model.HashReport(f.baselineRaw)) || !strings.Contains(md, KeyFingerprint(f.baseline.Doc.Signature)) {
		t.Error("markdown lacks the report hash or the key fingerprint")
	}
	draft, _ := f.draft.Doc.Canonical()
	if !bytes.Equal(render(t, func(b *bytes.Buffer) error { return f.draft.WriteJSON(b) }), draft) {
		t.Error("draft JSON is not doc.Canonical()")
	}
}

func TestConstructorsRejectBadInput(t *testing.T) {
	f := fixtures(t)
	if _, err := New(f.cat, f.baseline.Doc); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "已签名") {
		t.Errorf("New(finalized doc) = %v", err)
	}
	tampered := bytes.Replace(f.baselineRaw, []byte(`"level":1,"level_name":"一级"`), []byte(`"level":2,"level_name":"二级"`), 1)
	if _, err := FromBytes(f.cat, tampered); !errors.Is(err, model.ErrTampered) {
		t.Errorf("FromBytes(tampered) = %v", err)
	}
	draft, _ := f.draft.Doc.Canonical()
	if _, err := FromBytes(f.cat, append([]byte(" "), draft...)); !errors.Is(err, model.ErrTampered) {
		t.Errorf("FromBytes(reformatted draft) = %v", err)
	}
	if r, err := FromBytes(f.cat, draft); err != nil || !r.Doc.Draft {
		t.Errorf("FromBytes(draft) = %v", err)
	}
	future := f.draft.Doc
	future.Format = "digilevel-report/3"
	data, err := future.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FromBytes(f.cat, data); !errors.Is(err, model.ErrTampered) || !strings.Contains(err.Error(), "不受支持") {
		t.Errorf("FromBytes(draft of another format) = %v", err)
	}
	if _, err := FromBytes(f.cat, []byte("{")); !errors.Is(err, model.ErrTampered) {
		t.Errorf("FromBytes(junk) = %v", err)
	}
	if _, err := ParseFormat("pdf"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("ParseFormat(pdf) = %v", err)
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(s *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

// Every report the tests produce validates against the published schema,
// and the schema has teeth: drift and broken invariants are rejected.
func TestSchema(t *testing.T) {
	s := compileSchema(t)
	f := fixtures(t)
	revised := revisedReport(t, f)
	for name, r := range map[string]*Report{"baseline": f.baseline, "acceptance": f.acceptance, "draft": f.draft, "revision": revised} {
		if err := validate(s, r.Bytes()); err != nil {
			t.Errorf("%s does not validate: %v", name, err)
		}
	}
	bad := map[string][]byte{
		"unknown field":               bytes.Replace(f.baselineRaw, []byte(`{"format"`), []byte(`{"x":1,"format"`), 1),
		"score as string":             bytes.Replace(f.baselineRaw, []byte(`"score":36.6`), []byte(`"score":"36.6"`), 1),
		"finalized without signature": f.baselineRaw[:bytes.Index(f.baselineRaw, []byte(`,"signature"`))],
		"bad scenario level":          bytes.Replace(f.baselineRaw, []byte(`"SC01":1`), []byte(`"SC01":"high"`), 1),
	}
	bad["finalized without signature"] = append(bytes.Clone(bad["finalized without signature"]), '}')
	for name, data := range bad {
		if bytes.Equal(data, f.baselineRaw) {
			t.Fatalf("%s: fixture did not change the bytes", name)
		}
		if err := validate(s, data); err == nil {
			t.Errorf("%s: schema accepted it", name)
		}
	}
}

// revisedReport is a draft revision of the baseline: it carries replaces and
// revision_reason, and lists edited by hand.
func revisedReport(t *testing.T, f fixture) *Report {
	t.Helper()
	e := testEnterprise()
	a := buildAssessment(t, f.cat, e, idBaseline, model.KindBaseline, tBaseline, baselineAnswers())
	if _, _, err := a.Finalize(f.cat, testPlanning(t, f.cat), e, testKey(), model.Change{Now: tBaseline}); err != nil {
		t.Fatal(err)
	}
	next, _, err := a.Revise("01JNREVISE0000000000000004", "Q02 误选，按设备台账更正", model.Change{Who: "李工", Now: tBaseline.Add(24 * 3600e9)})
	if err != nil {
		t.Fatal(err)
	}
	c := model.Change{Who: "李工", Now: tBaseline.Add(24 * 3600e9)}
	if _, err := next.SetAnswer(f.cat, "Q02", []string{"D"}, c); err != nil {
		t.Fatal(err)
	}
	if _, err := next.SetLists([]model.ListItem{{Ref: "Q05", Title: "信息系统覆盖不足", Current: "单个业务环节", Target: "大部分业务环节"}}, []model.ListItem{}, c); err != nil {
		t.Fatal(err)
	}
	doc, err := model.BuildReport(f.cat, testPlanning(t, f.cat), next, e)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(f.cat, doc)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// With a catalog whose N/A ratings shrink the scenario gates, the path
// section states the gates the level was judged on, not the rule's.
func TestPlanGatesAfterNAPolicy(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "indicators", "editions", "2024.json"))
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(raw, []byte(`"allow_not_applicable": false,
    "not_applicable_mode": "count_as_below"`), []byte(`"allow_not_applicable": true,
    "not_applicable_mode": "shrink_gates"`), 1)
	if bytes.Equal(edited, raw) {
		t.Fatal("scenario policy not found in the 2024 edition")
	}
	cat, err := indicators.Parse("shrink.json", edited)
	if err != nil {
		t.Fatal(err)
	}
	ans := baselineAnswers()
	for _, s := range []string{"SC02", "SC04", "SC09", "SC10"} {
		ans.scenarios[s] = int(model.NotApplicable)
	}
	e := testEnterprise()
	a := buildAssessment(t, cat, e, idDraft, model.KindBaseline, tDraft, ans)
	doc, err := model.BuildReport(cat, testPlanning(t, cat), a, e)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(cat, doc)
	if err != nil {
		t.Fatal(err)
	}
	var check model.LevelCheck
	for _, c := range doc.Result.Checks {
		if c.Level == doc.Target.Target {
			check = c
		}
	}
	rule, _ := cat.Rule(check.Level)
	if check.MinScenarios == rule.MinScenarios {
		t.Fatalf("the fixture does not shrink the gate (%d)", check.MinScenarios)
	}
	want := fmt.Sprintf("至少 %d 个场景达到%s，其中约束性场景不少于 %d 个", check.MinScenarios, check.Name, check.MinConstrained)
	if lines := strings.Join(buildView(r).Plans[0].Lines, "\n"); !strings.Contains(lines, want) {
		t.Errorf("path section:\n%s\nwant the gates after the N/A policy: %s", lines, want)
	}
}

// Text a person typed cannot become a Markdown link or image (an image
// would make the viewer fetch its URL), in paragraphs or table cells.
func TestMarkdownNeutralisesLinks(t *testing.T) {
	f := fixtures(t)
	r := *f.draft
	hostile := `![x](http://a.invalid/p.png) \[y\](http://b.invalid) [z]: http://c.invalid`
	r.Doc.Enterprise.Name = "甲 " + hostile
	r.Doc.Enterprise.Notes = hostile
	r.Doc.Answers.Notes = map[string]string{"Q05": hostile}
	md := string(render(t, func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }))
	if n := strings.Count(md, "http://a.invalid"); n < 3 {
		t.Fatalf("the hostile text appears %d times, want it in the title line, a cell and a list item", n)
	}
	// Every "[" must be escaped: preceded by an odd number of backslashes.
	for i := range len(md) {
		if md[i] != '[' {
			continue
		}
		n := 0
		for j := i - 1; j >= 0 && md[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			t.Fatalf("unescaped [ at %d: %q", i, md[max(0, i-30):min(len(md), i+30)])
		}
	}
}

// Write takes every name ParseFormat accepts; an alias must not write
// nothing, and an unknown name is an error.
func TestWriteFormatNames(t *testing.T) {
	f := fixtures(t)
	want := render(t, func(b *bytes.Buffer) error { return f.baseline.Write(b, FormatMarkdown) })
	if got := render(t, func(b *bytes.Buffer) error { return f.baseline.Write(b, Format("markdown")) }); !bytes.Equal(got, want) {
		t.Errorf("Write(markdown) wrote %d bytes, want the %d of md", len(got), len(want))
	}
	if err := f.baseline.Write(&bytes.Buffer{}, Format("pdf")); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("Write(pdf) = %v", err)
	}
}

// FromVerified takes only signed finalized documents: a draft or an
// unsigned document must go through New or FromBytes.
func TestFromVerifiedRefusesUnsigned(t *testing.T) {
	cat, _ := indicators.Embedded(indicators.DefaultEdition)
	for _, doc := range []model.ReportDocument{{ID: "D", Draft: true}, {ID: "U"}} {
		if _, err := FromVerified(cat, doc, []byte("{}")); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%s: %v", doc.ID, err)
		}
	}
}
