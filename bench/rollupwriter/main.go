// Command rollupwriter is the baseline of `export` in bench/run.sh: the
// roll-up writer alone, over synthetic rows shaped like the export's, with
// no database.
//
//	rollupwriter -n 10000 -format xlsx|csv -o FILE
package main

import (
	"flag"
	"fmt"
	"io"
	"iter"
	"os"

	"digilevel/indicators"
	"digilevel/report"
)

func main() {
	n := flag.Int("n", 10000, "rows")
	format := flag.String("format", "xlsx", "xlsx | csv")
	out := flag.String("o", "", "output file")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "rollupwriter: -o is required")
		os.Exit(2)
	}
	write := report.WriteRollupXLSX
	if *format == "csv" {
		write = report.WriteRollupCSV
	}
	if err := report.WriteFile(*out, func(w io.Writer) error { return write(w, rows(*n)) }); err != nil {
		fmt.Fprintln(os.Stderr, "rollupwriter:", err)
		os.Exit(1)
	}
}

func rows(n int) iter.Seq[report.RollupRow] {
	return func(yield func(report.RollupRow) bool) {
		for i := range n {
			r := report.RollupRow{CreditCode: fmt.Sprintf("91410700MA%07dX", i), Name: fmt.Sprintf("合成企业 %05d", i+1),
				Batch: 1 + i%3, Provider: fmt.Sprintf("合成服务商 %02d", i%17), KindsDone: []string{"改造前诊断", "改造后验收"},
				BaselineLevel: "一级", AcceptanceLevel: "二级", Score: indicators.Points(40000 + i%60000), HasScore: true,
				RewardWan: "32", RewardNote: "按二级，比例 4%，累计上限 50 万元", State: "改造后验收：已定稿"}
			if !yield(r) {
				return
			}
		}
	}
}
