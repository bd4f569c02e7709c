package storage

import (
	"bytes"
	"errors"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// Reports of other laptops live beside this laptop's own assessments, never
// among them: a pulled report is not in the summary index, the outbox or an
// export's own columns, and nothing changes it after the pull. See
// model.PulledReport.

// PullStatus says what StorePulled did with a report.
type PullStatus string

// Outcomes of StorePulled.
const (
	PullStored   PullStatus = "stored"   // new on this laptop
	PullExisting PullStatus = "existing" // the same bytes were pulled before; nothing changed
)

// PullOutcome is what StorePulled did.
type PullOutcome struct {
	Report model.PulledReport
	Status PullStatus
	// EnterpriseCreated is true when the enterprise file was created from
	// the report because this laptop did not have it.
	EnterpriseCreated bool
}

// StorePulled takes in a finalized report of another laptop: it checks the
// bytes (model.CheckPulled with the catalog the report names, which must be
// embedded or stored here), creates the enterprise file from the report when
// this laptop has none, and stores the bytes, their record and an audit
// entry in one transaction. Pulling the same bytes again changes nothing
// (PullExisting). A report this laptop finalized itself, or other bytes
// under an ID already pulled, are refused; a refused report stores nothing.
func (db *DB) StorePulled(data []byte, origin model.PullOrigin, c model.Change) (PullOutcome, error) {
	c = db.change(c)
	probe, err := model.VerifyReport(data)
	if err != nil {
		return PullOutcome{}, err
	}
	sha := model.HashReport(data)
	var out PullOutcome
	err = db.bolt.View(func(tx *bolt.Tx) error {
		p, ok, err := getPulled(tx, probe.ID)
		if err == nil && ok && p.SHA256 == sha {
			out = PullOutcome{Report: p, Status: PullExisting}
		}
		return err
	})
	if err != nil || out.Status == PullExisting {
		return out, err
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		cat, err := db.catalogFor(tx, probe.Catalog.Hash)
		if errors.Is(err, model.ErrNotFound) {
			return model.Errorf(model.ErrForeignReport, "报告 %s 使用的指标目录（%s 版 %s）不在本机，无法重新计分核对，未保存",
				probe.ID, model.DisplaySafe(probe.Catalog.Edition, false), model.ShortHash(probe.Catalog.Hash))
		}
		if err != nil {
			return err
		}
		doc, err := model.CheckPulled(cat, data)
		if err != nil {
			return err
		}
		if tx.Bucket(bucketAssessments).Get([]byte(doc.ID)) != nil {
			return model.Errorf(model.ErrExists, "报告 %s 是本机自己的评测，不需要拉取", doc.ID)
		}
		if old, ok, err := getPulled(tx, doc.ID); err != nil {
			return err
		} else if ok {
			if old.SHA256 == sha {
				out = PullOutcome{Report: old, Status: PullExisting}
				return nil
			}
			return model.Errorf(model.ErrForeignReport, "本机已有报告 %s（校验值 %s），这次收到的内容不同（%s）：定稿报告不应改变，未覆盖，请与区县主管部门核实",
				doc.ID, model.ShortHash(old.SHA256), model.ShortHash(sha))
		}
		if _, err := getEnterprise(tx, doc.Enterprise.Code); errors.Is(err, model.ErrNotFound) {
			e := doc.Enterprise
			e.Normalize()
			e.Demo, e.CreatedAt, e.UpdatedAt = false, c.Now, c.Now
			if e.Provider == "" { // the report's assessor is the enterprise's service provider
				e.Provider = doc.Assessor.Org
			}
			entry := model.AuditEntry{At: c.Now, Who: c.Who, Action: "enterprise_pull", New: e.Name, Reason: "由拉取的报告 " + doc.ID + " 建立"}
			if err := putEnterprise(tx, e, entry); err != nil {
				return err
			}
			out.EnterpriseCreated = true
		} else if err != nil {
			return err
		}
		p := model.NewPulledReport(doc, data, origin, c)
		if err := boltkit.PutJSON(tx.Bucket(bucketPulled), []byte(p.ID), p); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPulledReports).Put([]byte(p.ID), bytes.Clone(data)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPulledIndex).Put(pulledIndexKey(p.Enterprise, p.ID), nil); err != nil {
			return err
		}
		entry := model.AuditEntry{At: c.Now, Who: c.Who, Action: ActionPull, Item: p.ID,
			New: fmt.Sprintf("%s sha256:%s", origin.Text(), sha), Reason: c.Reason}
		if err := appendAudit(tx, p.ID, entry); err != nil {
			return err
		}
		out.Report, out.Status = p, PullStored
		return nil
	})
	if err != nil {
		return PullOutcome{}, err
	}
	return out, nil
}

// ActionPull is the audit action of a pulled report.
const ActionPull = "pull"

func pulledIndexKey(code, id string) []byte { return []byte(code + "/" + id) }

func getPulled(tx *bolt.Tx, id string) (model.PulledReport, bool, error) {
	var p model.PulledReport
	v := tx.Bucket(bucketPulled).Get([]byte(id))
	if v == nil {
		return p, false, nil
	}
	return p, true, boltkit.Decode(v, &p)
}

// pulledOf lists the pulled reports of one enterprise in ID order (the
// order the provider created them).
func pulledOf(tx *bolt.Tx, code string) ([]model.PulledReport, error) {
	var out []model.PulledReport
	prefix := []byte(code + "/")
	c := tx.Bucket(bucketPulledIndex).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		p, ok, err := getPulled(tx, string(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("拉取报告索引中的 %s 没有记录: %w", k, ErrNotDatabase)
		}
		out = append(out, p)
	}
	return out, nil
}

// spotChecksOf decodes the spot-checks of one enterprise (the summary index
// names them without decoding anything else).
func spotChecksOf(tx *bolt.Tx, code string) ([]model.Assessment, error) {
	raw := tx.Bucket(bucketSummaries).Get([]byte(code))
	if raw == nil {
		return nil, nil
	}
	s, err := decodeSummary(raw)
	if err != nil {
		return nil, err
	}
	var out []model.Assessment
	for _, line := range s.Assessments {
		if line.Kind != model.KindSpotCheck {
			continue
		}
		a, err := getAssessment(tx, line.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func sealInTx(tx *bolt.Tx, code string) (model.Seal, error) {
	checks, err := spotChecksOf(tx, code)
	if err != nil {
		return model.Seal{}, err
	}
	return model.SealFor(blindSetting(tx), code, checks), nil
}

// Seal says whether the rating in the pulled reports of an enterprise is
// hidden (see model.SealFor).
func (db *DB) Seal(code string) (model.Seal, error) {
	var s model.Seal
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		s, err = sealInTx(tx, model.NormalizeCreditCode(code))
		return err
	})
	return s, err
}

// PulledReports lists the pulled reports of an enterprise (all when code is
// empty), by enterprise and then in the order the provider created them.
// While a blind spot-check seals an enterprise its reports come Masked:
// identity, provider, times and hashes, but no score or level. ReplacedBy is
// filled from the other pulled reports.
func (db *DB) PulledReports(code string) ([]PulledInfo, error) {
	var out []PulledInfo
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var codes []string
		if code != "" {
			codes = []string{model.NormalizeCreditCode(code)}
		} else {
			seen := map[string]bool{}
			_ = tx.Bucket(bucketPulledIndex).ForEach(func(k, _ []byte) error {
				c, _, _ := bytes.Cut(k, []byte("/"))
				if !seen[string(c)] {
					seen[string(c)] = true
					codes = append(codes, string(c))
				}
				return nil
			})
		}
		for _, c := range codes {
			list, err := pulledOf(tx, c)
			if err != nil {
				return err
			}
			seal, err := sealInTx(tx, c)
			if err != nil {
				return err
			}
			out = append(out, describePulled(list, seal)...)
		}
		return nil
	})
	return out, err
}

// PulledInfo is a pulled report as lists show it: the record (masked while
// sealed) and which pulled report replaces it, if any.
type PulledInfo struct {
	model.PulledReport
	ReplacedBy string `json:"replaced_by,omitempty"`
	SealReason string `json:"seal_reason,omitempty"`
}

func describePulled(list []model.PulledReport, seal model.Seal) []PulledInfo {
	by := map[string]string{}
	for _, p := range list {
		if p.Replaces != "" {
			by[p.Replaces] = p.ID
		}
	}
	out := make([]PulledInfo, 0, len(list))
	for _, p := range list {
		info := PulledInfo{PulledReport: p, ReplacedBy: by[p.ID]}
		if seal.Sealed {
			info.PulledReport, info.SealReason = p.Masked(), seal.Reason
		}
		out = append(out, info)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Enterprise < out[j].Enterprise })
	return out
}

// PulledReport returns a pulled report and its signed bytes. While a blind
// spot-check seals its enterprise it refuses with the reason (wrapping
// model.ErrState): the bytes hold the provider's answers and level. An ID
// that is not pulled is model.ErrNotFound, with a hint when it is this
// laptop's own assessment.
func (db *DB) PulledReport(id string) (model.PulledReport, []byte, error) {
	var p model.PulledReport
	var data []byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var ok bool
		var err error
		if p, ok, err = getPulled(tx, id); err != nil {
			return err
		}
		if !ok {
			return notFound("报告 %s 不在本机拉取的报告中（先用 digilevel pull --enterprise 统一社会信用代码 拉取）", id)
		}
		seal, err := sealInTx(tx, p.Enterprise)
		if err != nil {
			return err
		}
		if seal.Sealed {
			return model.Errorf(model.ErrState, "%s", seal.Reason)
		}
		data = bytes.Clone(tx.Bucket(bucketPulledReports).Get([]byte(id)))
		if data == nil {
			return fmt.Errorf("拉取的报告 %s 缺少原文: %w", id, ErrNotDatabase)
		}
		return nil
	})
	return p, data, err
}

// PulledHash returns the SHA-256 of a pulled report, "" when id is not
// pulled, so a pull can skip reports it already has without downloading.
func (db *DB) PulledHash(id string) (string, error) {
	var sha string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		p, ok, err := getPulled(tx, id)
		if ok {
			sha = p.SHA256
		}
		return err
	})
	return sha, err
}

// spotCheckLink is a resolved --checks: the link to store and the
// enterprise it belongs to.
type spotCheckLink struct {
	model.CheckRef
	enterprise string
}

func (l *spotCheckLink) ref() *model.CheckRef {
	if l == nil {
		return nil
	}
	r := l.CheckRef
	return &r
}

// spotCheckLink resolves and checks the report a new spot-check re-rates:
// a pulled, current (not revised) baseline or acceptance report of the
// enterprise asked for, with no spot-check of it still in draft here. It
// returns the link and the report's catalog, which the spot-check must use.
func (db *DB) spotCheckLink(tx *bolt.Tx, n NewAssessment) (*spotCheckLink, *indicators.Catalog, error) {
	id := n.Checks
	if n.Kind != model.KindSpotCheck {
		return nil, nil, model.Errorf(model.ErrInvalid, "只有抽查（--kind spotcheck）可以指定被抽查的报告")
	}
	p, ok, err := getPulled(tx, id)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		if a, err := getAssessment(tx, id); err == nil {
			if a.State == model.StateDraft {
				return nil, nil, model.Errorf(model.ErrState, "评测 %s 是草稿，不能抽查：抽查的对象是服务商已定稿并上报的报告（用 digilevel pull 从平台或数据包拉取）", id)
			}
			return nil, nil, model.Errorf(model.ErrInvalid, "评测 %s 是本机自己的评测，不能抽查：抽查的对象是服务商的报告（用 digilevel pull 拉取）", id)
		}
		return nil, nil, notFound("被抽查的报告 %s 不在本机：先用 digilevel pull --enterprise 统一社会信用代码 从平台拉取（无网络时用 digilevel pull --bundle 数据包）", id)
	}
	cat, err := db.catalogFor(tx, p.CatalogHash)
	if err != nil {
		return nil, nil, err
	}
	if p.Kind != model.KindBaseline && p.Kind != model.KindAcceptance {
		return nil, nil, model.Errorf(model.ErrInvalid, "报告 %s 是%s报告，只能抽查服务商的%s或%s报告", id,
			cat.KindLabel(string(p.Kind)), cat.KindLabel(string(model.KindBaseline)), cat.KindLabel(string(model.KindAcceptance)))
	}
	if code := model.NormalizeCreditCode(n.Enterprise); code != "" && code != p.Enterprise {
		return nil, nil, model.Errorf(model.ErrInvalid, "报告 %s 属于企业 %s（%s），而不是 %s", id, p.EnterpriseName, p.Enterprise, code)
	}
	if n.Catalog != nil && n.Catalog.Hash() != p.CatalogHash {
		return nil, nil, model.Errorf(model.ErrInvalid, "抽查须使用被抽查报告的指标目录（%s 版 %s），不能用 --catalog 指定其他目录", p.Edition, model.ShortHash(p.CatalogHash))
	}
	if n.Assessor.Org == "" || n.Assessor.Person == "" {
		return nil, nil, model.Errorf(model.ErrInvalid, "抽查须记录抽查单位和抽查人员：用 --org 与 --assessor 给出，或先设置 digilevel config --assessor-org 单位 --assessor 姓名")
	}
	list, err := pulledOf(tx, p.Enterprise)
	if err != nil {
		return nil, nil, err
	}
	for _, o := range list {
		if o.Replaces == id {
			return nil, nil, model.Errorf(model.ErrInvalid, "报告 %s 已被修订为 %s（第 %d 版），请抽查最新版本", id, o.ID, o.Version)
		}
	}
	checks, err := spotChecksOf(tx, p.Enterprise)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range checks {
		if a.State == model.StateDraft && a.Checks != nil && a.Checks.ID == id {
			return nil, nil, model.Errorf(model.ErrExists, "报告 %s 已有进行中的抽查 %s（草稿），请继续该抽查", id, a.ID)
		}
	}
	// Blind is what the inspector could not see when the spot-check began:
	// the enterprise's pulled reports sealed. Once a spot-check of the
	// enterprise is finalized they are open on this laptop, so a further one
	// is recorded as not blind, whatever the setting.
	seal := model.SealFor(blindSetting(tx), p.Enterprise, checks)
	link := &spotCheckLink{CheckRef: model.CheckRef{ID: p.ID, SHA256: p.SHA256, Kind: p.Kind, Org: p.Assessor.Org, Blind: seal.Sealed}, enterprise: p.Enterprise}
	return link, cat, nil
}

// SpotCheckPair is what comparing a spot-check needs: its own report and
// the pulled report it checks.
type SpotCheckPair struct {
	// SpotCheck is the spot-check's report: the stored signed bytes once
	// finalized, built from the current answers while a draft.
	SpotCheck ReportData
	// Checked and CheckedBytes are the linked pulled report; it uses the
	// spot-check's catalog (SpotCheck.Catalog).
	Checked      model.PulledReport
	CheckedBytes []byte
	// Enterprise is the current file: its revenue feeds the reward estimate.
	Enterprise model.Enterprise
}

// SpotCheckPair loads a spot-check and the report it checks. A blind
// spot-check still in draft is refused (model.ErrState, with the reason):
// the report it checks stays sealed until the spot-check is finalized.
func (db *DB) SpotCheckPair(spotID string) (SpotCheckPair, error) {
	var pair SpotCheckPair
	spot, err := db.Report(spotID)
	if err != nil {
		return pair, err
	}
	a := spot.Assessment
	switch {
	case a.Kind != model.KindSpotCheck:
		return pair, model.Errorf(model.ErrInvalid, "评测 %s 是%s，不是抽查", a.ID, spot.Catalog.KindLabel(string(a.Kind)))
	case a.Checks == nil:
		return pair, model.Errorf(model.ErrInvalid, "抽查 %s 没有关联被抽查的报告（新建抽查时用 --checks 指定）", a.ID)
	case a.State == model.StateDraft && a.Checks.Blind:
		return pair, model.Errorf(model.ErrState, "抽查 %s 是盲评，尚未定稿：定稿后才能与服务商的报告对比（digilevel assessment finalize %s）", a.ID, a.ID)
	}
	p, raw, err := db.PulledReport(a.Checks.ID)
	if err != nil {
		return pair, err
	}
	e, err := db.Enterprise(a.Enterprise)
	if err != nil {
		return pair, err
	}
	return SpotCheckPair{SpotCheck: spot, Checked: p, CheckedBytes: raw, Enterprise: e}, nil
}
