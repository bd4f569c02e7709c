package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/safefile"
	"digilevel/storage"
)

func newAssessmentCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "assessment", Short: "评测: 新建、作答、定稿、修订、查看", Args: cobra.NoArgs}
	cmd.AddCommand(
		newAssessmentNewCmd(a),
		newAnswerCmd(a),
		newRateCmd(a),
		newNoteCmd(a),
		newNumbersCmd(a),
		newEvidenceCmd(a),
		newAssessmentShowCmd(a),
		newFinalizeCmd(a),
		newAssessmentListCmd(a),
		newReviseCmd(a),
		newAuditCmd(a),
		newListsCmd(a),
		newSurveyCmd(a),
		newPlanCmd(a),
	)
	return cmd
}

func newAssessmentNewCmd(a *app) *cobra.Command {
	var code, kind, org, person, catalogFile, checks string
	cmd := &cobra.Command{
		Use:   "new --enterprise CODE --kind baseline|acceptance | --kind spotcheck --checks REPORT_ID",
		Short: "新建评测草稿（标准输出只打印新评测编号）",
		Long: `新建评测草稿，标准输出只打印新评测编号。
抽查: digilevel assessment new --kind spotcheck --checks 报告编号
  被抽查的报告须已拉取（digilevel pull），企业与指标目录取自该报告；须记录抽查单位与抽查人员
  （--org、--assessor 或 digilevel config）。默认盲评：抽查定稿前看不到服务商的答案与等级
  （digilevel config --spotcheck-blind off 关闭）。抽查不测算奖补。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := model.ParseKind(kind)
			if err != nil {
				return flagError("kind", err)
			}
			switch {
			case checks != "" && k != model.KindSpotCheck:
				return flagError("checks", fmt.Errorf("只有抽查（--kind spotcheck）可以指定被抽查的报告"))
			case checks == "" && k == model.KindSpotCheck:
				return flagError("checks", fmt.Errorf("抽查须用 --checks 指定被抽查的报告编号（先用 digilevel pull 拉取；digilevel pull list 查看编号）"))
			case checks == "" && code == "":
				return usagef("参数错误: 缺少必需选项 --enterprise（企业统一社会信用代码）")
			}
			var cat *indicators.Catalog
			if catalogFile != "" {
				if cat, err = readCatalogFile(catalogFile); err != nil {
					return inputError(err)
				}
			}
			return a.withStore(func(db *storage.DB) error {
				assessor := model.Assessor{Org: org, Person: person}
				if assessor.Org == "" {
					assessor.Org, _ = db.Setting(storage.SettingAssessorOrg)
				}
				if assessor.Person == "" {
					assessor.Person, _ = db.Setting(storage.SettingAssessorPerson)
				}
				as, err := db.CreateAssessment(storage.NewAssessment{Enterprise: code, Kind: k, Catalog: cat, Assessor: assessor, Checks: checks}, a.change(db, ""))
				if err != nil {
					return err
				}
				fmt.Fprintln(a.streams.out, as.ID)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&code, "enterprise", "", "企业统一社会信用代码")
	f.StringVar(&kind, "kind", "", "评测类型: baseline（改造前诊断）| acceptance（改造后验收）| spotcheck（抽查）")
	f.StringVar(&org, "org", "", "评测机构（默认取 config 中的设置）")
	f.StringVar(&person, "assessor", "", "评测人（默认取 config 中的设置）")
	f.StringVar(&catalogFile, "catalog", "", "使用指定的指标目录文件（默认内置 2024 版）")
	f.StringVar(&checks, "checks", "", "抽查: 被抽查的报告编号（已拉取的服务商报告）")
	_ = cmd.MarkFlagRequired("kind")
	return cmd
}

// saveCmd builds the small commands that change one item of a draft. Each
// returns (exit 0) only after the change is committed to disk.
func saveCmd(a *app, use, short string, args cobra.PositionalArgs, save func(db *storage.DB, args []string, c model.Change) (model.Assessment, error)) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use: use, Short: short, Args: args,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				_, err := save(db, args, a.change(db, reason))
				return err
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "修改原因（记入审计日志）")
	return cmd
}

func newAnswerCmd(a *app) *cobra.Command {
	return saveCmd(a, "answer ID QID OPTION...", "作答一题（多选题给出多个选项；返回即已写入磁盘）", cobra.MinimumNArgs(3),
		func(db *storage.DB, args []string, c model.Change) (model.Assessment, error) {
			opts := make([]string, 0, len(args)-2)
			for _, o := range args[2:] {
				for _, p := range strings.FieldsFunc(o, func(r rune) bool { return r == ',' || r == '，' }) {
					opts = append(opts, strings.ToUpper(strings.TrimSpace(p)))
				}
			}
			return db.SaveAnswer(args[0], strings.ToUpper(args[1]), opts, c)
		})
}

func newRateCmd(a *app) *cobra.Command {
	return saveCmd(a, "rate ID SCID LEVEL", "评定一个场景的等级（0 = 未达一级，1–4；目录允许时可为 na）", cobra.ExactArgs(3),
		func(db *storage.DB, args []string, c model.Change) (model.Assessment, error) {
			r, err := parseRating(args[2])
			if err != nil {
				return model.Assessment{}, err
			}
			return db.SaveRating(args[0], strings.ToUpper(args[1]), r, c)
		})
}

func parseRating(s string) (model.ScenarioRating, error) {
	if strings.EqualFold(s, "na") {
		return model.NotApplicable, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, model.Errorf(model.ErrInvalid, "场景等级应为 0–4 或 na，实际 %q", s)
	}
	return model.ScenarioRating(n), nil
}

func newNoteCmd(a *app) *cobra.Command {
	return saveCmd(a, "note ID QID TEXT", "记录一题的备注（空字符串清除）", cobra.ExactArgs(3),
		func(db *storage.DB, args []string, c model.Change) (model.Assessment, error) {
			return db.SaveNote(args[0], strings.ToUpper(args[1]), args[2], c)
		})
}

func newNumbersCmd(a *app) *cobra.Command {
	return saveCmd(a, "numbers ID QID FIELD=VALUE...", "记录一题的补充数据（如 total_devices=120；值为空清除）", cobra.MinimumNArgs(3),
		func(db *storage.DB, args []string, c model.Change) (model.Assessment, error) {
			values := map[string]model.Decimal{}
			for _, kv := range args[2:] {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					return model.Assessment{}, model.Errorf(model.ErrInvalid, "补充数据应为 字段=数值，实际 %q", kv)
				}
				if strings.TrimSpace(v) == "" {
					values[k] = ""
					continue
				}
				d, err := model.ParseDecimal(v)
				if err != nil {
					return model.Assessment{}, model.Errorf(model.ErrInvalid, "%s: %v", k, err)
				}
				values[k] = d
			}
			return db.SaveNumbers(args[0], strings.ToUpper(args[1]), values, c)
		})
}

// assessmentView is `assessment show --json`: the answers in the shape of
// the `score` input, plus state, kind, enterprise, level and score.
type assessmentView struct {
	ID             string                              `json:"id"`
	Version        int                                 `json:"version"`
	Replaces       string                              `json:"replaces,omitempty"`
	RevisionReason string                              `json:"revision_reason,omitempty"`
	ReplacedBy     string                              `json:"replaced_by,omitempty"`
	State          model.State                         `json:"state"`
	Kind           model.Kind                          `json:"kind"`
	Enterprise     string                              `json:"enterprise"`
	Edition        string                              `json:"edition"`
	CatalogHash    string                              `json:"catalog_hash"`
	Assessor       model.Assessor                      `json:"assessor"`
	Device         string                              `json:"device"`
	Answers        map[string][]string                 `json:"answers"`
	Scenarios      map[string]model.ScenarioRating     `json:"scenarios"`
	Numbers        map[string]map[string]model.Decimal `json:"numbers,omitempty"`
	Notes          map[string]string                   `json:"notes,omitempty"`
	Evidence       map[string][]model.Evidence         `json:"evidence,omitempty"`
	Score          indicators.Points                   `json:"score"`
	Level          int                                 `json:"level"`
	LevelName      string                              `json:"level_name"`
	Missing        []string                            `json:"missing"`
	ReportSHA256   string                              `json:"report_sha256,omitempty"`
	LastError      string                              `json:"last_error,omitempty"`
	CreatedAt      time.Time                           `json:"created_at"`
	UpdatedAt      time.Time                           `json:"updated_at"`
	FinalizedAt    time.Time                           `json:"finalized_at,omitzero"`
}

func newAssessmentShowCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID [--json]",
		Short: "查看评测: 答案、得分、等级与判定理由",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				as, err := db.Assessment(args[0])
				if err != nil {
					return err
				}
				cat, err := db.Catalog(as.CatalogHash)
				if err != nil {
					return err
				}
				res, err := model.Score(cat, as.Answers)
				if err != nil {
					return err
				}
				if as.State.Frozen() {
					res.Score, res.Level, res.LevelName = as.Score, as.Level, cat.LevelName(as.Level)
				}
				if asJSON {
					v := assessmentView{
						ID: as.ID, Version: as.Version, Replaces: as.Replaces, RevisionReason: as.RevisionReason, ReplacedBy: as.ReplacedBy,
						State: as.State, Kind: as.Kind, Enterprise: as.Enterprise, Edition: as.Edition, CatalogHash: as.CatalogHash,
						Assessor: as.Assessor, Device: as.Device, Answers: as.Answers.Answers, Scenarios: as.Answers.Scenarios,
						Numbers: as.Answers.Numbers, Notes: as.Answers.Notes, Evidence: as.Evidence,
						Score: res.Score, Level: res.Level, LevelName: res.LevelName, Missing: res.Missing,
						ReportSHA256: as.ReportSHA256, LastError: as.LastError, CreatedAt: inZone(as.CreatedAt), UpdatedAt: inZone(as.UpdatedAt), FinalizedAt: inZone(as.FinalizedAt),
					}
					if v.Missing == nil {
						v.Missing = []string{}
					}
					return printJSON(a.streams.out, v)
				}
				return writeAssessment(a.streams.out, cat, as, res)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出（answers、scenarios 与 score 命令的输入格式相同）")
	return cmd
}

func writeAssessment(w io.Writer, cat *indicators.Catalog, as model.Assessment, res model.Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "评测 %s（%s，第 %d 版，%s）\n企业 %s  评测人 %s %s\n", as.ID, cat.KindLabel(string(as.Kind)), as.Version, as.State.Label(), as.Enterprise, as.Assessor.Org, as.Assessor.Person)
	if as.Replaces != "" {
		fmt.Fprintf(&b, "修订自 %s，原因: %s\n", as.Replaces, as.RevisionReason)
	}
	if as.ReplacedBy != "" {
		fmt.Fprintf(&b, "已被 %s 修订\n", as.ReplacedBy)
	}
	if as.LastError != "" {
		fmt.Fprintf(&b, "最近一次发送错误: %s\n", as.LastError)
	}
	qn, _ := cat.Questionnaire(as.Answers.Questionnaire)
	for _, q := range qn.Questions() {
		fmt.Fprintf(&b, "%s %s\n    %s\n", q.ID, q.Title, model.OptionsText(q, as.Answers.Answers[q.ID]))
		if n := as.Answers.Notes[q.ID]; n != "" {
			fmt.Fprintf(&b, "    备注: %s\n", n)
		}
	}
	for _, s := range cat.Scenarios {
		r, ok := as.Answers.Scenarios[s.ID]
		level := "（未评）"
		if ok {
			level = cat.ScenarioLevelName(int(r))
			if r == model.NotApplicable {
				level = cat.ScenarioPolicy.NotApplicableLabel
			}
		}
		fmt.Fprintf(&b, "%s %s: %s\n", s.ID, s.Name, level)
	}
	for _, l := range res.Summary() {
		b.WriteString(l + "\n")
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(&b, "未完成 %d 项: %s\n", len(res.Missing), strings.Join(res.Missing, "、"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func newFinalizeCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "finalize ID",
		Short: "定稿: 检查完整性，冻结答案、得分与等级，签名报告并放入发送队列",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				as, err := db.Finalize(args[0], a.change(db, ""))
				if err != nil {
					return err
				}
				fmt.Fprintf(a.streams.out, "已定稿 %s: 得分 %s，%s，报告 SHA-256 %s\n", as.ID, as.Score, a.catalog().LevelName(as.Level), as.ReportSHA256)
				return nil
			})
		},
	}
}

func newReviseCmd(a *app) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "revise ID --reason TEXT",
		Short: "修订已定稿的评测: 生成新版本草稿（标准输出只打印新编号）",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				next, err := db.Revise(args[0], reason, a.change(db, reason))
				if err != nil {
					return err
				}
				fmt.Fprintln(a.streams.out, next.ID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "修订原因（必填）")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}

func newAssessmentListCmd(a *app) *cobra.Command {
	var asJSON bool
	var code, state string
	cmd := &cobra.Command{
		Use:   "list [--json] [--enterprise CODE] [--state STATE]",
		Short: "列出评测",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if state != "" && !knownState(model.State(state)) {
				return flagError("state", fmt.Errorf("应为 %s，实际 %q", strings.Join(stateNames(), "、"), state))
			}
			return a.withStore(func(db *storage.DB) error {
				summaries, err := db.Summaries()
				if err != nil {
					return err
				}
				type row struct {
					storage.AssessmentSummary
					Enterprise string `json:"enterprise"`
					Name       string `json:"enterprise_name"`
				}
				rows := []row{}
				for _, s := range summaries {
					if code != "" && s.Code != model.NormalizeCreditCode(code) {
						continue
					}
					for _, as := range s.Assessments {
						if state == "" || string(as.State) == state {
							rows = append(rows, row{as, s.Code, s.Name})
						}
					}
				}
				if asJSON {
					return printJSON(a.streams.out, rows)
				}
				var t table
				t.row("编号", "企业", "类型", "版本", "状态", "得分", "等级", "进度")
				for _, r := range rows {
					t.row(r.ID, r.Name, a.catalog().KindLabel(string(r.Kind)), fmt.Sprintf("v%d", r.Version), r.State.Label(), r.Score.String(), a.catalog().LevelName(r.Level), fmt.Sprintf("%d/%d", r.Done, r.Total))
				}
				return t.write(a.streams.out)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出")
	cmd.Flags().StringVar(&code, "enterprise", "", "只列出某企业")
	cmd.Flags().StringVar(&state, "state", "", "只列出某状态: "+strings.Join(stateNames(), "|"))
	return cmd
}

func newAuditCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "audit ID [--json]",
		Short: "查看评测链的完整历史: 各版本、修订原因、谁在何时做了什么、报告校验值、平台回执、对它的抽查",
		Long: `查看评测链的完整历史：ID 可以是本机评测或拉取的报告。列出该链的每个版本（修订原因、
评测人员、定稿时间、得分与等级、报告 SHA-256、平台回执或拉取来源）、每个版本的审计日志
（谁、何时、由何改为何、原因），以及对该链任一版本的抽查。盲评中不显示拉取报告的得分与等级。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				trail, err := db.AuditTrail(args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(a.streams.out, trail)
				}
				return writeTrail(a.streams.out, a.catalog(), trail)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出（版本、修订、审计日志、校验值、回执、抽查）")
	return cmd
}

// writeTrail prints an audit trail; times are Beijing time. Text from other
// laptops is shown through DisplaySafe.
func writeTrail(w io.Writer, cat *indicators.Catalog, t storage.AuditTrail) error {
	var b strings.Builder
	safe := func(s string) string { return model.DisplaySafe(s, false) }
	fmt.Fprintf(&b, "企业 %s（%s） %s，共 %d 个版本\n", safe(t.Enterprise.Name), t.Enterprise.Code, cat.KindLabel(string(t.Kind)), len(t.Versions))
	if t.Sealed {
		fmt.Fprintf(&b, "%s\n", t.SealReason)
	}
	version := func(v storage.TrailVersion) {
		origin := "本机"
		if v.Origin == storage.OriginPulled {
			origin = "拉取"
		}
		fmt.Fprintf(&b, "\n第 %d 版  %s（%s）  %s %s  设备 %s\n", v.Version, v.ID, origin, safe(v.Assessor.Org), safe(v.Assessor.Person), safe(v.Device))
		if v.Replaces != "" {
			fmt.Fprintf(&b, "  修订自 %s，原因: %s\n", v.Replaces, model.DisplaySafe(v.RevisionReason, true))
		}
		if v.Checks != nil {
			fmt.Fprintf(&b, "  抽查报告 %s（%s），%s\n", v.Checks.ID, safe(v.Checks.Org), v.Checks.BlindText())
		}
		line := "  创建 " + beijingTime(v.CreatedAt)
		if v.State != "" {
			line += "  状态 " + v.State.Label()
		}
		if !v.FinalizedAt.IsZero() {
			line += "  定稿 " + beijingTime(v.FinalizedAt)
		}
		switch {
		case v.Level != nil:
			line += fmt.Sprintf("  得分 %s  %s", v.Score, cat.LevelName(*v.Level))
		case v.Origin == storage.OriginPulled:
			line += "  得分与等级: 盲评中"
		}
		fmt.Fprintln(&b, line)
		if v.ReportSHA256 != "" {
			fmt.Fprintf(&b, "  报告 SHA-256 %s\n", v.ReportSHA256)
		}
		if v.Receipt != nil {
			fmt.Fprintf(&b, "  平台回执 %s 序号 %d，接收于 %s\n", safe(v.Receipt.Server), v.Receipt.ServerSeq, beijingTime(v.Receipt.ReceivedAt))
		}
		if v.Pulled != nil {
			fmt.Fprintf(&b, "  来源 %s", safe(v.Pulled.Text()))
			if !v.Pulled.ReceivedAt.IsZero() {
				fmt.Fprintf(&b, "，平台接收于 %s", beijingTime(v.Pulled.ReceivedAt))
			}
			b.WriteString("\n")
		}
		if v.ReplacedBy != "" {
			fmt.Fprintf(&b, "  已被 %s 修订\n", v.ReplacedBy)
		}
		var tb table
		tb.row("  时间（北京时间）", "人员", "操作", "项目", "原值", "新值", "原因")
		for _, e := range v.Log {
			tb.row("  "+beijingTime(e.At), safe(e.Who), e.Action, e.Item, safe(e.Old), safe(e.New), safe(e.Reason))
		}
		_ = tb.write(&b)
	}
	for _, v := range t.Versions {
		version(v)
	}
	if len(t.SpotChecks) > 0 {
		fmt.Fprintf(&b, "\n对本评测链的抽查 %d 次:\n", len(t.SpotChecks))
		for _, v := range t.SpotChecks {
			version(v)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// listsDoc is the file format of `assessment lists --set`.
type listsDoc struct {
	Problems []model.ListItem `json:"problems"`
	Demands  []model.ListItem `json:"demands"`
}

// maxListsFile bounds the file of `assessment lists --set`.
const maxListsFile = 1 << 20

// readListsFile reads the file of `assessment lists --set`: a regular file
// of at most maxListsFile bytes, strict JSON. It runs before the database
// is opened, so a bad file never holds the lock.
func readListsFile(path string) (listsDoc, error) {
	var doc listsDoc
	data, err := safefile.Read(path, maxListsFile)
	if err != nil {
		return doc, err
	}
	return doc, model.DecodeStrictJSON(data, "清单文件", &doc)
}

func newListsCmd(a *app) *cobra.Command {
	var set string
	cmd := &cobra.Command{
		Use:   "lists ID [--set FILE.json]",
		Short: "查看或修改问题清单与需求场景清单（定稿前可改）",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if set != "" {
				doc, err := readListsFile(set)
				if err != nil {
					return err
				}
				return a.withStore(func(db *storage.DB) error {
					_, err := db.SaveLists(args[0], doc.Problems, doc.Demands, a.change(db, "编辑清单"))
					return err
				})
			}
			return a.withStore(func(db *storage.DB) error {
				r, err := db.Report(args[0])
				if err != nil {
					return err
				}
				return printJSON(a.streams.out, listsDoc{Problems: r.Document.Problems, Demands: r.Document.Demands})
			})
		},
	}
	cmd.Flags().StringVar(&set, "set", "", "用 JSON 文件 {\"problems\":[...],\"demands\":[...]} 整体替换清单（至多 1 MiB；逐条修改用子命令）")
	addListEditCmds(a, cmd)
	return cmd
}

// lifecycleStates are the states `assessment list --state` accepts.
func lifecycleStates() []model.State {
	return []model.State{model.StateDraft, model.StateFinalized, model.StateQueued, model.StateSent,
		model.StateSendFailed, model.StateHeld, model.StateRejected}
}

func knownState(s model.State) bool { return slices.Contains(lifecycleStates(), s) }

func stateNames() []string {
	states := lifecycleStates()
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = string(s)
	}
	return out
}
