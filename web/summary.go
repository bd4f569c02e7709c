package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"digilevel/model"
	"digilevel/report"
	"digilevel/storage/platform"
	"digilevel/sync/protocol"
)

// SummaryFormat identifies the summary document.
const SummaryFormat = "digilevel-summary/1"

// Summary is GET /api/v1/summary: the figures of the 总览 and 服务商 pages.
// Shares are whole percents and null when nothing counts (no denominator).
type Summary struct {
	Format      string    `json:"format"`
	GeneratedAt time.Time `json:"generated_at"`
	// ServerSeq is the last report the figures include.
	ServerSeq  uint64                  `json:"server_seq"`
	Policy     string                  `json:"policy"`
	Floor      int                     `json:"floor"`
	FloorName  string                  `json:"floor_name"`
	LevelNames []string                `json:"level_names"`
	Batches    []model.BatchFigures    `json:"batches"`
	Total      model.BatchFigures      `json:"total"`
	Before     model.LevelDistribution `json:"levels_before"`
	After      model.LevelDistribution `json:"levels_after"`
	Targets    []model.TargetProgress  `json:"targets"`
	SpotChecks model.SpotCheckFigures  `json:"spot_checks"`
	Providers  []ProviderSummary       `json:"providers"`
}

// ProviderSummary is one provider's figures with the derived ones.
type ProviderSummary struct {
	model.ProviderFigures
	AverageGain       *float64 `json:"average_gain"`
	FloorShare        *int     `json:"floor_share_percent"`
	LevelAgreement    *int     `json:"level_agreement_percent"`
	QuestionAgreement *int     `json:"question_agreement_percent"`
}

func share(r model.Ratio) *int {
	if !r.OK {
		return nil
	}
	return &r.Percent
}

// summaryOf is the summary of a snapshot.
func (d *Dashboard) summaryOf(s *snapshot) Summary {
	p := s.programme
	out := Summary{Format: SummaryFormat, GeneratedAt: s.builtAt.In(report.Zone()), ServerSeq: s.seq, Policy: d.policy.ID,
		Floor: d.policy.RewardFloor(), FloorName: d.catalog.LevelName(d.policy.RewardFloor()),
		Batches: p.Batches, Total: p.Total, Before: p.Before, After: p.After, Targets: p.Targets, SpotChecks: p.SpotChecks,
		Providers: make([]ProviderSummary, 0, len(p.Providers))}
	for l := 0; l <= d.catalog.MaxLevel(); l++ {
		out.LevelNames = append(out.LevelNames, d.catalog.LevelName(l))
	}
	if out.Batches == nil {
		out.Batches = []model.BatchFigures{}
	}
	if out.Targets == nil {
		out.Targets = []model.TargetProgress{}
	}
	for _, f := range p.Providers {
		x := ProviderSummary{ProviderFigures: f, FloorShare: share(f.FloorShare()), LevelAgreement: share(f.LevelAgreement()),
			QuestionAgreement: share(f.QuestionAgreement())}
		if g, ok := f.AverageGain(); ok {
			v := float64(g) / 10
			x.AverageGain = &v
		}
		out.Providers = append(out.Providers, x)
	}
	return out
}

// summary answers GET /api/v1/summary to an office token (Bearer), with
// the API's JSON errors.
func (d *Dashboard) summary(w http.ResponseWriter, r *http.Request) {
	raw, ok := protocol.BearerToken(r.Header.Get("Authorization"))
	if !ok {
		w.Header().Set("WWW-Authenticate", protocol.Challenge(false))
		writeAPIError(w, http.StatusUnauthorized, protocol.CodeUnauthorized, "缺少访问令牌（Authorization: Bearer ...）")
		return
	}
	tok, err := d.store.Authenticate(raw)
	var ae *AuthError
	switch {
	case errors.As(err, &ae):
		w.Header().Set("WWW-Authenticate", protocol.Challenge(true))
		writeAPIError(w, http.StatusUnauthorized, protocol.CodeUnauthorized, ae.Message)
		return
	case err != nil:
		d.log.Error("authenticate", "err", err)
		writeAPIError(w, http.StatusInternalServerError, protocol.CodeInternal, "服务器读取令牌失败，请稍后重试")
		return
	case tok.Role != platform.RoleOffice:
		writeAPIError(w, http.StatusForbidden, protocol.CodeForbidden, tok.Role.Label()+"令牌不能查询汇总（仅限主管部门）")
		return
	}
	s, err := d.agg.current()
	var le *errLoading
	switch {
	case errors.As(err, &le):
		w.Header().Set("Retry-After", "3")
		writeAPIError(w, http.StatusServiceUnavailable, protocol.CodeUnavailable, "平台正在载入报告（已载入 "+itoa(le.Loaded)+" 份），请稍后重试")
		return
	case err != nil:
		d.log.Error("catch up", "err", err)
		writeAPIError(w, http.StatusInternalServerError, protocol.CodeInternal, "读取平台数据失败，请稍后重试")
		return
	}
	writeJSON(w, http.StatusOK, d.summaryOf(s))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", protocol.ContentType)
	w.WriteHeader(status)
	// net/http drops the body of a HEAD answer itself.
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeAPIError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, protocol.Error{Status: status, Code: code, Message: msg})
}
