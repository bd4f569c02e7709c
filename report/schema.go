package report

import (
	"bytes"
	_ "embed"
)

//go:embed report.schema.json
var reportSchema []byte

// Schema returns the JSON Schema (draft 2020-12) of the report document,
// the JSON output of a report. The slice is a copy.
func Schema() []byte { return bytes.Clone(reportSchema) }
