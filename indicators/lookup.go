package indicators

// Path locates a question in its questionnaire (维度 › 二级 › 指标).
type Path struct {
	Dimension    *Dimension
	SubDimension *SubDimension
	Indicator    *Indicator
}

// DefaultQuestionnaire is the questionnaire marked default.
func (c *Catalog) DefaultQuestionnaire() *Questionnaire {
	for i := range c.Questionnaires {
		if c.Questionnaires[i].Default {
			return &c.Questionnaires[i]
		}
	}
	return &c.Questionnaires[0]
}

// Questionnaire finds a questionnaire by ID; "" means the default one.
func (c *Catalog) Questionnaire(id string) (*Questionnaire, bool) {
	if id == "" {
		return c.DefaultQuestionnaire(), true
	}
	for i := range c.Questionnaires {
		if c.Questionnaires[i].ID == id {
			return &c.Questionnaires[i], true
		}
	}
	return nil, false
}

// Questions lists the questions in catalog order.
func (qn *Questionnaire) Questions() []*Question { return qn.order }

// Question finds a question by ID.
func (qn *Questionnaire) Question(id string) (*Question, bool) {
	q, ok := qn.index[id]
	return q, ok
}

// PathOf returns the dimension, sub-dimension and indicator of a question.
func (qn *Questionnaire) PathOf(id string) (Path, bool) {
	p, ok := qn.paths[id]
	return p, ok
}

// Option finds an option by ID.
func (q *Question) Option(id string) (*Option, bool) {
	for i := range q.Options {
		if q.Options[i].ID == id {
			return &q.Options[i], true
		}
	}
	return nil, false
}

// OptionIndex is the position of an option, or -1.
func (q *Question) OptionIndex(id string) int {
	for i := range q.Options {
		if q.Options[i].ID == id {
			return i
		}
	}
	return -1
}

// Field finds a form field by ID.
func (q *Question) Field(id string) (*FormField, bool) {
	for i := range q.FormFields {
		if q.FormFields[i].ID == id {
			return &q.FormFields[i], true
		}
	}
	return nil, false
}

// Scenario finds a scenario by ID.
func (c *Catalog) Scenario(id string) (*Scenario, bool) {
	for i := range c.Scenarios {
		if c.Scenarios[i].ID == id {
			return &c.Scenarios[i], true
		}
	}
	return nil, false
}

// Group finds a scenario group by ID.
func (c *Catalog) Group(id string) (*Group, bool) {
	for i := range c.Groups {
		if c.Groups[i].ID == id {
			return &c.Groups[i], true
		}
	}
	return nil, false
}

// MaxLevel is the highest overall (and scenario) level.
func (c *Catalog) MaxLevel() int { return len(c.Levels.Rules) }

// Rule returns the rule of a level (1..MaxLevel).
func (c *Catalog) Rule(level int) (*LevelRule, bool) {
	for i := range c.Levels.Rules {
		if c.Levels.Rules[i].Level == level {
			return &c.Levels.Rules[i], true
		}
	}
	return nil, false
}

// LevelName names an overall level; 0 is the "no level" label.
func (c *Catalog) LevelName(level int) string {
	if r, ok := c.Rule(level); ok {
		return r.Name
	}
	return c.Levels.NoLevelLabel
}

// ScenarioLevelName names a scenario rating; 0 is "below level one".
func (c *Catalog) ScenarioLevelName(level int) string {
	if r, ok := c.Rule(level); ok {
		return r.Name
	}
	return c.ScenarioPolicy.BelowLevelOneLabel
}

// KindLabel is the display label of an assessment kind, or the ID itself.
func (c *Catalog) KindLabel(id string) string {
	for _, k := range c.Pilot.Kinds {
		if k.ID == id {
			return k.Label
		}
	}
	return id
}

// Constrained counts the 约束性 scenarios.
func (c *Catalog) Constrained() int {
	n := 0
	for _, s := range c.Scenarios {
		if s.Constrained {
			n++
		}
	}
	return n
}

// Outline returns the title of a report outline item, or "" if the outline
// does not include it.
func (c *Catalog) Outline(id string) string {
	for _, o := range c.ReportOutline {
		if o.ID == id {
			return o.Title
		}
	}
	return ""
}
