package ui

// diagText holds the strings of the diagnosis screens (issue 14): the site
// survey, the enterprise profile, the 问题清单 and 需求场景清单, the
// retrofit plan and the solution pool. Text.Diag carries them, so these
// screens add one field to the shared Text.
type diagText struct {
	// Review.
	PathCostFmt    string // changes, unit, cost
	AltFmt         string // n, cost, unit, score now, score after, items
	AltItemQFmt    string // id, options
	AltItemSFmt    string // id, level
	SurveyTitle    string
	SurveyNone     string // shown in the review when no survey was taken
	SurveyLineFmt  string // date, surveyors, pain points
	ListsTitleFmt  string // list name, count, on path
	ListsHint      string
	ListEmpty      string
	PathMark       string
	PathOn         string
	PlanTitle      string
	PlanNone       string
	PlanLineFmt    string // scenarios, investments, total, KPIs, milestones
	ReadOnlyLists  string
	ReadOnlySurvey string

	// Survey.
	SurveyFormTitle   string
	SurveyDate        string
	SurveyDateHint    string
	SurveyPeople      string
	SurveyPeopleHint  string
	SurveyFindings    string
	SurveyFindHint    string
	SurveyPains       string
	SurveyPainsHint   string
	SurveyGroupWho    string
	SurveyGroupWhat   string
	SurveyRoleDefault string
	SurveyPersonErr   string // %d line
	SurveyPainErr     string // %d line, %s text
	SurveySaved       string
	SurveySkipped     string

	// Profile.
	ProfileTitle       string
	ProfileGroupBasic  string
	ProfileGroupMake   string
	ProfileGroupIT     string
	ProfileGroupMore   string
	ProfileGroupStatus string
	ProfileRegion      string
	ProfileIndustrySub string
	ProfileType        string
	ProfileCapital     string
	ProfileFounded     string
	ProfileEmployees   string
	ProfileProducts    string
	ProfileProcess     string
	ProfileEquipment   string
	ProfileSoftware    string
	ProfileSoftHint    string
	ProfileCloud       string
	ProfileNetwork     string
	ProfileCerts       string
	ProfileHonours     string
	ProfileLinesHint   string
	ProfileFinances    string
	ProfileFinHint     string
	ProfileFundBand    string
	ProfilePlanCloud   string
	ProfilePlanSoft    string
	ProfileUnset       string
	ProfileStatusHint  string
	ProfileStatusDate  string
	ProfileStatusNote  string
	ProfileHistoryFmt  string // date, field, from, to
	ProfileSoftErr     string // %d line
	ProfileFinErr      string // %d line, %s text
	ProfileNumberErr   string // %s label

	// Lists.
	ListsScreen    string
	ListCountFmt   string // name, count
	ListCurrent    string
	ListTarget     string
	ListNote       string
	ListEditedMark string
	ListAddTitle   string
	ListPainTitle  string
	ListEditTitle  string
	ListMoveTitle  string // %s item
	ListPosition   string
	ListPosHintFmt string // n
	ListPosErrFmt  string // typed, n
	ListItemTitle  string
	ListItemNote   string
	ListItemRef    string
	ListRefHint    string
	ListRemoveAsk  string // %s item
	ListAdded      string
	ListRemoved    string
	ListReworded   string
	ListMoved      string
	ListTop        string
	ListBottom     string
	ListKindLabels map[string]string

	// Plan.
	PlanScreen        string
	PlanGoalSection   string
	PlanGoalFmt       string // level
	PlanNoGoalText    string
	PlanArchFmt       string // architecture
	PlanScenSection   string
	PlanScenFmt       string // id, name, target
	PlanNoSolutions   string
	PlanAddScenario   string
	PlanInvSection    string
	PlanInvFmt        string // n, item, category, amount
	PlanInvQtyFmt     string // quantity, unit, unit price
	PlanTotalFmt      string // total
	PlanAddInvest     string
	PlanKPISection    string
	PlanKPIFmt        string // question, name, baseline, target, unit
	PlanKPIUnset      string
	PlanMsSection     string
	PlanAddMilestone  string
	PlanPoolSection   string
	PlanPoolFmt       string // total, examples
	PlanPoolEmpty     string
	PlanImportFile    string
	PlanImportExample string
	ExampleWarn       string
	PlanSaved         string
	PlanRemoveAsk     string // %s item
	PlanRemoved       string

	// Plan editors.
	EdGoalTitle    string
	EdTargetLevel  string
	EdGoalText     string
	EdArchitecture string
	EdScenTitle    string
	EdScenario     string
	EdScenTarget   string
	EdSuggested    string
	EdNoSuggestFmt string // scenario, level
	EdOwnName      string
	EdOwnProvider  string
	EdDeployment   string
	EdNote         string
	EdScenTaken    string // %s scenario
	EdInvTitle     string
	EdItem         string
	EdCategory     string
	EdQuantity     string
	EdUnit         string
	EdUnitPrice    string
	EdAmount       string
	EdAmountHint   string
	EdAmountNeeded string
	EdAmountFmt    string // amount, quantity, unit price, product
	EdInvScenario  string
	EdNone         string
	EdKPITitleFmt  string // question
	EdBaseline     string
	EdBaselineHint string // %s computed value
	EdKPITarget    string
	EdKPIHintFmt   string // better text
	KPIBetter      map[string]string
	EdMsTitle      string
	EdDate         string
	EdMsText       string
	EdImportTitle  string
	EdImportPath   string
	EdImportHint   string
	EdImportNeed   string
	ImportDoneFmt  string // created, updated, unchanged, bad
	ImportBadFmt   string // first problems
	ImportExample  string
	DiscardDialog  string

	// Help labels.
	HelpSurvey, HelpLists, HelpPlan, HelpProfile        string
	HelpAdd, HelpPain, HelpReword, HelpMoveUp, HelpMove string
	HelpSwitch, HelpEdit, HelpSkip, HelpSaveNext        string
	HelpOrder, HelpImport, HelpMoveTo                   string
}

func chineseDiag() diagText {
	return diagText{
		PathCostFmt:    "改动 %d 项，%s合计 %d（相对值，不是金额）",
		AltFmt:         "备选 %d ・ %s %d ・ 得分 %s -> %s: %s",
		AltItemQFmt:    "%s -> %s",
		AltItemSFmt:    "%s -> %s",
		SurveyTitle:    "现场调研",
		SurveyNone:     "未录入（按 u 填写调研日期、调研人员、调研情况与痛点）",
		SurveyLineFmt:  "%s ・ 调研人员 %d 人 ・ 痛点/难点/堵点 %d 条",
		ListsTitleFmt:  "%s（%d 条，其中路径上 %d 条）",
		ListsHint:      "* 为最省路径上的条目。按 l 查看详情与编辑: 增加、删去、改写、调整顺序、增加企业所述的痛点",
		ListEmpty:      "无",
		PathMark:       "*",
		PathOn:         "在最省路径上",
		PlanTitle:      "改造方案",
		PlanNone:       "尚未填写（按 p 填写改造目标、场景与解决方案、投入清单、预期成效、实施计划）",
		PlanLineFmt:    "改造场景 %d 个 ・ 投入 %d 项共 %s 万元 ・ 成效指标 %d 项 ・ 里程碑 %d 个",
		ReadOnlyLists:  "本评测已定稿，清单与方案只读；如需修改请在评审页按 v 修订",
		ReadOnlySurvey: "本评测已定稿，现场调研只读；如需修改请在评审页按 v 修订",

		SurveyFormTitle:   "现场调研（走访前，可跳过）",
		SurveyDate:        "调研日期",
		SurveyDateHint:    "YYYY-MM-DD",
		SurveyPeople:      "调研人员",
		SurveyPeopleHint:  "每行一人: 姓名, 单位, 角色, 联系方式（ctrl+j 换行）",
		SurveyFindings:    "调研情况",
		SurveyFindHint:    "企业的机理、流程、工艺，现场看到的情况（ctrl+j 换行）",
		SurveyPains:       "痛点、难点、堵点",
		SurveyPainsHint:   "每行一条，以 痛点/难点/堵点 开头，如「难点：订单交期难以预估」；不写类型按痛点记（ctrl+j 换行）",
		SurveyGroupWho:    "时间与人员",
		SurveyGroupWhat:   "调研情况与痛点",
		SurveyRoleDefault: "调查员",
		SurveyPersonErr:   "第 %d 行最多四项: 姓名, 单位, 角色, 联系方式",
		SurveyPainErr:     "第 %d 行「%s」没有内容",
		SurveySaved:       "已保存现场调研",
		SurveySkipped:     "已跳过现场调研；之后可在评审页按 u 补填",

		ProfileTitle:       "企业画像",
		ProfileGroupBasic:  "基本情况",
		ProfileGroupMake:   "产品、工艺与设备",
		ProfileGroupIT:     "工业软件、云与网络",
		ProfileGroupMore:   "资质、荣誉与经营",
		ProfileGroupStatus: "规模与专精特新的变化",
		ProfileRegion:      "所在区域",
		ProfileIndustrySub: "二级行业",
		ProfileType:        "企业类型",
		ProfileCapital:     "注册资本（万元）",
		ProfileFounded:     "成立日期",
		ProfileEmployees:   "员工人数",
		ProfileProducts:    "主要产品",
		ProfileProcess:     "工艺流程",
		ProfileEquipment:   "智能设备",
		ProfileSoftware:    "在用工业软件",
		ProfileSoftHint:    "每行一项: 领域, 类型, 品牌型号；领域为 研发设计、生产制造、质量、运营、仓储 之一（ctrl+j 换行）",
		ProfileCloud:       "云使用",
		ProfileNetwork:     "网络",
		ProfileCerts:       "认证",
		ProfileHonours:     "荣誉",
		ProfileLinesHint:   "每行一项（ctrl+j 换行）",
		ProfileFinances:    "经营数据（万元）",
		ProfileFinHint:     "每行一年: 年份 资产总额 利润，如 2025 8200 410（营业收入在企业档案中填写）",
		ProfileFundBand:    "数字化转型资金",
		ProfilePlanCloud:   "计划上云",
		ProfilePlanSoft:    "计划使用的软件",
		ProfileUnset:       "未填",
		ProfileStatusHint:  "规模或专精特新有变化时在这里改，并填生效日期，变化连同日期记入档案（用于规下转规上等目标）。",
		ProfileStatusDate:  "生效日期",
		ProfileStatusNote:  "说明（如依据的文件）",
		ProfileHistoryFmt:  "%s %s: %s -> %s",
		ProfileSoftErr:     "第 %d 行应为: 领域, 类型, 品牌型号",
		ProfileFinErr:      "第 %d 行「%s」应为: 年份 资产总额 利润",
		ProfileNumberErr:   "%s应为数字",

		ListsScreen:    "问题与需求清单",
		ListCountFmt:   "%s %d 条",
		ListCurrent:    "现状: ",
		ListTarget:     "目标: ",
		ListNote:       "说明: ",
		ListEditedMark: "（已改写）",
		ListAddTitle:   "增加一条",
		ListPainTitle:  "增加企业所述的痛点（问题清单）",
		ListEditTitle:  "改写",
		ListMoveTitle:  "移动「%s」",
		ListPosition:   "移到第几条",
		ListPosHintFmt: "1 到 %d；1 为最前",
		ListPosErrFmt:  "「%s」不是位置: 请填 1 到 %d 的整数",
		ListItemTitle:  "内容",
		ListItemNote:   "说明",
		ListItemRef:    "关联项",
		ListRefHint:    "可留空；如 Q05、SC06",
		ListRemoveAsk:  "从清单中删去「%s」？按 y 删去，按 n 取消。",
		ListAdded:      "已增加",
		ListRemoved:    "已删去",
		ListReworded:   "已改写",
		ListMoved:      "已调整顺序",
		ListTop:        "已在最前",
		ListBottom:     "已在最后",
		ListKindLabels: map[string]string{
			"contradiction": "数据矛盾", "question": "题目", "scenario": "场景", "evidence": "缺少佐证",
			"pain": "企业所述痛点", "custom": "自填",
		},

		PlanScreen:        "改造方案",
		PlanGoalSection:   "改造目标",
		PlanGoalFmt:       "总体目标: %s",
		PlanNoGoalText:    "（目标说明未填，按 enter 填写）",
		PlanArchFmt:       "系统与集成架构: %s",
		PlanScenSection:   "改造场景与解决方案",
		PlanScenFmt:       "%s %s -> 目标%s",
		PlanNoSolutions:   "尚未选定解决方案",
		PlanAddScenario:   "+ 增加改造场景",
		PlanInvSection:    "投入清单（万元）",
		PlanInvFmt:        "%d. %s（%s）%s 万元",
		PlanInvQtyFmt:     "%s %s x %s 万元",
		PlanTotalFmt:      "合计 %s 万元",
		PlanAddInvest:     "+ 增加投入项",
		PlanKPISection:    "预期成效（对应 Q12-Q15）",
		PlanKPIFmt:        "%s %s: 现值 %s -> 目标 %s %s",
		PlanKPIUnset:      "未定",
		PlanMsSection:     "实施计划",
		PlanAddMilestone:  "+ 增加里程碑",
		PlanPoolSection:   "解决方案池",
		PlanPoolFmt:       "共 %d 条（其中示例 %d 条）",
		PlanPoolEmpty:     "方案池为空: 导入区县或服务商提供的方案池文件后，选场景时会按场景和目标等级推荐方案。",
		PlanImportFile:    "+ 导入方案池文件（.xlsx、.csv 或 .json）",
		PlanImportExample: "+ 导入内置示例池（虚构，仅供演示）",
		ExampleWarn:       "标【示例】的方案与服务商是虚构的，只用于演示，不是真实产品，不得作为推荐写入正式报告。",
		PlanSaved:         "已保存改造方案",
		PlanRemoveAsk:     "删去「%s」？按 y 删去，按 n 取消。",
		PlanRemoved:       "已删去并保存",

		EdGoalTitle:    "改造目标",
		EdTargetLevel:  "目标等级",
		EdGoalText:     "目标说明",
		EdArchitecture: "系统与集成架构",
		EdScenTitle:    "改造场景与解决方案",
		EdScenario:     "场景",
		EdScenTarget:   "目标等级",
		EdSuggested:    "方案池中适用的方案（空格选中）:",
		EdNoSuggestFmt: "方案池中没有适用于 %s %s的方案：可在本页下方「解决方案池」导入方案池文件，或在下面自填。",
		EdOwnName:      "自填方案名称",
		EdOwnProvider:  "服务商",
		EdDeployment:   "部署方式",
		EdNote:         "说明",
		EdScenTaken:    "场景 %s 已在方案中，请在它那一行按 enter 修改",
		EdInvTitle:     "投入项",
		EdItem:         "名称",
		EdCategory:     "类别",
		EdQuantity:     "数量",
		EdUnit:         "单位",
		EdUnitPrice:    "单价（万元）",
		EdAmount:       "金额（万元）",
		EdAmountHint:   "精确到元（最多 4 位小数）；留空则按 数量 x 单价 计算",
		EdAmountNeeded: "请填写金额，或同时填写数量和单价",
		EdAmountFmt:    "金额 %s 万元不等于 数量 %s x 单价 %s = %s 万元",
		EdInvScenario:  "关联场景",
		EdNone:         "无",
		EdKPITitleFmt:  "预期成效 %s",
		EdBaseline:     "现值",
		EdBaselineHint: "按补充数据计算为 %s",
		EdKPITarget:    "目标值",
		EdKPIHintFmt:   "该指标%s",
		KPIBetter:      map[string]string{"lower": "越低越好", "higher": "越高越好"},
		EdMsTitle:      "里程碑",
		EdDate:         "日期",
		EdMsText:       "内容",
		EdImportTitle:  "导入方案池文件",
		EdImportPath:   "文件",
		EdImportHint:   "输入路径或把文件拖进来；格式见 docs/diagnosis.md（编号、名称、服务商、适用场景、部署方式）",
		EdImportNeed:   "请填写方案池文件的路径",
		ImportDoneFmt:  "已导入方案池: 新增 %d，更新 %d，未变 %d，有问题的行 %d",
		ImportBadFmt:   "未导入的行: %s",
		ImportExample:  "示例池中的方案与服务商均为虚构，名称均带「【示例】」。",
		DiscardDialog:  "有未保存的修改。放弃？按 y 放弃，按 n 继续编辑。",

		HelpSurvey: "调研", HelpLists: "清单", HelpPlan: "方案", HelpProfile: "画像",
		HelpAdd: "增加", HelpPain: "痛点", HelpReword: "改写", HelpMoveUp: "上移条目", HelpMove: "下移条目",
		HelpSwitch: "切换清单", HelpEdit: "编辑", HelpSkip: "跳过", HelpSaveNext: "下一项/保存",
		HelpOrder: "移动", HelpImport: "导入", HelpMoveTo: "移到第几条",
	}
}
