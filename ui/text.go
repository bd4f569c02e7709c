package ui

import (
	"fmt"

	"digilevel/indicators"
	"digilevel/model"
)

// Text holds every string the UI shows, so another language is one more
// constructor. Fields ending in Fmt are fmt formats; their verbs are noted
// where the order matters.
type Text struct {
	AppName   string
	Loading   string
	Saving    string
	Saved     string
	Yes, No   string
	MoreBelow string // %d lines

	// Welcome.
	WelcomeTitle string
	WelcomeBody  []string
	WelcomeNew   string
	WelcomeDemo  string
	WelcomeQuit  string
	DemoCreating string

	// Home.
	HomeCountFmt    string // shown, total
	HomeQueueFmt    string // queued, failed, rejected
	HomeFilter      string
	HomeFilterHint  string
	HomeSortFmt     string // sort name
	SortCode        string
	SortBatch       string
	SortState       string
	HomeNoMatch     string
	HomeNoAssess    string
	HomeBatchFmt    string // batch
	HomeNoBatch     string
	HomeDoneFmt     string // done, total
	PickKindTitle   string
	PickAssessTitle string
	NewAssessment   string

	// Enterprise form.
	FormNewTitle      string
	FormEditTitle     string
	GroupBasic        string
	GroupStanding     string
	GroupMore         string
	FieldCode         string
	FieldCodeHint     string
	FieldName         string
	FieldIndustry     string
	FieldScale        string
	FieldBatch        string
	FieldZJTX         string
	FieldSmart        string
	FieldPilot        string
	FieldProvider     string
	FieldAddress      string
	FieldRevenue      string
	FieldRevenueHint  string
	FieldContacts     string
	FieldContactsHint string
	FieldNotes        string
	BatchFmt          string // batch
	ScaleUnknown      string
	RevenueLineErr    string // %d line, %s text
	ContactLineErr    string // %d line
	FormSaved         string // %s name
	FormCancelled     string

	// Walk.
	QuestionOfFmt   string // n, total
	Single          string
	Multi           string
	PointsFmt       string // points
	FormHeading     string
	NoteLabel       string
	NotePlaceholder string
	EvidenceLabel   string
	EvidenceHint    string
	EvidenceItemFmt string // base name, size, short hash
	DerivedFmt      string // derivation text
	DerivedMark     string
	ChooseFirst     string
	NotExclusive    string
	Scenarios       string
	ReviewTitle     string
	JumpTitle       string
	FileNotFound    string // %s path
	FileDenied      string // %s path
	FileIsDir       string // %s path
	FileUnreadable  string // %s path, %v err
	EvidenceAdded   string // %s path
	ReadOnly        string

	// Scenarios.
	ScenarioOfFmt   string // n, total
	Constrained     string
	ConstrainedMark string
	Unrated         string
	Unanswered      string

	// Review.
	ScoreFmt         string // score, max, level
	DimensionsTitle  string
	CountsTitle      string
	CountFmt         string // level name, total, constrained
	GatesTitle       string
	GateScoreFmt     string // score, op, min, mark
	GateScenFmt      string // n, min, mark
	GateConsFmt      string // n, min, mark
	GateMet          string
	GateNotMet       string
	NextTitleFmt     string // level name
	TargetTitleFmt   string // level name
	PlanMet          string
	PlanUnreachable  string // %s reason
	PlanScoreFmt     string // now, need, after
	PlanScoreOKFmt   string // now
	PlanQuestionFmt  string // id, title, from, to, gain
	PlanScenarioFmt  string // id, name, from, to
	PlanNone         string
	TopLevel         string
	ContradictTitle  string
	NoContradict     string
	MissingTitle     string
	MissingFmt       string // n questions, m scenarios
	Complete         string
	FinalizeAsk      []string
	FinalizeDone     string
	FinalizeMissing  string // %s list
	ReviseAsk        string
	ReviseReason     string
	ReviseNeedReason string
	RevisedFmt       string // version
	FrozenFmt        string // state label, time
	ExportTitle      string
	ExportDir        string
	ExportFormat     string
	ExportDoneFmt    string // path
	ExportDraftNote  string
	ExportNeedDir    string

	// Sync.
	SyncTitle       string
	SyncNoSender    string
	SyncCountsFmt   string // queued, failed, rejected, sent
	SyncItemsTitle  string
	SyncEmpty       string
	SyncSending     string
	SyncResultFmt   string // sent, failed, rejected
	SyncFailedFmt   string // %v
	SyncAttemptsFmt string // attempts

	// Errors shown in the status line.
	LoadFailed     string // %v
	QuitSaveFailed string // %v error, %s quit key

	// Accessible mode.
	AccIntro          string
	AccPickEnterprise string
	AccSearch         string
	AccNoMatch        string
	AccPickAssessment string
	AccNumberPrompt   string // low, high
	AccMultiPrompt    string
	AccInvalid        string
	AccSavedFmt       string // id
	AccRatingPrompt   string
	AccFinalizeAsk    string
	AccDone           string
	AccNewEnterprise  string
	AccCreateDemo     string

	// No terminal.
	NoTTY string

	// Help labels.
	Help helpText
}

// helpText labels the key bindings.
type helpText struct {
	Up, Down, Left, Right, PageUp, PageDown   string
	Enter, Toggle, Tab, ShiftTab, Back, Help  string
	Quit, ForceQuit, Filter, Sort             string
	NewAssessment, NewEnterprise, Edit, Sync  string
	Jump, Scenarios, Review, Next, Prev       string
	Finalize, Export, Revise, SendNow, Level  string
	Confirm, Cancel, Open, Save, Pick, Select string
	Questions                                 string
}

// Chinese is the UI text in Simplified Chinese.
func Chinese() *Text {
	return &Text{
		AppName:   "digilevel 中小企业数字化水平评测",
		Loading:   "正在读取数据",
		Saving:    "正在保存",
		Saved:     "已保存",
		Yes:       "是",
		No:        "否",
		MoreBelow: "（下方还有 %d 行，继续移动查看）",

		WelcomeTitle: "欢迎使用 digilevel",
		WelcomeBody: []string{
			"按工信部《中小企业数字化水平评测指标（2024年版）》在企业现场离线评测。",
			"所有答案在进入下一屏之前已写入本机数据库，断电或关闭终端也不会丢失。",
			"第一次使用？选「示例企业」，一分钟看完整个流程：答题、场景评级、评审、定稿。",
		},
		WelcomeNew:   "新建企业",
		WelcomeDemo:  "示例企业（含一份填了一半的评测）",
		WelcomeQuit:  "退出",
		DemoCreating: "正在创建示例企业",

		HomeCountFmt:    "%d / %d 家企业",
		HomeQueueFmt:    "待发送 %d ・ 发送失败 %d ・ 被拒收 %d",
		HomeFilter:      "筛选: ",
		HomeFilterHint:  "输入企业名称、信用代码、行业或服务商的一部分",
		HomeSortFmt:     "排序: %s",
		SortCode:        "信用代码",
		SortBatch:       "批次",
		SortState:       "评测状态",
		HomeNoMatch:     "没有符合筛选条件的企业。",
		HomeNoAssess:    "尚无评测",
		HomeBatchFmt:    "第%d批",
		HomeNoBatch:     "未分批",
		HomeDoneFmt:     "%d/%d",
		PickKindTitle:   "新建评测: 选择评测类型",
		PickAssessTitle: "选择评测",
		NewAssessment:   "+ 新建评测",

		FormNewTitle:      "新建企业档案",
		FormEditTitle:     "编辑企业档案",
		GroupBasic:        "基本信息",
		GroupStanding:     "资质与服务",
		GroupMore:         "营业收入、联系人与备注",
		FieldCode:         "统一社会信用代码",
		FieldCodeHint:     "18 位，录入时即校验校验位",
		FieldName:         "企业名称",
		FieldIndustry:     "所属行业",
		FieldScale:        "规模",
		FieldBatch:        "改造批次",
		FieldZJTX:         "专精特新",
		FieldSmart:        "拥有省级以上智能工厂（车间）",
		FieldPilot:        "属于市级试点产业",
		FieldProvider:     "服务商",
		FieldAddress:      "地址",
		FieldRevenue:      "营业收入（万元）",
		FieldRevenueHint:  "每行一年: 年份 金额，例如 2024 4600（ctrl+j 换行）",
		FieldContacts:     "联系人",
		FieldContactsHint: "每行一人: 姓名, 职务, 电话, 邮箱（ctrl+j 换行）",
		FieldNotes:        "备注",
		BatchFmt:          "第%d批",
		ScaleUnknown:      "未填",
		RevenueLineErr:    "第 %d 行「%s」应为: 年份 金额",
		ContactLineErr:    "第 %d 行最多四项: 姓名, 职务, 电话, 邮箱",
		FormSaved:         "已保存企业档案: %s",
		FormCancelled:     "已取消，未保存任何修改",

		QuestionOfFmt:   "第 %d/%d 题",
		Single:          "单选",
		Multi:           "多选",
		PointsFmt:       "%s 分",
		FormHeading:     "具体数据",
		NoteLabel:       "备注",
		NotePlaceholder: "现场情况、依据（可留空）",
		EvidenceLabel:   "佐证",
		EvidenceHint:    "输入文件路径后按回车添加（计算 SHA-256）",
		EvidenceItemFmt: "%s（%s，sha256 %s）",
		DerivedFmt:      "推算: %s",
		DerivedMark:     "<- 数据推算",
		ChooseFirst:     "请先选择一个选项（或按 ] 跳过此题）",
		NotExclusive:    "「无」与其他选项互斥，已自动取消冲突的选项",
		Scenarios:       "场景评级",
		ReviewTitle:     "评审",
		JumpTitle:       "跳转到题目",
		FileNotFound:    "无法添加佐证: 文件 %s 不存在",
		FileDenied:      "无法添加佐证: 没有权限读取 %s",
		FileIsDir:       "无法添加佐证: %s 是一个目录，请给出文件",
		FileUnreadable:  "无法添加佐证: 读取 %s 失败（%v）",
		EvidenceAdded:   "已添加佐证: %s",
		ReadOnly:        "本评测已定稿，只读；如需修改请在评审页按 v 修订",

		ScenarioOfFmt:   "场景 %d/%d",
		Constrained:     "约束性",
		ConstrainedMark: "约",
		Unrated:         "未评",
		Unanswered:      "未答",

		ScoreFmt:        "总分 %s / %s ・ 等级 %s",
		DimensionsTitle: "各维度得分",
		CountsTitle:     "场景达标数量",
		CountFmt:        "%s及以上 %d 个（其中约束性 %d 个）",
		GatesTitle:      "等级条件",
		GateScoreFmt:    "得分 %s %s %s %s",
		GateScenFmt:     "场景 %d/%d %s",
		GateConsFmt:     "约束性 %d/%d %s",
		GateMet:         "达成",
		GateNotMet:      "未达成",
		NextTitleFmt:    "升到%s的最省路径",
		TargetTitleFmt:  "达到目标%s的最省路径",
		PlanMet:         "已达到",
		PlanUnreachable: "无法达到: %s",
		PlanScoreFmt:    "得分 %s，还差 %s 分；按下列改动后 %s 分",
		PlanScoreOKFmt:  "得分 %s 已达门槛，差在场景",
		PlanQuestionFmt: "%s %s: %s -> %s（+%s 分）",
		PlanScenarioFmt: "%s %s: %s -> %s",
		PlanNone:        "无需改动",
		TopLevel:        "已是最高等级",
		ContradictTitle: "答案与补充数据不符",
		NoContradict:    "无",
		MissingTitle:    "尚未完成",
		MissingFmt:      "未答 %d 题，未评 %d 个场景",
		Complete:        "全部题目与场景已完成，可以定稿（按 f）",
		FinalizeAsk: []string{
			"确认定稿？",
			"定稿后答案、得分和等级冻结并签名，进入待发送队列；之后只能修订为新版本。",
			"按 y 定稿，按 n 或 esc 取消。",
		},
		FinalizeDone:     "已定稿，报告已签名并加入待发送队列",
		FinalizeMissing:  "还不能定稿: %s",
		ReviseAsk:        "修订: 新建一个版本（复制现有答案），原版本保留。",
		ReviseReason:     "修订原因（必填）: ",
		ReviseNeedReason: "请填写修订原因",
		RevisedFmt:       "已创建修订版本 v%d",
		FrozenFmt:        "%s ・ 定稿于 %s",
		ExportTitle:      "导出报告",
		ExportDir:        "保存到文件夹: ",
		ExportFormat:     "格式（空格切换，可多选）:",
		ExportDoneFmt:    "已导出: %s",
		ExportDraftNote:  "草稿也可导出，报告会标明「草稿」",
		ExportNeedDir:    "请填写文件夹",

		SyncTitle:       "同步状态",
		SyncNoSender:    "未配置同步服务器（digilevel sync --server URL --token TOKEN）",
		SyncCountsFmt:   "待发送 %d ・ 发送失败 %d ・ 被拒收 %d ・ 已发送 %d",
		SyncItemsTitle:  "待发送队列",
		SyncEmpty:       "队列为空",
		SyncSending:     "正在发送",
		SyncResultFmt:   "发送完成: 成功 %d，失败 %d，被拒收 %d",
		SyncFailedFmt:   "发送失败: %v",
		SyncAttemptsFmt: "尝试 %d 次",

		LoadFailed: "读取失败: %v",

		QuitSaveFailed: "未能保存（%v），没有退出；再按 %s 放弃本屏未保存的修改并退出",

		AccIntro:          "digilevel 无障碍模式: 逐题提问，输入编号后回车。每个答案回车后立即保存。输入 q 退出。",
		AccPickEnterprise: "选择企业",
		AccSearch:         "输入企业名称或信用代码的一部分（直接回车列出全部）: ",
		AccNoMatch:        "没有匹配的企业，请重新输入。",
		AccPickAssessment: "选择评测",
		AccNumberPrompt:   "请输入 %d 到 %d 之间的编号: ",
		AccMultiPrompt:    "多选: 输入编号，用空格或逗号分隔（如 2 3 5）: ",
		AccInvalid:        "输入无效: %s",
		AccSavedFmt:       "已保存 %s",
		AccRatingPrompt:   "请输入等级 0-4（0 = 未达一级）: ",
		AccFinalizeAsk:    "全部完成。是否定稿？（y/n）: ",
		AccDone:           "已退出。所有已回答的内容都已保存。",
		AccNewEnterprise:  "数据库中还没有企业。",
		AccCreateDemo:     "是否创建示例企业？（y/n）: ",

		NoTTY: "没有终端: 终端界面需要交互式终端（标准输入和输出都必须是终端）。\n脚本、管道和 CI 中请使用命令行子命令（查看: digilevel --help），\n或使用 digilevel --accessible 以逐行提问方式答题。",

		Help: helpText{
			Up: "上移", Down: "下移", Left: "左", Right: "右", PageUp: "上一页", PageDown: "下一页",
			Enter: "确定", Toggle: "选择", Tab: "下一栏", ShiftTab: "上一栏", Back: "返回", Help: "帮助",
			Quit: "退出", ForceQuit: "退出", Filter: "筛选", Sort: "排序",
			NewAssessment: "新建评测", NewEnterprise: "新建企业", Edit: "编辑企业", Sync: "同步状态",
			Jump: "跳转", Scenarios: "场景", Review: "评审", Next: "下一项", Prev: "上一项",
			Finalize: "定稿", Export: "导出报告", Revise: "修订", SendNow: "立即发送", Level: "评级",
			Confirm: "确认", Cancel: "取消", Open: "打开", Save: "保存并下一题", Pick: "选择", Select: "选中",
			Questions: "答题",
		},
	}
}

// questionType names single or multiple choice.
func (t *Text) questionType(q *indicators.Question) string {
	if q.Type == indicators.Multi {
		return t.Multi
	}
	return t.Single
}

// gate fills the three conditions of a level check, each followed by
// mark(met); the model's own text uses ≥, which is ambiguous-width.
func (t *Text) gate(c model.LevelCheck, mark func(bool) string) (score, scenarios, constrained string) {
	op := ">="
	if !c.ScoreOK {
		op = "<"
	}
	return fmt.Sprintf(t.GateScoreFmt, c.Score, op, c.MinScore, mark(c.ScoreOK)),
		fmt.Sprintf(t.GateScenFmt, c.Scenarios, c.MinScenarios, mark(c.ScenariosOK)),
		fmt.Sprintf(t.GateConsFmt, c.Constrained, c.MinConstrained, mark(c.ConstrainedOK))
}
