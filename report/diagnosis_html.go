package report

import (
	"bufio"
	"html/template"
	"io"
	"sync"
)

// diagnosisTemplate is the 转型诊断报告. It shares the stylesheet and the
// rating report's blocks (result, qcard, reward) and adds its own.
const diagnosisTemplate = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="digilevel">
<title>{{.Title}} - {{.Enterprise}}</title>
<style>{{template "css"}}` + pageCSS + `</style>
</head>
<body{{if .Draft}} class="draft"{{end}}>
{{if .Draft}}<div class="watermark" aria-hidden="true">草稿</div>
{{end}}<header class="cover">
<p class="doc-kind">{{.KindLabel}}</p>
<h1>{{if .Draft}}<span class="draft-badge">草稿</span>{{end}}` + DiagnosisTitle + `</h1>
<p class="subtitle">{{.Enterprise}}</p>
<p class="headline">改造前基础得分 <b>{{.Score}}</b> / {{.MaxScore}} 分　综合等级 <b>{{.LevelName}}</b>　改造目标 <b>{{.TargetName}}</b></p>
{{if .Draft}}<p class="draft-note">草稿：{{words.DraftNote}}</p>
{{end}}<table class="kv">
{{range .Meta}}<tr><th>{{.K}}</th><td>{{.V}}</td></tr>
{{end}}</table>
</header>
<main>
{{range $i, $s := .Outline}}<section id="{{$s.ID}}" class="section{{if diagNewPage $s.ID}} page-break{{end}}">
<h2>{{cn (inc $i)}}、{{$s.Title}}</h2>
{{if eq $s.ID "profile"}}{{template "dprofile" $}}{{else if eq $s.ID "status"}}{{template "dstatus" $}}{{else if eq $s.ID "result"}}{{template "result" $}}{{template "dscenarios" $}}{{else if eq $s.ID "problems"}}{{template "dproblems" $}}{{else if eq $s.ID "goals"}}{{template "dgoals" $}}{{else if eq $s.ID "solution"}}{{template "dsolution" $}}{{else if eq $s.ID "kpis"}}{{template "dkpis" $}}{{else if eq $s.ID "schedule"}}{{template "dschedule" $}}{{else if eq $s.ID "annex"}}{{template "dannex" $}}{{else if eq $s.ID "signatures"}}{{template "signatures" $}}{{end}}
</section>
{{end}}</main>
</body>
</html>
{{define "dprofile"}}<table class="kv kv4">
{{range pairs .ProfileShort}}<tr>{{range .}}<th>{{.K}}</th><td>{{.V}}</td>{{end}}</tr>
{{end}}{{range .ProfileLong}}<tr><th>{{.K}}</th><td class="pre" colspan="3">{{.V}}</td></tr>
{{end}}</table>
<h3>在用工业软件</h3>
{{if .Software}}<table class="grid"><thead><tr><th>领域</th><th>类型</th><th>品牌型号</th></tr></thead><tbody>
{{range .Software}}<tr><td>{{.Area}}</td><td>{{.Type}}</td><td>{{.Brand}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">{{words.NotRecorded}}</p>
{{end}}<h3>经营数据（万元）</h3>
{{if .Finances}}<table class="grid"><thead><tr><th>年份</th><th class="num">营业收入</th><th class="num">资产总额</th><th class="num">利润</th><th>说明</th></tr></thead><tbody>
{{range .Finances}}<tr><td>{{.Year}} 年</td><td class="num">{{.Revenue}}</td><td class="num">{{.Assets}}</td><td class="num">{{.Profit}}</td><td>{{.Note}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">{{words.NotRecorded}}</p>
{{end}}{{if .History}}<h3>规模与专精特新变化</h3>
<table class="grid"><thead><tr><th>生效日期</th><th>项目</th><th>原为</th><th>改为</th><th>说明</th></tr></thead><tbody>
{{range .History}}<tr><td class="nw">{{.Date}}</td><td>{{.Field}}</td><td>{{.From}}</td><td>{{.To}}</td><td>{{.Note}}</td></tr>
{{end}}</tbody></table>
{{end}}<h3>联系人</h3>
{{if .Contacts}}<table class="grid"><thead><tr><th>姓名</th><th>职务</th><th>电话</th><th>邮箱</th></tr></thead><tbody>
{{range .Contacts}}<tr><td>{{.Name}}</td><td>{{.Role}}</td><td>{{.Phone}}</td><td>{{.Email}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">{{words.NotRecorded}}</p>
{{end}}{{end}}
{{define "dstatus"}}<h3>现场调研</h3>
{{with .Survey}}<p>调研日期：{{.Date}}（调研人员见附件）</p>
{{if .Findings}}<p class="note">{{.Findings}}</p>
{{end}}{{else}}<p class="muted">未录入现场调研。</p>
{{end}}{{if .Contradictions}}<div class="box-warn"><b>答案与补充数据不符：</b>
<ul>{{range .Contradictions}}<li>{{.}}</li>{{end}}</ul></div>
{{end}}{{range .StatusGroups}}<h3>{{.Title}}</h3>
{{if .Software}}<p class="muted">在用工业软件：{{if $.Software}}{{range $i, $s := $.Software}}{{if $i}}；{{end}}{{$s.Area}} {{$s.Type}}{{if $s.Brand}}（{{$s.Brand}}）{{end}}{{end}}{{else}}未录入{{end}}</p>
{{end}}{{range .Questions}}{{template "qcard" .}}
{{end}}{{end}}{{end}}
{{define "dscenarios"}}<h3>各应用场景等级（★ 为约束性场景）</h3>
<table class="grid fixed"><colgroup><col style="width:9%"><col style="width:17%"><col style="width:18%"><col style="width:11%"><col style="width:45%"></colgroup><thead><tr><th>编号</th><th>场景</th><th>分组</th><th>等级</th><th>等级描述</th></tr></thead><tbody>
{{range .Scenarios}}<tr><td class="nw">{{.ID}}</td><td>{{if .Constrained}}<span class="constrained">★ {{.Name}}</span>{{else}}{{.Name}}{{end}}</td><td>{{.Group}}</td><td>{{.LevelName}}</td><td>{{.Descriptor}}</td></tr>
{{end}}</tbody></table>
{{end}}
{{define "dlist"}}{{$items := index . 0}}{{if $items}}<table class="grid fixed"><colgroup><col style="width:6%"><col style="width:10%"><col style="width:22%"><col style="width:20%"><col style="width:20%"><col style="width:22%"></colgroup><thead><tr><th class="num">序号</th><th>编号</th><th>{{index . 1}}</th><th>现状</th><th>目标</th><th>说明</th></tr></thead><tbody>
{{range $i, $it := $items}}<tr><td class="num">{{inc $i}}</td><td>{{$it.ID}}{{if $it.OnPath}}<br><span class="tag tag-path">路径</span>{{end}}</td><td>{{$it.Title}}{{if $it.Edited}} <span class="tag">已改写</span>{{end}}</td><td>{{$it.Current}}</td><td>{{$it.Target}}</td><td class="pre">{{$it.Note}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">{{index . 2}}</p>
{{end}}{{end}}
{{define "dproblems"}}<h3>痛点、难点、堵点</h3>
{{if and .Survey .Survey.Pains}}<table class="grid"><thead><tr><th class="nw">类型</th><th>企业所述</th></tr></thead><tbody>
{{range .Survey.Pains}}<tr><td class="nw">{{.K}}</td><td class="pre">{{.V}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">未录入。</p>
{{end}}<h3>问题清单</h3>
<p class="muted">按重要性排列：答案与数据矛盾、改造路径上的项（标「路径」）、低于目标等级的场景、未满分的题目、缺少的佐证材料。</p>
{{template "dlist" (list .Problems "问题" words.NoProblems)}}<h3>需求场景清单</h3>
{{template "dlist" (list .Demands "需求场景" words.NoDemands)}}<h3>改造路径</h3>
{{range .Paths}}<div class="keep"><h3>{{.Title}}</h3>
{{range .Lines}}<p>{{.}}</p>
{{end}}{{if .Summary}}<p><b>{{.Summary}}</b></p>
{{end}}</div>{{if .Steps}}<table class="grid fixed"><colgroup><col style="width:34%"><col style="width:44%"><col style="width:11%"><col style="width:11%"></colgroup><thead><tr><th>改动项</th><th>改动</th><th class="num">得分</th><th class="num">难度</th></tr></thead><tbody>
{{range .Steps}}<tr><td>{{.Item}}</td><td>{{.Change}}</td><td class="num">{{.Gain}}</td><td class="num">{{.Cost}}</td></tr>
{{end}}</tbody></table>
{{end}}{{end}}{{end}}
{{define "dgoals"}}<p class="headline">总体目标：改造后综合等级达到 <b>{{.TargetName}}</b></p>
{{if .Goal}}<p class="pre">{{.Goal}}</p>
{{end}}{{if not .GoalsEntered}}<p class="muted">改造方案尚未填写，下表为最省力路径建议提升的场景。</p>
{{end}}{{if .GoalRows}}<table class="grid fixed"><colgroup><col style="width:19%"><col style="width:10%"><col style="width:10%"><col style="width:39%"><col style="width:22%"></colgroup><thead><tr><th>场景</th><th>现状</th><th>目标</th><th>目标等级要求</th><th>实现方式</th></tr></thead><tbody>
{{range .GoalRows}}<tr><td>{{.ID}} {{if .Constrained}}<span class="constrained">★ {{.Name}}</span>{{else}}{{.Name}}{{end}}</td><td>{{.Current}}</td><td>{{.Target}}</td><td>{{.Descriptor}}</td><td>{{.How}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">无需提升场景等级。</p>
{{end}}{{end}}
{{define "dsolution"}}{{if .Architecture}}<h3>系统与集成架构、硬件与云</h3>
<p class="pre">{{.Architecture}}</p>
{{end}}<h3>小快轻准解决方案</h3>
{{if .AnyExample}}<p class="box-warn">{{words.ExampleWarning}}</p>
{{end}}{{if .Solutions}}<table class="grid fixed"><colgroup><col style="width:18%"><col style="width:28%"><col style="width:22%"><col style="width:10%"><col style="width:22%"></colgroup><thead><tr><th>场景</th><th>解决方案</th><th>服务商</th><th>部署</th><th>说明</th></tr></thead><tbody>
{{range .Solutions}}<tr><td>{{.Scenario}}</td><td>{{.Name}}{{if .Example}} <span class="tag tag-example">示例</span>{{end}}</td><td>{{.Provider}}</td><td>{{.Deployment}}</td><td class="pre">{{.Note}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">未填写。</p>
{{end}}<h3>投入清单（万元）</h3>
{{if .Investments}}<table class="grid fixed"><colgroup><col style="width:5%"><col style="width:22%"><col style="width:9%"><col style="width:15%"><col style="width:7%"><col style="width:7%"><col style="width:10%"><col style="width:11%"><col style="width:14%"></colgroup><thead><tr><th class="num">序号</th><th>项目</th><th>类别</th><th>关联场景</th><th class="num">数量</th><th>单位</th><th class="num">单价</th><th class="num">金额</th><th>说明</th></tr></thead><tbody>
{{range .Investments}}<tr><td class="num">{{.No}}</td><td>{{.Item}}</td><td>{{.Category}}</td><td>{{.Scenario}}</td><td class="num">{{.Quantity}}</td><td>{{.Unit}}</td><td class="num">{{.UnitPrice}}</td><td class="num">{{.Amount}}</td><td class="pre">{{.Note}}</td></tr>
{{end}}{{range .ByCategory}}<tr><td></td><td colspan="6">其中{{.K}}</td><td class="num">{{.V}}</td><td></td></tr>
{{end}}<tr class="total"><td></td><td colspan="6">合计</td><td class="num">{{.Total}}</td><td></td></tr>
</tbody></table>
{{else}}<p class="muted">未填写。</p>
{{end}}{{end}}
{{define "dkpis"}}<p class="muted">预期成效对应评测指标的数字化成效题（改造后衡量）；现值按改造前补充数据计算。</p>
{{if .KPIs}}<table class="grid fixed"><colgroup><col style="width:7%"><col style="width:22%"><col style="width:13%"><col style="width:17%"><col style="width:10%"><col style="width:10%"><col style="width:21%"></colgroup><thead><tr><th>题目</th><th>指标</th><th>单位</th><th>改造前所选</th><th class="num">现值</th><th class="num">目标值</th><th>说明</th></tr></thead><tbody>
{{range .KPIs}}<tr><td>{{.Question}}</td><td>{{.Name}}{{if .Better}}<br><span class="muted">{{.Better}}</span>{{end}}</td><td>{{.Unit}}</td><td>{{.Answer}}</td><td class="num">{{.Baseline}}</td><td class="num">{{.Target}}</td><td class="pre">{{.Note}}</td></tr>
{{end}}</tbody></table>
{{end}}<h3>奖补预测</h3>
{{template "reward" $}}{{end}}
{{define "dschedule"}}{{if .Milestones}}<table class="grid fixed"><colgroup><col style="width:16%"><col style="width:40%"><col style="width:44%"></colgroup><thead><tr><th>日期</th><th>里程碑</th><th>说明</th></tr></thead><tbody>
{{range .Milestones}}<tr><td class="nw">{{.Date}}</td><td>{{.Title}}</td><td class="pre">{{.Note}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">未填写。</p>
{{end}}{{end}}
{{define "dannex"}}<h3>现场调研记录</h3>
{{with .Survey}}<p>调研日期：{{.Date}}</p>
{{if .Surveyors}}<table class="grid"><thead><tr><th>姓名</th><th>单位</th><th>角色</th><th>联系方式</th></tr></thead><tbody>
{{range .Surveyors}}<tr><td>{{.Name}}</td><td>{{.Agency}}</td><td>{{.Role}}</td><td>{{.Contact}}</td></tr>
{{end}}</tbody></table>
{{end}}{{else}}<p class="muted">未录入现场调研。</p>
{{end}}<h3>佐证材料清单</h3>
{{if .EvidenceRows}}<table class="grid fixed"><colgroup><col style="width:12%"><col style="width:48%"><col style="width:25%"><col style="width:15%"></colgroup><thead><tr><th>关联项</th><th>文件</th><th>SHA-256（前 12 位）</th><th>大小</th></tr></thead><tbody>
{{range .EvidenceRows}}<tr><td>{{.Ref}}</td><td>{{.Name}}</td><td><code>{{.SHA}}</code></td><td>{{.Size}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">未附佐证材料。</p>
{{end}}<h3>说明</h3>
<ol class="fine">
{{range .FinePrint}}<li>{{.}}</li>
{{end}}</ol>
{{end}}`

var diagnosisTemplates = sync.OnceValue(func() *template.Template {
	funcs := templateFuncs()
	funcs["diagNewPage"] = statusNewPage
	funcs["pairs"] = pairs
	t := template.New("rating").Funcs(funcs)
	template.Must(t.New("css").Parse(reportCSS))
	template.Must(t.Parse(reportTemplate))
	return template.Must(t.New("diagnosis").Parse(diagnosisTemplate))
})

type diagHTMLData struct {
	*diagView
	Header, HeaderRight string
	DimChart, ScenChart template.HTML
	QR                  template.HTML
}

// writeDiagnosisHTML writes a 转型诊断报告 as one self-contained HTML file.
func (r *Report) writeDiagnosisHTML(w io.Writer) error {
	d := buildDiagnosis(r)
	right := "报告编号 " + d.ReportID
	if d.Draft {
		right += " · 草稿"
	}
	var scorePct int
	if d.M > 0 {
		scorePct = int(d.P * 100 / d.M)
	}
	data := diagHTMLData{
		diagView: d, Header: d.Enterprise + " · " + DiagnosisTitle, HeaderRight: right,
		DimChart:  template.HTML(dimensionChart(d.Dimensions, d.Score, d.MaxScore, scorePct)),
		ScenChart: template.HTML(scenarioChart(d.Scenarios, d.LevelNames, d.MaxLevel, d.TargetLevel)),
	}
	if d.QRPayload != "" {
		svg, err := qrSVG(d.QRPayload, 34)
		if err != nil {
			return err
		}
		data.QR = template.HTML(svg)
	}
	bw := bufio.NewWriter(w)
	if err := diagnosisTemplates().ExecuteTemplate(bw, "diagnosis", data); err != nil {
		return err
	}
	return bw.Flush()
}

// pairs groups key-value rows two to a line for the four-column profile table.
func pairs(rows []kv) [][]kv {
	var out [][]kv
	for i := 0; i < len(rows); i += 2 {
		out = append(out, rows[i:min(i+2, len(rows))])
	}
	return out
}
