package platform

// The records of the district office's dashboard (package web): browser
// sessions, refused uploads and the office's Art. 25 findings.

import (
	"fmt"
	"strings"
	"time"

	"digilevel/model"
)

// Session is a browser signed in to the district dashboard with an office
// token. Only the SHA-256 of the session ID (the cookie's value) is stored,
// so a copy of the database opens no session. CSRF is the session's
// anti-forgery token, sent back with every form.
type Session struct {
	IDHash    string    `json:"id_sha256"`
	TokenID   string    `json:"token_id"`
	CSRF      string    `json:"csrf"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Valid reports whether the session may be used at now.
func (s Session) Valid(now time.Time) bool { return now.Before(s.ExpiresAt) }

// Rejection is an upload the platform refused for a reason of the report
// itself (its provider, key, kind, content, size, or a conflict), from a
// token or in a bundle. Failures of the request (no
// token, a bad header) and of the server are not rejections. Seq orders
// them; the same report refused again for the same reason is kept once.
type Rejection struct {
	Seq uint64    `json:"seq"`
	At  time.Time `json:"at"`
	// Provider is who offered the report: the token's provider or
	// inspection unit, or the one an admin named for a bundle; Role is
	// theirs (RoleProvider or RoleInspector).
	Provider string `json:"provider"`
	Role     Role   `json:"role"`
	TokenID  string `json:"token_id,omitempty"`
	Source   string `json:"source"`
	ReportID string `json:"report_id"`
	SHA256   string `json:"sha256,omitempty"`
	Status   int    `json:"status"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

// Key identifies a rejection for de-duplication: provider, report, hash
// and reason code.
func (r Rejection) Key() string {
	return strings.Join([]string{r.Provider, r.ReportID, r.SHA256, r.Code}, "\x00")
}

// Exclusion records the office's finding on Art. 25 for one enterprise:
// the reasons (policy exclusion IDs) that void its reward, or none (the
// finding withdrawn). Exclusions are appended, never changed: the latest
// one for an enterprise holds, the others are its history.
type Exclusion struct {
	Seq        uint64    `json:"seq"`
	Enterprise string    `json:"enterprise"`
	Reasons    []string  `json:"reasons"`
	Note       string    `json:"note"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

// Validate checks an exclusion before it is stored: a credit code, known
// reasons, a note that passes the text rule, and who recorded it.
func (x Exclusion) Validate(p model.RewardPolicy) error {
	if err := model.ValidateCreditCode(x.Enterprise); err != nil {
		return model.Errorf(model.ErrInvalid, "统一社会信用代码 %q 无效: %v", model.DisplaySafe(x.Enterprise, false), err)
	}
	known := map[string]bool{}
	for _, e := range p.Exclusions {
		known[e.ID] = true
	}
	for _, id := range x.Reasons {
		if !known[id] {
			return model.Errorf(model.ErrInvalid, "不予支持情形 %q 不在奖补政策中", model.DisplaySafe(id, false))
		}
	}
	if len(x.Reasons) > 0 && strings.TrimSpace(x.Note) == "" {
		return model.Errorf(model.ErrInvalid, "记录不予支持情形须写明依据（例如核实材料、会议纪要）")
	}
	if err := model.CheckText(x.Note, model.TextRule{Label: "依据说明", Max: model.MaxTextLength, Multiline: true}); err != nil {
		return err
	}
	if x.By == "" {
		return model.Errorf(model.ErrInvalid, "缺少记录人")
	}
	return nil
}

// SameRejection says whether a stored rejection is the one offered again to
// RestoreRejection (nil) or another one under the same sequence number.
func SameRejection(stored, offered Rejection) error {
	if stored.Key() != offered.Key() || !stored.At.Equal(offered.At) || stored.Message != offered.Message {
		return fmt.Errorf("拒收记录 %d 已以不同的内容保存", offered.Seq)
	}
	return nil
}

// SameExclusion says whether a stored exclusion record is the one offered
// again to RestoreExclusion (nil) or another one under the same sequence
// number.
func SameExclusion(stored, offered Exclusion) error {
	if stored.Enterprise != offered.Enterprise || strings.Join(stored.Reasons, ",") != strings.Join(offered.Reasons, ",") ||
		stored.Note != offered.Note || stored.By != offered.By || !stored.At.Equal(offered.At) {
		return fmt.Errorf("不予支持情形记录 %d 已以不同的内容保存", offered.Seq)
	}
	return nil
}

// StoredTime is a time as the dashboard's records keep it: UTC, to the
// microsecond (what PostgreSQL stores), so both engines agree.
func StoredTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// PrepareSession checks a session offered to an engine and keeps its times
// to the microsecond.
func PrepareSession(x Session) (Session, error) {
	if len(x.IDHash) != 64 || x.TokenID == "" || x.CSRF == "" || x.ExpiresAt.IsZero() {
		return x, model.Errorf(model.ErrInvalid, "会话缺少编号摘要、令牌、防伪令牌或过期时间")
	}
	x.CreatedAt, x.ExpiresAt = StoredTime(x.CreatedAt), StoredTime(x.ExpiresAt)
	return x, nil
}

// PrepareRejection checks a rejection offered to an engine (restored: with
// its sequence number) and sets its time: now when unset, to the
// microsecond.
func PrepareRejection(r Rejection, now time.Time, restored bool) (Rejection, error) {
	if r.Provider == "" || r.Code == "" || restored && r.Seq == 0 {
		return r, model.Errorf(model.ErrInvalid, "拒收记录缺少服务商、原因代码或序号")
	}
	if r.At.IsZero() {
		r.At = now
	}
	r.At = StoredTime(r.At)
	return r, nil
}

// PrepareExclusion checks an exclusion record offered to an engine
// (restored: with its sequence number), and sets its time (now when unset,
// to the microsecond) and an empty list of reasons for a withdrawal.
func PrepareExclusion(x Exclusion, now time.Time, restored bool) (Exclusion, error) {
	if x.Enterprise == "" || x.By == "" || restored && x.Seq == 0 {
		return x, model.Errorf(model.ErrInvalid, "不予支持情形记录缺少企业、记录人或序号")
	}
	if x.Reasons == nil {
		x.Reasons = []string{}
	}
	if x.At.IsZero() {
		x.At = now
	}
	x.At = StoredTime(x.At)
	return x, nil
}
