package roster

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"digilevel/model"
)

// Profile columns of a roster fill the §8.5 profile where they exist, and
// are listed in Fields so a re-import keeps what a roster has no column for.
func TestProfileColumns(t *testing.T) {
	in := "企业名称,统一社会信用代码,批次,主要产品,员工人数,成立日期,所在区域\n" +
		"甲," + codeA + ",1,数控机床,120,2012/5/18,经开区\n" +
		"乙," + codeB + ",1,,120.0人,2012年5月8日,\n" +
		"丙,91410700MA44RN9B0X,1,,一百,2012-13-01,\n"
	res, err := ReadCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{model.FieldProfileProducts, model.FieldProfileEmployees, model.FieldProfileFounded, model.FieldProfileRegion} {
		if !slices.Contains(res.Fields, k) {
			t.Errorf("fields %v lack %s", res.Fields, k)
		}
	}
	if len(res.Enterprises) != 2 {
		t.Fatalf("enterprises = %+v, problems %v", res.Enterprises, res.Problems)
	}
	p := res.Enterprises[0].Enterprise.Profile
	if p == nil || p.MainProducts != "数控机床" || p.Employees != 120 || p.Founded != "2012-05-18" || p.Region != "经开区" {
		t.Errorf("profile = %+v", p)
	}
	if p := res.Enterprises[1].Enterprise.Profile; p == nil || p.Employees != 120 || p.Founded != "2012-05-08" {
		t.Errorf("profile = %+v", p)
	}
	if len(res.Problems) != 1 || res.Problems[0].Row != 4 {
		t.Fatalf("problems = %v", res.Problems)
	}
	var fes model.FieldErrors
	if !errors.As(res.Problems[0], &fes) || len(fes) < 2 || !strings.Contains(res.Problems[0].Error(), "员工人数") || !strings.Contains(res.Problems[0].Error(), "成立日期") {
		t.Errorf("problem = %v", res.Problems[0])
	}
}
