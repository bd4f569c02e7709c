package server

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/protocol"
)

// evidenceTransferTime bounds reading or writing one evidence file (up to
// 64 MiB: about 75 KB/s over a poor rural uplink); the server's 60 s
// connection limits are for reports.
const evidenceTransferTime = 15 * time.Minute

// evidenceRoutes are the evidence and identity routes of the route table.
// They call only the store's PutEvidence, HasEvidence and Evidence (and
// the token check).
func (s *Server) evidenceRoutes() []route {
	file := protocol.EvidencePath + "/{sha256}"
	return []route{
		{Route{http.MethodHead, file}, s.handleEvidenceHead},
		{Route{http.MethodPut, file}, s.handleEvidencePut},
		{Route{http.MethodGet, file}, s.handleEvidenceGet},
		{Route{http.MethodGet, protocol.WhoamiPath}, s.handleWhoami},
	}
}

// uploader authenticates a request that may send data: provider and
// inspector tokens (a spot-check has evidence too), and the office where
// tests allow it.
func (s *Server) uploader(w http.ResponseWriter, r *http.Request) (platform.Token, bool) {
	tok, e := s.authenticate(r)
	if e != nil {
		writeError(w, e)
		return tok, false
	}
	setToken(w, tok.ID)
	if tok.Role == platform.RoleProvider || tok.Role == platform.RoleInspector || (tok.Role == platform.RoleOffice && s.allowOfficeUpload) {
		return tok, true
	}
	writeError(w, perr(http.StatusForbidden, protocol.CodeForbidden, "%s令牌不能上传佐证材料", tok.Role.Label()))
	return tok, false
}

// evidenceHash reads {sha256} from the path.
func evidenceHash(w http.ResponseWriter, r *http.Request) (string, bool) {
	sha := r.PathValue("sha256")
	if !hexSHA256.MatchString(sha) {
		writeError(w, perr(http.StatusBadRequest, protocol.CodeBadRequest, "地址中的佐证材料校验值 %q 无效（应为 SHA-256，64 位小写十六进制）", sha))
		return "", false
	}
	return sha, true
}

// handleEvidenceHead says whether the platform holds a file, so the
// laptop sends only what is missing. Uploaders and readers may ask.
func (s *Server) handleEvidenceHead(w http.ResponseWriter, r *http.Request) {
	tok, e := s.authenticate(r)
	if e != nil {
		w.WriteHeader(e.Status)
		return
	}
	setToken(w, tok.ID)
	sha, ok := evidenceHash(w, r)
	if !ok {
		return
	}
	has, err := s.db.HasEvidence(sha)
	switch {
	case err != nil:
		s.log.Error("has evidence", "sha256", sha, "err", err)
		w.WriteHeader(http.StatusInternalServerError)
	case has:
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// handleEvidencePut stores a file under its hash: idempotent, one copy per
// content whoever sends it.
func (s *Server) handleEvidencePut(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.uploader(w, r); !ok {
		return
	}
	sha, ok := evidenceHash(w, r)
	if !ok {
		return
	}
	if r.ContentLength > protocol.MaxEvidenceSize {
		writeError(w, evidenceTooLarge())
		return
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(evidenceTransferTime))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, protocol.MaxEvidenceSize))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		writeError(w, evidenceTooLarge())
		return
	case err != nil:
		writeError(w, perr(http.StatusBadRequest, protocol.CodeBadRequest, "读取佐证材料失败: %v", err))
		return
	}
	sum := sha256.Sum256(body)
	if got := hex.EncodeToString(sum[:]); got != sha {
		writeError(w, perr(http.StatusUnprocessableEntity, protocol.CodeAlteredBody,
			"佐证材料在传输中被改动（altered body）: 内容校验值 %s，地址为 %s", got[:12], sha[:12]))
		return
	}
	_, created, err := s.db.PutEvidence(body)
	switch {
	case errors.Is(err, platform.ErrClosed):
		writeError(w, perr(http.StatusServiceUnavailable, protocol.CodeUnavailable, "服务正在停止，请稍后重试"))
		return
	case err != nil:
		s.log.Error("store evidence", "sha256", sha, "err", err)
		writeError(w, perr(http.StatusInternalServerError, protocol.CodeInternal, "服务器保存佐证材料失败，请稍后重试"))
		return
	}
	status, code := protocol.StatusExisting, http.StatusOK
	if created {
		status, code = protocol.StatusCreated, http.StatusCreated
	}
	writeJSON(w, code, protocol.EvidenceReceipt{SHA256: sha, Size: int64(len(body)), Status: status})
}

func evidenceTooLarge() *protocol.Error {
	return perr(http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "佐证材料超过 %d MB 上限", protocol.MaxEvidenceSize>>20)
}

// handleEvidenceGet returns a file byte for byte to inspectors and the office.
func (s *Server) handleEvidenceGet(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.reader(w, r); !ok {
		return
	}
	sha, ok := evidenceHash(w, r)
	if !ok {
		return
	}
	data, err := s.db.Evidence(sha)
	switch {
	case errors.Is(err, model.ErrNotFound):
		writeError(w, perr(http.StatusNotFound, protocol.CodeNotFound, "佐证材料 %s 不存在", sha[:12]))
		return
	case err != nil:
		s.log.Error("read evidence", "sha256", sha, "err", err)
		writeError(w, perr(http.StatusInternalServerError, protocol.CodeInternal, "读取佐证材料失败"))
		return
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(evidenceTransferTime))
	h := w.Header()
	h.Set("Content-Type", protocol.EvidenceContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set(protocol.HeaderSHA256, sha)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// missingEvidence refuses a report naming a file the platform does not
// hold: every report the platform keeps is complete.
func (s *Server) missingEvidence(doc model.ReportDocument) *protocol.Error {
	for _, sha := range model.EvidenceHashes(doc.Evidence) {
		has, err := s.db.HasEvidence(sha)
		if err != nil {
			s.log.Error("has evidence", "sha256", sha, "err", err)
			return perr(http.StatusInternalServerError, protocol.CodeInternal, "服务器读取佐证材料失败，请稍后重试")
		}
		if !has {
			return perr(http.StatusUnprocessableEntity, protocol.CodeMissingFile,
				"报告 %s 引用的佐证材料 %s 尚未上传: 请先上传佐证材料（PUT %s/{sha256}），再上传报告", doc.ID, shortHash(sha), protocol.EvidencePath)
		}
	}
	return nil
}

// handleWhoami tells any valid token who it belongs to.
func (s *Server) handleWhoami(w http.ResponseWriter, r *http.Request) {
	tok, e := s.authenticate(r)
	if e != nil {
		writeError(w, e)
		return
	}
	setToken(w, tok.ID)
	writeJSON(w, http.StatusOK, protocol.Whoami{TokenID: tok.ID, Provider: tok.Provider, Role: string(tok.Role), ExpiresAt: tok.ExpiresAt})
}
