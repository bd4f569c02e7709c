package ui

// spotText is the text of the spot-check screens (抽查: pulled reports,
// pulling, the comparison, the audit view). Fields ending in Fmt are fmt formats.
type spotText struct {
	// Keys.
	HelpInspect, HelpPullPlatform, HelpPullBundle string
	HelpCompare, HelpAudit, HelpOnlyDiff          string
	HelpStart, HelpDismiss, HelpPull, HelpBegin   string

	// Entries elsewhere.
	WelcomeItem string // welcome menu
	KindItem    string // the kind picker's spot-check line

	// The list of pulled reports.
	Title            string
	CountFmt         string // reports, enterprises
	Empty            string
	NoPuller         string
	Sealed           string // in place of score and level
	SealedNote       string
	RatingFmt        string // score, level
	FinalizedFmt     string // date
	Replaced         string
	NotChecked       string
	Checking         string
	CheckedFmt       string // version
	DetailFmt        string // id, person, origin, pulled at
	DetailRevision   string // %s reason
	ActStart         string
	ActContinueFmt   string // id
	ActCompareFmt    string // id
	ActReplacedFmt   string // id of the newer version
	LoadingList      string
	ConfirmTitle     string
	ConfirmReportFmt string // kind, version, provider, finalized
	ConfirmEntFmt    string // name, code
	ConfirmBlind     string
	ConfirmNotBlind  string
	ConfirmSeen      string
	ConfirmWhoFmt    string // org, person
	ConfirmAsk       string
	Started          string

	// Pulling.
	PullPlatformTitle string
	PullBundleTitle   string
	PullServerFmt     string // server
	PullNotConfigured string
	FieldCodes        string
	CodesHint         string
	CodesBundleHint   string
	FieldBundle       string
	BundleHint        string
	NeedCodes         string
	NeedBundle        string
	BadCodeFmt        string // code, reason
	PullingPlatform   string
	PullingBundle     string
	PullFailedFmt     string // reason
	PullFailedHint    string
	PullFailedBundle  string
	ResultTitle       string
	ResultFmt         string // stored, existing, refused
	ResultSkippedFmt  string // skipped
	StatusStored      string
	StatusExisting    string
	StatusRefused     string
	StatusSkipped     string
	ItemFmt           string // status, kind, version, name, code
	ItemReasonFmt     string // reason
	CreatedFmt        string // code
	NotFoundPlatform  string // %s code
	NotFoundBundle    string // %s code
	ResultRefusedHint string

	// The comparison.
	CompareTitle     string
	Loading          string
	SevCritical      string
	SevLevel         string
	SevDiffer        string
	SevAgree         string
	MarkCritical     string
	MarkLevel        string
	SideChecked      string
	SideSpot         string
	SideLineFmt      string // kind, version, org, person
	SideRatedFmt     string // time
	SideScoreFmt     string // score, level
	SideRewardFmt    string // summary
	SideDraft        string
	BlindShort       string
	NotBlindShort    string
	TallyFmt         string // q agree, q total, s agree, s total, points, score before, score after, delta
	FlagsTitle       string
	NoFlags          string
	QuestionsTitle   string
	OnlyDiffNote     string
	AllAgreeShown    string
	ScenariosTitle   string
	ColID            string
	ColQuestion      string
	ColScenario      string
	ColVerdict       string
	Agree            string
	DifferFmt        string // signed points
	DifferSamePoints string
	DifferLevelsFmt  string // signed levels
	AnswerFmt        string // text, points
	Contradicts      string
	EvidenceFmt      string // count
	ContradictTitle  string
	NoContradict     string
	EvidenceTitle    string
	NoEvidenceGap    string
	RewardTitle      string
	RewardLineFmt    string // whose level, summary
	ByCheckedFmt     string // level name
	BySpotFmt        string // level name
	SourcesTitle     string
	SourceFmt        string // side, id, sha256
	CatalogFmt       string // edition, short hash
	BlindDraftFmt    string // id
	NotSpotCheck     string
	ReviewChecksFmt  string // kind, id, provider, blind or not

	// The audit view.
	AuditTitleFmt                       string // kind
	AuditVersions                       string // %d versions
	AuditOriginLocal, AuditOriginPulled string
	AuditVersionFmt                     string // version, id, origin
	AuditByFmt                          string // org, person, device
	AuditReviseFmt                      string // replaces, reason
	AuditChecksFmt                      string // id, org, blind text
	AuditCreatedFmt                     string // time
	AuditStateFmt                       string // state
	AuditFinalFmt                       string // time
	AuditScoreFmt                       string // score, level
	AuditSealed                         string
	AuditSHAFmt                         string // sha256
	AuditReceiptFmt                     string // server, seq, time
	AuditPulledFmt                      string // origin text
	AuditPulledAtFmt                    string // time
	AuditReplacedFmt                    string // id
	AuditLogsTitle                      string
	AuditLogFmt                         string // kind, version, id, entries
	AuditEntryFmt                       string // time, who, action
	AuditSpotsFmt                       string // %d spot-checks
	AuditNoSpots                        string
	Actions                             map[string]string

	// The settings' connection check with a reading token.
	CheckReaderFmt    string // holder, role
	CheckInspectorFmt string // holder
	RoleInspector     string
	RoleOffice        string
}

func chineseSpot() spotText {
	return spotText{
		HelpInspect: "抽查", HelpPullPlatform: "从平台拉取", HelpPullBundle: "从数据包拉取",
		HelpCompare: "抽查对比", HelpAudit: "审计记录", HelpOnlyDiff: "只看不同/全部",
		HelpStart: "开始/继续/对比", HelpDismiss: "关闭", HelpPull: "拉取", HelpBegin: "开始抽查",

		WelcomeItem: "抽查：拉取服务商的报告，独立重新评测",
		KindItem:    "抽查（从拉取的服务商报告开始）",

		Title:            "抽查 ・ 拉取的服务商报告",
		CountFmt:         "%d 份报告 ・ %d 家企业",
		Empty:            "本机还没有拉取的服务商报告。按 g 从区县平台拉取（设置中须填写平台地址和抽查人员或主管部门的令牌，按 o 打开设置）；没有网络时按 b 从服务商交来的数据包拉取。",
		NoPuller:         "此版本不能拉取报告。",
		Sealed:           "盲评中",
		SealedNote:       "盲评中: 本机对这家企业的抽查定稿前，不显示服务商报告的答案、补充数据、备注、得分与等级。",
		RatingFmt:        "%s 分 %s",
		FinalizedFmt:     "定稿 %s",
		Replaced:         "已被修订",
		NotChecked:       "未抽查",
		Checking:         "抽查中（草稿）",
		CheckedFmt:       "已抽查 v%d",
		DetailFmt:        "编号 %s ・ 评测人员 %s ・ 来源 %s ・ 拉取于 %s",
		DetailRevision:   "修订原因: %s",
		ActStart:         "按 enter 开始抽查：在本机独立重新评测这家企业。",
		ActContinueFmt:   "抽查 %s 尚未定稿：按 enter 继续。",
		ActCompareFmt:    "抽查 %s 已定稿：按 enter 查看与服务商报告的对比。",
		ActReplacedFmt:   "这是修订前的版本，服务商已修订为 %s：请抽查最新版本。",
		LoadingList:      "正在读取拉取的报告",
		ConfirmTitle:     "开始抽查？",
		ConfirmReportFmt: "被抽查的报告: %s v%d ・ 服务商 %s ・ 定稿于 %s",
		ConfirmEntFmt:    "企业: %s（%s）",
		ConfirmBlind:     "盲评: 抽查定稿前，本机不显示服务商报告的答案、补充数据、备注、得分与等级。",
		ConfirmNotBlind:  "非盲评（设置中已关闭盲评）: 评测时可以查看服务商的报告，抽查报告会写明。",
		ConfirmSeen:      "非盲评: 该企业此前的抽查已定稿，本机已可查看服务商的报告，本次抽查如实记为非盲评，抽查报告会写明。",
		ConfirmWhoFmt:    "抽查单位与人员: %s %s",
		ConfirmAsk:       "按 y 开始，按 n 或 esc 取消。",
		Started:          "已开始抽查，在同样的答题、场景与评审页中独立评测",

		PullPlatformTitle: "从平台拉取服务商的报告",
		PullBundleTitle:   "从数据包拉取服务商的报告",
		PullServerFmt:     "平台: %s（令牌取自设置，须为抽查人员或主管部门的令牌）",
		PullNotConfigured: "尚未设置平台地址或访问令牌: 按 o 打开设置，填写平台地址和抽查人员（或主管部门）的令牌；没有网络时按 b 从数据包拉取。",
		FieldCodes:        "企业",
		CodesHint:         "统一社会信用代码，多家用空格或逗号分隔",
		CodesBundleHint:   "可留空（拉取数据包中的全部报告），或填写统一社会信用代码",
		FieldBundle:       "数据包",
		BundleHint:        "服务商用 digilevel bundle export 生成的 zip 文件；可把文件拖进来",
		NeedCodes:         "请填写要拉取的企业的统一社会信用代码",
		NeedBundle:        "请填写数据包文件的路径",
		BadCodeFmt:        "统一社会信用代码「%s」无效: %s",
		PullingPlatform:   "正在从平台拉取",
		PullingBundle:     "正在读取数据包",
		PullFailedFmt:     "拉取失败，本机没有保存任何报告: %s",
		PullFailedHint:    "按 o 打开设置，检查平台地址和令牌（须为抽查人员或主管部门的令牌）；没有网络时按 b 从数据包拉取。",
		PullFailedBundle:  "请确认文件是服务商用 digilevel bundle export 生成的数据包（zip），再按 b 重试。",
		ResultTitle:       "拉取结果",
		ResultFmt:         "新拉取 %d 份，已有 %d 份，拒收 %d 份",
		ResultSkippedFmt:  "，跳过本机自己的报告 %d 份",
		StatusStored:      "已拉取",
		StatusExisting:    "已有",
		StatusRefused:     "拒收",
		StatusSkipped:     "跳过",
		ItemFmt:           "%s %s v%d ・ %s（%s）",
		ItemReasonFmt:     "原因: %s",
		CreatedFmt:        "已按报告建立企业档案 %s",
		NotFoundPlatform:  "平台上没有企业 %s 的报告",
		NotFoundBundle:    "数据包中没有企业 %s 的报告",
		ResultRefusedHint: "被拒收的报告没有保存，其余报告不受影响。报告被改动、是草稿或使用本机没有的指标目录时被拒收: 请与服务商或区县主管部门核实。",

		CompareTitle:     "抽查对比",
		Loading:          "正在计算对比",
		SevCritical:      "重大差异",
		SevLevel:         "等级不一致",
		SevDiffer:        "部分不一致",
		SevAgree:         "一致",
		MarkCritical:     "!! ",
		MarkLevel:        "! ",
		SideChecked:      "服务商（被抽查的报告）",
		SideSpot:         "抽查",
		SideLineFmt:      "%s v%d ・ %s %s",
		SideRatedFmt:     "评定于 %s",
		SideScoreFmt:     "得分 %s，%s",
		SideRewardFmt:    "奖补测算: %s",
		SideDraft:        "（草稿）",
		BlindShort:       "盲评",
		NotBlindShort:    "非盲评",
		TallyFmt:         "题目 %d/%d 一致 ・ 场景 %d/%d 一致 ・ 不一致的题目涉及 %s 分 ・ 基础得分 %s -> %s（%s）",
		FlagsTitle:       "差异提示",
		NoFlags:          "没有差异",
		QuestionsTitle:   "逐题对比",
		OnlyDiffNote:     "（只看不同，按 d 显示全部）",
		AllAgreeShown:    "全部一致",
		ScenariosTitle:   "应用场景对比",
		ColID:            "编号",
		ColQuestion:      "题目",
		ColScenario:      "场景",
		ColVerdict:       "结论",
		Agree:            "一致",
		DifferFmt:        "不同 %s 分",
		DifferSamePoints: "选项不同，得分相同",
		DifferLevelsFmt:  "不同 %s 级",
		AnswerFmt:        "%s（%s 分）",
		Contradicts:      "；与补充数据矛盾",
		EvidenceFmt:      "；佐证 %d 份",
		ContradictTitle:  "答案与补充数据矛盾",
		NoContradict:     "双方答案均与各自的补充数据相符（或未填补充数据）",
		EvidenceTitle:    "仅一方附有佐证材料",
		NoEvidenceGap:    "没有仅一方附有佐证材料的题目或场景",
		RewardTitle:      "奖补测算",
		RewardLineFmt:    "按%s: %s",
		ByCheckedFmt:     "服务商评定的%s",
		BySpotFmt:        "抽查评定的%s",
		SourcesTitle:     "报告来源",
		SourceFmt:        "%s %s ・ SHA-256 %s",
		CatalogFmt:       "指标目录 %s 版 %s",
		BlindDraftFmt:    "抽查 %s 是盲评，尚未定稿: 定稿后才能查看与服务商报告的对比（在评审页按 f 定稿）。",
		NotSpotCheck:     "只有抽查才有与服务商报告的对比",
		ReviewChecksFmt:  "抽查服务商的%s报告 %s（%s）・ %s；定稿后按 c 查看对比",

		AuditTitleFmt:     "审计记录 ・ %s",
		AuditVersions:     "共 %d 个版本",
		AuditOriginLocal:  "本机",
		AuditOriginPulled: "拉取",
		AuditVersionFmt:   "第 %d 版 ・ %s（%s）",
		AuditByFmt:        "评测人员 %s %s ・ 设备 %s",
		AuditReviseFmt:    "修订自 %s，原因: %s",
		AuditChecksFmt:    "抽查的报告 %s（服务商 %s）・ %s",
		AuditCreatedFmt:   "创建 %s",
		AuditStateFmt:     "状态 %s",
		AuditFinalFmt:     "定稿 %s",
		AuditScoreFmt:     "得分 %s ・ %s",
		AuditSealed:       "得分与等级: 盲评中",
		AuditSHAFmt:       "报告 SHA-256 %s",
		AuditReceiptFmt:   "平台回执 %s 序号 %d，接收于 %s",
		AuditPulledFmt:    "来源 %s",
		AuditPulledAtFmt:  "，平台接收于 %s",
		AuditReplacedFmt:  "已被 %s 修订",
		AuditLogsTitle:    "审计日志（北京时间）",
		AuditLogFmt:       "%s 第 %d 版 %s: %d 条",
		AuditEntryFmt:     "%s %s %s",
		AuditSpotsFmt:     "对本评测链的抽查 %d 次",
		AuditNoSpots:      "还没有对本评测链的抽查",
		Actions: map[string]string{
			"create": "新建", "answer": "作答", "rate": "场景评级", "note": "备注", "numbers": "补充数据",
			"evidence": "佐证材料", "evidence_remove": "移除佐证", "lists": "清单", "survey": "调研", "plan": "改造方案",
			"finalize": "定稿", "state": "状态", "revise": "修订", "pull": "拉取", "assessor": "评测人员",
		},

		CheckReaderFmt:    "连接正常: 令牌属于「%s」（%s），可以拉取服务商的报告用于抽查（首页按 p 打开「抽查」）。",
		CheckInspectorFmt: "连接正常: 令牌属于抽查单位「%s」，与评测机构一致: 可以拉取服务商的报告用于抽查（首页按 p 打开「抽查」），本机定稿的抽查会发送到平台。",
		RoleInspector:     "抽查人员",
		RoleOffice:        "区县主管部门",
	}
}

// roleName is a token role in Chinese.
func roleName(t *Text, role string) string {
	switch role {
	case "inspector":
		return t.Spot.RoleInspector
	case "office":
		return t.Spot.RoleOffice
	}
	return role
}
