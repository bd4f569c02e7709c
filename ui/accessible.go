package ui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"
)

// RunAccessible runs the walk as plain sequential prompts for screen readers
// and dumb terminals: numbered options, one line of input each, every answer
// saved before the next prompt. It asks who rates when the laptop does not
// know yet, takes a note and evidence files for every question and scenario
// (empty input skips them), and ends with the score, the gates and the
// cheapest path to the next level. It needs no terminal, only a line-based
// input. It stops cleanly at end of input or "q".
//
// huh's accessible mode was not used: in huh v1.0.0 its prompts are English
// only, each prompt makes a new bufio.Scanner (piped input after the first
// line is lost) and a select without a default panics at end of input.
func RunAccessible(ctx context.Context, in io.Reader, out io.Writer, d Deps) error {
	if d.Now == nil {
		return errors.New("ui: Deps.Now is nil")
	}
	p := &prompter{in: bufio.NewReader(in), out: out, t: Chinese(), d: d, ctx: ctx}
	err := p.run()
	if errors.Is(err, errQuit) {
		fmt.Fprintln(out, p.t.AccDone)
		return nil
	}
	return err
}

var errQuit = errors.New("quit")

type prompter struct {
	in    *bufio.Reader
	out   io.Writer
	t     *Text
	d     Deps
	ctx   context.Context
	ident model.Assessor
}

func (p *prompter) say(format string, args ...any) { fmt.Fprintf(p.out, format+"\n", args...) }

// change is a change by the laptop's assessor (else the OS user).
func (p *prompter) change(reason string) model.Change {
	who := p.ident.Person
	if who == "" {
		who = p.d.User
	}
	return model.Change{Who: who, Reason: reason, Now: p.d.Now()}
}

// ask prints a prompt and reads one line; end of input or "q" quits.
func (p *prompter) ask(prompt string) (string, error) {
	if err := p.ctx.Err(); err != nil {
		return "", errQuit
	}
	fmt.Fprint(p.out, prompt)
	line, err := p.in.ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(p.out)
		return "", errQuit
	}
	line = strings.TrimSpace(line)
	if line == "q" {
		return "", errQuit
	}
	return line, nil
}

// choose asks for a number in 1..n; def (1-based, 0 = none) is taken on empty input.
func (p *prompter) choose(n, def int) (int, error) {
	for {
		s, err := p.ask(fmt.Sprintf(p.t.AccNumberPrompt, 1, n))
		if err != nil {
			return 0, err
		}
		if s == "" && def > 0 {
			return def, nil
		}
		i, err := strconv.Atoi(s)
		if err == nil && i >= 1 && i <= n {
			return i, nil
		}
		p.say(p.t.AccNumberInvalid, s, 1, n)
	}
}

func (p *prompter) run() error {
	st, t := p.d.Store, p.t
	p.say(t.AccIntro)
	list, err := st.Summaries()
	if err != nil {
		return err
	}
	if p.ident, err = st.Identity(); err != nil {
		return err
	}
	if p.ident.Org == "" || p.ident.Person == "" {
		if err := p.askIdentity(list); err != nil {
			return err
		}
	}
	if len(list) == 0 {
		p.say(t.AccNewEnterprise)
		var s string
		for s != "y" && s != "n" {
			if s, err = p.ask(t.AccCreateDemo); err != nil {
				return err
			}
		}
		if s == "n" {
			p.say(t.AccAddEnterpriseHint)
			return errQuit
		}
		a, err := st.CreateDemo(p.change(""))
		if err != nil {
			return err
		}
		return p.walk(a.ID)
	}
	ent, err := p.pickEnterprise(list)
	if err != nil {
		return err
	}
	id, err := p.pickAssessment(ent)
	if err != nil {
		return err
	}
	return p.walk(id)
}

// askIdentity asks who rates, offering the most frequent 服务商 of the
// enterprise files as the organisation.
func (p *prompter) askIdentity(list []storage.EnterpriseSummary) error {
	t := p.t
	p.say(t.AccIdentity)
	h := homeModel{all: list}
	suggest := p.ident.Org
	if providers := h.providers(); suggest == "" && len(providers) > 0 {
		suggest = providers[0]
	}
	for {
		as := p.ident
		if as.Person == "" {
			s, err := p.ask(t.AccPersonPrompt)
			if err != nil {
				return err
			}
			as.Person = s
		}
		prompt := t.FieldOrg + ": "
		if suggest != "" {
			prompt = fmt.Sprintf(t.AccOrgPromptFmt, oneLine(suggest))
		}
		s, err := p.ask(prompt)
		if err != nil {
			return err
		}
		if as.Org = s; s == "" {
			as.Org = suggest
		}
		err = model.CheckText(as.Org, model.TextRule{Label: t.FieldOrg, Max: model.MaxAssessorOrg, Required: true})
		if err == nil {
			err = model.CheckText(as.Person, model.TextRule{Label: t.FieldPerson, Max: model.MaxAssessorPerson, Required: true})
		}
		if err == nil {
			err = p.d.Store.SetIdentity(as)
		}
		if err != nil {
			p.say("%s", errText(err))
			p.ident.Person = ""
			continue
		}
		p.ident = as
		p.say(t.IdentitySaved)
		return nil
	}
}

func (p *prompter) pickEnterprise(list []storage.EnterpriseSummary) (storage.EnterpriseSummary, error) {
	for {
		q, err := p.ask(p.t.AccSearch)
		if err != nil {
			return storage.EnterpriseSummary{}, err
		}
		var hits []storage.EnterpriseSummary
		for _, s := range list {
			if strings.Contains(strings.ToLower(s.Name+" "+s.Code), strings.ToLower(q)) {
				hits = append(hits, s)
			}
			if len(hits) == 30 {
				break
			}
		}
		if len(hits) == 0 {
			p.say(p.t.AccNoMatch)
			continue
		}
		p.say(p.t.AccPickEnterprise)
		for i, s := range hits {
			p.say("%d. %s（%s）", i+1, oneLine(s.Name), s.Code)
		}
		i, err := p.choose(len(hits), 0)
		if err != nil {
			return storage.EnterpriseSummary{}, err
		}
		return hits[i-1], nil
	}
}

func (p *prompter) pickAssessment(s storage.EnterpriseSummary) (string, error) {
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		return "", err
	}
	l := live(s)
	p.say(p.t.AccPickAssessment)
	for i, a := range l {
		p.say("%d. %s v%d %s %d/%d", i+1, cat.KindLabel(string(a.Kind)), a.Version, a.State.Label(), a.Done, a.Total)
	}
	kinds := assessmentKinds()
	for i, k := range kinds {
		p.say("%d. %s: %s", len(l)+i+1, p.t.Help.NewAssessment, cat.KindLabel(string(k)))
	}
	i, err := p.choose(len(l)+len(kinds), 0)
	if err != nil {
		return "", err
	}
	if i <= len(l) {
		return l[i-1].ID, nil
	}
	a, err := p.d.Store.CreateAssessment(storage.NewAssessment{Enterprise: s.Code, Kind: kinds[i-len(l)-1]}, p.change(""))
	return a.ID, err
}

// walk asks every unanswered question and unrated scenario, then shows the
// result with the path to the next level and offers to finalize.
func (p *prompter) walk(id string) error {
	st, t := p.d.Store, p.t
	s, err := loadSession(st, id)
	if err != nil {
		return err
	}
	if s.surveyFirst() {
		if s.a, err = p.survey(s); err != nil {
			return err
		}
	}
	if !s.a.State.Frozen() {
		for i, q := range s.questions() {
			if len(s.a.Answers.Answers[q.ID]) > 0 {
				continue
			}
			if s.a, err = p.question(s, i, q); err != nil {
				return err
			}
		}
		for _, sc := range s.cat.Scenarios {
			if _, ok := s.a.Answers.Scenarios[sc.ID]; ok {
				continue
			}
			if s.a, err = p.scenario(s, sc); err != nil {
				return err
			}
		}
	}
	d, err := st.Diagnosis(s.a.ID)
	if err != nil {
		return err
	}
	res := d.Diagnosis.Result
	p.say("")
	p.say(t.ScoreFmt, res.Score, res.MaxScore, res.LevelName)
	okText := func(ok bool) string {
		if ok {
			return t.GateMet
		}
		return t.GateNotMet
	}
	for i := len(res.Checks) - 1; i >= 0; i-- {
		c := res.Checks[i]
		score, scen, cons := t.gate(c, okText)
		p.say("%s: %s；%s；%s", c.Name, score, scen, cons)
	}
	p.nextLevel(s, res.Level, d.Diagnosis.Next)
	if s.a.State.Frozen() || len(s.a.Answers.Missing(s.cat)) > 0 {
		return errQuit
	}
	ans, err := p.ask(t.AccFinalizeAsk)
	if err != nil {
		return err
	}
	if ans == "y" {
		if _, err := st.Finalize(s.a.ID, p.change("")); err != nil {
			p.say("%s", errText(err))
			return errQuit
		}
		p.say(t.FinalizeDone)
	}
	return errQuit
}

// nextLevel says what the cheapest way to the next level is (the store's
// priced plan).
func (p *prompter) nextLevel(s session, level int, plan model.GapPlan) {
	t := p.t
	if level >= s.cat.MaxLevel() {
		p.say(t.TopLevel)
		return
	}
	p.say(t.AccNextTitle, plan.TargetName)
	switch {
	case plan.AlreadyMet:
		p.say("%s", t.PlanMet)
		return
	case !plan.Reachable:
		p.say(t.PlanUnreachable, Display(plan.Reason))
		return
	}
	if plan.ScoreNeed > 0 {
		p.say(t.PlanScoreFmt, plan.ScoreNow, plan.ScoreNeed, plan.ScoreAfter)
	}
	opts := func(ids []string) string {
		if len(ids) == 0 {
			return t.Unanswered
		}
		return strings.Join(ids, ",")
	}
	for _, q := range plan.Questions {
		title := ""
		if qq, ok := s.qn.Question(q.ID); ok {
			title = qq.Title
		}
		p.say("%s", Display(fmt.Sprintf(t.PlanQuestionFmt, q.ID, opts(q.From), opts(q.To), q.Gain, q.Cost, title)))
	}
	for _, sc := range plan.Scenarios {
		p.say("%s", Display(fmt.Sprintf(t.PlanScenarioFmt, sc.ID, s.cat.ScenarioLevelName(sc.From), s.cat.ScenarioLevelName(sc.To), sc.Cost, sc.Name)))
	}
}

// parseOptions reads a multi-choice answer: option letters or numbers,
// separated by spaces or commas (B,C / B C / b，c / 2 3).
func parseOptions(q *indicators.Question, line string) ([]string, bool) {
	var ids []string
	for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == ',' || r == '，' || r == '、' }) {
		id := ""
		if j, err := strconv.Atoi(f); err == nil && j >= 1 && j <= len(q.Options) {
			id = q.Options[j-1].ID
		} else if q.OptionIndex(strings.ToUpper(f)) >= 0 {
			id = strings.ToUpper(f)
		} else {
			return nil, false
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, len(ids) > 0
}

func (p *prompter) question(s session, i int, q *indicators.Question) (model.Assessment, error) {
	st, t, a := p.d.Store, p.t, s.a
	path, _ := s.qn.PathOf(q.ID)
	p.say("")
	p.say("%s（%s）%s > %s > %s", fmt.Sprintf(t.QuestionOfFmt, i+1, len(s.questions())), q.ID,
		Display(path.Dimension.Name), Display(path.SubDimension.Name), Display(path.Indicator.Name))
	p.say("%s", Display(q.FullTitle()))
	if q.Description != "" {
		p.say("%s", Display(q.Description))
	}
	derived := -1 // the option the numbers imply: taken on an empty answer
	if len(q.FormFields) > 0 {
		vals := map[string]model.Decimal{}
		for _, f := range q.FormFields {
			for {
				s, err := p.ask(Display(f.Label) + ": ")
				if err != nil {
					return a, err
				}
				d, err := parseNumber(q, f.ID, s)
				if err != nil {
					p.say(t.AccInvalid, errText(err))
					continue
				}
				if !d.IsZero() {
					vals[f.ID] = d
				}
				break
			}
		}
		if len(vals) > 0 {
			got, err := st.SaveNumbers(a.ID, q.ID, vals, p.change(""))
			if err != nil {
				return a, err
			}
			a = got
			for _, d := range model.Derive(s.cat, a.Answers) {
				if d.Question == q.ID {
					p.say(t.DerivedFmt, Display(d.Text))
					derived = q.OptionIndex(d.Option)
				}
			}
		}
	}
	p.say("%s", t.questionType(q))
	for j, o := range q.Options {
		p.say("%d. %s %s", j+1, o.ID, Display(o.Text))
	}
	for {
		var ids []string
		if q.Type == indicators.Single {
			j, err := p.chooseOption(q, derived)
			if err != nil {
				return a, err
			}
			ids = []string{q.Options[j].ID}
		} else {
			line, err := p.ask(t.AccMultiPrompt)
			if err != nil {
				return a, err
			}
			var ok bool
			if ids, ok = parseOptions(q, line); !ok {
				p.say(t.AccMultiInvalid, line, optionRange(q))
				continue
			}
		}
		ids, err := model.NormalizeOptions(q, ids)
		if err != nil {
			p.say(t.AccInvalid, errText(err))
			continue
		}
		got, err := st.SaveAnswer(a.ID, q.ID, ids, p.change(""))
		if err != nil {
			return a, err
		}
		p.say(t.AccSavedFmt, q.ID)
		return p.noteAndEvidence(got, q.ID)
	}
}

// chooseOption reads a single choice: its letter or its number; an empty
// answer takes derived (the option the numbers imply), when there is one.
func (p *prompter) chooseOption(q *indicators.Question, derived int) (int, error) {
	prompt := fmt.Sprintf(p.t.AccNumberPrompt, 1, len(q.Options))
	if derived >= 0 {
		prompt = fmt.Sprintf(p.t.AccDerivedPrompt, 1, len(q.Options), q.Options[derived].ID)
	}
	for {
		s, err := p.ask(prompt)
		if err != nil {
			return 0, err
		}
		if s == "" && derived >= 0 {
			return derived, nil
		}
		if j := q.OptionIndex(strings.ToUpper(s)); j >= 0 {
			return j, nil
		}
		if i, err := strconv.Atoi(s); err == nil && i >= 1 && i <= len(q.Options) {
			return i - 1, nil
		}
		p.say(p.t.AccNumberInvalid, s, 1, len(q.Options))
	}
}

// noteAndEvidence asks for an item's note and evidence files; empty input
// skips each. A file that cannot be attached is said and asked again.
func (p *prompter) noteAndEvidence(a model.Assessment, ref string) (model.Assessment, error) {
	t, st := p.t, p.d.Store
	for {
		note, err := p.ask(t.AccNotePrompt)
		if err != nil {
			return a, err
		}
		if note == "" {
			break
		}
		if err := model.CheckText(note, model.TextRule{Label: t.NoteLabel, Max: model.MaxNoteLength}); err != nil {
			p.say("%s", errText(err))
			continue
		}
		if a, err = st.SaveNote(a.ID, ref, note, p.change("")); err != nil {
			return a, err
		}
		break
	}
	for {
		typed, err := p.ask(t.AccEvidencePrompt)
		if err != nil || typed == "" {
			return a, err
		}
		msg := addEvidenceCmd(st, a.ID, ref, typed, p.change(""))().(evidenceMsg)
		if msg.a.ID != "" {
			a = msg.a
		}
		if msg.err != nil {
			p.say("%s", errText(msg.err))
			continue
		}
		p.say(t.AccEvidenceAdded, strings.Join(msg.added, "、"))
		return a, nil
	}
}

func (p *prompter) scenario(s session, sc indicators.Scenario) (model.Assessment, error) {
	t := p.t
	p.say("")
	cons := ""
	if sc.Constrained {
		cons = "（" + t.Constrained + "）"
	}
	p.say("%s %s%s", sc.ID, Display(sc.Name), cons)
	p.say("0. %s", s.cat.ScenarioLevelName(0))
	for l, d := range sc.Descriptors {
		p.say("%d. %s: %s", l+1, s.cat.ScenarioLevelName(l+1), Display(d))
	}
	for {
		line, err := p.ask(t.AccRatingPrompt)
		if err != nil {
			return s.a, err
		}
		l, err := strconv.Atoi(line)
		if err != nil || l < 0 || l > s.cat.MaxLevel() {
			p.say(t.AccLevelInvalid, line)
			continue
		}
		a, err := p.d.Store.SaveRating(s.a.ID, sc.ID, model.ScenarioRating(l), p.change(""))
		if err != nil {
			return s.a, err
		}
		p.say(t.AccSavedFmt, sc.ID)
		return p.noteAndEvidence(a, sc.ID)
	}
}
