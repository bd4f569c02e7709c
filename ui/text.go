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
	HomeCountFmt     string // shown, total
	HomeQueueFmt     string // queued, failed, rejected
	HomeHeldFmt      string // held, appended to HomeQueueFmt when any
	HomeFilter       string
	HomeFilterHint   string
	HomeSortFmt      string // sort name
	SortCode         string
	SortBatch        string
	SortState        string
	HomeNoMatch      string
	HomeLoadingRest  string
	HomeLoadingShort string
	HomeNoAssess     string
	HomeBatchFmt     string // batch
	HomeNoBatch      string
	HomeDoneFmt      string // done, total
	PickKindTitle    string
	PickAssessTitle  string
	NewAssessment    string
	HasDraftFmt      string // kind, version
	HasFinalFmt      string // kind, version, state
	ContinueDraftFmt string // kind, version
	ReviseFinalFmt   string // kind, version
	NewAnywayFmt     string // kind

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
	DuplicateCodeFmt  string // code, name
	DiscardAsk        string

	// Walk.
	QuestionOfFmt      string // n, total
	Single             string
	Multi              string
	PointsFmt          string // points
	FormHeading        string
	NoteLabel          string
	NotePlaceholder    string
	EvidenceLabel      string
	EvidenceHint       string
	EvidenceItemFmt    string // base name, size, short hash
	EvidenceAdded      string // %s names
	EvidenceRemoved    string // %s name
	EvidenceRemoveHint string
	EvidenceRemoveAsk  string // %s name
	DerivedFmt         string // derivation text
	DerivedMark        string
	ChooseFirst        string
	ChooseLevelFirst   string
	NotExclusive       string
	Scenarios          string
	ReviewTitle        string
	JumpTitle          string
	ReadOnly           string
	LastYear           string // prefix of a field label of last year's figure
	PrevYear           string
	YearsFmt           string // last year, the year before
	FromFile           string // after a number taken from the enterprise file

	// Scenarios.
	ScenarioOfFmt   string // n, total
	Constrained     string
	ConstrainedMark string
	Unrated         string
	Unanswered      string

	// Review.
	ScoreFmt          string // score, max, level
	DimensionsTitle   string
	CountsTitle       string
	CountFmt          string // level name, total, constrained
	GatesTitle        string
	GateScoreFmt      string // score, op, min, mark
	GateScenFmt       string // n, min, mark
	GateConsFmt       string // n, min, mark
	GateMet           string
	GateNotMet        string
	NextTitleFmt      string // level name
	TargetTitleFmt    string // level name
	PlanMet           string
	PlanUnreachable   string // %s reason
	PlanScoreFmt      string // now, need, after
	PlanScoreOKFmt    string // now
	PlanQuestionFmt   string // id, from, to, gain, cost, title
	PlanScenarioFmt   string // id, from, to, cost, name
	PlanNone          string
	TopLevel          string
	ContradictTitle   string
	NoContradict      string
	MissingTitle      string
	MissingFmt        string // n questions, m scenarios
	Complete          string
	FinalizeAsk       []string
	FinalizeDone      string
	FinalizeMissing   string // %s list
	FinalizeNoOrg     string
	ReviseAsk         string
	ReviseReason      string
	ReviseReasonLabel string
	ReviseNeedReason  string
	RevisedFmt        string // version
	FrozenFmt         string // state label, time
	ExportTitle       string
	ExportDir         string
	ExportFormat      string
	ExportDoneFmt     string // path
	ExportDraftNote   string
	ExportNeedDir     string

	// Sync.
	SyncTitle         string
	NoPlatform        string
	SyncNotConfigured string
	SyncServerFmt     string // server
	SyncPausedAtFmt   string // time, reason
	SyncPausedFmt     string // reason
	SyncPausedHint    string
	SyncCountsFmt     string // queued, failed, rejected, held, sent
	SyncItemsTitle    string
	SyncEmpty         string
	SyncSending       string
	SyncResultFmt     string // sent, failed, rejected, held
	SyncFailedFmt     string // %v
	SyncAttemptsFmt   string // attempts
	SyncNotTried      string
	SyncRejectedHint  string
	SyncHeldHint      string

	// Identity step and settings.
	IdentityTitle       string
	IdentityBody        []string
	IdentitySaved       string
	IdentitySkipped     string
	FieldPerson         string
	FieldOrg            string
	PersonHint          string
	OrgHint             string
	OrgFromFiles        string
	SettingsTitle       string
	SettingsSaved       string
	FieldServer         string
	ServerHint          string
	FieldToken          string
	TokenHint           string
	FieldLimit          string
	LimitHintFmt        string // maximum MB
	FieldExportDir      string
	ExportDirHint       string
	ButtonSave          string
	ButtonCheck         string
	ButtonBackup        string
	ButtonAdoptFmt      string // provider
	Checking            string
	CheckNeedsBoth      string
	CheckFailedFmt      string // reason
	CheckOKFmt          string // provider
	CheckOrgDiffersFmt  string // provider, org
	CheckNotProviderFmt string // provider, role
	BackupTitle         string
	BackupBody          string
	BackupTo            string
	BackupNameFmt       string // time
	BackupNeedPath      string
	BackingUp           string
	BackupDoneFmt       string // path, size

	// Terminal too small.
	TooSmallFmt  string // width, height, min width, min height
	TooSmallHint string

	// Errors shown in the status line.
	LoadFailed     string // %v
	QuitSaveFailed string // %v error, %s quit key

	// Accessible mode.
	AccIntro             string
	AccPickEnterprise    string
	AccSearch            string
	AccNoMatch           string
	AccPickAssessment    string
	AccNumberPrompt      string // low, high
	AccMultiPrompt       string
	AccInvalid           string
	AccSavedFmt          string // id
	AccRatingPrompt      string
	AccFinalizeAsk       string
	AccDone              string
	AccNewEnterprise     string
	AccCreateDemo        string
	AccMultiInvalid      string // input, options
	AccNumberInvalid     string // input, low, high
	AccNotePrompt        string
	AccEvidencePrompt    string
	AccEvidenceAdded     string // names
	AccIdentity          string
	AccPersonPrompt      string
	AccOrgPromptFmt      string // suggestion
	AccNextTitle         string // level name
	AccLevelInvalid      string // input
	AccDerivedPrompt     string
	AccAddEnterpriseHint string
	AccSurveyAsk         string
	AccSurveyDateFmt     string
	AccSurveyPeopleHint  string
	AccSurveyFindHint    string
	AccSurveyPainsHint   string
	AccSurveyLine        string
	AccSurveySelf        string

	// No terminal.
	NoTTY string

	// Help labels.
	Help helpText

	// Spot-checks (抽查): pulled reports, the comparison, the audit view.
	Spot spotText

	// Diag is the text of the diagnosis screens (diagtext.go).
	Diag diagText
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
	Questions, Settings, Option, Remove       string
	OptionPick                                string // a single choice's letter: chosen, saved, next question
	AddFile, NoteEvidence, Later, Discard     string
	KeepEditing, OpenExisting, SaveSettings   string
	Backup                                    string
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

		HomeCountFmt:     "%d / %d 家企业",
		HomeQueueFmt:     "待发送 %d ・ 发送失败 %d ・ 被拒收 %d",
		HomeHeldFmt:      " ・ 暂缓发送 %d",
		HomeFilter:       "筛选: ",
		HomeFilterHint:   "输入企业名称、信用代码、行业或服务商的一部分",
		HomeSortFmt:      "排序: %s",
		SortCode:         "信用代码",
		SortBatch:        "批次",
		SortState:        "评测状态",
		HomeNoMatch:      "没有符合筛选条件的企业。",
		HomeLoadingRest:  "正在载入其余企业，稍后可筛选、排序",
		HomeLoadingShort: "正在载入其余企业",
		HomeNoAssess:     "尚无评测",
		HomeBatchFmt:     "第%d批",
		HomeNoBatch:      "未分批",
		HomeDoneFmt:      "%d/%d",
		PickKindTitle:    "新建评测: 选择评测类型",
		PickAssessTitle:  "选择评测",
		NewAssessment:    "+ 新建评测",
		HasDraftFmt:      "已有一份%s v%d 的草稿。继续它，还是另起一份？",
		HasFinalFmt:      "已有定稿的%s v%d（%s）。需要更正时应修订它（生成新版本，原版本保留、可追溯）；另起一份会与它并存。",
		ContinueDraftFmt: "继续%s v%d 的草稿",
		ReviseFinalFmt:   "修订%s v%d（推荐）",
		NewAnywayFmt:     "仍然另起一份新的%s",

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
		DuplicateCodeFmt:  "%s 已有企业档案「%s」: 按 enter 打开该档案，或改正代码",
		DiscardAsk:        "有未保存的修改。放弃这些修改？按 y 放弃，按 n 或 esc 继续编辑。",

		QuestionOfFmt:      "第 %d/%d 题",
		Single:             "单选",
		Multi:              "多选",
		PointsFmt:          "%s 分",
		FormHeading:        "具体数据",
		NoteLabel:          "备注",
		NotePlaceholder:    "现场情况、依据（可留空）",
		EvidenceLabel:      "佐证",
		EvidenceHint:       "输入或把文件拖进来，按回车添加（存入数据库）",
		EvidenceItemFmt:    "%s（%s，sha256 %s）",
		EvidenceAdded:      "已添加佐证并存入数据库: %s",
		EvidenceRemoved:    "已移除佐证: %s",
		EvidenceRemoveHint: "按 x 移除这份佐证",
		EvidenceRemoveAsk:  "移除佐证「%s」？按 y 移除，按 n 取消",
		DerivedFmt:         "推算: %s",
		DerivedMark:        "<- 数据推算（回车采用）",
		ChooseFirst:        "请先选择一个选项（按选项字母，或按 ] 跳过此题）",
		ChooseLevelFirst:   "请先选择等级: 按 0-4 直接评定，或用方向键选好后回车（按 ] 跳过此场景）",
		NotExclusive:       "「无」与其他选项互斥，已自动取消冲突的选项",
		Scenarios:          "场景评级",
		ReviewTitle:        "评审",
		JumpTitle:          "跳转到题目",
		ReadOnly:           "本评测已定稿，只读；如需修改请在评审页按 v 修订",
		LastYear:           "上年",
		PrevYear:           "前年",
		YearsFmt:           "上年为 %d 年，前年为 %d 年",
		FromFile:           " 取自企业档案",

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
		PlanQuestionFmt: "%s: %s -> %s（+%s 分，难度 %d） ・ %s",
		PlanScenarioFmt: "%s: %s -> %s（难度 %d） ・ %s",
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
		FinalizeDone:      "已定稿，报告已签名并加入待发送队列",
		FinalizeMissing:   "还不能定稿，尚未完成: %s",
		FinalizeNoOrg:     "还不能定稿: 没有填写评测机构（平台只接收署名为令牌所属服务商的报告）。按 o 打开设置填写评测机构，保存后回到这里按 f 定稿。",
		ReviseAsk:         "修订: 新建一个版本（复制现有答案），原版本保留。",
		ReviseReason:      "修订原因（必填）: ",
		ReviseReasonLabel: "修订原因",
		ReviseNeedReason:  "请填写修订原因",
		RevisedFmt:        "已创建修订版本 v%d",
		FrozenFmt:         "%s ・ 定稿于 %s",
		ExportTitle:       "导出报告",
		ExportDir:         "保存到文件夹: ",
		ExportFormat:      "格式（空格切换，可多选）:",
		ExportDoneFmt:     "已导出:\n%s",
		ExportDraftNote:   "草稿也可导出，报告会标明「草稿」",
		ExportNeedDir:     "请填写文件夹",

		SyncTitle:         "同步状态",
		NoPlatform:        "此版本没有同步功能。",
		SyncNotConfigured: "尚未设置平台地址或访问令牌: 按 o 打开设置填写（区县主管部门提供），定稿的报告会在联网后自动发送。",
		SyncServerFmt:     "平台: %s",
		SyncPausedAtFmt:   "发送已暂停（%s）: %s",
		SyncPausedFmt:     "发送已暂停: %s",
		SyncPausedHint:    "按 o 打开设置，检查平台地址与访问令牌（或联系区县主管部门）；问题解决后会自动继续发送，也可按 s 立即发送。",
		SyncCountsFmt:     "待发送 %d ・ 发送失败 %d ・ 被拒收 %d ・ 暂缓发送 %d ・ 已发送 %d",
		SyncItemsTitle:    "待发送队列",
		SyncEmpty:         "队列为空",
		SyncSending:       "正在发送",
		SyncResultFmt:     "发送完成: 成功 %d，失败 %d，被拒收 %d，暂缓发送 %d",
		SyncFailedFmt:     "发送失败: %v",
		SyncAttemptsFmt:   "已尝试 %d 次",
		SyncNotTried:      "尚未发送",
		SyncRejectedHint:  "需要处理: 打开该评测，在评审页按 v 修订后重新定稿",
		SyncHeldHint:      "暂缓发送: 平台只接收令牌所属服务商的报告，这份没有发送，其他报告照常发送。在终端界面中: 如报告属于其他服务商，按 o 在设置中换成该服务商的令牌，下一轮自动重试；如评测机构填错，在设置中更正后打开该评测，在评审页按 v 修订并重新定稿。",

		IdentityTitle: "您是谁？",
		IdentityBody: []string{
			"报告上署名的评测人和评测机构。评测机构须与区县平台发放的令牌所属服务商一致，否则平台拒收本机的报告。",
			"以后可在首页按 o 打开「设置」修改。",
		},
		IdentitySaved:       "已保存评测人与评测机构",
		IdentitySkipped:     "尚未填写评测人与评测机构: 定稿前须填写评测机构（首页按 o 打开设置）",
		FieldPerson:         "评测人",
		FieldOrg:            "评测机构",
		PersonHint:          "您的姓名",
		OrgHint:             "服务商全称，与平台令牌所属服务商一致",
		OrgFromFiles:        "企业档案中的服务商: ",
		SettingsTitle:       "设置",
		SettingsSaved:       "设置已保存",
		FieldServer:         "平台地址",
		ServerHint:          "区县平台的地址，例如 https://平台地址/",
		FieldToken:          "访问令牌",
		TokenHint:           "主管部门发放，以 dlt_ 开头；只保存在本机数据库中",
		FieldLimit:          "佐证上限（MB）",
		LimitHintFmt:        "单个佐证材料文件的上限，1 到 %d MB",
		FieldExportDir:      "导出文件夹",
		ExportDirHint:       "报告默认导出到这里；空着则为启动时的当前文件夹",
		ButtonSave:          "保存",
		ButtonCheck:         "保存并检查连接",
		ButtonBackup:        "备份数据库",
		ButtonAdoptFmt:      "评测机构改为「%s」",
		Checking:            "正在检查与平台的连接",
		CheckNeedsBoth:      "请先填写平台地址和访问令牌，再检查连接。",
		CheckFailedFmt:      "连接检查未通过: %s",
		CheckOKFmt:          "连接正常: 令牌属于服务商「%s」，与评测机构一致。",
		CheckOrgDiffersFmt:  "令牌属于服务商「%s」，而评测机构填的是「%s」: 平台会拒收本机的报告。请核对；若令牌无误，选上方按钮把评测机构改为令牌的服务商。",
		CheckNotProviderFmt: "令牌属于「%s」，角色为 %s，不能上传报告: 请向主管部门申请服务商令牌（抽查人员申请抽查人员令牌）。",
		BackupTitle:         "备份数据库",
		BackupBody:          "把整个数据库（企业档案、评测、报告、佐证材料、签名密钥）一致地复制到下面的文件，可在使用中进行。备份含签名密钥，请妥善保管。",
		BackupTo:            "备份到",
		BackupNameFmt:       "digilevel-备份-%s.db",
		BackupNeedPath:      "请填写备份文件的路径",
		BackingUp:           "正在备份",
		BackupDoneFmt:       "已备份到 %s（%s）",

		TooSmallFmt:  "终端窗口太小: 当前 %d x %d，至少需要 %d x %d（列 x 行）。",
		TooSmallHint: "请放大窗口或调小字号；按 ctrl+c 退出。已保存的内容不受影响。",

		LoadFailed: "读取失败: %v",

		QuitSaveFailed: "未能保存（%v），没有退出；再按 %s 放弃本屏未保存的修改并退出",

		AccIntro:             "digilevel 无障碍模式: 逐题提问，输入编号后回车。每个答案回车后立即保存。输入 q 退出。",
		AccPickEnterprise:    "选择企业",
		AccSearch:            "输入企业名称或信用代码的一部分（直接回车列出全部）: ",
		AccNoMatch:           "没有匹配的企业，请重新输入。",
		AccPickAssessment:    "选择评测",
		AccNumberPrompt:      "请输入 %d 到 %d 之间的编号: ",
		AccMultiPrompt:       "多选: 输入编号，用空格或逗号分隔（如 2 3 5）: ",
		AccInvalid:           "输入无效: %s",
		AccSavedFmt:          "已保存 %s",
		AccRatingPrompt:      "请输入等级 0-4（0 = 未达一级）: ",
		AccFinalizeAsk:       "全部完成。是否定稿？（y/n）: ",
		AccDone:              "已退出。所有已回答的内容都已保存。",
		AccNewEnterprise:     "数据库中还没有企业。",
		AccCreateDemo:        "是否创建示例企业？（y/n）: ",
		AccMultiInvalid:      "无法识别「%s」: 多选题请输入选项字母或编号，用空格或逗号分隔，例如 B,C 或 B C 或 2 3（可选 %s）",
		AccNumberInvalid:     "无法识别「%s」: 请输入 %d 到 %d 之间的编号",
		AccNotePrompt:        "备注（可留空，直接回车跳过）: ",
		AccEvidencePrompt:    "佐证文件路径（可留空，直接回车跳过；可一次给多个）: ",
		AccEvidenceAdded:     "已添加佐证并存入数据库: %s",
		AccIdentity:          "报告要署名评测人和评测机构（评测机构须与平台令牌所属服务商一致）。",
		AccPersonPrompt:      "评测人姓名: ",
		AccOrgPromptFmt:      "评测机构（直接回车采用「%s」）: ",
		AccNextTitle:         "升到%s的最省路径:",
		AccLevelInvalid:      "无法识别「%s」: 请输入 0 到 4 之间的等级（0 = 未达一级）",
		AccDerivedPrompt:     "请输入 %d 到 %d 之间的编号（直接回车采用推算的 %s）: ",
		AccAddEnterpriseHint: "新增企业: digilevel enterprise add --name 企业名称 --code 统一社会信用代码 --batch 批次；导入名单: digilevel enterprise import 文件。之后再运行 digilevel --accessible。",
		AccSurveyAsk:         "先记录现场调研吗？（y 填写，直接回车跳过，以后可用 digilevel assessment survey 补记）: ",
		AccSurveyDateFmt:     "调研日期（YYYY-MM-DD，直接回车采用 %s）: ",
		AccSurveyPeopleHint:  "每行一人: 姓名, 单位, 角色, 联系方式；空行结束",
		AccSurveyFindHint:    "企业的机理、流程、工艺，现场看到的情况，可写多行；空行结束",
		AccSurveyPainsHint:   "每行一条，以 痛点/难点/堵点 开头，如「难点：订单交期难以预估」，不写类型按痛点记；空行结束",
		AccSurveyLine:        "> ",
		AccSurveySelf:        "未填写调研人员，按评测人记为: %s",

		NoTTY: "没有终端: 终端界面需要交互式终端（标准输入和输出都必须是终端）。\n脚本、管道和 CI 中请使用命令行子命令（查看: digilevel --help），\n或使用 digilevel --accessible 以逐行提问方式答题。",

		Diag: chineseDiag(),

		Help: helpText{
			Up: "上移", Down: "下移", Left: "左", Right: "右", PageUp: "上一页", PageDown: "下一页",
			Enter: "确定", Toggle: "选择", Tab: "下一栏", ShiftTab: "上一栏", Back: "返回", Help: "帮助",
			Quit: "退出", ForceQuit: "退出", Filter: "筛选", Sort: "排序",
			NewAssessment: "新建评测", NewEnterprise: "新建企业", Edit: "编辑企业", Sync: "同步状态",
			Jump: "跳转", Scenarios: "场景", Review: "评审", Next: "下一项", Prev: "上一项",
			Finalize: "定稿", Export: "导出报告", Revise: "修订", SendNow: "立即发送", Level: "评级",
			Confirm: "确认", Cancel: "取消", Open: "打开", Save: "保存并下一题", Pick: "选择", Select: "选中",
			Questions: "答题", Settings: "设置", Option: "选项", OptionPick: "选定并下一题", Remove: "移除",
			AddFile: "添加文件", NoteEvidence: "备注与佐证", Later: "以后再填", Discard: "放弃修改",
			KeepEditing: "继续编辑", OpenExisting: "打开已有档案", SaveSettings: "保存", Backup: "备份",
		},

		Spot: chineseSpot(),
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
