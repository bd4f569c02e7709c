package server

import (
	"net/http"
	"unicode/utf8"

	"digilevel/storage/platform"
	"digilevel/sync/protocol"
)

// rejectable reports whether a refusal is for a reason of the report
// itself, which the office counts against whoever offered it (服务商绩效):
// the report's organisation, kind or signing key does not go with the token
// (403 provider_mismatch, spotcheck_requires_inspector,
// inspector_spotcheck_only, key_mismatch), a conflict (409), too large
// (413) or invalid (422). A missing or bad token, a role that may not
// upload (403 forbidden), a malformed request and the server's own failures
// are not the report's.
func rejectable(e *protocol.Error) bool {
	switch e.Status {
	case http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return true
	case http.StatusForbidden:
		return e.Code == protocol.CodeKeyMismatch || protocol.HeldCode(e.Code)
	}
	return false
}

// recordRejection keeps a refusal for the office's dashboard. It never
// changes the answer: a storage failure is logged and the upload is refused
// as it would have been.
func (s *Server) recordRejection(p principal, source, id, sha string, e *protocol.Error) {
	if !rejectable(e) || p.provider == "" {
		return
	}
	if !hexSHA256.MatchString(sha) {
		sha = ""
	}
	_, err := s.db.RecordRejection(platform.Rejection{At: s.now(), Provider: p.provider, Role: p.role, TokenID: p.tokenID, Source: source,
		ReportID: clip(id, 100), SHA256: sha, Status: e.Status, Code: e.Code, Message: clip(e.Message, 500)})
	if err != nil {
		s.log.Error("record rejection", "id", id, "err", err)
	}
}

// clip keeps at most n runes of s: a path ID is the client's and may be
// anything up to the header limit.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
