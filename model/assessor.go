package model

import "strings"

// Limits of the assessor's names, in characters.
const (
	MaxAssessorOrg    = 100
	MaxAssessorPerson = 50
)

// ActionAssessor is the audit action of setting a draft's assessor.
const ActionAssessor = "assessor"

// CheckAssessor validates the assessor's names as typed: no control or
// bidi characters, within the limits. Empty names are allowed here; an
// organisation is required only to finalize.
func CheckAssessor(as Assessor) error {
	if err := CheckText(as.Org, TextRule{Label: "评测机构", Max: MaxAssessorOrg}); err != nil {
		return err
	}
	return CheckText(as.Person, TextRule{Label: "评测人", Max: MaxAssessorPerson})
}

// errNoOrg is why a draft without an organisation cannot be finalized.
func errNoOrg(id string) error {
	return invalidf("评测 %s 没有填写评测机构，不能定稿: 平台只接收署名为令牌所属服务商的报告。请在终端界面按 o 打开「设置」填写评测机构，或运行 digilevel config --assessor-org 机构名称，然后再定稿", id)
}

// SetAssessor records who rates a draft. Blank fields of as leave the
// recorded ones alone.
func (a *Assessment) SetAssessor(as Assessor, c Change) (AuditEntry, error) {
	if err := a.editable(); err != nil {
		return AuditEntry{}, err
	}
	as.Org, as.Person = strings.TrimSpace(as.Org), strings.TrimSpace(as.Person)
	if err := CheckAssessor(as); err != nil {
		return AuditEntry{}, err
	}
	old := a.Assessor
	if as.Org != "" {
		a.Assessor.Org = as.Org
	}
	if as.Person != "" {
		a.Assessor.Person = as.Person
	}
	return a.touch(c, ActionAssessor, "", old.Person+" / "+old.Org, a.Assessor.Person+" / "+a.Assessor.Org), nil
}
