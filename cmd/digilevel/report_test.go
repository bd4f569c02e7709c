package main

import "testing"

func TestSafeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"诊断报告-新乡市示例机械制造有限公司-01J": "诊断报告-新乡市示例机械制造有限公司-01J",
		"A/B:C* D?\"E\"<F>|G\\H": "A_B_C__D__E__F__G_H",
		"甲\n乙\t丙\r\x00丁":         "甲_乙_丙__丁",
	} {
		if got := safeFileName(in); got != want {
			t.Errorf("safeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
