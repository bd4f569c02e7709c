package solutions

import (
	_ "embed"

	"digilevel/indicators"
)

// examplePool is the shipped 示例 pool: invented solutions and providers,
// marked 示例 in the file, in every name and by Example, so they can show
// the format and the matching but never pass for real products.
//
//go:embed example-pool.json
var examplePool []byte

// ExamplePoolName is the source name recorded for the example pool.
const ExamplePoolName = "示例解决方案池（内置，虚构）"

// ExamplePool returns the shipped 示例 pool.
func ExamplePool(cat *indicators.Catalog) (Result, error) {
	res, err := readJSON(examplePool, cat)
	for i := range res.Solutions {
		res.Solutions[i].Source = ExamplePoolName
	}
	return res, err
}
