package platform

import (
	"errors"
	"strings"
	"testing"
	"time"

	"digilevel/model"
)

func TestExclusionValidate(t *testing.T) {
	p := model.DefaultRewardPolicy()
	ok := Exclusion{Enterprise: "91410700MA0000001W", Reasons: []string{"tax", "safety"}, Note: "税务局来函", By: "经发局"}
	if err := ok.Validate(p); err != nil {
		t.Fatalf("valid exclusion: %v", err)
	}
	withdraw := Exclusion{Enterprise: ok.Enterprise, By: "经发局"}
	if err := withdraw.Validate(p); err != nil {
		t.Errorf("withdrawal without a note: %v", err)
	}
	tests := []struct {
		name string
		edit func(*Exclusion)
		want string
	}{
		{"bad code", func(x *Exclusion) { x.Enterprise = "123" }, "统一社会信用代码"},
		{"unknown reason", func(x *Exclusion) { x.Reasons = []string{"weather"} }, "不在奖补政策中"},
		{"no note", func(x *Exclusion) { x.Note = " " }, "须写明依据"},
		{"control character", func(x *Exclusion) { x.Note = "依据\x1b[31m" }, "控制字符"},
		{"too long", func(x *Exclusion) { x.Note = strings.Repeat("长", model.MaxTextLength+1) }, "过长"},
		{"no author", func(x *Exclusion) { x.By = "" }, "记录人"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := ok
			tt.edit(&x)
			err := x.Validate(p)
			if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want ErrInvalid with %q", err, tt.want)
			}
		})
	}
}

func TestSessionValidAndRejectionKey(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	if (Session{ExpiresAt: now}).Valid(now) || !(Session{ExpiresAt: now.Add(time.Second)}).Valid(now) {
		t.Error("a session is valid strictly before its expiry")
	}
	a := Rejection{Provider: "甲", ReportID: "R", SHA256: "s", Code: "conflict", Message: "一"}
	b := a
	b.Message, b.Seq = "二", 9
	if a.Key() != b.Key() {
		t.Error("the key ignores message and sequence")
	}
	b.Code = "invalid_report"
	if a.Key() == b.Key() {
		t.Error("another reason is another rejection")
	}
}
