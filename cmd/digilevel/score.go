package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/safefile"
)

type scoreOptions struct {
	json    bool
	target  int
	partial bool
	kind    string
	catalog string
}

func newScoreCmd(a *app) *cobra.Command {
	var o scoreOptions
	cmd := &cobra.Command{
		Use:   "score FILE|-",
		Short: "按答卷计算得分、等级、判定理由与达到下一等级的路径",
		Long: `按答卷计算得分、等级、判定理由与达到下一等级的路径。
答卷为 JSON: {"edition":"2024","answers":{"Q01":["B","C"],...},"scenarios":{"SC01":2,...}}
FILE 为 - 时从标准输入读取。缺答为错误，除非给出 --partial。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScore(a, args[0], o)
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "以 JSON 输出")
	cmd.Flags().IntVar(&o.target, "target", 0, "目标等级 1–4（默认取目录的试点目标，二级）")
	cmd.Flags().BoolVar(&o.partial, "partial", false, "允许未答完的答卷（未答按 0 分、未评场景按未达一级计）")
	cmd.Flags().StringVar(&o.catalog, "catalog", "", "使用指定的目录文件代替内置版本")
	cmd.Flags().StringVar(&o.kind, "kind", "baseline", "评测类型: baseline（改造前，成效题不作为改动手段）| acceptance | spotcheck")
	return cmd
}

// scoreReport is the JSON output of `score`.
type scoreReport struct {
	model.Result
	NextLevel      model.GapPlan      `json:"next_level"`
	Target         model.GapPlan      `json:"target"`
	Derivations    []model.Derivation `json:"derivations"`
	Contradictions []model.Derivation `json:"contradictions"`
}

func runScore(a *app, file string, o scoreOptions) error {
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(io.LimitReader(a.streams.in, model.MaxAnswerSetSize+1))
		if err != nil {
			return fmt.Errorf("读取答卷: %w", err)
		}
	} else if data, err = safefile.Read(file, model.MaxAnswerSetSize); err != nil {
		return err
	}
	answers, err := decodeScoreInput(data)
	if err != nil {
		return err
	}
	cat, err := loadCatalog(o.catalog, answers.Edition)
	if err != nil {
		return inputError(err)
	}
	res, err := model.Score(cat, answers)
	if err != nil {
		return err
	}
	if len(res.Missing) > 0 && !o.partial {
		return fmt.Errorf("答卷未完成，缺 %d 项: %s（如需按部分答卷计算，加 --partial）: %w",
			len(res.Missing), strings.Join(res.Missing, "、"), model.ErrIncomplete)
	}
	target := o.target
	if target == 0 {
		target = cat.Pilot.TargetLevel
	}
	if target < 1 || target > cat.MaxLevel() {
		return usagef("--target 应为 1–%d，实际 %d", cat.MaxLevel(), target)
	}
	kind, err := model.ParseKind(o.kind)
	if err != nil {
		return flagError("kind", err)
	}
	pl, err := indicators.EmbeddedPlanning(cat)
	if err != nil {
		return inputError(err)
	}
	rep := scoreReport{Result: res}
	if rep.NextLevel, err = model.PlanRetrofit(cat, pl, answers, min(res.Level+1, cat.MaxLevel()), kind); err != nil {
		return err
	}
	if rep.Target, err = model.PlanRetrofit(cat, pl, answers, target, kind); err != nil {
		return err
	}
	rep.Derivations = model.Derive(cat, answers)
	rep.Contradictions = model.Contradictions(rep.Derivations)
	if rep.Contradictions == nil {
		rep.Contradictions = []model.Derivation{}
	}
	if o.json {
		return printJSON(a.streams.out, rep)
	}
	var b strings.Builder
	for _, l := range res.Summary() {
		b.WriteString(l + "\n")
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(&b, "未完成 %d 项: %s\n", len(res.Missing), strings.Join(res.Missing, "、"))
	}
	if res.Level < cat.MaxLevel() {
		writePlan(&b, cat, answers, rep.NextLevel)
	}
	if target != rep.NextLevel.Target {
		writePlan(&b, cat, answers, rep.Target)
	}
	for _, d := range rep.Contradictions {
		fmt.Fprintf(&b, "数据矛盾 %s\n", d.Text)
	}
	_, err = io.WriteString(a.streams.out, b.String())
	return err
}

// decodeScoreInput reads an answer document strictly, or the output of
// `assessment show --json` (recognised by its id and state), from which only
// the answer fields are taken. Either way the JSON is one document without
// duplicate keys (model.CheckJSON).
func decodeScoreInput(data []byte) (model.AnswerSet, error) {
	if len(data) > model.MaxAnswerSetSize {
		return model.AnswerSet{}, model.Errorf(model.ErrInvalid, "答卷超过 %d 字节上限", model.MaxAnswerSetSize)
	}
	if err := model.CheckJSON(data, "答卷"); err != nil {
		return model.AnswerSet{}, err
	}
	var probe struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	if json.Unmarshal(data, &probe) == nil && probe.ID != "" && probe.State != "" {
		var view struct {
			Edition   string                              `json:"edition"`
			Answers   map[string][]string                 `json:"answers"`
			Scenarios map[string]model.ScenarioRating     `json:"scenarios"`
			Numbers   map[string]map[string]model.Decimal `json:"numbers"`
			Notes     map[string]string                   `json:"notes"`
		}
		if err := json.Unmarshal(data, &view); err != nil {
			return model.AnswerSet{}, model.Errorf(model.ErrInvalid, "答卷格式错误: %v", err)
		}
		return model.AnswerSet{Edition: view.Edition, Answers: view.Answers, Scenarios: view.Scenarios, Numbers: view.Numbers, Notes: view.Notes}, nil
	}
	return model.DecodeAnswerSet(bytes.NewReader(data))
}

// writePlan prints a gap plan as readable lines.
func writePlan(b *strings.Builder, cat *indicators.Catalog, answers model.AnswerSet, p model.GapPlan) {
	switch {
	case p.AlreadyMet:
		fmt.Fprintf(b, "已达到%s。\n", p.TargetName)
		return
	case !p.Reachable:
		fmt.Fprintf(b, "无法达到%s: %s\n", p.TargetName, p.Reason)
		return
	}
	fmt.Fprintf(b, "达到%s的最省力改动（%d 项，难度 %d）:\n", p.TargetName, p.Changes, p.Cost)
	qn, _ := cat.Questionnaire(answers.Questionnaire)
	for _, s := range p.Questions {
		q, _ := qn.Question(s.ID)
		from := strings.Join(s.From, "、")
		if from == "" {
			from = "未答"
		}
		fmt.Fprintf(b, "  %s %s: %s → %s（+%s 分；%s）\n", s.ID, q.Title, from, strings.Join(s.To, "、"), s.Gain, model.OptionsText(q, s.Add))
	}
	for _, s := range p.Scenarios {
		mark := ""
		if s.Constrained {
			mark = "（约束性）"
		}
		fmt.Fprintf(b, "  %s %s%s: %s → %s\n", s.ID, s.Name, mark, cat.ScenarioLevelName(s.From), cat.ScenarioLevelName(s.To))
	}
	if len(p.Questions) > 0 {
		fmt.Fprintf(b, "  得分 %s → %s\n", p.ScoreNow, p.ScoreAfter)
	}
	for i, alt := range p.Alternatives {
		var items []string
		for _, s := range alt.Questions {
			items = append(items, s.ID+"→"+strings.Join(s.To, "、"))
		}
		for _, s := range alt.Scenarios {
			items = append(items, s.ID+"→"+cat.ScenarioLevelName(s.To))
		}
		fmt.Fprintf(b, "  备选 %d（难度 %d）: %s\n", i+1, alt.Cost, strings.Join(items, "；"))
	}
}
