package report

import (
	"bufio"
	"html/template"
	"io"
	"strings"
	"sync"
)

// reportCSS is the shared stylesheet of reports and comparisons: screen
// reading plus A4 printing. Fonts fall back by family so the file needs no
// font of its own.
const reportCSS = `
*{box-sizing:border-box}
html{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif;font-size:10.5pt;color:#1a202c;line-height:1.55;background:#fff}
body{margin:0 auto;max-width:190mm;padding:10mm 0 16mm}
h1{font-size:21pt;margin:.2em 0 .1em;line-height:1.3}
h2{font-size:15pt;border-bottom:2px solid #2b6cb0;padding-bottom:3px;margin:1.4em 0 .6em}
h3{font-size:12pt;margin:1em 0 .4em}
p{margin:.35em 0}
table{border-collapse:collapse;width:100%;margin:.4em 0 .9em}
th,td{border:1px solid #cbd5e0;padding:3px 6px;text-align:left;vertical-align:top}
thead{display:table-header-group}
thead th{background:#edf2f7;font-weight:bold}
tr{break-inside:avoid}
.kv th{width:28%;background:#f7fafc;font-weight:normal;color:#4a5568}
.kv4 th{width:19%}
.kv4 td{width:31%}
table.grid{font-size:9.5pt}
.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.nw{white-space:nowrap}
table.fixed{table-layout:fixed}
table.fixed td{overflow-wrap:anywhere}
code,.hash{font-family:"DejaVu Sans Mono","Noto Sans Mono","Liberation Mono",monospace;font-size:9pt;word-break:break-all}
figure{margin:.4em 0 .8em;break-inside:avoid}
svg.chart{max-width:100%;height:auto;font-family:inherit}
.doc-kind{color:#2b6cb0;font-weight:bold;margin:0;letter-spacing:.1em}
.subtitle{font-size:14pt;margin:.1em 0 .6em}
.headline{font-size:12.5pt;margin:.5em 0}
.headline b{font-size:15pt;color:#2b6cb0}
.muted{color:#4a5568;font-size:9.5pt}
.warn{color:#9b2c2c}
.box-warn{border:1px solid #feb2b2;background:#fff5f5;padding:4px 10px;margin:.5em 0}
.note{white-space:pre-wrap;background:#fffff0;border:1px solid #faf089;padding:2px 6px}
.question{border-left:3px solid #cbd5e0;padding:1px 0 1px 10px;margin:.7em 0;break-inside:avoid}
.question h3{margin:.2em 0}
.question.outcome{border-left-color:#2f855a;background:#f0fff4}
.question.contradiction{border-left-color:#c53030}
.qid{color:#2b6cb0}
.qual{color:#4a5568;font-weight:normal;font-size:10pt}
.tag{display:inline-block;border:1px solid currentColor;border-radius:3px;padding:0 4px;font-size:8.5pt;margin-left:4px;font-weight:normal}
.tag-outcome{color:#2f855a}
.options{margin:.2em 0;padding-left:1.4em}
.constrained{color:#c05621;font-weight:bold}
tr.met td:last-child{color:#276749;font-weight:bold}
tr.unmet td:last-child{color:#9b2c2c}
tr.outcome td{background:#f0fff4}
.up{color:#276749;font-weight:bold}
.down{color:#9b2c2c;font-weight:bold}
.reward{border:1px solid #90cdf4;background:#ebf8ff;padding:4px 12px;margin:.6em 0}
.reward .amount{font-size:13pt;font-weight:bold}
.sign-lines{margin-top:2.5em}
.qr-box{display:flex;align-items:center;gap:12px;margin:.8em 0;break-inside:avoid}
.qr-box figcaption{font-size:9pt;color:#4a5568;flex:1}
td.pre,.pre{white-space:pre-wrap}
.tag-path{color:#2b6cb0}
.tag-example{color:#c53030}
.fine{font-size:8.5pt;color:#4a5568;padding-left:1.4em}
.fine li{margin:.15em 0}
tr.total td,tr.total th{font-weight:bold;background:#f7fafc}
.keep{break-inside:avoid}
.sign{display:flex;align-items:flex-end;gap:6px;margin:2.2em 0 0}
.sign .line{flex:1;border-bottom:1px solid #1a202c;height:1.4em}
.sign .line.short{flex:0 0 35mm}
.draft-badge{display:inline-block;border:2px solid #c53030;color:#c53030;padding:0 .3em;margin-right:.4em;font-size:.65em;vertical-align:middle}
.draft-note{border:2px solid #c53030;color:#c53030;padding:4px 10px;font-weight:bold}
.watermark{position:fixed;top:40%;left:0;width:100%;text-align:center;font-size:110pt;font-weight:bold;color:rgba(197,48,48,.13);transform:rotate(-30deg);z-index:10;pointer-events:none;user-select:none}
@media print{
body{max-width:none;padding:0}
.page-break{break-before:page}
h2,h3{break-after:avoid}
a{color:inherit;text-decoration:none}
}
`

// pageCSS is the @page rule: A4 with the enterprise name, the report ID
// (and 草稿) in the header and a page counter in the footer, in browsers
// that support page-margin boxes.
const pageCSS = `
@page{size:A4;margin:18mm 15mm 18mm 15mm;
@top-left{content:"{{.Header}}";font-size:8.5pt;color:#4a5568}
@top-right{content:"{{.HeaderRight}}";font-size:8.5pt;color:{{if .Draft}}#c53030{{else}}#4a5568{{end}}}
@bottom-center{content:"第 " counter(page) " 页 / 共 " counter(pages) " 页";font-size:8.5pt;color:#4a5568}
}
`

const reportTemplate = `<!DOCTYPE html>
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
<h1>{{if .Draft}}<span class="draft-badge">草稿</span>{{end}}中小企业数字化水平评测报告</h1>
<p class="subtitle">{{.Enterprise}}</p>
<p class="headline">基础得分 <b>{{.Score}}</b> / {{.MaxScore}} 分　综合等级 <b>{{.LevelName}}</b></p>
{{if .Draft}}<p class="draft-note">草稿：{{words.DraftNote}}</p>
{{end}}<table class="kv">
{{range .Meta}}<tr><th>{{.K}}</th><td>{{.V}}</td></tr>
{{end}}</table>
</header>
<main>
{{range $i, $s := .Sections}}<section id="{{$s.ID}}" class="section{{if newPage $s.ID}} page-break{{end}}">
<h2>{{cn (inc $i)}}、{{$s.Title}}</h2>
{{if eq $s.ID "profile"}}{{template "profile" $}}{{else if eq $s.ID "result"}}{{template "result" $}}{{else if eq $s.ID "answers"}}{{template "answers" $}}{{else if eq $s.ID "problems"}}{{template "list" (list $.Problems "问题" words.NoProblems (widths 5 9 24 25 25 12))}}{{else if eq $s.ID "demands"}}{{template "list" (list $.Demands "需求场景" words.NoDemands (widths 5 9 20 10 10 46))}}{{else if eq $s.ID "path"}}{{template "path" $}}{{else if eq $s.ID "reward"}}{{template "reward" $}}{{else if eq $s.ID "signatures"}}{{template "signatures" $}}{{end}}
</section>
{{end}}</main>
</body>
</html>
{{define "profile"}}<table class="kv">
{{range .Profile}}<tr><th>{{.K}}</th><td>{{.V}}</td></tr>
{{end}}</table>
<h3>营业收入</h3>
{{if .Revenue}}<table class="grid"><thead><tr><th>年份</th><th class="num">营业收入（万元）</th><th>说明</th></tr></thead><tbody>
{{range .Revenue}}<tr><td>{{.Year}} 年</td><td class="num">{{.Wan}}</td><td>{{.Note}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">{{words.NotRecorded}}</p>
{{end}}<h3>联系人</h3>
{{if .Contacts}}<table class="grid"><thead><tr><th>姓名</th><th>职务</th><th>电话</th><th>邮箱</th></tr></thead><tbody>
{{range .Contacts}}<tr><td>{{.Name}}</td><td>{{.Role}}</td><td>{{.Phone}}</td><td>{{.Email}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">{{words.NotRecorded}}</p>
{{end}}{{end}}
{{define "result"}}<p class="headline">基础得分 <b>{{.Score}}</b> / {{.MaxScore}} 分，综合等级 <b>{{.LevelName}}</b>{{if .Missing}}（尚有未完成项，结果为暂定）{{end}}</p>
{{if .Missing}}<p class="box-warn">未完成 {{len .Missing}} 项：{{join .Missing "、"}}</p>
{{end}}<h3>各维度得分</h3>
<figure>{{.DimChart}}</figure>
<table class="grid"><thead><tr><th>维度</th><th>二级指标</th><th class="num">得分</th><th class="num">满分</th></tr></thead><tbody>
{{range .Dimensions}}{{$d := .}}{{range .Subs}}<tr><td>{{$d.Name}}</td><td>{{.Name}}</td><td class="num">{{.Points}}</td><td class="num">{{.Max}}</td></tr>
{{end}}<tr><th colspan="2">{{.Name}} 合计</th><th class="num">{{.Points}}</th><th class="num">{{.Max}}</th></tr>
{{end}}</tbody></table>
<h3>应用场景等级</h3>
<figure>{{.ScenChart}}</figure>
<table class="grid"><thead><tr><th>场景等级</th><th class="num">达到该级及以上的场景</th><th class="num">其中约束性场景</th></tr></thead><tbody>
{{range .Counts}}{{if .Level}}<tr><td>{{.Name}}</td><td class="num">{{.Total}}</td><td class="num">{{.Constrained}}</td></tr>
{{end}}{{end}}</tbody></table>
<h3>等级判定</h3>
<table class="grid"><thead><tr><th>等级</th><th>得分条件</th><th>场景条件</th><th>约束性场景条件</th><th>结论</th></tr></thead><tbody>
{{range .Checks}}<tr class="{{if .Met}}met{{else}}unmet{{end}}"><td>{{.Name}}</td><td>{{.Score}} {{if .ScoreOK}}≥{{else}}&lt;{{end}} {{.MinScore}} {{mark .ScoreOK}}</td><td>{{.Scenarios}} / {{.MinScenarios}} {{mark .ScenariosOK}}</td><td>{{.Constrained}} / {{.MinConstrained}} {{mark .ConstrainedOK}}</td><td>{{if .Met}}满足{{else}}不满足{{end}}</td></tr>
{{end}}</tbody></table>
<p class="muted">{{levelMethod .NoLevelLabel}}</p>
{{end}}
{{define "answers"}}{{if .Contradictions}}<div class="box-warn"><b>答案与补充数据不符：</b>
<ul>{{range .Contradictions}}<li>{{.}}</li>{{end}}</ul></div>
{{end}}{{range .Questions}}{{template "qcard" .}}
{{end}}<h3>应用场景（{{len .Scenarios}} 个，★ 为约束性场景）</h3>
<table class="grid fixed"><colgroup><col style="width:8%"><col style="width:14%"><col style="width:16%"><col style="width:10%"><col style="width:37%"><col style="width:15%"></colgroup><thead><tr><th>编号</th><th>场景</th><th>分组</th><th>等级</th><th>等级描述</th><th>佐证材料</th></tr></thead><tbody>
{{range .Scenarios}}<tr><td class="nw">{{.ID}}</td><td>{{if .Constrained}}<span class="constrained">★ {{.Name}}</span>{{else}}{{.Name}}{{end}}</td><td>{{.Group}}</td><td>{{.LevelName}}</td><td>{{.Descriptor}}</td><td>{{range $i, $e := .Evidence}}{{if $i}}；{{end}}{{$e.Name}} <code>{{$e.SHA}}…</code>{{end}}</td></tr>
{{end}}</tbody></table>
{{end}}
{{define "qcard"}}<article class="question{{if .Outcome}} outcome{{end}}{{if .Contradicts}} contradiction{{end}}" id="q-{{.ID}}">
<h3><span class="qid">{{.ID}}</span> {{.Title}}{{if .Qualifier}}<span class="qual">{{.Qualifier}}</span>{{end}}{{if .Outcome}}<span class="tag tag-outcome">成效</span>{{end}}</h3>
<p class="muted">{{.Path}} · {{.Type}} · 得分 <b>{{.Points}}</b> / {{.Max}}</p>
{{if .Answered}}<ul class="options">{{range .Chosen}}<li><b>{{.ID}}</b> {{.Text}}（{{.Points}} 分）</li>{{end}}</ul>
{{else}}<p class="warn">未作答</p>
{{end}}{{if .Numbers}}<table class="grid"><thead><tr><th>补充数据</th><th class="num">数值</th><th>单位</th></tr></thead><tbody>
{{range .Numbers}}<tr><td>{{.Label}}</td><td class="num">{{.Value}}</td><td>{{.Unit}}</td></tr>
{{end}}</tbody></table>
{{end}}{{if .Derivation}}<p class="{{if .Contradicts}}warn{{else}}muted{{end}}">数据推算：{{.Derivation}}</p>
{{end}}{{if .Note}}<p class="note">备注：{{.Note}}</p>
{{end}}{{if .Evidence}}<p class="muted">佐证材料：{{range $i, $e := .Evidence}}{{if $i}}；{{end}}{{$e.Name}} <code>sha256 {{$e.SHA}}…</code>{{if $e.Size}}（{{$e.Size}}）{{end}}{{end}}</p>
{{end}}</article>{{end}}
{{define "list"}}{{$items := index . 0}}{{if $items}}<table class="grid fixed"><colgroup>{{range index . 3}}<col style="width:{{.}}%">{{end}}</colgroup><thead><tr><th class="num">序号</th><th>关联项</th><th>{{index . 1}}</th><th>现状</th><th>目标</th><th>说明</th></tr></thead><tbody>
{{range $i, $it := $items}}<tr><td class="num">{{inc $i}}</td><td class="nw">{{$it.Ref}}</td><td>{{$it.Title}}</td><td>{{$it.Current}}</td><td>{{$it.Target}}</td><td>{{$it.Note}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">{{index . 2}}</p>
{{end}}{{end}}
{{define "path"}}{{range .Plans}}<h3>{{.Title}}</h3>
{{range .Lines}}<p>{{.}}</p>
{{end}}{{if .Steps}}<ol>
{{range .Steps}}<li>{{.}}</li>
{{end}}</ol>
{{end}}{{end}}{{end}}
{{define "reward"}}{{with .Reward}}{{range .Basis}}<p>{{.}}</p>
{{end}}{{if .Shown}}<div class="reward"><h3>{{.Label}}</h3>
<p class="amount">{{.Estimate.Summary}}</p>
{{with .Estimate.Reward}}<ol>
{{range .Reasons}}<li>{{.}}</li>
{{end}}</ol>
{{end}}</div>
{{end}}{{if .Estimate.Notes}}<ul class="muted">
{{range .Estimate.Notes}}<li>{{.}}</li>
{{end}}</ul>
{{end}}{{end}}<p class="muted">{{.Reward.Policy}}</p>
{{end}}
{{define "signatures"}}<table class="kv">
<tr><th>评测机构</th><td>{{.Sign.Org}}</td></tr>
<tr><th>评测人员</th><td>{{.Sign.Person}}</td></tr>
<tr><th>定稿日期</th><td>{{if .Sign.Finalized}}{{.Sign.Date}}{{else}}未定稿（草稿）{{end}}</td></tr>
<tr><th>评测设备</th><td>{{.Sign.Device}}</td></tr>
<tr><th>报告 SHA-256</th><td><code class="hash">{{.SHA256}}</code></td></tr>
<tr><th>电子签名</th><td>{{if .KeyFP}}{{.Sign.Algorithm}}，签名公钥指纹 <code>{{.KeyFP}}</code>{{else}}无（草稿未签名）{{end}}</td></tr>
<tr><th>指标目录</th><td>{{catalogName .Catalog}}<br><code class="hash">{{.Catalog.Hash}}</code></td></tr>
</table>
<p class="muted">{{words.HashNote}}</p>
{{if .QR}}<figure class="qr-box"><div>{{.QR}}</div><figcaption>{{words.QRNote}}<br><code class="hash">{{.QRPayload}}</code></figcaption></figure>
{{end}}<div class="sign-lines">
{{range words.Signers}}<div class="sign"><span>{{.}}：</span><span class="line"></span><span>日期：</span><span class="line short"></span></div>
{{end}}</div>
{{end}}`

// templateFuncs are the helpers the templates share.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"cn":          chineseNumber,
		"inc":         func(i int) int { return i + 1 },
		"join":        strings.Join,
		"newPage":     newPage,
		"catalogName": catalogName,
		"list":        func(v ...any) []any { return v },
		"widths":      func(w ...int) []int { return w },
		"mark":        mark,
		"words":       func() prose { return words },
		"levelMethod": levelMethod,
	}
}

// reportTemplates parses the templates once; every render executes the
// same template, which html/template allows concurrently.
var reportTemplates = sync.OnceValue(func() *template.Template {
	t := template.New("report").Funcs(templateFuncs())
	template.Must(t.New("css").Parse(reportCSS))
	return template.Must(t.Parse(reportTemplate))
})

type htmlData struct {
	*view
	Header, HeaderRight string
	DimChart, ScenChart template.HTML
	// QR is the signature block's QR code of a finalized report (empty for
	// a draft) and QRPayload what it holds.
	QR        template.HTML
	QRPayload string
}

// WriteHTML writes the report as one self-contained HTML file.
func (r *Report) WriteHTML(w io.Writer) error {
	if isDiagnosis(r.Doc) {
		return r.writeDiagnosisHTML(w)
	}
	v := buildView(r)
	right := "报告编号 " + v.ReportID
	if v.Draft {
		right += " · 草稿"
	}
	var scorePct int
	if v.M > 0 {
		scorePct = int(v.P * 100 / v.M)
	}
	data := htmlData{
		view: v, Header: v.Enterprise + " · " + v.KindLabel, HeaderRight: right,
		DimChart:  template.HTML(dimensionChart(v.Dimensions, v.Score, v.MaxScore, scorePct)),
		ScenChart: template.HTML(scenarioChart(v.Scenarios, v.LevelNames, v.MaxLevel, v.TargetLevel)),
	}
	if v.KeyFP != "" {
		data.QRPayload = QRPayload(v.ReportID, v.SHA256)
		svg, err := qrSVG(data.QRPayload, 34)
		if err != nil {
			return err
		}
		data.QR = template.HTML(svg)
	}
	bw := bufio.NewWriter(w)
	if err := reportTemplates().Execute(bw, data); err != nil {
		return err
	}
	return bw.Flush()
}
