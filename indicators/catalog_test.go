package indicators

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustEmbedded(t testing.TB) *Catalog {
	t.Helper()
	c, err := Embedded(DefaultEdition)
	if err != nil {
		t.Fatalf("Embedded(%q): %v", DefaultEdition, err)
	}
	return c
}

// The machine-checkable summary of the reference (§9), row by row.
func TestEdition2024MatchesReferenceSummary(t *testing.T) {
	tests := []struct {
		id, dim, max string
		typ          QuestionType
		scores       string
		none         string
	}{
		{"Q01", "数字化基础", "8", Multi, "0,2,2,2,2", "A"},
		{"Q02", "数字化基础", "6", Single, "0,1.5,3,4.5,6", ""},
		{"Q03", "数字化基础", "6", Single, "0,1.5,3,4.5,6", ""},
		{"Q04", "数字化基础", "10", Multi, "0,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.9", "A"},
		{"Q05", "数字化基础", "10", Single, "0,2.5,5,7.5,10", "A"},
		{"Q06", "数字化基础", "5", Multi, "0,1.25,1.25,1.25,1.25", "A"},
		{"Q07", "数字化基础", "5", Multi, "0,1.25,1.25,1.25,1.25", "A"},
		{"Q08", "数字化管理", "7.5", Single, "0,1.5,3,4.5,6,7.5", "A"},
		{"Q09", "数字化管理", "7.5", Multi, "0,1.875,1.875,1.875,1.875", "A"},
		{"Q10", "数字化管理", "7.5", Multi, "0,1.5,1.5,1.5,1.5,1.5", "A"},
		{"Q11", "数字化管理", "7.5", Single, "0,1.875,3.75,5.625,7.5", ""},
		{"Q12", "数字化成效", "7", Single, "0,3.5,7", ""},
		{"Q13", "数字化成效", "7", Single, "0,3.5,7", ""},
		{"Q14", "数字化成效", "3", Single, "0,1.5,3", ""},
		{"Q15", "数字化成效", "3", Single, "0,1.5,3", ""},
	}
	c := mustEmbedded(t)
	qn := c.DefaultQuestionnaire()
	if got := len(qn.Questions()); got != len(tests) {
		t.Fatalf("questions = %d, want %d", got, len(tests))
	}
	options, multi := 0, 0
	for i, tt := range tests {
		q := qn.Questions()[i]
		if q.ID != tt.id {
			t.Fatalf("question %d = %s, want %s", i, q.ID, tt.id)
		}
		p, _ := qn.PathOf(q.ID)
		if p.Dimension.Name != tt.dim {
			t.Errorf("%s dimension = %s, want %s", q.ID, p.Dimension.Name, tt.dim)
		}
		if q.Max != MustPoints(tt.max) || q.Type != tt.typ {
			t.Errorf("%s max/type = %s/%s, want %s/%s", q.ID, q.Max, q.Type, tt.max, tt.typ)
		}
		var scores []string
		none := ""
		for _, o := range q.Options {
			scores = append(scores, o.Score.String())
			if o.None {
				none = o.ID
			}
		}
		if got := strings.Join(scores, ","); got != tt.scores {
			t.Errorf("%s scores = %s, want %s", q.ID, got, tt.scores)
		}
		if none != tt.none && !(tt.none == "" && q.Type == Single && none == "") {
			t.Errorf("%s none option = %q, want %q", q.ID, none, tt.none)
		}
		options += len(q.Options)
		if q.Type == Multi {
			multi++
		}
	}
	if options != 79 || multi != 6 {
		t.Errorf("options = %d, multi = %d; the reference says 79 and 6", options, multi)
	}
	var dims []string
	for _, d := range qn.Dimensions {
		dims = append(dims, d.Name+"="+d.Points.String())
	}
	if got := strings.Join(dims, " "); got != "数字化基础=50 数字化管理=30 数字化成效=20" {
		t.Errorf("dimensions = %s", got)
	}
	if c.TotalPoints != MustPoints("100") {
		t.Errorf("total = %s", c.TotalPoints)
	}
}

// C11: 16 scenarios in 4 groups (4/6/2/4), 10 约束性, one descriptor per level.
func TestEdition2024Scenarios(t *testing.T) {
	c := mustEmbedded(t)
	if len(c.Scenarios) != 16 {
		t.Fatalf("scenarios = %d, want 16", len(c.Scenarios))
	}
	perGroup := map[string]int{}
	var constrained []string
	for i, s := range c.Scenarios {
		if want := "SC" + twoDigits(i+1); s.ID != want {
			t.Errorf("scenario %d id = %s, want %s", i, s.ID, want)
		}
		g, _ := c.Group(s.Group)
		perGroup[g.Name]++
		if s.Constrained {
			constrained = append(constrained, s.Name)
		}
		if len(s.Descriptors) != 4 {
			t.Errorf("%s descriptors = %d", s.ID, len(s.Descriptors))
		}
	}
	want := map[string]int{"产品生命周期数字化": 4, "生产执行数字化": 6, "供应链数字化": 2, "管理决策数字化": 4}
	for g, n := range want {
		if perGroup[g] != n {
			t.Errorf("group %s has %d scenarios, want %d", g, perGroup[g], n)
		}
	}
	if got := strings.Join(constrained, ","); got != "产品设计,营销管理,生产管控,质量管理,设备管理,安全生产,能耗管理,采购管理,仓储物流,财务管理" {
		t.Errorf("约束性 = %s", got)
	}
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

// Verbatim oddities the reference insists on keeping.
func TestEdition2024VerbatimTexts(t *testing.T) {
	c := mustEmbedded(t)
	qn := c.DefaultQuestionnaire()
	q := func(id string) *Question { x, _ := qn.Question(id); return x }
	opt := func(qid, oid string) *Option { o, _ := q(qid).Option(oid); return o }
	sc := func(id string) *Scenario { s, _ := c.Scenario(id); return s }
	tests := []struct{ name, got, want string }{
		{"Q01.C repeated phrase", opt("Q01", "C").Text, "企业建成应用系统网络，实现大规模设备、人员与信息系统互联，可支持大规模设备、人员与信息系统互联"},
		{"Q08.F platform text", opt("Q08", "F").Text, "定期组织员工去数字化建设成效较好的同行业公司参观交流，增强数字化转型意识"},
		{"Q11 full title", q("Q11").FullTitle(), "企业近三年平均数字化投入总额占营业额的平均比例（企业成立不满三年按照实际成立时长计算年均投入）"},
		{"Q10 variant", strings.Join(q("Q10").TitleVariants, ""), "企业在数字化人才建设方面采取的措施"},
		{"Q04.O", opt("Q04", "O").Text + "=" + opt("Q04", "O").Score.String(), "人力资源=0.9"},
		{"Q12 title trimmed", q("Q12").Title, "企业数字化改造后每百元营业收入中综合能源消费量相比于改造前的变化情况"},
		{"Q02.C trimmed", opt("Q02", "C").Text, "(20%,40%]"},
		{"SC12 四级 inner space", sc("SC12").Descriptors[3][:strings.Index(sc("SC12").Descriptors[3], "或按照")], "使用人工智能等前沿技术，实现仓储物流与供应商库存或客户生产计划间的数字化协同，并能够自动实现物流计划的自动制定实施或厂内物料自动配送； "},
		{"SC08 三级 (platform order)", sc("SC08").Descriptors[2], "基于信息化系统实现设备关键运行参数数据的实时采集、故障分析和远程诊断，并依据设备关键运行参数等，实现设备综合效率（OEE）统计。"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, tt.got, tt.want)
		}
	}
	if !strings.Contains(opt("Q08", "F").Note, "已经能够输出数字化转型成果或经验供同行借鉴") {
		t.Errorf("Q08.F note lacks the alternative text: %q", opt("Q08", "F").Note)
	}
	if len(q("Q11").Notes) == 0 || !strings.Contains(q("Q11").Notes[0], "存疑") {
		t.Errorf("Q11 lacks the bracket doubt note")
	}
	if d := q("Q01").Dependencies; len(d) != 1 || d[0].Enabled {
		t.Errorf("Q01 dependency should exist and be off: %+v", d)
	}
	if q("Q11").Derive != nil {
		t.Errorf("Q11 must not derive its option from the amount")
	}
	if c.Levels.NoLevelLabel != "无等级" || c.Pilot.TargetLevel != 2 {
		t.Errorf("no-level label %q, target %d", c.Levels.NoLevelLabel, c.Pilot.TargetLevel)
	}
}

func TestEdition2024LevelRules(t *testing.T) {
	c := mustEmbedded(t)
	var got []string
	for _, r := range c.Levels.Rules {
		got = append(got, r.Name+":"+r.MinScore.String()+"/"+itoa(r.MinScenarios)+"/"+itoa(r.MinConstrained))
	}
	if s := strings.Join(got, " "); s != "一级:20/6/3 二级:40/6/3 三级:60/8/5 四级:80/10/6" {
		t.Errorf("rules = %s", s)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// Every rule of Validate, broken one at a time, is reported with its item.
func TestValidateReportsEachRule(t *testing.T) {
	tests := []struct {
		name, rule, item string
		mutate           func(c *Catalog)
	}{
		{"dimension total", RuleDimensionTotal, "D1", func(c *Catalog) { c.Questionnaires[0].Dimensions[0].Points = MustPoints("49") }},
		{"grand total", RuleGrandTotal, "general", func(c *Catalog) { c.TotalPoints = MustPoints("99") }},
		{"multi sum", RuleMultiSum, "Q04", func(c *Catalog) { q(c, "Q04").Options[14].Score = MustPoints("0.8") }},
		{"single max", RuleSingleMax, "Q02", func(c *Catalog) { q(c, "Q02").Max = MustPoints("7") }},
		{"zero option", RuleZeroOption, "Q12", func(c *Catalog) { q(c, "Q12").Options[0].Score = MustPoints("0.5") }},
		{"none scored", RuleNoneExclusive, "Q06.A", func(c *Catalog) { q(c, "Q06").Options[0].Score = MustPoints("1") }},
		{"none missing", RuleNoneExclusive, "Q07", func(c *Catalog) { q(c, "Q07").Options[0].None = false }},
		{"weighted max", RuleWeightedMax, "D1.1.1", func(c *Catalog) { c.Questionnaires[0].Dimensions[0].SubDimensions[0].Indicators[0].WeightPercent = 35 }},
		{"weight sum", RuleWeightSum, "D1.1", func(c *Catalog) { c.Questionnaires[0].Dimensions[0].SubDimensions[0].Indicators[1].WeightPercent = 25 }},
		{"descriptors", RuleScenarios, "SC05", func(c *Catalog) { s, _ := c.Scenario("SC05"); s.Descriptors = s.Descriptors[:3] }},
		{"unknown group", RuleScenarios, "SC01", func(c *Catalog) { c.Scenarios[0].Group = "G9" }},
		{"infeasible gate", RuleScenarios, "levels.rules[4]", func(c *Catalog) { c.Levels.Rules[3].MinConstrained = 11 }},
		{"duplicate id", RuleIdentity, "Q02", func(c *Catalog) { q(c, "Q03").ID = "Q02" }},
		{"trailing space", RuleText, "Q05.D", func(c *Catalog) { q(c, "Q05").Options[3].Text += " " }},
		{"levels order", RuleLevels, "levels.rules[2]", func(c *Catalog) { c.Levels.Rules[2].MinScore = MustPoints("40") }},
		{"derive field", RuleDerive, "Q03.derive", func(c *Catalog) { q(c, "Q03").Derive.Value.Den = "Q02.nope" }},
		{"derive option", RuleDerive, "Q14.derive", func(c *Catalog) { q(c, "Q14").Derive.Flat = "Z" }},
		{"dependency", RuleDependency, "Q01.E", func(c *Catalog) { q(c, "Q01").Dependencies[0].Requires = []string{"X"} }},
		{"target level", RulePilot, "pilot.target_level", func(c *Catalog) { c.Pilot.TargetLevel = 5 }},
		{"na mode", RuleScenarioPolicy, "scenario_policy", func(c *Catalog) { c.ScenarioPolicy.NotApplicableMode = "ignore" }},
		{"format", RuleFormat, "format", func(c *Catalog) { c.Format = 2 }},
		{"default questionnaire", RuleQuestionnaire, "questionnaires", func(c *Catalog) { c.Questionnaires[0].Default = false }},
		{"option sequence", RuleOptionSequence, "Q13.D", func(c *Catalog) { q(c, "Q13").Options[2].ID = "D" }},
		{"question type", RuleQuestionTypeKnow, "Q05", func(c *Catalog) { q(c, "Q05").Type = "rank" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustEmbedded(t)
			tt.mutate(c)
			err := c.Validate()
			var errs ValidationErrors
			if !errors.As(err, &errs) {
				t.Fatalf("Validate() = %v, want ValidationErrors", err)
			}
			for _, e := range errs {
				if e.Rule == tt.rule && e.Item == tt.item {
					if !strings.Contains(e.Error(), "editions/2024.json") {
						t.Errorf("error does not name the file: %s", e)
					}
					return
				}
			}
			t.Errorf("want rule %s on %s, got:\n%v", tt.rule, tt.item, err)
		})
	}
}

func q(c *Catalog, id string) *Question {
	x, ok := c.DefaultQuestionnaire().Question(id)
	if !ok {
		panic("no question " + id)
	}
	return x
}

func TestHashIsStableAndContentSensitive(t *testing.T) {
	c := mustEmbedded(t)
	if len(c.Hash()) != 64 {
		t.Fatalf("hash %q", c.Hash())
	}
	canonical, err := c.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("canonical.json", canonical)
	if err != nil {
		t.Fatalf("canonical form does not parse: %v", err)
	}
	if again.Hash() != c.Hash() {
		t.Errorf("hash changed on round trip: %s vs %s", again.Hash(), c.Hash())
	}
	// A city variant: 仓储物流 unflagged (the ERP project's 9 约束性 scenarios).
	variant := strings.Replace(string(canonical), `"id":"SC12","name":"仓储物流","group":"G3","constrained":true`, `"id":"SC12","name":"仓储物流","group":"G3","constrained":false`, 1)
	v, err := Parse("variant.json", []byte(variant))
	if err != nil {
		t.Fatalf("variant: %v", err)
	}
	if v.Constrained() != 9 || v.Hash() == c.Hash() {
		t.Errorf("variant constrained = %d, hash same = %v", v.Constrained(), v.Hash() == c.Hash())
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	c := mustEmbedded(t)
	good, _ := c.Canonical()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	loaded, err := Load(write("good.json", good))
	if err != nil || loaded.Hash() != c.Hash() {
		t.Fatalf("Load(good) = %v, %v", loaded, err)
	}
	bad := []struct{ name, data, want string }{
		{"empty.json", "", "文件为空"},
		{"junk.json", "{not json", "语法错误"},
		{"unknown.json", `{"format":1,"surprise":true}`, "surprise"},
		{"trailing.json", string(good) + "{}", "多余内容"},
		{"wrongtype.json", `{"format":"one"}`, "类型错误"},
		{"invalid.json", strings.Replace(string(good), `"total_points":100`, `"total_points":90`, 1), "规则 C4"},
	}
	for _, b := range bad {
		_, err := Load(write(b.name, []byte(b.data)))
		if err == nil || !strings.Contains(err.Error(), b.want) || !strings.Contains(err.Error(), b.name) {
			t.Errorf("Load(%s) = %v, want an error naming the file and %q", b.name, err, b.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("Load(missing) succeeded")
	}
	if _, err := Embedded("1999"); err == nil || !strings.Contains(err.Error(), "2024") {
		t.Errorf("Embedded(1999) = %v", err)
	}
}

func TestParsePoints(t *testing.T) {
	tests := []struct {
		in   string
		want Points
		ok   bool
	}{
		{"0", 0, true}, {"1.875", 1875, true}, {"40", 40000, true}, {"0.7", 700, true},
		{"-0.025", -25, true}, {"7.50", 7500, true}, {"1.8751", 0, false}, {"", 0, false},
		{"1e3", 0, false}, {"1.", 0, false}, {".5", 0, false}, {"abc", 0, false}, {"99999999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := ParsePoints(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParsePoints(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	for _, s := range []string{"43.5", "1.875", "20", "0", "-1.25", "-0.5", "0.025", "100.1", "-0.001", "1000", "-20"} {
		if got := MustPoints(s).String(); got != s {
			t.Errorf("String(%s) = %s", s, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	c, err := Embedded(DefaultEdition)
	if err != nil {
		f.Fatal(err)
	}
	good, _ := c.Canonical()
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"format":1,"questionnaires":[{"id":"x","default":true,"dimensions":[{"id":"D","points":1.5}]}]}`))
	f.Add([]byte(strings.Replace(string(good), `"max":8`, `"max":8.0001`, 1)))
	f.Add([]byte(`[1,2,3]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.json", data)
		if err != nil {
			return
		}
		if c.Validate() != nil {
			t.Fatal("Parse returned a catalog that does not validate")
		}
		again, err := c.Canonical()
		if err != nil {
			t.Fatal(err)
		}
		c2, err := Parse("again.json", again)
		if err != nil || c2.Hash() != c.Hash() {
			t.Fatalf("canonical round trip: %v", err)
		}
	})
}

func TestEmbeddedByHash(t *testing.T) {
	byHash, err := EmbeddedByHash()
	if err != nil {
		t.Fatal(err)
	}
	c := mustEmbedded(t)
	if len(byHash) != len(Editions()) || byHash[c.Hash()] == nil || byHash[c.Hash()].Hash() != c.Hash() {
		t.Errorf("EmbeddedByHash: %d catalogs for %d editions; default edition found: %v", len(byHash), len(Editions()), byHash[c.Hash()] != nil)
	}
}
