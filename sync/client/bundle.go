package client

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/sync/bundle"
	"digilevel/sync/protocol"
)

// ExportResult says what went into a bundle and what was left out.
type ExportResult struct {
	Reports  int       `json:"reports"`
	Evidence int       `json:"evidence"`
	Skipped  []Skipped `json:"skipped"`
}

// Skipped is a report left out of a bundle, and why.
type Skipped struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// ExportBundle writes every unsent report (queued or send_failed, oldest
// first) with its evidence files, as stored in the database, to w. A report
// whose evidence the database lacks is left out and listed in Skipped; the
// others still go. If a file changes while it is copied the bundle is
// broken and the error says so: write to a temporary file and discard it.
func ExportBundle(store *storage.DB, w io.Writer, now time.Time) (ExportResult, error) {
	res := ExportResult{Skipped: []Skipped{}}
	device, err := store.DeviceID()
	if err != nil {
		return res, err
	}
	pub, err := store.PublicKey()
	if err != nil {
		return res, err
	}
	items, err := store.Outbox()
	if err != nil {
		return res, fmt.Errorf("读取发送队列: %w", err)
	}
	bw := bundle.NewWriter(w, device, base64.StdEncoding.EncodeToString(pub), now)
	seen := map[string]bool{}
	for _, it := range items {
		if !it.State.Unsent() {
			continue
		}
		body, err := store.StoredReport(it.AssessmentID)
		if err != nil {
			return res, err
		}
		doc, err := model.VerifyReport(body)
		if err != nil {
			res.Skipped = append(res.Skipped, Skipped{ID: it.AssessmentID, Reason: err.Error()})
			continue
		}
		evidence, problem := evidenceFiles(store, doc)
		if problem != "" {
			res.Skipped = append(res.Skipped, Skipped{ID: it.AssessmentID, Reason: problem})
			continue
		}
		if err := bw.AddReport(body, evidence); err != nil {
			return res, fmt.Errorf("报告 %s: %w", it.AssessmentID, err)
		}
		res.Reports++
		for _, ev := range evidence {
			if !seen[ev.SHA256] {
				seen[ev.SHA256] = true
				res.Evidence++
			}
		}
	}
	if err := bw.Close(); err != nil {
		return res, err
	}
	return res, nil
}

// evidenceFiles lists a report's evidence (by item, then in order), each
// read from the copy stored in the database when it was attached; a file
// the database lacks (an old database whose original was gone when it
// migrated) leaves the report out, with the reason.
func evidenceFiles(store *storage.DB, doc model.ReportDocument) ([]bundle.Evidence, string) {
	refs := make([]string, 0, len(doc.Evidence))
	for ref := range doc.Evidence {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	var out []bundle.Evidence
	for _, ref := range refs {
		for _, ev := range doc.Evidence[ref] {
			data, err := store.EvidenceData(ev.SHA256)
			switch {
			case errors.Is(err, model.ErrNotFound):
				return nil, fmt.Sprintf("%s 的佐证材料 %s 不在本机数据库中（升级时原文件已不存在）: 请修订该报告，移除或重新添加这份佐证后重新定稿", ref, ev.Path)
			case err != nil:
				return nil, fmt.Sprintf("%s 的佐证材料 %s 无法读取: %v", ref, ev.Path, err)
			}
			out = append(out, bundle.Evidence{Ref: ref, Path: ev.Path, SHA256: ev.SHA256, Size: ev.Size,
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
		}
	}
	return out, ""
}

// ApplyResult counts what a receipts file changed on the laptop.
type ApplyResult struct {
	Marked      int      `json:"marked_sent"`
	AlreadySent int      `json:"already_sent"`
	Rejected    int      `json:"rejected"`
	Held        int      `json:"held"`
	Failed      int      `json:"failed"`
	Unknown     []string `json:"unknown"`
}

// MaxReceiptsSize is the largest receipts file ReadReceipts accepts.
const MaxReceiptsSize = 64 << 20

// ReadReceipts decodes a receipts file strictly: one JSON document, no
// duplicate keys, no unknown fields.
func ReadReceipts(data []byte) (protocol.ReceiptsFile, error) {
	var f protocol.ReceiptsFile
	if len(data) > MaxReceiptsSize {
		return f, model.Errorf(model.ErrInvalid, "回执文件超过 %d MiB 上限", MaxReceiptsSize>>20)
	}
	if err := model.DecodeStrictJSON(data, "回执文件", &f); err != nil {
		return f, err
	}
	if f.Format != protocol.ReceiptsFormat {
		return f, model.Errorf(model.ErrInvalid, "回执文件格式 %q 不受支持（应为 %s）", f.Format, protocol.ReceiptsFormat)
	}
	return f, nil
}

// ApplyReceipts records a receipts file from `digilevel serve import`. The
// platform's receipt is the truth: a report it holds (matched by ID and
// SHA-256) is marked sent whatever the laptop believed before (queued,
// failed, held, even rejected). A refusal marks its report rejected with
// the server's reason, or held when it is about the report and the one who
// handed it in (403 provider_mismatch and the spot-check kind codes, see
// protocol.HeldCode), unless the same file holds a receipt for it; a server
// failure counts as a failed attempt. Applying the same file again changes
// nothing.
func ApplyReceipts(store *storage.DB, f protocol.ReceiptsFile, c model.Change) (ApplyResult, error) {
	res := ApplyResult{Unknown: []string{}}
	items, err := store.Outbox()
	if err != nil {
		return res, fmt.Errorf("读取发送队列: %w", err)
	}
	queued := map[string]storage.OutboxItem{}
	for _, it := range items {
		queued[it.AssessmentID] = it
	}
	received := map[string]bool{}
	var batch []storage.Receipt
	for _, r := range f.Receipts {
		it, ok := queued[r.ID]
		if !ok {
			a, err := store.Assessment(r.ID)
			switch {
			case err == nil && a.State == model.StateSent && a.ReportSHA256 == r.SHA256:
				res.AlreadySent++
				received[r.ID] = true
			case err == nil:
				return res, model.Errorf(model.ErrInvalid, "回执中的报告 %s（%s）与本机记录不符", r.ID, a.State.Label())
			default:
				res.Unknown = append(res.Unknown, r.ID)
			}
			continue
		}
		if r.SHA256 != it.SHA256 || r.ServerSeq == 0 {
			return res, model.Errorf(model.ErrInvalid, "回执中报告 %s 的校验值 %s 与本机报告 %s 不符，未作任何标记", r.ID, model.ShortHash(r.SHA256), model.ShortHash(it.SHA256))
		}
		received[r.ID] = true
		batch = append(batch, storage.Receipt{
			AssessmentID: r.ID, ServerSeq: r.ServerSeq, ReceivedAt: r.ReceivedAt, SHA256: r.SHA256, Server: "bundle:" + f.Bundle})
	}
	if len(batch) > 0 {
		errs, err := store.MarkSentBatch(batch, c)
		if err == nil {
			err = errors.Join(errs...)
		}
		if err != nil {
			return res, fmt.Errorf("保存平台回执: %w", err)
		}
		res.Marked = len(batch)
	}
	for _, rej := range f.Rejected {
		it, ok := queued[rej.ID]
		if !ok || received[rej.ID] || it.SHA256 != rej.SHA256 || it.State == model.StateRejected {
			continue
		}
		msg := serverText(rej.Message)
		// Refused for who handed it in, not for what it says: held, and sent
		// again by a later sync or bundle. Over the API a key mismatch is the
		// token's condition and pauses the queue; in a bundle's receipts it
		// is this report's, signed on a laptop whose key no token of the unit
		// is bound to yet.
		held := rej.Status == 403 && (protocol.HeldCode(rej.Code) || rej.Code == protocol.CodeKeyMismatch)
		var reason string
		switch {
		case held:
			reason = heldReason(rej.Code, msg+"（数据包导入）", rej.Status)
		default:
			reason = fmt.Sprintf("%s（数据包导入，HTTP %d）", msg, rej.Status)
		}
		if it.LastError == reason {
			continue // this file was applied before
		}
		switch {
		case held:
			// Held for no token: a later sync with the right token tries it.
			err = store.MarkHeld(rej.ID, reason, "", c)
			res.Held++
		case rej.Status >= 500:
			err = store.MarkAttemptFailed(rej.ID, reason, c)
			res.Failed++
		default:
			err = store.MarkRejected(rej.ID, reason, c)
			res.Rejected++
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}
