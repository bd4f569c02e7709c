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
	screenIdentity
	screenWelcome
	screenHome
	screenForm
	screenWalk
	screenScenarios
	screenReview
	screenSync
	screenSettings
	screenSpot    // 抽查: the pulled reports
	screenCompare // a spot-check against the report it checks
	screenAudit   // the history of an assessment chain
	screenSurvey  // survey.go
	screenLists   // lists.go
	screenPlan    // plan.go
	screenProfile // profile.go
	screenCount   // keep last: the number of screens
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

// resume finds where work stops: the site survey of a baseline not begun
// (skippable), else the first unanswered question, else the first unrated
// scenario, else the review.
func (s session) resume() navMsg {
	if s.a.State.Frozen() {
		return navMsg{to: screenReview}
	}
	if s.surveyFirst() {
		return navMsg{to: screenSurvey}
	}
	return s.resumeWalk()
}

// surveyFirst says whether work on the assessment starts with the site
// survey: a baseline (改造前诊断) not begun and without one.
func (s session) surveyFirst() bool {
	return !s.a.State.Frozen() && s.a.Kind == model.KindBaseline && s.a.Survey == nil &&
		len(s.a.Answers.Answers) == 0 && len(s.a.Answers.Scenarios) == 0
}

// resumeWalk is resume without the survey: where the rating stops.
func (s session) resumeWalk() navMsg {
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
	// readAt is when the read began: a read's snapshot is its start, so of
	// two loads in flight (the first frame's background load and a reload
	// after a change) the later-begun one holds the newer list.
	readAt time.Time
}

// homePageSize is how many enterprises the first frame decodes: more rows
// than a terminal shows, few enough that the first frame costs the same at
// 100,000 enterprises as at 100.
const homePageSize = 100

// summaryPageMsg carries the start of the home list and the index's counts.
type summaryPageMsg struct {
	page storage.SummaryPage
	err  error
}

// identityMsg carries the laptop's identity at start.
type identityMsg struct {
	as  model.Assessor
	err error
}

// identitySavedMsg reports the identity written by the identity step or
// the settings.
type identitySavedMsg struct {
	as  model.Assessor
	err error
}

// outboxMsg carries the outbox and the platform status for the sync screen.
type outboxMsg struct {
	items    []storage.OutboxItem
	platform PlatformStatus
	err      error
}

// openAssessmentMsg asks the root to load an assessment and resume it (or
// go where then says).
type openAssessmentMsg struct {
	id   string
	then *navMsg
}

// sessionMsg is a loaded assessment; the root resumes it.
type sessionMsg struct {
	sess session
	then *navMsg
	err  error
}

// navMsg switches screens within the open assessment (or home, form, sync,
// identity, settings).
type navMsg struct {
	to        screenID
	q         int    // walk: question index
	scenario  string // scenarios: scenario ID
	code      string // form: enterprise to edit ("" = new)
	revise    bool   // review: open the revise dialog
	suggest   string // identity: an organisation to offer
	back      *navMsg
	status    string // a line to show on arrival (a confirmation, or an error)
	statusErr bool
	create    *newDraft // home: start this draft on arrival
	id        string    // compare: the spot-check; audit: any ID of the chain
}

// newDraft is a draft to start once the identity step is done.
type newDraft struct {
	code string
	kind model.Kind
	// checks starts a spot-check of this pulled report instead.
	checks string
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

// evidenceMsg reports attaching or removing evidence files.
type evidenceMsg struct {
	a       model.Assessment
	err     error
	added   []string // base names
	removed string
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
// A spot-check is not among them: it starts from a pulled report (the
// spot-check screen), never on its own.
func assessmentKinds() []model.Kind {
	return []model.Kind{model.KindBaseline, model.KindAcceptance}
}

func nav(n navMsg) tea.Cmd { return func() tea.Msg { return n } }

// errText is an error as the UI shows it.
func errText(err error) string { return Display(err.Error()) }

func loadSummariesCmd(st Store) tea.Cmd {
	return func() tea.Msg {
		at := time.Now()
		l, err := st.Summaries()
		return summariesMsg{list: l, err: err, readAt: at}
	}
}

func loadSummaryPageCmd(st Store) tea.Cmd {
	return func() tea.Msg {
		p, err := st.SummaryPage(homePageSize)
		return summaryPageMsg{page: p, err: err}
	}
}

func loadIdentityCmd(st Store) tea.Cmd {
	return func() tea.Msg {
		as, err := st.Identity()
		return identityMsg{as: as, err: err}
	}
}

func loadOutboxCmd(st Store, p Platform) tea.Cmd {
	return func() tea.Msg {
		items, err := st.Outbox()
		msg := outboxMsg{items: items, err: err}
		if p != nil {
			ps, err := p.Status()
			msg.platform = ps
			if msg.err == nil {
				msg.err = err
			}
		}
		return msg
	}
}

func loadSessionCmd(st Store, id string, then *navMsg) tea.Cmd {
	return func() tea.Msg {
		s, err := loadSession(st, id)
		return sessionMsg{sess: s, then: then, err: err}
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

// createAssessmentCmd starts a draft; the store signs it with the laptop's
// identity as it is then.
func createAssessmentCmd(st Store, code string, kind model.Kind, c model.Change) tea.Cmd {
	return func() tea.Msg {
		a, err := st.CreateAssessment(storage.NewAssessment{Enterprise: code, Kind: kind}, c)
		if err != nil {
			return statusMsg{text: errText(err), isErr: true}
		}
		return openAssessmentMsg{id: a.ID}
	}
}

func createDemoCmd(st Store, c model.Change) tea.Cmd {
	return func() tea.Msg {
		a, err := st.CreateDemo(c)
		if err != nil {
			return statusMsg{text: errText(err), isErr: true}
		}
		return openAssessmentMsg{id: a.ID}
	}
}

func syncTickCmd(every time.Duration, tag int) tea.Cmd {
	return tea.Tick(every, func(time.Time) tea.Msg { return syncTickMsg{tag: tag} })
}

func sendCmd(ctx context.Context, p Platform) tea.Cmd {
	return func() tea.Msg {
		res, err := p.SendPending(ctx)
		return syncDoneMsg{res: res, err: err}
	}
}
