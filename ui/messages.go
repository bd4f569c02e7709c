package ui

import (
	"context"
	"time"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"

	tea "github.com/charmbracelet/bubbletea"
)

// screenID names a screen.
type screenID int

const (
	screenLoading screenID = iota
	screenWelcome
	screenHome
	screenForm
	screenWalk
	screenScenarios
	screenReview
	screenSync
)

// session is the assessment being worked on, with its catalog and
// enterprise. Screens get a copy; the root keeps the newest after each save.
type session struct {
	a   model.Assessment
	cat *indicators.Catalog
	ent model.Enterprise
	qn  *indicators.Questionnaire
}

func (s session) questions() []*indicators.Question { return s.qn.Questions() }

// resume finds where work stops: the first unanswered question, else the
// first unrated scenario, else the review.
func (s session) resume() navMsg {
	if s.a.State.Frozen() {
		return navMsg{to: screenReview}
	}
	for i, q := range s.questions() {
		if len(s.a.Answers.Answers[q.ID]) == 0 {
			return navMsg{to: screenWalk, q: i}
		}
	}
	for _, sc := range s.cat.Scenarios {
		if _, ok := s.a.Answers.Scenarios[sc.ID]; !ok {
			return navMsg{to: screenScenarios, scenario: sc.ID}
		}
	}
	return navMsg{to: screenReview}
}

// ShutdownMsg asks the UI to save what is on screen and quit; the command
// sends it on SIGTERM and SIGHUP.
type ShutdownMsg struct{}

// summariesMsg carries the home list.
type summariesMsg struct {
	list []storage.EnterpriseSummary
	err  error
}

// outboxMsg carries the outbox for the sync screen.
type outboxMsg struct {
	items []storage.OutboxItem
	err   error
}

// openAssessmentMsg asks the root to load an assessment and resume it.
type openAssessmentMsg struct{ id string }

// sessionMsg is a loaded assessment; the root resumes it.
type sessionMsg struct {
	sess session
	err  error
}

// navMsg switches screens within the open assessment (or home, form, sync).
type navMsg struct {
	to       screenID
	q        int    // walk: question index
	scenario string // scenarios: scenario ID
	code     string // form: enterprise to edit ("" = new)
}

// savedMsg reports a write to the open assessment. a is the stored state
// after the last successful step (zero when nothing was written); err is the
// first failure. The screen advances only when err is nil.
type savedMsg struct {
	a    model.Assessment
	err  error
	next *navMsg // where to go after a successful save
	info string
}

// enterpriseSavedMsg reports the enterprise form's save.
type enterpriseSavedMsg struct {
	e   model.Enterprise
	err error
}

// statusMsg shows a line in the status bar.
type statusMsg struct {
	text  string
	isErr bool
}

// syncTickMsg is the background send timer firing; tag says which timer.
type syncTickMsg struct{ tag int }

// sendNowMsg asks for a send round now (the sync screen's key).
type sendNowMsg struct{}

// syncDoneMsg is the result of one send round.
type syncDoneMsg struct {
	res SendResult
	err error
}

// exportedMsg reports written report files.
type exportedMsg struct {
	paths []string
	err   error
}

// assessmentKinds are the kinds a new assessment can have, in menu order.
func assessmentKinds() []model.Kind {
	return []model.Kind{model.KindBaseline, model.KindAcceptance, model.KindSpotCheck}
}

func nav(n navMsg) tea.Cmd { return func() tea.Msg { return n } }

func statusCmd(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, isErr: isErr} }
}

func loadSummariesCmd(st Store) tea.Cmd {
	return func() tea.Msg {
		l, err := st.Summaries()
		return summariesMsg{list: l, err: err}
	}
}

func loadOutboxCmd(st Store) tea.Cmd {
	return func() tea.Msg {
		items, err := st.Outbox()
		return outboxMsg{items: items, err: err}
	}
}

func loadSessionCmd(st Store, id string) tea.Cmd {
	return func() tea.Msg {
		s, err := loadSession(st, id)
		return sessionMsg{sess: s, err: err}
	}
}

func loadSession(st Store, id string) (session, error) {
	a, err := st.Assessment(id)
	if err != nil {
		return session{}, err
	}
	cat, err := st.Catalog(a.CatalogHash)
	if err != nil {
		return session{}, err
	}
	e, err := st.Enterprise(a.Enterprise)
	if err != nil {
		return session{}, err
	}
	qn, ok := cat.Questionnaire(a.Answers.Questionnaire)
	if !ok {
		qn = cat.DefaultQuestionnaire()
	}
	return session{a: a, cat: cat, ent: e, qn: qn}, nil
}

func createAssessmentCmd(st Store, code string, kind model.Kind, as model.Assessor, c model.Change) tea.Cmd {
	return func() tea.Msg {
		a, err := st.CreateAssessment(storage.NewAssessment{Enterprise: code, Kind: kind, Assessor: as}, c)
		if err != nil {
			return statusMsg{text: err.Error(), isErr: true}
		}
		return openAssessmentMsg{id: a.ID}
	}
}

func createDemoCmd(st Store, c model.Change) tea.Cmd {
	return func() tea.Msg {
		a, err := st.CreateDemo(c)
		if err != nil {
			return statusMsg{text: err.Error(), isErr: true}
		}
		return openAssessmentMsg{id: a.ID}
	}
}

func syncTickCmd(every time.Duration, tag int) tea.Cmd {
	return tea.Tick(every, func(time.Time) tea.Msg { return syncTickMsg{tag: tag} })
}

func sendCmd(ctx context.Context, s Sender) tea.Cmd {
	return func() tea.Msg {
		res, err := s.SendPending(ctx)
		return syncDoneMsg{res: res, err: err}
	}
}
