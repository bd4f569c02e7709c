package model

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"digilevel/indicators"
)

// PulledReport is a finalized report of another laptop (a service
// provider's), pulled onto an inspector's laptop from the platform or from a
// bundle. It is kept read-only beside the signed bytes it was read from: who
// rated, which key signed, and what the platform's receipt said. Nothing in
// it is edited after the pull.
type PulledReport struct {
	ID             string            `json:"id"`
	Enterprise     string            `json:"enterprise"`
	EnterpriseName string            `json:"enterprise_name"`
	Kind           Kind              `json:"kind"`
	Version        int               `json:"version"`
	Replaces       string            `json:"replaces,omitempty"`
	RevisionReason string            `json:"revision_reason,omitempty"`
	Assessor       Assessor          `json:"assessor"`
	Device         string            `json:"device"`
	Checks         *CheckRef         `json:"checks,omitempty"`
	Edition        string            `json:"edition"`
	CatalogHash    string            `json:"catalog_hash"`
	Score          indicators.Points `json:"score"`
	Level          int               `json:"level"`
	CreatedAt      time.Time         `json:"created_at"`
	FinalizedAt    time.Time         `json:"finalized_at"`
	SHA256         string            `json:"sha256"`
	Size           int               `json:"size"`
	// PublicKey is the signing key (base64), the provider laptop's identity.
	PublicKey string     `json:"public_key"`
	Origin    PullOrigin `json:"origin"`
	PulledAt  time.Time  `json:"pulled_at"`
	PulledBy  string     `json:"pulled_by"`
	// Sealed is never stored: it marks a copy handed out while a blind
	// spot-check hides the rating (Score and Level are then zero).
	Sealed bool `json:"sealed,omitempty"`
}

// Where a pulled report came from.
const (
	SourcePlatform = "platform"
	SourceBundle   = "bundle"
)

// PullOrigin is where a pulled report came from: the platform (with its
// receipt: sequence number, time received, the provider whose token
// uploaded it) or a bundle file (its SHA-256 and the device that wrote it).
type PullOrigin struct {
	Source       string    `json:"source"`
	Server       string    `json:"server,omitempty"`
	ServerSeq    uint64    `json:"server_seq,omitempty"`
	ReceivedAt   time.Time `json:"received_at,omitzero"`
	Provider     string    `json:"provider,omitempty"`
	Bundle       string    `json:"bundle_sha256,omitempty"`
	BundleDevice string    `json:"bundle_device,omitempty"`
}

// Text is the origin in one line, for lists and the audit trail.
func (o PullOrigin) Text() string {
	if o.Source == SourceBundle {
		return fmt.Sprintf("数据包 %s（设备 %s）", ShortHash(o.Bundle), o.BundleDevice)
	}
	return fmt.Sprintf("平台 %s，回执序号 %d", o.Server, o.ServerSeq)
}

// NewPulledReport describes a checked report document (see CheckPulled)
// and the bytes it was read from.
func NewPulledReport(doc ReportDocument, data []byte, origin PullOrigin, c Change) PulledReport {
	p := PulledReport{
		ID: doc.ID, Enterprise: doc.Enterprise.Code, EnterpriseName: doc.Enterprise.Name,
		Kind: doc.Kind, Version: doc.Version, Replaces: doc.Replaces, RevisionReason: doc.RevisionReason,
		Assessor: doc.Assessor, Device: doc.Device, Checks: doc.Checks.clone(),
		Edition: doc.Catalog.Edition, CatalogHash: doc.Catalog.Hash,
		Score: doc.Result.Score, Level: doc.Result.Level,
		CreatedAt: doc.CreatedAt, FinalizedAt: doc.FinalizedAt,
		SHA256: HashReport(data), Size: len(data), Origin: origin,
		PulledAt: c.Now.UTC(), PulledBy: c.Who,
	}
	if doc.Signature != nil {
		p.PublicKey = doc.Signature.PublicKey
	}
	return p
}

// Masked is the copy shown while a blind spot-check seals the enterprise:
// the rating (score and level) is zeroed and Sealed is set.
func (p PulledReport) Masked() PulledReport {
	p.Score, p.Level, p.Sealed = 0, 0, true
	return p
}

// ErrForeignReport is wrapped when a report cannot be taken in: not signed,
// altered, a draft, scored with a catalog this laptop does not have, or
// carrying text that is not safe to show.
var ErrForeignReport = fmt.Errorf("报告不能拉取: %w", ErrTampered)

// CheckPulled checks report bytes from another laptop before they are
// stored: canonical form and signature (VerifyReport), not a draft, the
// result rescored with cat (the catalog the report names), every text safe
// to show (CheckReportText) and the enterprise file valid. The error says
// which check failed, in Chinese.
func CheckPulled(cat *indicators.Catalog, data []byte) (ReportDocument, error) {
	doc, err := VerifyReport(data)
	if err != nil {
		return ReportDocument{}, err
	}
	if doc.Draft {
		return ReportDocument{}, Errorf(ErrForeignReport, "报告 %s 是草稿，只能拉取已定稿的报告", doc.ID)
	}
	if doc.FinalizedAt.IsZero() {
		return ReportDocument{}, Errorf(ErrForeignReport, "报告 %s 没有定稿时间", doc.ID)
	}
	if !ValidID(doc.ID) {
		return ReportDocument{}, Errorf(ErrForeignReport, "报告编号 %q 无效", DisplaySafe(doc.ID, false))
	}
	if err := CheckReportScore(cat, doc); err != nil {
		return ReportDocument{}, err
	}
	if err := CheckReportText(doc); err != nil {
		return ReportDocument{}, err
	}
	e := doc.Enterprise
	e.Normalize()
	if e.Code != doc.Enterprise.Code {
		return ReportDocument{}, Errorf(ErrForeignReport, "报告 %s 中的统一社会信用代码 %q 不是规范写法", doc.ID, doc.Enterprise.Code)
	}
	if err := e.Validate(); err != nil {
		return ReportDocument{}, Errorf(ErrForeignReport, "报告 %s 中的企业档案无效: %v", doc.ID, err)
	}
	if doc.Checks != nil {
		if err := doc.Checks.validate(doc.Kind); err != nil {
			return ReportDocument{}, Errorf(ErrForeignReport, "报告 %s 的抽查关联无效: %v", doc.ID, err)
		}
	}
	return doc, nil
}

// Single-line fields of a report and their limits; every other string of the
// document may hold newlines but no other control character.
var reportLineRules = []struct {
	get  func(*ReportDocument) string
	rule TextRule
}{
	{func(d *ReportDocument) string { return d.Enterprise.Name }, TextRule{Label: "企业名称", Max: MaxNameLength, Required: true}},
	{func(d *ReportDocument) string { return d.Assessor.Org }, TextRule{Label: "评测机构", Max: MaxNameLength}},
	{func(d *ReportDocument) string { return d.Assessor.Person }, TextRule{Label: "评测人员", Max: MaxNameLength}},
	{func(d *ReportDocument) string { return d.Device }, TextRule{Label: "设备编号", Max: MaxNameLength}},
	{func(d *ReportDocument) string { return d.KindLabel }, TextRule{Label: "评测类型名称", Max: MaxNameLength}},
}

// CheckReportText checks every string of a report document from another
// laptop with CheckText: no control, bidi or other unsafe character
// anywhere (newlines and tabs only where text may span lines), and the
// names within their limits. A signed report can still carry such text if
// it was written before the rule existed or by another program; it must not
// reach a terminal or a printed page of this laptop.
func CheckReportText(doc ReportDocument) error {
	for _, r := range reportLineRules {
		if err := CheckText(r.get(&doc), r.rule); err != nil {
			return Errorf(ErrForeignReport, "报告 %s: %v", DisplaySafe(doc.ID, false), err)
		}
	}
	var problem error
	walkStrings(reflect.ValueOf(doc), "报告", func(path, s string) bool {
		if err := CheckText(s, TextRule{Label: path, Multiline: true}); err != nil {
			problem = Errorf(ErrForeignReport, "报告 %s: %v", DisplaySafe(doc.ID, false), err)
			return false
		}
		return true
	})
	return problem
}

// walkStrings calls fn with every string (and map key) inside v, named by
// its JSON path, until fn returns false.
func walkStrings(v reflect.Value, path string, fn func(path, s string) bool) bool {
	switch v.Kind() {
	case reflect.String:
		return fn(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return true
		}
		return walkStrings(v.Elem(), path, fn)
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if !walkStrings(v.Field(i), path+"."+name, fn) {
				return false
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if !walkStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn) {
				return false
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			if k.Kind() == reflect.String && !fn(path+" 的键", k.String()) {
				return false
			}
			if !walkStrings(iter.Value(), path+"."+DisplaySafe(k.String(), false), fn) {
				return false
			}
		}
	}
	return true
}
