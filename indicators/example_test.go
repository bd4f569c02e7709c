package indicators_test

import (
	"fmt"

	"digilevel/indicators"
)

func ExampleEmbedded() {
	c, err := indicators.Embedded("2024")
	if err != nil {
		panic(err)
	}
	q, _ := c.DefaultQuestionnaire().Question("Q09")
	fmt.Println(c.Title)
	fmt.Println(q.Title, q.Max, q.Options[1].Score)
	// Output:
	// 中小企业数字化水平评测指标（2024年版）
	// 企业数字化管理制度的建立情况 7.5 1.875
}
