package model

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"digilevel/indicators"
)

// ReportFormat identifies the canonical report document format written
// now. Format 2 adds the site survey, the retrofit plan, the planning data
// reference, priced plans with alternatives and complete lists; every added
// member is omitted when empty, so a format-1 document decodes into the same
// struct and re-encodes to its exact bytes (it still verifies).
const ReportFormat = "digilevel-report/2"

// ReportFormatV1 is the first format, still read and verified.
const ReportFormatV1 = "digilevel-report/1"

// KnownReportFormat reports whether a document format can be read.
func KnownReportFormat(f string) bool { return f == ReportFormat || f == ReportFormatV1 }

// MaxReportSize bounds a report document anywhere it is read (sync, verify).
const MaxReportSize = 2 << 20

// ReportDocument is the canonical diagnosis report: everything the level
// rests on, frozen at finalize. Its bytes (encoding/json of this struct) are
// what is hashed, signed, exported as JSON and synced.
type ReportDocument struct {
	Format         string                `json:"format"`
	ID             string                `json:"id"`
	Version        int                   `json:"version"`
	Replaces       string                `json:"replaces,omitempty"`
	RevisionReason string                `json:"revision_reason,omitempty"`
	Kind           Kind                  `json:"kind"`
	KindLabel      string                `json:"kind_label"`
	Draft          bool                  `json:"draft"`
	Enterprise     Enterprise            `json:"enterprise"`
	Assessor       Assessor              `json:"assessor"`
	Device         string                `json:"device"`
	Checks         *CheckRef             `json:"checks,omitempty"` // spot-checks only; see CheckRef
	Catalog        CatalogRef            `json:"catalog"`
	Answers        AnswerSet             `json:"answers"`
	Evidence       map[string][]Evidence `json:"evidence,omitempty"`
	Result         Result                `json:"result"`
	Derivations    []Derivation          `json:"derivations"`
	NextLevel      GapPlan               `json:"next_level"`
	Target         GapPlan               `json:"target"`
	Problems       []ListItem            `json:"problems"`
	Demands        []ListItem            `json:"demands"`
	Survey         *Survey               `json:"survey,omitempty"`
	Plan           *RetrofitPlan         `json:"plan,omitempty"`
	Planning       *PlanningRef          `json:"planning,omitempty"`
	CreatedAt      time.Time             `json:"created_at"`
	FinalizedAt    time.Time             `json:"finalized_at,omitzero"`
	Signature      *Signature            `json:"signature,omitempty"`
}

// CatalogRef pins the catalog a report was scored with.
type CatalogRef struct {
	Edition string `json:"edition"`
	Hash    string `json:"hash"`
	Title   string `json:"title"`
}

// PlanningRef names the planning data (costs, expected evidence, KPIs,
// outline) a format-2 report was diagnosed with.
type PlanningRef struct {
	Title string `json:"title"`
	Hash  string `json:"hash"`
}

// Signature is an ed25519 signature over the document's canonical bytes
// without the signature member.
type Signature struct {
	Algorithm string `json:"algorithm"`
	PublicKey string `json:"public_key"`
	Value     string `json:"value"`
}

// SignatureAlgorithm is the only algorithm written and accepted.
const SignatureAlgorithm = "ed25519"

// BuildReport assembles the report document of an assessment as it stands.
// A draft gives a document marked Draft. The plans, lists and result are
// those of Diagnose under cat and pl.
func BuildReport(cat *indicators.Catalog, pl *indicators.Planning, a Assessment, e Enterprise) (ReportDocument, error) {
	if cat.Hash() != a.CatalogHash {
		return ReportDocument{}, invalidf("评测 %s 使用的指标目录 %s 与提供的目录 %s 不一致", a.ID, ShortHash(a.CatalogHash), ShortHash(cat.Hash()))
	}
	if e.Code != a.Enterprise {
		return ReportDocument{}, invalidf("评测 %s 属于企业 %s，而不是 %s", a.ID, a.Enterprise, e.Code)
	}
	d, err := Diagnose(cat, pl, a)
	if err != nil {
		return ReportDocument{}, err
	}
	derivations := Derive(cat, a.Answers)
	if derivations == nil {
		derivations = []Derivation{}
	}
	return ReportDocument{
		Format: ReportFormat, ID: a.ID, Version: a.Version, Replaces: a.Replaces, RevisionReason: a.RevisionReason,
		Kind: a.Kind, KindLabel: cat.KindLabel(string(a.Kind)), Draft: a.State == StateDraft,
		Enterprise: e, Assessor: a.Assessor, Device: a.Device, Checks: a.Checks.clone(),
		Catalog: CatalogRef{Edition: cat.Edition, Hash: cat.Hash(), Title: cat.Title},
		Answers: a.Answers, Evidence: a.Evidence, Result: d.Result, Derivations: derivations,
		NextLevel: d.Next, Target: d.Target, Problems: d.Problems, Demands: d.Demands,
		Survey: a.Survey, Plan: a.Plan, Planning: &PlanningRef{Title: pl.Title, Hash: pl.Hash()},
		CreatedAt: a.CreatedAt, FinalizedAt: a.FinalizedAt,
	}, nil
}

// ShortHash is the first 12 hex digits of a hash, for messages and labels.
func ShortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Canonical encodes the document: compact encoding/json, fields in
// declaration order, map keys sorted, exact decimals.
func (d ReportDocument) Canonical() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// SignReport signs the document with the installation key and returns the
// canonical bytes with the signature.
func SignReport(d ReportDocument, key ed25519.PrivateKey) ([]byte, error) {
	d.Signature = nil
	unsigned, err := d.Canonical()
	if err != nil {
		return nil, err
	}
	d.Signature = &Signature{
		Algorithm: SignatureAlgorithm,
		PublicKey: base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)),
		Value:     base64.StdEncoding.EncodeToString(ed25519.Sign(key, unsigned)),
	}
	return d.Canonical()
}

// HashReport is the hex SHA-256 of report bytes.
func HashReport(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// ErrTampered is wrapped when a report's bytes, hash or signature do not check out.
var ErrTampered = fmt.Errorf("报告校验失败: %w", ErrInvalid)

// VerifyReport checks that data is a canonical, signed report document and
// that the signature holds. It does not rescore; see CheckReportScore.
//
// It decodes data once and encodes the document once: the canonical bytes
// must equal data, and the signed bytes (the document without its
// signature member, the last one) are then data with that member cut out,
// byte for byte what encoding the document without it gives.
func VerifyReport(data []byte) (ReportDocument, error) {
	return verifyReport(data, ReportDocument.Canonical)
}

// verifyReport is VerifyReport with the canonical encoder as a parameter,
// so that a test can count the encodings.
func verifyReport(data []byte, canonical func(ReportDocument) ([]byte, error)) (ReportDocument, error) {
	if len(data) > MaxReportSize {
		return ReportDocument{}, Errorf(ErrTampered, "报告超过 %d 字节上限", MaxReportSize)
	}
	d, err := decodeCanonical(data, canonical)
	if err != nil {
		return ReportDocument{}, err
	}
	if d.Signature == nil {
		return ReportDocument{}, Errorf(ErrTampered, "报告没有签名")
	}
	return d, checkSignature(data, *d.Signature)
}

// decodeCanonical decodes data and checks that it is the canonical encoding
// of the document it decodes to. The usual case, a canonical document, is
// decoded with json.Unmarshal (no stream buffer: about a tenth faster and
// half the garbage of a json.Decoder) and encoded once. The canonical
// comparison alone refuses unknown members, trailing data and any other
// form: encoding the decoded document cannot give them back. When data is
// not canonical, it is decoded again strictly to say exactly why.
func decodeCanonical(data []byte, canonical func(ReportDocument) ([]byte, error)) (ReportDocument, error) {
	var d ReportDocument
	if json.Unmarshal(data, &d) == nil && KnownReportFormat(d.Format) {
		again, err := canonical(d)
		if err != nil {
			return ReportDocument{}, err
		}
		if bytes.Equal(again, data) {
			return d, nil
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	d = ReportDocument{}
	if err := dec.Decode(&d); err != nil {
		return ReportDocument{}, Errorf(ErrTampered, "报告不是有效的 JSON 文档: %v", err)
	}
	if dec.More() {
		return ReportDocument{}, Errorf(ErrTampered, "报告 JSON 之后还有多余内容")
	}
	if !KnownReportFormat(d.Format) {
		return ReportDocument{}, Errorf(ErrTampered, "报告格式 %q 不受支持（应为 %s 或 %s）", d.Format, ReportFormat, ReportFormatV1)
	}
	return ReportDocument{}, Errorf(ErrTampered, "报告不是规范格式（内容或排版被改动过）")
}

// checkSignature checks the signature of a canonical document's bytes.
func checkSignature(data []byte, sig Signature) error {
	if sig.Algorithm != SignatureAlgorithm {
		return Errorf(ErrTampered, "签名算法 %q 不受支持", sig.Algorithm)
	}
	pub, err1 := base64.StdEncoding.DecodeString(sig.PublicKey)
	val, err2 := base64.StdEncoding.DecodeString(sig.Value)
	if err1 != nil || err2 != nil || len(pub) != ed25519.PublicKeySize || len(val) != ed25519.SignatureSize {
		return Errorf(ErrTampered, "签名或公钥编码无效")
	}
	unsigned, err := withoutSignature(data, sig)
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub, unsigned, val) {
		return Errorf(ErrTampered, "签名无效: 报告在签名后被改动，或签名不属于该公钥")
	}
	return nil
}

// withoutSignature returns the canonical bytes of a document without its
// signature, given its canonical bytes with it. encoding/json writes the
// members in declaration order, each after a comma but the first, so the
// encoding without the last member (signature, omitted when nil) is the
// encoding with it minus `,"signature":{...}`. The member is encoded on its
// own exactly as Canonical encodes it inside the document.
func withoutSignature(canonical []byte, sig Signature) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`,"signature":`)
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sig); err != nil {
		return nil, fmt.Errorf("encode signature: %w", err)
	}
	suffix := append(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), '}')
	if !bytes.HasSuffix(canonical, suffix) {
		return nil, Errorf(ErrTampered, "报告的签名不是最后一项（内容或排版被改动过）")
	}
	out := make([]byte, 0, len(canonical)-len(suffix)+1)
	out = append(out, canonical[:len(canonical)-len(suffix)]...)
	return append(out, '}'), nil
}

// CheckReportScore rescores the document's answers with its catalog and
// compares the score, the level and every gate with what it claims.
func CheckReportScore(cat *indicators.Catalog, d ReportDocument) error {
	if cat.Hash() != d.Catalog.Hash {
		return Errorf(ErrTampered, "报告的指标目录 %s 与校验用目录 %s 不一致", ShortHash(d.Catalog.Hash), ShortHash(cat.Hash()))
	}
	res, err := Score(cat, d.Answers)
	if err != nil {
		return Errorf(ErrTampered, "报告答卷无效: %v", err)
	}
	if !d.Draft && len(res.Missing) > 0 {
		return Errorf(ErrTampered, "定稿报告缺答: %s", strings.Join(res.Missing, "、"))
	}
	if res.Score != d.Result.Score || res.Level != d.Result.Level {
		return Errorf(ErrTampered, "报告所列得分 %s、等级 %d 与答卷重新计算的 %s、等级 %d 不符", d.Result.Score, d.Result.Level, res.Score, res.Level)
	}
	if !sameResult(res, d.Result) {
		return Errorf(ErrTampered, "报告的评测结果与答卷重新计算的结果不符")
	}
	return nil
}

// sameResult says whether two results encode to the same JSON: every
// member equal, with the one difference encoding/json does not show (an
// empty and a nil Missing, both omitted) set aside. It compares the values
// instead of encoding both, which cost more than the rescoring itself.
func sameResult(a, b Result) bool {
	if len(a.Missing) == 0 && len(b.Missing) == 0 {
		a.Missing, b.Missing = nil, nil
	}
	return reflect.DeepEqual(a, b)
}

// Finalize checks completeness, freezes the answers, score and level, signs
// the canonical report and moves the assessment to queued (finalized, then
// queued for sending). It returns the report bytes and the audit entries.
func (a *Assessment) Finalize(cat *indicators.Catalog, pl *indicators.Planning, e Enterprise, key ed25519.PrivateKey, c Change) ([]byte, []AuditEntry, error) {
	if err := a.editable(); err != nil {
		return nil, nil, err
	}
	if missing := a.Answers.Missing(cat); len(missing) > 0 {
		return nil, nil, Errorf(ErrIncomplete, "评测 %s 未完成，不能定稿: 还缺 %d 项（%s）", a.ID, len(missing), strings.Join(missing, "、"))
	}
	if strings.TrimSpace(a.Assessor.Org) == "" {
		return nil, nil, errNoOrg(a.ID)
	}
	now := c.Now.UTC()
	frozen := *a
	frozen.State = StateFinalized
	frozen.FinalizedAt = now
	doc, err := BuildReport(cat, pl, frozen, e)
	if err != nil {
		return nil, nil, err
	}
	data, err := SignReport(doc, key)
	if err != nil {
		return nil, nil, err
	}
	fin, err := a.Transition(StateFinalized, c)
	if err != nil {
		return nil, nil, err
	}
	fin.Action = ActionFinalize
	fin.New = fmt.Sprintf("%s 得分 %s sha256:%s", doc.Result.LevelName, doc.Result.Score, HashReport(data))
	q, err := a.Transition(StateQueued, c)
	if err != nil {
		return nil, nil, err
	}
	a.FinalizedAt = now
	a.Score, a.Level = doc.Result.Score, doc.Result.Level
	a.Problems, a.Demands = doc.Problems, doc.Demands
	a.ReportSHA256 = HashReport(data)
	return data, []AuditEntry{fin, q}, nil
}
