package ui

import (
	"context"
	"strings"
	"testing"

	"digilevel/indicators"
	"digilevel/model"
)

// accessibleOnE3 runs the accessible mode on the fixture's enterprise
// without assessments, starting a new baseline (改造前诊断) with the given
// further input, and returns that assessment and the output.
func accessibleOnE3(t *testing.T, input string) (model.Assessment, string) {
	t.Helper()
	fx := newFixture(t, false)
	var out strings.Builder
	if err := RunAccessible(context.Background(), strings.NewReader("牧野\n1\n1\n"+input), &out, testDeps(fx.db)); err != nil {
		t.Fatal(err)
	}
	list, err := fx.db.Assessments(fx.codeE3)
	if err != nil || len(list) != 1 || list[0].Kind != model.KindBaseline {
		t.Fatalf("assessments of E3: %+v, %v\n%s", list, err, out.String())
	}
	return list[0], out.String()
}

// TestAccessibleSurvey: a new baseline starts with the site survey, as the
// TUI's does; each line is checked as it is typed, a bad one refused with
// the reason and asked again alone, and the survey is stored before the
// first question.
func TestAccessibleSurvey(t *testing.T) {
	input := "y\n" +
		"2026-02-30\n\n" + // an impossible date refused, then today
		"王五, 新乡经开区工信局, 调查员, 13800000000\n" +
		"甲, 乙, 丙, 丁, 戊\n" + // five fields: refused
		"\n" +
		"冲压车间人工排产\n" +
		"设备无联网\n" +
		"\n" +
		"难点：订单交期难以预估\n" +
		"堵点: 名字\x1b]52;c;Y3VybA==\x07\n" + // a terminal control: refused
		"\n" +
		"q\n" // the first question follows; quit there
	a, out := accessibleOnE3(t, input)
	s := a.Survey
	if s == nil {
		t.Fatalf("no survey stored:\n%s", out)
	}
	if s.Date != model.BeijingDay(fixedNow()) {
		t.Errorf("date %q, want today %q", s.Date, model.BeijingDay(fixedNow()))
	}
	if len(s.Surveyors) != 1 || s.Surveyors[0] != (model.Surveyor{Name: "王五", Agency: "新乡经开区工信局", Role: "调查员", Contact: "13800000000"}) {
		t.Errorf("surveyors %+v", s.Surveyors)
	}
	if s.Findings != "冲压车间人工排产\n设备无联网" {
		t.Errorf("findings %q", s.Findings)
	}
	if len(s.PainPoints) != 1 || s.PainPoints[0] != (model.PainPoint{Kind: "difficulty", Text: "订单交期难以预估"}) {
		t.Errorf("pain points %+v", s.PainPoints)
	}
	if n := strings.Count(out, "输入无效"); n != 3 {
		t.Errorf("%d refusals, want 3 (date, surveyor, control character):\n%s", n, out)
	}
	for _, want := range []string{"现场调研", "已保存现场调研", "第 1 行"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Error("the output echoes a terminal control")
	}
	if i, j := strings.Index(out, "已保存现场调研"), strings.Index(out, "Q01"); i < 0 || j < i {
		t.Errorf("the first question is not asked after the survey:\n%s", out)
	}
}

// TestAccessibleSurveySkipped: an empty answer skips the survey (esc on
// the survey screen) and the questions start.
func TestAccessibleSurveySkipped(t *testing.T) {
	a, out := accessibleOnE3(t, "\nq\n")
	if a.Survey != nil || !strings.Contains(out, "Q01") {
		t.Errorf("survey %+v, output:\n%s", a.Survey, out)
	}
}

// TestAccessibleSurveySelf: with no surveyor typed, the laptop's assessor
// is recorded, as the survey screen prefills.
func TestAccessibleSurveySelf(t *testing.T) {
	a, out := accessibleOnE3(t, "y\n\n\n\n\nq\n")
	if a.Survey == nil || len(a.Survey.Surveyors) != 1 || a.Survey.Surveyors[0].Name != testIdentity.Person || a.Survey.Surveyors[0].Agency != testIdentity.Org {
		t.Errorf("survey %+v\n%s", a.Survey, out)
	}
}

// TestAccessibleDerivedOption: after a question's numbers, an empty answer
// takes the option they imply (the TUI's enter on 推算), and the prompt says
// which.
func TestAccessibleDerivedOption(t *testing.T) {
	// Survey skipped; Q01: B, no note, no evidence; Q02: two numbers, then enter.
	a, out := accessibleOnE3(t, "\nB\n\n\n120\n66\n\nq\n")
	var want string
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range model.Derive(cat, a.Answers) {
		if d.Question == "Q02" {
			want = d.Option
		}
	}
	if want == "" {
		t.Fatalf("the numbers imply no option for Q02: %v\n%s", a.Answers.Numbers["Q02"], out)
	}
	if got := a.Answers.Answers["Q02"]; len(got) != 1 || got[0] != want {
		t.Errorf("Q02 = %v, want the implied %s\n%s", got, want, out)
	}
	if !strings.Contains(out, "直接回车采用推算的 "+want) {
		t.Errorf("the prompt does not name the implied option:\n%s", out)
	}
}

// TestAccessibleEmptyDatabase: with no enterprise, declining the demo says
// how to add one; an unclear answer is asked again.
func TestAccessibleEmptyDatabase(t *testing.T) {
	db, _ := newTestDB(t)
	var out strings.Builder
	if err := RunAccessible(context.Background(), strings.NewReader("x\nn\n"), &out, testDeps(db)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "是否创建示例企业"); n != 2 {
		t.Errorf("asked %d times, want 2 (x is asked again):\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "digilevel enterprise add") {
		t.Errorf("no hint how to add an enterprise:\n%s", out.String())
	}
	if list, _ := db.Summaries(); len(list) != 0 {
		t.Errorf("declining created %d enterprises", len(list))
	}
}
