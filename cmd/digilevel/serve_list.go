package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/protocol"
	"digilevel/sync/server"
)

// listReports writes `serve reports list`: every report in acceptance
// order (or one enterprise's), as a table or a JSON array. Rows are written
// as the store yields them (EachReport streams on both engines): neither
// the records nor the output are held, so the listing costs little more
// than reading the records and its memory does not grow with the platform.
func listReports(out io.Writer, st server.Store, cat *indicators.Catalog, enterprise string, asJSON bool) error {
	w := bufio.NewWriterSize(out, 64<<10)
	var row func(protocol.ReportInfo) error
	var end func() error
	if asJSON {
		row, end = jsonArrayWriter(w)
	} else {
		last, err := st.LastSeq()
		if err != nil {
			return err
		}
		row, end = newReportTable(w, cat, last)
	}
	each := func(r platform.Record) error { return row(server.Info(r)) }
	var err error
	if enterprise != "" {
		var recs []platform.Record
		if recs, err = st.Reports(enterprise); err == nil {
			for _, r := range recs {
				if err = each(r); err != nil {
					break
				}
			}
		}
	} else {
		err = st.EachReport(0, each)
	}
	if err != nil {
		return err
	}
	if err := end(); err != nil {
		return err
	}
	return w.Flush()
}

// jsonArrayWriter writes a JSON array one element at a time, byte for byte
// as printJSON writes the whole slice (two-space indent, HTML not escaped,
// unsafe characters as \u escapes).
func jsonArrayWriter(w io.Writer) (row func(protocol.ReportInfo) error, end func() error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	n := 0
	row = func(r protocol.ReportInfo) error {
		buf.Reset()
		if n == 0 {
			buf.WriteString("[\n  ")
		} else {
			buf.WriteString(",\n  ")
		}
		n++
		if err := enc.Encode(r); err != nil {
			return err
		}
		_, err := w.Write(jsonSafe(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
		return err
	}
	end = func() error {
		if n == 0 {
			_, err := io.WriteString(w, "[]\n")
			return err
		}
		_, err := io.WriteString(w, "\n]\n")
		return err
	}
	return row, end
}

// providerWidth is the display width kept for the 服务商 column: 14 Chinese
// characters. A longer name pushes the rest of its own row to the right;
// the other columns have widths known before the first row (see
// newReportTable), which is what lets the table stream.
const providerWidth = 28

// newReportTable writes the listing's table row by row. Its columns have
// fixed widths: the sequence number's from the last one given out, report
// IDs (ULIDs) 26 characters, credit codes 18, the kind column's from the
// catalog's kind names and the longest spot-check link, times 19, "current"
// from "已被 <ID> 取代". A cell wider than its column (an ID or code not of
// the usual form, a long provider name) only shifts the rest of its row.
func newReportTable(w io.Writer, cat *indicators.Catalog, lastSeq uint64) (row func(protocol.ReportInfo) error, end func() error) {
	const id = "01KBBPRWM0YH0DVM6YDMY4KKCY" // the width of an ID
	kindWidth := 0
	for _, k := range []model.Kind{model.KindBaseline, model.KindAcceptance, model.KindSpotCheck} {
		kindWidth = max(kindWidth, displayWidth(cat.KindLabel(string(k))))
	}
	for state := range linkStates {
		kindWidth = max(kindWidth, displayWidth(kindAndLink(cat, protocol.ReportInfo{Kind: string(model.KindSpotCheck), Checks: &protocol.CheckInfo{ID: id, State: state}})))
	}
	widths := []int{
		max(displayWidth("序号"), len(strconv.FormatUint(lastSeq, 10))), len(id), 18, providerWidth, kindWidth,
		len("2006-01-02 15:04:05"), displayWidth(replacedBy(id)), 0,
	}
	var line []byte
	write := func(cells ...string) error {
		line = line[:0]
		for i, c := range cells {
			c = model.DisplaySafe(c, false)
			line = append(line, c...)
			if i < len(cells)-1 {
				for pad := widths[i] - displayWidth(c) + 2; pad > 0; pad-- {
					line = append(line, ' ')
				}
			}
		}
		line = append(line, '\n')
		_, err := w.Write(line)
		return err
	}
	if err := write("序号", "报告编号", "企业", "服务商", "类型", "接收时间", "当前版本", "SHA-256"); err != nil {
		return func(protocol.ReportInfo) error { return err }, func() error { return err }
	}
	row = func(r protocol.ReportInfo) error {
		current := "是"
		if !r.Current {
			current = replacedBy(r.ReplacedBy)
		}
		return write(strconv.FormatUint(r.ServerSeq, 10), r.ID, r.Enterprise, r.Provider, kindAndLink(cat, r),
			beijingTime(r.ReceivedAt), current, r.SHA256)
	}
	return row, func() error { return nil }
}

func replacedBy(id string) string { return "已被 " + id + " 取代" }

// linkStates names a spot-check link's states in the listing.
var linkStates = map[string]string{
	platform.LinkVerified: "已核对",
	platform.LinkPending:  "被抽查的报告平台尚未收到",
	platform.LinkMismatch: "与平台上的报告不一致",
}

// kindAndLink names a listed report's kind and, for a spot-check, the
// report it checks and what the platform makes of the link.
func kindAndLink(cat *indicators.Catalog, r protocol.ReportInfo) string {
	kind := cat.KindLabel(r.Kind)
	if r.Checks == nil {
		return kind
	}
	return kind + "（被抽查报告 " + r.Checks.ID + "，" + linkStates[r.Checks.State] + "）"
}
