package report

import "digilevel/model"

// prose is the wording that the HTML and Markdown writers of reports and
// comparisons share. Keeping it in one place stops the formats from
// drifting apart (the Markdown comparison once lacked the policy basis).
type prose struct {
	DraftNote       string
	NoProblems      string
	NoDemands       string
	NotRecorded     string
	HashNote        string
	ConstrainedMark string
	QRNote          string
	ExampleWarning  string
	// Signers are the signature lines at the end of a report.
	Signers []string
}

var words = prose{
	DraftNote:       "本报告尚未定稿，内容可能变化，不得作为验收或奖补依据。",
	NoProblems:      "本次评测未发现需整改的问题。",
	NoDemands:       "本次评测未提出需求场景。",
	NotRecorded:     "未录入。",
	HashNote:        "报告 SHA-256 是报告 JSON 原文的校验值：对 JSON 原文计算的 SHA-256 与上值一致，即说明报告自生成后未被改动。",
	ConstrainedMark: "★ 为约束性场景。",
	QRNote:          "二维码内容为报告编号与报告 SHA-256，可向区数字化转型公共服务平台核对平台是否存有与本纸质件完全一致的报告。",
	ExampleWarning:  "标「示例」的解决方案来自内置示例池，产品与服务商均为虚构，仅作演示，不是推荐，正式方案须替换为真实方案。",
	Signers:         []string{"评测人员（签字）", "数字化服务商（盖章）", "企业负责人（签字并加盖公章）"},
}

// article14 is the policy article every reward section rests on.
const article14 = "企业数字化改造完成后评定的等级是奖补兑现的主要依据（第十四条）。"

// levelMethod explains the 等级判定 table.
func levelMethod(noLevelLabel string) string {
	return "判定方法：从最高等级向下，取得分条件与场景条件同时满足的最高等级；均不满足为「" + noLevelLabel + "」。场景条件为达到该等级及以上的场景数 / 要求数。"
}

// policyNote names the policy of an estimate and says what the estimate is
// not: it reads the current revenue at render time and is not signed.
func policyNote(p model.RewardPolicy) string {
	return "政策依据：" + p.Name + "（" + p.Period + "）。奖补测算在生成报告时按一企一档的营业收入计算，不属于报告签名内容，最终以主管部门核定为准。"
}
