package model

// DemoCode is the credit code of the sample enterprise (valid check digit,
// registration area 410700 = 新乡市).
const DemoCode = "91410700MA00DEMX0Q"

// DemoEnterprise is the clearly marked sample enterprise offered on first
// run, so a newcomer sees the whole flow in a minute.
func DemoEnterprise() Enterprise {
	return Enterprise{
		Code: DemoCode, Name: "【示例】新乡市示例机械制造有限公司", Industry: "通用设备制造业",
		Scale: ScaleAbove, ZJTX: ZJTXProvincial, Batch: 1,
		Revenue:  []YearRevenue{{Year: 2024, Wan: "4600"}, {Year: 2025, Wan: "5200"}},
		Contacts: []Contact{{Name: "王建国", Role: "生产副总", Phone: "0373-5550123"}},
		Provider: "示例数字科技服务有限公司", Address: "新乡经济技术开发区示例路 1 号",
		Notes: "示例数据，可随意修改或删除。", Demo: true,
	}
}

// DemoAnswerSteps are the answers of the half-finished demo assessment, in
// the order an assessor would give them: the 数字化基础 questions, two
// 数字化管理 questions and six scenarios.
func DemoAnswerSteps() []DemoStep {
	return []DemoStep{
		{Question: "Q01", Options: []string{"B", "C"}, Note: "车间已建工控网，办公网与生产网分区"},
		{Question: "Q02", Options: []string{"D"}, Numbers: map[string]Decimal{"total_devices": "120", "digital_devices": "66"}},
		{Question: "Q03", Options: []string{"C"}, Numbers: map[string]Decimal{"networked_devices": "30"}},
		{Question: "Q04", Options: []string{"F", "G", "H", "N"}},
		{Question: "Q05", Options: []string{"C"}, Note: "ERP、MES 已上线"},
		{Question: "Q06", Options: []string{"B", "C"}},
		{Question: "Q07", Options: []string{"B"}},
		{Question: "Q08", Options: []string{"D"}},
		{Question: "Q09", Options: []string{"B", "C"}},
		{Scenario: "SC01", Level: 2}, {Scenario: "SC03", Level: 2}, {Scenario: "SC05", Level: 1},
		{Scenario: "SC06", Level: 2}, {Scenario: "SC07", Level: 1}, {Scenario: "SC13", Level: 2},
	}
}

// DemoStep is one answer of the demo assessment: a question (options,
// optional note and numbers) or a scenario rating.
type DemoStep struct {
	Question string
	Options  []string
	Note     string
	Numbers  map[string]Decimal
	Scenario string
	Level    ScenarioRating
}

// DemoAssessor returns who "rated" the demo assessment.
func DemoAssessor() Assessor {
	return Assessor{Org: "示例数字科技服务有限公司", Person: "示例顾问"}
}
