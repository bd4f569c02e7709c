// Package report renders diagnosis reports: one model.ReportDocument as a
// self-contained HTML file (A4 print), Markdown, its canonical JSON bytes or
// an XLSX workbook; a before/after comparison of a baseline and an
// acceptance report; and a roll-up of many enterprises as XLSX or CSV.
//
// Everything is offline: no output references the network, the HTML has no
// script and no external resource. The reward estimate shown in a report is
// computed at render time from the district policy; it is not part of the
// signed document.
package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"digilevel/indicators"
	"digilevel/model"
)

// Format is an output format of a report or a comparison.
type Format string

// Output formats.
const (
	FormatHTML     Format = "html"
	FormatMarkdown Format = "md"
	FormatJSON     Format = "json"
	FormatXLSX     Format = "xlsx"
)

// Formats lists every format, in the order shown to users.
func Formats() []Format { return []Format{FormatHTML, FormatMarkdown, FormatJSON, FormatXLSX} }

// ParseFormat reads a format name; "markdown" is accepted for md.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "html", "htm":
		return FormatHTML, nil
	case "md", "markdown":
		return FormatMarkdown, nil
	case "json":
		return FormatJSON, nil
	case "xlsx", "excel":
		return FormatXLSX, nil
	}
	return "", model.Errorf(model.ErrInvalid, "报告格式应为 html、md、json 或 xlsx，实际 %q", s)
}

// Ext is the file extension of a format, with the dot.
func (f Format) Ext() string { return "." + string(f) }

// Report is one report document ready to render, with the bytes it is
// identified by. Build it with New (drafts) or FromBytes (stored reports).
// Doc is the document with its text passed through model.DisplaySafe, so
// no rendering emits a control or bidi-override character; Bytes and the
// JSON output are the document's bytes unchanged.
type Report struct {
	Doc     model.ReportDocument
	Catalog *indicators.Catalog
	// Policy is the reward policy of the estimate; the constructors set the
	// embedded district policy.
	Policy model.RewardPolicy
	// Revenue is the yearly 营业收入 the reward estimate reads. The
	// constructors copy the record frozen in the document; a caller may
	// replace it with the current 一企一档, because the revenue of the year
	// after the rating is only known later.
	Revenue []model.YearRevenue
	// Planning gives a 转型诊断报告 its outline, status groups and KPI
	// definitions; the constructors set the data shipped for the catalog
	// (nil when there is none: the diagnosis then renders without them).
	Planning *indicators.Planning
	raw      []byte
}

// New prepares a draft document for rendering; its bytes are
// doc.Canonical(). A finalized document must come with its stored signed
// bytes: use FromBytes.
func New(cat *indicators.Catalog, doc model.ReportDocument) (*Report, error) {
	if !doc.Draft {
		return nil, model.Errorf(model.ErrInvalid, "报告 %s 已定稿，须使用保存的已签名报告原文生成（FromBytes），以保证 JSON 与校验值逐字节一致", doc.ID)
	}
	raw, err := doc.Canonical()
	if err != nil {
		return nil, err
	}
	return newReport(cat, doc, raw)
}

// FromBytes prepares stored report bytes for rendering. A finalized report
// must verify (canonical form, ed25519 signature); a draft must be in
// canonical form. Either way its result must match its answers rescored with
// cat. The bytes are kept and written byte for byte as the JSON output.
func FromBytes(cat *indicators.Catalog, data []byte) (*Report, error) {
	if len(data) > model.MaxReportSize {
		return nil, model.Errorf(model.ErrTampered, "报告超过 %d 字节上限", model.MaxReportSize)
	}
	var probe struct {
		Draft bool `json:"draft"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, model.Errorf(model.ErrTampered, "报告不是有效的 JSON 文档: %v", err)
	}
	var doc model.ReportDocument
	if probe.Draft {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			return nil, model.Errorf(model.ErrTampered, "草稿报告格式错误: %v", err)
		}
		// VerifyReport checks this for finalized reports; a draft of
		// another format version must not render as this one either.
		if !model.KnownReportFormat(doc.Format) {
			return nil, model.Errorf(model.ErrTampered, "报告格式 %q 不受支持（应为 %s 或 %s）", doc.Format, model.ReportFormat, model.ReportFormatV1)
		}
		again, err := doc.Canonical()
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(again, data) {
			return nil, model.Errorf(model.ErrTampered, "草稿报告不是规范格式（内容或排版被改动过）")
		}
	} else {
		var err error
		if doc, err = model.VerifyReport(data); err != nil {
			return nil, err
		}
	}
	return newReport(cat, doc, bytes.Clone(data))
}

// FromVerified prepares a finalized report whose bytes the caller has just
// verified: doc must be model.VerifyReport(data)'s result, as
// storage.ReportData gives it. Verifying is the costly part of a load
// (canonical re-encoding and the signature), so a load does it once.
// The result is still rescored against cat.
func FromVerified(cat *indicators.Catalog, doc model.ReportDocument, data []byte) (*Report, error) {
	if doc.Draft || doc.Signature == nil {
		return nil, model.Errorf(model.ErrInvalid, "报告 %s 不是已签名的定稿报告", doc.ID)
	}
	return newReport(cat, doc, bytes.Clone(data))
}

func newReport(cat *indicators.Catalog, doc model.ReportDocument, raw []byte) (*Report, error) {
	if cat == nil {
		return nil, model.Errorf(model.ErrInvalid, "生成报告需要指标目录")
	}
	if err := model.CheckReportScore(cat, doc); err != nil {
		return nil, err
	}
	pl, _ := indicators.EmbeddedPlanning(cat)
	// Everything rendered comes from Doc: its text is made safe here, once
	// (a report finalized before the text rule, or pulled from another
	// laptop, may hold control or bidi characters). The JSON output stays
	// the signed bytes.
	doc = model.DisplaySafeCopy(doc)
	return &Report{
		Doc: doc, Catalog: cat, Policy: model.DefaultRewardPolicy(),
		Revenue: append([]model.YearRevenue(nil), doc.Enterprise.Revenue...), Planning: pl, raw: raw,
	}, nil
}

// Bytes returns a copy of the document bytes (the JSON output).
func (r *Report) Bytes() []byte { return bytes.Clone(r.raw) }

// SHA256 is the hex SHA-256 of the document bytes.
func (r *Report) SHA256() string { return model.HashReport(r.raw) }

// Write renders the report in format f.
func (r *Report) Write(w io.Writer, f Format) error { return writeAs(r, w, f) }

// renderer is what a report and a comparison render to.
type renderer interface {
	WriteHTML(io.Writer) error
	WriteMarkdown(io.Writer) error
	WriteJSON(io.Writer) error
	WriteXLSX(io.Writer) error
}

// writeAs renders x in format f. f may be any name ParseFormat accepts
// ("markdown", "excel"), which must not fall through to writing nothing.
func writeAs(x renderer, w io.Writer, f Format) error {
	f, err := ParseFormat(string(f))
	if err != nil {
		return err
	}
	switch f {
	case FormatHTML:
		return x.WriteHTML(w)
	case FormatMarkdown:
		return x.WriteMarkdown(w)
	case FormatJSON:
		return x.WriteJSON(w)
	}
	return x.WriteXLSX(w)
}

// WriteJSON writes the document bytes unchanged.
func (r *Report) WriteJSON(w io.Writer) error {
	_, err := w.Write(r.raw)
	return err
}

// KeyFingerprint names a signature's public key as OpenSSH does:
// "SHA256:" and the unpadded base64 of the key's SHA-256. It is "" for an
// unsigned document.
func KeyFingerprint(sig *model.Signature) string {
	if sig == nil {
		return ""
	}
	pub, err := base64.StdEncoding.DecodeString(sig.PublicKey)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(pub)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// Zone is the time zone reports and screens show times in (Beijing): a
// fixed offset, so output does not depend on the machine's tz database.
func Zone() *time.Location { return time.FixedZone("UTC+8", 8*3600) }

// RatedAt is the time a report's level was rated: finalize time, or
// creation time for a draft.
func RatedAt(doc model.ReportDocument) time.Time {
	if doc.FinalizedAt.IsZero() {
		return doc.CreatedAt
	}
	return doc.FinalizedAt
}

// RatedYear is the year of RatedAt in Beijing time, the year the policy's
// "评定" refers to.
func RatedYear(t time.Time) int { return t.In(Zone()).Year() }

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone()).Format("2006-01-02 15:04")
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone()).Format("2006年1月2日")
}

// errWriter remembers the first write error so renderers can write freely
// and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
