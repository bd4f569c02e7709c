package roster_test

import (
	"fmt"
	"strings"

	"digilevel/roster"
)

func ExampleReadFile() {
	res, err := roster.ReadFile("testdata/roster-sample.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Enterprises {
		fmt.Println(p.Row, p.Enterprise.Code, p.Enterprise.Name)
	}
	for _, p := range res.Problems {
		fmt.Println(p)
	}
	// Output:
	// 2 91410700MA44RN9B0U 新乡示例机械制造有限公司
	// 3 91410700MA45A1B2CR 新乡示例电机有限公司
	// 4 91410721MA46X7K3DR 新乡示例食品有限公司
	// 6 91410700MA49W2L7GB 新乡示例包装制品有限公司
	// 第 5 行: 统一社会信用代码: 校验位错误: 第 18 位应为 7，实际为 8
}

func ExampleReadCSV() {
	csv := "序号\t企业名称\t统一社会信用代码\t批次\t2024年营业收入（元）\n" +
		"1\t新乡示例机械制造有限公司\t91410700MA44RN9B0U\t第一批\t58000000\n" +
		"2\t\t91410700MA44RN9B0U\t第四批\t-1\n"
	res, err := roster.ReadCSV(strings.NewReader(csv))
	if err != nil {
		fmt.Println(err)
		return
	}
	e := res.Enterprises[0].Enterprise
	fmt.Println(e.Name, e.Batch, e.Revenue[0].Year, e.Revenue[0].Wan, "万元")
	fmt.Println(res.Problems[0])
	fmt.Println("忽略的列:", res.Ignored)
	// Output:
	// 新乡示例机械制造有限公司 1 2024 5800 万元
	// 第 3 行: 企业名称: 不能为空；统一社会信用代码: 与第 2 行重复；批次: 应为 1–3，实际 4；营业收入: 2024 年为负数（-0.0001 万元）
	// 忽略的列: [序号]
}
