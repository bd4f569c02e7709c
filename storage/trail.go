package storage

import (
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// TrailFormat identifies the audit trail JSON (`assessment audit ID --json`).
const TrailFormat = "digilevel-audit/1"

// AuditTrail is the full history of an assessment chain: every version
// (this laptop's own or pulled), its revision reason, who did what and
// when, the report hashes and platform receipts, and the spot-checks of any
// version. While a blind spot-check seals the enterprise the pulled
// versions' score and level are left out (Sealed, SealReason).
type AuditTrail struct {
	Format     string              `json:"format"`
	Requested  string              `json:"requested"`
	Enterprise model.EnterpriseRef `json:"enterprise"`
	Kind       model.Kind          `json:"kind"`
	Sealed     bool                `json:"sealed"`
	SealReason string              `json:"seal_reason,omitempty"`
	Versions   []TrailVersion      `json:"versions"`
	SpotChecks []TrailVersion      `json:"spot_checks"`
}

// Origins of a trail version.
const (
	OriginLocal  = "local"
	OriginPulled = "pulled"
)

// TrailVersion is one version of a chain, or one spot-check of it.
type TrailVersion struct {
	ID             string         `json:"id"`
	Origin         string         `json:"origin"`
	Kind           model.Kind     `json:"kind"`
	Version        int            `json:"version"`
	Replaces       string         `json:"replaces,omitempty"`
	RevisionReason string         `json:"revision_reason,omitempty"`
	ReplacedBy     string         `json:"replaced_by,omitempty"`
	State          model.State    `json:"state,omitempty"`
	Assessor       model.Assessor `json:"assessor"`
	Device         string         `json:"device"`
	CreatedAt      time.Time      `json:"created_at"`
	FinalizedAt    time.Time      `json:"finalized_at,omitzero"`
	// Score and Level are absent for drafts and for sealed pulled reports.
	Score        *indicators.Points `json:"score,omitempty"`
	Level        *int               `json:"level,omitempty"`
	ReportSHA256 string             `json:"report_sha256,omitempty"`
	Checks       *model.CheckRef    `json:"checks,omitempty"`
	// Receipt is the platform's receipt of a sent local report; Pulled says
	// where a pulled report came from (its platform receipt or bundle).
	Receipt *Receipt           `json:"receipt,omitempty"`
	Pulled  *model.PullOrigin  `json:"pulled,omitempty"`
	Log     []model.AuditEntry `json:"log"`
}

// AuditTrail assembles the history of the chain id belongs to (a local
// assessment or a pulled report), oldest version first, with the
// spot-checks of any version of it (local and pulled).
func (db *DB) AuditTrail(id string) (AuditTrail, error) {
	var t AuditTrail
	err := db.bolt.View(func(tx *bolt.Tx) error {
		code, err := enterpriseOf(tx, id)
		if err != nil {
			return err
		}
		e, err := getEnterprise(tx, code)
		if err != nil {
			return err
		}
		versions, err := trailVersions(tx, code)
		if err != nil {
			return err
		}
		seal, err := sealInTx(tx, code)
		if err != nil {
			return err
		}
		chain := chainOf(versions, id)
		t = AuditTrail{Format: TrailFormat, Requested: id, Enterprise: model.EnterpriseRef{Code: e.Code, Name: e.Name},
			Kind: versions[id].Kind, Sealed: seal.Sealed, SealReason: seal.Reason, Versions: []TrailVersion{}, SpotChecks: []TrailVersion{}}
		inChain := map[string]bool{}
		for _, v := range chain {
			inChain[v.ID] = true
		}
		var spots []TrailVersion
		for _, v := range versions {
			if v.Checks != nil && inChain[v.Checks.ID] {
				spots = append(spots, v)
			}
		}
		sort.Slice(spots, func(i, j int) bool { return spots[i].ID < spots[j].ID })
		for _, list := range []struct {
			in  []TrailVersion
			out *[]TrailVersion
		}{{chain, &t.Versions}, {spots, &t.SpotChecks}} {
			for _, v := range list.in {
				if v.Log, err = auditInTx(tx, v.ID); err != nil {
					return err
				}
				if v.Origin == OriginPulled && seal.Sealed {
					v.Score, v.Level = nil, nil
				}
				*list.out = append(*list.out, v)
			}
		}
		return nil
	})
	return t, err
}

// enterpriseOf finds the enterprise of a local assessment or a pulled report.
func enterpriseOf(tx *bolt.Tx, id string) (string, error) {
	if a, err := getAssessment(tx, id); err == nil {
		return a.Enterprise, nil
	}
	if p, ok, err := getPulled(tx, id); err != nil {
		return "", err
	} else if ok {
		return p.Enterprise, nil
	}
	return "", notFound("评测或拉取的报告 %s 不存在", id)
}

// trailVersions describes every local assessment and pulled report of an
// enterprise, by ID.
func trailVersions(tx *bolt.Tx, code string) (map[string]TrailVersion, error) {
	out := map[string]TrailVersion{}
	if raw := tx.Bucket(bucketSummaries).Get([]byte(code)); raw != nil {
		s, err := decodeSummary(raw)
		if err != nil {
			return nil, err
		}
		for _, line := range s.Assessments {
			a, err := getAssessment(tx, line.ID)
			if err != nil {
				return nil, err
			}
			v := TrailVersion{ID: a.ID, Origin: OriginLocal, Kind: a.Kind, Version: a.Version, Replaces: a.Replaces,
				RevisionReason: a.RevisionReason, ReplacedBy: a.ReplacedBy, State: a.State, Assessor: a.Assessor, Device: a.Device,
				CreatedAt: a.CreatedAt, FinalizedAt: a.FinalizedAt, ReportSHA256: a.ReportSHA256, Checks: a.Checks}
			if a.State.Frozen() {
				score, level := a.Score, a.Level
				v.Score, v.Level = &score, &level
			}
			if raw := tx.Bucket(bucketReceipts).Get([]byte(a.ID)); raw != nil {
				var r Receipt
				if err := boltkit.Decode(raw, &r); err != nil {
					return nil, err
				}
				v.Receipt = &r
			}
			out[a.ID] = v
		}
	}
	pulled, err := pulledOf(tx, code)
	if err != nil {
		return nil, err
	}
	for _, p := range pulled {
		score, level, origin := p.Score, p.Level, p.Origin
		out[p.ID] = TrailVersion{ID: p.ID, Origin: OriginPulled, Kind: p.Kind, Version: p.Version, Replaces: p.Replaces,
			RevisionReason: p.RevisionReason, Assessor: p.Assessor, Device: p.Device, CreatedAt: p.CreatedAt, FinalizedAt: p.FinalizedAt,
			Score: &score, Level: &level, ReportSHA256: p.SHA256, Checks: p.Checks, Pulled: &origin}
	}
	for id, v := range out { // pulled records do not name their successor
		if v.Replaces != "" {
			if old, ok := out[v.Replaces]; ok && old.ReplacedBy == "" {
				old.ReplacedBy = id
				out[v.Replaces] = old
			}
		}
	}
	return out, nil
}

// chainOf walks from id back through Replaces and forward through
// ReplacedBy; the result is oldest first.
func chainOf(versions map[string]TrailVersion, id string) []TrailVersion {
	first := versions[id]
	for seen := map[string]bool{id: true}; first.Replaces != ""; {
		prev, ok := versions[first.Replaces]
		if !ok || seen[prev.ID] {
			break
		}
		seen[prev.ID] = true
		first = prev
	}
	chain := []TrailVersion{first}
	for seen := map[string]bool{first.ID: true}; ; {
		next, ok := versions[chain[len(chain)-1].ReplacedBy]
		if !ok || seen[next.ID] {
			break
		}
		seen[next.ID] = true
		chain = append(chain, next)
	}
	return chain
}
