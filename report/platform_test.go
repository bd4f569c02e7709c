package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"digilevel/model"
)

// The platform's export row of an enterprise with a revised baseline, an
// acceptance, a spot-check of that acceptance and one of a report the
// platform never received; and of one without any report.
func TestPlatformRow(t *testing.T) {
	cat, policy := testCatalog(t), model.DefaultRewardPolicy()
	e := testEnterprise()
	e.Revenue = []model.YearRevenue{{Year: 2026, Wan: "3000"}, {Year: 2027, Wan: "3300"}}
	at := func(day int) time.Time { return time.Date(2026, 5, day, 10, 0, 0, 0, time.UTC) }
	reports := []ReceivedReport{
		{ID: "B1", Kind: model.KindBaseline, Version: 1, ReplacedBy: "B2", Level: 1, Score: 30000, FinalizedAt: at(1), ReceivedAt: at(1), Provider: "甲服务商"},
		{ID: "B2", Kind: model.KindBaseline, Version: 2, Replaces: "B1", Level: 1, Score: 32500, FinalizedAt: at(2), ReceivedAt: at(3), Provider: "甲服务商"},
		{ID: "A1", Kind: model.KindAcceptance, Version: 1, Level: 2, Score: 52000, FinalizedAt: at(10), ReceivedAt: at(11), Provider: "甲服务商"},
		{ID: "S1", Kind: model.KindSpotCheck, Version: 1, Level: 1, Score: 38000, FinalizedAt: at(20), ReceivedAt: at(21), Checks: "A1"},
	}
	e.Provider = ""
	r := NewPlatformRow(cat, policy, e, true, reports)
	want := PlatformRow{CreditCode: e.Code, Name: e.Name, Batch: e.Batch, Scale: e.Scale.Label(), ZJTX: e.ZJTX.Label(), OnRoster: true,
		Provider: "甲服务商", Received: "改造前诊断 2 份、改造后验收 1 份、抽查 1 份",
		BaselineLevel: cat.LevelName(1), BaselineScore: 32500, HasBaselineScore: true,
		AcceptanceLevel: cat.LevelName(2), AcceptanceScore: 52000, HasAcceptanceScore: true,
		SpotCheckLevel: cat.LevelName(1), SpotCheckResult: model.CompareLevels(2, 1, policy.RewardFloor(), cat.LevelName).Text,
		Chain:        "改造前诊断: 当前 v2，1 份已被取代；改造后验收: 当前 v1；抽查: 当前 v1",
		LastReceived: at(21)}
	want.RewardWan, want.RewardNote = rewardColumns(EstimateReward(policy, e, nil, 2, cat.LevelName(2), at(10)))
	if r != want {
		t.Errorf("row\n%+v\nwant\n%+v", r, want)
	}
	if want.RewardWan == "" || !strings.Contains(want.RewardNote, "比例") {
		t.Errorf("the reward estimate of the test data is not an amount: %q %q", want.RewardWan, want.RewardNote)
	}
	if !strings.Contains(r.SpotCheckResult, "二级") {
		t.Errorf("spot-check result %q does not say the levels differ across 二级", r.SpotCheckResult)
	}
	lone := NewPlatformRow(cat, policy, e, false, []ReceivedReport{{ID: "S9", Kind: model.KindSpotCheck, Version: 1, Level: 2, Checks: "GONE", FinalizedAt: at(5), ReceivedAt: at(5)}})
	if lone.SpotCheckResult != "被抽查的报告 GONE 平台未收到" || lone.RewardNote != noAcceptanceNote || lone.OnRoster {
		t.Errorf("spot-check of a report not received: %+v", lone)
	}
	// The platform holds another report under the checked ID: no comparison.
	pinned := append([]ReceivedReport(nil), reports...)
	pinned[3].ChecksMismatch = true
	if got := NewPlatformRow(cat, policy, e, true, pinned).SpotCheckResult; got != "平台收到的报告 A1 不是抽查所依据的那一份，请核实" {
		t.Errorf("spot-check of another report under the ID: %q", got)
	}
	none := NewPlatformRow(cat, policy, e, true, nil)
	if none.Received != "未收到报告" || none.Chain != "" || !none.LastReceived.IsZero() {
		t.Errorf("no reports: %+v", none)
	}
	var buf bytes.Buffer
	if err := WritePlatformCSV(&buf, func(yield func(PlatformRow) bool) { _ = yield(r) && yield(none) }); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 3 || len(rows[0]) != len(platformColumns()) || rows[1][13] != r.SpotCheckResult || rows[1][17] != "2026-05-21 18:00" {
		t.Errorf("csv %v %v", rows, err)
	}
	buf.Reset()
	if err := WritePlatformXLSX(&buf, func(yield func(PlatformRow) bool) { yield(r) }); err != nil || buf.Len() == 0 {
		t.Errorf("xlsx: %v", err)
	}
}
