package web

import (
	"net/http"
	"net/url"
	"strings"

	"digilevel/model"
	"digilevel/report"
)

// providersData is the 服务商 page.
type providersData struct {
	Table       *table
	Definitions []kv
	Rejections  *table
}

func (d *Dashboard) providersPage(w http.ResponseWriter, r *request) {
	s := d.snapshotOr(w, r)
	if s == nil {
		return
	}
	floor := d.catalog.LevelName(d.policy.RewardFloor())
	data := providersData{Table: d.providersTable(s, r.URL.Query()), Rejections: d.rejectionsTable(s),
		Definitions: []kv{
			{"服务企业数", "该服务商提交过改造前诊断或改造后验收报告的企业数。"},
			{"诊断 / 验收 / 修订", "平台收到的该服务商的改造前诊断、改造后验收报告份数（含各版本）；修订为其中修订既有版本的份数。"},
			{"平均等级提升", "当前的改造后验收由该服务商评定、且有当前改造前诊断的企业，验收等级减诊断等级的平均值（级）。"},
			{"验收达" + floor + "比例", "当前的改造后验收由该服务商评定的企业中，验收等级达到" + floor + "（奖补起点）及以上的比例。"},
			{"抽查等级一致率", "抽查该服务商报告、且平台收到了被抽查报告原文的抽查中，综合等级一致的比例；跨越" + floor + "为其中等级差异跨越奖补起点的次数。"},
			{"抽查题目一致率", "上述抽查中逐题比较，双方所选选项完全相同的题目占比较题目总数的比例。"},
			{"拒收", "平台因报告本身的原因（服务商不符、设备密钥不符、内容冲突、正文过大、报告无效）拒收的上传次数，同一报告同一原因只计一次；不含令牌无效、请求格式错误与服务器故障。"},
			{"诊断到验收（天）", "当前的改造后验收由该服务商评定的企业，从最早一份改造前诊断定稿到最早一份改造后验收定稿的天数：平均值与中位数（n 为企业数）。"},
			{"说明", "等级只看当前版本（未被修订取代）的报告；被修订取代的版本只计入份数。抽查只计当前版本。"},
		}}
	d.render(w, r.Request, http.StatusOK, "providers", page{Title: "服务商", Nav: "providers", CSRF: r.session.CSRF, Snapshot: s, Body: data})
}

// providersTable is every provider's performance, sortable by any figure.
func (d *Dashboard) providersTable(s *snapshot, q url.Values) *table {
	floor := d.catalog.LevelName(d.policy.RewardFloor())
	n := func(h, key string) column { return column{Header: h, Kind: report.ColumnNumber, Width: 10, Sort: key} }
	t := &table{Page: "providers", Name: "providers", Title: "服务商绩效", Query: cloneQuery(q), Empty: "平台尚未收到服务商的报告，也没有服务商令牌。",
		Cols: []column{{Header: "服务商", Kind: report.ColumnWrap, Width: 30, Sort: "name"}, n("服务企业数", "enterprises"),
			n("诊断", "baselines"), n("验收", "acceptances"), n("修订", "revisions"), n("平均等级提升", "gain"),
			n("验收达"+floor+"比例", "floor"), n("抽查次数", "spot"), n("抽查等级一致率", "levels"), n("跨越"+floor, "cross"),
			n("抽查题目一致率", "questions"), n("拒收", "rejected"), n("诊断到验收平均天数", "days"), n("中位天数", "median"), n("n", "days_n")}}
	for _, p := range s.programme.Providers {
		gain := "—"
		if g, ok := p.AverageGain(); ok {
			gain = tenths(g)
		}
		mean, median := "—", "—"
		if p.DaysN > 0 {
			mean, median = days(p.DaysMean), days(p.DaysMedian)
		}
		class := ""
		if p.CrossFloor > 0 {
			class = "crit"
		}
		t.add(class, cell{Text: safe(p.Provider), Href: "/enterprises?" + url.Values{"provider": {p.Provider}}.Encode()},
			num(p.Enterprises), num(p.Baselines), num(p.Acceptances), num(p.Revisions), cell{Text: gain},
			cell{Text: percent(p.FloorShare())}, num(p.SpotChecks), cell{Text: percent(p.LevelAgreement())}, num(p.CrossFloor),
			cell{Text: percent(p.QuestionAgreement())}, num(p.Rejected), cell{Text: mean}, cell{Text: median}, num(p.DaysN))
	}
	key := q.Get("sort")
	if key == "" {
		key = "name"
	}
	t.sortRows(key, q.Get("desc") != "")
	return t
}

// rejectionsTable lists the refused uploads, latest first.
func (d *Dashboard) rejectionsTable(s *snapshot) *table {
	t := &table{Page: "providers", Name: "rejections", Title: "拒收记录", Empty: "平台没有因报告本身的原因拒收过上传。",
		Cols: []column{{Header: "时间", Width: 18}, {Header: "上传方", Kind: report.ColumnWrap, Width: 24}, {Header: "角色", Width: 8}, {Header: "方式", Width: 8},
			{Header: "报告编号", Kind: report.ColumnID, Width: 30}, {Header: "状态码", Kind: report.ColumnNumber, Width: 8},
			{Header: "原因", Kind: report.ColumnWrap, Width: 60}}}
	for i := len(s.rejections) - 1; i >= 0; i-- {
		x := s.rejections[i]
		source := "接口"
		if x.Source == "bundle" {
			source = "数据包"
		}
		t.add("", cell{Text: beijing(x.At)}, cell{Text: safe(x.Provider)}, cell{Text: x.Role.Label()}, cell{Text: source}, cell{Text: safe(x.ReportID)},
			num(x.Status), cell{Text: safe(x.Message)})
	}
	return t
}

// spotChecksData is the 抽查 page.
type spotChecksData struct {
	Totals    model.SpotCheckFigures
	FloorName string
	Table     *table
}

func (d *Dashboard) spotChecksPage(w http.ResponseWriter, r *request) {
	s := d.snapshotOr(w, r)
	if s == nil {
		return
	}
	t := d.spotChecksTable(s)
	paginate(t, r.URL.Query())
	data := spotChecksData{Totals: s.programme.SpotChecks, FloorName: d.catalog.LevelName(d.policy.RewardFloor()), Table: t}
	d.render(w, r.Request, http.StatusOK, "spotchecks", page{Title: "抽查", Nav: "spotchecks", CSRF: r.session.CSRF, Snapshot: s, Body: data})
}

// spotChecksTable is every spot-check beside the report it checks: level
// disagreements first, those crossing the reward floor marked.
func (d *Dashboard) spotChecksTable(s *snapshot) *table {
	t := &table{Page: "spotchecks", Name: "spotchecks", Title: "抽查与被抽查报告", Empty: "平台尚未收到抽查报告。",
		Cols: []column{{Header: "结论", Kind: report.ColumnWrap, Width: 40}, {Header: "企业", Kind: report.ColumnWrap, Width: 28},
			{Header: "服务商", Kind: report.ColumnWrap, Width: 24}, {Header: "服务商评定", Width: 10, NoWrap: true}, {Header: "抽查评定", Width: 10, NoWrap: true},
			{Header: "题目一致", Width: 10, NoWrap: true}, {Header: "场景一致", Width: 10, NoWrap: true},
			{Header: "抽查单位", Kind: report.ColumnWrap, Width: 24}, {Header: "抽查定稿", Width: 18}, {Header: "状态", Width: 10},
			{Header: "被抽查报告", Kind: report.ColumnID, Width: 30}, {Header: "抽查报告", Kind: report.ColumnID, Width: 30}}}
	for _, o := range s.spotChecks {
		name := o.Enterprise
		if v := s.byCode[o.Enterprise]; v != nil {
			name = v.Profile.Name
		}
		verdict, class := o.Headline, ""
		switch {
		case !o.Compared:
			verdict, class = "未能对比："+o.Problem, "warn"
		case o.Severity == model.SeverityCritical:
			class = "crit"
		case !o.LevelAgree:
			class = "warn"
		}
		if !o.Current {
			class = "replaced"
		}
		checkedLevel, spotLevel, qs, scs := "", "", "", ""
		if o.Compared {
			checkedLevel, spotLevel = d.catalog.LevelName(o.CheckedLevel), d.catalog.LevelName(o.SpotLevel)
			qs = itoa(o.QuestionsAgree) + "/" + itoa(o.Questions)
			scs = itoa(o.ScenariosAgree) + "/" + itoa(o.Scenarios)
		} else if sp := s.reports[o.SpotCheck]; sp != nil {
			spotLevel = d.catalog.LevelName(sp.Level)
		}
		state := "当前版本"
		if !o.Current {
			state = "已被修订取代"
		}
		checked := cell{Text: o.Checked}
		if s.reports[o.Checked] != nil {
			checked.Href = "/reports/" + url.PathEscape(o.Checked)
		}
		t.add(class, cell{Text: safe(verdict), Href: "/spotchecks/" + url.PathEscape(o.SpotCheck)},
			cell{Text: safe(name), Href: "/enterprises/" + url.PathEscape(o.Enterprise)}, cell{Text: safe(o.Provider)},
			cell{Text: checkedLevel}, cell{Text: spotLevel}, cell{Text: qs}, cell{Text: scs}, cell{Text: safe(o.Inspector)},
			cell{Text: beijing(o.FinalizedAt)}, cell{Text: state}, checked, cell{Text: o.SpotCheck, Href: "/reports/" + url.PathEscape(o.SpotCheck)})
	}
	return t
}

// spotCheckPage is one spot-check's comparison, as `digilevel report
// compare` renders it on the laptop.
func (d *Dashboard) spotCheckPage(w http.ResponseWriter, r *request) {
	s := d.snapshotOr(w, r)
	if s == nil {
		return
	}
	id := r.PathValue("id")
	var o *model.SpotCheckOutcome
	for i := range s.spotChecks {
		if s.spotChecks[i].SpotCheck == id {
			o = &s.spotChecks[i]
		}
	}
	if o == nil {
		d.errorPage(w, r.Request, http.StatusNotFound, "抽查不存在", "平台上没有编号为 "+safe(id)+" 的抽查报告。")
		return
	}
	if !o.Compared {
		d.errorPage(w, r.Request, http.StatusUnprocessableEntity, "无法对比", "抽查 "+safe(id)+" 无法与被抽查的报告对比："+safe(o.Problem))
		return
	}
	_, body, err := d.store.Report(id)
	if err != nil {
		d.log.Error("read report", "id", id, "err", err)
		d.errorPage(w, r.Request, http.StatusInternalServerError, "服务器错误", "读取抽查报告失败，请稍后重试。")
		return
	}
	var revenue []model.YearRevenue
	if v := s.byCode[o.Enterprise]; v != nil && v.OnRoster {
		revenue = append([]model.YearRevenue{}, v.Profile.Revenue...)
	}
	cmp, err := d.agg.comparison(o.Checked, body, revenue)
	if err != nil {
		d.errorPage(w, r.Request, http.StatusUnprocessableEntity, "无法对比", err.Error())
		return
	}
	d.writeDocument(w, r, func(b *strings.Builder) error { return cmp.WriteHTML(b) })
}
