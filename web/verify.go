package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"digilevel/model"
	"digilevel/storage/platform"
)

// The 核验 page answers whether the platform holds exactly the report a
// printed copy names: its ID and its SHA-256, typed in or read from the
// QR code printed on the report. ParseReportRef says which texts it takes.

var (
	idPattern  = regexp.MustCompile(`[0-9A-HJKMNP-TV-Z]{26}`)
	shaPattern = regexp.MustCompile(`[0-9a-fA-F]{64}`)
)

// ParseReportRef reads a report ID and SHA-256 from what a person pasted or
// a scanner typed. It takes, in this order:
//
//   - a verify URL, as the printed QR code may hold it:
//     https://平台地址/verify?id=<ID>&sha256=<hex> (the parameters may also be
//     named report and hash);
//   - what the QR code of a printed report holds (report.QRPayload):
//     "digilevel-report:<ID>;sha256:<hex>";
//   - any text holding a 26-character report ID (Crockford base32) and a
//     64-digit hex SHA-256 in any order, separated by anything that is
//     neither (spaces, line breaks, commas, colons, JSON punctuation).
//
// The hash is returned lower case. A text with no ID or no hash, or with
// two different ones of either, is refused with the reason in Chinese.
func ParseReportRef(s string) (id, sha string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", model.Errorf(model.ErrInvalid, "请输入报告编号与 SHA-256，或粘贴二维码内容")
	}
	if u, perr := url.Parse(s); perr == nil && u.RawQuery != "" && (u.Scheme != "" || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "?")) {
		q := u.Query()
		id, sha = firstOf(q, "id", "report"), firstOf(q, "sha256", "hash")
		if id != "" || sha != "" {
			return checkRef(id, sha)
		}
	}
	s = strings.TrimPrefix(s, "digilevel-report:")
	ids := unique(idPattern.FindAllString(strings.ToUpper(s), -1))
	shas := unique(shaPattern.FindAllString(strings.ToLower(s), -1))
	// A hash's upper-cased digits may look like an ID: drop IDs inside a hash.
	var kept []string
	for _, x := range ids {
		inside := false
		for _, h := range shas {
			if strings.Contains(strings.ToUpper(h), x) {
				inside = true
			}
		}
		if !inside {
			kept = append(kept, x)
		}
	}
	switch {
	case len(kept) > 1:
		return "", "", model.Errorf(model.ErrInvalid, "输入中有 %d 个不同的报告编号，请只输入一份报告的编号与 SHA-256", len(kept))
	case len(shas) > 1:
		return "", "", model.Errorf(model.ErrInvalid, "输入中有 %d 个不同的 SHA-256，请只输入一份报告的编号与 SHA-256", len(shas))
	}
	if len(kept) == 1 {
		id = kept[0]
	}
	if len(shas) == 1 {
		sha = shas[0]
	}
	return checkRef(id, sha)
}

func firstOf(q url.Values, names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(q.Get(n)); v != "" {
			return v
		}
	}
	return ""
}

func unique(list []string) []string {
	var out []string
	for _, x := range list {
		dup := false
		for _, y := range out {
			dup = dup || x == y
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

func checkRef(id, sha string) (string, string, error) {
	id, sha = strings.ToUpper(strings.TrimSpace(id)), strings.ToLower(strings.TrimSpace(sha))
	switch {
	case id == "":
		return "", "", model.Errorf(model.ErrInvalid, "没有找到报告编号（26 位字母数字，印在报告首页与每页页眉）")
	case !model.ValidID(id):
		return "", "", model.Errorf(model.ErrInvalid, "报告编号 %q 格式不对：应为 26 位字母数字（不含 I、L、O、U）", model.DisplaySafe(id, false))
	case sha == "":
		return "", "", model.Errorf(model.ErrInvalid, "没有找到 SHA-256 校验值（64 位十六进制，印在报告的签名页）")
	case len(sha) != 64 || !shaPattern.MatchString(sha):
		return "", "", model.Errorf(model.ErrInvalid, "SHA-256 校验值应为 64 位十六进制数字（0-9、a-f）")
	}
	return id, sha, nil
}

// verifyData is the 核验 page.
type verifyData struct {
	ID, SHA, Payload string
	Asked            bool
	Problem          string
	// Verdict is "match", "other" (same ID, other content) or "missing".
	Verdict string
	Info    platform.Record
	// Key names the installation that signed the report.
	Key   string
	Kind  string
	Name  string
	Level string
	State string
}

func (d *Dashboard) verifyPage(w http.ResponseWriter, r *request) {
	q := r.URL.Query()
	data := verifyData{ID: q.Get("id"), SHA: q.Get("sha256"), Payload: q.Get("payload")}
	status := http.StatusOK
	if data.ID != "" || data.SHA != "" || data.Payload != "" {
		data.Asked = true
		input := data.Payload
		if input == "" {
			input = data.ID + " " + data.SHA
		}
		id, sha, err := ParseReportRef(input)
		if err != nil {
			data.Problem = err.Error()
			status = http.StatusBadRequest
		} else {
			data.ID, data.SHA = id, sha
			status = d.verify(&data, r)
			if status == http.StatusInternalServerError {
				d.errorPage(w, r.Request, status, "服务器错误", "读取报告失败，请稍后重试。")
				return
			}
		}
	}
	d.render(w, r.Request, status, "verify", page{Title: "核验", Nav: "verify", CSRF: r.session.CSRF, Body: data})
}

// verify looks the report up and fills the verdict.
func (d *Dashboard) verify(data *verifyData, r *request) int {
	info, body, err := d.store.Report(data.ID)
	switch {
	case errors.Is(err, model.ErrNotFound):
		data.Verdict = "missing"
		return http.StatusOK
	case err != nil:
		d.log.Error("verify", "err", err)
		return http.StatusInternalServerError
	}
	data.Info, data.Key = info, platform.Fingerprint(info.PublicKey)
	data.Kind = d.catalog.KindLabel(info.Kind)
	if model.HashReport(body) != info.SHA256 {
		// Serve check would report it; the page must not vouch for it.
		data.Verdict = "other"
		data.Problem = "平台保存的报告原文与其记录的校验值不符，请联系平台管理员执行 digilevel serve check。"
		return http.StatusOK
	}
	if info.SHA256 != data.SHA {
		data.Verdict = "other"
		return http.StatusOK
	}
	data.Verdict = "match"
	var f reportFacts
	if err := decodeFacts(body, &f); err == nil {
		data.Name = safe(f.Enterprise.Name)
	}
	data.Level = d.catalog.LevelName(info.Level)
	data.State = "当前版本"
	if info.ReplacedBy != "" {
		data.State = "已被修订版 " + info.ReplacedBy + " 取代"
	}
	return http.StatusOK
}
