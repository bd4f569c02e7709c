package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/protocol"
)

// principal is who offers a report: a token over the API, or the provider
// an admin names when importing a bundle.
type principal struct {
	// provider is the provider (or, for an inspector, the unit) the token
	// was issued to, or the one the admin names for a bundle; a report's
	// assessor.org must be it.
	provider string
	// role decides which kinds may be uploaded: a provider uploads its
	// baselines and acceptances, an inspector its spot-checks.
	role    platform.Role
	tokenID string
	// anyProvider skips the provider check (office uploads in tests).
	anyProvider bool
	// keys, for imports, are the installation keys bound to the provider's
	// tokens; empty means none is bound yet and any valid signature is taken.
	keys []string
}

func perr(status int, code, format string, args ...any) *protocol.Error {
	return &protocol.Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// validate runs the document checks in the documented order (see the
// package doc, steps 3 to 7) and returns the verified document. A draft
// is refused as such (code draft) right after the catalog check: drafts
// are unsigned, and "signature missing" would hide what is wrong.
//
// The strict verification runs first because it decodes the document
// anyway; only when it fails is the body probed for its provider and
// catalog, so that the answer is still the one the documented order gives
// (another provider's report is 403 even when it is also broken).
func (s *Server) validate(p principal, pathID string, body []byte, headerSHA string) (model.ReportDocument, *protocol.Error) {
	doc, verr := s.verify(body)
	org, catalogHash := doc.Assessor.Org, doc.Catalog.Hash
	if verr != nil {
		var head struct {
			ID       string     `json:"id"`
			Kind     model.Kind `json:"kind"`
			Draft    bool       `json:"draft"`
			Assessor struct {
				Org string `json:"org"`
			} `json:"assessor"`
			Catalog struct {
				Hash string `json:"hash"`
			} `json:"catalog"`
		}
		if err := json.Unmarshal(body, &head); err != nil {
			return model.ReportDocument{}, perr(http.StatusUnprocessableEntity, protocol.CodeInvalidReport, "报告不是有效的 JSON 文档: %v", err)
		}
		org, catalogHash = head.Assessor.Org, head.Catalog.Hash
		// A draft carries no signature, so verification fails; say that
		// it is a draft rather than that its signature is missing.
		doc.ID, doc.Kind, doc.Draft = head.ID, head.Kind, head.Draft
	}
	if e := s.mayUpload(p, doc.ID, doc.Kind, catalogHash); e != nil {
		return model.ReportDocument{}, e
	}
	if !p.anyProvider && org != p.provider {
		if p.role == platform.RoleInspector {
			return model.ReportDocument{}, perr(http.StatusForbidden, protocol.CodeProviderMismatch,
				"抽查报告的抽查单位（评测机构）为「%s」，而令牌属于抽查单位「%s」；只能上传本单位的抽查报告", org, p.provider)
		}
		return model.ReportDocument{}, perr(http.StatusForbidden, protocol.CodeProviderMismatch,
			"报告的评测机构为「%s」，而令牌属于服务商「%s」；只能上传本机构的报告", org, p.provider)
	}
	cat, ok := s.catalogs[catalogHash]
	if !ok {
		return model.ReportDocument{}, perr(http.StatusUnprocessableEntity, protocol.CodeUnknownCatalog,
			"报告使用的指标目录 %q 不是平台认可的版本", catalogHash)
	}
	if doc.Draft {
		return model.ReportDocument{}, perr(http.StatusUnprocessableEntity, protocol.CodeDraft, "报告 %s 是草稿，只接收已定稿的报告", doc.ID)
	}
	if verr != nil {
		return model.ReportDocument{}, perr(http.StatusUnprocessableEntity, protocol.CodeInvalidReport, "%v", verr)
	}
	if err := model.CheckReportScore(cat, doc); err != nil {
		return model.ReportDocument{}, perr(http.StatusUnprocessableEntity, protocol.CodeInvalidReport, "%v", err)
	}
	if sha := model.HashReport(body); headerSHA != sha {
		return model.ReportDocument{}, perr(http.StatusUnprocessableEntity, protocol.CodeAlteredBody,
			"报告正文在传输中被改动（altered body）: 正文校验值 %s，%s 为 %s", sha[:12], protocol.HeaderSHA256, shortHash(headerSHA))
	}
	if pathID != doc.ID {
		return model.ReportDocument{}, perr(http.StatusUnprocessableEntity, protocol.CodeIDMismatch, "地址中的编号 %q 与报告编号 %s 不一致", pathID, doc.ID)
	}
	if doc.Enterprise.Code == "" {
		return model.ReportDocument{}, perr(http.StatusUnprocessableEntity, protocol.CodeInvalidReport, "报告 %s 没有企业统一社会信用代码", doc.ID)
	}
	if err := model.CheckSpotCheckLink(doc); err != nil {
		return model.ReportDocument{}, perr(http.StatusUnprocessableEntity, protocol.CodeInvalidReport, "%v", err)
	}
	if len(p.keys) > 0 && !slices.Contains(p.keys, doc.Signature.PublicKey) {
		return model.ReportDocument{}, perr(http.StatusForbidden, protocol.CodeKeyMismatch,
			"报告的签名密钥 %s 不是%s「%s」任何令牌绑定的设备密钥", platform.Fingerprint(doc.Signature.PublicKey), unitLabel(p.role), p.provider)
	}
	return doc, nil
}

// mayUpload is the rule of who uploads which kind: spot-checks (抽查) are
// the inspectors' and only theirs; baselines and acceptances the
// providers'. Both refusals are about this report and the token it came
// with (the laptop holds it and sends the others), so each has its own
// code. Office uploads (tests only) take any kind.
func (s *Server) mayUpload(p principal, id string, kind model.Kind, catalogHash string) *protocol.Error {
	bundle := p.tokenID == ""
	switch {
	case p.anyProvider:
	case kind == model.KindSpotCheck && p.role != platform.RoleInspector && bundle:
		return perr(http.StatusForbidden, protocol.CodeSpotCheckNeedsInspector,
			"报告 %s 是抽查报告，不能作为服务商交来的报告导入：抽查报告只能由抽查单位交来（digilevel serve import --role inspector）或用抽查人员令牌上传", id)
	case kind == model.KindSpotCheck && p.role != platform.RoleInspector:
		return perr(http.StatusForbidden, protocol.CodeSpotCheckNeedsInspector,
			"报告 %s 是抽查报告，服务商令牌不能上传抽查报告：抽查报告只能由抽查人员用抽查人员（inspector）令牌上传，请向区县主管部门申请", id)
	case kind != model.KindSpotCheck && p.role == platform.RoleInspector && bundle:
		return perr(http.StatusForbidden, protocol.CodeInspectorSpotCheckOnly,
			"报告 %s 是%s报告，抽查单位交来的数据包只能导入抽查报告；服务商的报告须以该服务商的名义导入", id, s.kindLabel(catalogHash, kind))
	case kind != model.KindSpotCheck && p.role == platform.RoleInspector:
		return perr(http.StatusForbidden, protocol.CodeInspectorSpotCheckOnly,
			"报告 %s 是%s报告，抽查人员令牌只能上传抽查报告；服务商的报告须用该服务商的令牌上传", id, s.kindLabel(catalogHash, kind))
	}
	return nil
}

// kindLabel names a kind as the report's catalog does (the kind ID when the
// catalog is unknown).
func (s *Server) kindLabel(catalogHash string, kind model.Kind) string {
	if cat, ok := s.catalogs[catalogHash]; ok {
		if l := cat.KindLabel(string(kind)); l != "" {
			return l
		}
	}
	return fmt.Sprintf("%q 类型的", kind)
}

// accept offers a verified document to the database and maps the outcome.
// sha is the body's hash, which validate has checked.
func (s *Server) accept(p principal, doc model.ReportDocument, body []byte, sha, idemKey, source string) (protocol.Receipt, int, *protocol.Error) {
	rec := platform.RecordOf(doc, sha, len(body))
	rec.TokenID, rec.Source = p.tokenID, source
	res, err := s.db.Put(platform.Submission{Record: rec, Body: body, IdempotencyKey: scopedKey(p, idemKey)})
	switch {
	case errors.Is(err, platform.ErrClosed):
		return protocol.Receipt{}, 0, perr(http.StatusServiceUnavailable, protocol.CodeUnavailable, "服务正在停止，请稍后重试")
	case err != nil:
		s.log.Error("store report", "id", doc.ID, "err", err)
		return protocol.Receipt{}, 0, perr(http.StatusInternalServerError, protocol.CodeInternal, "服务器保存报告失败，请稍后重试")
	}
	receipt := func(status string) protocol.Receipt {
		return protocol.Receipt{ID: res.Record.ID, ServerSeq: res.Record.Seq, ReceivedAt: jsonTime(res.Record.ReceivedAt), SHA256: res.Record.SHA256, Status: status}
	}
	switch res.Outcome {
	case platform.Created:
		return receipt(protocol.StatusCreated), http.StatusCreated, nil
	case platform.Existing:
		return receipt(protocol.StatusExisting), http.StatusOK, nil
	case platform.Conflict:
		return protocol.Receipt{}, 0, perr(http.StatusConflict, protocol.CodeConflict, "%s", res.Reason)
	case platform.KeyMismatch:
		return protocol.Receipt{}, 0, perr(http.StatusForbidden, protocol.CodeKeyMismatch, "%s", res.Reason)
	case platform.TokenInactive:
		return protocol.Receipt{}, 0, perr(http.StatusUnauthorized, protocol.CodeUnauthorized, "%s", res.Reason)
	case platform.CheckedMismatch:
		return protocol.Receipt{}, 0, perr(http.StatusConflict, protocol.CodeCheckedMismatch, "%s", res.Reason)
	}
	return protocol.Receipt{}, 0, perr(http.StatusInternalServerError, protocol.CodeInternal, "未知的保存结果 %d", res.Outcome)
}

// scopedKey stores an Idempotency-Key under the token that sent it (or
// under bundle imports), so a key names one report only within its scope:
// a client-chosen key cannot occupy another provider's upload, even one
// derived from that provider's printed report (ID and SHA-256).
func scopedKey(p principal, key string) string {
	if key == "" {
		return ""
	}
	if p.tokenID == "" {
		return "bundle " + key
	}
	return "token " + p.tokenID + " " + key
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	if h == "" {
		return "（空）"
	}
	return h
}

// unitLabel names who holds a role's tokens in a message: a provider
// (服务商) or an inspection unit (抽查单位).
func unitLabel(r platform.Role) string {
	if r == platform.RoleInspector {
		return "抽查单位"
	}
	return "服务商"
}
