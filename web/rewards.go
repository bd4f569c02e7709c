package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"digilevel/model"
	"digilevel/report"
	"digilevel/storage/platform"
)

// rewardRow is one accepted enterprise's reward estimate.
type rewardRow struct {
	V     *entView
	Level string
	Est   report.Estimate
}

// rewardRows estimates the reward of every accepted enterprise, once per
// snapshot: on its current acceptance level and time, with the current
// enterprise file (the roster's, whose revenue is updated as the years
// pass) and the Art. 25 exclusions the office recorded.
func (d *Dashboard) rewardRows(s *snapshot) []rewardRow {
	s.rewardsOnce.Do(func() {
		for _, v := range s.enterprises {
			a := v.Status.Acceptance
			if a == nil {
				continue
			}
			name := d.catalog.LevelName(a.Level)
			est := report.EstimateRewardWith(d.policy, v.Profile, nil, a.Level, name, a.FinalizedAt, v.Exclusions)
			s.rewards = append(s.rewards, rewardRow{V: v, Level: name, Est: est})
		}
	})
	return s.rewards
}

// rewardsData is the 奖补 page.
type rewardsData struct {
	Totals *table
	Table  *table
	Policy string
}

func (d *Dashboard) rewardsPage(w http.ResponseWriter, r *request) {
	s := d.snapshotOr(w, r)
	if s == nil {
		return
	}
	tables := d.rewardsTables(s)
	paginate(tables[1], r.URL.Query())
	data := rewardsData{Totals: tables[0], Table: tables[1], Policy: d.policy.Name}
	d.render(w, r.Request, http.StatusOK, "rewards", page{Title: "奖补测算", Nav: "rewards", CSRF: r.session.CSRF, Snapshot: s, Body: data})
}

// rewardsTables are the totals by batch and the estimate of each accepted
// enterprise.
func (d *Dashboard) rewardsTables(s *snapshot) []*table {
	rows := d.rewardRows(s)
	n := func(h string) column { return column{Header: h, Kind: report.ColumnNumber, Width: 12} }
	list := &table{Page: "rewards", Name: "rewards", Title: "奖补测算（非决定）", Empty: "尚无企业完成改造后验收。",
		Cols: []column{{Header: "统一社会信用代码", Kind: report.ColumnID, Width: 22}, {Header: "企业名称", Kind: report.ColumnWrap, Width: 28},
			{Header: "批次", Width: 10}, {Header: "验收等级", Width: 8}, {Header: "条款", Width: 10}, n("比例（%）"), n("累计上限（万元）"),
			n("新增营业收入（万元）"), n("测算金额（万元）"), {Header: "测算说明", Kind: report.ColumnWrap, Width: 60},
			{Header: "不予支持情形（第二十五条）", Kind: report.ColumnWrap, Width: 30}}}
	var lines []model.RewardLine
	for _, x := range rows {
		e, est := x.V.Profile, x.Est
		line := model.RewardLine{Batch: e.Batch, Excluded: len(est.Excluded) > 0}
		article, rate, capWan, newRev, amount := "", "", "", "", ""
		var reasons []string
		if rw := est.Reward; rw != nil {
			line.Estimated, line.Eligible, line.AmountWan = true, rw.Eligible, rw.AmountWan
			article, newRev, amount = rw.Article, string(rw.NewRevenueWan), string(rw.AmountWan)
			if rw.Article != "" {
				rate, capWan = strconv.Itoa(rw.RatePercent), strconv.Itoa(rw.CapWan)
			}
			// The first reason defines new revenue; the detail page has it.
			reasons = rw.Reasons[min(1, len(rw.Reasons)):]
		} else {
			reasons = []string{est.Summary()}
		}
		lines = append(lines, line)
		excluded := "未记录"
		if len(est.Excluded) > 0 {
			excluded = strings.Join(est.Excluded, "、")
			if x.V.Exclusion != nil && x.V.Exclusion.Note != "" {
				excluded += "（" + safe(x.V.Exclusion.Note) + "）"
			}
		}
		class := ""
		switch {
		case line.Excluded:
			class = "warn"
		case line.Eligible:
			class = "ok"
		}
		list.add(class, cell{Text: e.Code, Href: "/rewards/" + url.PathEscape(e.Code)}, cell{Text: safe(e.Name)}, cell{Text: batchName(e.Batch)},
			cell{Text: x.Level}, cell{Text: article}, cell{Text: rate}, cell{Text: capWan}, cell{Text: newRev}, cell{Text: amount},
			cell{Text: strings.Join(reasons, "；")}, cell{Text: excluded})
	}
	byBatch, total := model.SumRewards(lines)
	totals := &table{Page: "rewards", Name: "totals", Title: "奖补测算分批次合计（非决定）", Empty: "尚无企业完成改造后验收。",
		Cols: []column{{Header: "批次", Width: 10}, n("已验收企业"), n("可测算"), n("符合奖励条件"), n("不予支持"), n("测算合计（万元）")}}
	for _, b := range byBatch {
		totals.add("", cell{Text: batchName(b.Batch)}, num(b.Accepted), num(b.Estimated), num(b.Eligible), num(b.Excluded), cell{Text: string(b.AmountWan)})
	}
	if len(byBatch) > 0 {
		totals.add("total", cell{Text: "合计"}, num(total.Accepted), num(total.Estimated), num(total.Eligible), num(total.Excluded), cell{Text: string(total.AmountWan)})
	}
	return []*table{totals, list}
}

// rewardData is one enterprise's reward page with the Art. 25 form.
type rewardData struct {
	V          *entView
	Row        *rewardRow
	Options    []exclusionOption
	Note       string
	History    []exclusionEntry
	Saved      bool
	Message    string
	Acceptance string
}

type exclusionOption struct {
	ID, Text string
	Checked  bool
}

type exclusionEntry struct {
	At, Reasons, Note, By string
}

func (d *Dashboard) rewardPage(w http.ResponseWriter, r *request) {
	d.showReward(w, r, http.StatusOK, "", nil, "")
}

// showReward renders one enterprise's reward page; reasons and note, when
// given, refill a form that was refused.
func (d *Dashboard) showReward(w http.ResponseWriter, r *request, status int, message string, reasons []string, note string) {
	s, v := d.enterpriseOf(w, r)
	if v == nil {
		return
	}
	data := rewardData{V: v, Saved: r.URL.Query().Has("saved"), Message: message}
	for _, x := range d.rewardRows(s) {
		if x.V == v {
			data.Row = &x
		}
	}
	if a := v.Status.Acceptance; a != nil {
		data.Acceptance = a.ID
	}
	current := v.Exclusions
	if reasons != nil || note != "" {
		current, data.Note = reasons, note
	} else if v.Exclusion != nil {
		data.Note = v.Exclusion.Note
	}
	for _, x := range d.policy.Exclusions {
		data.Options = append(data.Options, exclusionOption{ID: x.ID, Text: x.Text, Checked: slices.Contains(current, x.ID)})
	}
	hist := s.exclusions[v.Profile.Code]
	for i := len(hist) - 1; i >= 0; i-- {
		x := hist[i]
		text := "撤销（无不予支持情形）"
		if len(x.Reasons) > 0 {
			text = strings.Join(d.policy.ExclusionTexts(x.Reasons), "、")
		}
		data.History = append(data.History, exclusionEntry{At: beijing(x.At), Reasons: text, Note: safe(x.Note), By: safe(x.By)})
	}
	d.render(w, r.Request, status, "reward", page{Title: "奖补测算：" + safe(v.Profile.Name), Nav: "rewards", CSRF: r.session.CSRF, Snapshot: s, Body: data})
}

// recordExclusion records the office's Art. 25 finding for an enterprise.
func (d *Dashboard) recordExclusion(w http.ResponseWriter, r *request) {
	if _, v := d.enterpriseOf(w, r); v == nil {
		return
	}
	code := r.PathValue("code")
	reasons := r.PostForm["reason"]
	note := strings.TrimSpace(r.PostForm.Get("note"))
	x := platform.Exclusion{Enterprise: code, Reasons: reasons, Note: note, At: d.now(),
		By: r.token.Provider + "（令牌 " + r.token.ID + "）"}
	if err := x.Validate(d.policy); err != nil {
		status := http.StatusBadRequest
		if !errors.Is(err, model.ErrInvalid) {
			status = http.StatusInternalServerError
		}
		d.showReward(w, r, status, err.Error()+"。记录没有保存。", nonNil(reasons), note)
		return
	}
	if _, err := d.store.RecordExclusion(x); err != nil {
		d.log.Error("record exclusion", "err", err)
		d.errorPage(w, r.Request, http.StatusInternalServerError, "服务器错误", "保存失败，请稍后重试；记录没有保存。")
		return
	}
	http.Redirect(w, r.Request, "/rewards/"+url.PathEscape(code)+"?saved", http.StatusSeeOther)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
