// Package indicators holds the MIIT 《中小企业数字化水平评测指标》 catalog: the
// Go types that describe an edition, the embedded edition files (2024 first),
// their validation and their content hash.
//
// # Data, not code
//
// Everything the reference marks as uncertain lives in the edition file: the
// option scores, the level rules (minimum score, scenario gates), the 约束性
// flags, the "无等级" label, the N/A policy for scenarios, the 持平 tolerance of
// derived answers, the pilot target level and the report outline. A corrected
// official text or a city variant is a new file passed to [Load], not a code
// change.
//
// # File format
//
// An edition is one JSON file (format 1). Scores are written as JSON numbers
// with at most three decimals and read exactly into [Points]; they never pass
// through float64. Unknown fields are an error, so a typo cannot silently drop
// a rule.
//
// # Identity
//
// [Catalog.Hash] is the SHA-256 of the canonical form (the catalog re-encoded by
// encoding/json, fields in declaration order). Every assessment records it, so
// an old assessment is always scored with the catalog it was made with.
package indicators

// FormatVersion is the edition file format this package reads.
const FormatVersion = 1

// QuestionType says how a question is answered.
type QuestionType string

// Question types of the platform payload (questionType 1 and 2).
const (
	Single QuestionType = "single"
	Multi  QuestionType = "multi"
)

// Catalog is one validated edition of the indicators. Treat it as immutable.
type Catalog struct {
	Format         int             `json:"format"`
	Edition        string          `json:"edition"`
	Title          string          `json:"title"`
	Notice         string          `json:"notice,omitempty"`
	Source         string          `json:"source"`
	Notes          []string        `json:"notes,omitempty"`
	TotalPoints    Points          `json:"total_points"`
	Questionnaires []Questionnaire `json:"questionnaires"`
	// ScenarioDimension names the unscored fourth part (数字化经营).
	ScenarioDimension string         `json:"scenario_dimension"`
	Groups            []Group        `json:"scenario_groups"`
	Scenarios         []Scenario     `json:"scenarios"`
	Levels            LevelTable     `json:"levels"`
	ScenarioPolicy    ScenarioPolicy `json:"scenario_policy"`
	Pilot             Pilot          `json:"pilot"`
	ReportOutline     []OutlineItem  `json:"report_outline"`
	hash              string         // SHA-256 of the canonical form, set by Parse
	file              string         // where it came from, for error messages
}

// Questionnaire is one scored questionnaire of an edition. The 2024 edition
// ships one (manufacturing style); the format allows one per industry category.
type Questionnaire struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Industries []string    `json:"industries,omitempty"`
	Default    bool        `json:"default,omitempty"`
	Dimensions []Dimension `json:"dimensions"`

	// Lookup tables built by Parse.
	index map[string]*Question
	paths map[string]Path
	order []*Question
}

// Dimension is a scored first-level dimension (数字化基础 50 points, ...).
type Dimension struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Points        Points         `json:"points"`
	SubDimensions []SubDimension `json:"sub_dimensions"`
}

// SubDimension is a second-level node; its weight is a percentage of its dimension.
type SubDimension struct {
	ID            string      `json:"id"`
	Name          string      `json:"name"`
	WeightPercent int         `json:"weight_percent"`
	Indicators    []Indicator `json:"indicators"`
}

// Indicator is a third-level node; its weight is a percentage of its sub-dimension.
type Indicator struct {
	ID            string     `json:"id"`
	Name          string     `json:"name"`
	WeightPercent int        `json:"weight_percent"`
	Questions     []Question `json:"questions"`
}

// Question is one scored question (题目).
type Question struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Qualifier is the bracketed part of the platform's title string, kept
	// apart so it can be shown on its own line; FullTitle joins them.
	Qualifier     string       `json:"qualifier,omitempty"`
	TitleVariants []string     `json:"title_variants,omitempty"`
	Description   string       `json:"description,omitempty"`
	Type          QuestionType `json:"type"`
	Max           Points       `json:"max"`
	Options       []Option     `json:"options"`
	// FormHeading is the caption above the numeric inputs ("具体数据").
	FormHeading  string             `json:"form_heading,omitempty"`
	FormFields   []FormField        `json:"form_fields,omitempty"`
	Derive       *DeriveRule        `json:"derive,omitempty"`
	Dependencies []OptionDependency `json:"dependencies,omitempty"`
	Notes        []string           `json:"notes,omitempty"`
}

// FullTitle is the title as the platform serves it, qualifier included.
func (q *Question) FullTitle() string { return q.Title + q.Qualifier }

// Option is one answer option. Options are identified by letter (A, B, C...).
type Option struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Score Points `json:"score"`
	// None marks the "无" option: score 0, and in a multi-choice question it
	// excludes every other option.
	None bool   `json:"none,omitempty"`
	Note string `json:"note,omitempty"`
}

// FormField is a supplementary number attached to a question. It is recorded,
// never scored. Fields are keyed by ID because labels repeat (Q14).
type FormField struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Unit  string `json:"unit,omitempty"`
}

// DeriveRule computes the option that a question's numbers imply.
//
// Kind "bands": Value is a ratio; the first band whose Max is >= the value
// names the option (bands are upper-inclusive, as in "(10%,20%]").
//
// Kind "change": Current and Previous are ratios; their relative change in
// percent is compared with FlatTolerancePercent: within it is Flat, above is
// Increase, below is Decrease.
type DeriveRule struct {
	Kind                 string `json:"kind"`
	Value                *Ratio `json:"value,omitempty"`
	Bands                []Band `json:"bands,omitempty"`
	Current              *Ratio `json:"current,omitempty"`
	Previous             *Ratio `json:"previous,omitempty"`
	FlatTolerancePercent string `json:"flat_tolerance_percent,omitempty"`
	Increase             string `json:"increase,omitempty"`
	Flat                 string `json:"flat,omitempty"`
	Decrease             string `json:"decrease,omitempty"`
	Note                 string `json:"note,omitempty"`
}

// Derivation kinds.
const (
	DeriveBands  = "bands"
	DeriveChange = "change"
)

// Ratio is Num/Den×Scale over form fields named "QID.field". An empty Den
// means the numerator alone.
type Ratio struct {
	Num   string `json:"num"`
	Den   string `json:"den,omitempty"`
	Scale string `json:"scale,omitempty"`
}

// Band maps values up to Max (inclusive) to Option.
type Band struct {
	Option string `json:"option"`
	Max    string `json:"max"`
}

// OptionDependency is an optional rule "Option may be chosen only with
// Requires". It is enforced only when Enabled is true.
type OptionDependency struct {
	Option   string   `json:"option"`
	Requires []string `json:"requires"`
	Enabled  bool     `json:"enabled"`
	Note     string   `json:"note,omitempty"`
}

// Group is a scenario group (产品生命周期数字化, ...).
type Group struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Scenario is one of the application scenarios of 数字化经营. Descriptors
// holds one text per level, 一级 first.
type Scenario struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Group       string   `json:"group"`
	Constrained bool     `json:"constrained"`
	Descriptors []string `json:"descriptors"`
	Notes       []string `json:"notes,omitempty"`
}

// LevelTable holds the overall level rules. They are evaluated from the
// highest level down; the first rule whose score threshold and scenario gate
// both hold is the level. If none holds, the result is NoLevelLabel.
type LevelTable struct {
	Evaluation   string      `json:"evaluation"`
	NoLevelLabel string      `json:"no_level_label"`
	Rules        []LevelRule `json:"rules"`
	Notes        []string    `json:"notes,omitempty"`
}

// LevelRule is one row of the level table.
type LevelRule struct {
	Level    int    `json:"level"`
	Name     string `json:"name"`
	Nickname string `json:"nickname,omitempty"`
	// MinScore is the inclusive minimum base score.
	MinScore Points `json:"min_score"`
	// MinScenarios scenarios must be rated at or above Level, and
	// MinConstrained of them must be 约束性.
	MinScenarios   int `json:"min_scenarios"`
	MinConstrained int `json:"min_constrained"`
}

// N/A modes of ScenarioPolicy.
const (
	// NACountsAsBelow treats a not-applicable scenario as rated below 一级.
	NACountsAsBelow = "count_as_below"
	// NAShrinksGates scales each gate by applicable/total, rounding up.
	NAShrinksGates = "shrink_gates"
)

// ScenarioPolicy says how scenario ratings are read.
type ScenarioPolicy struct {
	// BelowLevelOneLabel names rating 0 (未达一级).
	BelowLevelOneLabel string `json:"below_level_one_label"`
	AllowNotApplicable bool   `json:"allow_not_applicable"`
	NotApplicableMode  string `json:"not_applicable_mode"`
	NotApplicableLabel string `json:"not_applicable_label"`
	Note               string `json:"note,omitempty"`
}

// Pilot holds the city-pilot configuration: the target level after the
// retrofit and the labels of the assessment kinds.
type Pilot struct {
	TargetLevel int         `json:"target_level"`
	Kinds       []KindLabel `json:"assessment_kinds"`
	Note        string      `json:"note,omitempty"`
}

// KindLabel labels an assessment kind (baseline -> 改造前诊断).
type KindLabel struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// OutlineItem is one section of the diagnosis report outline.
type OutlineItem struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}
