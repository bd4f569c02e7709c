package server

import (
	"fmt"
	"net/http"
	"sort"

	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/bundle"
	"digilevel/sync/protocol"
)

// Import accepts the reports of a bundle by the rules of the API, for the
// provider (role provider) or inspection unit (role inspector) the admin
// names: the one who handed the bundle in, as a token of that name and
// role would upload it. The kind check (spot-checks from inspectors only,
// other reports from providers only), the provider check, the catalog, the
// signature, the score, the manifest's hash as the header hash, drafts,
// conflicts, spot-check links. The signing key must be one bound to an
// active token of that name and role, when any is bound. Each report's
// evidence files must be in the bundle and are stored before the report.
// Importing the same bundle again changes nothing and gives the same
// receipts.
func (s *Server) Import(b *bundle.Bundle, provider string, role platform.Role) (protocol.ReceiptsFile, error) {
	out := protocol.ReceiptsFile{Format: protocol.ReceiptsFormat, Bundle: b.SHA256, Provider: provider,
		CreatedAt: jsonTime(s.now()), Receipts: []protocol.Receipt{}, Rejected: []protocol.Rejection{}}
	if provider == "" {
		return out, model.Errorf(model.ErrInvalid, "导入数据包须指定交来数据包的服务商（或抽查单位）")
	}
	if role != platform.RoleProvider && role != platform.RoleInspector {
		return out, model.Errorf(model.ErrInvalid, "导入数据包的角色应为 provider（服务商）或 inspector（抽查单位），实际 %q", role)
	}
	p, err := s.importPrincipal(provider, role)
	if err != nil {
		return out, err
	}
	for _, r := range b.Reports {
		receipt, e := s.importOne(p, b, r)
		if e != nil {
			out.Rejected = append(out.Rejected, protocol.Rejection{ID: r.Entry.ID, SHA256: r.Entry.SHA256, Status: e.Status, Code: e.Code, Message: e.Message})
			s.recordRejection(p, platform.SourceBundle, r.Entry.ID, r.Entry.SHA256, e)
			continue
		}
		out.Receipts = append(out.Receipts, receipt)
	}
	return out, nil
}

func (s *Server) importPrincipal(provider string, role platform.Role) (principal, error) {
	tokens, err := s.db.Tokens()
	if err != nil {
		return principal{}, fmt.Errorf("读取令牌: %w", err)
	}
	p := principal{provider: provider, role: role}
	now := s.now()
	for _, t := range tokens {
		if t.Provider == provider && t.Role == role && t.Active(now) && t.PublicKey != "" {
			p.keys = append(p.keys, t.PublicKey)
		}
	}
	sort.Strings(p.keys)
	return p, nil
}

func (s *Server) importOne(p principal, b *bundle.Bundle, r bundle.Report) (protocol.Receipt, *protocol.Error) {
	switch r.Problem {
	case bundle.Missing:
		return protocol.Receipt{}, perr(http.StatusUnprocessableEntity, protocol.CodeMissingFile, "数据包中缺少报告文件 %s", r.Entry.File)
	case bundle.TooLarge:
		return protocol.Receipt{}, tooLarge()
	}
	doc, e := s.validate(p, r.Entry.ID, r.Body, r.Entry.SHA256)
	if e != nil {
		return protocol.Receipt{}, e
	}
	refs := make([]string, 0, len(doc.Evidence))
	for ref := range doc.Evidence {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		for _, ev := range doc.Evidence[ref] {
			if !b.HasEvidence(ev.SHA256) {
				return protocol.Receipt{}, perr(http.StatusUnprocessableEntity, protocol.CodeMissingFile,
					"数据包中缺少 %s 的佐证材料 %s（sha256 %s）", ref, ev.Path, shortHash(ev.SHA256))
			}
		}
	}
	for _, ref := range refs {
		for _, ev := range doc.Evidence[ref] {
			data, err := b.Evidence(ev.SHA256)
			if err != nil {
				return protocol.Receipt{}, perr(http.StatusUnprocessableEntity, protocol.CodeMissingFile, "%v", err)
			}
			if _, _, err := s.db.PutEvidence(data); err != nil {
				s.log.Error("store evidence", "sha256", ev.SHA256, "err", err)
				return protocol.Receipt{}, perr(http.StatusInternalServerError, protocol.CodeInternal, "保存佐证材料失败: %v", err)
			}
		}
	}
	receipt, _, e := s.accept(p, doc, r.Body, r.Entry.SHA256, protocol.IdempotencyKey(doc.ID, r.Entry.SHA256), platform.SourceBundle)
	return receipt, e
}
