package report

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"digilevel/indicators"
	"digilevel/model"
)

// Fixed times: a baseline in March, an acceptance in November of the same
// year (so both are rated in 2026 and the policy compares 2026 with 2027).
var (
	tEnterprise = time.Date(2026, 2, 10, 1, 0, 0, 0, time.UTC)
	tBaseline   = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	tAcceptance = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	tDraft      = time.Date(2026, 11, 16, 6, 30, 0, 0, time.UTC)
)

const (
	idBaseline   = "01JNBASE000000000000000001"
	idAcceptance = "01JNACCEPT0000000000000002"
	idDraft      = "01JNDRAFT00000000000000003"
)

func testKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}

func testCatalog(t testing.TB) *indicators.Catalog {
	t.Helper()
	c, err := indicators.Embedded("2024")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testEnterprise is recorded with 2025 and 2026 revenue only: the 2027
// revenue the policy needs for a 2026 rating is not known yet.
func testEnterprise() model.Enterprise {
	return model.Enterprise{
		Code: "91350100M000100Y43", Name: "新乡市示例机械制造有限公司", Industry: "通用设备制造业",
		Scale: model.ScaleAbove, ZJTX: model.ZJTXProvincial, PilotIndustry: true, Batch: 1,
		Revenue:  []model.YearRevenue{{Year: 2025, Wan: "5000"}, {Year: 2026, Wan: "5200"}},
		Contacts: []model.Contact{{Name: "王经理", Role: "生产经理", Phone: "0373-1234567", Email: "wang@example.com"}},
		Provider: "河南某数字科技有限公司", Address: "新乡经济技术开发区示例路 1 号",
		CreatedAt: tEnterprise, UpdatedAt: tEnterprise,
	}
}

// otherEnterprise is a second, valid enterprise for mismatch tests.
func otherEnterprise(t testing.TB) model.Enterprise {
	t.Helper()
	body := "91410700MA44RN9B0"
	ch, err := model.CreditCodeCheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	e := testEnterprise()
	e.Code, e.Name = body+string(ch), "新乡市另一家电子有限公司"
	return e
}

func evidence(name, content string, size int64) model.Evidence {
	sum := sha256.Sum256([]byte(content))
	return model.Evidence{Path: name, SHA256: hex.EncodeToString(sum[:]), Size: size}
}

type answers struct {
	options   map[string][]string
	scenarios map[string]int
	numbers   map[string]map[string]model.Decimal
	notes     map[string]string
	evidence  map[string][]model.Evidence
}

func baselineAnswers() answers {
	return answers{
		options: map[string][]string{
			"Q01": {"B", "C"}, "Q02": {"C"}, "Q03": {"B"}, "Q04": {"B", "C", "D"}, "Q05": {"B"},
			"Q06": {"B", "C"}, "Q07": {"B"}, "Q08": {"C"}, "Q09": {"B"}, "Q10": {"B"}, "Q11": {"B"},
			"Q12": {"B"}, "Q13": {"B"}, "Q14": {"C"}, "Q15": {"B"},
		},
		scenarios: map[string]int{
			"SC01": 1, "SC02": 0, "SC03": 1, "SC04": 0, "SC05": 1, "SC06": 2, "SC07": 1, "SC08": 1,
			"SC09": 0, "SC10": 0, "SC11": 1, "SC12": 1, "SC13": 2, "SC14": 1, "SC15": 2, "SC16": 0,
		},
		// Q02: 60/120 = 50% implies D, but C is chosen: a contradiction.
		// Q15 has no numbers: its derivation is unknown.
		numbers: map[string]map[string]model.Decimal{
			"Q02": {"total_devices": "120", "digital_devices": "60"},
			"Q03": {"networked_devices": "20"},
			"Q11": {"investment_wan_per_year": "50"},
			"Q12": {"energy_last": "1000", "energy_prev": "1000"},
			"Q13": {"pass_rate": "98.5"},
			"Q14": {"employees_last": "100", "revenue_last": "5200", "employees_prev": "100", "revenue_prev": "5000"},
		},
		notes: map[string]string{
			"Q01": "车间已建工控网，办公网与生产网未隔离。",
			"Q02": "设备台账见附件；数控机床 60 台已联网改造。",
		},
		evidence: map[string][]model.Evidence{
			"Q02":  {evidence("/home/li/照片/设备台账.xlsx", "设备台账", 18432)},
			"SC06": {evidence(`D:\资料\MES截图.png`, "MES截图", 245760)},
		},
	}
}

func acceptanceAnswers() answers {
	a := answers{
		options: map[string][]string{
			"Q01": {"B", "C"}, "Q02": {"D"}, "Q03": {"B"}, "Q04": {"B", "C", "D", "E", "F"}, "Q05": {"D"},
			"Q06": {"B", "C"}, "Q07": {"B"}, "Q08": {"D"}, "Q09": {"B"}, "Q10": {"B", "C"}, "Q11": {"B"},
			"Q12": {"C"}, "Q13": {"C"}, "Q14": {"C"}, "Q15": {"C"},
		},
		scenarios: map[string]int{
			"SC01": 2, "SC02": 1, "SC03": 2, "SC04": 1, "SC05": 2, "SC06": 3, "SC07": 2, "SC08": 1,
			"SC09": 1, "SC10": 1, "SC11": 1, "SC12": 1, "SC13": 2, "SC14": 1, "SC15": 2, "SC16": 1,
		},
		numbers: map[string]map[string]model.Decimal{
			"Q02": {"total_devices": "120", "digital_devices": "60"},
			"Q03": {"networked_devices": "20"},
			"Q12": {"energy_last": "1000", "energy_prev": "1000"},
			"Q13": {"pass_rate": "99.2"},
			"Q14": {"employees_last": "100", "revenue_last": "5200", "employees_prev": "100", "revenue_prev": "5000"},
			"Q15": {"cost_last": "4000", "cost_prev": "4000"},
		},
		notes: map[string]string{"Q05": "已上线 ERP 与 MES，生产、库存、财务数据打通。"},
		evidence: map[string][]model.Evidence{
			"Q05": {evidence("/home/li/验收/MES上线确认单.pdf", "MES上线确认单", 524288)},
		},
	}
	return a
}

// draftAnswers is half done, with a note that needs escaping everywhere.
func draftAnswers() answers {
	b := acceptanceAnswers()
	a := answers{options: map[string][]string{}, scenarios: map[string]int{}, numbers: map[string]map[string]model.Decimal{},
		notes: map[string]string{"Q05": "已上线 ERP\n计划 2027 年上线 <b>MES</b> & WMS | 待确认"}}
	for _, q := range []string{"Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07", "Q08"} {
		a.options[q] = b.options[q]
	}
	for _, s := range []string{"SC01", "SC02", "SC03", "SC04", "SC05", "SC06", "SC07", "SC08"} {
		a.scenarios[s] = b.scenarios[s]
	}
	a.numbers["Q02"] = b.numbers["Q02"]
	return a
}

func buildAssessment(t testing.TB, cat *indicators.Catalog, e model.Enterprise, id string, kind model.Kind, now time.Time, ans answers) model.Assessment {
	t.Helper()
	a, err := model.NewAssessment(model.NewAssessmentOptions{ID: id, Enterprise: e.Code, Kind: kind, Catalog: cat,
		Assessor: model.Assessor{Org: "河南某数字科技有限公司", Person: "李工"}, Device: "laptop-01", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	c := model.Change{Who: "李工", Now: now}
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		if opts, ok := ans.options[q.ID]; ok {
			if _, err := a.SetAnswer(cat, q.ID, opts, c); err != nil {
				t.Fatal(err)
			}
		}
		if nums, ok := ans.numbers[q.ID]; ok {
			if _, err := a.SetNumbers(cat, q.ID, nums, c); err != nil {
				t.Fatal(err)
			}
		}
		if note, ok := ans.notes[q.ID]; ok {
			if _, err := a.SetNote(cat, q.ID, note, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, s := range cat.Scenarios {
		if r, ok := ans.scenarios[s.ID]; ok {
			if _, err := a.SetRating(cat, s.ID, model.ScenarioRating(r), c); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, ref := range []string{"Q02", "Q05", "SC06"} {
		for _, ev := range ans.evidence[ref] {
			if _, err := a.AddEvidence(cat, ref, ev, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	return a
}

// finalized builds, finalizes and signs an assessment, and returns the
// stored bytes.
func finalized(t testing.TB, cat *indicators.Catalog, e model.Enterprise, id string, kind model.Kind, now time.Time, ans answers) []byte {
	t.Helper()
	a := buildAssessment(t, cat, e, id, kind, now.Add(-2*time.Hour), ans)
	data, _, err := a.Finalize(cat, testPlanning(t, cat), e, testKey(), model.Change{Who: "李工", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type fixture struct {
	cat                    *indicators.Catalog
	baseline, acceptance   *Report
	draft                  *Report
	baselineRaw, acceptRaw []byte
}

func fixtures(t testing.TB) fixture {
	t.Helper()
	cat := testCatalog(t)
	e := testEnterprise()
	f := fixture{cat: cat}
	f.baselineRaw = finalized(t, cat, e, idBaseline, model.KindBaseline, tBaseline, baselineAnswers())
	f.acceptRaw = finalized(t, cat, e, idAcceptance, model.KindAcceptance, tAcceptance, acceptanceAnswers())
	var err error
	if f.baseline, err = FromBytes(cat, f.baselineRaw); err != nil {
		t.Fatal(err)
	}
	if f.acceptance, err = FromBytes(cat, f.acceptRaw); err != nil {
		t.Fatal(err)
	}
	// The acceptance is rendered with the current 一企一档, where the 2027
	// revenue has since been recorded.
	f.acceptance.Revenue = append(f.acceptance.Revenue, model.YearRevenue{Year: 2027, Wan: "6000"})
	d := buildAssessment(t, cat, e, idDraft, model.KindAcceptance, tDraft, draftAnswers())
	doc, err := model.BuildReport(cat, testPlanning(t, cat), d, e)
	if err != nil {
		t.Fatal(err)
	}
	if f.draft, err = New(cat, doc); err != nil {
		t.Fatal(err)
	}
	return f
}

func testPlanning(t testing.TB, cat *indicators.Catalog) *indicators.Planning {
	t.Helper()
	p, err := indicators.EmbeddedPlanning(cat)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
